//! Request bodies: size-limited, strictly parsed, every failure a problem naming the field.
use super::text::{duplicate_key, forbidden_text, Why};
use crate::problem::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use ledger::{Code, ErrorKind, FieldError};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;

pub const MAX_BODY: usize = 1024 * 1024;
/// The limit of the bulk endpoints (a batch of up to 10,000 entries).
pub const MAX_BULK_BODY: usize = 32 * 1024 * 1024;

/// A JSON body and the fingerprint of the request, for idempotency; at most `MAX` bytes.
pub struct JsonBody<T, const MAX: usize = MAX_BODY> {
    pub value: T,
    pub fingerprint: String,
}

/// Parses the body and also returns it in canonical form (keys sorted, no whitespace), so that
/// an idempotent retry is recognised whatever its formatting.
pub fn parse_canonical<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, String), ApiError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ApiError::bad_request(
            Code::InvalidJson,
            "the request needs a JSON body",
        ));
    }
    if let Some(key) = duplicate_key(bytes) {
        return Err(ledger::Refusal::bad_field(
            Code::DuplicateKey,
            &key,
            format!("the key {key:?} appears twice in one object; a body says each thing once"),
        )
        .into());
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(
            Code::InvalidJson,
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    if let Some((path, why)) = forbidden_text(&value, String::new()) {
        let code = match why {
            Why::Invisible(_) => Code::InvisibleCharacter,
            _ => Code::InvalidValue,
        };
        // An invisible character beyond the Basic Multilingual Plane (a tag character) is one
        // the OpenAPI pattern cannot name in every regex dialect (see `constraints::TEXT`): a
        // request the schema allows, refused by the rule, is 422, not 400.
        if matches!(why, Why::Invisible(c) if c as u32 > 0xFFFF) {
            return Err(ledger::Refusal::field(code, &path, why.to_string()).into());
        }
        return Err(ledger::Refusal::bad_field(code, &path, why.to_string()).into());
    }
    let canonical = value.to_string();
    // A caller's amounts are bounded (bookkeeping's MAX_INPUT), read back ones are not.
    ledger::money::as_input(|| serde_path_to_error::deserialize(value))
        .map(|v| (v, canonical))
        .map_err(typed_problem)
}

/// A typed-parse failure as a problem: the field path, and the code a deserializer put in
/// brackets (an amount that is not money, hours that are not a number).
fn typed_problem(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    // serde_json appends "at line 1 column 134": the field path says more.
    let msg = match inner.to_string() {
        m if m.contains(" at line ") && !inner.is_syntax() && !inner.is_eof() => {
            m[..m.rfind(" at line ").unwrap_or(m.len())].to_string()
        }
        m => m,
    };
    let (code, message) = if inner.is_syntax() || inner.is_eof() {
        (
            Code::InvalidJson,
            format!("the body is not valid JSON: {msg}"),
        )
    } else if let Some(rest) = msg.strip_prefix('[') {
        // A deserializer named its code in brackets (e.g. an amount that is not money).
        let (code, m) = rest.split_once("] ").unwrap_or(("invalid_value", rest));
        let code = match Code::parse(code) {
            Some(c @ (Code::InvalidAmount | Code::InvalidHours)) => c,
            _ => Code::InvalidValue,
        };
        (code, m.to_string())
    } else if msg.starts_with("unknown field") {
        (Code::UnknownField, msg.clone())
    } else if msg.starts_with("missing field") {
        (Code::MissingField, msg.clone())
    } else {
        (Code::InvalidValue, msg.clone())
    };
    let field = if path == "." {
        field_of(&msg).unwrap_or_default()
    } else {
        path
    };
    let field = if code == Code::UnknownField || code == Code::MissingField {
        let name = field_of(&msg).unwrap_or_default();
        if field.is_empty() || field == name {
            name
        } else {
            format!("{field}.{name}")
        }
    } else {
        field
    };
    let detail = if field.is_empty() {
        message.clone()
    } else {
        format!("{field}: {message}")
    };
    let mut err = ledger::Refusal::new(ErrorKind::BadRequest, code, detail);
    err.errors.push(FieldError {
        field,
        code,
        message,
    });
    ApiError::from(err)
}

/// The name in backticks in serde's "unknown field `x`" / "missing field `x`".
fn field_of(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = msg[start..].find('`')? + start;
    Some(msg[start..end].to_string())
}

pub fn fingerprint(req: &HttpRequest, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(req.method().as_str().as_bytes());
    h.update(b" ");
    h.update(req.path().as_bytes());
    h.update(b"\n");
    h.update(bytes);
    format!("{:x}", h.finalize())
}

/// A body is JSON: a request that says its body is something else is refused (415). A request
/// that says nothing about its body's type is read as JSON.
fn check_media_type(req: &HttpRequest, bytes: &[u8]) -> Result<(), ApiError> {
    let Some(ct) = req.headers().get("content-type") else {
        return Ok(());
    };
    let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim();
    let json = essence == "application/json" || essence.ends_with("+json");
    // JSON is UTF-8 (RFC 8259 § 8.1): a body said to be in another charset is not read as if
    // it were UTF-8.
    let charset = ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset").then(|| v.trim().trim_matches('"').to_string())
    });
    if let Some(cs) = charset.filter(|cs| cs != "utf-8" && cs != "utf8") {
        return Err(ApiError::new(
            ErrorKind::UnsupportedMediaType,
            Code::UnsupportedMediaType,
            format!("a JSON body is UTF-8, not charset {cs:?}"),
        ));
    }
    if json || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorKind::UnsupportedMediaType,
        Code::UnsupportedMediaType,
        format!("the body must be application/json, not {essence:?}"),
    ))
}

