//! Accounts, their running totals, and the municipality's standard chart.
use super::schema::{accounts, municipalities};
use super::{known, new_id, now, stripes, DbConnection, StoreResult};
use bookkeeping::account::Locked;
use bookkeeping::chart::STANDARD_CHART;
use bookkeeping::{AccountKind, BalanceConstraint, Money};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, QueryableByName, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    pub id: String,
    pub municipality: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub balance_constraint: String,
    pub owner: Option<String>,
    pub parent_id: Option<String>,
    pub debits_posted: i64,
    pub credits_posted: i64,
    pub created_at: NaiveDateTime,
}

impl AccountRow {
    /// A new account with no postings yet.
    pub fn new(
        municipality: &str,
        code: &str,
        name: &str,
        kind: AccountKind,
        constraint: BalanceConstraint,
    ) -> AccountRow {
        AccountRow {
            id: new_id(),
            municipality: municipality.to_string(),
            code: code.to_string(),
            name: name.to_string(),
            kind: kind.as_str().to_string(),
            balance_constraint: constraint.as_str().to_string(),
            owner: None,
            parent_id: None,
            debits_posted: 0,
            credits_posted: 0,
            created_at: now(),
        }
    }

    pub fn kind(&self) -> StoreResult<AccountKind> {
        known(AccountKind::parse(&self.kind), "accounts.kind", &self.kind)
    }

    pub fn constraint(&self) -> StoreResult<BalanceConstraint> {
        known(
            BalanceConstraint::parse(&self.balance_constraint),
            "accounts.balance_constraint",
            &self.balance_constraint,
        )
    }

    pub fn debits(&self) -> Money {
        Money::from_ore(self.debits_posted)
    }

    pub fn credits(&self) -> Money {
        Money::from_ore(self.credits_posted)
    }

    /// The row as the bookkeeping rules see it under its lock.
    pub fn locked(&self) -> StoreResult<Locked> {
        Ok(Locked {
            id: self.id.clone(),
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind()?,
            constraint: self.constraint()?,
            debits: self.debits(),
            credits: self.credits(),
        })
    }
}

/// Makes sure the municipality exists with its standard chart. Idempotent and safe under races:
/// a concurrent first use loses the insert and finds the chart the winner created.
pub fn ensure_municipality(conn: &mut DbConnection, municipality: &str) -> StoreResult<()> {
    let exists: i64 = municipalities::table
        .filter(municipalities::code.eq(municipality))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let attempt = conn.transaction::<(), super::StoreError, _>(|c| {
        diesel::insert_into(municipalities::table)
            .values((
                municipalities::code.eq(municipality),
                municipalities::closed_through.eq(None::<NaiveDate>),
                municipalities::created_at.eq(now()),
            ))
            .execute(c)?;
        let rows: Vec<AccountRow> = STANDARD_CHART
            .iter()
            .map(|a| AccountRow::new(municipality, a.code, a.name, a.kind, a.constraint))
            .collect();
        super::on_backend!(c, c => diesel::insert_into(accounts::table).values(&rows).execute(c))?;
        Ok(())
    });
    match attempt {
        Err(super::StoreError::UniqueViolation(_)) => Ok(()),
        other => other,
    }
}

/// Gives every municipality the standard accounts a newer release added to the chart (a new
/// municipality gets the whole chart on first use); returns how many were added. Run at start.
pub fn complete_charts(conn: &mut DbConnection) -> StoreResult<usize> {
    let codes: Vec<String> = municipalities::table
        .select(municipalities::code)
        .load(conn)?;
    let mut added = 0;
    for m in codes {
        let have: Vec<String> = accounts::table
            .filter(accounts::municipality.eq(&m))
            .select(accounts::code)
            .load(conn)?;
        let rows: Vec<AccountRow> = STANDARD_CHART
            .iter()
            .filter(|a| !have.iter().any(|c| c == a.code))
            .map(|a| AccountRow::new(&m, a.code, a.name, a.kind, a.constraint))
            .collect();
        added += rows.len();
        for r in &rows {
            insert(conn, r)?;
        }
    }
    Ok(added)
}

