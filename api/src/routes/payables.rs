//! Payables to families and the payments that settle them.
use super::{blocking, next_cursor, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::{idempotency_key, limit};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::pay_payables::PayPayables;
use ledger::commands::return_payment::ReturnPayment;
use ledger::read::payables::{
    self, FamilyPayable, PayableFilter, PayableStatus, PayableView, PaymentView,
};
use ledger::{Code, Ledger};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(payables_by_family)
        .service(list_payables)
        .service(pay)
        .service(return_payment);
}

#[derive(Deserialize, IntoParams)]
pub struct PayableQuery {
    /// `open`, `paid` or `cancelled`.
    #[param(value_type = Option<PayableStatus>)]
    pub status: Option<String>,
    pub case_id: Option<String>,

    /// Page size, 1-500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PayablePage {
    pub items: Vec<PayableView>,
    pub next: Option<String>,
}

problems!(ListPayablesProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
});

/// What the municipality owes families and payroll firms, ready to pay (roles `finance`,
/// `controller`, `admin`; a `payroll_firm` token sees only the payables addressed to it).
#[utoipa::path(tag = "payments", params(PayableQuery), security(("bearer" = [])), responses((status = 200, body = PayablePage), ListPayablesProblems))]
#[get("/v1/payables")]
pub async fn list_payables(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<PayableQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(PayableStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(Code::InvalidQuery, "status is open, paid or cancelled")
        })?),
    };
    let lim = limit(q.limit)?;
    let items = query(l, auth, move |tx, c| {
        let f = PayableFilter {
            status,
            case_id: q.case_id.as_deref(),
            payroll_firm: None,
            after: q.after.as_deref(),
            limit: lim,
        };
        payables::list(tx, c, &f)
    })
    .await?;
    let next = next_cursor(&items, lim, |p| p.id.clone());
    Ok(HttpResponse::Ok().json(PayablePage { items, next }))
}

#[derive(Serialize, ToSchema)]
pub struct FamilyPayableList {
    pub items: Vec<FamilyPayable>,
}

problems!(ByFamilyProblems {
    403 => [Forbidden],
});

/// Open payables summed per family (case): one line per family to pay, with the payables it settles.
#[utoipa::path(tag = "payments", security(("bearer" = [])), responses(
    (status = 200, body = FamilyPayableList),
    ByFamilyProblems,
))]
#[get("/v1/payables/by-family")]
pub async fn payables_by_family(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let items = query(l, auth, payables::by_family).await?;
    Ok(HttpResponse::Ok().json(FamilyPayableList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"payable_ids": ["01936f3e-…"], "paid_on": "2025-03-20", "bank_reference": "NETS-2025-03-20-001"}))]
pub struct Pay {
    #[schema(min_items = 1, max_items = 1000)]
    pub payable_ids: Vec<String>,
    pub paid_on: NaiveDate,
    #[schema(min_length = 1, max_length = 100)]
    pub bank_reference: String,
}

impl From<Pay> for PayPayables {
    fn from(b: Pay) -> Self {
        PayPayables {
            payable_ids: b.payable_ids,
            paid_on: b.paid_on,
            bank_reference: b.bank_reference,
        }
    }
}

problems!(PayProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [PayableNotFound],
    409 => [PayableAlreadyPaid, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, PeriodClosed, DuplicatePayables, InvalidPayables, InvalidBankReference, PaymentBeforeExpense, BalanceConstraintViolated, CprNumberNotAllowed],
});

/// Record that payables were paid (role `finance`; `Idempotency-Key`): books payable against bank.
#[utoipa::path(tag = "payments", params(("Idempotency-Key" = String, Header)), request_body = Pay, security(("bearer" = [])), responses(
    (status = 201, body = PaymentView),
    (status = 200, description = "Idempotent replay", body = PaymentView),
    PayProblems,
))]
#[post("/v1/payments")]
pub async fn pay(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<Pay>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = PayPayables::from(body.value);
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(r, StatusCode::CREATED))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"returned_on": "2025-03-24", "reason": "Account closed (bank return code AC04)"}))]
pub struct ReturnBody {
    /// The day the bank returned the transfer, not before it was paid.
    pub returned_on: NaiveDate,
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

problems!(ReturnPaymentProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [PaymentNotFound],
    409 => [PaymentAlreadyReturned, PaymentHasClawbacks, AlreadyReversed, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidReason, InvalidValue, PeriodClosed, BalanceConstraintViolated, CprNumberNotAllowed],
});

/// The bank returned a transfer (role `finance`; `Idempotency-Key`): the payment's entry is
/// reversed by a linked entry (on the first open date if its period is closed) and its payables
/// are open again.
#[utoipa::path(tag = "payments", params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = ReturnBody, security(("bearer" = [])), responses(
    (status = 200, body = PaymentView),
    ReturnPaymentProblems,
))]
#[post("/v1/payments/{id}/return")]
pub async fn return_payment(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ReturnBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = ReturnPayment {
        payment_id: id.into_inner(),
        returned_on: body.value.returned_on,
        reason: body.value.reason,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}
