//! Idempotency keys: a money-moving request done once, whatever the retries.
use super::schema::idempotency_keys;
use super::{now, DbConnection};
use crate::error::{Error, Result};
use diesel::prelude::*;

/// What a key already recorded.
pub enum Recorded {
    /// The same request: answer with the first response.
    Replay { status: u16, body: String },
}

/// Looks the key up. The same key with another request is a conflict.
pub fn lookup(
    conn: &mut DbConnection,
    municipality: &str,
    key: &str,
    hash: &str,
) -> Result<Option<Recorded>> {
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
    match row {
        None => Ok(None),
        Some((h, status, body)) if h == hash => Ok(Some(Recorded::Replay { status: status as u16, body })),
        Some(_) => Err(Error::conflict(
            "idempotency_key_reused",
            format!("the Idempotency-Key {key:?} was already used for a different request; use a new key for a new request"),
        )),
    }
}

/// Records the response in the same transaction as the effect. A concurrent twin fails on the
/// primary key and is rolled back, then finds this record.
pub fn record(
    conn: &mut DbConnection,
    municipality: &str,
    key: &str,
    hash: &str,
    status: u16,
    body: &str,
) -> Result<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::municipality.eq(municipality),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::status.eq(status as i32),
            idempotency_keys::response.eq(body),
            idempotency_keys::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
