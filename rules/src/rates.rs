//! Statutory rates as dated parameters (bek. om hjemmetræning § 6, stk. 5: the cap is regulated every 1 January by the satsreguleringsprocent).
use bookkeeping::{Code, Error, Money, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub const LEGAL: &str = "Bekendtgørelse om hjemmetræning (Barnets lov § 85) § 6, stk. 2 og 5";

/// The yearly cap on the municipality's training expenses per child.
pub const TRAINING_EXPENSE_CAP: &str = "training_expense_cap";

pub const UNITS: &[&str] = &["DKK", "percent", "hours", "factor"];

/// One value of a rate and the date it holds from, until the next value of the same name.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedValue {
    pub valid_from: NaiveDate,
    pub value: Decimal,
}

/// The value in force on a date: the latest one that is valid from that date or earlier.
/// Years between two known values use the earlier one until an administrator adds the new figure.
pub fn in_force(values: &[DatedValue], on: NaiveDate) -> Option<&DatedValue> {
    values
        .iter()
        .filter(|r| r.valid_from <= on)
        .max_by_key(|r| r.valid_from)
}

/// Rates that are amounts of money and must be entered in DKK.
pub fn is_money_rate(name: &str) -> bool {
    name == TRAINING_EXPENSE_CAP
}

/// A new rate value as an administrator enters it.
#[derive(Clone, Debug)]
pub struct NewRate {
    pub name: String,
    pub valid_from: NaiveDate,
    pub value: Decimal,
    pub unit: String,
    pub source: String,
}

/// Decides a new rate value against the values of the same name already known; returns the
/// value as it is stored (a DKK amount with exactly two decimals, anything else normalized).
pub fn decide(r: &NewRate, known: &[DatedValue]) -> Result<Decimal> {
    check_shape(r)?;
    let value = if r.unit == "DKK" {
        Money::from_decimal_exact(r.value)
            .map(|m| m.to_decimal())
            .unwrap_or(r.value)
    } else {
        r.value.normalize()
    };
    let before = r.valid_from.pred_opt().and_then(|d| in_force(known, d));
    if let Some(prev) = before.filter(|p| is_money_rate(&r.name) && value < p.value) {
        return Err(Error::field(
            Code::RateDecrease,
            "value",
            format!(
                "{} is regulated upward every 1 January by the satsreguleringsprocent (bek. § 6, stk. 5); {value} is below the {} in force from {}",
                r.name, prev.value, prev.valid_from
            ),
        )
        .legal(LEGAL));
    }
    if known.iter().any(|k| k.valid_from == r.valid_from) {
        return Err(exists(&r.name, r.valid_from));
    }
    Ok(value)
}

/// The lost-earnings series the calculation reads: each in its unit; the yearly series (the
/// maximum, the regulation) hold from 1 January, for the whole year; an ATP bracket is named by
/// whole hours.
fn check_lost_earnings_rate(r: &NewRate) -> Result<()> {
    use crate::lost_earnings::rate_names as n;
    use chrono::Datelike;
    let unit = match r.name.as_str() {
        n::MAXIMUM => Some("DKK"),
        n::REGULATION | n::PENSION_RATE => Some("percent"),
        n::NORMAL_WEEK => Some("hours"),
        name if name.starts_with(n::ATP_RECIPIENT_PREFIX)
            || name.starts_with(n::ATP_MUNICIPALITY_PREFIX) =>
        {
            let hours = name
                .trim_start_matches(n::ATP_RECIPIENT_PREFIX)
                .trim_start_matches(n::ATP_MUNICIPALITY_PREFIX)
                .strip_suffix('h');
            if !hours.is_some_and(|h| {
                !h.is_empty() && h.len() <= 3 && h.bytes().all(|b| b.is_ascii_digit())
            }) {
                return Err(Error::field(
                    Code::InvalidRateName,
                    "name",
                    "an ATP bracket is named by its whole hours: atp_recipient_from_117h, atp_municipality_from_117h",
                ));
            }
            Some("DKK")
        }
        _ => None,
    };
    if let Some(u) = unit.filter(|u| *u != r.unit) {
        return Err(Error::field(
            Code::InvalidUnit,
            "unit",
            format!("{} is in {u}", r.name),
        ));
    }
    let yearly = r.name == n::MAXIMUM || r.name == n::REGULATION;
    if yearly && (r.valid_from.month(), r.valid_from.day()) != (1, 1) {
        return Err(Error::field(
            Code::InvalidValue,
            "valid_from",
            format!("{} is a yearly figure, valid from 1 January", r.name),
        ));
    }
    Ok(())
}

