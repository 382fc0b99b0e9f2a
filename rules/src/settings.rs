//! Copenhagen folder ("Økonomi og hjemmetræning"): municipal practice, not national law: the budget-year length, the deadlines around it, the payslips in a lost-earnings basis, the insurance threshold the days to answer a hearing and the days a bank line may lie from its payment are each municipality's settings, with Copenhagen's values as defaults.
use bookkeeping::{Code, Error, Result};

pub const SOURCE: &str = "Københavns Kommune, 'Økonomi og hjemmetræning' (003): budget year of 12 months from the approval, proposal 8 weeks before and documentation 8 weeks after the year's end, the average of the last three payslips, insurance of helper trainers above 400 hours a year; and 14 days for a family to answer a hearing (forvaltningsloven § 19 asks for a reasonable time); a bank line matched to a payment of the same amount within 3 days";

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
