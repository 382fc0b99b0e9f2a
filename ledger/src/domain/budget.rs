//! Budget years and their rigid posts (003 "Udgifter og budget"; bek. § 6, stk. 2).
use super::{legal, twelve_months_from};
use crate::book::string_enum;
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

string_enum!(
    /// What a post is for; each category books to its own expense account.
    Category {
        HelperTrainers => "helper_trainers",
        Equipment => "equipment",
        Courses => "courses",
        Supervision => "supervision",
        Supplements => "supplements",
        Transport => "transport",
        Insurance => "insurance",
        PayrollAdministration => "payroll_administration",
        Other => "other",
    }
);

/// What a decision grants for one post: an amount, or for helper trainers hours × hourly rate
/// (then the hours are a limit too).
#[derive(Clone, Debug, PartialEq)]
pub enum Grant {
    Amount(Money),
    Hours { hours: Decimal, hourly_rate: Money },
}

impl Grant {
    /// The granted amount: hours × rate, rounded once to the øre, half away from zero.
    pub fn amount(&self) -> Result<Money> {
        match self {
            Grant::Amount(m) => Ok(*m),
            Grant::Hours { hours, hourly_rate } => {
                let exact = hours.checked_mul(hourly_rate.to_decimal()).ok_or_else(|| {
                    Error::field(
                        "invalid_amount",
                        "hours",
                        "hours × hourly rate is too large",
                    )
                })?;
                Money::round(exact)
                    .map_err(|e| Error::field("invalid_amount", "hours", e.to_string()))
            }
        }
    }

    pub fn explain(&self) -> String {
        match self {
            Grant::Amount(m) => format!("granted as an amount: {m}"),
            Grant::Hours { hours, hourly_rate } => {
                let exact = *hours * hourly_rate.to_decimal();
                format!(
                    "granted as {hours} hours × {hourly_rate} per hour = {} (rounded once to the øre, half away from zero: {})",
                    exact.normalize(),
                    exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                )
            }
        }
    }

