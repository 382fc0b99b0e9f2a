//! RFC 9457 problem+json for every error the API gives, with a stable machine `code`; and the
//! problem responses of each operation in the OpenAPI document, declared once from the codes.
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use ledger::{Code, ErrorKind, FieldError, Refusal};
use serde::Serialize;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

#[derive(Debug)]
pub struct ApiError(pub ledger::Error);

impl From<ledger::Error> for ApiError {
    fn from(e: ledger::Error) -> Self {
        ApiError(e)
    }
}

impl From<Refusal> for ApiError {
    fn from(e: Refusal) -> Self {
        ApiError(ledger::Error::Refused(e))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ApiError {
    pub fn new(kind: ErrorKind, code: Code, detail: impl Into<String>) -> ApiError {
        Refusal::new(kind, code, detail).into()
    }
    pub fn bad_request(code: Code, detail: impl Into<String>) -> ApiError {
        Self::new(ErrorKind::BadRequest, code, detail)
    }
    pub fn unauthorized(code: Code, detail: impl Into<String>) -> ApiError {
        Self::new(ErrorKind::Unauthorized, code, detail)
    }
    pub fn internal(detail: impl Into<String>) -> ApiError {
        Self::new(ErrorKind::Internal, Code::InternalError, detail)
    }
}

/// The problem document. `type` is a URN naming the code, so clients can switch on either.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(example = "urn:hjemmetraening:problem:balance_constraint_violated")]
    pub type_: String,
    #[schema(example = "Unprocessable Entity")]
    pub title: String,
    #[schema(example = 422)]
    pub status: u16,
    #[schema(
        example = "account 1000 (Bank) has the constraint credits_must_not_exceed_debits: the entry would make its debits 10.00 and credits 12.00"
    )]
    pub detail: String,
    /// Stable machine-readable code.
    #[schema(example = "balance_constraint_violated")]
    pub code: String,
    /// Per-field errors, if any.
    pub errors: Vec<ProblemFieldError>,
    /// The rule of law broken, where one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Bekendtgørelse om hjemmetræning § 6, stk. 2")]
    pub legal_reference: Option<String>,
    /// A substantive refusal of what a family asked for is a decision: its id (read it, and
    /// print its letter, at `/v1/decisions/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_id: Option<String>,
    /// The figures the refusal rests on (what the post had left, the heaviest 12-month window …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<ledger::Figure>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemFieldError {
    #[schema(example = "postings[0].debit")]
    pub field: String,
    #[schema(example = "invalid_amount")]
    pub code: String,
    pub message: String,
}

impl From<&FieldError> for ProblemFieldError {
    fn from(f: &FieldError) -> Self {
        ProblemFieldError {
            field: f.field.clone(),
            code: f.code.as_str().to_string(),
            message: f.message.clone(),
        }
    }
}

fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        ErrorKind::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match &self.0 {
            ledger::Error::Refused(r) => status_of(r.kind),
            e if is_unavailable(e) => StatusCode::SERVICE_UNAVAILABLE,
            ledger::Error::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let body = match &self.0 {
            ledger::Error::Refused(r) if r.kind != ErrorKind::Internal => problem(status, r),
            e if is_unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                let detail = "the database is unavailable or busy; try again shortly";
                problem(
                    status,
                    &Refusal::new(ErrorKind::Unavailable, Code::ServiceUnavailable, detail),
                )
            }
            other => {
                // The cause is logged; the client gets no internals.
                tracing::error!(error = %other, "request failed");
                let hidden = "the service could not complete the request; it has been logged";
                problem(status, &Refusal::internal(hidden))
            }
        };
        let mut resp = HttpResponse::build(status);
        resp.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if status == StatusCode::REQUEST_TIMEOUT {
            // What is left of a body that stalled would be read as the next request.
            resp.force_close();
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.insert_header((header::RETRY_AFTER, "2"));
        }
        resp.body(serde_json::to_string(&body).unwrap_or_default())
    }
}

/// The database is down, its pool is exhausted, or a transaction could not be serialized even
/// after retries: nothing was done, and the same request may succeed in a moment.
fn is_unavailable(e: &ledger::Error) -> bool {
    use ledger::error::StoreError;
    matches!(
        e,
        ledger::Error::Store(StoreError::Unavailable(_) | StoreError::SerializationFailure(_))
    )
}

fn problem(status: StatusCode, r: &Refusal) -> Problem {
    Problem {
        type_: format!("urn:hjemmetraening:problem:{}", r.code),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: r.detail.clone(),
        code: r.code.as_str().to_string(),
        errors: r.errors.iter().map(Into::into).collect(),
        legal_reference: r.legal_reference.as_deref().map(str::to_string),
        decision_id: r.decision_id.as_deref().map(str::to_string),
        figures: r.figures.clone(),
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// One problem response of the OpenAPI document: the codes it may carry, or what it means.
pub enum Documented {
    Codes(&'static [Code]),
    Text(&'static str),
}

/// A problem+json response whose description lists its codes (or says what it means).
pub fn problem_response(doc: &Documented) -> RefOr<utoipa::openapi::Response> {
    let description = match doc {
        Documented::Codes(codes) => codes
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", "),
        Documented::Text(t) => t.to_string(),
    };
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

/// Declares the problem responses of an operation, once, from the codes it refuses with:
/// `problems!(CreateCaseProblems { 409 => [CaseRefTaken], 422 => [CprNumberNotAllowed, …] })`.
/// A status may instead carry a sentence: `403 => "role may not open accounts"`.
#[macro_export]
macro_rules! problems {
    (@doc [$($code:ident),* $(,)?]) => {
        $crate::problem::Documented::Codes(&[$(ledger::Code::$code),*])
    };
    (@doc $text:literal) => {
        $crate::problem::Documented::Text($text)
    };
    ($name:ident { $($status:literal => $doc:tt),* $(,)? }) => {
        pub struct $name;
        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<
                String,
                utoipa::openapi::RefOr<utoipa::openapi::response::Response>,
            > {
                let mut m = std::collections::BTreeMap::new();
                // Every operation behind a token can answer these two.
                m.insert("401".to_string(), $crate::problem::problem_response(&$crate::problems!(@doc [Unauthorized, InvalidToken])));
                m.insert("503".to_string(), $crate::problem::problem_response(&$crate::problems!(@doc [ServiceUnavailable])));
                $( m.insert($status.to_string(), $crate::problem::problem_response(&$crate::problems!(@doc $doc))); )*
                m
            }
        }
    };
}
