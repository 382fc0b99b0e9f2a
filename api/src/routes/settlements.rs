//! The annual accounts of fixed-amount agreements, and the decision on unspent money.
use super::claims::{ClaimHearingBody, ClaimResponseBody};
use super::{blocking, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::{JsonBody, OptionalJsonBody};
use crate::extract::{idempotency_key, optional_key};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::decide_settlement::DecideSettlement;
use ledger::commands::decide_settlement::Decision;
use ledger::commands::reopen_settlement::ReopenSettlement;
use ledger::commands::settle_year::SettleYear;
use ledger::commands::settlement_hearing::{RecordSettlementResponse, SendSettlementHearing};
use ledger::read::settlements::{self, SettlementView};
use ledger::{Ledger, Money};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(settle)
        .service(get_settlement)
        .service(decide)
        .service(send_hearing)
        .service(record_response)
        .service(hearing_letter)
        .service(reopen);
}

problems!(SettleProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
    409 => [SettlementExists, IdempotencyKeyReused],
    422 => [InvisibleCharacter, NoAgreement, SettlementTooEarly, ExpensesPending, DocumentationDeadlineNotReached, InvalidAccountsCompleteOn, PeriodClosed],
});

/// Optional: the family's confirmation that its accounts are complete.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"accounts_complete_on": "2026-01-10"}))]
pub struct SettleBody {
    /// The day the family confirmed that its accounts for the year are complete: lets the year
    /// be settled before the documentation deadline (after the year's end, not in the future).
    pub accounts_complete_on: Option<chrono::NaiveDate>,
}

/// Settle the budget year's annual accounts (role `caseworker`; `Idempotency-Key`), once it or
/// the case has ended: per covered post granted, prepaid, approved, unspent and shortfall; the
/// net result in total (vejledningen pkt. 157 e). A net shortfall becomes a payable to the family.
#[utoipa::path(tag = "agreements", params(("id" = String, Path, description = "Budget year id"), ("Idempotency-Key" = String, Header)), security(("bearer" = [])),
    request_body(content = Option<SettleBody>, description = "Optional: the family's confirmation that its accounts are complete"),
    responses(
    (status = 201, body = SettlementView),
    (status = 200, description = "Idempotent replay", body = SettlementView),
    SettleProblems,
))]
#[post("/v1/budget-years/{id}/settlement")]
pub async fn settle(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: OptionalJsonBody<SettleBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = SettleYear {
        year_id: id.into_inner(),
        accounts_complete_on: body.value.and_then(|b| b.accounts_complete_on),
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(r, StatusCode::CREATED))
}

#[derive(Deserialize, IntoParams)]
pub struct SettlementQuery {
    /// `da` for a Danish spreadsheet (`;` and decimal commas) when CSV is asked for.
    #[param(pattern = "^(da|en)$")]
    pub dialect: Option<String>,
}

problems!(GetSettlementProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
    404 => [BudgetYearNotFound, SettlementNotFound],
});

/// The settlement: JSON, or CSV with `Accept: text/csv` (`?dialect=da`).
#[utoipa::path(tag = "agreements", params(("id" = String, Path, description = "Budget year id"), SettlementQuery), security(("bearer" = [])), responses(
    (status = 200, description = "The settlement as JSON, or as CSV (a line per post and a total) with `Accept: text/csv`",
        content((SettlementView = "application/json"), (String = "text/csv"))),
    GetSettlementProblems,
))]
#[get("/v1/budget-years/{id}/settlement")]
pub async fn get_settlement(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    q: web::Query<SettlementQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let v = query(l, auth, move |tx, c| settlements::of_year(tx, c, &id)).await?;
    let wants_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        let danish = q.dialect.as_deref() == Some("da");
        let body = settlements::csv(&v, danish).map_err(|e| ApiError::internal(e.to_string()))?;
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(v))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "claim", "decided_on": "2026-03-01", "reason": "The mats were not bought; the unspent amount is asked back"}))]
pub struct DecisionBody {
    #[schema(value_type = String, pattern = "^(claim|waive|offset)$")]
    pub decision: Decision,
    pub decided_on: NaiveDate,
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
    /// Required for `offset`: the date of the family's written consent to the set-off.
    pub family_consented_on: Option<NaiveDate>,
    /// With `claim`: the part claimed, above 0.00 and at most what is unspent; the rest is
    /// waived in the same decision. All of it when not given.
    pub amount: Option<Money>,
}

problems!(DecideProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [SettlementNotFound],
    409 => [SettlementDecided, HearingRequired, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidAmount, InvalidReason, InvalidDecidedOn, NothingUnspent, FamilyConsentRequired, OffsetNotAvailable, InvalidValue, RateMissing, PeriodClosed, CprNumberNotAllowed],
});

