//! Monthly payroll runs of lost-earnings compensation and their lines.
use super::lost_earnings::month;
use super::{blocking, next_cursor, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::{idempotency_key, limit};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use ledger::commands::run_payroll::RunPayroll;
use ledger::read::payroll::{self as read, LineView, RunView};
use ledger::Ledger;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(run_payroll)
        .service(list_payroll_runs)
        .service(get_payroll_run)
        .service(payroll_run_lines);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"month": "2024-05"}))]
#[schema(as = PayrollRunRequest)]
pub struct RunBody {
    /// The month to run, `YYYY-MM`: the current month or an earlier one.
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])$")]
    pub month: String,
}

problems!(RunProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidMonth, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    409 => [IdempotencyKeyReused, PayrollMonthPassed],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, PayrollMonthInFuture, RateMissing, PeriodClosed, BalanceConstraintViolated],
});

/// Run a month (role `finance`; `Idempotency-Key`): every lost-earnings decision of the
/// municipality computed for the month, plus correction lines (the difference only) for earlier
/// months a retroactive change altered, booked in one transaction: lost earnings (5500), pension
/// (5510) and the municipality's ATP (5520) against what is owed to the parent (2000), the
/// pension fund (2200) and ATP (2300). A month already run answers 200 with that run
/// (`already_run`) and books nothing; a month with a needed rate missing is refused whole
/// (`rate_missing`).
#[utoipa::path(tag = "payroll-runs", params(("Idempotency-Key" = String, Header)), request_body = RunBody, security(("bearer" = [])), responses(
    (status = 201, body = RunView),
    (status = 200, description = "The month was run before (or an idempotent replay): nothing booked", body = RunView),
    RunProblems,
))]
#[post("/v1/payroll-runs")]
pub async fn run_payroll(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<RunBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = RunPayroll {
        month: month("month", &body.value.month)?,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    let status = if r.value.already_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(recorded(r, status))
}

#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    /// Page size, 1-500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PayrollRunList)]
pub struct RunList {
    pub items: Vec<RunView>,
    pub next: Option<String>,
}

problems!(ListProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
});

/// The municipality's payroll runs.
#[utoipa::path(tag = "payroll-runs", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = RunList), ListProblems))]
#[get("/v1/payroll-runs")]
pub async fn list_payroll_runs(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let n = limit(q.limit)?;
    let items = query(l, auth, move |tx, c| {
        read::list(tx, c, q.after.as_deref(), n)
    })
    .await?;
    let next = next_cursor(&items, n, |r| r.id.clone());
    Ok(HttpResponse::Ok().json(RunList { items, next }))
}

problems!(GetProblems {
    403 => [Forbidden],
    404 => [PayrollRunNotFound],
});

/// A payroll run and its totals.
#[utoipa::path(tag = "payroll-runs", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = RunView), GetProblems))]
#[get("/v1/payroll-runs/{id}")]
pub async fn get_payroll_run(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(query(l, auth, move |tx, c| read::get(tx, c, &id)).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct LinesQuery {
    /// `da` for CSV with `;`, decimal commas and a UTF-8 byte-order mark.
    #[param(pattern = "^(da|en)$")]
    pub dialect: Option<String>,
    /// JSON page size, 1-1000 (default 500); CSV carries every line.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// JSON: the lines after this line number.
    #[param(minimum = 0)]
    pub after: Option<i32>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PayrollLineList)]
pub struct LineList {
    pub items: Vec<LineView>,
    /// The `after` of the next page; null on the last page.
    pub next: Option<i32>,
}

problems!(LinesProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
    404 => [PayrollRunNotFound],
});

/// The run's lines: JSON pages, or every line as CSV with `Accept: text/csv` (`?dialect=da`).
#[utoipa::path(tag = "payroll-runs", params(("id" = String, Path), LinesQuery), security(("bearer" = [])), responses(
    (status = 200, description = "A page of lines as JSON, or every line as CSV with `Accept: text/csv`",
        content((LineList = "application/json"), (String = "text/csv"))),
    LinesProblems,
))]
#[get("/v1/payroll-runs/{id}/lines")]
pub async fn payroll_run_lines(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    q: web::Query<LinesQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let q = q.into_inner();
    if q.dialect.as_deref().is_some_and(|d| d != "da" && d != "en") {
        return Err(ApiError::bad_request(
            ledger::Code::InvalidQuery,
            "dialect is da or en",
        ));
    }
    let n = q.limit.unwrap_or(500);
    let after = q.after.unwrap_or(0);
    if !(1..=1000).contains(&n) || after < 0 {
        return Err(ApiError::bad_request(
            ledger::Code::InvalidQuery,
            "limit is 1-1000 and after is 0 or more",
        ));
    }
    let wants_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        let danish = q.dialect.as_deref() == Some("da");
        let body = query(l, auth, move |tx, c| {
            let all = read::lines(tx, c, &id, 0, i64::MAX)?;
            Ok(read::csv(&all, danish)?)
        })
        .await?;
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .body(body));
    }

    let items = query(l, auth, move |tx, c| read::lines(tx, c, &id, after, n)).await?;
    let next = (items.len() as i64 == n)
        .then(|| items.last().map(|l| l.line_no))
        .flatten();
    Ok(HttpResponse::Ok().json(LineList { items, next }))
}
