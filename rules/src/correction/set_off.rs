//! Forvaltningsret om modregning i fremtidige ydelser (vejledningen pkt. 157 e): a claim may be set off against support still to be paid, the lost earnings of a later month, only with the family's written consent and at the monthly installment consented to; never silently inside a payroll run, and never more than the month's pay.
use bookkeeping::{Code, EntryKind, Error, Money, NewEntry, Result};
use chrono::NaiveDate;

pub const LEGAL: &str = "Vejledningen pkt. 157 e og forvaltningsrettens regler om modregning: et krav modregnes i senere ydelser (tabt arbejdsfortjeneste) kun med familiens skriftlige samtykke og med den månedlige afdrag, familien har givet samtykke til";

/// The terms of a set-off: the family's written consent and the monthly installment, both
/// required; the consent is given before the decision and not in the future.
pub fn terms(
    consented_on: Option<NaiveDate>,
    monthly: Option<Money>,
    decided_on: NaiveDate,
) -> Result<(NaiveDate, Money)> {
    let Some(consented_on) = consented_on else {
        return Err(Error::field(
            Code::FamilyConsentRequired,
            "family_consented_on",
            "setting a claim off against later lost earnings is set-off against future support: only with the family's written consent",
        )
        .legal(LEGAL));
    };
    if consented_on > decided_on {
        return Err(Error::field(
            Code::InvalidValue,
            "family_consented_on",
            format!("the consent is given before the decision ({decided_on}), not after it"),
        ));
    }
    match monthly {
        Some(m) if m.is_positive() => Ok((consented_on, m)),
        _ => Err(Error::field(
            Code::InvalidAmount,
            "monthly_amount",
            "a set-off needs the monthly installment the family consented to, greater than 0.00",
        )
        .legal(LEGAL)),
    }
}

/// No lost earnings left to set the claim off against.
pub fn not_available(why: &str) -> Error {
    Error::rule(
        Code::OffsetNotAvailable,
        format!("{why}: the claim cannot be set off against later lost earnings (claim or waive instead)"),
    )
    .legal(LEGAL)
}

/// Whether a decision ending on `end` still has a month to pay after the latest run (any month
/// when none has run).
pub fn pays_after(end: NaiveDate, last_run: Option<NaiveDate>) -> bool {
    last_run.is_none_or(|r| end > crate::lost_earnings::versions::month_span(r).1)
}

/// The installment a month's pay carries: the installment consented to, never more than is
/// outstanding nor more than the parent's pay that month (after the savings the payroll system
/// deducts).
pub fn installment(monthly: Money, outstanding: Money, pay: Money) -> Money {
    monthly.min(outstanding).min(pay).max(Money::ZERO)
}

/// The entry of an installment: what the municipality owes the parent is reduced by it, and
/// so is the family's debt (the receivable). The text names no family.
pub fn entry(
    clawback_id: &str,
    amount: Money,
    date: NaiveDate,
    payable: &str,
    receivable: &str,
) -> NewEntry {
    NewEntry::new(
        EntryKind::ClawbackRepaid,
        date,
        format!("Modregning i tabt arbejdsfortjeneste, krav {clawback_id}"),
    )
    .source("clawback", clawback_id)
    .transfer(payable, receivable, amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn only_with_consent_and_a_monthly_installment() {
        let on = d("2025-03-01");
        let e = terms(None, Some(Money::kroner(500)), on).unwrap_err();
        assert_eq!(e.code, Code::FamilyConsentRequired);
        let e = terms(Some(on), None, on).unwrap_err();
        assert_eq!(e.code, Code::InvalidAmount);
        let e = terms(Some(d("2025-03-02")), Some(Money::kroner(5)), on).unwrap_err();
        assert_eq!(e.code, Code::InvalidValue);
        assert_eq!(
            terms(Some(on), Some(Money::kroner(500)), on).unwrap(),
            (on, Money::kroner(500))
        );
    }

    #[test]
    fn only_a_decision_with_months_left_can_carry_it() {
        assert!(pays_after(d("2024-12-31"), Some(d("2024-05-01"))));
        assert!(!pays_after(d("2024-05-31"), Some(d("2024-05-01"))));
        assert!(pays_after(d("2024-05-31"), None));
    }

    #[test]
    fn an_installment_never_exceeds_the_debt_or_the_pay() {
        let k = Money::kroner;
        assert_eq!(installment(k(500), k(2000), k(9000)), k(500));
        assert_eq!(installment(k(500), k(300), k(9000)), k(300));
        assert_eq!(installment(k(500), k(2000), k(200)), k(200));
        assert_eq!(
            installment(k(500), k(2000), Money::ZERO - k(1)),
            Money::ZERO
        );
    }
}
