//! The home-training ledger: double-entry book, the rules of Barnets lov § 85, and their storage.
pub mod book;
pub mod domain;
pub mod error;
pub mod money;
pub mod service;
pub mod store;
pub mod utc;

pub use error::{Error, ErrorKind, Result};
pub use money::Money;
pub use service::Ledger;
