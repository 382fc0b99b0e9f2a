//! Documented expenses: submit, list, read, approve, reject.
use super::budget_years::hours;
use super::{blocking, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::{JsonBody, OptionalJsonBody};
use crate::extract::{idempotency_key, optional_key};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::annul_expense::AnnulExpense as Annul;
use ledger::commands::approve_expense::ApproveExpense;
use ledger::commands::reject_expense::RejectExpense as Reject;
use ledger::commands::submit_expense::{NewExpense, SubmitExpense as Submit};
use ledger::read::expenses::{self, ExpenseView};
use ledger::{Ledger, Money};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(submit_expense)
        .service(year_expenses)
        .service(get_expense)
        .service(approve_expense)
        .service(reject_expense)
        .service(annul_expense);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"post_id": "01936f3e-…", "expense_date": "2025-03-10", "amount": "4999.00", "description": "Balance board", "supplier": "Fysio Shop ApS", "document_ref": "INV-2025-117"}))]
pub struct SubmitExpense {
    pub post_id: String,
    /// The invoice date.
    pub expense_date: NaiveDate,
    /// The service period the expense pays for (default: the expense date). The case-end,
    /// budget-year, retroactive and cap rules judge this, not the invoice date.
    pub service_from: Option<NaiveDate>,
    pub service_to: Option<NaiveDate>,
    pub amount: Money,
    #[schema(min_length = 1, max_length = 500)]
    pub description: String,
    #[schema(min_length = 1, max_length = 200)]
    pub supplier: String,
    /// The receipt's reference, unique per case.
    #[schema(min_length = 1, max_length = 100)]
    pub document_ref: String,
    /// ISO 3166 alpha-2; required for courses, which are covered only in Denmark (`DK`).
    #[schema(pattern = "^[A-Z]{2}$")]
    pub course_country: Option<String>,
    /// Helper-trainer hours the expense uses, for hour-based posts.
    pub hours: Option<String>,
}

impl TryFrom<SubmitExpense> for NewExpense {
    type Error = ApiError;
    fn try_from(b: SubmitExpense) -> ApiResult<Self> {
        Ok(NewExpense {
            hours: b.hours.as_deref().map(|h| hours("hours", h)).transpose()?,
            post_id: b.post_id,
            expense_date: b.expense_date,
            service_from: b.service_from,
            service_to: b.service_to,
            amount: b.amount,
            description: b.description,
            supplier: b.supplier,
            document_ref: b.document_ref,
            course_country: b.course_country,
        })
    }
}

problems!(SubmitExpenseProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidAmount, InvalidHours, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
    409 => [DocumentRefTaken, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidServicePeriod, PostNotGranted, BudgetPostExceeded, BudgetPostHoursExceeded, HoursRequired, HoursNotApplicable, InvalidHours, ExpenseBeforeApplication, CaseEnded, ExpenseOutsideBudgetYear, CourseAbroadNotCovered, CourseCountryRequired, InvalidCountry, RollingCapExceeded, RateMissing, RateInvalid, InvalidAmount, InvalidValue, CprNumberNotAllowed],
});

/// Submit a documented expense (role `caseworker`; `Idempotency-Key`). It is pending until decided.
#[utoipa::path(tag = "expenses", params(("id" = String, Path, description = "Budget year id"), ("Idempotency-Key" = String, Header)),
    request_body = SubmitExpense, security(("bearer" = [])), responses(
    (status = 201, body = ExpenseView),
    (status = 200, description = "Idempotent replay", body = ExpenseView),
    SubmitExpenseProblems,
))]
#[post("/v1/budget-years/{id}/expenses")]
pub async fn submit_expense(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<SubmitExpense>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = Submit {
        year_id: id.into_inner(),
        expense: NewExpense::try_from(body.value)?,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(r, StatusCode::CREATED))
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseList {
    pub items: Vec<ExpenseView>,
}

problems!(YearExpensesProblems {
    403 => [Forbidden],
    404 => [BudgetYearNotFound],
});

/// The expenses of a budget year.
#[utoipa::path(tag = "expenses", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = ExpenseList), YearExpensesProblems))]
#[get("/v1/budget-years/{id}/expenses")]
pub async fn year_expenses(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = query(l, auth, move |tx, c| expenses::of_year(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(ExpenseList { items }))
}

problems!(GetExpenseProblems {
    403 => [Forbidden],
    404 => [ExpenseNotFound],
});

/// One expense.
#[utoipa::path(tag = "expenses", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = ExpenseView),
    GetExpenseProblems,
))]
#[get("/v1/expenses/{id}")]
pub async fn get_expense(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let e = query(l, auth, move |tx, c| expenses::get(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(e))
}

problems!(ApproveExpenseProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidAmount, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    403 => [Forbidden],
    404 => [ExpenseNotFound],
    409 => [ExpenseNotPending, IdempotencyKeyReused],
    422 => [InvisibleCharacter, InvalidAmount, InvalidReason, CprNumberNotAllowed, YearSettled, BudgetPostExceeded, BudgetPostHoursExceeded, RollingCapExceeded, CaseEnded, ExpenseBeforeApplication, ExpenseOutsideBudgetYear, PeriodClosed, RateMissing, RateInvalid],
});

