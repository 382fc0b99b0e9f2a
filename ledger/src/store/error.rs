//! What can go wrong below the rules: typed from diesel's `DatabaseErrorKind`, never from message text.
use diesel::result::{DatabaseErrorKind, Error as DieselError};

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
    Database(DieselError),
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match &e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::UniqueViolation(info.message().to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                StoreError::SerializationFailure(info.message().to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A stored enum value read back: an unknown value is an error, never a permissive default.
pub fn known<T>(parsed: Option<T>, column: &str, value: &str) -> StoreResult<T> {
    parsed.ok_or_else(|| StoreError::Corrupt(format!("{column} = {value:?}")))
}
