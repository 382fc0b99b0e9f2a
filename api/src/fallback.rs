//! What answers a request no route takes: 404, or 405 with `Allow` for a known path.
use crate::problem::ApiError;
use actix_web::http::header::{HeaderValue, ALLOW};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use ledger::{Code, ErrorKind};

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
