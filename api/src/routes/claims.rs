//! One claims flow for every origin (issue 21): a claim found is proposed and owed by nobody;
//! the family is heard (a letter with the facts, the amount and a date to answer by); its
//! answer is recorded; then a decision claims all, part or nothing, with reasons and a letter.
use super::{blocking, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::{idempotency_key, optional_key};
use crate::problem::ApiResult;
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::claim_hearing::{RecordResponse, SendHearing};
use ledger::commands::decide_claim::{ClaimDecided, DecideClaim};
use ledger::read::clawbacks::{self, ClawbackView};
use ledger::{Ledger, Money};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(send_hearing)
        .service(record_response)
        .service(decide_claim)
        .service(hearing_letter);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sent_on": "2025-06-02", "respond_by": "2025-06-16"}))]
pub struct ClaimHearingBody {
    /// The day the hearing was sent to the family (not in the future).
    pub sent_on: NaiveDate,
    /// The day the family may answer until; default `sent_on` + 14 days.
    pub respond_by: Option<NaiveDate>,
}

problems!(HearingProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [ClawbackNotFound],
    409 => [ClaimDecided, HearingAlreadySent, VersionMismatch, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidValue, InvalidRespondBy],
});

/// Hear the family on a proposed claim (role `caseworker`; forvaltningsloven § 19): records when
/// the hearing was sent and the date to answer by; the letter is at
/// `GET /v1/clawbacks/{id}/hearing/letter`. Nothing is owed meanwhile.
#[utoipa::path(tag = "clawbacks", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = ClaimHearingBody, security(("bearer" = [])), responses(
    (status = 200, body = ClawbackView),
    HearingProblems,
))]
#[post("/v1/clawbacks/{id}/hearing")]
pub async fn send_hearing(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ClaimHearingBody>,
) -> ApiResult<HttpResponse> {
    let key = optional_key(&req, &body.fingerprint)?;
    let cmd = SendHearing {
        clawback_id: id.into_inner(),
        sent_on: body.value.sent_on,
        respond_by: body.value.respond_by,
    };
    let r = blocking(move || l.execute_keyed(&auth.0, key.as_ref(), 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"received_on": "2025-06-10", "summary": "Familien oplyser, at udstyret blev brugt til træningen"}))]
pub struct ClaimResponseBody {
    /// The day the family's answer was received.
    pub received_on: NaiveDate,
    /// What the family said, in short.
    #[schema(min_length = 1, max_length = 2000)]
    pub summary: String,
}

problems!(ResponseProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [ClawbackNotFound],
    409 => [ClaimDecided, NoHearing, ResponseAlreadyRecorded, VersionMismatch, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidReceivedOn, InvalidSummary, CprNumberNotAllowed],
});

/// Record the family's answer to the hearing (role `caseworker`): the claim may then be decided
/// before the answer date.
#[utoipa::path(tag = "clawbacks", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = ClaimResponseBody, security(("bearer" = [])), responses(
    (status = 200, body = ClawbackView),
    ResponseProblems,
))]
#[post("/v1/clawbacks/{id}/hearing/response")]
pub async fn record_response(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ClaimResponseBody>,
) -> ApiResult<HttpResponse> {
    let key = optional_key(&req, &body.fingerprint)?;
    let b = body.value;
    let cmd = RecordResponse {
        clawback_id: id.into_inner(),
        received_on: b.received_on,
        summary: b.summary,
    };
    let r = blocking(move || l.execute_keyed(&auth.0, key.as_ref(), 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "claim", "amount": "300.00", "decided_on": "2025-06-20", "reason": "Udgiften var ikke en træningsudgift; familien kunne ikke vide det, så kun en del kræves tilbage"}))]
pub struct ClaimDecisionBody {
    /// `claim` (all, or `amount` of it, the rest waived), `waive`, or `offset`: claimed and set
    /// off against the lost earnings still to be paid on the case, `monthly_amount` withheld by
    /// each payroll run, only with the family's written consent (`family_consented_on`).
    #[schema(pattern = "^(claim|waive|offset)$")]
    pub decision: String,
    /// With `claim`: the part claimed, above 0.00 and at most what was not due.
    pub amount: Option<Money>,
    pub decided_on: NaiveDate,
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
    /// Origin `lost_earnings`: the caseworker's assessment that the parent knew or should have
    /// known the money was not due; without `true` the only decision is `waive`
    /// (`knowledge_not_established`).
    pub knew_or_should_have_known: Option<bool>,
    /// With `offset`: the day of the family's written consent to the set-off (not after
    /// `decided_on`); without it an offset is refused (`family_consent_required`).
    pub family_consented_on: Option<NaiveDate>,
    /// With `offset`: the installment the family consented to, withheld each month (never more
    /// than what is outstanding or the month's pay).
    pub monthly_amount: Option<Money>,
}

problems!(DecisionProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidAmount, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [ClawbackNotFound],
    409 => [HearingRequired, ClaimDecided, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidValue, InvalidAmount, InvalidDecidedOn, InvalidReason, KnowledgeNotEstablished, FamilyConsentRequired, OffsetNotAvailable, PeriodClosed, CprNumberNotAllowed],
});

/// Decide a proposed claim (role `caseworker`; `Idempotency-Key`), once the family was heard
/// (`hearing_required` before its answer is recorded or its answer date has passed): `claim`
/// books the amount claimed as a receivable (1200) and waives the rest (5180) in the same
/// decision; `waive` writes it all off. Lost earnings are claimed only with
/// `knew_or_should_have_known: true` (the repayment rule for benefits received in bad faith).
/// `offset` claims it and sets it off against the lost earnings still to be paid on the case
/// (the claim's own decision first), only with the family's written consent: each payroll run
/// withholds `monthly_amount` from the parent's line (`set_off`), a repayment on the claim;
/// `offset_not_available` (422) when no lost earnings are left to pay. A decision with reasons and a Danish letter.
#[utoipa::path(tag = "clawbacks", params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = ClaimDecisionBody, security(("bearer" = [])), responses(
    (status = 200, body = ClaimDecided),
    DecisionProblems,
))]
#[post("/v1/clawbacks/{id}/decision")]
pub async fn decide_claim(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ClaimDecisionBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let claim = match b.decision.as_str() {
        "claim" | "offset" => true,
        "waive" => false,
        _ => {
            return Err(crate::problem::ApiError::from(ledger::Refusal::bad_field(
                ledger::Code::InvalidValue,
                "decision",
                "the decision is `claim`, `waive` or `offset`",
            )))
        }
    };
    let offset = (b.decision == "offset").then_some((b.family_consented_on, b.monthly_amount));
    let cmd = DecideClaim {
        clawback_id: id.into_inner(),
        claim,
        amount: b.amount,
        decided_on: b.decided_on,
        reason: b.reason,
        knew_or_should_have_known: b.knew_or_should_have_known,
        offset,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}

problems!(HearingLetterProblems {
    403 => [Forbidden],
    404 => [ClawbackNotFound],
    409 => [NoHearing],
});

/// The hearing letter (Danish, printable HTML; roles `caseworker` and `controller`): the facts,
/// the amount, that nothing is owed before a decision, and the date to answer by.
#[utoipa::path(tag = "clawbacks", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, description = "The letter", content_type = "text/html", body = String),
    HearingLetterProblems,
))]
#[get("/v1/clawbacks/{id}/hearing/letter")]
pub async fn hearing_letter(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let letter = query(l, auth, move |tx, c| clawbacks::hearing_letter(tx, c, &id)).await?;
    let html = crate::letters::render("hearing_letter.html", &letter)?;
    Ok(crate::letters::page(html))
}
