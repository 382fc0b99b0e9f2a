//! Documented expenses (bek. § 6, stk. 3): what a family may be reimbursed, and when not.
use super::budget::Category;
use super::{legal, rolling_cap};
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;

#[derive(Clone, Debug)]
pub struct NewExpense {
    pub post_id: String,
    pub expense_date: NaiveDate,
    pub amount: Money,
    pub hours: Option<Decimal>,
    pub description: String,
    pub supplier: String,
    pub document_ref: String,
    pub course_country: Option<String>,
}

/// What a post holds now.
#[derive(Clone, Debug)]
pub struct PostState {
    pub label: String,
    pub category: Category,
    pub granted: Money,
    pub approved: Money,
    pub pending: Money,
    pub hours_granted: Option<Decimal>,
    pub hours_used: Decimal,
    pub hours_pending: Decimal,
}

impl PostState {
    pub fn remaining(&self) -> Money {
        self.granted - self.approved
    }
}

/// The facts an expense is judged against.
pub struct Facts {
    pub application_date: NaiveDate,
    pub case_end: NaiveDate,
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
    /// Approved expenses of the child, across budget years: (date, amount).
    pub approved_spending: Vec<(NaiveDate, Money)>,
    pub cap: Money,
    pub cap_valid_from: NaiveDate,
}

fn text(field: &str, v: &str, max: usize) -> Result<()> {
    if v.trim().is_empty() || v.chars().count() > max {
        return Err(Error::field(
            "invalid_value",
            field,
            format!("{field} is 1-{max} characters"),
        ));
    }
    Ok(())
}

pub const HOURS_RULE: &str =
    "hours are a positive number of at most 10000 with at most two decimals";

/// Hours: positive, at most two decimals, and at most 10,000 (a year has 8,760).
pub fn valid_hours(h: Decimal) -> bool {
    h > Decimal::ZERO && h.normalize().scale() <= 2 && h <= Decimal::from(10_000)
}

/// The shape of a submission, before anything is looked up.
pub fn validate_shape(e: &NewExpense) -> Result<()> {
    if !e.amount.is_positive() {
        return Err(Error::field(
            "invalid_amount",
            "amount",
            "an expense is greater than 0.00",
        ));
    }
    text("description", &e.description, 500)?;
    text("supplier", &e.supplier, 200)?;
    text("document_ref", &e.document_ref, 100)?;
    super::cases::reject_cpr_in_text("description", &e.description)?;
    super::cases::reject_cpr_in_text("supplier", &e.supplier)?;
    super::cases::reject_cpr_in_text("document_ref", &e.document_ref)?;
    if let Some(h) = e.hours {
        if !valid_hours(h) {
            return Err(Error::field("invalid_hours", "hours", HOURS_RULE));
        }
    }
    if let Some(c) = &e.course_country {
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::field(
                "invalid_country",
                "course_country",
                "course_country is an ISO 3166 alpha-2 code such as DK",
            ));
        }
    }
    Ok(())
}

/// Dates: not before the application (retroactive cover reaches back to it, no further), not
/// after the case ended, inside the budget year.
pub fn check_dates(date: NaiveDate, f: &Facts) -> Result<()> {
    if date < f.application_date {
        return Err(Error::field(
            "expense_before_application",
            "expense_date",
            format!("the expense is dated {date}, before the application date {}; only expenses from the application date on can be covered", f.application_date),
        )
        .legal(legal::RETROACTIVE));
    }
    if date > f.case_end {
        return Err(Error::field(
            "case_ended",
            "expense_date",
            format!(
                "the case ended on {}; nothing can be booked for {date}",
                f.case_end
            ),
        )
        .legal(legal::CASE_END));
    }
    if date < f.year_start || date > f.year_end {
        return Err(Error::field(
            "expense_outside_budget_year",
            "expense_date",
            format!(
                "the expense is dated {date}, outside the budget year {}..{}",
                f.year_start, f.year_end
            ),
        )
        .legal(legal::BUDGET_YEAR));
    }
    Ok(())
}

/// Courses are covered only when held in Denmark.
pub fn check_course(category: Category, country: Option<&str>) -> Result<()> {
    if category != Category::Courses {
        return Ok(());
    }
    match country {
        None => Err(Error::field(
            "course_country_required",
            "course_country",
            "an expense on a course post must say where the course is held (course_country, e.g. DK)",
        )
        .legal(legal::COURSES_IN_DENMARK)),
        Some("DK") => Ok(()),
        Some(c) => Err(Error::field(
            "course_abroad_not_covered",
            "course_country",
            format!("the course is held abroad ({c}); only courses held in Denmark are covered"),
        )
        .legal(legal::COURSES_IN_DENMARK)),
    }
}

/// A post cannot pay more than it has left, whatever other posts hold. `pending` counts
/// submissions not yet decided, so that a post is not promised twice.
pub fn check_post_left(
    post: &PostState,
    amount: Money,
    hours: Option<Decimal>,
    count_pending: bool,
) -> Result<()> {
    let left = post.granted
        - post.approved
        - if count_pending {
            post.pending
        } else {
            Money::ZERO
        };
    if amount > left {
        return Err(Error::rule(
            "budget_post_exceeded",
            format!(
                "post {} has {left} left (granted {}, approved {}{}); the expense of {amount} exceeds it. Money cannot be moved from another post: a supplementary decision must raise this one",
                post.label,
                post.granted,
                post.approved,
                if count_pending { format!(", pending {}", post.pending) } else { String::new() }
            ),
        )
        .legal(legal::RIGID_POSTS)
        .with_field("amount", format!("post has {left} left")));
    }
    if let (Some(granted), Some(h)) = (post.hours_granted, hours) {
        let used = post.hours_used
            + if count_pending {
                post.hours_pending
            } else {
                Decimal::ZERO
            };
        if used + h > granted {
            return Err(Error::rule(
                "budget_post_hours_exceeded",
                format!(
                    "post {} has {} of {granted} hours left; the expense uses {h}",
                    post.label,
                    granted - used
                ),
            )
            .legal(legal::RIGID_POSTS)
            .with_field("hours", "exceeds the hours granted"));
        }
    }
    Ok(())
}

/// An hour-based post counts hours too: every expense on it says how many it uses, and an
/// amount-only post has no hours to use.
pub fn check_hours_use(
    post_label: &str,
    post_hours: Option<Decimal>,
    hours: Option<Decimal>,
) -> Result<()> {
    match (post_hours, hours) {
        (Some(_), None) => Err(Error::field(
            "hours_required",
            "hours",
            format!("post {post_label} is granted in hours; the expense must say how many hours it pays for"),
        )
        .legal(legal::RIGID_POSTS)),
        (None, Some(_)) => Err(Error::field(
            "hours_not_applicable",
            "hours",
            format!("post {post_label} is granted as an amount, not hours; leave hours out"),
        )),
        _ => Ok(()),
    }
}

/// The cap within any continuous 12-month period, across budget years.
pub fn check_rolling_cap(date: NaiveDate, amount: Money, f: &Facts) -> Result<()> {
    let (start, total) = rolling_cap::heaviest_window(&f.approved_spending, date, amount);
    if total > f.cap {
        let end = super::twelve_months_from(start);
        return Err(Error::rule(
            "rolling_cap_exceeded",
            format!(
                "with this expense the training expenses for the child in the 12 months {start}..{end} would be {total}, above the cap of {} (rate valid from {})",
                f.cap, f.cap_valid_from
            ),
        )
        .legal(legal::ROLLING_CAP)
        .with_field("amount", format!("exceeds the cap by {}", total - f.cap)));
    }
    Ok(())
}
