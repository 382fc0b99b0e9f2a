//! Lost-earnings decisions, their changes and each month's calculation explained.
use super::budget_years::hours;
use super::{blocking, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::idempotency_key;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use ledger::commands::change_lost_earnings::{ChangeLostEarnings, Changes};
use ledger::commands::grant_lost_earnings::{BasisType, GrantLostEarnings, Payslip, Terms};
use ledger::read::lost_earnings::{self as read, Calculation, LostEarningsView};
use ledger::{Code, Ledger, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(grant_lost_earnings)
        .service(case_lost_earnings)
        .service(get_lost_earnings)
        .service(change_lost_earnings)
        .service(lost_earnings_calculation);
}

/// A month on the wire: `YYYY-MM`; answers its first day.
pub fn month(field: &str, s: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| s.len() == 7 && (1900..=2199).contains(&d.year()))
        .ok_or_else(|| {
            ledger::Refusal::bad_field(
                Code::InvalidMonth,
                field,
                "a month is written YYYY-MM, such as \"2024-05\"",
            )
            .into()
        })
}

fn opt_hours(field: &str, h: Option<&str>) -> ApiResult<Option<Decimal>> {
    h.map(|h| hours(field, h)).transpose()
}

/// A payslip of the basis: a month's gross amount, or the gross of another period.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PayslipInput {
    /// A calendar month's gross pay.
    Month(Money),
    /// The gross pay of another period.
    Period(PayslipOfPeriod),
}

/// The gross pay of the period `from`-`to` (inclusive), e.g. a fortnight.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayslipOfPeriod {
    gross: Money,
    from: NaiveDate,
    to: NaiveDate,
}

impl PayslipInput {
    fn payslip(self) -> Payslip {
        match self {
            PayslipInput::Month(gross) => Payslip::monthly(gross),
            PayslipInput::Period(p) => Payslip {
                gross: p.gross,
                period: Some((p.from, p.to)),
            },
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"parent_ref": "parent-a", "valid_from": "2024-03-01", "valid_to": "2024-12-31", "granted_weekly_hours": "37", "previous_weekly_hours": "37", "basis_type": "employee", "payslips": ["30000.00", "31000.00", "31000.00"], "previous_employer_pension_monthly": "3000.00", "monthly_savings": "400.00", "home_teaching_weekly_hours": "0", "home_taught_full_time": false, "exceptional_hours_documented": false}))]
#[schema(as = LostEarningsGrant)]
pub struct GrantBody {
    /// The parent, by an opaque reference (never a CPR number).
    #[schema(min_length = 1, max_length = 100)]
    pub parent_ref: String,
    pub valid_from: NaiveDate,
    /// Open-ended when absent: until the day before the child's 18th birthday.
    pub valid_to: Option<NaiveDate>,
    /// Decimal string, above 0 and at most 37 unless exceptional hours are documented.
    #[schema(example = "37", pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub granted_weekly_hours: String,
    /// The parent's own previous weekly working hours; required for `employee`.
    #[schema(example = "37", pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub previous_weekly_hours: Option<String>,
    #[schema(value_type = String, pattern = "^(employee|self_employed|estimated)$")]
    pub basis_type: BasisType,
    /// For `employee`: 1 to 12 payslips (the municipality's setting says how many): a month's
    /// gross amount, or `{ "gross", "from", "to" }` for a payslip of another period (a
    /// fortnight), turned into a month's pay by its days.
    #[schema(max_items = 12)]
    pub payslips: Option<Vec<PayslipInput>>,
    /// For `self_employed` and `estimated`: the monthly amount the caseworker sets.
    pub monthly_basis: Option<Money>,
    /// The previous employer's monthly pension contribution (0 if none).
    pub previous_employer_pension_monthly: Money,
    /// Documented monthly savings from not working: deducted after tax by the payroll system.
    pub monthly_savings: Option<Money>,
    /// Recorded, never deducted automatically.
    #[schema(example = "0", pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub home_teaching_weekly_hours: String,
    #[serde(default)]
    pub home_taught_full_time: bool,
    #[serde(default)]
    pub exceptional_hours_documented: bool,
}

