//! Bekendtgørelse om hjemmetræning § 6, stk. 2-3: a caseworker approves a documented expense when every rule still holds at the time of approval; the approval books the expense, the payable to the family and the post's consumption as one entry.
use super::{check_dates, rolling_cap, ExpenseStatus, Facts, ServicePeriod};

pub const LEGAL: &str = "Bekendtgørelse om hjemmetræning § 6, stk. 2-3: necessary, documented training expenses are covered within the approved budget and the yearly cap";
use crate::budget::rigid_posts::{self, PostState};
use crate::budget::yearly_cap;
use bookkeeping::{period, Code, EntryKind, Error, Money, NewEntry, PostingLine, Result};
use chrono::NaiveDate;

/// The expense as it waits for approval.
#[derive(Clone, Debug)]
pub struct Pending<'a> {
    pub id: &'a str,
    pub status: ExpenseStatus,
    pub expense_date: NaiveDate,
    pub service: ServicePeriod,
    pub amount: Money,
    pub hours: Option<rust_decimal::Decimal>,
    pub document_ref: &'a str,
    pub description: &'a str,
}

/// The accounts an approval books to.
#[derive(Clone, Debug)]
pub struct Accounts<'a> {
    /// The expense account of the post's category.
    pub expense: &'a str,
    pub payable_to_family: &'a str,
    /// The post's budget account.
    pub post: &'a str,
    pub appropriation: &'a str,
}

/// Everything an approval is decided on, read under the case's lock.
pub struct ApprovalFacts<'a> {
    pub expense: Pending<'a>,
    pub post: &'a PostState,
    pub judged: &'a Facts,
    pub accounts: Accounts<'a>,
    pub closed_through: Option<NaiveDate>,
    /// The post is covered by a fixed-amount agreement.
    pub paid_from_advance: bool,
    /// The year's annual accounts are settled (only a covered post's expense minds).
    pub year_settled: bool,
}

/// Decides an approval: the expense is still pending and every rule holds now (the post may have
/// been spent, the cap reached, the case ended since it was submitted). The entry is dated on the
/// expense date (not before the year's first day), or on the first open date when that period is
/// closed.
pub fn decide(f: &ApprovalFacts) -> Result<NewEntry> {
    let e = &f.expense;
    if e.status != ExpenseStatus::Pending {
        return Err(not_pending(e.id, e.status));
    }
    if f.paid_from_advance && f.year_settled {
        return Err(year_settled());
    }
    check_dates(e.service, f.judged)?;
    let cap = yearly_cap::in_force(&f.judged.cap_rates, e.service.from)?;
    rigid_posts::check_left(f.post, e.amount, e.hours, false)?;
    // Paid from an advance: the installments that funded it count for the cap already.
    if !f.paid_from_advance {
        rolling_cap::check(&f.judged.approved_spending, e.service.from, e.amount, cap)?;
    }
    // Not before the budget year's first day: an invoice dated before its service (or before the
    // year) never consumes the post before the grant that funds it.
    let date =
        period::first_open_on_or_after(f.closed_through, e.expense_date.max(f.judged.year_start));
    let a = &f.accounts;
    Ok(NewEntry::new(
        EntryKind::ExpenseApproved,
        date,
        // Ledger text carries no family data: ids and the category, never the case reference
        // or what the family bought.
        format!("Expense {} approved ({})", e.id, f.post.category),
    )
    .source("expense", e.id)
    .lines(lines(a, e.amount)))
}

/// What an approved expense books: the expense against what is owed (or the family's advance),
/// and the post's consumption against the appropriation. One list for a single approval and for
/// an import's voucher of many.
pub fn lines(a: &Accounts, amount: Money) -> [PostingLine; 4] {
    [
        PostingLine::debit(a.expense, amount),
        PostingLine::credit(a.payable_to_family, amount),
        PostingLine::debit(a.post, amount),
        PostingLine::credit(a.appropriation, amount),
    ]
}

/// An expense is decided once.
pub fn not_pending(id: &str, status: ExpenseStatus) -> Error {
    Error::conflict(
        Code::ExpenseNotPending,
        format!("expense {id} is already {status}"),
    )
}

