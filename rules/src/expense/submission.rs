//! Bekendtgørelse om hjemmetræning § 6, stk. 3: help is granted on documented expenses; a submission names its post, its document and what it costs, and is judged by every rule before it waits for a decision.
use super::{check_dates, courses_in_denmark, rolling_cap, Facts, ServicePeriod};
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
    pub service_from: Option<NaiveDate>,
    pub service_to: Option<NaiveDate>,
    pub amount: Money,
    pub hours: Option<Decimal>,
    pub description: String,
    pub supplier: String,
    pub document_ref: String,
    pub course_country: Option<String>,
}

impl NewExpense {
    pub fn service(&self) -> ServicePeriod {
        ServicePeriod::of(self.expense_date, self.service_from, self.service_to)
    }
}

/// The shape of a submission, before anything is looked up.
pub fn check_shape(e: &NewExpense) -> Result<()> {
    super::check_period_shape(e.service())?;
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
    let s = e.service();
    check_dates(s, f)?;
    let cap = yearly_cap::in_force(&f.cap_rates, s.from)?;
    courses_in_denmark::check(post.category, e.course_country.as_deref())?;
    rigid_posts::check_left(post, e.amount, e.hours, true)?;
    if f.covered_posts.contains(&e.post_id) {
        return Ok(());
    }
    rolling_cap::check(&f.approved_spending, s.from, e.amount, cap)
}

/// A document is reimbursed once: its reference is unique per case.
pub fn document_taken(document_ref: &str) -> Error {
    Error::conflict(
        Code::DocumentRefTaken,
        format!("document {document_ref} from this supplier is already submitted on this case (references are compared ignoring case, width and invisible characters); a document is reimbursed once"),
    )
    .with_field("document_ref", "unique per supplier and case")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::grant::Category;
    use crate::rates::DatedValue;
    use bookkeeping::testing::d;

    fn expense(amount: i64) -> NewExpense {
        NewExpense {
            post_id: "p".into(),
            expense_date: d("2025-03-01"),
            service_from: None,
            service_to: None,
            amount: Money::kroner(amount),
            hours: None,
            description: "mat".into(),
            supplier: "Shop ApS".into(),
            document_ref: "INV-1".into(),
            course_country: None,
        }
    }

    fn post(category: Category) -> PostState {
        PostState {
            label: "post".into(),
            category,
            granted: Money::kroner(1000),
            approved: Money::kroner(500),
            pending: Money::kroner(300),
            hours_granted: None,
            hours_used: Decimal::ZERO,
            hours_pending: Decimal::ZERO,
        }
    }

    fn facts() -> Facts {
        Facts {
            application_date: d("2025-01-01"),
            case_end: d("2030-01-01"),
            year_start: d("2025-02-01"),
            year_end: d("2026-01-31"),
            approved_spending: Default::default(),
            cap_rates: vec![DatedValue {
                valid_from: d("2025-01-01"),
                value: Decimal::from(706_600),
            }],
            covered_posts: vec![],
        }
    }

    #[test]
    fn shape() {
        assert!(check_shape(&expense(1)).is_ok());
        assert_eq!(
            check_shape(&expense(0)).unwrap_err().code,
            Code::InvalidAmount
        );
        let mut e = expense(1);
        e.course_country = Some("dk".into());
        assert_eq!(check_shape(&e).unwrap_err().code, Code::InvalidCountry);
        let mut e = expense(1);
        e.hours = Some(Decimal::new(1, 3));
        assert_eq!(check_shape(&e).unwrap_err().code, Code::InvalidHours);
        let mut e = expense(1);
        e.supplier = "barn 010190-1234".into();
        assert_eq!(check_shape(&e).unwrap_err().code, Code::CprNumberNotAllowed);
    }

    #[test]
    fn judged_by_every_rule() {
        let f = facts();
        let equipment = post(Category::Equipment);
        assert!(decide(&expense(200), Some(&equipment), &f).is_ok());
        let code = |e: &NewExpense, p: Option<&PostState>| decide(e, p, &f).unwrap_err().code;
        assert_eq!(code(&expense(1), None), Code::PostNotGranted);
        assert_eq!(
            code(&expense(201), Some(&equipment)),
            Code::BudgetPostExceeded
        );
        let mut early = expense(1);
        early.expense_date = d("2024-12-31");
        assert_eq!(
            code(&early, Some(&equipment)),
            Code::ExpenseBeforeApplication
        );
        let mut with_hours = expense(1);
        with_hours.hours = Some(Decimal::ONE);
        assert_eq!(
            code(&with_hours, Some(&equipment)),
            Code::HoursNotApplicable
        );
        // Wages invoiced after the case ended, for work before it, are covered; after it, not.
        let f_end = Facts {
            case_end: d("2025-03-31"),
            ..facts()
        };
        let mut late_invoice = expense(1);
        late_invoice.expense_date = d("2025-04-20");
        late_invoice.service_from = Some(d("2025-03-01"));
        late_invoice.service_to = Some(d("2025-03-31"));
        assert!(decide(&late_invoice, Some(&equipment), &f_end).is_ok());
        late_invoice.service_to = Some(d("2025-04-01"));
        let e = decide(&late_invoice, Some(&equipment), &f_end).unwrap_err();
        assert_eq!(
            (e.code, e.errors[0].field.as_str()),
            (Code::CaseEnded, "service_to")
        );
        // A post paid from an advance: its installments count for the cap, the expense not again.
        let heavy = Facts {
            approved_spending: [(d("2025-02-15"), Money::kroner(706_500))]
                .into_iter()
                .collect(),
            ..facts()
        };
        assert_eq!(
            decide(&expense(200), Some(&equipment), &heavy)
                .unwrap_err()
                .code,
            Code::RollingCapExceeded
        );
        let covered = Facts {
            covered_posts: vec!["p".into()],
            ..heavy
        };
        assert!(decide(&expense(200), Some(&equipment), &covered).is_ok());
        let course = post(Category::Courses);
        assert_eq!(
            code(&expense(1), Some(&course)),
            Code::CourseCountryRequired
        );
    }
}
