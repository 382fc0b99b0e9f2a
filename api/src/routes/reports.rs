//! Reports on the whole book: the trial balance and verification.
use super::accounts::AsOfQuery;
use super::query;
use crate::extract::auth::Auth;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::{get, post, web, HttpResponse};
use ledger::read::trial_balance::TrialBalance;
use ledger::read::verify::VerifyReport;
use ledger::read::{trial_balance as tb, verify as verification};
use ledger::Ledger;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(trial_balance).service(verify);
}

problems!(TrialBalanceProblems {
    400 => [InvalidQuery],
    422 => [TotalTooLarge],
});

/// Every account's debit and credit totals; Σ debits = Σ credits.
#[utoipa::path(tag = "ledger", params(AsOfQuery), security(("bearer" = [])), responses((status = 200, body = TrialBalance), TrialBalanceProblems))]
#[get("/v1/trial-balance")]
pub async fn trial_balance(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<AsOfQuery>,
) -> ApiResult<HttpResponse> {
    let as_of = q.as_of;
    let tb = query(l, auth, move |tx, c| tb::trial_balance(tx, c, as_of)).await?;
    Ok(HttpResponse::Ok().json(tb))
}

problems!(VerifyProblems {
    403 => [Forbidden],
    422 => [TotalTooLarge],
});

/// Recompute every running balance from the postings and report any difference (role `controller`).
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses(
    (status = 200, body = VerifyReport),
    VerifyProblems,
))]
#[post("/v1/ledger/verify")]
pub async fn verify(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let report = query(l, auth, verification::verify).await?;
    Ok(HttpResponse::Ok().json(report))
}
