//! Bekendtgørelse om hjemmetræning § 6, stk. 3: help is granted on documented expenses; a submission names its post, its document and what it costs, and is judged by every rule before it waits for a decision.
use super::{check_dates, courses_in_denmark, rolling_cap, Facts};
use crate::budget::grant::{valid_hours, HOURS_RULE};
use crate::budget::rigid_posts::{self, PostState};
use crate::budget::yearly_cap;
use crate::privacy::no_cpr;
use bookkeeping::error::check_text;
use bookkeeping::{Code, Error, Money, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub const LEGAL: &str =
    "Bekendtgørelse om hjemmetræning § 6, stk. 3: help is granted on documented expenses";
pub const POST_NOT_GRANTED: &str = "Copenhagen folder, 'Udgifter og budget': expenses on posts that were not granted are at the family's own risk";

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

/// The shape of a submission, before anything is looked up.
pub fn check_shape(e: &NewExpense) -> Result<()> {
    if !e.amount.is_positive() {
        return Err(Error::field(
            Code::InvalidAmount,
            "amount",
            "an expense is greater than 0.00",
        ));
    }
    for (field, value, max) in [
        ("description", &e.description, 500),
        ("supplier", &e.supplier, 200),
        ("document_ref", &e.document_ref, 100),
    ] {
        check_text(
            Code::InvalidValue,
            field,
            value,
            max,
            &format!("{field} is 1-{max} characters"),
        )?;
    }
    no_cpr::reject_in_text("description", &e.description)?;
    no_cpr::reject_in_text("supplier", &e.supplier)?;
    no_cpr::reject_in_text("document_ref", &e.document_ref)?;
    if e.hours.is_some_and(|h| !valid_hours(h)) {
        return Err(Error::field(Code::InvalidHours, "hours", HOURS_RULE));
    }
    if let Some(c) = &e.course_country {
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::field(
                Code::InvalidCountry,
                "course_country",
                "course_country is an ISO 3166 alpha-2 code such as DK",
            ));
        }
    }
    Ok(())
}

/// An hour-based post counts hours too: every expense on it says how many it uses, and an
/// amount-only post has no hours to use.
pub fn check_hours_use(post: &PostState, hours: Option<Decimal>) -> Result<()> {
    match (post.hours_granted, hours) {
        (Some(_), None) => Err(Error::field(
            Code::HoursRequired,
            "hours",
            format!(
                "post {} is granted in hours; the expense must say how many hours it pays for",
                post.label
            ),
        )
        .legal(rigid_posts::LEGAL)),
        (None, Some(_)) => Err(Error::field(
            Code::HoursNotApplicable,
            "hours",
            format!(
                "post {} is granted as an amount, not hours; leave hours out",
                post.label
            ),
        )),
        _ => Ok(()),
    }
}

/// Judges a submission on `post` (None when the post is not granted in the budget year):
/// every refusal, in the order a caseworker would meet them.
pub fn decide(e: &NewExpense, post: Option<&PostState>, f: &Facts) -> Result<()> {
    let Some(post) = post else {
        return Err(Error::field(
            Code::PostNotGranted,
            "post_id",
            format!("post {} was not granted in this budget year; an expense on a post that was not granted is at the family's risk until a decision covers it", e.post_id),
        )
        .legal(POST_NOT_GRANTED));
    };
    check_hours_use(post, e.hours)?;
    let cap = yearly_cap::in_force(&f.cap_rates, e.expense_date)?;
    check_dates(e.expense_date, f)?;
    courses_in_denmark::check(post.category, e.course_country.as_deref())?;
    rigid_posts::check_left(post, e.amount, e.hours, true)?;
    rolling_cap::check(&f.approved_spending, e.expense_date, e.amount, cap)
}

/// A document is reimbursed once: its reference is unique per case.
pub fn document_taken(document_ref: &str) -> Error {
    Error::conflict(
        Code::DocumentRefTaken,
        format!("document {document_ref} is already submitted on this case; a document is reimbursed once"),
    )
    .with_field("document_ref", "unique per case")
}
