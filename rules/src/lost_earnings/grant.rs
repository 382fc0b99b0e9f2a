//! Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c; Ankestyrelsens principafgørelse 15-09: who may be compensated for lost earnings, for how many hours, on what basis, and until when.
use crate::privacy::no_cpr;
use bookkeeping::{string_enum, Code, Error, Money, Result};
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

pub const LEGAL: &str =
    "Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c";
pub const LEGAL_HOURS: &str =
    "Vejledningen pkt. 157 b; Ankestyrelsens principafgørelse 15-09 (højst 37 timer om ugen)";
pub const LEGAL_TEACHING: &str =
    "Bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 c (hjemmeundervisning)";
pub const LEGAL_AGE: &str = "Barnets lov § 87 (kompensationen ophører, når barnet fylder 18 år)";

/// The normal working week: more hours only on documented, permanently higher working time.
pub const NORMAL_WEEK: u32 = 37;
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
    pub payslips: Vec<Money>,
    pub monthly_basis: Option<Money>,
    pub employer_pension_monthly: Money,
    pub monthly_savings: Money,
    pub home_teaching_weekly_hours: Decimal,
    pub home_taught_full_time: bool,
    pub exceptional_hours_documented: bool,
}

/// Another decision for the same parent, as it stands.
#[derive(Clone, Debug)]
pub struct Other {
    pub id: String,
    pub same_case: bool,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub granted_weekly_hours: Decimal,
}

/// What the decision rests on besides the terms.
#[derive(Clone, Debug)]
pub struct Facts {
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    /// The parent's other decisions (on any case of the municipality).
    pub others: Vec<Other>,
    pub case_end: Option<NaiveDate>,
    /// How many payslips the municipality averages (its setting); `None` when the payslips are
    /// not being set now (a change that keeps the basis).
    pub payslips_in_basis: Option<usize>,
}

/// A granted period, cut where the law or the case ends it.
#[derive(Clone, Debug, PartialEq)]
pub struct Granted {
    pub basis: Money,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// Why the period ends before what was asked, in Danish, when it does.
    pub cut_reason: Option<&'static str>,
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
            if t.payslips.iter().any(|p| !p.is_positive()) {
                return Err(bad(
                    Code::InvalidAmount,
                    "payslips",
                    "each payslip's gross amount is above zero",
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
            let sum: Decimal = t.payslips.iter().map(|p| p.to_decimal()).sum();
            let avg = sum / Decimal::from(t.payslips.len().max(1));
            Money::from_decimal_exact(
                avg.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            )
            .unwrap_or(Money::MAX)
        }
    }
}

/// The last day before the 18th birthday (a 29 February birthday turns 18 on 1 March).
pub fn last_day_before_18(birth: NaiveDate) -> NaiveDate {
    let y = birth.year() + 18;
    let birthday = NaiveDate::from_ymd_opt(y, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, 3, 1))
        .unwrap_or(birth);
    birthday.pred_opt().unwrap_or(birthday)
}

