//! Vejledningen pkt. 157 e; bek. § 6, stk. 4: when a decision changes a covered post, the installments not yet paid are planned again so that each covered post is still prepaid exactly its (new) grant; a post is never lowered below what was already prepaid for it.
use super::schedule::{self, Installment};
use bookkeeping::{Code, Error, Money, Result};
use chrono::NaiveDate;

/// A covered post after the decision: its new grant and what paid installments prepaid for it.
#[derive(Clone, Debug)]
pub struct Covered {
    pub post_id: String,
    pub granted: Money,
    pub prepaid: Money,
}

/// The new installments, on the due dates of those not yet paid (or, when none is left, one on
/// `fallback`), prepaying what each covered post has left.
pub fn replan(
    covered: &[Covered],
    unpaid_dates: &[NaiveDate],
    fallback: NaiveDate,
) -> Result<Vec<Installment>> {
    let mut left = Vec::with_capacity(covered.len());
    for c in covered {
        if c.granted < c.prepaid {
            return Err(Error::rule(
                Code::PostBelowPrepaid,
                format!(
                    "post {} is covered by a fixed-amount agreement and {} is prepaid for it; it cannot be lowered to {}",
                    c.post_id, c.prepaid, c.granted
                ),
            )
            .legal(super::LEGAL));
        }
        left.push(c.granted - c.prepaid);
    }
    let dates = if unpaid_dates.is_empty() {
        vec![fallback]
    } else {
        unpaid_dates.to_vec()
    };
    Ok(schedule::plan(&left, &dates))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn the_rest_of_the_year_prepays_the_new_grant() {
        let c = |g, p| Covered {
            post_id: "a".into(),
            granted: Money::kroner(g),
            prepaid: Money::kroner(p),
        };
        let plan = replan(
            &[c(1500, 300)],
            &[d("2025-05-01"), d("2025-06-01")],
            d("2025-04-15"),
        )
        .unwrap();
        assert_eq!(
            plan.iter().map(|i| i.amount).sum::<Money>(),
            Money::kroner(1200)
        );
        assert_eq!(
            replan(&[c(200, 300)], &[], d("2025-04-15"))
                .unwrap_err()
                .code,
            Code::PostBelowPrepaid
        );
        let late = replan(&[c(400, 300)], &[], d("2025-12-01")).unwrap();
        assert_eq!(
            (late.len(), late[0].due_date, late[0].amount),
            (1, d("2025-12-01"), Money::kroner(100))
        );
    }
}
