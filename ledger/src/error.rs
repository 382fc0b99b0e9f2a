//! The ledger's error: a refusal decided by a rule, or a failure of the store beneath it.

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

/// What can go wrong below the rules (see `store::error` for how diesel's errors map to it).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique index refused a row: a concurrent duplicate, or a duplicate the caller should
    /// name as its rule's conflict.
    #[error("unique violation: {0}")]
    UniqueViolation(String),
    /// PostgreSQL could not serialize the transaction; it is safe to run it again.
    #[error("serialization failure: {0}")]
    SerializationFailure(String),
    /// A stored value the code does not know: the books fail closed rather than guess.
    #[error("stored value not understood: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    #[error("database unavailable: {0}")]
    Unavailable(String),
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
