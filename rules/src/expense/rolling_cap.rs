//! Bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt. 157 d: no help for expenses that within any continuous period of 12 months exceed the yearly cap, across budget years.
use crate::budget::budget_year::twelve_months_from;
use crate::budget::yearly_cap::Cap;
use bookkeeping::{Code, Error, Money, Result};
use chrono::{Months, NaiveDate};
use std::collections::BTreeMap;

pub const LEGAL: &str = "Bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt. 157 d: no help for expenses that within a continuous period of 12 months exceed the cap";

/// The child's spending that counts for the cap, summed per day: a window's total is a sum over
/// a range of days, so judging a file of a thousand payslips of one child stays cheap (the
/// payslips of one month share a day).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spending(BTreeMap<NaiveDate, Money>, Money);

impl FromIterator<(NaiveDate, Money)> for Spending {
    fn from_iter<I: IntoIterator<Item = (NaiveDate, Money)>>(it: I) -> Self {
        let mut s = Spending::default();
        s.extend(it);
        s
    }
}

impl Extend<(NaiveDate, Money)> for Spending {
    fn extend<I: IntoIterator<Item = (NaiveDate, Money)>>(&mut self, it: I) {
        for (d, m) in it {
            self.push(d, m);
        }
    }
}

impl Spending {
    /// Spending on `date`; a negative amount is money that left the count that day (repaid).
    pub fn push(&mut self, date: NaiveDate, amount: Money) {
        *self.0.entry(date).or_insert(Money::ZERO) += amount;
        if amount.is_positive() {
            self.1 += amount;
        }
    }

    /// All that was ever spent, repayments not subtracted: no 12-month window holds more.
    pub fn total(&self) -> Money {
        self.1
    }

    /// The 12-month window containing `date` with the most spending once `amount` on `date` is
    /// added: its first day and its total. Windows worth checking start on a spending date (or
    /// on `date` itself), since moving a window's start later until it meets a spending date
    /// never lowers its total, or end the day before money was repaid. The days in reach are summed once (prefix sums), so a check costs
    /// O(d log d) in the d spending days around `date`, not O(d²).
    pub fn heaviest_window(&self, date: NaiveDate, amount: Money) -> (NaiveDate, Money) {
        let earliest = date
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(NaiveDate::MIN);
        let days: Vec<(NaiveDate, Money)> = self
            .0
            .range(earliest..=twelve_months_from(date))
            .map(|(d, m)| (*d, *m))
            .collect();
        // prefix[i]: the spending on days[..i].
        let mut prefix = Vec::with_capacity(days.len() + 1);
        prefix.push(Money::ZERO);
        for (_, m) in &days {
            prefix.push(*prefix.last().expect("starts with zero") + *m);
        }
        let total = |from: NaiveDate, to: NaiveDate| {
            let lo = days.partition_point(|(d, _)| *d < from);
            let hi = days.partition_point(|(d, _)| *d <= to);
            if hi > lo {
                prefix[hi] - prefix[lo]
            } else {
                Money::ZERO
            }
        };
        // A window counts only if it contains the expense: starting on or after `earliest` is
        // not enough when month ends differ (a window from 2024-02-29 ends 2025-02-27).
        // Money repaid leaves the count on the day received: a window that ends the day before
        // can hold more than one that starts on a spending date, so those are candidates too.
        let before_repaid = days
            .iter()
            .filter(|(_, m)| m.is_negative())
            .filter_map(|(d, _)| d.checked_sub_months(Months::new(12)));
        days.iter()
            .map(|(d, _)| *d)
            .chain(before_repaid)
            .filter(|d| *d <= date && twelve_months_from(*d) >= date)
            .chain(std::iter::once(date))
            .map(|s| (s, total(s, twelve_months_from(s)) + amount))
            .max_by_key(|(_, t)| *t)
            .unwrap_or((date, amount))
    }
}

/// The same over a list of (date, amount).
pub fn heaviest_window(
    spent: &[(NaiveDate, Money)],
    date: NaiveDate,
    amount: Money,
) -> (NaiveDate, Money) {
    spent
        .iter()
        .copied()
        .collect::<Spending>()
        .heaviest_window(date, amount)
}