/// The race guard's refusal: another decision on the expense committed first.
/// A covered post's expense after the year's annual accounts were settled: the settlement
/// counted what was approved then, and paying this from the advance would change accounts
/// already closed. A refusal the family is owed in writing (and may appeal); the municipality
/// may reopen the settlement while nothing has been repaid on it.
pub fn year_settled() -> Error {
    Error::rule(
        Code::YearSettled,
        "the annual accounts of the budget year are settled: an expense on a post the fixed-amount agreement covers can no longer be approved; the family may ask for the settlement to be reopened",
    )
    .legal(crate::agreement::settlement::LEGAL)
}

/// A partial approval's own shape: an amount above zero and below what was asked, and the
/// reason the rest is refused (forvaltningsloven § 22: a refusal, also in part, gives reasons).
pub fn check_part(
    approved: bookkeeping::Money,
    requested: bookkeeping::Money,
    reason: &str,
) -> Result<()> {
    if !approved.is_positive() || approved >= requested {
        return Err(Error::field(
            Code::InvalidAmount,
            "amount",
            format!("a partial approval approves more than 0.00 and less than the {requested} asked for; approve the whole without an amount"),
        ));
    }
    bookkeeping::error::check_text(
        Code::InvalidReason,
        "reason",
        reason,
        500,
        "the reason the rest is refused is 1-500 characters",
    )?;
    crate::privacy::no_cpr::reject_in_text("reason", reason)
}

pub fn decided_meanwhile(id: &str) -> Error {
    Error::conflict(
        Code::ExpenseNotPending,
        format!("expense {id} was decided meanwhile"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::grant::Category;
    use crate::rates::DatedValue;
    use bookkeeping::testing::d;
    use rust_decimal::Decimal;

    #[test]
    fn books_four_lines_or_refuses() {
        let post = PostState {
            label: "equipment \"mats\"".into(),
            category: Category::Equipment,
            granted: Money::kroner(1000),
            approved: Money::kroner(600),
            pending: Money::kroner(400),
            hours_granted: None,
            hours_used: Decimal::ZERO,
            hours_pending: Decimal::ZERO,
        };
        let judged = Facts {
            application_date: d("2025-01-01"),
            case_end: d("2030-01-01"),
            year_start: d("2025-02-01"),
            year_end: d("2026-01-31"),
            approved_spending: Default::default(),
            cap_rates: vec![DatedValue {
                valid_from: d("2025-01-01"),
                value: Decimal::from(706_600),
            }],
            covered_posts: vec![],
        };
        let facts = |status, amount, closed| ApprovalFacts {
            expense: Pending {
                id: "e1",
                status,
                expense_date: d("2025-03-01"),
                service: ServicePeriod::of(d("2025-03-01"), None, None),
                amount: Money::kroner(amount),
                hours: None,
                document_ref: "INV-1",
                description: "mat",
            },
            post: &post,
            judged: &judged,
            accounts: Accounts {
                expense: "5110",
                payable_to_family: "2000",
                post: "BP",
                appropriation: "9000",
            },
            closed_through: closed,
            year_settled: false,
            paid_from_advance: false,
        };
        let entry = decide(&facts(ExpenseStatus::Pending, 400, None)).unwrap();
        assert_eq!(entry.postings.len(), 4);
        assert_eq!(
            entry.postings[2],
            PostingLine::debit("BP", Money::kroner(400))
        );
        assert_eq!(entry.effective_date, d("2025-03-01"));
        let late = decide(&facts(ExpenseStatus::Pending, 400, Some(d("2025-03-31")))).unwrap();
        assert_eq!(late.effective_date, d("2025-04-01"));
        let code = |f| decide(&f).unwrap_err().code;
        assert_eq!(
            code(facts(ExpenseStatus::Pending, 401, None)),
            Code::BudgetPostExceeded
        );
        assert_eq!(
            code(facts(ExpenseStatus::Approved, 1, None)),
            Code::ExpenseNotPending
        );
    }
}