pub fn insert(conn: &mut DbConnection, row: &AccountRow) -> StoreResult<()> {
    diesel::insert_into(accounts::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// An account of another municipality is answered exactly like one that does not exist.
pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<AccountRow>> {
    let mut row: Vec<AccountRow> = accounts::table
        .filter(accounts::id.eq(id))
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .load(conn)?;
    stripes::fold(conn, municipality, &mut row)?;
    Ok(row.pop())
}

pub fn by_code(
    conn: &mut DbConnection,
    municipality: &str,
    code: &str,
) -> StoreResult<Option<AccountRow>> {
    let mut row: Vec<AccountRow> = accounts::table
        .filter(accounts::code.eq(code))
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .load(conn)?;
    stripes::fold(conn, municipality, &mut row)?;
    Ok(row.pop())
}

/// The id of a standard-chart account (every municipality has its chart from its first request).
pub fn id_of(conn: &mut DbConnection, municipality: &str, code: &str) -> StoreResult<String> {
    accounts::table
        .filter(accounts::code.eq(code))
        .filter(accounts::municipality.eq(municipality))
        .select(accounts::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| super::StoreError::Corrupt(format!("standard account {code} missing")))
}

#[derive(Default, Clone, Debug)]
pub struct AccountFilter {
    pub kind: Option<AccountKind>,
    pub code: Option<String>,
    pub owner: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    f: &AccountFilter,
) -> StoreResult<Vec<AccountRow>> {
    let mut q = accounts::table
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .order(accounts::code.asc())
        .limit(f.limit)
        .into_boxed();
    if let Some(k) = f.kind {
        q = q.filter(accounts::kind.eq(k.as_str()));
    }
    if let Some(c) = &f.code {
        q = q.filter(accounts::code.eq(c.clone()));
    }
    if let Some(o) = &f.owner {
        q = q.filter(accounts::owner.eq(o.clone()));
    }
    if let Some(a) = &f.after {
        q = q.filter(accounts::code.gt(a.clone()));
    }
    let mut rows = q.load(conn)?;
    stripes::fold(conn, municipality, &mut rows)?;
    Ok(rows)
}

pub fn all(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<AccountRow>> {
    let mut rows = accounts::table
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .order(accounts::code.asc())
        .load(conn)?;
    stripes::fold(conn, municipality, &mut rows)?;
    Ok(rows)
}

/// Debit and credit totals of an account at the end of a date: its running totals less what was
/// posted later, summed in SQL over the (municipality, account, date) index, so the cost follows
/// the postings after the date, never the account's whole history.
pub fn totals_as_of(
    conn: &mut DbConnection,
    row: &AccountRow,
    as_of: NaiveDate,
) -> StoreResult<(Money, Money)> {
    #[derive(QueryableByName)]
    struct Later {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        debits: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        credits: i64,
    }
    let sql = super::sql::placeholders(
        conn,
        "SELECT CAST(COALESCE(SUM(debit), 0) AS BIGINT) AS debits, \
         CAST(COALESCE(SUM(credit), 0) AS BIGINT) AS credits FROM postings \
         WHERE municipality = $1 AND account_id = $2 AND effective_date > $3",
    );
    let later: Later = diesel::sql_query(sql)
        .bind::<diesel::sql_types::Text, _>(&row.municipality)
        .bind::<diesel::sql_types::Text, _>(&row.id)
        .bind::<diesel::sql_types::Date, _>(as_of)
        .get_result(conn)?;
    Ok((
        row.debits() - Money::from_ore(later.debits),
        row.credits() - Money::from_ore(later.credits),
    ))
}

/// Adds to the running totals; false when the account is not the municipality's. The UPDATE
/// takes the row lock on PostgreSQL, so the constraint check that follows sees every earlier
/// committed entry and none can slip past it.
pub fn add_totals(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    debit: Money,
    credit: Money,
) -> StoreResult<bool> {
    let n = diesel::update(
        accounts::table
            .filter(accounts::id.eq(id))
            .filter(accounts::municipality.eq(municipality)),
    )
    .set((
        accounts::debits_posted.eq(accounts::debits_posted + debit.ore()),
        accounts::credits_posted.eq(accounts::credits_posted + credit.ore()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The accounts an entry touches, as a posting needs them: the constrained ones locked for the
/// rest of the transaction (their check must see every earlier posting), the unconstrained ones
/// read without a lock on PostgreSQL, because a posting adds to one of their stripes instead of
/// their row (see `stripes`). On SQLite the write transaction holds the one write lock anyway.
pub fn lock_for_posting(
    conn: &mut DbConnection,
    municipality: &str,
    ids: &[&str],
) -> StoreResult<Vec<AccountRow>> {
    if matches!(conn, DbConnection::Sqlite(_)) {
        return get_many(conn, municipality, ids);
    }
    let mut rows = get_many(conn, municipality, ids)?;
    let constrained: Vec<&str> = rows
        .iter()
        .filter(|r| !stripes::striped(conn, r))
        .map(|r| r.id.as_str())
        .collect();
    if constrained.is_empty() {
        return Ok(rows);
    }
    let locked = lock_many(conn, municipality, &constrained)?;
    rows.retain(|r| stripes::striped(conn, r));
    rows.extend(locked);
    Ok(rows)
}

/// The accounts an entry touches, locked for the rest of the transaction in id order (byte order,
/// the order every writer uses, so two writers never wait on each other in a circle). NO KEY
/// UPDATE is all a change of the totals needs, and it lets a stripe's insert (whose foreign key
/// takes KEY SHARE on the account) go on beside it. On SQLite the write transaction already holds
/// the database's one write lock.
pub fn lock_many(
    conn: &mut DbConnection,
    municipality: &str,
    ids: &[&str],
) -> StoreResult<Vec<AccountRow>> {
    match conn {
        DbConnection::Pg(pg) => {
            use diesel::sql_types::{Array, Text};
            let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            Ok(diesel::sql_query(
                "SELECT * FROM accounts WHERE municipality = $1 AND id = ANY($2) \
                 ORDER BY id COLLATE \"C\" FOR NO KEY UPDATE",
            )
            .bind::<Text, _>(municipality)
            .bind::<Array<Text>, _>(ids)
            .load(pg)?)
        }
        DbConnection::Sqlite(_) => get_many(conn, municipality, ids),
    }
}

pub fn get_many(
    conn: &mut DbConnection,
    municipality: &str,
    ids: &[&str],
) -> StoreResult<Vec<AccountRow>> {
    Ok(accounts::table
        .filter(accounts::id.eq_any(ids))
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .load(conn)?)
}
