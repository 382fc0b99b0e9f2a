//! Municipal bookkeeping practice (Budget- og regnskabssystem for kommuner, 'Betalinger'): a transfer the bank returned is reversed by a linked entry, and what it paid is owed again.
use super::linked_reversal;
use bookkeeping::entry::Booked;
use bookkeeping::error::check_text;
use bookkeeping::{Code, Error, NewEntry, Result};
use chrono::NaiveDate;

/// The request's own shape.
pub fn check_request(reason: &str, returned_on: NaiveDate, today: NaiveDate) -> Result<()> {
    check_text(
        Code::InvalidReason,
        "reason",
        reason,
        500,
        "the reason is 1-500 characters",
    )?;
    if returned_on > today {
        return Err(Error::field(
            Code::InvalidValue,
            "returned_on",
            format!("a return is recorded when it has happened (today is {today})"),
        ));
    }
    crate::privacy::no_cpr::reject_in_text("reason", reason)
}

/// Decides a return: once per payment, not before it was paid, and not when a payable it paid
/// has since become a claim on the family (settle or correct the claim first).
pub fn decide(
    payment_id: &str,
    payment: &Booked,
    paid_on: NaiveDate,
    already_returned: bool,
    claimed_payables: usize,
    returned_on: NaiveDate,
    closed_through: Option<NaiveDate>,
) -> Result<NewEntry> {
    if already_returned {
        return Err(Error::conflict(
            Code::PaymentAlreadyReturned,
            format!("payment {payment_id} was already returned"),
        ));
    }
    if returned_on < paid_on {
        return Err(Error::field(
            Code::InvalidValue,
            "returned_on",
            format!("a transfer is returned on or after it was paid ({paid_on})"),
        ));
    }
    if claimed_payables > 0 {
        return Err(Error::conflict(
            Code::PaymentHasClawbacks,
            format!("payment {payment_id} paid {claimed_payables} payable(s) whose approval was annulled and whose repayment is claimed; correct the claim before the return"),
        ));
    }
    linked_reversal(
        payment,
        paid_on,
        returned_on,
        closed_through,
        format!("Payment {payment_id} returned by the bank"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use bookkeeping::{EntryKind, Money, PostingLine};

    #[test]
    fn returned_once_after_payment() {
        let p = Booked {
            id: "en",
            kind: EntryKind::Payment,
            description: "Payment",
            reversed_by: None,
            postings: vec![
                PostingLine::debit("2000", Money::kroner(5)),
                PostingLine::credit("1000", Money::kroner(5)),
            ],
            source_type: Some("payment"),
            source_id: Some("pay"),
        };
        let r = decide("pay", &p, d("2025-03-01"), false, 0, d("2025-03-05"), None).unwrap();
        assert_eq!(r.postings[1], PostingLine::debit("1000", Money::kroner(5)));
        assert_eq!(r.source_id.as_deref(), Some("pay"));
        let code = |ret, claimed, on| {
            decide("pay", &p, d("2025-03-01"), ret, claimed, d(on), None)
                .unwrap_err()
                .code
        };
        assert_eq!(code(true, 0, "2025-03-05"), Code::PaymentAlreadyReturned);
        assert_eq!(code(false, 1, "2025-03-05"), Code::PaymentHasClawbacks);
        assert_eq!(code(false, 0, "2025-02-05"), Code::InvalidValue);
    }
}
