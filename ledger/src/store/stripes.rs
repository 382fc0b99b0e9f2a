//! Striped running totals of unconstrained accounts (PostgreSQL), so hot accounts are no hot spot.
//!
//! Every payment posts to the bank and every grant and approval to the appropriation memo. With
//! one running-total row per account, each such posting holds that row's lock until it commits,
//! and concurrent postings queue on it. An unconstrained account has nothing to check under a
//! lock, so on PostgreSQL a posting adds to one of [`STRIPES`] rows of the account instead, the
//! one of its database connection (`pg_backend_pid()`), and two postings wait on each other only
//! when their connections share a stripe. An account's totals are its own row plus its stripes,
//! read together by every reader of accounts, so balances stay O(1) and verify compares them to
//! the postings exactly as before. Constrained accounts keep their one locked row: their check
//! needs every earlier posting. SQLite has one writer at a time and never writes a stripe.
use super::accounts::AccountRow;
use super::schema::account_stripes;
use super::{DbConnection, StoreResult};
use bookkeeping::{BalanceConstraint, Money};
use diesel::prelude::*;

/// Stripes per account (the table's CHECK holds the same bound).
pub const STRIPES: i32 = 16;

/// Whether postings to the account add to a stripe rather than to its row: unconstrained
/// accounts, on PostgreSQL.
pub fn striped(conn: &DbConnection, row: &AccountRow) -> bool {
    matches!(conn, DbConnection::Pg(_))
        && row.balance_constraint == BalanceConstraint::None.as_str()
}

/// Adds to the accounts' stripes, in the order given (account id order, the order every writer
/// uses). One statement for all of an entry's striped accounts.
pub fn add(
    conn: &mut DbConnection,
    municipality: &str,
    totals: &[(&str, Money, Money)],
) -> StoreResult<()> {
    if totals.is_empty() {
        return Ok(());
    }
    let DbConnection::Pg(pg) = conn else {
        return Err(super::StoreError::Corrupt(
            "stripes are written on PostgreSQL only".into(),
        ));
    };
    use diesel::sql_types::{Array, BigInt, Text};
    let ids: Vec<&str> = totals.iter().map(|t| t.0).collect();
    let debits: Vec<i64> = totals.iter().map(|t| t.1.ore()).collect();
    let credits: Vec<i64> = totals.iter().map(|t| t.2.ore()).collect();
    let sql = format!(
        "INSERT INTO account_stripes (account_id, stripe, municipality, debits, credits) \
         SELECT t.a, pg_backend_pid() % {STRIPES}, $1, t.d, t.c \
         FROM unnest($2::text[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS t(a, d, c, n) \
         ORDER BY t.n \
         ON CONFLICT (account_id, stripe) DO UPDATE \
         SET debits = account_stripes.debits + EXCLUDED.debits, \
             credits = account_stripes.credits + EXCLUDED.credits"
    );
    diesel::sql_query(sql)
        .bind::<Text, _>(municipality)
        .bind::<Array<Text>, _>(ids)
        .bind::<Array<BigInt>, _>(debits)
        .bind::<Array<BigInt>, _>(credits)
        .execute(pg)?;
    Ok(())
}

/// Adds each account's stripes to the totals of its row as read, so every reader sees the
/// account's whole totals. Only unconstrained accounts get stripes (and the database keeps an
/// account's constraint fixed), but every stripe is counted whatever the row says.
pub fn fold(
    conn: &mut DbConnection,
    municipality: &str,
    rows: &mut [AccountRow],
) -> StoreResult<()> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    if ids.is_empty() || matches!(conn, DbConnection::Sqlite(_)) {
        return Ok(());
    }
    let mut sums: std::collections::HashMap<String, (i64, i64)> = Default::default();
    // Bounded chunks: a municipality's whole chart can be asked for at once.
    for chunk in ids.chunks(1000) {
        let stripes: Vec<(String, i64, i64)> = account_stripes::table
            .filter(account_stripes::municipality.eq(municipality))
            .filter(account_stripes::account_id.eq_any(chunk))
            .select((
                account_stripes::account_id,
                account_stripes::debits,
                account_stripes::credits,
            ))
            .load(conn)?;
        for (id, d, c) in stripes {
            let s = sums.entry(id).or_default();
            s.0 += d;
            s.1 += c;
        }
    }
    for r in rows.iter_mut() {
        if let Some((d, c)) = sums.get(&r.id) {
            r.debits_posted += d;
            r.credits_posted += c;
        }
    }
    Ok(())
}