    pub fn hours(&self) -> Option<Decimal> {
        match self {
            Grant::Hours { hours, .. } => Some(*hours),
            Grant::Amount(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PostSpec {
    pub category: Category,
    pub description: String,
    pub grant: Grant,
}

pub fn validate_post(field: &str, p: &PostSpec) -> Result<Money> {
    if p.description.trim().is_empty() || p.description.chars().count() > 500 {
        return Err(Error::field(
            "invalid_description",
            &format!("{field}.description"),
            "a post needs a description of 1-500 characters",
        ));
    }
    super::cases::reject_cpr_in_text(&format!("{field}.description"), &p.description)?;
    if let Grant::Hours { hours, hourly_rate } = &p.grant {
        if p.category != Category::HelperTrainers {
            return Err(Error::field(
                "hours_only_for_helper_trainers",
                &format!("{field}.hours"),
                "only a helper-trainer post may be granted as hours × hourly rate",
            ));
        }
        if !super::expenses::valid_hours(*hours) {
            return Err(Error::field(
                "invalid_hours",
                &format!("{field}.hours"),
                super::expenses::HOURS_RULE,
            ));
        }
        if !hourly_rate.is_positive() {
            return Err(Error::field(
                "invalid_amount",
                &format!("{field}.hourly_rate"),
                "the hourly rate must be greater than 0.00",
            ));
        }
    }
    let amount = p.grant.amount()?;
    if !amount.is_positive() {
        return Err(Error::field(
            "invalid_amount",
            &format!("{field}.amount"),
            "a post is granted an amount greater than 0.00",
        ));
    }
    Ok(amount)
}

/// A budget year is 12 months from its start, cut short by the case's end.
pub fn budget_year_end(start: NaiveDate, case_end: NaiveDate) -> NaiveDate {
    twelve_months_from(start).min(case_end)
}

/// The sum of the posts may not exceed the cap in force on the budget year's start.
pub fn check_cap(
    total: Money,
    cap: Money,
    cap_valid_from: NaiveDate,
    start: NaiveDate,
) -> Result<()> {
    if total > cap {
        return Err(Error::rule(
            "training_cap_exceeded",
            format!(
                "the posts total {total}, more than the yearly cap of {cap} on training expenses per child in force on {start} (rate valid from {cap_valid_from}); {} over",
                total - cap
            ),
        )
        .legal(legal::CAP)
        .with_field("posts", format!("total {total} exceeds the cap {cap}")));
    }
    Ok(())
}

/// A new budget year: starts on or after the application date, within the case, and overlaps
/// no other budget year of the case.
pub fn validate_start(
    start: NaiveDate,
    application_date: NaiveDate,
    case_end: NaiveDate,
    others: &[(NaiveDate, NaiveDate)],
) -> Result<NaiveDate> {
    if start < application_date {
        return Err(Error::field(
            "budget_year_before_application",
            "start_date",
            format!("a budget year cannot start before the application date {application_date}"),
        )
        .legal(legal::RETROACTIVE));
    }
    if start > case_end {
        return Err(Error::field(
            "case_ended",
            "start_date",
            format!("the case ends on {case_end}; no budget year can start after that"),
        )
        .legal(legal::CASE_END));
    }
    let end = budget_year_end(start, case_end);
    if let Some((s, e)) = others.iter().find(|(s, e)| start <= *e && *s <= end) {
        return Err(Error::conflict(
            "budget_year_overlap",
            format!("the budget year {start}..{end} overlaps the existing budget year {s}..{e}; budget years of a case never overlap"),
        )
        .with_field("start_date", "overlaps another budget year"));
    }
    Ok(end)
}

/// One post's state, for the rule that a post cannot be lowered below what it has spent.
pub fn check_lowering(
    post_label: &str,
    new_amount: Money,
    approved: Money,
    new_hours: Option<Decimal>,
    hours_used: Decimal,
) -> Result<()> {
    if new_amount < approved {
        return Err(Error::rule(
            "post_below_approved",
            format!("post {post_label} cannot be lowered to {new_amount}: {approved} is already approved on it"),
        )
        .legal(legal::RIGID_POSTS));
    }
    if let Some(h) = new_hours {
        if h < hours_used {
            return Err(Error::rule(
                "post_below_approved",
                format!("post {post_label} cannot be lowered to {h} hours: {hours_used} hours are already used"),
            ));
        }
    }
    Ok(())
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct PostSnapshot {
    pub post_id: String,
    pub category: Category,
    pub description: String,
    pub granted: Money,
    #[schema(value_type = Option<String>)]
    pub hours_granted: Option<Decimal>,
    pub hourly_rate: Option<Money>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_times_rate_rounds_once() {
        let g = Grant::Hours {
            hours: Decimal::new(3333, 2),
            hourly_rate: Money::from_ore(15_015),
        };
        // 33.33 × 150.15 = 5004.4995 → 5004.50
        assert_eq!(g.amount().unwrap(), Money::from_ore(500_450));
        assert!(g.explain().contains("5004.4995"));
    }

    #[test]
    fn overlap_and_start() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let end = validate_start(d("2025-03-01"), d("2025-01-01"), d("2030-01-01"), &[]).unwrap();
        assert_eq!(end, d("2026-02-28"));
        assert_eq!(
            validate_start(d("2024-12-01"), d("2025-01-01"), d("2030-01-01"), &[])
                .unwrap_err()
                .code,
            "budget_year_before_application"
        );
        let e = validate_start(
            d("2026-02-28"),
            d("2025-01-01"),
            d("2030-01-01"),
            &[(d("2025-03-01"), d("2026-02-28"))],
        );
        assert_eq!(e.unwrap_err().code, "budget_year_overlap");
        assert!(validate_start(
            d("2026-03-01"),
            d("2025-01-01"),
            d("2030-01-01"),
            &[(d("2025-03-01"), d("2026-02-28"))]
        )
        .is_ok());
        // Cut short by the case's end.
        assert_eq!(
            validate_start(d("2025-03-01"), d("2025-01-01"), d("2025-06-30"), &[]).unwrap(),
            d("2025-06-30")
        );
    }
}