fn check_shape(r: &NewRate) -> Result<()> {
    let name_ok = !r.name.is_empty()
        && r.name.len() <= 64
        && r.name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !name_ok {
        return Err(Error::field(
            Code::InvalidRateName,
            "name",
            "a rate name is 1-64 lowercase letters, digits and _",
        ));
    }
    if !UNITS.contains(&r.unit.as_str()) {
        return Err(Error::field(
            Code::InvalidUnit,
            "unit",
            format!("unit is one of {}", UNITS.join(", ")),
        ));
    }
    if r.value < Decimal::ZERO {
        return Err(Error::field(
            Code::InvalidValue,
            "value",
            "a rate is not negative",
        ));
    }
    check_lost_earnings_rate(r)?;
    if is_money_rate(&r.name) && r.unit != "DKK" {
        return Err(Error::field(
            Code::InvalidUnit,
            "unit",
            format!("{} is an amount in DKK", r.name),
        ));
    }
    if r.unit == "DKK" {
        Money::from_decimal_exact(r.value)
            .map_err(|e| Error::field(Code::InvalidAmount, "value", e.to_string()))?;
    }
    if is_money_rate(&r.name) && r.value <= Decimal::ZERO {
        return Err(Error::field(
            Code::InvalidValue,
            "value",
            format!("{} is a positive amount", r.name),
        ));
    }
    if r.source.trim().is_empty() {
        return Err(Error::field(
            Code::InvalidSource,
            "source",
            "a rate needs its source (the order, circular or publication)",
        ));
    }
    Ok(())
}

/// A second value for a date that already has one: rates are never overwritten.
pub fn exists(name: &str, valid_from: NaiveDate) -> Error {
    Error::conflict(
        Code::RateExists,
        format!("{name} already has a value valid from {valid_from}; rates are never overwritten"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(from: &str, kr: i64) -> DatedValue {
        DatedValue {
            valid_from: from.parse().unwrap(),
            value: Decimal::new(kr, 0),
        }
    }

    fn cap(from: &str, value: &str) -> NewRate {
        NewRate {
            name: TRAINING_EXPENSE_CAP.into(),
            valid_from: from.parse().unwrap(),
            value: value.parse().unwrap(),
            unit: "DKK".into(),
            source: "Satsregulering".into(),
        }
    }

    #[test]
    fn picks_latest_on_or_before() {
        let rs = vec![
            v("2020-01-01", 645867),
            v("2024-01-01", 706600),
            v("2018-01-01", 620787),
        ];
        let on = |d: &str| in_force(&rs, d.parse().unwrap()).map(|r| r.value);
        assert_eq!(on("2023-12-31"), Some(Decimal::new(645867, 0)));
        assert_eq!(on("2024-01-01"), Some(Decimal::new(706600, 0)));
        assert_eq!(on("2026-06-01"), Some(Decimal::new(706600, 0)));
        assert_eq!(on("2017-01-01"), None);
    }

    #[test]
    fn new_values_are_checked() {
        let known = vec![v("2024-01-01", 706600)];
        assert_eq!(
            decide(&cap("2025-01-01", "722500"), &known)
                .unwrap()
                .to_string(),
            "722500.00"
        );
        let refused = |r: NewRate| decide(&r, &known).unwrap_err().code;
        assert_eq!(refused(cap("2025-01-01", "700000")), Code::RateDecrease);
        assert_eq!(refused(cap("2024-01-01", "706600")), Code::RateExists);
        assert_eq!(refused(cap("2025-01-01", "1.005")), Code::InvalidAmount);
        assert_eq!(refused(cap("2025-01-01", "0")), Code::InvalidValue);
        let mut r = cap("2025-01-01", "5");
        r.unit = "percent".into();
        assert_eq!(refused(r.clone()), Code::InvalidUnit);
        r.name = "Bad Name".into();
        assert_eq!(refused(r), Code::InvalidRateName);
    }
}
