//! Period closes: a municipality's books closed through a date, for good.
use super::schema::{municipalities, period_closes};
use super::{DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Text;

/// The last closed date, as committed when this statement starts. A posting reads it under the
/// shared period fence, which a close takes exclusively, so the two are always in one order.
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

/// The advisory-lock key of a municipality's period fence.
pub(crate) fn fence_key(municipality: &str) -> i64 {
    // FNV-1a of the code: stable across processes and versions.
    let h = municipality.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    });
    (h >> 1) as i64
}

/// The period fence, shared: a posting holds it until it commits, so a close cannot slip in
/// between its period check and its commit (PostgreSQL; SQLite has one writer at a time).
pub fn fence_for_posting(conn: &mut DbConnection, municipality: &str) -> StoreResult<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock_shared($1)")
            .bind::<diesel::sql_types::BigInt, _>(fence_key(municipality))
            .execute(pg)?;
    }
    Ok(())
}

/// The period fence, exclusive: a close waits for every posting in flight and holds back new
/// ones until it commits; the postings that follow see the close.
pub fn fence_for_close(conn: &mut DbConnection, municipality: &str) -> StoreResult<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(fence_key(municipality))
            .execute(pg)?;
    }
    Ok(())
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
