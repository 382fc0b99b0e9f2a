//! Rates, cases, budget years, expenses, payables and payments over REST.
use super::{blocking, limit, recorded};
use crate::auth::Auth;
use crate::body::JsonBody;
use crate::problem::{ApiError, ApiResult, Problem};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::domain::budget::{Category, Grant, PostSpec};
use ledger::domain::cases::{Case, NewCase, Scope};
use ledger::domain::expenses::NewExpense;
use ledger::domain::rates::Rate;
use ledger::service::home_training::{
    BudgetVersion, BudgetYearView, Change, ExpenseView, FamilyPayable, NewRate, PayableView,
    PaymentView,
};
use ledger::service::IdempotencyKey;
use ledger::{Ledger, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_rates)
        .service(add_rate)
        .service(create_case)
        .service(list_cases)
        .service(get_case)
        .service(end_case)
        .service(create_budget_year)
        .service(case_budget_years)
        .service(get_budget_year)
        .service(budget_versions)
        .service(amend_budget_year)
        .service(submit_expense)
        .service(year_expenses)
        .service(get_expense)
        .service(approve_expense)
        .service(reject_expense)
        .service(payables_by_family)
        .service(list_payables)
        .service(pay);
}

fn bad(code: &'static str, field: &str, msg: &str) -> ApiError {
    let mut e = ApiError::new(StatusCode::BAD_REQUEST, code, format!("{field}: {msg}"));
    e.0.errors.push(ledger::error::FieldError {
        field: field.into(),
        code: code.into(),
        message: msg.into(),
    });
    e
}

fn decimal(field: &str, s: &str) -> ApiResult<Decimal> {
    Decimal::from_str_exact(s.trim()).map_err(|_| {
        bad(
            "invalid_hours",
            field,
            "hours are a decimal string such as \"12.5\"",
        )
    })
}

/// An Idempotency-Key when given; without one the request is simply not deduplicated.
fn optional_key(req: &HttpRequest, fingerprint: &str) -> ApiResult<IdempotencyKey> {
    if req.headers().contains_key("idempotency-key") {
        super::idempotency_key(req, fingerprint)
    } else {
        Ok(IdempotencyKey {
            key: format!("auto-{}", uuid::Uuid::new_v4()),
            request_hash: fingerprint.to_string(),
        })
    }
}

// ---- rates ----

#[derive(Deserialize, IntoParams)]
pub struct RateQuery {
    /// Only rates of this name, e.g. `training_expense_cap`.
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RateList {
    pub items: Vec<Rate>,
}

/// Statutory rates as dated parameters (any role).
#[utoipa::path(tag = "rates", params(RateQuery), security(("bearer" = [])), responses((status = 200, body = RateList)))]
#[get("/v1/rates")]
pub async fn list_rates(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<RateQuery>,
) -> ApiResult<HttpResponse> {
    let name = q.into_inner().name;
    let items = blocking(move || l.rates(&auth.0, name.as_deref())).await?;
    Ok(HttpResponse::Ok().json(RateList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "training_expense_cap", "valid_from": "2025-01-01", "value": "722500.00", "unit": "DKK", "source": "Satsregulering 2025"}))]
pub struct AddRate {
    pub name: String,
    pub valid_from: NaiveDate,
    /// Exact decimal string.
    pub value: String,
    /// `DKK` (default), `percent`, `hours` or `factor`.
    pub unit: Option<String>,
    /// The order, circular or publication the figure comes from.
    pub source: String,
}

/// Add a rate value from a date (role `admin`). A value for a date that already has one is a 409.
#[utoipa::path(tag = "rates", request_body = AddRate, security(("bearer" = [])), responses(
    (status = 201, body = Rate),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`rate_exists`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`invalid_rate_name`, `invalid_unit`, `invalid_amount`, `invalid_value`, `invalid_source`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/rates")]
