//! Forvaltningsloven §§ 22, 24 og 25 and the general administrative-law rules on revoking a favourable decision: an approval found wrong is annulled by a new decision; the post gets its money back, an unpaid payable is cancelled and a paid one becomes a claim on the family.
use super::linked_reversal;
use crate::expense::ExpenseStatus;
use crate::payment::PayableStatus;
use bookkeeping::entry::Booked;
use bookkeeping::error::check_text;
use bookkeeping::{period, Code, EntryKind, Error, Money, NewEntry, Result};
use chrono::NaiveDate;

pub const LEGAL: &str = "Forvaltningsloven §§ 22, 24 og 25; forvaltningsrettens almindelige regler om tilbagekaldelse af begunstigende afgørelser: a new decision with reasons and appeal guidance";

/// The request's own shape: a reason, and a date not in the future.
pub fn check_request(decided_on: NaiveDate, reason: &str, today: NaiveDate) -> Result<()> {
    check_text(
        Code::InvalidReason,
        "reason",
        reason,
        500,
        "the reason is 1-500 characters",
    )?;
    crate::privacy::no_cpr::reject_in_text("reason", reason)?;
    if decided_on > today {
        return Err(Error::field(
            Code::InvalidDecidedOn,
            "decided_on",
            format!("a decision is not dated in the future (today is {today})"),
        ));
    }
    Ok(())
}

/// What the annulment does to the money.
#[derive(Debug)]
pub struct Annulment {
    /// The reversal of the approval's entry: the expense and the post's consumption undone.
    pub reversal: NewEntry,
    /// When the payable was paid: the overpayment, moved to the account where it waits while
    /// the family is heard (nobody owes it before a claim is decided), booked before the
    /// reversal so that the payables account never goes below zero.
    pub claim: Option<NewEntry>,
    pub amount: Money,
}

/// The accounts an overpayment books to.
pub struct ClaimAccounts<'a> {
    /// Overpayments under review (1250).
    pub receivable: &'a str,
    /// The payables account the approval credited (families or firms).
    pub payables: &'a str,
}

/// The approval being annulled: its entry, the entry's date and the day it was decided.
pub struct Approval<'a> {
    pub entry: &'a Booked<'a>,
    pub entry_date: NaiveDate,
    pub decided_on: NaiveDate,
}

/// Decides an annulment: the expense must be approved, and the annulment is not dated before the
/// approval was decided; its reversal is not dated before the approval's entry.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    expense_id: &str,
    status: ExpenseStatus,
    approval: &Approval,
    payable: PayableStatus,
    amount: Money,
    decided_on: NaiveDate,
    closed_through: Option<NaiveDate>,
    accounts: &ClaimAccounts,
) -> Result<Annulment> {
    if status != ExpenseStatus::Approved {
        return Err(Error::conflict(
            Code::ExpenseNotApproved,
            format!("expense {expense_id} is {status}; only an approved expense can be annulled"),
        ));
    }
    if decided_on < approval.decided_on {
        return Err(Error::field(
            Code::InvalidDecidedOn,
            "decided_on",
            format!(
                "the approval was decided on {}; an annulment of it is not dated before that",
                approval.decided_on
            ),
        ));
    }
    let reversal = linked_reversal(
        approval.entry,
        approval.entry_date,
        decided_on,
        closed_through,
        format!("Approval of expense {expense_id} annulled"),
    )?;
    let claim = (payable == PayableStatus::Paid).then(|| {
        NewEntry::new(
            EntryKind::Overpayment,
            period::first_open_on_or_after(closed_through, decided_on),
            format!("Overpayment under review: annulled expense {expense_id}"),
        )
        .source("expense", expense_id)
        .transfer(accounts.receivable, accounts.payables, amount)
    });
    Ok(Annulment {
        reversal,
        claim,
        amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use bookkeeping::PostingLine;

    #[test]
    fn annuls_approved_expenses_only() {
        let approval = Booked {
            id: "e1",
            kind: EntryKind::ExpenseApproved,
            description: "Expense x approved",
            reversed_by: None,
            postings: vec![
                PostingLine::debit("5110", Money::kroner(10)),
                PostingLine::credit("2000", Money::kroner(10)),
            ],
            source_type: Some("expense"),
            source_id: Some("x"),
        };
        let approval = Approval {
            entry: &approval,
            entry_date: d("2025-03-01"),
            decided_on: d("2025-04-01"),
        };
        let acc = ClaimAccounts {
            receivable: "1200",
            payables: "2000",
        };
        let a = decide(
            "x",
            ExpenseStatus::Approved,
            &approval,
            PayableStatus::Open,
            Money::kroner(10),
            d("2025-05-01"),
            Some(d("2025-05-31")),
            &acc,
        )
        .unwrap();
        assert!(a.claim.is_none());
        assert_eq!(a.reversal.effective_date, d("2025-06-01"));
        assert_eq!(a.reversal.reverses.as_deref(), Some("e1"));
        assert_eq!(
            a.reversal.postings[0],
            PostingLine::credit("5110", Money::kroner(10))
        );
        let paid = decide(
            "x",
            ExpenseStatus::Approved,
            &approval,
            PayableStatus::Paid,
            Money::kroner(10),
            d("2025-05-01"),
            None,
            &acc,
        )
        .unwrap();
        assert_eq!(
            paid.claim.unwrap().postings[0],
            PostingLine::debit("1200", Money::kroner(10))
        );
        let e = decide(
            "x",
            ExpenseStatus::Pending,
            &approval,
            PayableStatus::Open,
            Money::kroner(10),
            d("2025-05-01"),
            None,
            &acc,
        )
        .unwrap_err();
        assert_eq!(e.code, Code::ExpenseNotApproved);
        // Not dated before the approval was decided.
        let early = decide(
            "x",
            ExpenseStatus::Approved,
            &approval,
            PayableStatus::Open,
            Money::kroner(10),
            d("2025-03-31"),
            None,
            &acc,
        )
        .unwrap_err();
        assert_eq!(early.code, Code::InvalidDecidedOn);
        assert_eq!(
            check_request(d("2025-05-02"), "x", d("2025-05-01"))
                .unwrap_err()
                .code,
            Code::InvalidDecidedOn
        );
    }
}
