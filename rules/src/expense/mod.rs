//! Documented expenses: what a family may be reimbursed, and when not.
pub mod approval;
pub mod courses_in_denmark;
pub mod rejection;
pub mod retroactive;
pub mod rolling_cap;
pub mod submission;

use crate::rates::DatedValue;
use bookkeeping::{string_enum, Money, Result};
use chrono::NaiveDate;

string_enum!(
    /// Where an expense is in its life: submitted, then approved or rejected by a caseworker.
    ExpenseStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
);

/// The facts an expense is judged against: the case's dates, its budget year, the child's
/// approved spending across budget years and the cap in force on the expense date.
#[derive(Clone, Debug)]
pub struct Facts {
    pub application_date: NaiveDate,
    pub case_end: NaiveDate,
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
    /// Approved expenses of the child, across budget years: (date, amount).
    pub approved_spending: Vec<(NaiveDate, Money)>,
    /// The dated values of the yearly cap; the one in force on the expense date applies.
    pub cap_rates: Vec<DatedValue>,
}

/// The dates of an expense: not before the application (retroactive cover reaches back to it,
/// no further), not after the case ended, inside the budget year.
pub fn check_dates(date: NaiveDate, f: &Facts) -> Result<()> {
    retroactive::check(date, f.application_date)?;
    crate::case::age_limit::check_not_after_end("expense_date", date, f.case_end)?;
    crate::budget::budget_year::check_within(date, f.year_start, f.year_end)
}
