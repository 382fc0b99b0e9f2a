//! Period close: a municipality's books are closed through a date, for good.
use super::schema::{municipalities, period_closes};
use super::{new_id, now, DbConnection};
use crate::error::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Text;
use serde::Serialize;

/// The last closed date, as committed when this statement starts.
///
/// Why no lock is needed here: `journal::post` reads this only after its UPDATEs have locked the
/// entry's account rows, and a close first locks every account row of the municipality. So
/// either the posting holds its rows first (the close waits for it to commit, and the posting
/// was booked before the close), or the close does (the posting's UPDATE waits, and its later
/// read sees the close). Every entry touches at least one account that existed before the close.
pub fn closed_through(conn: &mut DbConnection, municipality: &str) -> Result<Option<NaiveDate>> {
    Ok(municipalities::table
        .filter(municipalities::code.eq(municipality))
        .select(municipalities::closed_through)
        .first::<Option<NaiveDate>>(conn)
        .optional()?
        .flatten())
}

/// The first date on or after `date` that is not in a closed period.
pub fn first_open_on_or_after(
    conn: &mut DbConnection,
    municipality: &str,
    date: NaiveDate,
) -> Result<NaiveDate> {
    Ok(match closed_through(conn, municipality)? {
        Some(c) if date <= c => c.succ_opt().unwrap_or(c),
        _ => date,
    })
}

/// Rejects a booking dated in a closed period.
pub fn ensure_open(conn: &mut DbConnection, municipality: &str, date: NaiveDate) -> Result<()> {
    if let Some(closed) = closed_through(conn, municipality)? {
        if date <= closed {
            return Err(Error::field(
                "period_closed",
                "effective_date",
                format!("the period through {closed} is closed; nothing can be booked on {date}"),
            ));
        }
    }
    Ok(())
}

#[derive(Serialize, Clone, Debug, Queryable, utoipa::ToSchema)]
pub struct PeriodClose {
    pub id: String,
    /// Every date up to and including this one is closed.
    pub through: NaiveDate,
    pub closed_by: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub closed_at: NaiveDateTime,
}

pub fn close(
    conn: &mut DbConnection,
    municipality: &str,
    through: NaiveDate,
    by: &str,
) -> Result<PeriodClose> {
    let today = chrono::Utc::now().date_naive();
    if through >= today {
        return Err(Error::field(
            "period_close_in_future",
            "through",
            format!("only past dates can be closed; {through} is not before today ({today})"),
        ));
    }
    if let DbConnection::Pg(pg) = conn {
        // Wait for every posting in flight in this municipality, and hold back new ones.
        diesel::sql_query("SELECT id FROM accounts WHERE municipality = $1 FOR UPDATE")
            .bind::<Text, _>(municipality)
            .execute(pg)?;
    }
    let current = closed_through(conn, municipality)?;
    if let Some(c) = current {
        if through <= c {
            return Err(Error::conflict(
                "period_already_closed",
                format!("the books are already closed through {c}; a closed period cannot be reopened or closed again"),
            )
            .with_field("through", "must be after the current close"));
        }
    }
    diesel::update(municipalities::table.filter(municipalities::code.eq(municipality)))
        .set(municipalities::closed_through.eq(Some(through)))
        .execute(conn)?;
    let row = PeriodClose {
        id: new_id(),
        through,
        closed_by: by.to_string(),
        closed_at: now(),
    };
    diesel::insert_into(period_closes::table)
        .values((
            period_closes::id.eq(&row.id),
            period_closes::municipality.eq(municipality),
            period_closes::through.eq(through),
            period_closes::closed_by.eq(by),
            period_closes::closed_at.eq(row.closed_at),
        ))
        .execute(conn)?;
    Ok(row)
}

pub fn list(conn: &mut DbConnection, municipality: &str) -> Result<Vec<PeriodClose>> {
    Ok(period_closes::table
        .filter(period_closes::municipality.eq(municipality))
        .order(period_closes::through.asc())
        .select((
            period_closes::id,
            period_closes::through,
            period_closes::closed_by,
            period_closes::closed_at,
        ))
        .load(conn)?)
}
