//! The annual accounts of fixed-amount agreements, and the decision on any unspent money.
use super::schema::{installment_allocations, installments, settlements};
use super::{DbConnection, StoreError, StoreResult};
use bookkeeping::Money;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rules::agreement::settlement::Line;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = settlements)]
pub struct SettlementRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub budget_year_id: String,
    pub agreement_id: String,
    pub lines: String,
    pub total_prepaid: i64,
    pub total_approved: i64,
    pub net_unspent: i64,
    pub net_shortfall: i64,
    pub decision: Option<String>,
    pub decision_id: Option<String>,
    pub entry_id: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// The family's confirmation that its accounts were complete, when settled before the
    /// documentation deadline.
    pub accounts_complete_on: Option<chrono::NaiveDate>,
    /// The hearing on the unspent money, before it is claimed.
    pub hearing_sent_on: Option<chrono::NaiveDate>,
    pub respond_by: Option<chrono::NaiveDate>,
    pub response_received_on: Option<chrono::NaiveDate>,
    pub response_summary: Option<String>,
    /// The decision that reopened it; none while it is in force.
    pub reopened_by_decision: Option<String>,
}

impl SettlementRow {
    /// The hearing on the unspent money, as the claims rules read it.
    pub fn hearing(&self) -> rules::correction::claim::Hearing {
        rules::correction::claim::Hearing {
            sent_on: self.hearing_sent_on,
            respond_by: self.respond_by,
            response_received_on: self.response_received_on,
        }
    }

    /// Undecided unspent money is a proposed claim; decided, it is not open to a hearing.
    pub fn claim_status(&self) -> rules::correction::claim::Status {
        match self.decision {
            None => rules::correction::claim::Status::Proposed,
            Some(_) => rules::correction::claim::Status::Open,
        }
    }

    pub fn lines(&self) -> StoreResult<Vec<Line>> {
        serde_json::from_str(&self.lines)
            .map_err(|e| StoreError::Corrupt(format!("settlements.lines: {e}")))
    }
}

pub fn insert(conn: &mut DbConnection, row: &SettlementRow) -> StoreResult<()> {
    diesel::insert_into(settlements::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The year's settlement in force (not reopened).
pub fn of_year(
    conn: &mut DbConnection,
    municipality: &str,
    year_id: &str,
) -> StoreResult<Option<SettlementRow>> {
    Ok(settlements::table
        .filter(settlements::municipality.eq(municipality))
        .filter(settlements::budget_year_id.eq(year_id))
        .filter(settlements::reopened_by_decision.is_null())
        .select(SettlementRow::as_select())
        .first(conn)
        .optional()?)
}

/// A settlement of the municipality, read without a lock.
pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<SettlementRow>> {
    Ok(settlements::table
        .filter(settlements::municipality.eq(municipality))
        .filter(settlements::id.eq(id))
        .select(SettlementRow::as_select())
        .first(conn)
        .optional()?)
}

/// Takes the settlement's row lock (a no-op update) and reads it under the lock.
pub fn lock(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<SettlementRow>> {
    diesel::update(
        settlements::table
            .filter(settlements::municipality.eq(municipality))
            .filter(settlements::id.eq(id)),
    )
    .set(settlements::net_unspent.eq(settlements::net_unspent))
    .execute(conn)?;
    Ok(settlements::table
        .filter(settlements::municipality.eq(municipality))
        .filter(settlements::id.eq(id))
        .select(SettlementRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records the decision on the unspent money, once.
pub fn decide(
    conn: &mut DbConnection,
    id: &str,
    decision: &str,
    decision_id: &str,
    entry_id: Option<&str>,
) -> StoreResult<bool> {
    let n = diesel::update(
        settlements::table
            .filter(settlements::id.eq(id))
            .filter(settlements::decision.is_null()),
    )
    .set((
        settlements::decision.eq(Some(decision)),
        settlements::decision_id.eq(Some(decision_id)),
        settlements::entry_id.eq(entry_id),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Marks the settlement reopened by `decision_id`, once.
pub fn reopen(conn: &mut DbConnection, id: &str, decision_id: &str) -> StoreResult<bool> {
    let n = diesel::update(
        settlements::table
            .filter(settlements::id.eq(id))
            .filter(settlements::reopened_by_decision.is_null()),
    )
    .set(settlements::reopened_by_decision.eq(Some(decision_id)))
    .execute(conn)?;
    Ok(n == 1)
}

/// What the paid installments of an agreement prepaid for each post: (post id, amount).
pub fn prepaid_per_post(
    conn: &mut DbConnection,
    agreement_id: &str,
) -> StoreResult<Vec<(String, Money)>> {
    let rows: Vec<(String, i64)> = installment_allocations::table
        .inner_join(
            installments::table.on(installments::id.eq(installment_allocations::installment_id)),
        )
        .filter(installments::agreement_id.eq(agreement_id))
        .filter(installments::status.eq("paid"))
        .select((
            installment_allocations::post_id,
            installment_allocations::amount,
        ))
        .load(conn)?;
    let mut out: Vec<(String, Money)> = vec![];
    for (post, amount) in rows {
        match out.iter_mut().find(|(p, _)| *p == post) {
            Some((_, m)) => *m += Money::from_ore(amount),
            None => out.push((post, Money::from_ore(amount))),
        }
    }
    Ok(out)
}

/// Records the hearing on an undecided settlement; false when it changed meanwhile.
pub fn set_hearing(
    conn: &mut DbConnection,
    id: &str,
    sent_on: chrono::NaiveDate,
    respond_by: chrono::NaiveDate,
) -> StoreResult<bool> {
    let n = diesel::update(
        settlements::table
            .filter(settlements::id.eq(id))
            .filter(settlements::decision.is_null())
            .filter(settlements::hearing_sent_on.is_null()),
    )
    .set((
        settlements::hearing_sent_on.eq(Some(sent_on)),
        settlements::respond_by.eq(Some(respond_by)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records the family's answer to the hearing; false when it changed meanwhile.
pub fn set_response(
    conn: &mut DbConnection,
    id: &str,
    received_on: chrono::NaiveDate,
    summary: &str,
) -> StoreResult<bool> {
    let n = diesel::update(
        settlements::table
            .filter(settlements::id.eq(id))
            .filter(settlements::decision.is_null())
            .filter(settlements::response_received_on.is_null()),
    )
    .set((
        settlements::response_received_on.eq(Some(received_on)),
        settlements::response_summary.eq(Some(summary)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
