//! A municipality's practice as it stands, with its version (the ETag).
use crate::context::Ctx;
use crate::error::Result;
use crate::store::settings;
use crate::store::Tx;
use chrono::NaiveDateTime;
use rules::settings::Settings;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct SettingsView {
    /// Months in a budget year (at most 12).
    #[schema(example = 12, minimum = 1, maximum = 12)]
    pub budget_year_months: i32,
    #[schema(example = 8, minimum = 0, maximum = 52)]
    pub proposal_weeks_before_end: i32,
    #[schema(example = 8, minimum = 0, maximum = 52)]
    pub documentation_weeks_after_end: i32,
    #[schema(example = 3, minimum = 1, maximum = 12)]
    pub payslips_in_basis: i32,
    #[schema(example = 400, minimum = 0, maximum = 8784)]
    pub insurance_threshold_hours: i32,
    /// Days a family has to answer a hearing when the caseworker sets no `respond_by`.
    #[schema(example = 14, minimum = 7, maximum = 90)]
    pub hearing_days: i32,
    /// Days a bank line may lie from a ledger movement of the same amount and still be matched
    /// by amount and date.
    #[schema(example = 3, minimum = 0, maximum = 31)]
    pub bank_match_window_days: i32,
    /// The name every letter and statement prints: the official name for the municipality's
    /// code (101 Københavns Kommune, 751 Aarhus Kommune) until the admin sets another.
    #[schema(example = "Københavns Kommune", min_length = 2, max_length = 80)]
    pub municipality_name: String,
    /// 0 while the municipality has Copenhagen's defaults; each change adds one.
    pub version: i32,
    pub changed_by: Option<String>,
    #[serde(default, with = "crate::read::utc::opt")]
    pub changed_at: Option<NaiveDateTime>,
    /// Whose practice the values are, in Danish: Copenhagen's folder as the default, then the
    /// municipality's own (a letter names the practice as the municipality's).
    pub source: String,
}

pub fn view(
    municipality: &str,
    s: Settings,
    name: String,
    version: i32,
    by: Option<String>,
    at: Option<NaiveDateTime>,
) -> SettingsView {
    SettingsView {
        budget_year_months: s.budget_year_months,
        proposal_weeks_before_end: s.proposal_weeks_before_end,
        documentation_weeks_after_end: s.documentation_weeks_after_end,
        payslips_in_basis: s.payslips_in_basis,
        insurance_threshold_hours: s.insurance_threshold_hours,
        hearing_days: s.hearing_days,
        bank_match_window_days: s.bank_match_window_days,
        source: rules::settings::source(municipality, &name, version),
        municipality_name: name,
        version,
        changed_by: by,
        changed_at: at,
    }
}

/// A stored version as the API shows it.
pub fn of_row(r: &settings::SettingsRow) -> SettingsView {
    view(
        &r.municipality,
        r.settings(),
        r.name(),
        r.version,
        Some(r.changed_by.clone()),
        Some(r.changed_at),
    )
}

/// Every municipal role reads its municipality's practice.
pub fn get(tx: &mut Tx, ctx: &Ctx) -> Result<SettingsView> {
    let m = &ctx.municipality;
    Ok(match settings::current(tx, m)? {
        Some(r) => of_row(&r),
        None => view(
            m,
            rules::settings::COPENHAGEN,
            rules::municipalities::official_name(m),
            0,
            None,
            None,
        ),
    })
}