pub async fn add_rate(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<AddRate>,
) -> ApiResult<HttpResponse> {
    let b = body.value;
    let value = Decimal::from_str_exact(b.value.trim()).map_err(|_| {
        bad(
            "invalid_value",
            "value",
            "a decimal string such as \"1234.50\"",
        )
    })?;
    let r = NewRate {
        name: b.name,
        valid_from: b.valid_from,
        value,
        unit: b.unit.unwrap_or_else(|| "DKK".into()),
        source: b.source,
    };
    Ok(super::created(
        &blocking(move || l.add_rate(&auth.0, &r)).await?,
    ))
}

// ---- cases ----

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"external_ref": "SAG-2025-0042", "child_birth_date": "2019-04-12", "application_date": "2025-01-06", "approval_date": "2025-02-03", "scope": "full"}))]
pub struct CreateCase {
    /// The case system's reference, unique per municipality. A CPR number is refused.
    pub external_ref: String,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: Scope,
}

/// Register an approved home-training case (role `caseworker`).
#[utoipa::path(tag = "cases", request_body = CreateCase, security(("bearer" = [])), responses(
    (status = 201, body = Case),
    (status = 409, description = "`case_ref_taken`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`cpr_number_not_allowed`, `invalid_external_ref`, `invalid_birth_date`, `child_over_18`, `invalid_approval_date`, `approval_in_future`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/cases")]
