//! Rates as dated parameters: a value holds from its date until the next value of the same name.
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;

/// The yearly cap on the municipality's training expenses per child.
pub const TRAINING_EXPENSE_CAP: &str = "training_expense_cap";

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct Rate {
    pub id: String,
    #[schema(example = "training_expense_cap")]
    pub name: String,
    #[schema(example = "2024-01-01")]
    pub valid_from: NaiveDate,
    /// Exact decimal as a string; for `DKK` a two-decimal amount.
    #[schema(value_type = String, example = "706600.00")]
    pub value: Decimal,
    #[schema(example = "DKK")]
    pub unit: String,
    #[schema(example = "Bekendtgørelse om hjemmetræning § 6, stk. 2")]
    pub source: String,
    pub created_by: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

/// The value in force on a date: the latest one that is valid from that date or earlier.
/// Years between two known values use the earlier one until an administrator adds the new figure.
pub fn in_force<'a>(rates: &'a [Rate], name: &str, on: NaiveDate) -> Option<&'a Rate> {
    rates
        .iter()
        .filter(|r| r.name == name && r.valid_from <= on)
        .max_by_key(|r| r.valid_from)
}

/// Rates that are amounts of money and must be entered in DKK.
pub fn is_money_rate(name: &str) -> bool {
    name == TRAINING_EXPENSE_CAP
}

pub const UNITS: &[&str] = &["DKK", "percent", "hours", "factor"];

#[cfg(test)]
mod tests {
    use super::*;

    fn r(from: &str, v: i64) -> Rate {
        Rate {
            id: from.into(),
            name: TRAINING_EXPENSE_CAP.into(),
            valid_from: from.parse().unwrap(),
            value: Decimal::new(v, 0),
            unit: "DKK".into(),
            source: String::new(),
            created_by: String::new(),
            created_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn picks_latest_on_or_before() {
        let rs = vec![
            r("2020-01-01", 645867),
            r("2024-01-01", 706600),
            r("2018-01-01", 620787),
        ];
        let on = |d: &str| in_force(&rs, TRAINING_EXPENSE_CAP, d.parse().unwrap()).map(|r| r.value);
        assert_eq!(on("2023-12-31"), Some(Decimal::new(645867, 0)));
        assert_eq!(on("2024-01-01"), Some(Decimal::new(706600, 0)));
        assert_eq!(on("2026-06-01"), Some(Decimal::new(706600, 0)));
        assert_eq!(on("2017-01-01"), None);
    }
}
