//! Forvaltningsloven §§ 22-24: a lost-earnings decision states what is granted, in figures the
//! parent can check: the monthly gross of the first month and the maximum and hour share behind
//! it, the pension and its cap, the ATP and the hours it is found on, the savings the payroll
//! system deducts after tax, and the first month paid; a change the same figures before and
//! after, from the day it takes effect.
use super::decision::NewDecision;
use crate::error::{Error, Result};
use crate::read::lost_earnings::month_for_parent;
use crate::store::Tx;
use chrono::NaiveDate;
use rules::lost_earnings::calculation::Month;
use rules::lost_earnings::payroll::RateBook;
use rules::lost_earnings::versions::{month_span, Version};

/// The month containing `day` of decision `id` (its `versions`, stored or about to be), with
/// the parent's ATP; `None` when the month's rates are not entered yet (the payroll run refuses
/// that month until they are, so the letter cannot name its amounts either).
pub fn month(
    tx: &mut Tx,
    municipality: &str,
    parent_ref: &str,
    (id, versions): (&str, Vec<Version>),
    day: NaiveDate,
    book: &RateBook,
) -> Result<Option<Month>> {
    let first = month_span(day).0;
    match month_for_parent(tx, municipality, parent_ref, (id, versions), first, book) {
        Ok(m) => Ok(m),
        Err(Error::Refused(r)) if r.code == bookkeeping::Code::RateMissing => Ok(None),
        Err(e) => Err(e),
    }
}

/// The month's figures on the decision, each name prefixed by `prefix` (`""` for the terms
/// granted, `before_` for the terms a change replaces).
pub fn figures<'a>(mut d: NewDecision<'a>, prefix: &str, m: &Month) -> NewDecision<'a> {
    let f = |n: &str| format!("{prefix}{n}");
    let share = m.hour_share.round_dp(4).normalize();
    d = d
        .figure(&f("month_gross"), m.gross)
        .figure(&f("maximum"), m.maximum)
        .figure(&f("hour_share"), share)
        .figure(&f("pension"), m.pension)
        .figure(&f("atp_hours"), parent_hours(m))
        .figure(&f("atp_recipient"), m.atp_recipient)
        .figure(&f("atp_municipality"), m.atp_municipality)
        .figure(&f("savings_deduction"), m.savings_deduction)
        .figure(&f("pay_before_tax"), m.pay_before_tax);
    d
}

/// The hours ATP is found on: all the parent's decisions that month.
fn parent_hours(m: &Month) -> String {
    m.atp_parent
        .as_ref()
        .map(|p| {
            p.hours
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .to_string()
        })
        .unwrap_or_else(|| m.hours_in_month.to_string())
}
