//! Payroll-administration firms' files of helper-trainer wages (003 'Lønadministration'): sent
//! as CSV, streamed to disk while hashed, read in the background, booked all or nothing.
use super::blocking;
use crate::extract::auth::Auth;
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use ledger::import::service::{ImportView, IssueView, NewFile};
use ledger::{Code, ErrorKind, Ledger};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(post_helper_payroll)
        .service(get_import)
        .service(import_errors);
}

/// A payroll file as sent: bytes (UTF-8 or Windows-1252), read by the import's own reader.
pub struct PayrollFile;

impl utoipa::PartialSchema for PayrollFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for PayrollFile {}

/// The largest file accepted: a million lines are about 120 MB.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Validate and report without booking anything.
    pub dry_run: Option<bool>,
    /// Force the dialect instead of detecting it: `da` (`;`, decimal comma) or `en` (`,`,
    /// decimal point). The encoding (UTF-8 with or without BOM, or Windows-1252) is always
    /// detected.
    #[param(pattern = "^(da|en)$")]
    pub dialect: Option<String>,
}

problems!(ImportProblems {
    400 => [InvalidQuery, InvalidBody],
    408 => [RequestTimeout],
    403 => [Forbidden],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
});

/// Send a helper-payroll file (role `payroll_firm` or `finance`; body `text/csv`). Answers 202
/// with the import, read in the background (`GET /v1/imports/{id}`). Every line is judged by the
/// rules of a documented expense: the wage and employer costs on the case's helper-trainer
/// post, the fee on its payroll-administration post. A file with any bad line books nothing and
/// its report lists every bad line. The file's SHA-256 is its idempotency key: the same file sent
/// again answers 200 with the first import and books nothing (a dry run is always new).
#[utoipa::path(tag = "imports", params(ImportQuery), security(("bearer" = [])),
    request_body(content = PayrollFile, content_type = "text/csv", description = "The payroll file: a header line and one line per payslip; see the README for the columns and their names",
        example = json!("Sagsnummer;Periode fra;Periode til;Hjælper;Timer;Bruttoløn;ATP;Feriepenge;Barselsfond;Forsikring;Gebyr;Lønseddel\nSAG-1;01-03-2025;31-03-2025;H-7;12,5;2.312,50;94,65;288,13;10,00;0;45,00;LS-1001\n")),
    responses(
        (status = 202, description = "Accepted: the file is being read", body = ImportView),
        (status = 200, description = "The same file was sent before: its import, nothing booked again", body = ImportView),
        ImportProblems,
    ))]
#[post("/v1/imports/helper-payroll")]
pub async fn post_helper_payroll(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    q: web::Query<ImportQuery>,
    mut body: web::Payload,
) -> ApiResult<HttpResponse> {
    auth.0
        .require(ledger::import::service::SENDERS)
        .map_err(|e| ApiError(e.into()))?;
    let q = q.into_inner();
    if q.dialect.as_deref().is_some_and(|d| d != "da" && d != "en") {
        return Err(ApiError::bad_request(
            Code::InvalidQuery,
            "dialect is da or en",
        ));
    }
    check_csv(&req)?;
    let too_large = || {
        ApiError::new(
            ErrorKind::PayloadTooLarge,
            Code::PayloadTooLarge,
            format!("a payroll file is at most {MAX_FILE_BYTES} bytes"),
        )
    };
    let file = tempfile::NamedTempFile::new()
        .map_err(|e| ApiError::internal(format!("no room for the file: {e}")))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut hash = Sha256::new();
    let mut bytes = 0u64;
    let (mut breaks, mut last) = (0i64, b'\n');
    while let Some(chunk) = crate::extract::body::next_chunk(&mut body).await? {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(
                Code::InvalidBody,
                format!("the body could not be read: {e}"),
            )
        })?;
        bytes += chunk.len() as u64;
        if bytes > MAX_FILE_BYTES {
            return Err(too_large());
        }
        hash.update(&chunk);
        breaks += chunk.iter().filter(|&&b| b == b'\n').count() as i64;
        last = chunk.last().copied().unwrap_or(last);
        out.write_all(&chunk)
            .map_err(|e| ApiError::internal(format!("the file could not be stored: {e}")))?;
    }
    let file = out
        .into_inner()
        .map_err(|e| ApiError::internal(format!("the file could not be stored: {e}")))?;
    // No body and no word of one is no file (400); an empty body sent as text/csv is an empty
    // file, and its report says so.
    if bytes == 0 && req.headers().get(header::CONTENT_TYPE).is_none() {
        return Err(ApiError::bad_request(
            Code::InvalidBody,
            "the request needs a payroll file: a header line and one line per payslip",
        ));
    }
    // The lines after the header: a last line without its line break counts too.
    let lines = breaks + i64::from(last != b'\n');
    let sha256 = hex(&hash.finalize());
    let new = NewFile {
        rows_total: Some((lines - 1).max(0)),
        sha256,
        bytes: bytes as i64,
        dry_run: q.dry_run.unwrap_or(false),
        forced_dialect: q.dialect,
    };
    let path = file.into_temp_path();
    let (import, created) = blocking(move || l.start_import(&auth.0, new, path)).await?;
    let mut resp = if created {
        HttpResponse::Accepted()
    } else {
        HttpResponse::Ok()
    };
    Ok(resp
        .insert_header((header::LOCATION, format!("/v1/imports/{}", import.id)))
        .json(import))
}

