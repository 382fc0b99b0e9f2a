use crate::problem::ApiResult;
use actix_web::{get, web, HttpResponse};
use ledger::Ledger;
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
    (status = 500, description = "Database unreachable or migrations pending", body = crate::problem::Problem, content_type = "application/problem+json"),
))]
#[get("/ready")]
pub async fn ready(ledger: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let l = ledger.clone();
    super::blocking(move || l.store.ready()).await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ready", "backend": format!("{:?}", ledger.store.backend()).to_lowercase() })))
}
