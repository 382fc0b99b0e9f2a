//! Routing, and the small helpers every handler shares.
pub mod health;
pub mod home_training;
pub mod ledger_routes;

use crate::problem::{ApiError, ApiResult};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use ledger::service::{IdempotencyKey, Recorded};
use serde::Serialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::health).service(health::ready);
    ledger_routes::configure(cfg);
    home_training::configure(cfg);
}

/// Unknown paths are 404; a known path with another method is 405 with `Allow`.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    let allowed = allowed_methods(req.path());
    if allowed.is_empty() {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no endpoint {} {}", req.method(), req.path()),
        )
        .error_response();
    }
    let allow = allowed.join(", ");
    let mut resp = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} {} is not supported; this path allows {allow}",
            req.method(),
            req.path()
        ),
    )
    .error_response();
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allow) {
        resp.headers_mut().insert(actix_web::http::header::ALLOW, v);
    }
    resp
}

/// The methods the OpenAPI document lists for the path template matching `path`.
fn allowed_methods(path: &str) -> Vec<String> {
    use std::sync::OnceLock;
    static ROUTES: OnceLock<Vec<(Vec<String>, Vec<String>)>> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        let spec = serde_json::to_value(<crate::openapi::ApiDoc as utoipa::OpenApi>::openapi())
            .unwrap_or_default();
        spec["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .iter()
                    .map(|(template, item)| {
                        let segments = template.split('/').map(str::to_string).collect();
                        let methods = item
                            .as_object()
                            .map(|m| m.keys().map(|k| k.to_uppercase()).collect())
                            .unwrap_or_default();
                        (segments, methods)
                    })
                    .collect()
            })
            .unwrap_or_default()
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
        Err(e) => Err(ApiError(ledger::Error::internal(format!(
            "worker failed: {e}"
        )))),
    }
}

pub fn idempotency_key(req: &HttpRequest, fingerprint: &str) -> ApiResult<IdempotencyKey> {
    let invalid = || {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_idempotency_key",
            "the Idempotency-Key is 1-255 visible ASCII characters",
        )
    };
    let key = match req.headers().get("idempotency-key") {
        None => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "idempotency_key_required",
                "money-moving requests need an Idempotency-Key header (a unique string per intended effect, at most 255 characters)",
            ))
        }
        Some(v) => v.to_str().map_err(|_| invalid())?.trim(),
    };
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid());
    }
    Ok(IdempotencyKey {
        key: key.to_string(),
        request_hash: fingerprint.to_string(),
    })
}

/// A recorded response: 201 (or the first status) the first time, 200 on a replay.
pub fn recorded(r: Recorded) -> HttpResponse {
    let status = if r.replayed {
        StatusCode::OK
    } else {
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK)
    };
    let mut b = HttpResponse::build(status);
    b.content_type("application/json");
    if r.replayed {
        b.insert_header(("Idempotent-Replayed", "true"));
    }
    b.body(r.body)
}

pub fn created<T: Serialize>(v: &T) -> HttpResponse {
    HttpResponse::Created().json(v)
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

pub fn limit(l: Option<i64>) -> ApiResult<i64> {
    match l {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("limit must be between 1 and {MAX_LIMIT}"),
        )),
    }
}
