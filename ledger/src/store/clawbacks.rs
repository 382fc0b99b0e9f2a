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
    pub lost_earnings_id: Option<String>,
    /// The decision that claimed or waived it; none while proposed.
    pub decision_id: Option<String>,
    /// What was found not due.
    pub proposed_amount: i64,
    /// What a decision claimed of it (0 while proposed, or when waived).
    pub amount: i64,
    pub repaid: i64,
    pub status: String,
    pub entry_id: Option<String>,
    pub hearing_sent_on: Option<NaiveDate>,
    pub respond_by: Option<NaiveDate>,
    pub response_received_on: Option<NaiveDate>,
    pub response_summary: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// For lost earnings: what showed the months were not due (`case_ended` or `changed`) and
    /// that decision.
    pub cause: Option<String>,
    pub cause_decision_id: Option<String>,
    /// Set off against later lost earnings with the family's written consent: the day of the
    /// consent, the monthly installment consented to, and the decision it is set off against.
    pub offset_consented_on: Option<NaiveDate>,
    pub offset_monthly: Option<i64>,
    pub offset_lost_earnings_id: Option<String>,
}

impl ClawbackRow {
    /// A claim found and not yet decided: nobody owes it.
    pub fn proposed(base: NewClaim) -> ClawbackRow {
        ClawbackRow {
            id: base.id.unwrap_or_else(super::new_id),
            municipality: base.municipality,
            case_id: base.case_id,
            origin: base.origin.into(),
            settlement_id: None,
            expense_id: base.expense_id,
            lost_earnings_id: base.lost_earnings_id,
            decision_id: None,
            proposed_amount: base.amount,
            amount: 0,
            repaid: 0,
            status: "proposed".into(),
            entry_id: base.entry_id,
            hearing_sent_on: None,
            respond_by: None,
            response_received_on: None,
            response_summary: None,
            created_by: base.created_by,
            created_at: super::now(),
            cause: base.cause.as_ref().map(|(c, _)| c.to_string()),
            cause_decision_id: base.cause.and_then(|(_, d)| d),
            offset_consented_on: None,
            offset_monthly: None,
            offset_lost_earnings_id: None,
        }
    }

    pub fn status(&self) -> super::StoreResult<rules::correction::claim::Status> {
        super::known(
            rules::correction::claim::Status::parse(&self.status),
            "clawbacks.status",
            &self.status,
        )
    }

    pub fn hearing(&self) -> rules::correction::claim::Hearing {
        rules::correction::claim::Hearing {
            sent_on: self.hearing_sent_on,
            respond_by: self.respond_by,
            response_received_on: self.response_received_on,
        }
    }
}

