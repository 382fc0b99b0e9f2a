//! Barnets lov § 87, stk. 3; ATP-loven § 2 a: the dated rates a month of lost earnings is computed with: the yearly series (each year its own value), and the pension rate, the normal week and the ATP table in force on the month's first day; missing ones are `rate_missing`, never an older figure.
use super::calculation::{AtpBracket, Rates};
use super::payroll::LEGAL;
use super::rate_names as names;
use super::versions::month_span;
use crate::rates::{in_force, DatedValue};
use bookkeeping::{Code, Error, Money, Result};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Every dated rate the calculation may need, by name.
#[derive(Clone, Debug, Default)]
pub struct RateBook {
    pub by_name: BTreeMap<String, Vec<DatedValue>>,
}

fn missing(name: &str, on: NaiveDate) -> Error {
    Error::rule(
        Code::RateMissing,
        format!("the {name} rate has no value in force on {on}; an operator must enter it"),
    )
    .legal(LEGAL)
    .figure("rate", name)
    .figure("date", on)
}

impl RateBook {
    fn values(&self, name: &str) -> &[DatedValue] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    fn at(&self, name: &str, on: NaiveDate) -> Result<Decimal> {
        in_force(self.values(name), on)
            .map(|v| v.value)
            .ok_or_else(|| missing(name, on))
    }

    /// The rates of the month that holds `month`: the yearly series whole (the calculation takes
    /// each year's own value), the pension rate, the normal week and the ATP table in force on
    /// the first of the month.
    pub fn rates_for(&self, month: NaiveDate) -> Result<Rates> {
        let (first, _) = month_span(month);
        let mut atp = vec![];
        for (name, values) in &self.by_name {
            let Some(hours) = name
                .strip_prefix(names::ATP_RECIPIENT_PREFIX)
                .and_then(|h| h.strip_suffix('h'))
            else {
                continue;
            };
            let Some(recipient) = in_force(values, first) else {
                continue;
            };
            let other = format!("{}{hours}h", names::ATP_MUNICIPALITY_PREFIX);
            let municipality = self.at(&other, first)?;
            let money = |d: Decimal| Money::from_decimal_exact(d).map_err(|_| missing(name, first));
            atp.push(AtpBracket {
                from_hours: Decimal::from_str(hours).map_err(|_| missing(name, first))?,
                recipient: money(recipient.value)?,
                municipality: money(municipality)?,
            });
        }
        if atp.is_empty() {
            return Err(missing("atp_recipient_from_*", first));
        }
        atp.sort_by_key(|b| std::cmp::Reverse(b.from_hours));
        Ok(Rates {
            maximum: self.values(names::MAXIMUM).to_vec(),
            regulation: self.values(names::REGULATION).to_vec(),
            atp,
            pension_rate: self.at(names::PENSION_RATE, first)? / Decimal::ONE_HUNDRED,
            normal_week: self.at(names::NORMAL_WEEK, first)?,
        })
    }

    /// The values a month's calculation used, with their dates: for the explanation.
    pub fn used_in(&self, month: NaiveDate, started: NaiveDate) -> Vec<(String, DatedValue)> {
        let (first, _) = month_span(month);
        let mut used = vec![];
        for (name, values) in &self.by_name {
            let relevant = [
                names::MAXIMUM,
                names::REGULATION,
                names::PENSION_RATE,
                names::NORMAL_WEEK,
            ]
            .contains(&name.as_str())
                || name.starts_with(names::ATP_RECIPIENT_PREFIX)
                || name.starts_with(names::ATP_MUNICIPALITY_PREFIX);
            if !relevant {
                continue;
            }
            let yearly = name == names::MAXIMUM || name == names::REGULATION;
            if yearly {
                for v in values.iter().filter(|v| {
                    let y = v.valid_from.year();
                    if name == names::MAXIMUM {
                        y == first.year()
                    } else {
                        y > started.year() && y <= first.year()
                    }
                }) {
                    used.push((name.clone(), v.clone()));
                }
            } else if let Some(v) = in_force(values, first) {
                used.push((name.clone(), v.clone()));
            }
        }
        used
    }
}
