//! Barnets lov § 87; ATP-loven § 2 a; bekendtgørelse om hjemmetræning § 5: the monthly payroll run of lost-earnings compensation: a regular line per decision for the month, correction lines (the difference only) for earlier months a retroactive change altered, and the entry each line books.
use super::calculation::{month_of, Month};
pub use super::parent_atp::parent_months;
pub use super::rate_book::RateBook;
use super::versions::{month_span, parts_in_month, Version};
use bookkeeping::{Code, EntryKind, Error, Money, NewEntry, PostingLine, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub const LEGAL: &str = "Barnets lov § 87; ATP-loven § 2 a, stk. 5; vejledningen pkt. 157 b";

/// The amounts of a line (or of what is booked for a month).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Amounts {
    pub hours: Decimal,
    pub gross: Money,
    pub pension: Money,
    pub atp_recipient: Money,
    pub atp_municipality: Money,
    pub savings_deduction: Money,
    pub pay_before_tax: Money,
}

impl Amounts {
    pub fn of(m: &Month) -> Self {
        Amounts {
            hours: m.hours_in_month,
            gross: m.gross,
            pension: m.pension,
            atp_recipient: m.atp_recipient,
            atp_municipality: m.atp_municipality,
            savings_deduction: m.savings_deduction,
            pay_before_tax: m.pay_before_tax,
        }
    }

    pub fn plus(self, o: Amounts) -> Self {
        Amounts {
            hours: self.hours + o.hours,
            gross: self.gross + o.gross,
            pension: self.pension + o.pension,
            atp_recipient: self.atp_recipient + o.atp_recipient,
            atp_municipality: self.atp_municipality + o.atp_municipality,
            savings_deduction: self.savings_deduction + o.savings_deduction,
            pay_before_tax: self.pay_before_tax + o.pay_before_tax,
        }
    }

    pub fn minus(self, o: Amounts) -> Self {
        Amounts {
            hours: self.hours - o.hours,
            gross: self.gross - o.gross,
            pension: self.pension - o.pension,
            atp_recipient: self.atp_recipient - o.atp_recipient,
            atp_municipality: self.atp_municipality - o.atp_municipality,
            savings_deduction: self.savings_deduction - o.savings_deduction,
            pay_before_tax: self.pay_before_tax - o.pay_before_tax,
        }
    }

    /// Nothing to pay or book.
    pub fn is_zero(&self) -> bool {
        self.hours.is_zero()
            && [
                self.gross,
                self.pension,
                self.atp_recipient,
                self.atp_municipality,
                self.savings_deduction,
            ]
            .iter()
            .all(|m| m.is_zero())
    }
}

/// One month of a decision as it stands: `None` when the versions cover no day of it.
pub fn compute(versions: &[Version], month: NaiveDate, book: &RateBook) -> Result<Option<Month>> {
    let parts = parts_in_month(versions, month);
    if parts.is_empty() {
        return Ok(None);
    }
    month_of(&parts, &book.rates_for(month)?).map(Some)
}

/// A line of a run before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub month: NaiveDate,
    /// `Some(earlier month)` for a correction.
    pub corrects: Option<NaiveDate>,
    pub amounts: Amounts,
}

/// The lines of one decision in the run of `run_month`, from its months as they stand (`now`,
/// see `parent_months`): the month itself, and, when the decision (or another of the parent's)
/// changed since it was last booked, the difference for every earlier month that has a run
/// (`booked` holds what is booked per month). Nothing booked is edited.
pub fn lines(
    now: &BTreeMap<NaiveDate, Month>,
    run_month: NaiveDate,
    booked: &BTreeMap<NaiveDate, Amounts>,
    earlier_runs: &[NaiveDate],
    changed: bool,
) -> Vec<Line> {
    let mut out = vec![];
    if changed {
        for m in earlier_runs.iter().filter(|m| **m < run_month) {
            let is = now.get(m).map(Amounts::of).unwrap_or_default();
            let before = booked.get(m).copied().unwrap_or_default();
            let diff = is.minus(before);
            if !diff.is_zero() {
                out.push(Line {
                    month: run_month,
                    corrects: Some(*m),
                    amounts: diff,
                });
            }
        }
    }
    if let Some(m) = now.get(&run_month) {
        let a = Amounts::of(m);
        if !a.is_zero() {
            out.push(Line {
                month: run_month,
                corrects: None,
                amounts: a,
            });
        }
    }
    out
}

/// The lines' amounts summed: the run's totals and its voucher, what the run pays. Months found
/// overpaid are left out: they are claimed by a decision the parent is heard on, never netted
/// against current pay (see `overpayment`).
pub fn total(lines: &[Line]) -> Amounts {
    lines
        .iter()
        .filter(|l| !super::overpayment::is_overpaid(l))
        .fold(Amounts::default(), |s, l| s.plus(l.amounts))
}

