//! Liveness and readiness: no token needed.
use crate::problem::{ApiError, ApiResult};
use actix_web::{get, web, HttpResponse};
use ledger::Ledger;
use ledger::{Code, ErrorKind};
use serde_json::json;

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Up", example = json!({"status": "ok"}))))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers and every migration is applied.
#[utoipa::path(tag = "health", responses(
    (status = 200, description = "Ready", example = json!({"status": "ready"})),
    (status = 503, description = "`not_ready`: database unreachable or migrations pending", body = crate::problem::Problem, content_type = "application/problem+json"),
))]
#[get("/ready")]
pub async fn ready(ledger: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let l = ledger.clone();
    if let Err(e) = super::blocking(move || l.ready()).await {
        tracing::warn!(error = %e, "not ready");
        let detail = "the database is unreachable or migrations are pending";
        return Err(ApiError::new(
            ErrorKind::Unavailable,
            Code::NotReady,
            detail,
        ));
    }
    Ok(HttpResponse::Ok().json(json!({ "status": "ready", "backend": ledger.backend_name() })))
}
