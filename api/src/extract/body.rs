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

/// The years a business date may fall in: wide enough for any child's birth date and any budget,
/// narrow enough to catch typos such as 0025 or 20025.
pub const YEARS: std::ops::RangeInclusive<u32> = 1900..=2199;

/// Why a text is refused before typed parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// A NUL or other control character, or a bidirectional override (text that displays
    /// differently from what it says).
    Control,
    /// A character that prints as nothing (Unicode format characters, line and paragraph
    /// separators, tag characters): "DUP-1" and "DUP-1\u{200b}" look the same and would be two
    /// references.
    Invisible(char),
    /// A date not written exactly YYYY-MM-DD, or outside `YEARS` (chrono also accepts
    /// "2024-1-1", surrounding spaces, signed and five-digit years).
    Date,
    /// A month not written exactly YYYY-MM within `YEARS`.
    Month,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Control => {
                f.write_str("text may not contain control characters or bidirectional overrides")
            }
            Why::Invisible(c) => write!(
                f,
                "text may not contain invisible characters: U+{:04X} prints as nothing",
                *c as u32
            ),
            Why::Date => {
                f.write_str("dates are written exactly YYYY-MM-DD, with a year from 1900 to 2199")
            }
            Why::Month => {
                f.write_str("months are written exactly YYYY-MM, with a year from 1900 to 2199")
            }
        }
    }
}

/// Why a text is refused before typed parsing (see `Why`), if it is.
pub fn text_problem(s: &str) -> Option<Why> {
    if s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    }) {
        return Some(Why::Control);
    }
    if let Some(c) = ledger::normal_form::invisible(s) {
        return Some(Why::Invisible(c));
    }
    let t = s.trim();
    if is_loose_date(t) {
        let exact = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        let year_ok = s[..4].parse::<u32>().is_ok_and(|y| YEARS.contains(&y));
        if !(exact && year_ok) {
            return Some(Why::Date);
        }
    } else if is_signed_date(t) {
        return Some(Why::Date);
    }
    if is_month(t) {
        let exact = s.len() == 7;
        let year_ok = s
            .get(..4)
            .and_then(|y| y.parse::<u32>().ok())
            .is_some_and(|y| YEARS.contains(&y));
        if !(exact && year_ok) {
            return Some(Why::Month);
        }
    }
    None
}

/// Digits, a dash, digits, a dash, digits, with 1-5 digits in the year and 1-2 in the month
/// and day: something meant as a date, to be written exactly.
fn is_loose_date(t: &str) -> bool {
    let parts: Vec<&str> = t.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && (1..=5).contains(&parts[0].len())
        && parts[1].len() <= 2
        && parts[2].len() <= 2
}

/// A date with a sign, such as "+2024-01-01" or "-0001-01-01".
fn is_signed_date(t: &str) -> bool {
    t.strip_prefix(['+', '-']).is_some_and(is_loose_date)
}

/// Four digits, a dash and two digits: a month such as a payroll run's "2024-05".
fn is_month(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// The first key that appears twice in one object, if any: serde_json keeps the last, so
/// `{"debit":"1.00","debit":"7.00"}` would book 7.00 while a reader of the body sees 1.00.
fn duplicate_key(bytes: &[u8]) -> Option<String> {
    use serde::de::{Deserializer, Error, MapAccess, SeqAccess, Visitor};
    struct Unique;
    impl<'de> serde::Deserialize<'de> for Unique {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Unique)
        }
    }
    impl<'de> Visitor<'de> for Unique {
        type Value = Unique;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Unique, A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(k) = m.next_key::<String>()? {
                if !seen.insert(k.clone()) {
                    return Err(A::Error::custom(format!("\u{0}{k}")));
                }
                m.next_value::<Unique>()?;
            }
            Ok(Unique)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Unique, A::Error> {
            while s.next_element::<Unique>()?.is_some() {}
            Ok(Unique)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_unit<E>(self) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_none<E>(self) -> Result<Unique, E> {
            Ok(Unique)
        }
    }
    match serde_json::from_slice::<Unique>(bytes) {
        // The key is marked by a NUL, which no JSON text can hold unescaped in an error of ours.
        Err(e) => {
            let m = e.to_string();
            let start = m.find('\u{0}')? + 1;
            let end = m.rfind(" at line ").unwrap_or(m.len());
            Some(m[start..end.max(start)].to_string())
        }
        Ok(_) => None,
    }
}

/// The path of the first string (or key) that `text_problem` refuses.
fn forbidden_text(v: &serde_json::Value, path: String) -> Option<(String, Why)> {
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
