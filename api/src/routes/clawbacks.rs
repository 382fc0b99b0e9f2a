//! Repayment claims on families (clawbacks) and the repayments received on them.
use super::{blocking, next_cursor, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::{idempotency_key, limit};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::record_repayment::RecordRepayment;
use ledger::read::clawbacks::{self, ClawbackView};
use ledger::{Code, Ledger, Money};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_clawbacks)
        .service(get_clawback)
        .service(repay);
}

#[derive(Deserialize, IntoParams)]
pub struct ClawbackQuery {
    /// `proposed`, `open`, `settled`, `waived` or `cancelled` (its settlement reopened).
    #[param(pattern = "^(proposed|open|settled|waived|cancelled)$")]
    pub status: Option<String>,
    pub case_id: Option<String>,
    /// Page size, 1-500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClawbackList {
    pub items: Vec<ClawbackView>,
    /// Cursor for the next page; null on the last page.
    pub next: Option<String>,
}

problems!(ListClawbacksProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
});

/// Repayment claims on families (roles `caseworker`, `finance`, `controller`, `admin`).
#[utoipa::path(tag = "clawbacks", params(ClawbackQuery), security(("bearer" = [])), responses((status = 200, body = ClawbackList), ListClawbacksProblems))]
#[get("/v1/clawbacks")]
pub async fn list_clawbacks(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<ClawbackQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    if let Some(s) = q.status.as_deref() {
        if !["proposed", "open", "settled", "waived", "cancelled"].contains(&s) {
            return Err(ApiError::bad_request(
                Code::InvalidQuery,
                "status is proposed, open, settled, waived or cancelled",
            ));
        }
    }
    let lim = limit(q.limit)?;
    let items = query(l, auth, move |tx, c| {
        let (s, case, after) = (
            q.status.as_deref(),
            q.case_id.as_deref(),
            q.after.as_deref(),
        );
        clawbacks::list(tx, c, s, case, after, lim)
    })
    .await?;
    let next = next_cursor(&items, lim, |c| c.id.clone());
    Ok(HttpResponse::Ok().json(ClawbackList { items, next }))
}

problems!(GetClawbackProblems {
    403 => [Forbidden],
    404 => [ClawbackNotFound],
});

/// One claim.
#[utoipa::path(tag = "clawbacks", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = ClawbackView), GetClawbackProblems))]
#[get("/v1/clawbacks/{id}")]
pub async fn get_clawback(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let c = query(l, auth, move |tx, c| clawbacks::get(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(c))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount": "500.00", "received_on": "2025-07-01", "bank_reference": "IN-2025-07-01-17"}))]
pub struct Repayment {
    pub amount: Money,
    pub received_on: NaiveDate,
    #[schema(min_length = 1, max_length = 100)]
    pub bank_reference: String,
}

problems!(RepayProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [ClawbackNotFound],
    409 => [VersionMismatch, ClaimNotDecided, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidAmount, RepaymentExceedsOutstanding, InvalidBankReference, PeriodClosed, CprNumberNotAllowed],
});

/// A repayment received on a claim (role `finance`; `Idempotency-Key`): booked against the bank;
/// the claim is settled when nothing is outstanding.
#[utoipa::path(tag = "clawbacks", params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = Repayment, security(("bearer" = [])), responses(
    (status = 201, body = ClawbackView),
    (status = 200, description = "Idempotent replay", body = ClawbackView),
    RepayProblems,
))]
#[post("/v1/clawbacks/{id}/repayments")]
pub async fn repay(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<Repayment>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let cmd = RecordRepayment {
        clawback_id: id.into_inner(),
        amount: b.amount,
        received_on: b.received_on,
        bank_reference: b.bank_reference,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(r, StatusCode::CREATED))
}
