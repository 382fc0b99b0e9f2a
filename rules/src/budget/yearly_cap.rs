//! Bekendtgørelse om hjemmetræning (Barnets lov § 85) § 6, stk. 2 og 5: the municipality's training expenses per child are capped each year at a regulated amount.
use crate::rates::{self, DatedValue, TRAINING_EXPENSE_CAP};
use bookkeeping::{Code, Error, Money, Result};
use chrono::{Datelike, NaiveDate};

pub const LEGAL: &str = "Bekendtgørelse om hjemmetræning (Barnets lov § 85) § 6, stk. 2 og 5";

/// The cap in force on a date, and the date its rate holds from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cap {
    pub amount: Money,
    pub valid_from: NaiveDate,
}

/// The cap in force on `date`, from the dated values of the cap rate.
pub fn in_force(values: &[DatedValue], date: NaiveDate) -> Result<Cap> {
    let r = rates::in_force(values, date).ok_or_else(|| {
        Error::rule(
            Code::RateMissing,
            format!("no {TRAINING_EXPENSE_CAP} rate is in force on {date}; an administrator must add it"),
        )
        .legal(LEGAL)
    })?;
    // The cap is regulated every 1 January: an older year's figure is lower than the law's, so a
    // year without its own value is refused rather than judged by it.
    if r.valid_from.year() != date.year() {
        return Err(Error::rule(
            Code::RateMissing,
            format!(
                "the {TRAINING_EXPENSE_CAP} rate has no value for {} (the latest is valid from {}); the cap is regulated every 1 January, so an operator must enter the {} value from the ministry's yearly rate table before anything dated {date} can be judged",
                date.year(),
                r.valid_from,
                date.year()
            ),
        )
        .legal(LEGAL)
        .figure("rate", TRAINING_EXPENSE_CAP)
        .figure("year", date.year()));
    }
    let amount = Money::from_decimal_exact(r.value).map_err(|e| {
        Error::rule(
            Code::RateInvalid,
            format!(
                "the {TRAINING_EXPENSE_CAP} rate valid from {} is not an amount: {e}",
                r.valid_from
            ),
        )
    })?;
    Ok(Cap {
        amount,
        valid_from: r.valid_from,
    })
}

/// The sum of the posts may not exceed the cap in force on the budget year's start.
pub fn check(total: Money, cap: Cap, start: NaiveDate) -> Result<()> {
    if total > cap.amount {
        let c = cap.amount;
        return Err(Error::rule(
            Code::TrainingCapExceeded,
            format!(
                "the posts total {total}, more than the yearly cap of {c} on training expenses per child in force on {start} (rate valid from {}); {} over",
                cap.valid_from,
                total - c
            ),
        )
        .legal(LEGAL)
        .with_field("posts", format!("total {total} exceeds the cap {c}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use rust_decimal::Decimal;

    #[test]
    fn cap_in_force_and_checked() {
        let values = vec![DatedValue {
            valid_from: d("2024-01-01"),
            value: Decimal::new(70660000, 2),
        }];
        let cap = in_force(&values, d("2024-03-01")).unwrap();
        // 2025 has no value of its own: refused, never judged by the 2024 figure.
        let e = in_force(&values, d("2025-03-01")).unwrap_err();
        assert_eq!(e.code, Code::RateMissing);
        assert!(e.detail.contains("2025"), "{}", e.detail);
        assert_eq!(cap.amount, Money::kroner(706_600));
        assert_eq!(
            in_force(&values, d("2023-03-01")).unwrap_err().code,
            Code::RateMissing
        );
        assert!(check(Money::kroner(706_600), cap, d("2025-03-01")).is_ok());
        assert_eq!(
            check(Money::kroner(706_601), cap, d("2025-03-01"))
                .unwrap_err()
                .code,
            Code::TrainingCapExceeded
        );
        let odd = vec![DatedValue {
            valid_from: d("2024-01-01"),
            value: Decimal::new(1, 3),
        }];
        assert_eq!(
            in_force(&odd, d("2024-01-01")).unwrap_err().code,
            Code::RateInvalid
        );
    }
}
