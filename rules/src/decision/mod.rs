//! Forvaltningsloven §§ 22, 24 og 25: a decision that touches a family is given in writing, with its reasons, the rules it applies and guidance on how to appeal.
pub mod danish;
pub mod legal_basis;
pub mod letter;
pub mod wording;

use bookkeeping::{string_enum, Code};

pub const LEGAL: &str = "Forvaltningsloven §§ 22, 24 og 25: a written decision with reasons, the rules applied and appeal guidance";

string_enum!(
    /// What was decided.
    DecisionKind {
        CaseApproved => "case_approved",
        BudgetYearGranted => "budget_year_granted",
        BudgetYearAmended => "budget_year_amended",
        BudgetRefused => "budget_refused",
        ExpenseApproved => "expense_approved",
        ExpenseRejected => "expense_rejected",
        ExpenseRefused => "expense_refused",
        ExpenseAnnulled => "expense_annulled",
        CaseEnded => "case_ended",
        AgreementMade => "agreement_made",
        SettlementClaimed => "settlement_claimed",
        SettlementWaived => "settlement_waived",
        SettlementOffset => "settlement_offset",
        SettlementReopened => "settlement_reopened",
        ClawbackClaimed => "clawback_claimed",
        ClawbackWaived => "clawback_waived",
        ClawbackOffset => "clawback_offset",
        LostEarningsGranted => "lost_earnings_granted",
        LostEarningsRefused => "lost_earnings_refused",
        LostEarningsChanged => "lost_earnings_changed",
    }
);

string_enum!(
    /// The outcome for the family.
    Outcome {
        Granted => "granted",
        Refused => "refused",
        Claimed => "claimed",
        Waived => "waived",
        Changed => "changed",
        Ended => "ended",
    }
);

/// Whether a refusal with `code` refuses help the family asked for, on the substance: then it is
/// a decision the family is owed in writing and may appeal. A malformed request, a duplicate or a
/// missing rate is not: nothing was decided about the family's right.
pub fn is_refusal_decision(code: Code) -> bool {
    matches!(
        code,
        Code::PostNotGranted
            | Code::TrainingCapExceeded
            | Code::BudgetPostExceeded
            | Code::BudgetPostHoursExceeded
            | Code::ExpenseBeforeApplication
            | Code::ExpenseOutsideBudgetYear
            | Code::CaseEnded
            | Code::CourseAbroadNotCovered
            | Code::RollingCapExceeded
            | Code::YearSettled
            | Code::HoursAboveNormalWeek
            | Code::HoursAbovePrevious
            | Code::HomeTeachingFullTime
            | Code::LostEarningsAfter18
            | Code::LostEarningsBeforeApplication
            | Code::LostEarningsOverlap
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substantive_refusals_are_decisions_malformed_input_is_not() {
        assert!(is_refusal_decision(Code::RollingCapExceeded));
        assert!(is_refusal_decision(Code::CourseAbroadNotCovered));
        assert!(!is_refusal_decision(Code::InvalidAmount));
        assert!(!is_refusal_decision(Code::DocumentRefTaken));
        assert!(!is_refusal_decision(Code::RateMissing));
    }
}
