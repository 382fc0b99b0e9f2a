//! Barnets lov § 87; forvaltningsloven § 22: a lost-earnings decision changes from a date, by a new version; each day of a month is computed by the version in force that day, and earlier versions stay as they were decided.
use super::calculation::Inputs;
use chrono::{Datelike, NaiveDate};

/// One version of a decision: in force from `effective_from` until the next version's, and
/// covering the days from `valid_from` to `valid_to` of that span.
#[derive(Clone, Debug)]
pub struct Version {
    pub effective_from: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// The terms as calculation inputs (their covered days are set per month).
    pub inputs: Inputs,
}

/// The first and last day of the month that holds `day`.
pub fn month_span(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(first);
    (first, last)
}

/// The parts of the month of `month` that the versions cover, in date order. `versions` are in
/// the order they were decided; on each day the latest decided version in force that day (its
/// `effective_from` on or before it) applies, if the day lies in its `valid_from..=valid_to`.
pub fn parts_in_month(versions: &[Version], month: NaiveDate) -> Vec<Inputs> {
    let (first, last) = month_span(month);
    let mut parts: Vec<(usize, NaiveDate, NaiveDate)> = vec![];
    for day in first.iter_days().take_while(|d| *d <= last) {
        let in_force = versions
            .iter()
            .enumerate()
            .rev()
            .find(|(_, v)| v.effective_from <= day);
        let Some((n, v)) = in_force else { continue };
        if day < v.valid_from || day > v.valid_to {
            continue;
        }
        match parts.last_mut() {
            Some((pn, _, to)) if *pn == n && to.succ_opt() == Some(day) => *to = day,
            _ => parts.push((n, day, day)),
        }
    }
    parts
        .into_iter()
        .map(|(n, from, to)| {
            let mut i = versions[n].inputs.clone();
            i.covered_from = from;
            i.covered_to = to;
            i
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use bookkeeping::Money;
    use rust_decimal::Decimal;

    fn version(eff: &str, from: &str, to: &str, basis: i64) -> Version {
        Version {
            effective_from: d(eff),
            valid_from: d(from),
            valid_to: d(to),
            inputs: Inputs {
                basis: Money::kroner(basis),
                granted_weekly_hours: Decimal::from(20),
                previous_weekly_hours: Some(Decimal::from(37)),
                employer_pension_monthly: Money::ZERO,
                monthly_savings: Money::ZERO,
                started_on: d(from),
                covered_from: d(from),
                covered_to: d(to),
                documented_loss: false,
            },
        }
    }

    #[test]
    fn a_change_mid_month_splits_it() {
        let vs = [
            version("2024-03-10", "2024-03-10", "2024-12-31", 20_000),
            version("2024-05-16", "2024-03-10", "2024-12-31", 25_000),
        ];
        let march = parts_in_month(&vs, d("2024-03-01"));
        assert_eq!(march.len(), 1);
        assert_eq!(
            (march[0].covered_from, march[0].covered_to),
            (d("2024-03-10"), d("2024-03-31"))
        );
        let may = parts_in_month(&vs, d("2024-05-01"));
        assert_eq!(may.len(), 2);
        assert_eq!(
            (may[0].covered_to, may[1].covered_from),
            (d("2024-05-15"), d("2024-05-16"))
        );
        assert_eq!(may[1].basis, Money::kroner(25_000));
        assert!(parts_in_month(&vs, d("2025-01-01")).is_empty());
    }
}
