//! Vejledningen pkt. 157 e; forvaltningsret om modregning i fremtidige ydelser: unspent prepaid money may be withheld from the next budget year's fixed amount only with the family's written consent; the next installments are reduced by the withholding, and each covered post of the next year is still prepaid exactly its grant.
use super::replan::Covered;
use super::schedule::{self, Installment};
use bookkeeping::{Code, Error, Money, Result};
use chrono::NaiveDate;

pub const LEGAL: &str = "Vejledningen pkt. 157 e: withholding unspent money from next year's fixed amount is set-off against future support, only with the family's written consent";

/// The withholding: each next-year post's share of it (in the order given), and the unpaid
/// installments planned again for what is left to prepay.
pub fn withhold(
    amount: Money,
    consented_on: Option<NaiveDate>,
    next: &[Covered],
    unpaid_dates: &[NaiveDate],
) -> Result<(Vec<Money>, Vec<Installment>)> {
    if consented_on.is_none() {
        return Err(Error::field(
            Code::FamilyConsentRequired,
            "family_consented_on",
            "withholding from next year's fixed amount is set-off against future support: only with the family's written consent",
        )
        .legal(LEGAL));
    }
    let left: Vec<i64> = next
        .iter()
        .map(|c| (c.granted - c.prepaid).ore().max(0))
        .collect();
    let room: i64 = left.iter().sum();
    if unpaid_dates.is_empty() || amount.ore() > room {
        return Err(Error::rule(
            Code::OffsetNotAvailable,
            format!(
                "the next budget year's fixed amount has {} still to be paid in installments; {amount} cannot be withheld from it (claim or waive instead)",
                Money::from_ore(if unpaid_dates.is_empty() { 0 } else { room })
            ),
        )
        .legal(LEGAL));
    }
    let share = schedule::split(amount.ore(), &left);
    let rest: Vec<Money> = left
        .iter()
        .zip(&share)
        .map(|(l, s)| Money::from_ore(l - s))
        .collect();
    Ok((
        share.into_iter().map(Money::from_ore).collect(),
        schedule::plan(&rest, unpaid_dates),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn only_with_consent_and_only_what_is_left() {
        let next = [Covered {
            post_id: "a".into(),
            granted: Money::kroner(1200),
            prepaid: Money::ZERO,
        }];
        let dates = [d("2026-01-01"), d("2026-02-01")];
        let (share, plan) =
            withhold(Money::kroner(100), Some(d("2025-12-01")), &next, &dates).unwrap();
        assert_eq!(share, vec![Money::kroner(100)]);
        assert_eq!(
            plan.iter().map(|i| i.amount).sum::<Money>(),
            Money::kroner(1100)
        );
        assert_eq!(
            withhold(Money::kroner(100), None, &next, &dates)
                .unwrap_err()
                .code,
            Code::FamilyConsentRequired
        );
        assert_eq!(
            withhold(Money::kroner(1201), Some(d("2025-12-01")), &next, &dates)
                .unwrap_err()
                .code,
            Code::OffsetNotAvailable
        );
        assert_eq!(
            withhold(Money::kroner(1), Some(d("2025-12-01")), &next, &[])
                .unwrap_err()
                .code,
            Code::OffsetNotAvailable
        );
    }
}