/// The cap within any continuous 12-month period, across budget years.
pub fn check(spent: &Spending, date: NaiveDate, amount: Money, cap: Cap) -> Result<()> {
    // Below the cap with everything the child ever spent: no window can exceed it (the common
    // case, and what keeps a file of a thousand payslips per child cheap to judge).
    if spent.total() + amount <= cap.amount {
        return Ok(());
    }
    let (start, total) = spent.heaviest_window(date, amount);
    if total > cap.amount {
        let end = twelve_months_from(start);
        return Err(Error::rule(
            Code::RollingCapExceeded,
            format!(
                "with this expense the training expenses for the child in the 12 months {start}..{end} would be {total}, above the cap of {} (rate valid from {})",
                cap.amount, cap.valid_from
            ),
        )
        .legal(LEGAL)
        .with_field("amount", format!("exceeds the cap by {}", total - cap.amount))
        .figure("amount", amount)
        .figure("window_start", start)
        .figure("window_end", end)
        .figure("window_total", total)
        .figure("cap", cap.amount)
        .figure("cap_valid_from", cap.valid_from));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn money_repaid_leaves_the_count_on_the_day_received() {
        let k = Money::kroner;
        let mut s: Spending = [(d("2024-04-01"), k(600_000))].into_iter().collect();
        let cap = Cap {
            amount: k(706_600),
            valid_from: d("2024-01-01"),
        };
        assert!(check(&s, d("2024-12-01"), k(200_000), cap).is_err());
        s.push(d("2024-11-15"), Money::ZERO - k(100_000));
        // The fast path still judges: all ever spent is 600,000, not 500,000.
        assert_eq!(s.total(), k(600_000));
        assert!(check(&s, d("2024-12-01"), k(200_000), cap).is_ok());
        // Before the day it was received the money still counts.
        assert!(check(&s, d("2024-11-01"), k(200_000), cap).is_err());
    }

    #[test]
    fn windows_span_budget_years() {
        let spent = vec![
            (d("2024-03-01"), Money::kroner(400_000)),
            (d("2024-12-01"), Money::kroner(250_000)),
        ];
        // 2025-02-01 is within 12 months of both: 650,000 + 60,000.
        let (start, total) = heaviest_window(&spent, d("2025-02-01"), Money::kroner(60_000));
        assert_eq!(start, d("2024-03-01"));
        assert_eq!(total, Money::kroner(710_000));
        // 2025-03-01 is outside the first window (2024-03-01..2025-02-28).
        let (_, total) = heaviest_window(&spent, d("2025-03-01"), Money::kroner(60_000));
        assert_eq!(total, Money::kroner(310_000));
        let cap = Cap {
            amount: Money::kroner(706_600),
            valid_from: d("2024-01-01"),
        };
        assert_eq!(
            check(
                &spent.iter().copied().collect(),
                d("2025-02-01"),
                Money::kroner(60_000),
                cap
            )
            .unwrap_err()
            .code,
            Code::RollingCapExceeded
        );
        assert!(check(
            &spent.iter().copied().collect(),
            d("2025-03-01"),
            Money::kroner(60_000),
            cap
        )
        .is_ok());
    }

    #[test]
    fn leap_day_window_does_not_contain_the_last_day_of_february() {
        // The window from 2024-02-29 ends on 2025-02-27: spending on 2024-02-29 does not count
        // against an expense on 2025-02-28.
        let spent = [(d("2024-02-29"), Money::kroner(700_000))];
        let cap = Cap {
            amount: Money::kroner(706_600),
            valid_from: d("2024-01-01"),
        };
        assert!(check(
            &spent.iter().copied().collect(),
            d("2025-02-28"),
            Money::kroner(10_000),
            cap
        )
        .is_ok());
        // On 2025-02-27 it does.
        let e = check(
            &spent.iter().copied().collect(),
            d("2025-02-27"),
            Money::kroner(10_000),
            cap,
        )
        .unwrap_err();
        assert_eq!(e.code, Code::RollingCapExceeded);
        assert!(e
            .figures
            .iter()
            .any(|f| f.name == "window_start" && f.value == "2024-02-29"));
    }
}