/// What a proposed claim is made of.
pub struct NewClaim {
    pub id: Option<String>,
    pub municipality: String,
    pub case_id: String,
    pub origin: &'static str,
    pub expense_id: Option<String>,
    pub lost_earnings_id: Option<String>,
    /// What showed the money was not due, and that decision (lost earnings).
    pub cause: Option<(&'static str, Option<String>)>,
    pub amount: i64,
    pub entry_id: Option<String>,
    pub created_by: String,
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

/// Records the hearing sent on a proposed claim; false when it changed meanwhile.
pub fn set_hearing(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    sent_on: NaiveDate,
    respond_by: NaiveDate,
) -> StoreResult<bool> {
    let n = diesel::update(
        clawbacks::table
            .filter(clawbacks::municipality.eq(municipality))
            .filter(clawbacks::id.eq(id))
            .filter(clawbacks::status.eq("proposed"))
            .filter(clawbacks::hearing_sent_on.is_null()),
    )
    .set((
        clawbacks::hearing_sent_on.eq(Some(sent_on)),
        clawbacks::respond_by.eq(Some(respond_by)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records the family's answer to the hearing; false when it changed meanwhile.
pub fn set_response(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    received_on: NaiveDate,
    summary: &str,
) -> StoreResult<bool> {
    let n = diesel::update(
        clawbacks::table
            .filter(clawbacks::municipality.eq(municipality))
            .filter(clawbacks::id.eq(id))
            .filter(clawbacks::status.eq("proposed"))
            .filter(clawbacks::response_received_on.is_null()),
    )
    .set((
        clawbacks::response_received_on.eq(Some(received_on)),
        clawbacks::response_summary.eq(Some(summary)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Decides a proposed claim: claimed (`open`, with the amount claimed) or waived; false when it
/// was decided meanwhile.
pub fn set_decided(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    claimed: i64,
    decision_id: &str,
    entry_id: Option<&str>,
) -> StoreResult<bool> {
    let status = if claimed > 0 { "open" } else { "waived" };
    let n = diesel::update(
        clawbacks::table
            .filter(clawbacks::municipality.eq(municipality))
            .filter(clawbacks::id.eq(id))
            .filter(clawbacks::status.eq("proposed")),
    )
    .set((
        clawbacks::status.eq(status),
        clawbacks::amount.eq(claimed),
        clawbacks::decision_id.eq(Some(decision_id)),
        clawbacks::entry_id.eq(entry_id),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The settlement's claim in force (not cancelled), under its lock.
pub fn lock_of_settlement(
    conn: &mut DbConnection,
    municipality: &str,
    settlement_id: &str,
) -> StoreResult<Option<ClawbackRow>> {
    let id: Option<String> = clawbacks::table
        .filter(clawbacks::municipality.eq(municipality))
        .filter(clawbacks::settlement_id.eq(settlement_id))
        .filter(clawbacks::status.ne("cancelled"))
        .select(clawbacks::id)
        .first(conn)
        .optional()?;
    match id {
        Some(id) => lock(conn, municipality, &id),
        None => Ok(None),
    }
}

/// Cancels a claim nothing was repaid on (its settlement was reopened), once.
pub fn cancel(conn: &mut DbConnection, municipality: &str, id: &str) -> StoreResult<bool> {
    let n = diesel::update(
        clawbacks::table
            .filter(clawbacks::municipality.eq(municipality))
            .filter(clawbacks::id.eq(id))
            .filter(clawbacks::repaid.eq(0))
            .filter(clawbacks::status.ne("cancelled")),
    )
    .set(clawbacks::status.eq("cancelled"))
    .execute(conn)?;
    Ok(n == 1)
}

/// The claims of annulled expenses and of a settlement, whole rows.
pub fn of_year_claims(
    conn: &mut DbConnection,
    municipality: &str,
    expense_ids: &[String],
    settlement_id: Option<&str>,
) -> StoreResult<Vec<ClawbackRow>> {
    let mut q = clawbacks::table
        .filter(clawbacks::municipality.eq(municipality))
        .into_boxed();
    q = match settlement_id {
        Some(s) => q.filter(
            clawbacks::expense_id
                .eq_any(expense_ids.to_vec())
                .or(clawbacks::settlement_id.eq(s.to_string())),
        ),
        None => q.filter(clawbacks::expense_id.eq_any(expense_ids.to_vec())),
    };
    Ok(q.order(clawbacks::id.asc())
        .select(ClawbackRow::as_select())
        .load(conn)?)
}

/// Repayments received on a case's settlement claims, by the day received: unspent prepaid
/// money repaid is no longer the municipality's expense and leaves the cap's count that day.
pub fn settlement_repayments_of_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Vec<(NaiveDate, i64)>> {
    Ok(clawback_repayments::table
        .inner_join(clawbacks::table.on(clawbacks::id.eq(clawback_repayments::clawback_id)))
        .filter(clawbacks::municipality.eq(municipality))
        .filter(clawbacks::case_id.eq(case_id))
        .filter(clawbacks::origin.eq("settlement"))
        .select((
            clawback_repayments::received_on,
            clawback_repayments::amount,
        ))
        .load(conn)?)
}
