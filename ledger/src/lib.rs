//! The home-training service: commands that book, read models that report, and the store
//! beneath them (SQLite embedded, PostgreSQL in production). The law lives in `rules`, the
//! double-entry core in `bookkeeping`.
pub mod bank;
pub mod commands;
pub mod context;
pub mod error;
pub mod group_commit;
pub mod import;
pub mod read;
pub mod service;
pub mod store;

pub use bookkeeping::{money, Figure, Money};
pub use error::{Code, Error, ErrorKind, FieldError, Refusal, Result};
pub use rules::privacy::normal_form;
pub use service::{Command, IdempotencyKey, Ledger, Recorded};
