//! Deadlines around budget years: informational, never a bar to a booking.
use super::query;
use crate::extract::auth::Auth;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use ledger::read::deadlines::{self, Deadline};
use ledger::Ledger;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_deadlines);
}

#[derive(Deserialize, IntoParams)]
pub struct DeadlineQuery {
    /// Only deadlines due on or before this date.
    pub until: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineList {
    pub items: Vec<Deadline>,
}

problems!(DeadlinesProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
});

/// Per budget year, the next year's proposal and this year's documentation, from the settings
/// the year was granted under (Copenhagen: 8 weeks before and after the end), and whether
/// overdue. Informational: they never block a booking.
#[utoipa::path(tag = "budgets", params(DeadlineQuery), security(("bearer" = [])), responses((status = 200, body = DeadlineList), DeadlinesProblems))]
#[get("/v1/deadlines")]
pub async fn list_deadlines(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<DeadlineQuery>,
) -> ApiResult<HttpResponse> {
    let until = q.into_inner().until;
    let items = query(l, auth, move |tx, c| deadlines::list(tx, c, until)).await?;
    Ok(HttpResponse::Ok().json(DeadlineList { items }))
}
