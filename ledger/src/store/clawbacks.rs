//! Claims on families (clawbacks) and the repayments received on them.
use super::schema::{clawback_repayments, clawbacks};
use super::{DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = clawbacks)]
pub struct ClawbackRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub origin: String,
    pub settlement_id: Option<String>,
    pub expense_id: Option<String>,
    pub decision_id: String,
    pub amount: i64,
    pub repaid: i64,
    pub status: String,
    pub entry_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = clawback_repayments)]
pub struct RepaymentRow {
    pub id: String,
    pub municipality: String,
    pub clawback_id: String,
    pub amount: i64,
    pub received_on: NaiveDate,
    pub bank_reference: String,
    pub entry_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &ClawbackRow) -> StoreResult<()> {
    diesel::insert_into(clawbacks::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<ClawbackRow>> {
    Ok(clawbacks::table
        .filter(clawbacks::municipality.eq(municipality))
        .filter(clawbacks::id.eq(id))
        .select(ClawbackRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    status: Option<&str>,
    case_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<ClawbackRow>> {
    let mut q = clawbacks::table
        .filter(clawbacks::municipality.eq(municipality))
        .select(ClawbackRow::as_select())
        .order(clawbacks::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(clawbacks::id.gt(a.to_string()));
    }
    if let Some(s) = status {
        q = q.filter(clawbacks::status.eq(s.to_string()));
    }
    if let Some(c) = case_id {
        q = q.filter(clawbacks::case_id.eq(c.to_string()));
    }
    Ok(q.load(conn)?)
}

/// Takes the claim's row lock (a no-op update: PostgreSQL's row lock, SQLite's write lock) and
/// reads it under the lock, so that repayments on one claim happen one at a time.
pub fn lock(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<ClawbackRow>> {
    diesel::update(
        clawbacks::table
            .filter(clawbacks::municipality.eq(municipality))
            .filter(clawbacks::id.eq(id)),
    )
    .set(clawbacks::repaid.eq(clawbacks::repaid))
    .execute(conn)?;
    get(conn, municipality, id)
}

/// Adds a repayment to what was repaid, only if the claim still has `expected_repaid` repaid (a
/// racing repayment loses) and never beyond the claim (the CHECK backs this up).
pub fn add_repaid(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    expected_repaid: i64,
    amount: i64,
    settled: bool,
) -> StoreResult<bool> {
    let status = if settled { "settled" } else { "open" };
    let n = diesel::update(
        clawbacks::table
            .filter(clawbacks::municipality.eq(municipality))
            .filter(clawbacks::id.eq(id))
            .filter(clawbacks::repaid.eq(expected_repaid)),
    )
    .set((
        clawbacks::repaid.eq(expected_repaid + amount),
        clawbacks::status.eq(status),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_repayment(conn: &mut DbConnection, row: &RepaymentRow) -> StoreResult<()> {
    diesel::insert_into(clawback_repayments::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// How many of the expenses have a claim (a payment that paid them cannot simply be returned).
pub fn count_for_expenses(
    conn: &mut DbConnection,
    municipality: &str,
    expense_ids: &[String],
) -> StoreResult<i64> {
    Ok(clawbacks::table
        .filter(clawbacks::municipality.eq(municipality))
        .filter(clawbacks::expense_id.eq_any(expense_ids))
        .count()
        .get_result(conn)?)
}

/// The claims made on annulled expenses: (expense id, claim id).
pub fn of_expenses(
    conn: &mut DbConnection,
    municipality: &str,
    expense_ids: &[String],
) -> StoreResult<Vec<(String, String)>> {
    let rows: Vec<(Option<String>, String)> = clawbacks::table
        .filter(clawbacks::municipality.eq(municipality))
        .filter(clawbacks::expense_id.eq_any(expense_ids))
        .select((clawbacks::expense_id, clawbacks::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(e, c)| e.map(|e| (e, c)))
        .collect())
}
