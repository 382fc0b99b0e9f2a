//! Barnets lov § 87; vejledningen pkt. 157 b: the terms of a lost-earnings decision as the caseworker gives them, their shape (malformed input is refused before anything is decided, and is no decision), and the monthly basis they give.
use super::grant::LEGAL;
use crate::privacy::no_cpr;
use bookkeeping::{string_enum, Code, Error, Money, Result};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// No week has more hours than this.
const MAX_WEEK: u32 = 168;

string_enum!(
    /// What the basis rests on: `employee` (the average of the latest payslips' gross pay),
    /// `self_employed` (the documented loss as a monthly amount) or `estimated` (what a parent
    /// without earlier income could otherwise have earned).
    BasisType {
        Employee => "employee",
        SelfEmployed => "self_employed",
        Estimated => "estimated",
    }
);

/// One payslip of the basis: its gross pay, and the period it covers when that is not a calendar
/// month (a fortnight, four weeks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payslip {
    pub gross: Money,
    pub period: Option<(NaiveDate, NaiveDate)>,
}

impl Payslip {
    /// A monthly payslip.
    pub fn monthly(gross: Money) -> Payslip {
        Payslip {
            gross,
            period: None,
        }
    }

    /// Its pay for a month, exact: a payslip of another period is turned into a month by its
    /// days, gross × 365 ÷ 12 ÷ days (a fortnight's pay is not half a month's basis). Rounded
    /// once, with the average, in `basis`.
    pub fn per_month(&self) -> Decimal {
        match self.period {
            None => self.gross.to_decimal(),
            Some((from, to)) => {
                let days = Decimal::from((to - from).num_days() + 1);
                self.gross.to_decimal() * Decimal::from(365) / Decimal::from(12) / days
            }
        }
    }
}

/// The terms of a lost-earnings decision as the caseworker gives them.
#[derive(Clone, Debug)]
pub struct Terms {
    /// The parent, by an opaque reference (never a CPR number).
    pub parent_ref: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub granted_weekly_hours: Decimal,
    pub previous_weekly_hours: Option<Decimal>,
    pub basis_type: BasisType,
    pub payslips: Vec<Payslip>,
    pub monthly_basis: Option<Money>,
    pub employer_pension_monthly: Money,
    pub monthly_savings: Money,
    pub home_teaching_weekly_hours: Decimal,
    pub home_taught_full_time: bool,
    pub exceptional_hours_documented: bool,
}

fn hours_ok(h: Decimal, allow_zero: bool) -> bool {
    (h.is_sign_positive() && (allow_zero || !h.is_zero()))
        && h <= Decimal::from(MAX_WEEK)
        && h.round_dp(2) == h
}

fn bad(code: Code, field: &str, detail: &str) -> Error {
    Error::field(code, field, detail.to_string()).legal(LEGAL)
}

/// The request's own shape: anything refused here is malformed input, not a decision.
pub fn check_shape(t: &Terms) -> Result<()> {
    bookkeeping::error::check_text(
        Code::InvalidParentRef,
        "parent_ref",
        &t.parent_ref,
        100,
        "the parent reference is an opaque reference of 1-100 characters",
    )?;
    no_cpr::reject_in_text("parent_ref", &t.parent_ref)?;
    if !hours_ok(t.granted_weekly_hours, false) {
        return Err(bad(
            Code::InvalidHours,
            "granted_weekly_hours",
            "granted weekly hours are above 0 and at most 168, with at most two decimals",
        ));
    }
    if let Some(p) = t.previous_weekly_hours {
        if !hours_ok(p, false) {
            return Err(bad(
                Code::InvalidHours,
                "previous_weekly_hours",
                "previous weekly hours are above 0 and at most 168, with at most two decimals",
            ));
        }
    }
    if !hours_ok(t.home_teaching_weekly_hours, true) {
        return Err(bad(
            Code::InvalidHours,
            "home_teaching_weekly_hours",
            "home-teaching hours are 0 to 168 a week, with at most two decimals",
        ));
    }
    if t.valid_to.is_some_and(|to| to < t.valid_from) {
        return Err(bad(
            Code::InvalidValue,
            "valid_to",
            "valid_to is on or after valid_from",
        ));
    }
    for (field, m) in [
        ("employer_pension_monthly", t.employer_pension_monthly),
        ("monthly_savings", t.monthly_savings),
    ] {
        if m.is_negative() {
            return Err(bad(
                Code::InvalidAmount,
                field,
                "the amount is zero or more",
            ));
        }
    }
    match t.basis_type {
        BasisType::Employee => {
            if t.previous_weekly_hours.is_none() {
                return Err(bad(Code::MissingField, "previous_weekly_hours", "an employee's previous weekly working hours are required: the hour share is of the parent's own working time"));
            }
            if t.payslips.is_empty() || t.payslips.len() > 12 || t.monthly_basis.is_some() {
                return Err(bad(
                    Code::InvalidBasis,
                    "payslips",
                    "an employee's basis is 1 to 12 payslips' gross amounts (and no monthly_basis)",
                ));
            }
            if t.payslips.iter().any(|p| !p.gross.is_positive()) {
                return Err(bad(
                    Code::InvalidAmount,
                    "payslips",
                    "each payslip's gross amount is above zero",
                ));
            }
            let period_ok =
                |(from, to): (NaiveDate, NaiveDate)| from <= to && (to - from).num_days() < 366;
            if t.payslips
                .iter()
                .any(|p| p.period.is_some_and(|x| !period_ok(x)))
            {
                return Err(bad(
                    Code::InvalidValue,
                    "payslips",
                    "a payslip's period runs from `from` to `to` (inclusive), at most a year",
                ));
            }
        }
        BasisType::SelfEmployed | BasisType::Estimated => {
            let ok = t.payslips.is_empty() && t.monthly_basis.is_some_and(|m| m.is_positive());
            if !ok {
                return Err(bad(Code::InvalidBasis, "monthly_basis", "a self-employed or estimated basis is a monthly amount above zero set by the caseworker (and no payslips)"));
            }
        }
    }
    Ok(())
}