/// Decide on the unspent money (role `caseworker`; `Idempotency-Key`): `claim` (a receivable on
/// the family, repaid via `/v1/clawbacks`), `waive`, or `offset` (only with the family's
/// consent). A decision with a letter.
#[utoipa::path(tag = "agreements", params(("id" = String, Path, description = "Settlement id"), ("Idempotency-Key" = String, Header)), request_body = DecisionBody, security(("bearer" = [])), responses(
    (status = 200, body = SettlementView),
    DecideProblems,
))]
#[post("/v1/settlements/{id}/decision")]
pub async fn decide(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<DecisionBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let cmd = DecideSettlement {
        settlement_id: id.into_inner(),
        decision: b.decision,
        decided_on: b.decided_on,
        reason: b.reason,
        family_consented_on: b.family_consented_on,
        amount: b.amount,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}

problems!(HearingProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [SettlementNotFound],
    409 => [ClaimDecided, HearingAlreadySent, NoHearing, ResponseAlreadyRecorded, VersionMismatch, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidValue, InvalidRespondBy, InvalidReceivedOn, InvalidSummary, NothingUnspent, CprNumberNotAllowed],
});

/// Hear the family on the unspent money before it is claimed (role `caseworker`;
/// forvaltningsloven § 19): the same rules and letter as any claim
/// (`GET /v1/settlements/{id}/hearing/letter`).
#[utoipa::path(operation_id = "send_settlement_hearing", tag = "agreements", params(("id" = String, Path, description = "Settlement id"), ("Idempotency-Key" = Option<String>, Header)), request_body = ClaimHearingBody, security(("bearer" = [])), responses(
    (status = 200, body = SettlementView),
    HearingProblems,
))]
#[post("/v1/settlements/{id}/hearing")]
pub async fn send_hearing(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ClaimHearingBody>,
) -> ApiResult<HttpResponse> {
    let key = optional_key(&req, &body.fingerprint)?;
    let cmd = SendSettlementHearing {
        settlement_id: id.into_inner(),
        sent_on: body.value.sent_on,
        respond_by: body.value.respond_by,
    };
    let r = blocking(move || l.execute_keyed(&auth.0, key.as_ref(), 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}

/// Record the family's answer to the hearing on the unspent money (role `caseworker`).
#[utoipa::path(operation_id = "record_settlement_response", tag = "agreements", params(("id" = String, Path, description = "Settlement id"), ("Idempotency-Key" = Option<String>, Header)), request_body = ClaimResponseBody, security(("bearer" = [])), responses(
    (status = 200, body = SettlementView),
    HearingProblems,
))]
#[post("/v1/settlements/{id}/hearing/response")]
pub async fn record_response(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ClaimResponseBody>,
) -> ApiResult<HttpResponse> {
    let key = optional_key(&req, &body.fingerprint)?;
    let b = body.value;
    let cmd = RecordSettlementResponse {
        settlement_id: id.into_inner(),
        received_on: b.received_on,
        summary: b.summary,
    };
    let r = blocking(move || l.execute_keyed(&auth.0, key.as_ref(), 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}

problems!(LetterProblems {
    403 => [Forbidden],
    404 => [SettlementNotFound],
    409 => [NoHearing],
});

/// The hearing letter on the unspent money (Danish, printable HTML; roles `caseworker` and
/// `controller`).
#[utoipa::path(operation_id = "settlement_hearing_letter", tag = "agreements", params(("id" = String, Path, description = "Settlement id")), security(("bearer" = [])), responses(
    (status = 200, description = "The letter", content_type = "text/html", body = String),
    LetterProblems,
))]
#[get("/v1/settlements/{id}/hearing/letter")]
pub async fn hearing_letter(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let letter = query(l, auth, move |tx, c| {
        ledger::read::clawbacks::settlement_hearing_letter(tx, c, &id)
    })
    .await?;
    let html = crate::letters::render("hearing_letter.html", &letter)?;
    Ok(crate::letters::page(html))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decided_on": "2026-03-20", "reason": "Kvitteringen for træningsmåtterne kom efter årsopgørelsen; opgørelsen genoptages"}))]
pub struct ReopenBody {
    pub decided_on: NaiveDate,
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

problems!(ReopenProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [SettlementNotFound],
    409 => [SettlementNotReopenable, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidReason, InvalidDecidedOn, PeriodClosed, CprNumberNotAllowed],
});

/// Reopen a settlement (role `caseworker`; `Idempotency-Key`), for example when a covered expense
/// arrives after it: allowed while nothing was repaid or set off on its result and no shortfall
/// paid (`settlement_not_reopenable` otherwise). Every entry it booked is reversed (linked
/// reversals), its claim and shortfall payable are cancelled, and the year takes expenses and is
/// settled again. A decision (`reopened_by_decision`) with reasons and a letter.
#[utoipa::path(tag = "agreements", params(("id" = String, Path, description = "Settlement id"), ("Idempotency-Key" = String, Header)), request_body = ReopenBody, security(("bearer" = [])), responses(
    (status = 200, body = SettlementView),
    ReopenProblems,
))]
#[post("/v1/settlements/{id}/reopen")]
pub async fn reopen(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ReopenBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let cmd = ReopenSettlement {
        settlement_id: id.into_inner(),
        decided_on: b.decided_on,
        reason: b.reason,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}