problems!(GrantProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidHours, InvalidAmount, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [CaseNotFound],
    409 => [IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, HoursAboveNormalWeek, HoursAbovePrevious, HomeTeachingFullTime, LostEarningsAfter18, CaseEnded, PayslipCountMismatch, InvalidBasis, InvalidParentRef, InvalidHours, InvalidAmount, InvalidValue, MissingField, CprNumberNotAllowed],
});

/// Grant compensation for lost earnings (role `caseworker`; `Idempotency-Key`). Refusals
/// (`hours_above_normal_week`, `hours_above_previous_hours`, `home_teaching_full_time`,
/// `lost_earnings_after_18`, `case_ended`) are stored decisions: the 422 carries `decision_id`.
/// A period past the day before the 18th birthday or the case's end is cut there, and the
/// decision says so.
#[utoipa::path(tag = "lost-earnings", params(("id" = String, Path, description = "Case id"), ("Idempotency-Key" = String, Header)),
    request_body = GrantBody, security(("bearer" = [])), responses(
    (status = 201, body = LostEarningsView),
    (status = 200, description = "Idempotent replay", body = LostEarningsView),
    GrantProblems,
))]
#[post("/v1/cases/{id}/lost-earnings")]
pub async fn grant_lost_earnings(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<GrantBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let terms = Terms {
        parent_ref: b.parent_ref,
        valid_from: b.valid_from,
        valid_to: b.valid_to,
        granted_weekly_hours: hours("granted_weekly_hours", &b.granted_weekly_hours)?,
        previous_weekly_hours: opt_hours(
            "previous_weekly_hours",
            b.previous_weekly_hours.as_deref(),
        )?,
        basis_type: b.basis_type,
        payslips: b
            .payslips
            .unwrap_or_default()
            .into_iter()
            .map(PayslipInput::payslip)
            .collect(),
        monthly_basis: b.monthly_basis,
        employer_pension_monthly: b.previous_employer_pension_monthly,
        monthly_savings: b.monthly_savings.unwrap_or(Money::ZERO),
        home_teaching_weekly_hours: hours(
            "home_teaching_weekly_hours",
            &b.home_teaching_weekly_hours,
        )?,
        home_taught_full_time: b.home_taught_full_time,
        exceptional_hours_documented: b.exceptional_hours_documented,
    };
    let cmd = GrantLostEarnings {
        case_id: id.into_inner(),
        terms,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(r, StatusCode::CREATED))
}

#[derive(Serialize, ToSchema)]
pub struct LostEarningsList {
    pub items: Vec<LostEarningsView>,
}

problems!(OfCaseProblems {
    403 => [Forbidden],
    404 => [CaseNotFound],
});

/// The lost-earnings decisions of a case, each with every version.
#[utoipa::path(tag = "lost-earnings", params(("id" = String, Path, description = "Case id")), security(("bearer" = [])), responses((status = 200, body = LostEarningsList), OfCaseProblems))]
#[get("/v1/cases/{id}/lost-earnings")]
pub async fn case_lost_earnings(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let items = query(l, auth, move |tx, c| read::of_case(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(LostEarningsList { items }))
}

problems!(GetProblems {
    403 => [Forbidden],
    404 => [LostEarningsNotFound],
});

/// A lost-earnings decision with every version (earlier versions stay readable).
#[utoipa::path(tag = "lost-earnings", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = LostEarningsView), GetProblems))]
#[get("/v1/lost-earnings/{id}")]
pub async fn get_lost_earnings(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(query(l, auth, move |tx, c| read::get(tx, c, &id)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"effective_from": "2024-04-01", "granted_weekly_hours": "20"}))]
#[schema(as = LostEarningsChange)]
pub struct ChangeBody {
    /// The change takes effect from this date (inside the decision's period); months already
    /// run are corrected by the next payroll run.
    pub effective_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub granted_weekly_hours: Option<String>,
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub previous_weekly_hours: Option<String>,
    #[schema(value_type = Option<String>, pattern = "^(employee|self_employed|estimated)$")]
    pub basis_type: Option<BasisType>,
    #[schema(max_items = 12)]
    pub payslips: Option<Vec<PayslipInput>>,
    pub monthly_basis: Option<Money>,
    pub previous_employer_pension_monthly: Option<Money>,
    pub monthly_savings: Option<Money>,
    #[schema(pattern = r"^\d{1,3}(\.\d{1,2})?$")]
    pub home_teaching_weekly_hours: Option<String>,
    pub home_taught_full_time: Option<bool>,
    pub exceptional_hours_documented: Option<bool>,
}