/// The monthly basis: the payslips' average, rounded once to the øre, or the set amount. The
/// previous wage is not regulated up to the start (Ankestyrelsen 4-18).
pub fn basis(t: &Terms) -> Money {
    match t.monthly_basis {
        Some(m) if t.payslips.is_empty() => m,
        _ => {
            let sum: Decimal = t.payslips.iter().map(Payslip::per_month).sum();
            let avg = sum / Decimal::from(t.payslips.len().max(1));
            Money::from_decimal_exact(
                avg.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            )
            .unwrap_or(Money::MAX)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use bookkeeping::testing::d;

    /// An employee's terms: 37 of 37 hours, three payslips.
    pub(crate) fn sample() -> Terms {
        Terms {
            parent_ref: "parent-a".into(),
            valid_from: d("2024-03-01"),
            valid_to: Some(d("2024-12-31")),
            granted_weekly_hours: Decimal::from(37),
            previous_weekly_hours: Some(Decimal::from(37)),
            basis_type: BasisType::Employee,
            payslips: vec![
                Payslip::monthly(Money::kroner(30_000)),
                Payslip::monthly(Money::kroner(31_000)),
                Payslip::monthly(Money::from_ore(3_100_001)),
            ],
            monthly_basis: None,
            employer_pension_monthly: Money::kroner(3_000),
            monthly_savings: Money::ZERO,
            home_teaching_weekly_hours: Decimal::ZERO,
            home_taught_full_time: false,
            exceptional_hours_documented: false,
        }
    }
    fn terms() -> Terms {
        sample()
    }

    #[test]
    fn malformed_terms_are_not_decisions() {
        let mut t = terms();
        t.previous_weekly_hours = None;
        assert_eq!(check_shape(&t).unwrap_err().code, Code::MissingField);
        let mut t = terms();
        t.parent_ref = "010203-1234".into();
        assert_eq!(check_shape(&t).unwrap_err().code, Code::CprNumberNotAllowed);
        let mut t = terms();
        t.basis_type = BasisType::Estimated;
        assert_eq!(check_shape(&t).unwrap_err().code, Code::InvalidBasis);
        t.payslips.clear();
        t.monthly_basis = Some(Money::kroner(25_000));
        assert!(check_shape(&t).is_ok());
        t.granted_weekly_hours = Decimal::new(1234, 3);
        assert_eq!(check_shape(&t).unwrap_err().code, Code::InvalidHours);
        let mut t = terms();
        t.payslips[0].period = Some((d("2024-02-14"), d("2024-02-01")));
        assert_eq!(check_shape(&t).unwrap_err().code, Code::InvalidValue);
    }

    #[test]
    fn payslips_of_other_periods_are_turned_into_months_by_their_days() {
        // Two fortnights of 14,000.00 (14 days each): 14,000 × 365 ÷ 12 ÷ 14 = 30,416.666…
        // each, so the basis is 30,416.67 (rounded once), not 14,000.00.
        let fortnight = |from: &str, to: &str| Payslip {
            gross: Money::kroner(14_000),
            period: Some((d(from), d(to))),
        };
        let mut t = terms();
        t.payslips = vec![
            fortnight("2024-01-01", "2024-01-14"),
            fortnight("2024-01-15", "2024-01-28"),
        ];
        assert!(check_shape(&t).is_ok());
        assert_eq!(basis(&t), Money::from_ore(3_041_667));
        // A plain amount stays a month's pay.
        t.payslips.push(Payslip::monthly(Money::kroner(30_000)));
        // (30,416.666… × 2 + 30,000) ÷ 3 = 30,277.777… → 30,277.78
        assert_eq!(basis(&t), Money::from_ore(3_027_778));
    }
}
