//! A municipality's practice, one row per version; the newest is in force.
use super::schema::settings;
use super::{DbConnection, StoreResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rules::settings::Settings;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = settings)]
pub struct SettingsRow {
    pub municipality: String,
    pub version: i32,
    pub budget_year_months: i32,
    pub proposal_weeks_before_end: i32,
    pub documentation_weeks_after_end: i32,
    pub payslips_in_basis: i32,
    pub insurance_threshold_hours: i32,
    pub changed_by: String,
    pub changed_at: NaiveDateTime,
    pub hearing_days: i32,
    pub bank_match_window_days: i32,
    /// The name letters print; null: the official name for the code.
    pub municipality_name: Option<String>,
}

impl SettingsRow {
    /// The name letters print: the one the admin set, or the official name for the code.
    pub fn name(&self) -> String {
        self.municipality_name
            .clone()
            .unwrap_or_else(|| rules::municipalities::official_name(&self.municipality))
    }

    pub fn settings(&self) -> Settings {
        Settings {
            budget_year_months: self.budget_year_months,
            proposal_weeks_before_end: self.proposal_weeks_before_end,
            documentation_weeks_after_end: self.documentation_weeks_after_end,
            payslips_in_basis: self.payslips_in_basis,
            insurance_threshold_hours: self.insurance_threshold_hours,
            hearing_days: self.hearing_days,
            bank_match_window_days: self.bank_match_window_days,
        }
    }
}

/// The newest version, if the municipality ever changed its settings.
pub fn current(conn: &mut DbConnection, municipality: &str) -> StoreResult<Option<SettingsRow>> {
    Ok(settings::table
        .filter(settings::municipality.eq(municipality))
        .select(SettingsRow::as_select())
        .order(settings::version.desc())
        .first(conn)
        .optional()?)
}

/// The settings in force: the newest version, or Copenhagen's defaults (version 0).
pub fn in_force(conn: &mut DbConnection, municipality: &str) -> StoreResult<(Settings, i32)> {
    Ok(current(conn, municipality)?
        .map(|r| (r.settings(), r.version))
        .unwrap_or((rules::settings::COPENHAGEN, 0)))
}

/// The municipality's name as its letters and statements print it: the one its admin set, or
/// the official name for its code.
pub fn name_of(conn: &mut DbConnection, municipality: &str) -> StoreResult<String> {
    Ok(current(conn, municipality)?
        .map(|r| r.name())
        .unwrap_or_else(|| rules::municipalities::official_name(municipality)))
}

/// The settings of one version (0: Copenhagen's defaults).
pub fn at_version(
    conn: &mut DbConnection,
    municipality: &str,
    version: i32,
) -> StoreResult<Settings> {
    if version == 0 {
        return Ok(rules::settings::COPENHAGEN);
    }
    settings::table
        .filter(settings::municipality.eq(municipality))
        .filter(settings::version.eq(version))
        .select(SettingsRow::as_select())
        .first(conn)
        .optional()?
        .map(|r| r.settings())
        .ok_or_else(|| {
            super::StoreError::Corrupt(format!("settings version {version} of {municipality}"))
        })
}

/// A new version; two racing writers of the same version collide on the primary key.
pub fn insert(conn: &mut DbConnection, row: &SettingsRow) -> StoreResult<()> {
    diesel::insert_into(settings::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn history(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<SettingsRow>> {
    Ok(settings::table
        .filter(settings::municipality.eq(municipality))
        .select(SettingsRow::as_select())
        .order(settings::version.asc())
        .load(conn)?)
}
