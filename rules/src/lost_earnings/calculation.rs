//! Barnets lov § 87, stk. 3; vejledningen pkt. 157 b-c; ATP-loven § 2 a: one month of lost-earnings compensation: the basis regulated each 1 January since the benefit started, capped by the month's maximum and reduced to the share of the parent's previous working time the granted hours make up, pro rata by calendar days; pension at most 10 % and at most the previous employer's contribution; ATP by the official table. Every amount rounded once, to the øre, half away from zero.
use crate::rates::DatedValue;
use bookkeeping::{Code, Error, Money, Result};
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

pub const LEGAL: &str = "Barnets lov § 87, stk. 3; vejledningen pkt. 157 b-c";

/// One ATP bracket: from this many hours a month, the recipient's and the municipality's amounts.
#[derive(Clone, Debug)]
pub struct AtpBracket {
    pub from_hours: Decimal,
    pub recipient: Money,
    pub municipality: Money,
}

/// What a month is computed on.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// The monthly basis: the payslip average or the set amount (not regulated up to the start).
    pub basis: Money,
    pub granted_weekly_hours: Decimal,
    /// The parent's own previous weekly working time; `None` (estimated, self-employed): 37.
    pub previous_weekly_hours: Option<Decimal>,
    pub employer_pension_monthly: Money,
    pub monthly_savings: Money,
    /// The day the benefit started (regulation counts the 1 Januaries since).
    pub started_on: NaiveDate,
    /// The days of the month the decision covers (start, end, the day before the 18th birthday).
    pub covered_from: NaiveDate,
    pub covered_to: NaiveDate,
    /// The basis is a self-employed parent's documented monthly loss: that loss is the loss, so
    /// it is not cut by the hour share again; the hour share caps it instead (gross = min(loss,
    /// maximum × share)).
    pub documented_loss: bool,
}

