//! ATP-loven § 2 a, stk. 5: a recipient of lost-earnings compensation pays ATP, and the contribution is per person and month on all the hours the municipality compensates that month: one bracket for a parent with two children's cases, never one per decision. The amounts are put on the parent's decision with the lowest id that month (0.00 on the others), so the payroll system pays them once.
use super::calculation::{AtpBracket, Month, Step};
use super::payroll::RateBook;
use super::versions::Version;
use bookkeeping::Money;
use bookkeeping::Result;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

pub const LEGAL: &str = "ATP-loven § 2 a, stk. 5: ATP pr. person og måned af alle de timer, kommunen kompenserer i måneden";

/// The ATP of one parent in one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParentMonth {
    /// The hours of all the parent's decisions that month, unrounded.
    pub hours: Decimal,
    /// The lower limit of the bracket the hours fall in (none below the lowest).
    pub bracket_from: Option<Decimal>,
    pub recipient: Money,
    pub municipality: Money,
    /// The decision whose line carries the amounts: the lowest id that month.
    pub holder: String,
    /// The decisions counted, by id.
    pub counted: Vec<String>,
}

/// The parent's ATP for a month from each decision's hours that month (`shares`: decision id
/// and its unrounded hours) and the month's table (highest bracket first); `None` when no
/// decision covers the month.
pub fn of_month(shares: &[(String, Decimal)], table: &[AtpBracket]) -> Option<ParentMonth> {
    let holder = shares.iter().map(|(id, _)| id).min()?.clone();
    let hours: Decimal = shares.iter().map(|(_, h)| *h).sum();
    let bracket = table.iter().find(|b| hours >= b.from_hours);
    let mut counted: Vec<String> = shares.iter().map(|(id, _)| id.clone()).collect();
    counted.sort();
    Some(ParentMonth {
        hours,
        bracket_from: bracket.map(|b| b.from_hours),
        recipient: bracket.map_or(Money::ZERO, |b| b.recipient),
        municipality: bracket.map_or(Money::ZERO, |b| b.municipality),
        holder,
        counted,
    })
}

/// A decision's month with the parent's ATP: the amounts on the holder, 0.00 on the others;
/// the pay before tax again (gross − the recipient's ATP); the ATP step says the hours counted
/// and where the amounts were put.
pub fn apply(mut m: Month, decision_id: &str, p: &ParentMonth) -> Month {
    let holds = p.holder == decision_id;
    (m.atp_recipient, m.atp_municipality) = if holds {
        (p.recipient, p.municipality)
    } else {
        (Money::ZERO, Money::ZERO)
    };
    m.pay_before_tax = m.gross - m.atp_recipient;
    m.atp_parent = Some(p.clone());
    let hours = p
        .hours
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let bracket = match p.bracket_from {
        Some(from) => format!("the table's bracket from {from} hours"),
        None => "below the table's lowest bracket".to_string(),
    };
    let place = if holds {
        "put on this decision, the parent's lowest decision id that month".to_string()
    } else {
        format!(
            "put on the parent's decision {} (the lowest id that month); 0.00 here",
            p.holder
        )
    };
    let formula = format!(
        "the parent's hours this month in {} decision(s) ({}): {hours} hours, {bracket} (ATP-loven § 2 a, stk. 5), {place}",
        p.counted.len(),
        p.counted.join(", ")
    );
    for s in m.steps.iter_mut() {
        match s.rule.as_str() {
            "ATP" => {
                *s = Step {
                    rule: "ATP".into(),
                    legal_reference: LEGAL.into(),
                    formula: formula.clone(),
                    value: format!("{} + {}", m.atp_recipient, m.atp_municipality),
                }
            }
            "pay before tax" => s.value = m.pay_before_tax.to_string(),
            _ => {}
        }
    }
    m
}

/// The months of one parent's decisions as they stand (each decision's id and versions), for
/// each month in `months`: computed per decision, then the parent's ATP found once on the hours
/// of all of them and put on the lowest decision id (ATP-loven § 2 a, stk. 5; see
/// `parent_atp`). One map per decision, in the order given; a month a decision does not cover
/// is absent.
pub fn parent_months(
    decisions: &[(&str, &[Version])],
    months: &[NaiveDate],
    book: &RateBook,
) -> Result<Vec<BTreeMap<NaiveDate, Month>>> {
    let mut out: Vec<BTreeMap<NaiveDate, Month>> = vec![BTreeMap::new(); decisions.len()];
    for &month in months {
        let computed: Vec<Option<Month>> = decisions
            .iter()
            .map(|(_, v)| super::payroll::compute(v, month, book))
            .collect::<Result<_>>()?;
        let shares: Vec<(String, Decimal)> = decisions
            .iter()
            .zip(&computed)
            .filter_map(|((id, _), m)| m.as_ref().map(|m| (id.to_string(), m.hours_exact)))
            .collect();
        let Some(p) = of_month(&shares, &book.rates_for(month)?.atp) else {
            continue;
        };
        for (i, m) in computed.into_iter().enumerate() {
            if let Some(m) = m {
                out[i].insert(month, apply(m, decisions[i].0, &p));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn table() -> Vec<AtpBracket> {
        [(117, 9900, 19800), (78, 6600, 13200), (39, 3300, 6600)]
            .map(|(h, r, m)| AtpBracket {
                from_hours: Decimal::from(h),
                recipient: Money::from_ore(r),
                municipality: Money::from_ore(m),
            })
            .to_vec()
    }

    #[test]
    fn one_bracket_for_all_the_parents_hours() {
        // 18.5 h a week on each of two cases: 80.17 h each, 160.33 h together: 99.00 + 198.00
        // once, not 66.00 + 132.00 twice.
        let each = dec!(18.5) * dec!(52) / dec!(12);
        let p = of_month(&[("b".into(), each), ("a".into(), each)], &table()).unwrap();
        assert_eq!(p.holder, "a");
        assert_eq!(
            (p.recipient, p.municipality),
            (Money::from_ore(9900), Money::from_ore(19800))
        );
        // 8 h a week on each: 34.67 h each, 69.33 h together: the 39-78 h bracket.
        let each = dec!(8) * dec!(52) / dec!(12);
        let p = of_month(&[("a".into(), each), ("b".into(), each)], &table()).unwrap();
        assert_eq!(
            (p.recipient, p.municipality),
            (Money::from_ore(3300), Money::from_ore(6600))
        );
        assert!(of_month(&[], &table()).is_none());
    }
}
