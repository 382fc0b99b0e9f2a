//! The annual statement of a budget year: JSON, CSV or a printable page.
use super::query;
use crate::extract::auth::Auth;
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use ledger::read::statement::{self, Deadline, Statement};
use ledger::Ledger;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(budget_year_statement);
}

#[derive(Deserialize, IntoParams)]
pub struct StatementQuery {
    /// CSV: `da` for `;`, decimal commas and a UTF-8 byte-order mark.
    #[param(pattern = "^(da|en)$")]
    pub dialect: Option<String>,
}

problems!(StatementProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
});

fn status(d: &Deadline) -> String {
    match (d.status.as_str(), d.met_on) {
        ("met", Some(on)) => format!("Overholdt ({on})"),
        ("missed", Some(on)) => format!("Overskredet (først {on})"),
        ("missed", None) => "Overskredet".into(),
        _ => "Endnu ikke".into(),
    }
}

/// The annual statement of a budget year (roles `caseworker`, `controller`): per post the
/// amount granted in every version, approved, prepaid, unspent and short; the year's claims
/// (claimed, waived, repaid); documented expenses outside an agreement; lost earnings paid on
/// the case per month; the decisions of the year; the deadlines met or missed. JSON; CSV with
/// `Accept: text/csv` (a line per post, `?dialect=da`); a printable page with
/// `Accept: text/html`.
#[utoipa::path(tag = "budgets", params(("id" = String, Path), StatementQuery), security(("bearer" = [])), responses(
    (status = 200, description = "The statement as JSON, CSV (`Accept: text/csv`) or a printable page (`Accept: text/html`)",
        content((Statement = "application/json"), (String = "text/csv"), (String = "text/html"))),
    StatementProblems,
))]
#[get("/v1/budget-years/{id}/statement")]
pub async fn budget_year_statement(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    q: web::Query<StatementQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let dialect = q.into_inner().dialect;
    if dialect.as_deref().is_some_and(|d| d != "da" && d != "en") {
        return Err(ApiError::bad_request(
            ledger::Code::InvalidQuery,
            "dialect is da or en",
        ));
    }
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let st = query(l, auth, move |tx, c| statement::statement(tx, c, &id)).await?;
    if accept.contains("text/csv") {
        let body = statement::csv(&st, dialect.as_deref() == Some("da"))
            .map_err(|e| ApiError::internal(e.to_string()))?;
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .body(body));
    }
    if accept.contains("text/html") {
        let html = crate::letters::render(
            "statement.html",
            &serde_json::json!({
                "municipality": st.municipality_name,
                "s": st,
                "proposal_status": status(&st.proposal),
                "documentation_status": status(&st.documentation),
            }),
        )?;
        return Ok(crate::letters::page(html));
    }
    Ok(HttpResponse::Ok().json(st))
}
