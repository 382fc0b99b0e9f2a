//! Bekendtgørelse om hjemmetræning § 6, stk. 4; vejledningen pkt. 157 e: the fixed amount is the covered posts' grants spread over the installments of the budget year, each post prepaid exactly its grant, to the øre.
use super::Frequency;
use bookkeeping::Money;
use chrono::{Months, NaiveDate};

/// One installment: when it is due, how much, and how much of it each covered post carries (in
/// the order of the posts given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Installment {
    pub due_date: NaiveDate,
    pub amount: Money,
    pub split: Vec<Money>,
}

/// The due dates: from the first payment date, every `frequency` months, while inside the budget
/// year (`year_end`, already cut short by the case's end). At least the first.
pub fn due_dates(first: NaiveDate, frequency: Frequency, year_end: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = vec![first];
    for k in 1.. {
        match first.checked_add_months(Months::new(frequency.months() * k)) {
            Some(d) if d <= year_end => dates.push(d),
            _ => break,
        }
    }
    dates
}

/// The installments of `grants` (the covered posts' grants, in øre-exact money) over `dates`:
/// each is the total divided by their number, rounded down to the øre, and the last takes the
/// rest. Each is split over the posts against what each post has still to be prepaid (its grant
/// less what earlier installments carried for it), largest remainders first; so every split sums
/// to its installment, no post is ever prepaid more than its grant, and over the schedule every
/// post is prepaid exactly its grant.
pub fn plan(grants: &[Money], dates: &[NaiveDate]) -> Vec<Installment> {
    let total: i64 = grants.iter().map(|g| g.ore()).sum();
    let n = dates.len().max(1) as i64;
    let base = total.div_euclid(n);
    let mut left: Vec<i64> = grants.iter().map(|g| g.ore()).collect();
    dates
        .iter()
        .enumerate()
        .map(|(k, due)| {
            let amount = if k as i64 == n - 1 {
                total - base * (n - 1)
            } else {
                base
            };
            let split = split(amount, &left);
            for (l, s) in left.iter_mut().zip(&split) {
                *l -= s;
            }
            Installment {
                due_date: *due,
                amount: Money::from_ore(amount),
                split: split.into_iter().map(Money::from_ore).collect(),
            }
        })
        .collect()
}

/// `amount` øre split in proportion to `left` (what each post has still to be prepaid), floors
/// first and the øre that remain to the largest remainders (earlier posts first on a tie).
pub fn split(amount: i64, left: &[i64]) -> Vec<i64> {
    let remaining: i128 = left.iter().map(|l| *l as i128).sum();
    if remaining == 0 {
        return vec![0; left.len()];
    }
    let exact: Vec<(i64, i128)> = left
        .iter()
        .map(|l| {
            let num = amount as i128 * *l as i128;
            ((num / remaining) as i64, num % remaining)
        })
        .collect();
    let mut out: Vec<i64> = exact.iter().map(|(f, _)| *f).collect();
    let mut short = amount - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..left.len()).collect();
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    for i in order {
        if short == 0 {
            break;
        }
        if exact[i].1 > 0 {
            out[i] += 1;
            short -= 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use proptest::prelude::*;

    #[test]
    fn monthly_over_a_year_exact_to_the_ore() {
        let dates = due_dates(d("2025-02-03"), Frequency::Monthly, d("2026-02-02"));
        assert_eq!(dates.len(), 12);
        assert_eq!(dates[11], d("2026-01-03"));
        let grants = [
            Money::from_ore(1_000_000),
            Money::from_ore(333_334),
            Money::from_ore(1),
        ];
        let plan = plan(&grants, &dates);
        // 1,333,335 øre / 12 = 111,111.25: 111,111 øre, the last takes 111,114.
        assert_eq!(plan[0].amount, Money::from_ore(111_111));
        assert_eq!(plan[11].amount, Money::from_ore(111_114));
        for (p, g) in grants.iter().enumerate() {
            let prepaid: i64 = plan.iter().map(|i| i.split[p].ore()).sum();
            assert_eq!(prepaid, g.ore());
        }
    }

    #[test]
    fn half_yearly_yearly_and_a_year_cut_short() {
        let half = due_dates(d("2025-02-03"), Frequency::HalfYearly, d("2026-02-02"));
        assert_eq!(half, vec![d("2025-02-03"), d("2025-08-03")]);
        let yearly = due_dates(d("2025-02-03"), Frequency::Yearly, d("2026-02-02"));
        assert_eq!(yearly, vec![d("2025-02-03")]);
        // The case ends on 2025-06-30: five monthly installments.
        let short = due_dates(d("2025-02-03"), Frequency::Monthly, d("2025-06-30"));
        assert_eq!(short.len(), 5);
        let p = plan(&[Money::from_ore(100_001)], &short);
        assert_eq!(
            p.iter().map(|i| i.amount.ore()).collect::<Vec<_>>(),
            vec![20_000, 20_000, 20_000, 20_000, 20_001]
        );
    }

    proptest! {
        #[test]
        fn every_post_is_prepaid_exactly_its_grant(
            grants in proptest::collection::vec(0i64..5_000_000, 1..6),
            n in 1usize..13,
        ) {
            let dates: Vec<NaiveDate> = (0..n).map(|k| d("2025-01-01") + chrono::Days::new(k as u64 * 30)).collect();
            let grants: Vec<Money> = grants.into_iter().map(Money::from_ore).collect();
            let plan = plan(&grants, &dates);
            let total: i64 = grants.iter().map(|g| g.ore()).sum();
            prop_assert_eq!(plan.iter().map(|i| i.amount.ore()).sum::<i64>(), total);
            for i in &plan {
                prop_assert_eq!(i.split.iter().map(|s| s.ore()).sum::<i64>(), i.amount.ore());
                prop_assert!(i.split.iter().all(|s| s.ore() >= 0));
            }
            for (p, g) in grants.iter().enumerate() {
                let mut prepaid = 0;
                for i in &plan {
                    prepaid += i.split[p].ore();
                    prop_assert!(prepaid <= g.ore(), "post {} prepaid {} over its grant {}", p, prepaid, g.ore());
                }
                prop_assert_eq!(prepaid, g.ore());
            }
        }
    }
}
