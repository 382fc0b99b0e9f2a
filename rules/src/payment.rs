//! Municipal bookkeeping practice (Budget- og regnskabssystem for kommuner, 'Betalinger'): a payable is paid once, not before what it pays for, and the payment is booked against the bank.
use crate::privacy::no_cpr;
use bookkeeping::{string_enum, Code, EntryKind, Error, ErrorKind, Money, NewEntry, Result};
use chrono::NaiveDate;

string_enum!(
    /// A payable is open until a payment settles it.
    PayableStatus {
        Open => "open",
        Paid => "paid",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// Who a payable is paid to: the family, or (for helper-trainer wages and the firm's fee, when
    /// the case says so) the payroll-administration firm that pays the helpers.
    Payee {
        Family => "family",
        PayrollFirm => "payroll_firm",
    }
);

/// Whether an expense of `category` on a case whose wages go to `case_payee` is paid to the firm.
pub fn payee_for(case_payee: Payee, category: &str) -> Payee {
    match (case_payee, category) {
        (Payee::PayrollFirm, "helper_trainers" | "payroll_administration") => Payee::PayrollFirm,
        _ => Payee::Family,
    }
}

/// The account an approved expense is owed on: the family's advance when a fixed-amount
/// agreement covers its post (settled against what the installments prepaid), else what is owed
/// to its payee. `None` for the payee when nothing is owed.
pub fn credit_account(covered: bool, payee: Payee) -> (&'static str, Option<Payee>) {
    match (covered, payee) {
        (true, _) => (bookkeeping::chart::ADVANCES_TO_FAMILIES, None),
        (false, Payee::Family) => (bookkeeping::chart::PAYABLES_TO_FAMILIES, Some(payee)),
        (false, Payee::PayrollFirm) => (bookkeeping::chart::PAYABLES_TO_PAYROLL_FIRMS, Some(payee)),
    }
}

/// Payables one payment may settle.
pub const MAX_PAYABLES: usize = 1000;

/// The request's own shape: 1-1000 distinct payables and a bank reference.
pub fn check_request(payable_ids: &[String], bank_reference: &str) -> Result<()> {
    if payable_ids.is_empty() || payable_ids.len() > MAX_PAYABLES {
        return Err(Error::field(
            Code::InvalidPayables,
            "payable_ids",
            "a payment covers 1-1000 payables",
        ));
    }
    let mut uniq = payable_ids.to_vec();
    uniq.sort();
    uniq.dedup();
    if uniq.len() != payable_ids.len() {
        return Err(Error::field(
            Code::DuplicatePayables,
            "payable_ids",
            "a payable is listed twice",
        ));
    }
    bookkeeping::error::check_text(
        Code::InvalidBankReference,
        "bank_reference",
        bank_reference,
        100,
        "the bank reference is 1-100 characters",
    )?;
    no_cpr::reject_in_text("bank_reference", bank_reference)
}

/// A payable as the payment sees it: what it owes, and the date of the expense it pays for.
#[derive(Clone, Debug)]
pub struct Payable {
    pub id: String,
    pub amount: Money,
    pub expense_date: NaiveDate,
    pub payee: Payee,
}

/// The accounts a payment books to: what is owed to families and to firms, and the bank.
pub struct PaymentAccounts<'a> {
    pub families: &'a str,
    pub firms: &'a str,
    pub bank: &'a str,
}

/// The payment's entry: every payable exists and is not paid before its expense; the payables
/// account is debited by their total against the bank.
pub fn decide(
    payables: &[Option<Payable>],
    requested: &[String],
    paid_on: NaiveDate,
    payment_id: &str,
    accounts: &PaymentAccounts,
) -> Result<(NewEntry, Money)> {
    let mut total = Money::ZERO;
    let mut to_firms = Money::ZERO;
    for (i, (p, pid)) in payables.iter().zip(requested).enumerate() {
        let p = p.as_ref().ok_or_else(|| {
            Error::field(
                Code::PayableNotFound,
                &format!("payable_ids[{i}]"),
                format!("payable {pid} does not exist"),
            )
            .with_kind(ErrorKind::NotFound)
        })?;
        total += p.amount;
        if p.payee == Payee::PayrollFirm {
            to_firms += p.amount;
        }
        if paid_on < p.expense_date {
            return Err(Error::field(
                Code::PaymentBeforeExpense,
                "paid_on",
                format!(
                    "payable {pid} covers an expense of {}; it cannot be paid before that",
                    p.expense_date
                ),
            ));
        }
    }
    let mut entry = NewEntry::new(
        EntryKind::Payment,
        paid_on,
        // The bank's reference is the caller's free text: kept on the payment, never in the
        // ledger's text (which a payroll firm reads).
        format!("Payment {payment_id} of {} payable(s)", requested.len()),
    )
    .source("payment", payment_id);
    let to_families = total - to_firms;
    if to_families.is_positive() {
        entry = entry.line(bookkeeping::PostingLine::debit(
            accounts.families,
            to_families,
        ));
    }
    if to_firms.is_positive() {
        entry = entry.line(bookkeeping::PostingLine::debit(accounts.firms, to_firms));
    }
    entry = entry.line(bookkeeping::PostingLine::credit(accounts.bank, total));
    Ok((entry, total))
}

/// The race guard's refusal: the payable was settled by another payment first.
pub fn already_paid(index: usize, id: &str) -> Error {
    Error::conflict(
        Code::PayableAlreadyPaid,
        format!("payable {id} is already paid; a payable is paid once"),
    )
    .with_field(&format!("payable_ids[{index}]"), "already paid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn pays_or_refuses() {
        let ids = vec!["p1".to_string(), "p2".to_string()];
        assert!(check_request(&ids, "NETS-1").is_ok());
        assert_eq!(
            check_request(&["a".into(), "a".into()], "NETS-1")
                .unwrap_err()
                .code,
            Code::DuplicatePayables
        );
        assert_eq!(
            check_request(&[], "x").unwrap_err().code,
            Code::InvalidPayables
        );
        let p = |id: &str, kr| Payable {
            id: id.into(),
            amount: Money::kroner(kr),
            expense_date: d("2025-03-01"),
            payee: Payee::Family,
        };
        let acc = PaymentAccounts {
            families: "2000",
            firms: "2100",
            bank: "1000",
        };
        let (entry, total) = decide(
            &[Some(p("p1", 10)), Some(p("p2", 5))],
            &ids,
            d("2025-03-20"),
            "pay1",
            &acc,
        )
        .unwrap();
        assert_eq!(total, Money::kroner(15));
        assert_eq!(entry.postings.len(), 2);
        // The ledger's text is generated: the payment's id, never the bank's reference.
        assert_eq!(entry.description, "Payment pay1 of 2 payable(s)");
        let early = decide(&[Some(p("p1", 10))], &ids[..1], d("2025-02-01"), "p", &acc);
        assert_eq!(early.unwrap_err().code, Code::PaymentBeforeExpense);
        let missing = decide(&[None], &ids[..1], d("2025-04-01"), "p", &acc);
        assert_eq!(missing.unwrap_err().kind, ErrorKind::NotFound);
    }
}