/// Optional: approve only part of what was asked, `{ "amount", "reason" }` (both), or the
/// whole with `{}` or no body.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ApproveBody {
    Part(ApprovePart),
    Whole(ApproveWhole),
}

/// A partial approval.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"amount": "180.00", "reason": "Kørsel dækkes med statens laveste takst"}))]
pub struct ApprovePart {
    /// The amount approved: above 0.00 and below what was asked.
    pub amount: Money,
    /// Why the rest is refused: stored as a refusal decision with a letter.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// The whole approved.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveWhole {}

impl ApproveBody {
    fn part(self) -> Option<(Money, String)> {
        match self {
            ApproveBody::Part(p) => Some((p.amount, p.reason)),
            ApproveBody::Whole(_) => None,
        }
    }
}

/// Approve an expense (role `caseworker`): books it and consumes its post, atomically. With an
/// `Idempotency-Key` a retry answers with the first approval (header `Idempotent-Replayed`).
/// With a body `{ "amount", "reason" }` it is approved in part: that amount is booked and owed,
/// and the rest is refused by a decision of its own with the reason and a letter.
#[utoipa::path(tag = "expenses", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), security(("bearer" = [])),
    request_body(content = Option<ApproveBody>, description = "Optional: a partial approval"),
    responses(
    (status = 200, body = ExpenseView),
    ApproveExpenseProblems,
))]
#[post("/v1/expenses/{id}/approve")]
pub async fn approve_expense(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: OptionalJsonBody<ApproveBody>,
) -> ApiResult<HttpResponse> {
    let key = optional_key(&req, &body.fingerprint)?;
    let cmd = ApproveExpense {
        expense_id: id.into_inner(),
        part: body.value.and_then(ApproveBody::part),
    };
    let r = blocking(move || l.execute_keyed(&auth.0, key.as_ref(), 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Ordinary household goods are not training expenses"}))]
pub struct RejectExpense {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

problems!(RejectExpenseProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [ExpenseNotFound],
    409 => [ExpenseNotPending],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidReason, CprNumberNotAllowed],
});

/// Reject an expense with a reason (role `caseworker`).
#[utoipa::path(tag = "expenses", params(("id" = String, Path)), request_body = RejectExpense, security(("bearer" = [])), responses(
    (status = 200, body = ExpenseView),
    RejectExpenseProblems,
))]
#[post("/v1/expenses/{id}/reject")]
pub async fn reject_expense(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<RejectExpense>,
) -> ApiResult<HttpResponse> {
    let cmd = Reject {
        expense_id: id.into_inner(),
        reason: body.value.reason,
    };
    Ok(HttpResponse::Ok().json(blocking(move || l.execute(&auth.0, &cmd)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decided_on": "2025-06-02", "reason": "The invoice was for the sibling's equipment, not the training"}))]
pub struct AnnulExpense {
    /// The date of the annulment decision, not in the future.
    pub decided_on: NaiveDate,
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

problems!(AnnulExpenseProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [ExpenseNotFound],
    409 => [ExpenseNotApproved, AlreadyReversed, YearSettled, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidReason, InvalidDecidedOn, CprNumberNotAllowed, PeriodClosed, BalanceConstraintViolated],
});

/// Annul an approval that was wrong (role `caseworker`; `Idempotency-Key`): the approval is
/// reversed (the post gets its money back); an unpaid payable is cancelled, a paid one becomes a
/// repayment claim on the family (`GET /v1/clawbacks`). The annulment is a decision with a letter.
#[utoipa::path(tag = "expenses", params(("id" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = AnnulExpense, security(("bearer" = [])), responses(
    (status = 200, body = ExpenseView),
    AnnulExpenseProblems,
))]
#[post("/v1/expenses/{id}/annul")]
pub async fn annul_expense(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<AnnulExpense>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = Annul {
        expense_id: id.into_inner(),
        decided_on: body.value.decided_on,
        reason: body.value.reason,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 200, &cmd)).await?;
    Ok(recorded(r, StatusCode::OK))
}
