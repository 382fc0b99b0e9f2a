//! A refusal: a stable machine code, a sentence naming the rule, and where a rule of law applies
//! its legal reference. Every refusal the service gives is built here or in `rules`.
use crate::code::Code;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself is malformed.
    BadRequest,
    /// The caller has no valid credentials.
    Unauthorized,
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
    PayloadTooLarge,
    MethodNotAllowed,
    /// The database is down or busy beyond waiting: try again later.
    Unavailable,
    /// A body in a format the operation does not take.
    UnsupportedMediaType,
    /// The body did not arrive in full in time.
    RequestTimeout,
    /// Something that cannot happen in sound books; never caused by input.
    Internal,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: Code,
    pub message: String,
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A figure a decision rests on (what the post had left, the heaviest 12-month window …), shown
/// in the problem, stored with the decision and printed in its letter.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Figure {
    #[schema(example = "remaining")]
    pub name: String,
    /// An amount, a date, or a code, as text.
    #[schema(
        example = "3800.00",
        pattern = r"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub code: Code,
    pub detail: String,
    pub legal_reference: Option<std::borrow::Cow<'static, str>>,
    pub errors: Vec<FieldError>,
    pub figures: Vec<Figure>,
    /// The stored decision, when the refusal is one the family is owed in writing (boxed: a
    /// refusal stays small enough to return by value everywhere).
    pub decision_id: Option<Box<str>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, code: Code, detail: impl Into<String>) -> Self {
        Error {
            kind,
            code,
            detail: detail.into(),
            legal_reference: None,
            errors: vec![],
            figures: vec![],
            decision_id: None,
        }
    }
    pub fn rule(code: Code, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unprocessable, code, detail)
    }
    pub fn not_found(code: Code, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, detail)
    }
    /// The usual answer for an id that names nothing in the caller's municipality (or anything
    /// of another municipality: the two are indistinguishable).
    pub fn missing(code: Code, what: &str, id: &str) -> Self {
        Self::not_found(code, format!("{what} {id} does not exist"))
    }
    pub fn conflict(code: Code, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, detail)
    }
    pub fn bad_request(code: Code, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, code, detail)
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, Code::Forbidden, detail)
    }
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, Code::InternalError, detail)
    }
    /// A rule broken by one field: the problem names the field too.
    pub fn field(code: Code, field: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        Error {
            errors: vec![FieldError {
                field: field.to_string(),
                code,
                message: detail.clone(),
            }],
            ..Self::rule(code, detail)
        }
    }
    /// A malformed field of the request (400), e.g. a value that does not parse.
    pub fn bad_field(code: Code, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Error {
            kind: ErrorKind::BadRequest,
            detail: format!("{field}: {message}"),
            ..Self::field(code, field, message)
        }
    }
    pub fn legal(mut self, reference: &'static str) -> Self {
        self.legal_reference = Some(std::borrow::Cow::Borrowed(reference));
        self
    }
    /// A figure the refusal rests on.
    pub fn figure(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.figures.push(Figure {
            name: name.to_string(),
            value: value.to_string(),
        });
        self
    }
    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.to_string(),
            code: self.code,
            message: message.into(),
        });
        self
    }
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)
    }
}

impl std::error::Error for Error {}

/// The same `Idempotency-Key` sent with another request.
pub fn idempotency_key_reused(key: &str) -> Error {
    Error::conflict(
        Code::IdempotencyKeyReused,
        format!("the Idempotency-Key {key:?} was already used for a different request; use a new key for a new request"),
    )
}

/// A text field: not blank and at most `max` characters (characters, not bytes).
pub fn check_text(code: Code, field: &str, value: &str, max: usize, what: &str) -> Result<()> {
    if value.trim().is_empty() || value.chars().count() > max {
        return Err(Error::field(code, field, what.to_string()));
    }
    Ok(())
}
