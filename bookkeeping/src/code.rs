//! Every refusal code the service gives, defined once. A problem's `code`, the OpenAPI list of
//! codes per operation and the tests all name these variants, never a free string.

macro_rules! codes {
    ($($variant:ident => $s:literal),+ $(,)?) => {
        /// A stable, machine-readable refusal code (the `code` of a problem+json body).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),+ }
        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Code> {
                match s { $($s => Some(Code::$variant),)+ _ => None }
            }
        }
    };
}

codes! {
    // The request itself.
    InvalidJson => "invalid_json",
    DuplicateKey => "duplicate_key",
    InvisibleCharacter => "invisible_character",
    RequestTimeout => "request_timeout",
    InvalidBody => "invalid_body",
    UnknownField => "unknown_field",
    MissingField => "missing_field",
    InvalidValue => "invalid_value",
    InvalidAmount => "invalid_amount",
    AccountTotalTooLarge => "account_total_too_large",
    TotalTooLarge => "total_too_large",
    InvalidHours => "invalid_hours",
    InvalidQuery => "invalid_query",
    PayloadTooLarge => "payload_too_large",
    UnsupportedMediaType => "unsupported_media_type",
    NotFound => "not_found",
    MethodNotAllowed => "method_not_allowed",
    IdempotencyKeyRequired => "idempotency_key_required",
    InvalidIdempotencyKey => "invalid_idempotency_key",
    IdempotencyKeyReused => "idempotency_key_reused",
    PreconditionRequired => "precondition_required",
    InvalidIfMatch => "invalid_if_match",
    VersionMismatch => "version_mismatch",
    // Who asks.
    Unauthorized => "unauthorized",
    InvalidToken => "invalid_token",
    Forbidden => "forbidden",
    // The service itself.
    InternalError => "internal_error",
    NotReady => "not_ready",
    ServiceUnavailable => "service_unavailable",
    // Accounts and entries.
    AccountNotFound => "account_not_found",
    AccountCodeTaken => "account_code_taken",
    InvalidAccountCode => "invalid_account_code",
    InvalidName => "invalid_name",
    BudgetAccountsByDecision => "budget_accounts_by_decision",
    BudgetAccountsNotManual => "budget_accounts_not_manual",
    AccountManagedByDecisions => "account_managed_by_decisions",
    JournalEntryNotFound => "journal_entry_not_found",
    InvalidDescription => "invalid_description",
    TooFewPostings => "too_few_postings",
    TooManyPostings => "too_many_postings",
    InvalidPosting => "invalid_posting",
    UnbalancedEntry => "unbalanced_entry",
    BalanceConstraintViolated => "balance_constraint_violated",
    AlreadyReversed => "already_reversed",
    EntryNotManuallyReversible => "entry_not_manually_reversible",
    PeriodClosed => "period_closed",
    PeriodAlreadyClosed => "period_already_closed",
    PeriodCloseInFuture => "period_close_in_future",
    PeriodCloseNotFound => "period_close_not_found",
    InvalidAccountMapping => "invalid_account_mapping",
    UnmappedAccounts => "unmapped_accounts",
    // Bank reconciliation.
    InvalidBankStatement => "invalid_bank_statement",
    BankStatementNotFound => "bank_statement_not_found",
    BankLineNotFound => "bank_line_not_found",
    BankLineAlreadyMatched => "bank_line_already_matched",
    MovementNotFound => "movement_not_found",
    MovementAlreadyMatched => "movement_already_matched",
    MatchAmountsDiffer => "match_amounts_differ",
    BankMatchNotFound => "bank_match_not_found",
    BankMatchUndone => "bank_match_undone",
    // Rates.
    RateExists => "rate_exists",
    RateMissing => "rate_missing",
    RateInvalid => "rate_invalid",
    RateDecrease => "rate_decrease",
    InvalidRateName => "invalid_rate_name",
    InvalidUnit => "invalid_unit",
    InvalidSource => "invalid_source",
    // Cases.
    CaseNotFound => "case_not_found",
    CaseRefTaken => "case_ref_taken",
    CprNumberNotAllowed => "cpr_number_not_allowed",
    InvalidExternalRef => "invalid_external_ref",
    InvalidBirthDate => "invalid_birth_date",
    ChildOver18 => "child_over_18",
    ApprovalInFuture => "approval_in_future",
    InvalidApprovalDate => "invalid_approval_date",
    InvalidReason => "invalid_reason",
    CaseAlreadyEnded => "case_already_ended",
    InvalidEndDate => "invalid_end_date",
    CaseHasLaterBookings => "case_has_later_bookings",
    CaseEnded => "case_ended",
    // Budget years.
    BudgetYearNotFound => "budget_year_not_found",
    BudgetYearOverlap => "budget_year_overlap",
    BudgetYearBeforeApplication => "budget_year_before_application",
    TrainingCapExceeded => "training_cap_exceeded",
    NoPosts => "no_posts",
    RefusalReasonRequired => "refusal_reason_required",
    TooManyPosts => "too_many_posts",
    InvalidPost => "invalid_post",
    HoursOnlyForHelperTrainers => "hours_only_for_helper_trainers",
    PostBelowApproved => "post_below_approved",
    PostNotGranted => "post_not_granted",
    NoChanges => "no_changes",
    DuplicateChange => "duplicate_change",
    InvalidChange => "invalid_change",
    InvalidDecidedOn => "invalid_decided_on",
    // Expenses.
    ExpenseNotFound => "expense_not_found",
    ExpenseNotPending => "expense_not_pending",
    DocumentRefTaken => "document_ref_taken",
    ExpenseBeforeApplication => "expense_before_application",
    ExpenseOutsideBudgetYear => "expense_outside_budget_year",
    BudgetPostExceeded => "budget_post_exceeded",
    BudgetPostHoursExceeded => "budget_post_hours_exceeded",
    HoursRequired => "hours_required",
    HoursNotApplicable => "hours_not_applicable",
    CourseCountryRequired => "course_country_required",
    CourseAbroadNotCovered => "course_abroad_not_covered",
    InvalidCountry => "invalid_country",
    InvalidServicePeriod => "invalid_service_period",
    ExpenseNotApproved => "expense_not_approved",
    PaymentNotFound => "payment_not_found",
    PaymentAlreadyReturned => "payment_already_returned",
    PaymentHasClawbacks => "payment_has_clawbacks",
    ClawbackNotFound => "clawback_not_found",
    RepaymentExceedsOutstanding => "repayment_exceeds_outstanding",
    DecisionNotFound => "decision_not_found",
    InvalidSettings => "invalid_settings",
    InvalidPayee => "invalid_payee",
    BudgetYearTooLong => "budget_year_too_long",
    InvalidRetroactiveFrom => "invalid_retroactive_from",
    FamilyAgreementMissing => "family_agreement_missing",
    ExpensesPending => "expenses_pending",
    HearingRequired => "hearing_required",
    HearingAlreadySent => "hearing_already_sent",
    NoHearing => "no_hearing",
    ResponseAlreadyRecorded => "response_already_recorded",
    InvalidRespondBy => "invalid_respond_by",
    InvalidReceivedOn => "invalid_received_on",
    InvalidSummary => "invalid_summary",
    ClaimDecided => "claim_decided",
    ClaimNotDecided => "claim_not_decided",
    KnowledgeNotEstablished => "knowledge_not_established",
    DocumentationDeadlineNotReached => "documentation_deadline_not_reached",
    InvalidAccountsCompleteOn => "invalid_accounts_complete_on",
    SettlementTooEarly => "settlement_too_early",
    YearSettled => "year_settled",
    PostBelowPrepaid => "post_below_prepaid",
    SettlementExists => "settlement_exists",
    SettlementNotFound => "settlement_not_found",
    SettlementDecided => "settlement_decided",
    SettlementNotReopenable => "settlement_not_reopenable",
    NoAgreement => "no_agreement",
    NothingUnspent => "nothing_unspent",
    FamilyConsentRequired => "family_consent_required",
    OffsetNotAvailable => "offset_not_available",
    AgreementExists => "agreement_exists",
    PostHasExpenses => "post_has_expenses",
    InstallmentNotFound => "installment_not_found",
    InstallmentNotDue => "installment_not_due",
    RollingCapExceeded => "rolling_cap_exceeded",
    // Lost earnings.
    LostEarningsNotFound => "lost_earnings_not_found",
    HoursAboveNormalWeek => "hours_above_normal_week",
    HoursAbovePrevious => "hours_above_previous_hours",
    HomeTeachingFullTime => "home_teaching_full_time",
    LostEarningsAfter18 => "lost_earnings_after_18",
    LostEarningsBeforeApplication => "lost_earnings_before_application",
    LostEarningsOverlap => "lost_earnings_overlap",
    PayslipCountMismatch => "payslip_count_mismatch",
    InvalidBasis => "invalid_basis",
    InvalidParentRef => "invalid_parent_ref",
    InvalidEffectiveFrom => "invalid_effective_from",
    InvalidMonth => "invalid_month",
    PayrollRunNotFound => "payroll_run_not_found",
    PayrollMonthInFuture => "payroll_month_in_future",
    PayrollRunExists => "payroll_run_exists",
    PayrollMonthPassed => "payroll_month_passed",
    // Imports.
    MissingColumn => "missing_column",
    InvalidCsv => "invalid_csv",
    InvalidDate => "invalid_date",
    PayslipDuplicateInFile => "payslip_duplicate_in_file",
    PayslipAlreadyBooked => "payslip_already_booked",
    InsuranceBelowThreshold => "insurance_below_threshold",
    ImportNotFound => "import_not_found",
    ImportInterrupted => "import_interrupted",
    // Payables and payments.
    PayableNotFound => "payable_not_found",
    PayableAlreadyPaid => "payable_already_paid",
    PaymentBeforeExpense => "payment_before_expense",
    InvalidPayables => "invalid_payables",
    DuplicatePayables => "duplicate_payables",
    InvalidBankReference => "invalid_bank_reference",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            assert_eq!(Code::parse(c.as_str()), Some(*c));
        }
    }
}