/// The accounts a line books to.
pub struct PayrollAccounts<'a> {
    pub lost_earnings_expense: &'a str,
    pub pension_expense: &'a str,
    pub atp_expense: &'a str,
    pub payable_to_parents: &'a str,
    pub pension_payable: &'a str,
    pub atp_payable: &'a str,
}

/// The run's voucher: the lines' totals, the expense (gross, pension, the municipality's ATP)
/// against what is owed to the parents, the pension fund and ATP; where corrections make a total
/// negative it books the other way. The lines are the subledger (personbogføring) behind it,
/// each pointing at this entry; the text names no family. `None` when nothing is to be booked.
pub fn entry(
    lines: &[Line],
    run_month: NaiveDate,
    run_id: &str,
    date: NaiveDate,
    a: &PayrollAccounts,
) -> Option<NewEntry> {
    let x = total(lines);
    let signed = [
        (a.lost_earnings_expense, x.gross),
        (a.pension_expense, x.pension),
        (a.atp_expense, x.atp_municipality),
        (a.payable_to_parents, Money::ZERO - x.pay_before_tax),
        (a.pension_payable, Money::ZERO - x.pension),
        (
            a.atp_payable,
            Money::ZERO - (x.atp_recipient + x.atp_municipality),
        ),
    ];
    let corrections = lines.iter().filter(|l| l.corrects.is_some()).count();
    let what = format!(
        "Lønkørsel, tabt arbejdsfortjeneste {}: {} linjer, heraf {corrections} korrektioner",
        run_month.format("%Y-%m"),
        lines.len()
    );
    let mut e = NewEntry::new(EntryKind::LostEarnings, date, what).source("payroll_run", run_id);
    for (account, amount) in signed {
        if amount.is_positive() {
            e = e.line(PostingLine::debit(account, amount));
        } else if amount.is_negative() {
            e = e.line(PostingLine::credit(account, Money::ZERO - amount));
        }
    }
    (!e.postings.is_empty()).then_some(e)
}