/// A CSV body says so (`text/csv`; `text/plain` and `application/vnd.ms-excel` are what some
/// firms' systems send); one that says nothing is read as CSV.
fn check_csv(req: &HttpRequest) -> ApiResult<()> {
    let Some(ct) = req.headers().get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim().to_string();
    if [
        "text/csv",
        "text/plain",
        "application/csv",
        "application/vnd.ms-excel",
    ]
    .contains(&essence.as_str())
    {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorKind::UnsupportedMediaType,
        Code::UnsupportedMediaType,
        format!("a payroll file is text/csv, not {essence:?}"),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

problems!(GetProblems {
    403 => [Forbidden],
    404 => [ImportNotFound],
});

/// An import: its state, the lines read (the progress while it runs), the lines booked and the
/// report's counts. A payroll firm sees its own imports.
#[utoipa::path(tag = "imports", params(("id" = String, Path)), security(("bearer" = [])), responses((status = 200, body = ImportView), GetProblems))]
#[get("/v1/imports/{id}")]
pub async fn get_import(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(blocking(move || l.import(&auth.0, &id)).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct IssuesQuery {
    /// `error` (default), `warning` or `all`.
    #[param(pattern = "^(error|warning|all)$")]
    pub severity: Option<String>,
    /// `da` for CSV with `;` and a UTF-8 byte-order mark.
    #[param(pattern = "^(da|en)$")]
    pub dialect: Option<String>,
    /// JSON page size, 1-1000 (default 500); CSV carries every issue.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// JSON: the issues after this one (`n`).
    #[param(minimum = 0)]
    pub after: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct IssueList {
    pub items: Vec<IssueView>,
    /// The `after` of the next page; null on the last page.
    pub next: Option<i64>,
}

problems!(IssuesProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
    404 => [ImportNotFound],
});

/// The import's report: every bad line with its line number (the header is line 1), column,
/// value, `code` and the rule; JSON pages, or all of it as CSV with `Accept: text/csv`
/// (`?dialect=da`). Cells a spreadsheet would run as formulas are written as text.
#[utoipa::path(tag = "imports", params(("id" = String, Path), IssuesQuery), security(("bearer" = [])), responses(
    (status = 200, description = "A page of issues as JSON, or all of them as CSV with `Accept: text/csv`",
        content((IssueList = "application/json"), (String = "text/csv"))),
    IssuesProblems,
))]
#[get("/v1/imports/{id}/errors")]
pub async fn import_errors(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    q: web::Query<IssuesQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let q = q.into_inner();
    let severity = match q.severity.as_deref() {
        None | Some("error") => Some("error"),
        Some("warning") => Some("warning"),
        Some("all") => None,
        Some(_) => {
            return Err(ApiError::bad_request(
                Code::InvalidQuery,
                "severity is error, warning or all",
            ))
        }
    };
    if q.dialect.as_deref().is_some_and(|d| d != "da" && d != "en") {
        return Err(ApiError::bad_request(
            Code::InvalidQuery,
            "dialect is da or en",
        ));
    }
    let n = q.limit.unwrap_or(500);
    let after = q.after.unwrap_or(0);
    if !(1..=1000).contains(&n) || after < 0 {
        return Err(ApiError::bad_request(
            Code::InvalidQuery,
            "limit is 1-1000 and after is 0 or more",
        ));
    }
    let wants_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        let danish = q.dialect.as_deref() == Some("da");
        let body = blocking(move || {
            let mut all = vec![];
            let mut after = 0;
            loop {
                let page = l.import_issues(&auth.0, &id, severity, after, 1000)?;
                let full = page.len() == 1000;
                after = page.last().map(|i| i.n).unwrap_or(after);
                all.extend(page);
                if !full {
                    break;
                }
            }
            Ok(ledger::import::report::csv(&all, danish)?)
        })
        .await?;
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .body(body));
    }
    let items = blocking(move || l.import_issues(&auth.0, &id, severity, after, n)).await?;
    let next = (items.len() as i64 == n)
        .then(|| items.last().map(|i| i.n))
        .flatten();
    Ok(HttpResponse::Ok().json(IssueList { items, next }))
}