pub async fn create_case(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<CreateCase>,
) -> ApiResult<HttpResponse> {
    let b = body.value;
    let c = NewCase {
        external_ref: b.external_ref,
        child_birth_date: b.child_birth_date,
        application_date: b.application_date,
        approval_date: b.approval_date,
        scope: b.scope,
    };
    Ok(super::created(
        &blocking(move || l.create_case(&auth.0, &c)).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct CaseQuery {
    pub external_ref: Option<String>,
    pub limit: Option<i64>,
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<Case>,
    pub next: Option<String>,
}

/// The municipality's cases.
#[utoipa::path(tag = "cases", params(CaseQuery), security(("bearer" = [])), responses((status = 200, body = CasePage)))]
#[get("/v1/cases")]
pub async fn list_cases(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<CaseQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let lim = limit(q.limit)?;
    let items =
        blocking(move || l.cases(&auth.0, q.external_ref.as_deref(), q.after.as_deref(), lim))
            .await?;
    let next = (items.len() == lim as usize)
        .then(|| items.last().map(|c| c.id.clone()))
        .flatten();
    Ok(HttpResponse::Ok().json(CasePage { items, next }))
}

/// One case.
#[utoipa::path(tag = "cases", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = Case),
    (status = 404, description = "`case_not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/v1/cases/{id}")]
pub async fn get_case(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(blocking(move || l.case(&auth.0, &id)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2025-09-30", "reason": "The parents end the home training (ophør)"}))]
pub struct EndCase {
    /// The last day of the scheme; nothing may be booked on the case for later dates.
    pub end_date: NaiveDate,
    pub reason: String,
}

/// End a case (ophør, role `caseworker`).
#[utoipa::path(tag = "cases", params(("id" = String, Path)), request_body = EndCase, security(("bearer" = [])), responses(
    (status = 200, body = Case),
    (status = 409, description = "`case_already_ended`"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`case_not_found`", body = Problem, content_type = "application/problem+json", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`invalid_end_date`, `case_has_later_bookings`, `invalid_reason`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/cases/{id}/end")]
pub async fn end_case(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<EndCase>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let b = body.value;
    Ok(HttpResponse::Ok()
        .json(blocking(move || l.end_case(&auth.0, &id, b.end_date, &b.reason)).await?))
}

// ---- budget years ----

/// A post: an `amount`, or for `helper_trainers` `hours` × `hourly_rate`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostInput {
    pub category: Category,
    pub description: String,
    pub amount: Option<Money>,
    /// Decimal string, helper-trainer posts only; then the hours are a limit too.
    #[schema(example = "400")]
    pub hours: Option<String>,
    pub hourly_rate: Option<Money>,
}

fn grant(
    field: &str,
    amount: Option<Money>,
    hours: Option<&str>,
    rate: Option<Money>,
) -> ApiResult<Grant> {
    match (amount, hours, rate) {
        (Some(a), None, None) => Ok(Grant::Amount(a)),
        (None, Some(h), Some(r)) => Ok(Grant::Hours {
            hours: decimal(&format!("{field}.hours"), h)?,
            hourly_rate: r,
        }),
        _ => Err(ledger::Error::field(
            "invalid_post",
            field,
            "a post is granted either an amount, or (helper trainers) hours and an hourly rate",
        )
        .into()),
    }
}

fn post_spec(field: &str, p: PostInput) -> ApiResult<PostSpec> {
    Ok(PostSpec {
        category: p.category,
        grant: grant(field, p.amount, p.hours.as_deref(), p.hourly_rate)?,
        description: p.description,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"start_date": "2025-02-03", "posts": [
    {"category": "helper_trainers", "description": "Helper trainers", "hours": "400", "hourly_rate": "185.00"},
    {"category": "equipment", "description": "Trampoline and mats", "amount": "25000.00"},
    {"category": "courses", "description": "Method course in Denmark", "amount": "18000.00"}
]}))]
pub struct CreateBudgetYear {
    /// Not before the application date; the year runs 12 months from it.
    pub start_date: NaiveDate,
    /// The date of the decision granting it (default: the later of the approval date and the start).
    pub decided_on: Option<NaiveDate>,
    pub posts: Vec<PostInput>,
}

/// Grant a budget year post by post (role `caseworker`): books each post into its own budget account.
#[utoipa::path(tag = "budgets", params(("id" = String, Path, description = "Case id"), ("Idempotency-Key" = Option<String>, Header)),
    request_body = CreateBudgetYear, security(("bearer" = [])), responses(
    (status = 201, body = BudgetYearView),
    (status = 404, description = "`case_not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`budget_year_overlap`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`training_cap_exceeded` (bek. § 6, stk. 2), `budget_year_before_application`, `case_ended`, `invalid_post`, `invalid_description`, `invalid_amount`, `invalid_hours`, `hours_only_for_helper_trainers`, `no_posts`, `rate_missing`, `rate_invalid`, `cpr_number_not_allowed`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/cases/{id}/budget-years")]
pub async fn create_budget_year(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<CreateBudgetYear>,
) -> ApiResult<HttpResponse> {
    let key = optional_key(&req, &body.fingerprint)?;
    let b = body.value;
    let posts = b
        .posts
        .into_iter()
        .enumerate()
        .map(|(i, p)| post_spec(&format!("posts[{i}]"), p))
        .collect::<ApiResult<Vec<_>>>()?;
    let id = id.into_inner();
    let r = blocking(move || {
        l.create_budget_year(&auth.0, &key, &id, b.start_date, b.decided_on, &posts)
    })
    .await?;
    let version = serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v["version"].as_i64());
    let mut resp = recorded(r);
    if let Some(v) = version
        .and_then(|v| actix_web::http::header::HeaderValue::from_str(&format!("\"{v}\"")).ok())
    {
        resp.headers_mut().insert(actix_web::http::header::ETAG, v);
    }
    Ok(resp)
}

#[derive(Serialize, ToSchema)]
pub struct BudgetYearList {
    pub items: Vec<BudgetYearView>,
}

/// The budget years of a case.
#[utoipa::path(tag = "budgets", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = BudgetYearList)))]
#[get("/v1/cases/{id}/budget-years")]
pub async fn case_budget_years(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = blocking(move || l.budget_years_of_case(&auth.0, &id)).await?;
    Ok(HttpResponse::Ok().json(BudgetYearList { items }))
}

/// A budget year: per post granted, approved, pending, remaining; totals; the cap and headroom.
/// The `ETag` is the version, for `If-Match` on amendments.
#[utoipa::path(tag = "budgets", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = BudgetYearView, headers(("ETag" = String, description = "The budget version, e.g. \"2\""))),
    (status = 404, description = "`budget_year_not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/v1/budget-years/{id}")]
