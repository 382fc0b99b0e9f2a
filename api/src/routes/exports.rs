//! Exports for controllers: the journal as plain-text books that hledger and beancount check
//! themselves.
use super::query;
use super::{blocking, stream_query, with_etag};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::if_match_of;
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::header;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::change_mappings::{ChangeMappings, Mapping};
use ledger::read::general_ledger::{self as gl, GlPage};
use ledger::read::mappings::{self, Mappings};
use ledger::read::plain_books::{self, Format};
use ledger::Ledger;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(journal_export)
        .service(general_ledger)
        .service(get_mappings)
        .service(put_mappings);
}

#[derive(Deserialize, IntoParams)]
pub struct JournalExportQuery {
    /// `hledger` or `beancount`.
    #[param(pattern = "^(hledger|beancount)$")]
    pub format: String,
    /// The first day (entries dated from it; earlier entries become opening balances).
    pub from: Option<NaiveDate>,
    /// The last day.
    pub to: Option<NaiveDate>,
}

problems!(JournalExportProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
    422 => [TotalTooLarge],
});

/// The journal as plain-text books (roles `controller`, `finance`), in hledger's or beancount's
/// own syntax: every account declared by code and name with its type, `DKK` declared, one
/// transaction per sealed entry in date order with its voucher number (`seq`) as the code and its
/// kind, entry and source as tags/metadata, and opening balances as of `from` when earlier
/// entries exist. `hledger check -s` and `bean-check` accept it, and their balances equal the
/// trial balance.
#[utoipa::path(tag = "ledger", params(JournalExportQuery), security(("bearer" = [])), responses(
    (status = 200, description = "The books", content_type = "text/plain", body = String),
    JournalExportProblems,
))]
#[get("/v1/exports/journal")]
pub async fn journal_export(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<JournalExportQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let format = Format::parse(&q.format).ok_or_else(|| {
        ApiError::bad_request(ledger::Code::InvalidQuery, "format is hledger or beancount")
    })?;
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if f > t {
            return Err(ApiError::bad_request(
                ledger::Code::InvalidQuery,
                "from is on or before to",
            ));
        }
    }
    let span = (q.from, q.to);
    query(l.clone(), Auth(auth.0.clone()), |_, c| {
        plain_books::check(c)
    })
    .await?;
    Ok(stream_query(
        l,
        auth,
        "text/plain; charset=utf-8",
        move |tx, c, out| plain_books::export(tx, c, format, span, &mut |s| out(s.into_bytes())),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct GeneralLedgerQuery {
    /// Entries dated from this day.
    pub from: Option<NaiveDate>,
    /// Entries dated up to this day.
    pub to: Option<NaiveDate>,
    /// Only entries with a voucher number above this one (the previous page's
    /// `next_after_seq`): an incremental export neither misses nor repeats an entry.
    #[param(minimum = 0)]
    pub after_seq: Option<i64>,
    /// JSON: entries per page, 1-1000 (default 500); CSV carries every line after `after_seq`.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// CSV: `da` for `;`, decimal commas and a UTF-8 byte-order mark.
    #[param(pattern = "^(da|en)$")]
    pub dialect: Option<String>,
}

problems!(GeneralLedgerProblems {
    400 => [InvalidQuery],
    403 => [Forbidden],
    422 => [UnmappedAccounts, TotalTooLarge],
});

/// The general ledger for the ERP (roles `controller`, `finance`, `admin`): every posting of a
/// sealed entry on a financial account, mapped to the authorised chart of accounts (function,
/// dranst, art), in voucher order, balanced per date; payout lines carry the personbogføring
/// fields (`recipient_ref`, `benefit_type`): a payment's amount to families split per payable, a
/// payroll run's per line. Paged by voucher number (`after_seq`); JSON, or CSV with
/// `Accept: text/csv`. An account with postings that is not mapped refuses the export
/// (`unmapped_accounts`, listing them). The same request gives the same bytes.
#[utoipa::path(tag = "ledger", params(GeneralLedgerQuery), security(("bearer" = [])), responses(
    (status = 200, description = "A page as JSON, or every line after `after_seq` as CSV with `Accept: text/csv`",
        content((GlPage = "application/json"), (String = "text/csv"))),
    GeneralLedgerProblems,
))]
#[get("/v1/exports/general-ledger")]
pub async fn general_ledger(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    q: web::Query<GeneralLedgerQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let limit = q.limit.unwrap_or(500);
    let after = q.after_seq.unwrap_or(0);
    if !(1..=1000).contains(&limit) || after < 0 {
        return Err(ApiError::bad_request(
            ledger::Code::InvalidQuery,
            "limit is 1-1000 and after_seq is 0 or more",
        ));
    }
    if q.dialect.as_deref().is_some_and(|d| d != "da" && d != "en") {
        return Err(ApiError::bad_request(
            ledger::Code::InvalidQuery,
            "dialect is da or en",
        ));
    }
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if f > t {
            return Err(ApiError::bad_request(
                ledger::Code::InvalidQuery,
                "from is on or before to",
            ));
        }
    }
    let span = (q.from, q.to);
    let wants_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if wants_csv {
        let danish = q.dialect.as_deref() == Some("da");
        query(l.clone(), Auth(auth.0.clone()), gl::check).await?;
        return Ok(stream_query(
            l,
            auth,
            "text/csv; charset=utf-8",
            move |tx, c, out| gl::stream_csv(tx, c, span, after, danish, out),
        ));
    }
    let page = query(l, auth, move |tx, c| gl::page(tx, c, span, after, limit)).await?;
    Ok(HttpResponse::Ok().json(page))
}

