//! Pure double-entry bookkeeping: money, accounts and their balance constraints, journal entries,
//! the period rule, roles, and the refusal codes. No database, no HTTP, no clock.
pub mod account;
pub mod chain;
pub mod chart;
pub mod code;
pub mod entry;
mod enums;
pub mod error;
pub mod money;
pub mod period;
pub mod role;

pub use account::{AccountKind, BalanceConstraint};
pub use code::Code;
pub use entry::{EntryKind, NewEntry, PostingLine};
pub use error::{Error, ErrorKind, FieldError, Figure, Result};
pub use money::{Money, MoneyError};
pub use role::Role;

/// Helpers for unit tests (here and in the crates above, through the `testing` feature).
#[cfg(any(test, feature = "testing"))]
pub mod testing {
    use chrono::NaiveDate;

    /// A date from `YYYY-MM-DD`.
    pub fn d(s: &str) -> NaiveDate {
        s.parse().expect("a YYYY-MM-DD date")
    }
}
