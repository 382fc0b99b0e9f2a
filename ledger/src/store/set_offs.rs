//! Claims set off against later lost earnings with the family's consent: the terms recorded on
//! the claim, and the open ones a payroll run withholds installments for.
use super::clawbacks::ClawbackRow;
use super::schema::clawbacks;
use super::{DbConnection, StoreResult};
use chrono::NaiveDate;
use diesel::prelude::*;

/// Where a claim is set off: the consent, the monthly installment and the lost-earnings
/// decision it is withheld from.
pub struct SetOff<'a> {
    pub consented_on: NaiveDate,
    pub monthly: i64,
    pub lost_earnings_id: &'a str,
}

/// Records that an open claim is set off against later lost earnings.
pub fn set_offset(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    s: &SetOff,
) -> StoreResult<()> {
    diesel::update(
        clawbacks::table
            .filter(clawbacks::municipality.eq(municipality))
            .filter(clawbacks::id.eq(id)),
    )
    .set((
        clawbacks::offset_consented_on.eq(Some(s.consented_on)),
        clawbacks::offset_monthly.eq(Some(s.monthly)),
        clawbacks::offset_lost_earnings_id.eq(Some(s.lost_earnings_id)),
    ))
    .execute(conn)?;
    Ok(())
}

/// The open claims being set off against lost earnings, oldest first.
pub fn open(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<ClawbackRow>> {
    Ok(clawbacks::table
        .filter(clawbacks::municipality.eq(municipality))
        .filter(clawbacks::status.eq("open"))
        .filter(clawbacks::offset_lost_earnings_id.is_not_null())
        .order((clawbacks::created_at.asc(), clawbacks::id.asc()))
        .select(ClawbackRow::as_select())
        .load(conn)?)
}
