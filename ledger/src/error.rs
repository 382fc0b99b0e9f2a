//! The ledger's error: a refusal decided by a rule, or a failure of the store beneath it.
use crate::store::StoreError;

pub use bookkeeping::{Code, ErrorKind, FieldError};

/// A refusal: code, detail, legal reference, per-field errors (from `bookkeeping` and `rules`).
pub type Refusal = bookkeeping::Error;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Error::Store(e.into())
    }
}

impl From<diesel::r2d2::PoolError> for Error {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Error::Store(e.into())
    }
}

impl Error {
    /// The refusal, if this is one.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            Error::Refused(r) => Some(r),
            Error::Store(_) => None,
        }
    }

    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Store(StoreError::UniqueViolation(_)))
    }

    /// A unique violation from a racing duplicate is the same conflict the rule names.
    pub fn or_duplicate(self, conflict: impl FnOnce() -> Refusal) -> Error {
        if self.is_unique_violation() {
            Error::Refused(conflict())
        } else {
            self
        }
    }
}
