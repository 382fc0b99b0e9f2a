//! Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c; Ankestyrelsens principafgørelse 15-09: who may be compensated for lost earnings, for how many hours, on what basis, and until when.
use bookkeeping::{Code, Error, Money, Result};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

pub const LEGAL: &str =
    "Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c";
pub const LEGAL_HOURS: &str =
    "Vejledningen pkt. 157 b; Ankestyrelsens principafgørelse 15-09 (højst 37 timer om ugen)";
pub const LEGAL_TEACHING: &str =
    "Bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 c (hjemmeundervisning)";
pub const LEGAL_AGE: &str = "Barnets lov § 87 (kompensationen ophører, når barnet fylder 18 år)";

/// The normal working week: more hours only on documented, permanently higher working time.
pub const NORMAL_WEEK: u32 = 37;

pub use super::terms::{basis, check_shape, BasisType, Terms};

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
        crate::lost_earnings::terms::tests::sample()
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
}
