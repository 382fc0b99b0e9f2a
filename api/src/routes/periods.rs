//! Period closes.
use super::{blocking, created, query};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::close_period::ClosePeriod as Close;
use ledger::read::period_report::{self as report, PeriodReport};
use ledger::read::periods::{self, PeriodClose};
use ledger::Ledger;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(close_period)
        .service(list_periods)
        .service(period_report);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosePeriod {
    /// Close every date up to and including this one.
    #[schema(example = "2025-12-31")]
    pub through: NaiveDate,
}

problems!(ClosePeriodProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue],
    408 => [RequestTimeout],
    403 => [Forbidden],
    409 => [PeriodAlreadyClosed],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, PeriodCloseInFuture],
});

/// Close the books through a date (role `controller`). A close cannot be undone.
#[utoipa::path(tag = "ledger", request_body = ClosePeriod, security(("bearer" = [])), responses(
    (status = 201, body = PeriodClose),
    ClosePeriodProblems,
))]
#[post("/v1/periods/close")]
pub async fn close_period(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<ClosePeriod>,
) -> ApiResult<HttpResponse> {
    let cmd = Close {
        through: body.value.through,
    };
    Ok(created(&blocking(move || l.execute(&auth.0, &cmd)).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Periods {
    /// Every date up to and including this one is closed; null when nothing is.
    pub closed_through: Option<NaiveDate>,
    pub closes: Vec<PeriodClose>,
}

problems!(ListPeriodsProblems {});

/// The period closes so far.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses((status = 200, body = Periods), ListPeriodsProblems))]
#[get("/v1/periods")]
pub async fn list_periods(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let closes = query(l, auth, periods::list).await?;
    Ok(HttpResponse::Ok().json(Periods {
        closed_through: closes.iter().map(|c| c.through).max(),
        closes,
    }))
}

problems!(PeriodReportProblems {
    403 => [Forbidden],
    404 => [PeriodCloseNotFound],
    422 => [TotalTooLarge],
});

/// What a close locked (role `controller`): every account's debits, credits and balance at the
/// close date, the period's entries by kind, and the voucher number and hash of the last sealed
/// entry at the close, to show later that nothing before it changed.
#[utoipa::path(tag = "ledger", params(("through" = NaiveDate, Path, description = "The close's date")), security(("bearer" = [])), responses(
    (status = 200, body = PeriodReport),
    PeriodReportProblems,
))]
#[get("/v1/periods/{through}/report")]
pub async fn period_report(
    auth: Auth,
    l: web::Data<Ledger>,
    through: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let raw = through.into_inner();
    let Ok(day) = NaiveDate::parse_from_str(&raw, "%Y-%m-%d") else {
        return Err(ledger::Refusal::missing(
            ledger::Code::PeriodCloseNotFound,
            "period close",
            &raw,
        )
        .into());
    };
    let r = query(l, auth, move |tx, c| report::report(tx, c, day)).await?;
    Ok(HttpResponse::Ok().json(r))
}