pub async fn get_budget_year(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let y = blocking(move || l.budget_year(&auth.0, &id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", format!("\"{}\"", y.version)))
        .json(y))
}

#[derive(Serialize, ToSchema)]
pub struct BudgetVersionList {
    pub items: Vec<BudgetVersion>,
}

/// Every version of the budget decision, oldest first.
#[utoipa::path(tag = "budgets", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = BudgetVersionList)))]
#[get("/v1/budget-years/{id}/versions")]
pub async fn budget_versions(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = blocking(move || l.budget_versions(&auth.0, &id)).await?;
    Ok(HttpResponse::Ok().json(BudgetVersionList { items }))
}

/// A change: `{post_id, amount}` or `{post_id, hours, hourly_rate}` sets an existing post's grant;
/// `{category, description, amount | hours + hourly_rate}` adds a post.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeInput {
    pub post_id: Option<String>,
    pub category: Option<Category>,
    pub description: Option<String>,
    pub amount: Option<Money>,
    pub hours: Option<String>,
    pub hourly_rate: Option<Money>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decided_on": "2025-06-01", "reason": "Supplementary application: new mat", "changes": [{"post_id": "01936f3e-…", "amount": "30000.00"}, {"category": "supervision", "description": "Supervisor visits", "amount": "12000.00"}]}))]
pub struct Amendment {
    pub decided_on: NaiveDate,
    pub reason: String,
    pub changes: Vec<ChangeInput>,
}

fn if_match(req: &HttpRequest) -> ApiResult<i32> {
    let v = req
        .headers()
        .get("if-match")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "an amendment needs If-Match with the budget year's ETag (its version)",
            )
        })?;
    v.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_if_match",
                "If-Match must be the budget year's ETag, e.g. \"1\"",
            )
        })
}

/// A supplementary decision (tillægsbevilling, role `caseworker`): raise, lower or add posts.
#[utoipa::path(tag = "budgets", params(("id" = String, Path), ("If-Match" = String, Header, description = "The budget year's ETag")),
    request_body = Amendment, security(("bearer" = [])), responses(
    (status = 200, body = BudgetYearView),
    (status = 412, description = "`version_mismatch`", body = Problem, content_type = "application/problem+json"),
    (status = 428, description = "`precondition_required`"),
    (status = 400, description = "`invalid_if_match`, `invalid_hours`, `invalid_json`, `unknown_field`", body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`budget_year_not_found`", body = Problem, content_type = "application/problem+json", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`training_cap_exceeded`, `post_below_approved`, `post_not_granted`, `invalid_post`, `invalid_change`, `no_changes`, `duplicate_change`, `invalid_decided_on`, `invalid_reason`, `invalid_amount`, `invalid_hours`, `hours_only_for_helper_trainers`, `cpr_number_not_allowed`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/budget-years/{id}/amendments")]
pub async fn amend_budget_year(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<Amendment>,
) -> ApiResult<HttpResponse> {
    let version = if_match(&req)?;
    let b = body.value;
    let mut changes = vec![];
    for (i, c) in b.changes.into_iter().enumerate() {
        let f = format!("changes[{i}]");
        let g = grant(&f, c.amount, c.hours.as_deref(), c.hourly_rate)?;
        changes.push(match (c.post_id, c.category, c.description) {
            (Some(post_id), None, None) => Change::Set { post_id, grant: g },
            (None, Some(category), Some(description)) => Change::Add(PostSpec {
                category,
                description,
                grant: g,
            }),
            _ => {
                return Err(ledger::Error::field(
                    "invalid_change",
                    &f,
                    "a change names either post_id, or category and description for a new post",
                )
                .into());
            }
        });
    }
    let id = id.into_inner();
    let y = blocking(move || {
        l.amend_budget_year(&auth.0, &id, version, b.decided_on, &b.reason, &changes)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", format!("\"{}\"", y.version)))
        .json(y))
}

