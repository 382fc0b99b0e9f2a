//! Routing: every route is registered with its OpenAPI entry from one list, so the two cannot
//! diverge; and the small helpers every handler shares.
pub mod accounts;
pub mod budget_years;
pub mod cases;
pub mod expenses;
pub mod health;
pub mod journal;
pub mod payables;
pub mod periods;
pub mod rates;
pub mod reports;

use crate::problem::{ApiError, ApiResult};
use actix_web::http::header::{HeaderValue, ALLOW, ETAG};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use ledger::{Code, ErrorKind, Recorded};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

/// The one list of routes (each handler carries its OpenAPI entry).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health).service(health::ready);
    accounts::configure(cfg);
    journal::configure(cfg);
    periods::configure(cfg);
    reports::configure(cfg);
    rates::configure(cfg);
    cases::configure(cfg);
    budget_years::configure(cfg);
    expenses::configure(cfg);
    payables::configure(cfg);
}

/// Unknown paths are 404; a known path with another method is 405 with `Allow`.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    let allowed = allowed_methods(req.path());
    if allowed.is_empty() {
        let detail = format!("no endpoint {} {}", req.method(), req.path());
        return ApiError::new(ErrorKind::NotFound, Code::NotFound, detail).error_response();
    }
    let allow = allowed.join(", ");
    let detail = format!(
        "{} {} is not supported; this path allows {allow}",
        req.method(),
        req.path()
    );
    let mut resp =
        ApiError::new(ErrorKind::MethodNotAllowed, Code::MethodNotAllowed, detail).error_response();
    if let Ok(v) = HeaderValue::from_str(&allow) {
        resp.headers_mut().insert(ALLOW, v);
    }
    resp
}

/// The methods the OpenAPI document lists for the path template matching `path`.
fn allowed_methods(path: &str) -> Vec<String> {
    use std::sync::OnceLock;
    static ROUTES: OnceLock<Vec<(Vec<String>, Vec<String>)>> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        crate::openapi::document()
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.split('/').map(str::to_string).collect();
                let methods = serde_json::to_value(item)
                    .ok()
                    .and_then(|v| {
                        v.as_object()
                            .map(|m| m.keys().map(|k| k.to_uppercase()).collect())
                    })
                    .unwrap_or_default();
                (segments, methods)
            })
            .collect()
    });
    let parts: Vec<&str> = path.split('/').collect();
    routes
        .iter()
        .filter(|(segments, _)| {
            segments.len() == parts.len()
                && segments
                    .iter()
                    .zip(&parts)
                    .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
        })
        .flat_map(|(_, methods)| methods.clone())
        .collect()
}

/// Runs blocking ledger work off the actix workers.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ledger::Result<T> + Send + 'static,
) -> ApiResult<T> {
    match web::block(f).await {
        Ok(r) => r.map_err(ApiError),
        Err(e) => Err(ApiError::internal(format!("worker failed: {e}"))),
    }
}

/// A recorded response: `status` the first time; 200 with `Idempotent-Replayed` on a replay.
pub fn recorded<T: Serialize>(r: Recorded<T>, status: StatusCode) -> HttpResponse {
    let mut b = HttpResponse::build(if r.replayed { StatusCode::OK } else { status });
    if r.replayed {
        b.insert_header(("Idempotent-Replayed", "true"));
    }
    b.json(r.value)
}

pub fn created<T: Serialize>(v: &T) -> HttpResponse {
    HttpResponse::Created().json(v)
}

/// Adds the `ETag` of a versioned resource.
pub fn with_etag(mut resp: HttpResponse, version: i32) -> HttpResponse {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        resp.headers_mut().insert(ETAG, v);
    }
    resp
}

/// The `next` cursor of a page: the last item's key when the page is full.
pub fn next_cursor<T>(items: &[T], limit: i64, key: impl Fn(&T) -> String) -> Option<String> {
    (items.len() == limit as usize)
        .then(|| items.last().map(key))
        .flatten()
}
