//! Exports for controllers: the journal as plain-text books that hledger and beancount check
//! themselves.
use super::query;
use crate::extract::auth::Auth;
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use ledger::read::plain_books::{self, Format};
use ledger::Ledger;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(journal_export);
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
    let (from, to) = (q.from, q.to);
    let text = query(l, auth, move |tx, c| {
        plain_books::export(tx, c, format, from, to)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .body(text))
}
