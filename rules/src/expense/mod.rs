//! Documented expenses: what a family may be reimbursed, and when not.
pub mod approval;
pub mod courses_in_denmark;
pub mod helper_insurance;
pub mod rejection;
pub mod retroactive;
pub mod rolling_cap;
pub mod submission;

use crate::rates::DatedValue;
use bookkeeping::{string_enum, Result};
use chrono::NaiveDate;

string_enum!(
    /// Where an expense is in its life: submitted, then approved or rejected by a caseworker, or
    /// refused by a rule at approval; an approval found wrong is annulled.
    ExpenseStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Refused => "refused",
        Annulled => "annulled",
    }
);

/// When the service an expense pays for was delivered: the case-end, budget-year, retroactive
/// and cap rules judge this, not the invoice date (an invoice may come before or after it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServicePeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Whether the caller gave it; otherwise it is the expense date, and refusals name that field.
    pub explicit: bool,
}

impl ServicePeriod {
    pub fn of(expense_date: NaiveDate, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Self {
        match (from, to) {
            (None, None) => ServicePeriod {
                from: expense_date,
                to: expense_date,
                explicit: false,
            },
            (f, t) => ServicePeriod {
                from: f.or(t).unwrap_or(expense_date),
                to: t.or(f).unwrap_or(expense_date),
                explicit: true,
            },
        }
    }
    fn fields(&self) -> (&'static str, &'static str) {
        if self.explicit {
            ("service_from", "service_to")
        } else {
            ("expense_date", "expense_date")
        }
    }
}

/// The facts an expense is judged against: the case's dates, its budget year, the child's
/// approved spending across budget years and the cap in force on the expense date.
#[derive(Clone, Debug)]
pub struct Facts {
    pub application_date: NaiveDate,
    pub case_end: NaiveDate,
    /// The first day the budget year covers: its start, or its retroactive lead-in.
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
    /// Approved expenses of the child, across budget years: (first service day, amount).
    pub approved_spending: rolling_cap::Spending,
    /// The dated values of the yearly cap; the one in force on the expense date applies.
    pub cap_rates: Vec<DatedValue>,
    /// Posts of the year a fixed-amount agreement covers: their expenses are paid from the
    /// advance, whose installments already count for the cap, so they are not counted again.
    pub covered_posts: Vec<String>,
}

/// The service period of an expense: not before the application (retroactive cover reaches back
/// to it, no further), not after the case ended, inside the budget year. Wages, holiday pay and
/// a final invoice that arrive after the end are covered when the service lies before it.
pub fn check_dates(s: ServicePeriod, f: &Facts) -> Result<()> {
    let (from_field, to_field) = s.fields();
    retroactive::check_field(from_field, s.from, f.application_date)?;
    crate::case::age_limit::check_not_after_end(to_field, s.to, f.case_end)?;
    crate::budget::budget_year::check_period_within(
        from_field,
        s.from,
        s.to,
        f.year_start,
        f.year_end,
    )
}

/// A service period runs forwards.
pub fn check_period_shape(s: ServicePeriod) -> Result<()> {
    if s.from > s.to {
        return Err(bookkeeping::Error::field(
            bookkeeping::Code::InvalidServicePeriod,
            "service_to",
            format!(
                "the service period ends ({}) before it begins ({})",
                s.to, s.from
            ),
        ));
    }
    Ok(())
}
