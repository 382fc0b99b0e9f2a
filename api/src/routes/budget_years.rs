//! Budget years: grant, read, every version, amend.
use super::{blocking, query, recorded, with_etag};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::{if_match, optional_key};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::amend_budget_year::{AmendBudgetYear, Change};
use ledger::commands::grant_budget_year::{
    grant_from_parts, Applied, Category, GrantBudgetYear, PostSpec,
};
use ledger::read::budget_years::{self, BudgetVersion, BudgetYearView};
use ledger::{Code, Ledger, Money, Refusal};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_budget_year)
        .service(case_budget_years)
        .service(get_budget_year)
        .service(budget_versions)
        .service(amend_budget_year);
}

/// Hours on the wire: a decimal string.
pub fn hours(field: &str, s: &str) -> ApiResult<Decimal> {
    Decimal::from_str_exact(s.trim()).map_err(|_| {
        Refusal::bad_field(
            Code::InvalidHours,
            field,
            "hours are a decimal string such as \"12.5\"",
        )
        .into()
    })
}

/// The hours of a grant, parsed only when the grant has the hours shape (hours and a rate, no
/// amount); otherwise the shape itself is what gets refused (`invalid_post`), whatever they say.
fn grant_hours(
    field: &str,
    amount: Option<Money>,
    h: Option<&str>,
    rate: Option<Money>,
) -> ApiResult<Option<Decimal>> {
    match (amount, h, rate) {
        (None, Some(h), Some(_)) => Ok(Some(hours(field, h)?)),
        (_, Some(_), _) => Ok(Some(Decimal::ZERO)),
        _ => Ok(None),
    }
}

/// A post: an `amount`, or for `helper_trainers` `hours` × `hourly_rate`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostInput {
    pub category: Category,
    #[schema(min_length = 1, max_length = 500)]
    pub description: String,
    pub amount: Option<Money>,
    /// Decimal string, helper-trainer posts only; then the hours are a limit too.
    #[schema(example = "400", pattern = "^[0-9]{1,5}(\\.[0-9]{1,2})?$")]
    pub hours: Option<String>,
    pub hourly_rate: Option<Money>,
    /// What the family applied for on the post, when the decision grants less (or `amount`
    /// "0.00" to refuse the post whole); the decision lists both.
    pub applied_amount: Option<Money>,
    /// Helper trainers: the hours applied for, when fewer are granted (decimal string).
    #[schema(example = "500", pattern = "^[0-9]{1,5}(\\.[0-9]{1,2})?$")]
    pub applied_hours: Option<String>,
    /// Why the post is granted less than applied for, or refused; required then
    /// (`refusal_reason_required`, forvaltningsloven § 22), refused otherwise.
    #[schema(min_length = 1, max_length = 500)]
    pub refusal_reason: Option<String>,
    /// The rule that decided the cut, when one did, as its stable code (for example
    /// `training_cap_exceeded` for a budget granted up to the yearly cap); only with a reason.
    #[schema(example = "training_cap_exceeded")]
    pub code: Option<String>,
}

