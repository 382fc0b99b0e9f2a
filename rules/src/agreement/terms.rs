//! Bekendtgørelse om hjemmetræning § 6, stk. 2 og 4; vejledningen pkt. 157 e: a fixed-amount agreement is voluntary for both sides (the family's agreement is dated), covers named posts of one budget year, and its installments are the municipality's expenses for the rolling 12-month cap.
use super::schedule::{self, Installment};
use super::{Frequency, LEGAL};
use crate::budget::yearly_cap;
use crate::expense::rolling_cap;
use crate::rates::DatedValue;
use bookkeeping::{Code, Error, Money, Result};
use chrono::NaiveDate;

/// What the caseworker records.
#[derive(Clone, Debug)]
pub struct Terms {
    pub frequency: Frequency,
    pub post_ids: Vec<String>,
    pub family_agreed_on: Option<NaiveDate>,
    pub first_payment_date: NaiveDate,
}

/// A post of the budget year as the agreement sees it.
#[derive(Clone, Debug)]
pub struct Post {
    pub id: String,
    pub granted: Money,
    /// Expenses pending or approved on it already (reimbursed as documented expenses).
    pub has_expenses: bool,
}

/// The facts an agreement is decided on.
pub struct Facts<'a> {
    pub posts: &'a [Post],
    pub year_from: NaiveDate,
    pub year_end: NaiveDate,
    pub today: NaiveDate,
    pub has_agreement: bool,
    /// The child's spending that counts for the cap: approved expenses not paid from an
    /// advance, and other agreements' installments by due date.
    pub spending: &'a rolling_cap::Spending,
    pub cap_rates: &'a [DatedValue],
}

/// The request's own shape: the family's agreement is dated (the agreement is voluntary for both
/// sides), not in the future, and 1-50 distinct posts are named.
pub fn check_shape(t: &Terms, today: NaiveDate) -> Result<()> {
    let Some(agreed) = t.family_agreed_on else {
        return Err(Error::field(
            Code::FamilyAgreementMissing,
            "family_agreed_on",
            "a fixed-amount agreement is voluntary for both sides: record the date the family agreed",
        )
        .legal(LEGAL));
    };
    if agreed > today {
        return Err(Error::field(
            Code::InvalidValue,
            "family_agreed_on",
            format!("the family's agreement is recorded once given (today is {today})"),
        ));
    }
    let mut ids = t.post_ids.clone();
    ids.sort();
    ids.dedup();
    if t.post_ids.is_empty() || t.post_ids.len() > 50 || ids.len() != t.post_ids.len() {
        return Err(Error::field(
            Code::InvalidPost,
            "post_ids",
            "an agreement covers 1-50 distinct posts of the budget year",
        ));
    }
    Ok(())
}

/// Decides an agreement: once per budget year, on posts of the year that have no documented
/// expenses yet, with a first payment inside the year, and installments that keep the rolling
/// 12-month cap. Returns the covered posts' grants (in the order named) and the installments.
pub fn decide(t: &Terms, f: &Facts) -> Result<(Vec<Money>, Vec<Installment>)> {
    if f.has_agreement {
        return Err(Error::conflict(
            Code::AgreementExists,
            "the budget year already has a fixed-amount agreement",
        ));
    }
    let mut grants = Vec::with_capacity(t.post_ids.len());
    for (i, id) in t.post_ids.iter().enumerate() {
        let field = format!("post_ids[{i}]");
        let p = f.posts.iter().find(|p| &p.id == id).ok_or_else(|| {
            Error::field(
                Code::PostNotGranted,
                &field,
                format!("post {id} is not a post of this budget year"),
            )
        })?;
        if p.has_expenses {
            return Err(Error::field(
                Code::PostHasExpenses,
                &field,
                format!("post {id} already has documented expenses; an agreement covers posts from their start"),
            ));
        }
        grants.push(p.granted);
    }
    if t.first_payment_date < f.year_from || t.first_payment_date > f.year_end {
        return Err(Error::field(
            Code::InvalidValue,
            "first_payment_date",
            format!(
                "the first payment lies inside the budget year {}..{}",
                f.year_from, f.year_end
            ),
        ));
    }
    let dates = schedule::due_dates(t.first_payment_date, t.frequency, f.year_end);
    let plan = schedule::plan(&grants, &dates);
    let mut spent = f.spending.clone();
    for i in &plan {
        let cap = yearly_cap::in_force(f.cap_rates, i.due_date)?;
        rolling_cap::check(&spent, i.due_date, i.amount, cap)?;
        spent.push(i.due_date, i.amount);
    }
    Ok((grants, plan))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use rust_decimal::Decimal;

    fn terms() -> Terms {
        Terms {
            frequency: Frequency::Monthly,
            post_ids: vec!["a".into(), "b".into()],
            family_agreed_on: Some(d("2025-02-01")),
            first_payment_date: d("2025-02-03"),
        }
    }

    #[test]
    fn agreed_covered_and_within_the_cap() {
        let posts = vec![
            Post {
                id: "a".into(),
                granted: Money::kroner(12_000),
                has_expenses: false,
            },
            Post {
                id: "b".into(),
                granted: Money::kroner(600),
                has_expenses: false,
            },
            Post {
                id: "c".into(),
                granted: Money::kroner(5),
                has_expenses: true,
            },
        ];
        let caps = [
            DatedValue {
                valid_from: d("2025-01-01"),
                value: Decimal::from(706_600),
            },
            DatedValue {
                valid_from: d("2026-01-01"),
                value: Decimal::from(706_600),
            },
        ];
        let f = Facts {
            posts: &posts,
            year_from: d("2025-02-03"),
            year_end: d("2026-02-02"),
            today: d("2025-03-01"),
            has_agreement: false,
            spending: &Default::default(),
            cap_rates: &caps,
        };
        let (grants, plan) = decide(&terms(), &f).unwrap();
        assert_eq!(grants, vec![Money::kroner(12_000), Money::kroner(600)]);
        assert_eq!(plan.len(), 12);
        assert_eq!(plan[0].amount, Money::kroner(1_050));
        let mut t = terms();
        t.family_agreed_on = None;
        assert_eq!(
            check_shape(&t, d("2025-03-01")).unwrap_err().code,
            Code::FamilyAgreementMissing
        );
        let mut t = terms();
        t.post_ids = vec!["c".into()];
        assert_eq!(decide(&t, &f).unwrap_err().code, Code::PostHasExpenses);
        let heavy = [(d("2025-01-10"), Money::kroner(700_000))]
            .into_iter()
            .collect();
        let f2 = Facts {
            spending: &heavy,
            ..f
        };
        assert_eq!(
            decide(&terms(), &f2).unwrap_err().code,
            Code::RollingCapExceeded
        );
    }
}
