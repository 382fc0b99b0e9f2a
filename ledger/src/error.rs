//! The one error type of the ledger: every rejection carries a stable machine code, a sentence
//! naming the rule, and where a rule of law applies its legal reference.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself is malformed.
    BadRequest,
    NotFound,
    /// The request conflicts with the current state (already done, duplicate, reused key).
    Conflict,
    /// Well-formed but breaks a rule.
    Unprocessable,
    /// An `If-Match` precondition failed.
    PreconditionFailed,
    /// A precondition header is required but missing.
    PreconditionRequired,
    Forbidden,
    /// The database is unreachable or failed; never caused by input.
    Internal,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub detail: String,
    pub legal_reference: Option<String>,
    pub errors: Vec<FieldError>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, code: &'static str, detail: impl Into<String>) -> Self {
        Error {
            kind,
            code,
            detail: detail.into(),
            legal_reference: None,
            errors: vec![],
        }
    }
    pub fn rule(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unprocessable, code, detail)
    }
    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, detail)
    }
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, detail)
    }
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, code, detail)
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", detail)
    }
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, "internal_error", detail)
    }
    /// A rule broken by one field: the problem names the field too.
    pub fn field(code: &'static str, field: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        Error {
            errors: vec![FieldError {
                field: field.to_string(),
                code: code.to_string(),
                message: detail.clone(),
            }],
            ..Self::rule(code, detail)
        }
    }
    pub fn legal(mut self, reference: impl Into<String>) -> Self {
        self.legal_reference = Some(reference.into());
        self
    }
    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.to_string(),
            code: self.code.to_string(),
            message: message.into(),
        });
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

impl std::error::Error for Error {}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Error::internal(format!("database error: {e}"))
    }
}

impl From<diesel::r2d2::PoolError> for Error {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Error::internal(format!("database unavailable: {e}"))
    }
}

impl Error {
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }
}
