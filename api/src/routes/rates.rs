//! Statutory rates as dated parameters.
use super::{blocking, created, query};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::add_rate::{AddRate as Add, NewRate};
use ledger::read::rates::{self, Rate};
use ledger::{Code, Ledger, Refusal};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_rates).service(add_rate);
}

#[derive(Deserialize, IntoParams)]
pub struct RateQuery {
    /// Only rates of this name, e.g. `training_expense_cap`.
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RateList {
    pub items: Vec<Rate>,
}

problems!(ListRatesProblems {
    400 => [InvalidQuery],
});

/// Statutory rates as dated parameters (any role).
#[utoipa::path(tag = "rates", params(RateQuery), security(("bearer" = [])), responses((status = 200, body = RateList), ListRatesProblems))]
#[get("/v1/rates")]
pub async fn list_rates(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<RateQuery>,
) -> ApiResult<HttpResponse> {
    let name = q.into_inner().name;
    let items = query(l, auth, move |tx, c| rates::list(tx, c, name.as_deref())).await?;
    Ok(HttpResponse::Ok().json(RateList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "training_expense_cap", "valid_from": "2025-01-01", "value": "722500.00", "unit": "DKK", "source": "Satsregulering 2025"}))]
pub struct AddRate {
    #[schema(pattern = "^[a-z0-9_]{1,64}$")]
    pub name: String,
    pub valid_from: NaiveDate,
    /// Exact decimal string.
    pub value: String,
    /// `DKK` (default), `percent`, `hours` or `factor`.
    pub unit: Option<String>,
    /// The order, circular or publication the figure comes from.
    #[schema(min_length = 1)]
    pub source: String,
}

impl TryFrom<AddRate> for Add {
    type Error = ApiError;
    fn try_from(b: AddRate) -> ApiResult<Self> {
        let value = Decimal::from_str_exact(b.value.trim()).map_err(|_| {
            Refusal::bad_field(
                Code::InvalidValue,
                "value",
                "a decimal string such as \"1234.50\"",
            )
        })?;
        Ok(Add(NewRate {
            name: b.name,
            valid_from: b.valid_from,
            value,
            unit: b.unit.unwrap_or_else(|| "DKK".into()),
            source: b.source,
        }))
    }
}

problems!(AddRateProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue],
    408 => [RequestTimeout],
    403 => [Forbidden],
    409 => [RateExists],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidRateName, InvalidUnit, InvalidAmount, InvalidValue, InvalidSource, RateDecrease],
});

/// Add a rate value from a date (role `operator`: rates are national). A value for a date that already has one is a 409.
#[utoipa::path(tag = "rates", request_body = AddRate, security(("bearer" = [])), responses(
    (status = 201, body = Rate),
    AddRateProblems,
))]
#[post("/v1/rates")]
pub async fn add_rate(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<AddRate>,
) -> ApiResult<HttpResponse> {
    let cmd = Add::try_from(body.value)?;
    Ok(created(&blocking(move || l.execute(&auth.0, &cmd)).await?))
}
