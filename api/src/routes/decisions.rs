//! Decisions (afgørelser) on a case: listed, read, and printed as a letter with appeal guidance.
use super::query;
use crate::extract::auth::Auth;
use crate::letters;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::{get, web, HttpResponse};
use ledger::read::decisions::{self, DecisionView};
use ledger::Ledger;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(case_decisions)
        .service(get_decision)
        .service(decision_letter);
}

#[derive(Serialize, ToSchema)]
pub struct DecisionList {
    pub items: Vec<DecisionView>,
}

problems!(CaseDecisionsProblems {
    403 => [Forbidden],
    404 => [CaseNotFound],
});

/// Every decision on a case that grants, refuses, claims or changes money, or ends the case,
/// oldest first.
#[utoipa::path(tag = "decisions", params(("id" = String, Path, description = "Case id")), security(("bearer" = [])), responses((status = 200, body = DecisionList), CaseDecisionsProblems))]
#[get("/v1/cases/{id}/decisions")]
pub async fn case_decisions(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = query(l, auth, move |tx, c| decisions::of_case(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(DecisionList { items }))
}

problems!(GetDecisionProblems {
    403 => [Forbidden],
    404 => [DecisionNotFound],
});

/// One decision: what was asked, the outcome, the reasons, the rule, its legal reference and
/// the figures.
#[utoipa::path(tag = "decisions", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = DecisionView), GetDecisionProblems))]
#[get("/v1/decisions/{id}")]
pub async fn get_decision(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let d = query(l, auth, move |tx, c| decisions::get(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(d))
}

/// The decision letter (Danish, printable HTML): the case, what was asked, the outcome, the
/// reasons in plain language, the rule and its legal reference, the figures, and the appeal
/// guidance.
#[utoipa::path(tag = "decisions", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, description = "The letter", content_type = "text/html", body = String),
    GetDecisionProblems,
))]
#[get("/v1/decisions/{id}/letter")]
pub async fn decision_letter(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let letter = query(l, auth, move |tx, c| decisions::letter(tx, c, &id)).await?;
    let html = letters::render("decision_letter.html", &letter)?;
    Ok(crate::letters::page(html))
}
