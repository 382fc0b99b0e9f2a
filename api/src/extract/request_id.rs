//! One span per request with the server's own request id (returned in `X-Request-Id`); a caller's
//! `X-Request-Id`, if it is a sane token, is kept beside it for correlation, never trusted as unique.
use crate::problem::ApiError;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use tracing::Instrument;

#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The caller's own `X-Request-Id`.
#[derive(Clone, Debug)]
pub struct ClientRequestId(pub String);

pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = uuid::Uuid::now_v7().to_string();
    let client = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 128
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string);
    req.extensions_mut().insert(RequestId(id.clone()));
    if let Some(c) = client {
        req.extensions_mut().insert(ClientRequestId(c));
    }
    // No database stores a NUL character; refuse it before any handler sees it.
    let uri = req.uri().to_string().to_ascii_lowercase();
    let query_problem = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .ok()
        .and_then(|pairs| {
            pairs
                .iter()
                .find_map(|(k, v)| super::text::text_problem(v).map(|w| format!("{k}: {w}")))
        });
    if uri.contains("%00") || query_problem.is_some() {
        let detail =
            query_problem.unwrap_or_else(|| "the path or query contains a NUL character".into());
        let e = ApiError::bad_request(ledger::Code::InvalidQuery, detail);
        return Ok(req.error_response(e).map_into_right_body());
    }
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let started = std::time::Instant::now();
    let res = next.call(req).instrument(span.clone()).await;
    let _e = span.enter();
    match res {
        Ok(res) => {
            let mut res = res.map_into_left_body();
            tracing::info!(
                status = res.status().as_u16(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "response"
            );
            if let Ok(v) = HeaderValue::from_str(&id) {
                res.headers_mut()
                    .insert(HeaderName::from_static("x-request-id"), v);
            }
            secure_headers(res.headers_mut());
            Ok(res)
        }
        Err(e) => {
            tracing::warn!(error = %e, "request failed");
            Err(e)
        }
    }
}

/// What a browser may do with a page of ours: no response is sniffed into another type, and an
/// HTML page (a letter, the API's own docs) runs no script and loads nothing from elsewhere
/// unless it says otherwise (a letter says less still: nothing but its own inline style).
fn secure_headers(h: &mut actix_web::http::header::HeaderMap) {
    use actix_web::http::header;
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCS_CSP),
        );
    }
}

/// The docs (Swagger UI) load their own scripts and styles, nothing else.
const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";