// ---- expenses ----

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"post_id": "01936f3e-…", "expense_date": "2025-03-10", "amount": "4999.00", "description": "Balance board", "supplier": "Fysio Shop ApS", "document_ref": "INV-2025-117"}))]
pub struct SubmitExpense {
    pub post_id: String,
    pub expense_date: NaiveDate,
    pub amount: Money,
    pub description: String,
    pub supplier: String,
    /// The receipt's reference, unique per case.
    pub document_ref: String,
    /// ISO 3166 alpha-2; required for courses, which are covered only in Denmark (`DK`).
    pub course_country: Option<String>,
    /// Helper-trainer hours the expense uses, for hour-based posts.
    pub hours: Option<String>,
}

/// Submit a documented expense (role `caseworker`; `Idempotency-Key`). It is pending until decided.
#[utoipa::path(tag = "expenses", params(("id" = String, Path, description = "Budget year id"), ("Idempotency-Key" = String, Header)),
    request_body = SubmitExpense, security(("bearer" = [])), responses(
    (status = 201, body = ExpenseView),
    (status = 200, description = "Idempotent replay", body = ExpenseView),
    (status = 409, description = "`document_ref_taken`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`post_not_granted`, `budget_post_exceeded`, `budget_post_hours_exceeded`, `hours_required`, `hours_not_applicable`, `invalid_hours`, `expense_before_application`, `case_ended`, `expense_outside_budget_year`, `course_abroad_not_covered`, `course_country_required`, `invalid_country`, `rolling_cap_exceeded`, `rate_missing`, `invalid_amount`, `invalid_value`, `cpr_number_not_allowed`"),
    (status = 404, description = "`budget_year_not_found`", body = Problem, content_type = "application/problem+json", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/budget-years/{id}/expenses")]
pub async fn submit_expense(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<SubmitExpense>,
) -> ApiResult<HttpResponse> {
    let key = super::idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let hours = match &b.hours {
        Some(h) => Some(decimal("hours", h)?),
        None => None,
    };
    let e = NewExpense {
        post_id: b.post_id,
        expense_date: b.expense_date,
        amount: b.amount,
        hours,
        description: b.description,
        supplier: b.supplier,
        document_ref: b.document_ref,
        course_country: b.course_country,
    };
    let id = id.into_inner();
    Ok(recorded(
        blocking(move || l.submit_expense(&auth.0, &key, &id, &e)).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseList {
    pub items: Vec<ExpenseView>,
}

/// The expenses of a budget year.
#[utoipa::path(tag = "expenses", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = ExpenseList)))]
#[get("/v1/budget-years/{id}/expenses")]
pub async fn year_expenses(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = blocking(move || l.expenses_of_year(&auth.0, &id)).await?;
    Ok(HttpResponse::Ok().json(ExpenseList { items }))
}

/// One expense.
#[utoipa::path(tag = "expenses", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = ExpenseView),
    (status = 404, description = "`expense_not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/v1/expenses/{id}")]
pub async fn get_expense(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(blocking(move || l.expense(&auth.0, &id)).await?))
}

/// Approve an expense (role `caseworker`): books it and consumes its post, atomically. With an
/// `Idempotency-Key` a retry answers with the first approval (header `Idempotent-Replayed`).
#[utoipa::path(tag = "expenses", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), security(("bearer" = [])), responses(
    (status = 200, body = ExpenseView),
    (status = 409, description = "`expense_not_pending`", body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`expense_not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`budget_post_exceeded`, `rolling_cap_exceeded`, `case_ended`, `expense_outside_budget_year`, `period_closed`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/expenses/{id}/approve")]
pub async fn approve_expense(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let key = match req.headers().contains_key("idempotency-key") {
        true => Some(super::idempotency_key(
            &req,
            &crate::body::fingerprint(&req, b""),
        )?),
        false => None,
    };
    let id = id.into_inner();
    Ok(recorded(
        blocking(move || l.approve_expense(&auth.0, &id, key.as_ref())).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Ordinary household goods are not training expenses"}))]
pub struct RejectExpense {
    pub reason: String,
}

/// Reject an expense with a reason (role `caseworker`).
#[utoipa::path(tag = "expenses", params(("id" = String, Path)), request_body = RejectExpense, security(("bearer" = [])), responses(
    (status = 200, body = ExpenseView),
    (status = 409, description = "`expense_not_pending`", body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`expense_not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`invalid_reason`, `cpr_number_not_allowed`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/expenses/{id}/reject")]
pub async fn reject_expense(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<RejectExpense>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.value.reason;
    Ok(HttpResponse::Ok().json(blocking(move || l.reject_expense(&auth.0, &id, &reason)).await?))
}

// ---- payables and payments ----

#[derive(Deserialize, IntoParams)]
pub struct PayableQuery {
    /// `open` or `paid`.
    pub status: Option<String>,
    pub case_id: Option<String>,
    pub limit: Option<i64>,
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PayablePage {
    pub items: Vec<PayableView>,
    pub next: Option<String>,
}

/// What the municipality owes families, ready to pay (roles `finance`, `controller`, `admin`).
#[utoipa::path(tag = "payments", params(PayableQuery), security(("bearer" = [])), responses((status = 200, body = PayablePage)))]
#[get("/v1/payables")]
pub async fn list_payables(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<PayableQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    if let Some(s) = &q.status {
        if s != "open" && s != "paid" {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                "status is open or paid",
            ));
        }
    }
    let lim = limit(q.limit)?;
    let items = blocking(move || {
        l.payables(
            &auth.0,
            q.status.as_deref(),
            q.case_id.as_deref(),
            q.after.as_deref(),
            lim,
        )
    })
    .await?;
    let next = (items.len() == lim as usize)
        .then(|| items.last().map(|p| p.id.clone()))
        .flatten();
    Ok(HttpResponse::Ok().json(PayablePage { items, next }))
}

#[derive(Serialize, ToSchema)]
pub struct FamilyPayableList {
    pub items: Vec<FamilyPayable>,
}

/// Open payables summed per family (case): one line per family to pay, with the payables it settles.
#[utoipa::path(tag = "payments", security(("bearer" = [])), responses(
    (status = 200, body = FamilyPayableList),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/v1/payables/by-family")]
pub async fn payables_by_family(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let items = blocking(move || l.payables_by_family(&auth.0)).await?;
    Ok(HttpResponse::Ok().json(FamilyPayableList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"payable_ids": ["01936f3e-…"], "paid_on": "2025-03-20", "bank_reference": "NETS-2025-03-20-001"}))]
pub struct Pay {
    pub payable_ids: Vec<String>,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
}

/// Record that payables were paid (role `finance`; `Idempotency-Key`): books payable against bank.
#[utoipa::path(tag = "payments", params(("Idempotency-Key" = String, Header)), request_body = Pay, security(("bearer" = [])), responses(
    (status = 201, body = PaymentView),
    (status = 200, description = "Idempotent replay", body = PaymentView),
    (status = 404, description = "`payable_not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`payable_already_paid`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`period_closed`, `duplicate_payables`, `invalid_payables`, `invalid_bank_reference`"),
    (status = 403, body = Problem, content_type = "application/problem+json", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/payments")]
pub async fn pay(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<Pay>,
) -> ApiResult<HttpResponse> {
    let key = super::idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    Ok(recorded(
        blocking(move || l.pay(&auth.0, &key, &b.payable_ids, b.paid_on, &b.bank_reference))
            .await?,
    ))
}
