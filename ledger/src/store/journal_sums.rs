//! The journal summed from its postings alone, independent of the running totals: what verify
//! compares the totals with, and what the trial balance as of a date takes off them.
use super::sql::placeholders;
use super::{DbConnection, StoreResult};
use bookkeeping::Money;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

#[derive(QueryableByName, Debug)]
pub struct AccountSums {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = BigInt)]
    pub debits: i64,
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
}

/// Σ debits and Σ credits per account from the postings themselves, keyed by account id: all of
/// them, or (`after`) only those dated after a date, to take off the running totals.
pub fn sums_by_account(
    conn: &mut DbConnection,
    municipality: &str,
    after: Option<NaiveDate>,
) -> StoreResult<std::collections::HashMap<String, (Money, Money)>> {
    let base = "SELECT account_id, CAST(COALESCE(SUM(debit), 0) AS BIGINT) AS debits, \
                CAST(COALESCE(SUM(credit), 0) AS BIGINT) AS credits FROM postings WHERE municipality = $1";
    let rows: Vec<AccountSums> = match after {
        None => {
            let sql = placeholders(conn, &format!("{base} GROUP BY account_id"));
            diesel::sql_query(sql)
                .bind::<Text, _>(municipality)
                .load(conn)?
        }
        Some(d) => {
            let sql = placeholders(
                conn,
                &format!("{base} AND effective_date > $2 GROUP BY account_id"),
            );
            diesel::sql_query(sql)
                .bind::<Text, _>(municipality)
                .bind::<Date, _>(d)
                .load(conn)?
        }
    };
    Ok(rows
        .into_iter()
        .map(|x| {
            (
                x.account_id,
                (Money::from_ore(x.debits), Money::from_ore(x.credits)),
            )
        })
        .collect())
}

#[derive(QueryableByName, Debug)]
struct EntryId {
    #[diesel(sql_type = Text)]
    entry_id: String,
}

/// Entries whose own postings do not balance or have fewer than two lines (must be none).
pub fn unbalanced_entries(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<String>> {
    let sql = placeholders(
        conn,
        "SELECT entry_id FROM postings WHERE municipality = $1 GROUP BY entry_id \
         HAVING SUM(debit) <> SUM(credit) OR COUNT(*) < 2",
    );
    let rows: Vec<EntryId> = diesel::sql_query(sql)
        .bind::<Text, _>(municipality)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.entry_id).collect())
}
