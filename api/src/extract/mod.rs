//! What a request carries besides its path: the caller, the body, the request id, the
//! idempotency key and the version a decision was made on.
pub mod auth;
pub mod body;
pub mod request_id;
pub mod text;
pub mod whole;

use crate::problem::{ApiError, ApiResult};
use actix_web::HttpRequest;
use ledger::{Code, ErrorKind, IdempotencyKey};

fn key_header(req: &HttpRequest) -> ApiResult<Option<String>> {
    let invalid = || {
        ApiError::bad_request(
            Code::InvalidIdempotencyKey,
            "the Idempotency-Key is 1-255 visible ASCII characters",
        )
    };
    let Some(v) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = v.to_str().map_err(|_| invalid())?.trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid());
    }
    Ok(Some(key.to_string()))
}

/// The `Idempotency-Key` every money-moving request must carry.
pub fn idempotency_key(req: &HttpRequest, fingerprint: &str) -> ApiResult<IdempotencyKey> {
    let key = key_header(req)?.ok_or_else(|| {
        ApiError::bad_request(
            Code::IdempotencyKeyRequired,
            "money-moving requests need an Idempotency-Key header (a unique string per intended effect, at most 255 characters)",
        )
    })?;
    Ok(IdempotencyKey {
        key,
        request_hash: fingerprint.to_string(),
    })
}

/// An `Idempotency-Key` when the caller gives one (decisions that are not themselves payments).
pub fn optional_key(req: &HttpRequest, fingerprint: &str) -> ApiResult<Option<IdempotencyKey>> {
    Ok(key_header(req)?.map(|key| IdempotencyKey {
        key,
        request_hash: fingerprint.to_string(),
    }))
}

/// The version a decision was made on, from `If-Match` (required).
pub fn if_match(req: &HttpRequest) -> ApiResult<i32> {
    if_match_of(req, "the budget year's")
}

/// The version of `whose` ETag a change was made on, from `If-Match` (required).
pub fn if_match_of(req: &HttpRequest, whose: &str) -> ApiResult<i32> {
    let v = req
        .headers()
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                ErrorKind::PreconditionRequired,
                Code::PreconditionRequired,
                format!("the change needs If-Match with {whose} ETag (its version)"),
            )
        })?;
    v.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| {
            ApiError::bad_request(
                Code::InvalidIfMatch,
                format!("If-Match must be {whose} ETag, e.g. \"1\""),
            )
        })
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// A page size: 1-500, 50 when not given.
pub fn limit(l: Option<i64>) -> ApiResult<i64> {
    match l {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_request(
            Code::InvalidQuery,
            format!("limit must be between 1 and {MAX_LIMIT}"),
        )),
    }
}
