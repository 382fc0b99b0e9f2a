//! Period closes: a municipality's books closed through a date, for good.
use super::schema::{municipalities, period_closes};
use super::{DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Text;

/// The last closed date, as committed when this statement starts.
///
/// Why no lock is needed here: `journal::post` reads this only after its UPDATEs have locked the
/// entry's account rows, and a close first locks every account row of the municipality. So
/// either the posting holds its rows first (the close waits for it to commit, and the posting
/// was booked before the close), or the close does (the posting's UPDATE waits, and its later
/// read sees the close). Every entry touches at least one account that existed before the close.
pub fn closed_through(
    conn: &mut DbConnection,
    municipality: &str,
) -> StoreResult<Option<NaiveDate>> {
    Ok(municipalities::table
        .filter(municipalities::code.eq(municipality))
        .select(municipalities::closed_through)
        .first::<Option<NaiveDate>>(conn)
        .optional()?
        .flatten())
}

/// Waits for every posting in flight in the municipality and holds back new ones (PostgreSQL;
/// on SQLite the write transaction already excludes every other writer). Rows are locked in id
/// order, the order postings lock them in, so a close and a posting cannot deadlock.
pub fn lock_all_accounts(conn: &mut DbConnection, municipality: &str) -> StoreResult<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query(
            "SELECT id FROM accounts WHERE municipality = $1 ORDER BY id COLLATE \"C\" FOR UPDATE",
        )
        .bind::<Text, _>(municipality)
        .execute(pg)?;
    }
    Ok(())
}

#[derive(Queryable, Clone, Debug)]
pub struct CloseRow {
    pub id: String,
    pub through: NaiveDate,
    pub closed_by: String,
    pub closed_at: NaiveDateTime,
}

pub fn record_close(
    conn: &mut DbConnection,
    municipality: &str,
    row: &CloseRow,
) -> StoreResult<()> {
    diesel::update(municipalities::table.filter(municipalities::code.eq(municipality)))
        .set(municipalities::closed_through.eq(Some(row.through)))
        .execute(conn)?;
    diesel::insert_into(period_closes::table)
        .values((
            period_closes::id.eq(&row.id),
            period_closes::municipality.eq(municipality),
            period_closes::through.eq(row.through),
            period_closes::closed_by.eq(&row.closed_by),
            period_closes::closed_at.eq(row.closed_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn list(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<CloseRow>> {
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