/// Decides the terms: the hours (with the parent's other decisions), the home teaching, the
/// application date, the child's age and the case's end.
pub fn decide(t: &Terms, f: &Facts) -> Result<Granted> {
    let normal = Decimal::from(NORMAL_WEEK);
    let asked_to = t.valid_to.unwrap_or(NaiveDate::MAX);
    let overlapping: Vec<&Other> = f
        .others
        .iter()
        .filter(|o| o.valid_from <= asked_to && t.valid_from <= o.valid_to)
        .collect();
    if let Some(o) = overlapping.iter().find(|o| o.same_case) {
        return Err(Error::rule(
            Code::LostEarningsOverlap,
            format!("the parent already has compensation on this case from {} to {} (decision {}); change that decision instead", o.valid_from, o.valid_to, o.id),
        )
        .legal(LEGAL)
        .figure("overlapping_decision", &o.id)
        .figure("valid_from", o.valid_from)
        .figure("valid_to", o.valid_to));
    }
    // The normal week is the parent's, across every child's case.
    let others: Decimal = overlapping.iter().map(|o| o.granted_weekly_hours).sum();
    let hours = t.granted_weekly_hours;
    if hours + others > normal && !t.exceptional_hours_documented {
        return Err(Error::rule(
            Code::HoursAboveNormalWeek,
            format!("{hours} hours a week, with {others} in the parent's other decisions in the period, are above the normal week of 37 hours; more hours need documented, permanently higher working time"),
        )
        .legal(LEGAL_HOURS)
        .figure("granted_weekly_hours", hours)
        .figure("other_weekly_hours", others)
        .figure("normal_week", normal));
    }
    // Only earnings actually lost: never more hours than the parent worked, whatever the basis.
    if let Some(previous) = t.previous_weekly_hours {
        if hours > previous {
            return Err(Error::rule(
                Code::HoursAbovePrevious,
                format!("{hours} granted hours a week are more than the {previous} hours the parent worked: only earnings actually lost are compensated"),
            )
            .legal(LEGAL)
            .figure("granted_weekly_hours", hours)
            .figure("previous_weekly_hours", previous));
        }
    }
    let teaches = !t.home_teaching_weekly_hours.is_zero();
    if t.home_taught_full_time && teaches && hours >= normal {
        return Err(Error::rule(
            Code::HomeTeachingFullTime,
            "full-time compensation cannot go to the parent who home-teaches a child who is home-taught full time; no compensation is given for teaching hours",
        )
        .legal(LEGAL_TEACHING)
        .figure("granted_weekly_hours", hours)
        .figure("home_teaching_weekly_hours", t.home_teaching_weekly_hours));
    }
    if t.valid_from < f.application_date {
        return Err(Error::rule(
            Code::LostEarningsBeforeApplication,
            format!("the period starts on {}, before the application date {}; compensation is given from the application date on", t.valid_from, f.application_date),
        )
        .legal(LEGAL)
        .figure("valid_from", t.valid_from)
        .figure("application_date", f.application_date));
    }
    let last = last_day_before_18(f.child_birth_date);
    if t.valid_from > last {
        return Err(Error::rule(
            Code::LostEarningsAfter18,
            format!("the period starts after {last}, the day before the child's 18th birthday"),
        )
        .legal(LEGAL_AGE)
        .figure("valid_from", t.valid_from)
        .figure("last_day_before_18", last));
    }
    if let Some(end) = f.case_end.filter(|e| t.valid_from > *e) {
        return Err(Error::rule(
            Code::CaseEnded,
            format!("the home training ended on {end}, before the period starts"),
        )
        .legal(LEGAL)
        .figure("case_end", end)
        .figure("valid_from", t.valid_from));
    }
    let expected = f
        .payslips_in_basis
        .filter(|_| t.basis_type == BasisType::Employee);
    if let Some(expected) = expected.filter(|n| t.payslips.len() != *n) {
        return Err(Error::field(
            Code::PayslipCountMismatch,
            "payslips",
            format!(
                "the municipality averages the latest {expected} payslips; {} were given",
                t.payslips.len()
            ),
        )
        .legal(LEGAL));
    }
    // Cut where the law or the case ends it, and say so.
    let mut valid_to = t.valid_to.unwrap_or(last);
    let mut cut_reason = None;
    if valid_to > last {
        valid_to = last;
        cut_reason = Some("Kompensationen ophører dagen før barnets 18-års fødselsdag.");
    }
    if let Some(end) = f.case_end.filter(|e| valid_to > *e) {
        valid_to = end;
        cut_reason = Some("Hjemmetræningen er ophørt; kompensationen ophører samme dag.");
    }
    if t.valid_to.is_none() && valid_to == last {
        cut_reason = Some("Kompensationen gælder længst til dagen før barnets 18-års fødselsdag.");
    }
    Ok(Granted {
        basis: basis(t),
        valid_from: t.valid_from,
        valid_to,
        cut_reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    fn terms() -> Terms {
        Terms {
            parent_ref: "parent-a".into(),
            valid_from: d("2024-03-01"),
            valid_to: Some(d("2024-12-31")),
            granted_weekly_hours: Decimal::from(37),
            previous_weekly_hours: Some(Decimal::from(37)),
            basis_type: BasisType::Employee,
            payslips: vec![
                Money::kroner(30_000),
                Money::kroner(31_000),
                Money::from_ore(3_100_001),
            ],
            monthly_basis: None,
            employer_pension_monthly: Money::kroner(3_000),
            monthly_savings: Money::ZERO,
            home_teaching_weekly_hours: Decimal::ZERO,
            home_taught_full_time: false,
            exceptional_hours_documented: false,
        }
    }
    fn facts() -> Facts {
        Facts {
            child_birth_date: d("2012-06-15"),
            application_date: d("2024-01-02"),
            others: vec![],
            case_end: None,
            payslips_in_basis: Some(3),
        }
    }

    #[test]
    fn the_normal_week_is_the_parents_across_decisions() {
        let other = |same_case: bool, hours: i64| Other {
            id: "o".into(),
            same_case,
            valid_from: d("2024-01-01"),
            valid_to: d("2024-06-30"),
            granted_weekly_hours: Decimal::from(hours),
        };
        let mut t = terms();
        t.granted_weekly_hours = Decimal::from(20);
        let f = Facts {
            others: vec![other(false, 20)],
            ..facts()
        };
        assert_eq!(decide(&t, &f).unwrap_err().code, Code::HoursAboveNormalWeek);
        let f = Facts {
            others: vec![other(false, 17)],
            ..facts()
        };
        assert!(decide(&t, &f).is_ok());
        let f = Facts {
            others: vec![other(true, 5)],
            ..facts()
        };
        assert_eq!(decide(&t, &f).unwrap_err().code, Code::LostEarningsOverlap);
        // Not overlapping: from July.
        t.valid_from = d("2024-07-01");
        let f = Facts {
            others: vec![other(true, 37)],
            ..facts()
        };
        assert!(decide(&t, &f).is_ok());
        t.valid_from = d("2023-12-01");
        assert_eq!(
            decide(&t, &facts()).unwrap_err().code,
            Code::LostEarningsBeforeApplication
        );
    }

    #[test]
    fn the_basis_is_the_payslips_average_rounded_once() {
        let g = decide(&terms(), &facts()).unwrap();
        // (30,000 + 31,000 + 31,000.01) / 3 = 30,666.67
        assert_eq!(g.basis, Money::from_ore(3_066_667));
        assert_eq!((g.valid_to, g.cut_reason), (d("2024-12-31"), None));
    }

    #[test]
    fn each_refusal_has_its_own_code() {
        let mut t = terms();
        t.granted_weekly_hours = Decimal::from(40);
        t.previous_weekly_hours = Some(Decimal::from(45));
        assert_eq!(
            decide(&t, &facts()).unwrap_err().code,
            Code::HoursAboveNormalWeek
        );
        t.exceptional_hours_documented = true;
        assert!(decide(&t, &facts()).is_ok());
        let mut t = terms();
        t.previous_weekly_hours = Some(Decimal::from(30));
        assert_eq!(
            decide(&t, &facts()).unwrap_err().code,
            Code::HoursAbovePrevious
        );
        let mut t = terms();
        t.home_taught_full_time = true;
        t.home_teaching_weekly_hours = Decimal::from(10);
        assert_eq!(
            decide(&t, &facts()).unwrap_err().code,
            Code::HomeTeachingFullTime
        );
        t.granted_weekly_hours = Decimal::from(30);
        assert!(
            decide(&t, &facts()).is_ok(),
            "part time with teaching hours recorded, not deducted"
        );
        let mut t = terms();
        t.valid_from = d("2030-06-15");
        t.valid_to = None;
        assert_eq!(
            decide(&t, &facts()).unwrap_err().code,
            Code::LostEarningsAfter18
        );
        let mut t = terms();
        t.payslips.pop();
        assert_eq!(
            decide(&t, &facts()).unwrap_err().code,
            Code::PayslipCountMismatch
        );
    }

    #[test]
    fn the_period_is_cut_at_18_and_at_the_case_end() {
        let mut t = terms();
        t.valid_to = Some(d("2031-01-01"));
        let g = decide(&t, &facts()).unwrap();
        assert_eq!(g.valid_to, d("2030-06-14"));
        assert!(g.cut_reason.is_some());
        let f = Facts {
            case_end: Some(d("2024-09-30")),
            ..facts()
        };
        let g = decide(&terms(), &f).unwrap();
        assert_eq!(g.valid_to, d("2024-09-30"));
        assert_eq!(last_day_before_18(d("2008-02-29")), d("2026-02-28"));
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
    }
}
