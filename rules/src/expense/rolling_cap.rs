//! Bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt. 157 d: no help for expenses that within any continuous period of 12 months exceed the yearly cap, across budget years.
use crate::budget::budget_year::twelve_months_from;
use crate::budget::yearly_cap::Cap;
use bookkeeping::{Code, Error, Money, Result};
use chrono::{Months, NaiveDate};

pub const LEGAL: &str = "Bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt. 157 d: no help for expenses that within a continuous period of 12 months exceed the cap";

/// The 12-month window containing `date` with the most spending once `amount` on `date` is
/// added: its first day and its total. Windows worth checking start on a spending date (or on
/// `date` itself), since moving a window's start later until it meets a spending date never
/// lowers its total.
pub fn heaviest_window(
    spent: &[(NaiveDate, Money)],
    date: NaiveDate,
    amount: Money,
) -> (NaiveDate, Money) {
    let earliest = date
        .checked_sub_months(Months::new(12))
        .and_then(|d| d.succ_opt())
        .unwrap_or(NaiveDate::MIN);
    // A window counts only if it contains the expense: starting on or after `earliest` is not
    // enough when month ends differ (a window from 2024-02-29 ends 2025-02-27).
    let mut starts: Vec<NaiveDate> = spent
        .iter()
        .map(|(d, _)| *d)
        .filter(|d| *d >= earliest && *d <= date && twelve_months_from(*d) >= date)
        .collect();
    starts.push(date);
    starts
        .into_iter()
        .map(|s| {
            let end = twelve_months_from(s);
            let total: Money = spent
                .iter()
                .filter(|(d, _)| *d >= s && *d <= end)
                .map(|(_, m)| *m)
                .sum();
            (s, total + amount)
        })
        .max_by_key(|(_, t)| *t)
        .unwrap_or((date, amount))
}

/// The cap within any continuous 12-month period, across budget years.
pub fn check(spent: &[(NaiveDate, Money)], date: NaiveDate, amount: Money, cap: Cap) -> Result<()> {
    let (start, total) = heaviest_window(spent, date, amount);
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
            check(&spent, d("2025-02-01"), Money::kroner(60_000), cap)
                .unwrap_err()
                .code,
            Code::RollingCapExceeded
        );
        assert!(check(&spent, d("2025-03-01"), Money::kroner(60_000), cap).is_ok());
    }

    #[test]
    fn leap_day_window_does_not_contain_the_last_day_of_february() {
        // The window from 2024-02-29 ends on 2025-02-27: spending on 2024-02-29 does not count
        // against an expense on 2025-02-28.
        let spent = vec![(d("2024-02-29"), Money::kroner(700_000))];
        let cap = Cap {
            amount: Money::kroner(706_600),
            valid_from: d("2024-01-01"),
        };
        assert!(check(&spent, d("2025-02-28"), Money::kroner(10_000), cap).is_ok());
        // On 2025-02-27 it does.
        let e = check(&spent, d("2025-02-27"), Money::kroner(10_000), cap).unwrap_err();
        assert_eq!(e.code, Code::RollingCapExceeded);
        assert!(e
            .figures
            .iter()
            .any(|f| f.name == "window_start" && f.value == "2024-02-29"));
    }
}
