//! The municipality's practice (Copenhagen's values as defaults): read with its ETag, changed by
//! the admin with `If-Match`.
use super::{blocking, query, with_etag};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::if_match_of;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use ledger::commands::change_settings::{ChangeSettings, Settings};
use ledger::read::settings::{self, SettingsView};
use ledger::Ledger;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_settings).service(put_settings);
}

problems!(GetSettingsProblems {
    403 => [Forbidden],
});

/// The municipality's practice now (any role of the municipality), with `ETag` = its version.
#[utoipa::path(tag = "settings", security(("bearer" = [])), responses((status = 200, body = SettingsView), GetSettingsProblems))]
#[get("/v1/settings")]
pub async fn get_settings(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let s = query(l, auth, settings::get).await?;
    let v = s.version;
    Ok(with_etag(HttpResponse::Ok().json(s), v))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"budget_year_months": 12, "proposal_weeks_before_end": 8, "documentation_weeks_after_end": 8, "payslips_in_basis": 3, "insurance_threshold_hours": 400, "hearing_days": 14, "bank_match_window_days": 3}))]
pub struct SettingsInput {
    #[schema(minimum = 1, maximum = 12)]
    #[serde(deserialize_with = "crate::extract::whole::whole")]
    pub budget_year_months: i32,
    #[schema(minimum = 0, maximum = 52)]
    #[serde(deserialize_with = "crate::extract::whole::whole")]
    pub proposal_weeks_before_end: i32,
    #[schema(minimum = 0, maximum = 52)]
    #[serde(deserialize_with = "crate::extract::whole::whole")]
    pub documentation_weeks_after_end: i32,
    #[schema(minimum = 1, maximum = 12)]
    #[serde(deserialize_with = "crate::extract::whole::whole")]
    pub payslips_in_basis: i32,
    #[schema(minimum = 0, maximum = 8784)]
    #[serde(deserialize_with = "crate::extract::whole::whole")]
    pub insurance_threshold_hours: i32,
    /// Days a family has to answer a hearing when the caseworker sets no `respond_by` (7-90).
    #[schema(minimum = 7, maximum = 90)]
    #[serde(deserialize_with = "crate::extract::whole::whole")]
    pub hearing_days: i32,
    /// Days a bank line may lie from a ledger movement of the same amount and still be matched
    /// by amount and date (0-31); left out or null, the value in force is kept.
    #[schema(minimum = 0, maximum = 31)]
    #[serde(default, deserialize_with = "crate::extract::whole::whole_opt")]
    pub bank_match_window_days: Option<i32>,
    /// The name every letter and statement prints (2-80 characters); left out or null, the
    /// name in force is kept (at first the official name for the code).
    #[schema(min_length = 2, max_length = 80, example = "Aarhus Kommune")]
    #[serde(default)]
    pub municipality_name: Option<String>,
    /// Ignored (the version is `If-Match`); accepted so a client can send back what it read.
    pub version: Option<f64>,
    /// Read-only, ignored: accepted so that a client can PUT back the body it GOT with one
    /// value changed.
    pub changed_by: Option<String>,
    /// Read-only, ignored (see `changed_by`).
    pub changed_at: Option<String>,
    /// Read-only, ignored (see `changed_by`).
    pub source: Option<String>,
}

problems!(PutSettingsProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidIfMatch],
    408 => [RequestTimeout],
    403 => [Forbidden],
    412 => [VersionMismatch],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidSettings, CprNumberNotAllowed],
    428 => [PreconditionRequired],
});

/// Change the practice (role `admin`; `If-Match` with the settings' ETag): answers 200 with the
/// new settings and version. Changes are versioned with who and when.
#[utoipa::path(tag = "settings", params(("If-Match" = String, Header, description = "The settings' ETag")), request_body = SettingsInput, security(("bearer" = [])), responses(
    (status = 200, body = SettingsView),
    PutSettingsProblems,
))]
#[put("/v1/settings")]
pub async fn put_settings(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<SettingsInput>,
) -> ApiResult<HttpResponse> {
    let version = if_match_of(&req, "the settings'")?;
    let b = body.value;
    let cmd = ChangeSettings {
        settings: Settings {
            budget_year_months: b.budget_year_months,
            proposal_weeks_before_end: b.proposal_weeks_before_end,
            documentation_weeks_after_end: b.documentation_weeks_after_end,
            payslips_in_basis: b.payslips_in_basis,
            insurance_threshold_hours: b.insurance_threshold_hours,
            hearing_days: b.hearing_days,
            bank_match_window_days: b.bank_match_window_days.unwrap_or(3),
        },
        if_match: version,
        keep_bank_window: b.bank_match_window_days.is_none(),
        municipality_name: b.municipality_name,
    };
    let s = blocking(move || l.execute(&auth.0, &cmd)).await?;
    let v = s.version;
    Ok(with_etag(HttpResponse::Ok().json(s), v))
}
