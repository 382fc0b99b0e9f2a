//! Every view and report. Reads never write: each takes the transaction a query gives it.
pub mod accounts;
pub mod bank_statements;
pub mod budget_years;
pub mod cases;
pub mod clawbacks;
pub mod deadlines;
pub mod decisions;
pub mod expenses;
pub mod general_ledger;
pub mod installments;
pub mod journal;
pub mod lost_earnings;
pub mod mappings;
pub mod payables;
pub mod payroll;
pub mod period_report;
pub mod periods;
pub mod plain_books;
pub mod rates;
pub mod settings;
pub mod settlements;
pub mod spreadsheet;
pub mod statement;
pub mod trial_balance;
pub mod utc;
pub mod verify;

/// The transaction a read model runs in.
pub use crate::store::Tx;

/// A total over stored amounts past what 64-bit øre hold: a clear refusal, never a panic or a
/// wrong figure (the caller's amounts are bounded, so only a damaged ledger can get here).
pub fn total_too_large() -> crate::Error {
    bookkeeping::Error::rule(
        crate::Code::TotalTooLarge,
        "a total over the ledger's accounts is larger than 64-bit øre hold; the books need a controller's attention",
    )
    .into()
}