/// The rates a month needs, each with the date it holds from.
#[derive(Clone, Debug)]
pub struct Rates {
    /// The monthly maximum, by year.
    pub maximum: Vec<DatedValue>,
    /// The yearly regulation percentage of a running benefit, by year (valid from 1 January).
    pub regulation: Vec<DatedValue>,
    /// The ATP table in force in the month, highest bracket first.
    pub atp: Vec<AtpBracket>,
    pub pension_rate: Decimal,
    pub normal_week: Decimal,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Step {
    pub rule: String,
    pub legal_reference: String,
    pub formula: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Month {
    pub days_covered: u32,
    pub days_in_month: u32,
    pub hour_share: Decimal,
    pub regulated_basis: Money,
    pub maximum: Money,
    pub gross: Money,
    pub pension: Money,
    pub hours_in_month: Decimal,
    /// The hours unrounded: a parent's ATP bracket is found on the sum of these.
    pub hours_exact: Decimal,
    /// The parent's ATP for the month across all the parent's decisions, once applied (see
    /// `parent_atp`); none for a decision computed alone.
    pub atp_parent: Option<super::parent_atp::ParentMonth>,
    pub atp_recipient: Money,
    pub atp_municipality: Money,
    pub savings_deduction: Money,
    pub pay_before_tax: Money,
    pub steps: Vec<Step>,
}

fn round(d: Decimal) -> Money {
    Money::from_decimal_exact(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
        .unwrap_or(Money::MAX)
}

fn missing(name: &str, year: i32) -> Error {
    Error::rule(
        Code::RateMissing,
        format!("the {name} rate has no value for {year}; an operator must enter it before a month in {year} can be computed (never from an older figure)"),
    )
    .legal(LEGAL)
    .figure("rate", name)
    .figure("year", year)
}

/// The value of a yearly rate for `year`: its own, never an older year's.
fn of_year(values: &[DatedValue], name: &str, year: i32) -> Result<Decimal> {
    values
        .iter()
        .filter(|v| v.valid_from.year() == year)
        .max_by_key(|v| v.valid_from)
        .map(|v| v.value)
        .ok_or_else(|| missing(name, year))
}

fn days_in_month(d: NaiveDate) -> u32 {
    let first = d.with_day(1).unwrap_or(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (next - first).num_days() as u32
}

/// Computes one month covered by one set of terms, step by step.
pub fn month(i: &Inputs, r: &Rates) -> Result<Month> {
    month_of(std::slice::from_ref(i), r)
}

/// One part of a month: the days one version of the decision covers.
struct Part {
    regulated_basis: Money,
    share: Decimal,
    gross: Decimal,
    pension: Decimal,
    savings: Decimal,
    hours: Decimal,
    covered: u32,
}

/// Computes a month whose days are covered by one or more versions of a decision (`parts`,
/// disjoint, inside one month): gross, pension and savings per part, pro rata by calendar days,
/// then ATP on the month's hours in total (the table is by hours per month), each amount
/// rounded once.
pub fn month_of(parts: &[Inputs], r: &Rates) -> Result<Month> {
    let first = parts.first().ok_or_else(|| {
        Error::rule(Code::InvalidValue, "a month needs at least one covered day").legal(LEGAL)
    })?;
    let year = first.covered_from.year();
    let dim = days_in_month(first.covered_from);
    let maximum = round(of_year(&r.maximum, "lost_earnings_maximum", year)?);
    let mut steps = vec![];
    let mut step = |rule: &str, formula: String, value: String| {
        steps.push(Step {
            rule: rule.into(),
            legal_reference: LEGAL.into(),
            formula,
            value,
        })
    };
    step(
        "maximum",
        format!("the monthly maximum of {year} (Barnets lov § 87, stk. 3)"),
        maximum.to_string(),
    );
    let mut done = vec![];
    for i in parts {
        let label = if parts.len() > 1 {
            format!(" ({} to {})", i.covered_from, i.covered_to)
        } else {
            String::new()
        };
        // Regulation: each 1 January passed since the basis was set, its own year's percentage.
        let mut regulated = i.basis.to_decimal();
        step(
            "basis",
            format!("the monthly basis{label}"),
            i.basis.to_string(),
        );
        for y in (i.started_on.year() + 1)..=year {
            let pct = of_year(&r.regulation, "lost_earnings_regulation", y)?;
            regulated *= Decimal::ONE + pct / Decimal::ONE_HUNDRED;
            step(
                "regulation",
                format!("basis × (1 + {pct} %) for 1 January {y}{label}"),
                regulated.round_dp(4).to_string(),
            );
        }
        let previous = i.previous_weekly_hours.unwrap_or(r.normal_week);
        let share = if previous.is_zero() {
            Decimal::ONE
        } else {
            i.granted_weekly_hours / previous
        };
        let covered = ((i.covered_to - i.covered_from).num_days() + 1).clamp(0, dim as i64) as u32;
        let part = Decimal::from(covered) / Decimal::from(dim);
        let capped = regulated.min(maximum.to_decimal());
        step(
            "maximum applied",
            format!(
                "min(regulated basis {}, maximum {maximum}){label}",
                round(regulated)
            ),
            round(capped).to_string(),
        );
        step(
            "hour share",
            format!(
                "{} granted ÷ {previous} previous weekly hours{label}",
                i.granted_weekly_hours
            ),
            share.round_dp(6).to_string(),
        );
        let gross = if i.documented_loss {
            regulated.min(maximum.to_decimal() * share) * part
        } else {
            (capped * share).min(maximum.to_decimal()) * part
        };
        let formula = if i.documented_loss {
            format!("min(documented monthly loss, maximum × share): the documented loss is the loss, the hour share caps it, × {covered}/{dim} days{label}")
        } else {
            format!("min(basis, maximum) × share, never above the maximum, × {covered}/{dim} days{label}")
        };
        step("gross", formula, gross.round_dp(4).to_string());
        let pension = (gross * r.pension_rate).min(i.employer_pension_monthly.to_decimal() * part);
        step(
            "pension",
            format!(
                "min({} × gross, the previous employer's {} × {covered}/{dim} days){label}",
                r.pension_rate, i.employer_pension_monthly
            ),
            pension.round_dp(4).to_string(),
        );
        let hours = i.granted_weekly_hours * Decimal::from(52) / Decimal::from(12) * part;
        done.push(Part {
            regulated_basis: round(regulated),
            share,
            gross,
            pension,
            savings: i.monthly_savings.to_decimal() * part,
            hours,
            covered,
        });
    }
    let sum = |f: fn(&Part) -> Decimal| done.iter().map(f).sum::<Decimal>();
    let gross = round(sum(|p| p.gross));
    let pension = round(sum(|p| p.pension));
    // The bracket is found on the exact hours; they are shown rounded half away from zero.
    let exact_hours = sum(|p| p.hours);
    let hours = exact_hours.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    step(
        "rounding",
        "gross and pension rounded once, to the øre, half away from zero".into(),
        format!("gross {gross}, pension {pension}"),
    );
    let bracket = r.atp.iter().find(|b| exact_hours >= b.from_hours);
    let (atp_recipient, atp_municipality) = bracket
        .map(|b| (b.recipient, b.municipality))
        .unwrap_or((Money::ZERO, Money::ZERO));
    step(
        "hours in the month",
        "granted weekly hours × 52 ÷ 12 × days covered ÷ days in the month".into(),
        hours.to_string(),
    );
    step(
        "ATP",
        format!(
            "{hours} hours: the table's bracket from {} hours (ATP-loven § 2 a): the recipient's share + the municipality's",
            bracket.map(|b| b.from_hours).unwrap_or_default()
        ),
        format!("{atp_recipient} + {atp_municipality}"),
    );
    let savings_deduction = round(sum(|p| p.savings));
    step(
        "savings",
        "monthly savings × days covered ÷ days in the month: deducted after tax by the payroll system, not from the gross".into(),
        savings_deduction.to_string(),
    );
    let pay_before_tax = gross - atp_recipient;
    step(
        "pay before tax",
        "gross − the recipient's ATP".into(),
        pay_before_tax.to_string(),
    );
    let last = done.last().expect("at least one part");
    Ok(Month {
        days_covered: done.iter().map(|p| p.covered).sum(),
        days_in_month: dim,
        hour_share: last.share,
        regulated_basis: last.regulated_basis,
        maximum,
        gross,
        pension,
        hours_in_month: hours,
        hours_exact: exact_hours,
        atp_parent: None,
        atp_recipient,
        atp_municipality,
        savings_deduction,
        pay_before_tax,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use proptest::prelude::*;

    fn rates() -> Rates {
        let v = |from: &str, value: i64| DatedValue {
            valid_from: d(from),
            value: Decimal::from(value),
        };
        Rates {
            maximum: vec![v("2024-01-01", 35_247), v("2025-01-01", 36_000)],
            regulation: vec![DatedValue {
                valid_from: d("2025-01-01"),
                value: Decimal::new(29, 1),
            }],
            atp: vec![
                AtpBracket {
                    from_hours: Decimal::from(117),
                    recipient: Money::kroner(99),
                    municipality: Money::kroner(198),
                },
                AtpBracket {
                    from_hours: Decimal::from(78),
                    recipient: Money::kroner(66),
                    municipality: Money::kroner(132),
                },
                AtpBracket {
                    from_hours: Decimal::from(39),
                    recipient: Money::kroner(33),
                    municipality: Money::kroner(66),
                },
            ],
            pension_rate: Decimal::new(10, 2),
            normal_week: Decimal::from(37),
        }
    }

    fn inputs(basis: i64, granted: i64, previous: Option<i64>) -> Inputs {
        Inputs {
            basis: Money::kroner(basis),
            granted_weekly_hours: Decimal::from(granted),
            previous_weekly_hours: previous.map(Decimal::from),
            employer_pension_monthly: Money::kroner(3_000),
            monthly_savings: Money::ZERO,
            started_on: d("2024-03-01"),
            covered_from: d("2024-05-01"),
            covered_to: d("2024-05-31"),
            documented_loss: false,
        }
    }

    #[test]
    fn the_domain_examples() {
        // 12 of 37 hours at 40,000 kr (2024): 35,247 × 12/37 = 11,431.46.
        let m = month(&inputs(40_000, 12, Some(37)), &rates()).unwrap();
        assert_eq!(m.gross, Money::from_ore(1_143_146));
        // 30 of 30 hours at 37,000 kr: the maximum, 35,247.00.
        let m = month(&inputs(37_000, 30, Some(30)), &rates()).unwrap();
        assert_eq!(m.gross, Money::kroner(35_247));
        assert_eq!(m.pension, Money::kroner(3_000));
        assert_eq!(
            (m.atp_recipient, m.atp_municipality),
            (Money::kroner(99), Money::kroner(198))
        );
        assert_eq!(m.pay_before_tax, Money::kroner(35_148));
        // Regulated across 1 January 2025 by 2.9 %.
        let mut i = inputs(30_000, 37, Some(37));
        i.covered_from = d("2025-02-01");
        i.covered_to = d("2025-02-28");
        let m = month(&i, &rates()).unwrap();
        assert_eq!(m.regulated_basis, Money::kroner(30_870));
        assert_eq!(m.gross, Money::kroner(30_870));
        // A year without its own maximum is refused, never computed from an older figure.
        i.covered_from = d("2026-02-01");
        i.covered_to = d("2026-02-28");
        assert_eq!(month(&i, &rates()).unwrap_err().code, Code::RateMissing);
    }

    #[test]
    fn a_start_mid_month_is_pro_rata() {
        let mut i = inputs(20_000, 37, Some(37));
        i.covered_from = d("2024-05-16");
        let m = month(&i, &rates()).unwrap();
        assert_eq!((m.days_covered, m.days_in_month), (16, 31));
        // 20,000 × 16/31 = 10,322.580… → 10,322.58
        assert_eq!(m.gross, Money::from_ore(1_032_258));
    }

    proptest! {
        #[test]
        fn never_above_the_maximum_and_pension_bounded(basis in 0i64..100_000, granted in 1i64..60, previous in 1i64..60, day in 1u32..31) {
            let mut i = inputs(basis, granted, Some(previous));
            i.covered_from = d("2024-05-01").with_day(day).unwrap();
            let m = month(&i, &rates()).unwrap();
            prop_assert!(m.gross <= m.maximum);
            let share = Decimal::from(granted) / Decimal::from(previous);
            prop_assert!(m.gross.to_decimal() <= (m.regulated_basis.to_decimal() * share).round_dp(2) + Decimal::new(1, 2));
            prop_assert!(m.pension.to_decimal() <= (m.gross.to_decimal() * Decimal::new(10, 2)).round_dp(2) + Decimal::new(1, 2));
            prop_assert!(m.pension <= i.employer_pension_monthly);
            let known = [(0, 0), (33, 66), (66, 132), (99, 198)];
            prop_assert!(known.contains(&(m.atp_recipient.ore() / 100, m.atp_municipality.ore() / 100)));
        }
    }
}
