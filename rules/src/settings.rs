//! Copenhagen folder ("Økonomi og hjemmetræning"): municipal practice, not national law: the budget-year length, the deadlines around it, the payslips in a lost-earnings basis, the insurance threshold the days to answer a hearing and the days a bank line may lie from its payment are each municipality's settings, with Copenhagen's values as defaults.
use bookkeeping::{Code, Error, Result};

/// Copenhagen's folder, where every default comes from.
pub const COPENHAGEN_FOLDER: &str = "Københavns Kommune, 'Økonomi og hjemmetræning'";

/// Whose practice the values in force are, in Danish. Copenhagen's own are its folder's; another
/// municipality keeps Copenhagen's values as defaults until its admin changes them, and from
/// then on they are its own (a letter then names them as its practice).
pub fn source(municipality: &str, name: &str, version: i32) -> String {
    match (municipality, version) {
        ("101", 0) => format!("{COPENHAGEN_FOLDER} (budgetår på 12 måneder, forslag 8 uger før og dokumentation 8 uger efter årets udløb, gennemsnit af de seneste tre lønsedler, forsikring af hjælpetrænere over 400 timer om året, 14 dages partshøring, bankposter afstemt inden for 3 dage)"),
        (_, 0) => format!("Standardværdier efter {COPENHAGEN_FOLDER}, indtil {name} fastsætter sin egen praksis"),
        (_, v) => format!("{}, version {v}", crate::municipalities::practice_of(name)),
    }
}

/// A municipality's name as letters print it: 2-80 characters, not blank, no CPR number.
pub fn check_name(name: &str) -> Result<()> {
    let n = name.trim().chars().count();
    if !(2..=80).contains(&n) {
        return Err(Error::field(
            Code::InvalidSettings,
            "municipality_name",
            "municipality_name is 2-80 characters, e.g. \"Aarhus Kommune\"",
        ));
    }
    crate::privacy::no_cpr::reject_in_text("municipality_name", name)
}

/// A municipality's practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub budget_year_months: i32,
    pub proposal_weeks_before_end: i32,
    pub documentation_weeks_after_end: i32,
    pub payslips_in_basis: i32,
    pub insurance_threshold_hours: i32,
    /// Days a family has to answer a hearing when the caseworker sets no date.
    pub hearing_days: i32,
    /// Days a bank line and a ledger movement of the same amount may lie apart and still be
    /// matched by amount and date (bank reconciliation's third rule).
    pub bank_match_window_days: i32,
}

/// Copenhagen's practice, the default of every municipality until its admin changes it.
pub const COPENHAGEN: Settings = Settings {
    budget_year_months: 12,
    proposal_weeks_before_end: 8,
    documentation_weeks_after_end: 8,
    payslips_in_basis: 3,
    insurance_threshold_hours: 400,
    hearing_days: 14,
    bank_match_window_days: 3,
};

/// Each setting within what the law and the calendar allow (a budget year is at most 12 months).
pub fn check(s: &Settings) -> Result<()> {
    let fields = [
        ("budget_year_months", s.budget_year_months, 1, 12),
        (
            "proposal_weeks_before_end",
            s.proposal_weeks_before_end,
            0,
            52,
        ),
        (
            "documentation_weeks_after_end",
            s.documentation_weeks_after_end,
            0,
            52,
        ),
        ("payslips_in_basis", s.payslips_in_basis, 1, 12),
        (
            "insurance_threshold_hours",
            s.insurance_threshold_hours,
            0,
            8784,
        ),
        // Forvaltningsloven § 19 asks for a reasonable time to answer: at least a week, and a
        // claim is not left undecided for more than a quarter.
        ("hearing_days", s.hearing_days, 7, 90),
        // A bank books a transfer within days; a month apart is no longer the same payment.
        ("bank_match_window_days", s.bank_match_window_days, 0, 31),
    ];
    let mut err: Option<Error> = None;
    for (field, v, lo, hi) in fields {
        if v < lo || v > hi {
            let msg = format!("{field} is between {lo} and {hi}");
            err = Some(match err {
                None => Error::field(Code::InvalidSettings, field, msg),
                Some(e) => e.with_field(field, msg),
            });
        }
    }
    err.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copenhagen_is_valid_and_ranges_hold() {
        assert!(check(&COPENHAGEN).is_ok());
        let bad = Settings {
            budget_year_months: 13,
            payslips_in_basis: 0,
            ..COPENHAGEN
        };
        let e = check(&bad).unwrap_err();
        assert_eq!(e.code, Code::InvalidSettings);
        assert_eq!(e.errors.len(), 2);
    }
}
