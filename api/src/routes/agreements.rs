//! Fixed-amount agreements and their installments.
use super::{blocking, next_cursor, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::{idempotency_key, limit};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::make_agreement::{Frequency, MakeAgreement, Terms};
use ledger::commands::pay_installment::PayInstallment;
use ledger::read::installments::{self, InstallmentView};
use ledger::{Code, Ledger};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(make_agreement)
        .service(year_installments)
        .service(list_installments)
        .service(pay_installment);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"frequency": "monthly", "post_ids": ["01936f3e-…"], "family_agreed_on": "2025-02-01", "first_payment_date": "2025-02-03"}))]
pub struct AgreementBody {
    pub frequency: Frequency,
    /// The posts the fixed amount covers (the predictable ones); the others stay on documented
    /// reimbursement.
    #[schema(min_items = 1, max_items = 50)]
    pub post_ids: Vec<String>,
    /// The date the family agreed (the agreement is voluntary for both sides); required.
    pub family_agreed_on: Option<NaiveDate>,
    /// The first installment's due date, inside the budget year; may lie in the past.
    pub first_payment_date: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct InstallmentList {
    pub items: Vec<InstallmentView>,
    /// Cursor for the next page; null on the last page.
    pub next: Option<String>,
}

problems!(MakeAgreementProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
    409 => [AgreementExists, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, FamilyAgreementMissing, InvalidPost, PostNotGranted, PostHasExpenses, InvalidValue, RollingCapExceeded, RateMissing, RateInvalid],
});

/// Record a fixed-amount agreement (role `caseworker`; `Idempotency-Key`): the covered posts'
/// grants are prepaid in installments (monthly, half-yearly or yearly) over the budget year,
/// each post exactly its grant. Answers with the installments. The agreement is a decision.
#[utoipa::path(tag = "agreements", params(("id" = String, Path, description = "Budget year id"), ("Idempotency-Key" = String, Header)),
    request_body = AgreementBody, security(("bearer" = [])), responses(
    (status = 201, body = InstallmentList),
    (status = 200, description = "Idempotent replay", body = InstallmentList),
    MakeAgreementProblems,
))]
#[post("/v1/budget-years/{id}/agreement")]
pub async fn make_agreement(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<AgreementBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let cmd = MakeAgreement {
        year_id: id.into_inner(),
        terms: Terms {
            frequency: b.frequency,
            post_ids: b.post_ids,
            family_agreed_on: b.family_agreed_on,
            first_payment_date: b.first_payment_date,
        },
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    let status = if r.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut resp = HttpResponse::build(status);
    if r.replayed {
        resp.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(resp.json(InstallmentList {
        items: r.value,
        next: None,
    }))
}

problems!(YearInstallmentsProblems {
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
});

/// The installments of a budget year's agreement, with each post's share.
#[utoipa::path(tag = "agreements", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = InstallmentList), YearInstallmentsProblems))]
#[get("/v1/budget-years/{id}/installments")]
pub async fn year_installments(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = query(l, auth, move |tx, c| installments::of_year(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(InstallmentList { items, next: None }))
}

#[derive(Deserialize, IntoParams)]
pub struct InstallmentQuery {
    /// `due`, `paid` or `cancelled`.
    #[param(pattern = "^(due|paid|cancelled)$")]
    pub status: Option<String>,
    /// Only installments due on or before this date.
    pub until: Option<NaiveDate>,
    /// Page size, 1-500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub after: Option<String>,
}

problems!(ListInstallmentsProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
});

/// Installments to pay (roles `finance`, `controller`, `admin`): `?status=due&until=`.
#[utoipa::path(tag = "agreements", params(InstallmentQuery), security(("bearer" = [])), responses((status = 200, body = InstallmentList), ListInstallmentsProblems))]
#[get("/v1/installments")]
pub async fn list_installments(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<InstallmentQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    if let Some(s) = q.status.as_deref() {
        if !["due", "paid", "cancelled"].contains(&s) {
            return Err(ApiError::bad_request(
                Code::InvalidQuery,
                "status is due, paid or cancelled",
            ));
        }
    }
    let lim = limit(q.limit)?;
    let items = query(l, auth, move |tx, c| {
        installments::list(tx, c, q.status.as_deref(), q.until, q.after.as_deref(), lim)
    })
    .await?;
    let next = next_cursor(&items, lim, |i| i.id.clone());
    Ok(HttpResponse::Ok().json(InstallmentList { items, next }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"paid_on": "2025-02-03", "bank_reference": "NETS-2025-02-03-017"}))]
pub struct PayInstallmentBody {
    pub paid_on: NaiveDate,
    #[schema(min_length = 1, max_length = 100)]
    pub bank_reference: String,
}

problems!(PayInstallmentProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [InstallmentNotFound],
    409 => [InstallmentNotDue, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidValue, InvalidBankReference, PeriodClosed, CprNumberNotAllowed],
});

/// Pay an installment (role `finance`; `Idempotency-Key`): books the family's advance (1100)
/// against the bank.
#[utoipa::path(tag = "agreements", params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = PayInstallmentBody, security(("bearer" = [])), responses(
    (status = 200, body = InstallmentView),
    PayInstallmentProblems,
))]
#[post("/v1/installments/{id}/pay")]
pub async fn pay_installment(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<PayInstallmentBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = PayInstallment {
        installment_id: id.into_inner(),
        paid_on: body.value.paid_on,
        bank_reference: body.value.bank_reference,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}