/// A run is for a month that has begun (the current one or earlier), never a future one.
pub fn check_month(month: NaiveDate, today: NaiveDate) -> Result<()> {
    if month_span(month).0 > month_span(today).0 {
        return Err(Error::field(
            Code::PayrollMonthInFuture,
            "month",
            format!(
                "{} has not begun; a month is run from its first day",
                month.format("%Y-%m")
            ),
        )
        .legal(LEGAL));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lost_earnings::calculation::Inputs;
    use crate::lost_earnings::rate_names as names;
    use crate::rates::DatedValue;
    use bookkeeping::testing::d;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn dv(from: &str, value: Decimal) -> DatedValue {
        DatedValue {
            valid_from: d(from),
            value,
        }
    }

    pub fn book() -> RateBook {
        let mut b = RateBook::default();
        let mut put = |n: &str, v: Vec<DatedValue>| {
            b.by_name.insert(n.to_string(), v);
        };
        put(
            names::MAXIMUM,
            vec![dv("2024-01-01", Decimal::from(35_247))],
        );
        put(
            names::PENSION_RATE,
            vec![dv("2016-01-01", Decimal::from(10))],
        );
        put(
            names::NORMAL_WEEK,
            vec![dv("2016-01-01", Decimal::from(37))],
        );
        for (h, r, m) in [
            (117, 9_900, 19_800),
            (78, 6_600, 13_200),
            (39, 3_300, 6_600),
        ] {
            put(
                &format!("atp_recipient_from_{h}h"),
                vec![dv("2024-01-01", Decimal::new(r, 2))],
            );
            put(
                &format!("atp_municipality_from_{h}h"),
                vec![dv("2024-01-01", Decimal::new(m, 2))],
            );
        }
        b
    }

    fn version(basis: i64, eff: &str, granted: i64) -> Version {
        Version {
            effective_from: d(eff),
            valid_from: d("2024-02-01"),
            valid_to: d("2024-12-31"),
            inputs: Inputs {
                basis: Money::kroner(basis),
                granted_weekly_hours: Decimal::from(granted),
                previous_weekly_hours: Some(Decimal::from(37)),
                employer_pension_monthly: Money::kroner(2_000),
                monthly_savings: Money::kroner(500),
                started_on: d("2024-02-01"),
                covered_from: d("2024-02-01"),
                covered_to: d("2024-02-01"),
                documented_loss: false,
            },
        }
    }

    #[test]
    fn a_retroactive_change_gives_the_difference_for_each_earlier_month() {
        let before = [version(30_000, "2024-02-01", 37)];
        let runs = [d("2024-02-01"), d("2024-03-01")];
        let mut booked = BTreeMap::new();
        for m in runs {
            let a = Amounts::of(&compute(&before, m, &book()).unwrap().unwrap());
            booked.insert(m, a);
        }
        // Changed from 1 March: 20 hours instead of 37.
        let after = [before[0].clone(), version(30_000, "2024-03-01", 20)];
        let months = [runs[0], runs[1], d("2024-04-01")];
        let now = |v: &[Version]| {
            parent_months(&[("d1", v)], &months, &book())
                .unwrap()
                .remove(0)
        };
        let ls = lines(&now(&after), d("2024-04-01"), &booked, &runs, true);
        assert_eq!(ls.len(), 2, "March corrected, April regular: {ls:?}");
        assert_eq!(ls[0].corrects, Some(d("2024-03-01")));
        // 30,000 × 20/37 = 16,216.22; the difference from 30,000 is -13,783.78.
        assert_eq!(ls[0].amounts.gross, Money::from_ore(-1_378_378));
        assert_eq!(ls[1].corrects, None);
        assert_eq!(ls[1].amounts.gross, Money::from_ore(1_621_622));
        // A month taken back is never netted against the parent's pay: alone it books nothing.
        let acc = PayrollAccounts {
            lost_earnings_expense: "5500",
            pension_expense: "5510",
            atp_expense: "5520",
            payable_to_parents: "2000",
            pension_payable: "2200",
            atp_payable: "2300",
        };
        assert!(super::super::overpayment::is_overpaid(&ls[0]));
        assert!(entry(&ls[..1], d("2024-04-01"), "r1", d("2024-04-30"), &acc).is_none());
        // The run's voucher is what it pays: April's regular line only.
        let e = entry(&ls, d("2024-04-01"), "r1", d("2024-04-30"), &acc).unwrap();
        bookkeeping::entry::validate_entry(&e).unwrap();
        assert!(e
            .postings
            .iter()
            .any(|p| p.account_id == "5500" && p.debit == ls[1].amounts.gross));
        // A correction upwards (money owed to the parent) is paid.
        let up = Line {
            amounts: Amounts::default().minus(ls[0].amounts),
            ..ls[0].clone()
        };
        assert!(!super::super::overpayment::is_overpaid(&up));
        let e = entry(
            std::slice::from_ref(&up),
            d("2024-04-01"),
            "r1",
            d("2024-04-30"),
            &acc,
        )
        .unwrap();
        assert!(e
            .postings
            .iter()
            .any(|p| p.account_id == "5500" && p.debit == up.amounts.gross));
        // Unchanged: no corrections.
        assert_eq!(
            lines(&now(&before), d("2024-04-01"), &booked, &runs, true).len(),
            1
        );
    }

    #[test]
    fn a_missing_table_or_maximum_is_rate_missing() {
        let v = [version(30_000, "2024-02-01", 37)];
        let mut v25 = v.clone();
        v25[0].valid_to = d("2025-12-31");
        assert_eq!(
            compute(&v25, d("2025-01-01"), &book()).unwrap_err().code,
            Code::RateMissing
        );
        assert_eq!(
            check_month(d("2026-12-01"), d("2026-11-25"))
                .unwrap_err()
                .code,
            Code::PayrollMonthInFuture
        );
        assert!(check_month(d("2026-11-01"), d("2026-11-25")).is_ok());
    }

    proptest! {
        /// A month split at any day sums to the whole month within one øre per part.
        #[test]
        fn a_split_month_sums_to_the_whole(basis in 1_000i64..80_000, granted in 1i64..37, day in 2u32..29, pension in 0i64..5_000) {
            let mut v = version(basis, "2024-02-01", granted);
            v.inputs.employer_pension_monthly = Money::kroner(pension);
            let whole = compute(&[v.clone()], d("2024-05-01"), &book()).unwrap().unwrap();
            let mut first = v.clone();
            first.valid_to = d("2024-05-01").with_day(day - 1).unwrap();
            let mut second = v.clone();
            second.valid_from = d("2024-05-01").with_day(day).unwrap();
            second.effective_from = second.valid_from;
            let a = compute(&[first], d("2024-05-01"), &book()).unwrap().unwrap();
            let b = compute(&[second], d("2024-05-01"), &book()).unwrap().unwrap();
            prop_assert!((a.gross + b.gross - whole.gross).ore().abs() <= 2);
            prop_assert!((a.pension + b.pension - whole.pension).ore().abs() <= 2);
            prop_assert!((a.savings_deduction + b.savings_deduction - whole.savings_deduction).ore().abs() <= 2);
            prop_assert!(whole.gross <= whole.maximum);
            prop_assert!(whole.pension <= Money::kroner(pension));
        }
    }
}
