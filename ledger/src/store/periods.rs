//! Period close: a municipality's books are closed through a date, for good.
use super::schema::{municipalities, period_closes};
use super::{new_id, now, DbConnection};
use crate::error::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use serde::Serialize;

#[derive(QueryableByName)]
struct ClosedThrough {
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    closed_through: Option<NaiveDate>,
}

/// The last closed date. On PostgreSQL the row is share-locked for the rest of the transaction,
/// so a concurrent close waits until this entry has committed (and entries wait for a close).
pub fn closed_through(conn: &mut DbConnection, municipality: &str) -> Result<Option<NaiveDate>> {
    match conn {
        DbConnection::Pg(pg) => {
            let rows: Vec<ClosedThrough> = diesel::sql_query(
                "SELECT closed_through FROM municipalities WHERE code = $1 FOR SHARE",
            )
            .bind::<Text, _>(municipality)
            .load(pg)?;
            Ok(rows.into_iter().next().and_then(|r| r.closed_through))
        }
        DbConnection::Sqlite(_) => Ok(municipalities::table
            .filter(municipalities::code.eq(municipality))
            .select(municipalities::closed_through)
            .first::<Option<NaiveDate>>(conn)
            .optional()?
            .flatten()),
    }
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
    let current = match conn {
        DbConnection::Pg(pg) => {
            let rows: Vec<ClosedThrough> = diesel::sql_query(
                "SELECT closed_through FROM municipalities WHERE code = $1 FOR UPDATE",
            )
            .bind::<Text, _>(municipality)
            .load(pg)?;
            rows.into_iter().next().and_then(|r| r.closed_through)
        }
        DbConnection::Sqlite(_) => closed_through(conn, municipality)?,
    };
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