fn post_spec(field: &str, p: PostInput) -> ApiResult<PostSpec> {
    let h = grant_hours(
        &format!("{field}.hours"),
        p.amount,
        p.hours.as_deref(),
        p.hourly_rate,
    )?;
    let applied_hours = match p.applied_hours.as_deref() {
        Some(s) => Some(hours(&format!("{field}.applied_hours"), s)?),
        None => None,
    };
    let code = match p.code.as_deref() {
        // A code the service does not have is a rule broken, not a malformed request: 422.
        Some(c) => Some(Code::parse(c).ok_or_else(|| {
            Refusal::field(
                Code::InvalidValue,
                &format!("{field}.code"),
                "the code is one of the service's stable problem codes (for example training_cap_exceeded)",
            )
        })?),
        None => None,
    };
    Ok(PostSpec {
        category: p.category,
        grant: grant_from_parts(field, p.amount, h, p.hourly_rate)?,
        description: p.description,
        applied: Applied {
            amount: p.applied_amount,
            hours: applied_hours,
            refusal_reason: p.refusal_reason,
            code,
        },
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
    /// Not before the application date; the year runs the municipality's budget-year length
    /// (`GET /v1/settings`, 12 months by default) from it.
    pub start_date: NaiveDate,
    /// An explicit last day, at most 12 months from the start (a municipality that budgets per
    /// calendar year gives its first year a short end).
    pub end_date: Option<NaiveDate>,
    /// A retroactive lead-in (first budget year only): from this date, between the application
    /// date and the start, expenses are booked in this year too.
    pub retroactive_from: Option<NaiveDate>,
    /// The date of the decision granting it, between the application date and today (default: the
    /// later of the approval date and the start, at the latest today).
    pub decided_on: Option<NaiveDate>,
    #[schema(min_items = 1, max_items = 50)]
    pub posts: Vec<PostInput>,
}

problems!(CreateBudgetYearProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidAmount, InvalidHours, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [CaseNotFound],
    409 => [BudgetYearOverlap, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, TrainingCapExceeded, BudgetYearBeforeApplication, BudgetYearTooLong, InvalidEndDate, InvalidRetroactiveFrom, InvalidDecidedOn, CaseEnded, InvalidPost, InvalidDescription, InvalidAmount, InvalidHours, HoursOnlyForHelperTrainers, NoPosts, TooManyPosts, RefusalReasonRequired, InvalidReason, InvalidValue, RateMissing, RateInvalid, CprNumberNotAllowed],
});

/// Grant a budget year post by post (role `caseworker`): books each post into its own budget account.
/// The decision lists every post applied for: a post may state what was applied for
/// (`applied_amount`, `applied_hours`) and be granted less, or `amount` "0.00" to refuse it, each
/// with its `refusal_reason` (and the rule's `code`); a budget over the yearly cap is granted up
/// to the cap on the posts the caseworker cuts (`code` `training_cap_exceeded`).
#[utoipa::path(tag = "budgets", params(("id" = String, Path, description = "Case id"), ("Idempotency-Key" = Option<String>, Header)),
    request_body = CreateBudgetYear, security(("bearer" = [])), responses(
    (status = 201, body = BudgetYearView),
    CreateBudgetYearProblems,
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
    let cmd = GrantBudgetYear {
        case_id: id.into_inner(),
        start: b.start_date,
        end: b.end_date,
        retroactive_from: b.retroactive_from,
        decided_on: b.decided_on,
        posts,
    };
    let r = blocking(move || l.execute_keyed(&auth.0, key.as_ref(), 201, &cmd)).await?;
    let version = r.value.version;
    Ok(with_etag(recorded(r, StatusCode::CREATED), version))
}

#[derive(Serialize, ToSchema)]
pub struct BudgetYearList {
    pub items: Vec<BudgetYearView>,
}

problems!(CaseBudgetYearsProblems {
    403 => [Forbidden],
    404 => [CaseNotFound],
});

/// The budget years of a case.
#[utoipa::path(tag = "budgets", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = BudgetYearList), CaseBudgetYearsProblems))]
#[get("/v1/cases/{id}/budget-years")]
pub async fn case_budget_years(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = query(l, auth, move |tx, c| budget_years::of_case(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(BudgetYearList { items }))
}

problems!(GetBudgetYearProblems {
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
});

/// A budget year: per post granted, approved, pending, remaining; totals; the cap and headroom.
/// The `ETag` is the version, for `If-Match` on amendments.
#[utoipa::path(tag = "budgets", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = BudgetYearView, headers(("ETag" = String, description = "The budget version, e.g. \"2\""))),
    GetBudgetYearProblems,
))]
#[get("/v1/budget-years/{id}")]
pub async fn get_budget_year(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let y = query(l, auth, move |tx, c| budget_years::get(tx, c, &id)).await?;
    let version = y.version;
    Ok(with_etag(HttpResponse::Ok().json(y), version))
}

#[derive(Serialize, ToSchema)]
pub struct BudgetVersionList {
    pub items: Vec<BudgetVersion>,
}

problems!(BudgetVersionsProblems {
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
});

/// Every version of the budget decision, oldest first.
#[utoipa::path(tag = "budgets", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = BudgetVersionList), BudgetVersionsProblems))]
#[get("/v1/budget-years/{id}/versions")]
pub async fn budget_versions(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = query(l, auth, move |tx, c| budget_years::versions(tx, c, &id)).await?;
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
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
    #[schema(min_items = 1)]
    pub changes: Vec<ChangeInput>,
}

fn change(i: usize, c: ChangeInput) -> ApiResult<Change> {
    let f = format!("changes[{i}]");
    let h = grant_hours(
        &format!("{f}.hours"),
        c.amount,
        c.hours.as_deref(),
        c.hourly_rate,
    )?;
    let grant = grant_from_parts(&f, c.amount, h, c.hourly_rate)?;
    Ok(Change::from_parts(
        &f,
        c.post_id,
        c.category,
        c.description,
        grant,
    )?)
}

problems!(AmendBudgetYearProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidIfMatch, InvalidAmount, InvalidHours],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
    412 => [VersionMismatch],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, TrainingCapExceeded, PostBelowApproved, PostBelowPrepaid, RollingCapExceeded, PostNotGranted, InvalidPost, InvalidChange, NoChanges, DuplicateChange, TooManyPosts, InvalidDecidedOn, InvalidReason, InvalidDescription, InvalidAmount, InvalidHours, HoursOnlyForHelperTrainers, RateMissing, CprNumberNotAllowed],
    428 => [PreconditionRequired],
});

/// A supplementary decision (tillægsbevilling, role `caseworker`): raise, lower or add posts.
#[utoipa::path(tag = "budgets", params(("id" = String, Path), ("If-Match" = String, Header, description = "The budget year's ETag")),
    request_body = Amendment, security(("bearer" = [])), responses(
    (status = 200, body = BudgetYearView),
    AmendBudgetYearProblems,
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
    let changes = b
        .changes
        .into_iter()
        .enumerate()
        .map(|(i, c)| change(i, c))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let cmd = AmendBudgetYear {
        year_id: id.into_inner(),
        if_match: version,
        decided_on: b.decided_on,
        reason: b.reason,
        changes,
    };
    let y = blocking(move || l.execute(&auth.0, &cmd)).await?;
    let version = y.version;
    Ok(with_etag(HttpResponse::Ok().json(y), version))
}
