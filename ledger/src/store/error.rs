//! Store errors typed from diesel's `DatabaseErrorKind`, never from message text.
use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub use crate::error::StoreError;

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

impl From<DieselError> for crate::error::Error {
    fn from(e: DieselError) -> Self {
        crate::error::Error::Store(e.into())
    }
}

impl From<diesel::r2d2::PoolError> for crate::error::Error {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        crate::error::Error::Store(e.into())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A stored enum value read back: an unknown value is an error, never a permissive default.
pub fn known<T>(parsed: Option<T>, column: &str, value: &str) -> StoreResult<T> {
    parsed.ok_or_else(|| StoreError::Corrupt(format!("{column} = {value:?}")))
}
