//! Idempotency keys: the response of a money-moving request, recorded with its effect.
use super::schema::idempotency_keys;
use super::{now, DbConnection, StoreResult};
use diesel::prelude::*;

/// What a key recorded: the fingerprint of the request and the response it got.
pub struct Recorded {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

pub fn lookup(
    conn: &mut DbConnection,
    municipality: &str,
    key: &str,
) -> StoreResult<Option<Recorded>> {
    let row: Option<(String, i32, String)> = idempotency_keys::table
        .filter(idempotency_keys::municipality.eq(municipality))
        .filter(idempotency_keys::key.eq(key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status,
            idempotency_keys::response,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(request_hash, status, body)| Recorded {
        request_hash,
        status: status as u16,
        body,
    }))
}

/// Records the response in the same transaction as the effect. A concurrent twin fails on the
/// primary key and is rolled back, then finds this record.
pub fn record(
    conn: &mut DbConnection,
    municipality: &str,
    key: &str,
    r: &Recorded,
) -> StoreResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::municipality.eq(municipality),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(&r.request_hash),
            idempotency_keys::status.eq(r.status as i32),
            idempotency_keys::response.eq(&r.body),
            idempotency_keys::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