problems!(ChangeProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidHours, InvalidAmount, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [LostEarningsNotFound],
    409 => [IdempotencyKeyReused, VersionMismatch],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, HoursAboveNormalWeek, HoursAbovePrevious, HomeTeachingFullTime, LostEarningsAfter18, CaseEnded, PayslipCountMismatch, InvalidBasis, InvalidEffectiveFrom, InvalidHours, InvalidAmount, InvalidValue, MissingField],
});

/// Change a decision from a date (role `caseworker`; `Idempotency-Key`): a new version with the
/// fields given, decided by the same rules (a refusal is a stored decision).
#[utoipa::path(tag = "lost-earnings", params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = ChangeBody, security(("bearer" = [])), responses(
    (status = 201, body = LostEarningsView),
    (status = 200, description = "Idempotent replay", body = LostEarningsView),
    ChangeProblems,
))]
#[post("/v1/lost-earnings/{id}/changes")]
pub async fn change_lost_earnings(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<ChangeBody>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let changes = Changes {
        effective_from: Some(b.effective_from),
        valid_to: b.valid_to,
        granted_weekly_hours: opt_hours("granted_weekly_hours", b.granted_weekly_hours.as_deref())?,
        previous_weekly_hours: opt_hours(
            "previous_weekly_hours",
            b.previous_weekly_hours.as_deref(),
        )?,
        basis_type: b.basis_type,
        payslips: b
            .payslips
            .map(|p| p.into_iter().map(PayslipInput::payslip).collect()),
        monthly_basis: b.monthly_basis,
        employer_pension_monthly: b.previous_employer_pension_monthly,
        monthly_savings: b.monthly_savings,
        home_teaching_weekly_hours: opt_hours(
            "home_teaching_weekly_hours",
            b.home_teaching_weekly_hours.as_deref(),
        )?,
        home_taught_full_time: b.home_taught_full_time,
        exceptional_hours_documented: b.exceptional_hours_documented,
    };
    let cmd = ChangeLostEarnings {
        id: id.into_inner(),
        changes,
    };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(r, StatusCode::CREATED))
}

#[derive(Deserialize, IntoParams)]
pub struct CalculationQuery {
    /// The month, `YYYY-MM`.
    #[param(pattern = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])$")]
    pub month: String,
}

problems!(CalculationProblems {
    400 => [InvalidQuery, InvalidMonth],
    403 => [Forbidden],
    404 => [LostEarningsNotFound],
    422 => [RateMissing, InvalidMonth],
});

/// A month's calculation, every step: the inputs, the rates used with their dates and sources,
/// each formula, each intermediate and final figure.
#[utoipa::path(tag = "lost-earnings", params(("id" = String, Path), CalculationQuery), security(("bearer" = [])), responses((status = 200, body = Calculation), CalculationProblems))]
#[get("/v1/lost-earnings/{id}/calculation")]
pub async fn lost_earnings_calculation(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    q: web::Query<CalculationQuery>,
) -> ApiResult<HttpResponse> {
    let m = month("month", &q.month)?;
    let id = id.into_inner();
    Ok(HttpResponse::Ok()
        .json(query(l, auth, move |tx, c| read::calculation(tx, c, &id, m)).await?))
}
