//! RFC 9457 problem+json for every error the API gives, with a stable machine `code`.
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use ledger::error::{ErrorKind, FieldError};
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError(pub ledger::Error);

impl From<ledger::Error> for ApiError {
    fn from(e: ledger::Error) -> Self {
        ApiError(e)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        let kind = match status.as_u16() {
            400 | 413 | 401 => ErrorKind::BadRequest,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            412 => ErrorKind::PreconditionFailed,
            428 => ErrorKind::PreconditionRequired,
            422 => ErrorKind::Unprocessable,
            _ => ErrorKind::Internal,
        };
        // 401 and 413 are told apart by their codes in `status_of`.
        ApiError(ledger::Error::new(kind, code, detail))
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, code, detail)
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
            code: f.code.clone(),
            message: f.message.clone(),
        }
    }
}

fn status_of(e: &ledger::Error) -> StatusCode {
    match (e.kind, e.code) {
        (_, "payload_too_large") => StatusCode::PAYLOAD_TOO_LARGE,
        (_, "method_not_allowed") => StatusCode::METHOD_NOT_ALLOWED,
        (_, "unauthorized") | (_, "invalid_token") => StatusCode::UNAUTHORIZED,
        (ErrorKind::BadRequest, _) => StatusCode::BAD_REQUEST,
        (ErrorKind::NotFound, _) => StatusCode::NOT_FOUND,
        (ErrorKind::Conflict, _) => StatusCode::CONFLICT,
        (ErrorKind::Unprocessable, _) => StatusCode::UNPROCESSABLE_ENTITY,
        (ErrorKind::PreconditionFailed, _) => StatusCode::PRECONDITION_FAILED,
        (ErrorKind::PreconditionRequired, _) => StatusCode::PRECONDITION_REQUIRED,
        (ErrorKind::Forbidden, _) => StatusCode::FORBIDDEN,
        (ErrorKind::Internal, _) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(&self.0)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = if status.is_server_error() {
            // The cause is logged; the client gets no internals.
            tracing::error!(error = %self.0.detail, "request failed");
            "the service could not complete the request; it has been logged".to_string()
        } else {
            self.0.detail.clone()
        };
        let body = Problem {
            type_: format!("urn:hjemmetraening:problem:{}", self.0.code),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            code: self.0.code.to_string(),
            errors: self.0.errors.iter().map(Into::into).collect(),
            legal_reference: self.0.legal_reference.clone(),
        };
        let mut resp = HttpResponse::build(status);
        resp.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        resp.body(serde_json::to_string(&body).unwrap_or_default())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
