//! Request bodies: size-limited, strictly parsed, every failure a problem naming the field.
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
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(
            Code::InvalidJson,
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    if let Some((path, why)) = forbidden_text(&value, String::new()) {
        return Err(ledger::Refusal::bad_field(Code::InvalidValue, &path, why).into());
    }
    let canonical = value.to_string();
    serde_path_to_error::deserialize(value)
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

/// The years a business date may fall in: wide enough for any child's birth date and any budget,
/// narrow enough to catch typos such as 0025 or 20025.
pub const YEARS: std::ops::RangeInclusive<u32> = 1900..=2199;

/// Why a text is refused before typed parsing: a NUL or other control character, a bidirectional
/// override (text that displays differently from what it says), or a date outside `YEARS`
/// (chrono also accepts signed and five-digit years; the books have no use for them).
pub fn text_problem(s: &str) -> Option<&'static str> {
    if s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    }) {
        return Some("text may not contain control characters or bidirectional overrides");
    }
    let t = s.trim_start_matches(['+', '-']);
    let signed = t.len() != s.len();
    if let Some((year, rest)) = t.split_once('-') {
        let b = rest.as_bytes();
        let date_like = !year.is_empty()
            && year.bytes().all(|c| c.is_ascii_digit())
            && b.len() == 5
            && b[2] == b'-'
            && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
        let in_range = year.len() == 4 && year.parse::<u32>().is_ok_and(|y| YEARS.contains(&y));
        if date_like && (signed || !in_range) {
            return Some("dates are YYYY-MM-DD with a year from 1900 to 2199");
        }
    }
    None
}

/// The path of the first string (or key) that `text_problem` refuses.
fn forbidden_text(v: &serde_json::Value, path: String) -> Option<(String, &'static str)> {
    use serde_json::Value;
    match v {
        Value::String(s) => text_problem(s).map(|w| (path, w)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| forbidden_text(x, format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            match text_problem(k) {
                Some(w) => Some((p, w)),
                None => forbidden_text(x, p),
            }
        }),
        _ => None,
    }
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
    while let Some(chunk) = payload.next().await {
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
