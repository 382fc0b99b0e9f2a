//! Change the municipality's practice (admin, `If-Match`): a new version, who and when; the
//! next decisions use it, decisions already taken keep the practice they were made under.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::settings::{self as view, SettingsView};
use crate::service::Command;
use crate::store::settings::{self, SettingsRow};
use crate::store::{now, Tx};
use bookkeeping::Role;
use rules::budget::amendment::version_mismatch;
pub use rules::settings::{Settings, COPENHAGEN};

#[derive(Clone, Debug)]
pub struct ChangeSettings {
    pub settings: Settings,
    pub if_match: i32,
    /// The request left `bank_match_window_days` out (a client written before the setting
    /// existed): the value in force is kept rather than reset.
    pub keep_bank_window: bool,
    /// The name letters print; `None` keeps the one in force.
    pub municipality_name: Option<String>,
}

impl Command for ChangeSettings {
    type Output = SettingsView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Admin])?;
        rules::settings::check(&self.settings)?;
        match &self.municipality_name {
            Some(n) => rules::settings::check_name(n),
            None => Ok(()),
        }
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<SettingsView> {
        let m = &ctx.municipality;
        let row_now = settings::current(tx, m)?;
        let (current, version) = row_now
            .as_ref()
            .map(|r| (r.settings(), r.version))
            .unwrap_or((COPENHAGEN, 0));
        if version != self.if_match {
            return Err(mismatch(version, self.if_match).into());
        }
        let mut s = self.settings;
        if self.keep_bank_window {
            s.bank_match_window_days = current.bank_match_window_days;
        }
        let row = SettingsRow {
            municipality: m.clone(),
            version: version + 1,
            budget_year_months: s.budget_year_months,
            proposal_weeks_before_end: s.proposal_weeks_before_end,
            documentation_weeks_after_end: s.documentation_weeks_after_end,
            payslips_in_basis: s.payslips_in_basis,
            insurance_threshold_hours: s.insurance_threshold_hours,
            hearing_days: s.hearing_days,
            bank_match_window_days: s.bank_match_window_days,
            changed_by: ctx.sub.clone(),
            changed_at: now(),
            municipality_name: match &self.municipality_name {
                Some(n) => Some(n.trim().to_string()),
                None => row_now.and_then(|r| r.municipality_name),
            },
        };
        // A racing change of the same version collides on the key: the loser is told to re-read.
        settings::insert(tx, &row).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| mismatch(version + 1, self.if_match))
        })?;
        Ok(view::of_row(&row))
    }
}

fn mismatch(version: i32, if_match: i32) -> bookkeeping::Error {
    version_mismatch(format!(
        "the settings are at version {version}, not {if_match}; read them again and change the current version"
    ))
}