/// The body of a request that takes JSON: at most `max` bytes, and JSON if it says what it is.
async fn read_json(
    req: &HttpRequest,
    payload: &mut Payload,
    max: usize,
) -> Result<Vec<u8>, ApiError> {
    let bytes = read_limited(req, payload, max).await?;
    check_media_type(req, &bytes)?;
    Ok(bytes)
}

async fn read_limited(
    req: &HttpRequest,
    payload: &mut Payload,
    max: usize,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorKind::PayloadTooLarge,
            Code::PayloadTooLarge,
            format!("the request body is larger than {max} bytes"),
        )
    };
    if let Some(len) = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if len > max {
            return Err(too_large());
        }
    }
    let mut buf = Vec::new();
    while let Some(chunk) = next_chunk(payload).await? {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(
                Code::InvalidBody,
                format!("the body could not be read: {e}"),
            )
        })?;
        if buf.len() + chunk.len() > max {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// How long a body may pause: as long as the head may take to arrive (the server's client
/// request time-out). A body that stalls (`Content-Length: 500`, 14 bytes sent) would otherwise
/// hold its connection and a worker for minutes.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The body's next chunk, or 408 when none comes within `BODY_TIMEOUT`.
pub async fn next_chunk<S: futures_util::Stream + Unpin>(
    body: &mut S,
) -> Result<Option<S::Item>, ApiError> {
    actix_web::rt::time::timeout(BODY_TIMEOUT, body.next())
        .await
        .map_err(|_| body_timeout())
}

/// A body that stopped arriving: 408, and the connection is closed.
pub fn body_timeout() -> ApiError {
    ApiError::new(
        ErrorKind::RequestTimeout,
        Code::RequestTimeout,
        format!(
            "the request body stopped arriving: nothing for {} s",
            BODY_TIMEOUT.as_secs()
        ),
    )
}

impl<T: DeserializeOwned + 'static, const MAX: usize> FromRequest for JsonBody<T, MAX> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let bytes = read_json(&req, &mut payload, MAX).await?;
            let (value, canonical) = parse_canonical::<T>(&bytes)?;
            Ok(JsonBody {
                value,
                fingerprint: fingerprint(&req, canonical.as_bytes()),
            })
        })
    }
}

/// A body that may be absent (an action with optional parameters).
pub struct OptionalJsonBody<T> {
    pub value: Option<T>,
    pub fingerprint: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let bytes = read_json(&req, &mut payload, MAX_BODY).await?;
            // No body, or a JSON null (what the schema's optional body allows), is no body.
            let empty = bytes.iter().all(|b| b.is_ascii_whitespace())
                || std::str::from_utf8(&bytes).is_ok_and(|t| t.trim() == "null");
            let (value, canonical) = if empty {
                (None, String::new())
            } else {
                let (v, c) = parse_canonical::<T>(&bytes)?;
                (Some(v), c)
            };
            Ok(OptionalJsonBody {
                value,
                fingerprint: fingerprint(&req, canonical.as_bytes()),
            })
        })
    }
}