problems!(GetMappingsProblems {
    403 => [Forbidden],
});

/// The account mapping in force and every earlier version (roles `controller`, `admin`,
/// `finance`), with `ETag` = its version.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses((status = 200, body = Mappings), GetMappingsProblems))]
#[get("/v1/account-mappings")]
pub async fn get_mappings(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let m = query(l, auth, mappings::get).await?;
    let v = m.version;
    Ok(with_etag(HttpResponse::Ok().json(m), v))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingInput {
    #[schema(example = "5110", min_length = 1, max_length = 100)]
    pub account_code: String,
    /// The function, `d.dd.dd`.
    #[schema(example = "5.28.21", pattern = "^[0-9]\\.[0-9]{2}\\.[0-9]{2}$")]
    pub function: String,
    /// The dranst, one digit.
    #[schema(example = "1", pattern = "^[0-9]$")]
    pub dranst: String,
    /// The art, `d.d`.
    #[schema(example = "5.2", pattern = "^[0-9]\\.[0-9]$")]
    pub art: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mappings": [{"account_code": "5110", "function": "5.28.21", "dranst": "1", "art": "5.2"}]}))]
pub struct MappingsInput {
    /// The whole mapping: every account the export needs, each once.
    #[schema(min_items = 1, max_items = 1000)]
    pub mappings: Vec<MappingInput>,
}

problems!(PutMappingsProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidIfMatch],
    408 => [RequestTimeout],
    403 => [Forbidden],
    412 => [VersionMismatch],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidAccountMapping],
    428 => [PreconditionRequired],
});

/// Map the ledger's accounts to the authorised chart of accounts (roles `controller`, `admin`;
/// `If-Match` with the mapping's ETag, `"0"` before the first): a whole new version, with who and
/// when; each field checked by form (function `d.dd.dd`, dranst `d`, art `d.d`), each account
/// once, no budget memo account.
#[utoipa::path(tag = "ledger", params(("If-Match" = String, Header, description = "The mapping's ETag")), request_body = MappingsInput, security(("bearer" = [])), responses(
    (status = 200, body = Mappings),
    PutMappingsProblems,
))]
#[put("/v1/account-mappings")]
pub async fn put_mappings(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<MappingsInput>,
) -> ApiResult<HttpResponse> {
    let version = if_match_of(&req, "the account mapping's")?;
    let cmd = ChangeMappings {
        mappings: body
            .value
            .mappings
            .into_iter()
            .map(|m| Mapping {
                account_code: m.account_code,
                function: m.function,
                dranst: m.dranst,
                art: m.art,
            })
            .collect(),
        if_match: version,
    };
    let m = blocking(move || l.execute(&auth.0, &cmd)).await?;
    let v = m.version;
    Ok(with_etag(HttpResponse::Ok().json(m), v))
}
