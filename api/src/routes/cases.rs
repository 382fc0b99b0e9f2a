//! Home-training cases: register, list, read, end.
use super::{blocking, created, next_cursor, query};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::limit;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::end_case::EndCase as End;
use ledger::commands::register_case::{NewCase, RegisterCase, Scope};
use ledger::commands::set_payee::{Payee, SetPayee};
use ledger::read::cases::{self, Case};
use ledger::Ledger;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_case)
        .service(list_cases)
        .service(get_case)
        .service(end_case)
        .service(set_payee);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"external_ref": "SAG-2025-0042", "child_birth_date": "2019-04-12", "application_date": "2025-01-06", "approval_date": "2025-02-03", "scope": "full"}))]
pub struct CreateCase {
    /// The case system's reference, unique per municipality. A CPR number is refused.
    #[schema(min_length = 1, max_length = 64)]
    pub external_ref: String,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: Scope,
}

impl From<CreateCase> for RegisterCase {
    fn from(b: CreateCase) -> Self {
        RegisterCase(NewCase {
            external_ref: b.external_ref,
            child_birth_date: b.child_birth_date,
            application_date: b.application_date,
            approval_date: b.approval_date,
            scope: b.scope,
        })
    }
}

problems!(CreateCaseProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue],
    408 => [RequestTimeout],
    403 => [Forbidden],
    409 => [CaseRefTaken],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, CprNumberNotAllowed, InvalidExternalRef, InvalidBirthDate, ChildOver18, InvalidApprovalDate, ApprovalInFuture],
});

/// Register an approved home-training case (role `caseworker`).
#[utoipa::path(tag = "cases", request_body = CreateCase, security(("bearer" = [])), responses(
    (status = 201, body = Case),
    CreateCaseProblems,
))]
#[post("/v1/cases")]
pub async fn create_case(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<CreateCase>,
) -> ApiResult<HttpResponse> {
    let cmd = RegisterCase::from(body.value);
    Ok(created(&blocking(move || l.execute(&auth.0, &cmd)).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct CaseQuery {
    pub external_ref: Option<String>,

    /// Page size, 1-500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<Case>,
    pub next: Option<String>,
}

problems!(ListCasesProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
});

/// The municipality's cases.
#[utoipa::path(tag = "cases", params(CaseQuery), security(("bearer" = [])), responses((status = 200, body = CasePage), ListCasesProblems))]
#[get("/v1/cases")]
pub async fn list_cases(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<CaseQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let lim = limit(q.limit)?;
    let items = query(l, auth, move |tx, c| {
        cases::list(tx, c, q.external_ref.as_deref(), q.after.as_deref(), lim)
    })
    .await?;
    let next = next_cursor(&items, lim, |c| c.id.clone());
    Ok(HttpResponse::Ok().json(CasePage { items, next }))
}

problems!(GetCaseProblems {
    403 => [Forbidden],
    404 => [CaseNotFound],
});

/// One case.
#[utoipa::path(tag = "cases", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = Case),
    GetCaseProblems,
))]
#[get("/v1/cases/{id}")]
pub async fn get_case(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let c = query(l, auth, move |tx, c| cases::get(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(c))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2025-09-30", "reason": "The parents end the home training (ophør)"}))]
pub struct EndCase {
    /// The last day of the scheme; nothing may be booked on the case for later dates.
    pub end_date: NaiveDate,
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

problems!(EndCaseProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [CaseNotFound],
    409 => [CaseAlreadyEnded],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidEndDate, CaseHasLaterBookings, InvalidReason, CprNumberNotAllowed],
});

/// End a case (ophør, role `caseworker`).
#[utoipa::path(tag = "cases", params(("id" = String, Path)), request_body = EndCase, security(("bearer" = [])), responses(
    (status = 200, body = Case),
    EndCaseProblems,
))]
#[post("/v1/cases/{id}/end")]
pub async fn end_case(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<EndCase>,
) -> ApiResult<HttpResponse> {
    let b = body.value;
    let cmd = End {
        case_id: id.into_inner(),
        end_date: b.end_date,
        reason: b.reason,
    };
    Ok(HttpResponse::Ok().json(blocking(move || l.execute(&auth.0, &cmd)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"payee": "payroll_firm", "payroll_firm": "loenadm-aps"}))]
pub struct PayeeBody {
    /// Who helper-trainer wages (and the firm's fee) are paid to.
    #[schema(example = "payroll_firm")]
    pub payee: Payee,
    /// The payroll-administration firm: the subject (`sub`) of its tokens, so it can read the
    /// payables addressed to it. Required for `payroll_firm`, absent for `family`.
    #[schema(min_length = 1, max_length = 100)]
    pub payroll_firm: Option<String>,
}

problems!(SetPayeeProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [CaseNotFound],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidPayee, CprNumberNotAllowed],
});

/// Who helper-trainer wages on the case are paid to (role `caseworker`): the family or a
/// payroll-administration firm. Payables created from now on carry it.
#[utoipa::path(tag = "cases", params(("id" = String, Path)), request_body = PayeeBody, security(("bearer" = [])), responses(
    (status = 200, body = Case),
    SetPayeeProblems,
))]
#[post("/v1/cases/{id}/payee")]
pub async fn set_payee(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<PayeeBody>,
) -> ApiResult<HttpResponse> {
    let b = body.value;
    let cmd = SetPayee {
        case_id: id.into_inner(),
        payee: b.payee,
        payroll_firm: b.payroll_firm,
    };
    Ok(HttpResponse::Ok().json(blocking(move || l.execute(&auth.0, &cmd)).await?))
}
