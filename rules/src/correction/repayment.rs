//! Municipal bookkeeping practice: a repayment received on a claim is booked against the bank and reduces what the family owes; never more than is outstanding.
use bookkeeping::{Code, EntryKind, Error, Money, NewEntry, Result};
use chrono::NaiveDate;

/// Decides a repayment of `amount` on a claim with `outstanding` left.
pub fn decide(
    clawback_id: &str,
    amount: Money,
    outstanding: Money,
    received_on: NaiveDate,
    accounts: (&str, &str),
) -> Result<NewEntry> {
    if !amount.is_positive() {
        return Err(Error::field(
            Code::InvalidAmount,
            "amount",
            "a repayment is greater than 0.00",
        ));
    }
    if amount > outstanding {
        return Err(Error::field(
            Code::RepaymentExceedsOutstanding,
            "amount",
            format!("the claim has {outstanding} outstanding; a repayment of {amount} exceeds it"),
        )
        .figure("outstanding", outstanding));
    }
    let (bank, receivable) = accounts;
    Ok(NewEntry::new(
        EntryKind::ClawbackRepaid,
        received_on,
        format!("Repayment received on claim {clawback_id}"),
    )
    .source("clawback", clawback_id)
    .transfer(bank, receivable, amount))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn never_more_than_outstanding() {
        let ok = decide(
            "c",
            Money::kroner(5),
            Money::kroner(10),
            d("2025-01-01"),
            ("1000", "1200"),
        )
        .unwrap();
        assert_eq!(ok.postings.len(), 2);
        let e = decide(
            "c",
            Money::kroner(11),
            Money::kroner(10),
            d("2025-01-01"),
            ("1000", "1200"),
        )
        .unwrap_err();
        assert_eq!(e.code, Code::RepaymentExceedsOutstanding);
    }
}
