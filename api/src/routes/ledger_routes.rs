//! The ledger over REST: accounts, journal entries, reversals, periods, trial balance, verify.
use super::{blocking, idempotency_key, limit, recorded};
use crate::auth::Auth;
use crate::body::{JsonBody, OptionalJsonBody};
use crate::problem::{ApiError, ApiResult, Problem};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::book::{AccountKind, BalanceConstraint, EntryKind, NewEntry, PostingLine};
use ledger::service::{TrialBalance, VerifyReport};
use ledger::store::accounts::{Account, AccountFilter, NewAccount};
use ledger::store::journal::{EntryFilter, JournalEntry};
use ledger::store::periods::PeriodClose;
use ledger::{Ledger, Money};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_accounts)
        .service(get_account)
        .service(create_account)
        .service(post_entry)
        .service(list_entries)
        .service(get_entry)
        .service(reverse_entry)
        .service(close_period)
        .service(list_periods)
        .service(trial_balance)
        .service(verify);
}

#[derive(Deserialize, IntoParams)]
pub struct AccountQuery {
    /// Only accounts of this kind.
    pub kind: Option<AccountKind>,
    /// Only the account with this code.
    pub code: Option<String>,
    /// Only accounts owned by this id (e.g. a budget post).
    pub owner: Option<String>,
    /// Page size, 1-500 (default 50).
    pub limit: Option<i64>,
    /// Cursor: the `next` of the previous page.
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AccountPage {
    pub items: Vec<Account>,
    /// Cursor for the next page; null on the last page.
    pub next: Option<String>,
}

/// List the municipality's accounts, ordered by code.
#[utoipa::path(tag = "ledger", params(AccountQuery), security(("bearer" = [])), responses(
    (status = 200, body = AccountPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
#[get("/v1/accounts")]
pub async fn list_accounts(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<AccountQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let f = AccountFilter {
        kind: q.kind,
        code: q.code,
        owner: q.owner,
        after: q.after,
        limit: limit(q.limit)?,
    };
    let lim = f.limit as usize;
    let items = blocking(move || l.accounts(&auth.0, &f)).await?;
    let next = (items.len() == lim)
        .then(|| items.last().map(|a| a.code.clone()))
        .flatten();
    Ok(HttpResponse::Ok().json(AccountPage { items, next }))
}

#[derive(Deserialize, IntoParams)]
pub struct AsOfQuery {
    /// Balance from postings with effective date on or before this date.
    pub as_of: Option<NaiveDate>,
}

/// One account with its totals and balance, optionally as of a date.
#[utoipa::path(tag = "ledger", params(("id" = String, Path), AsOfQuery), security(("bearer" = [])), responses(
    (status = 200, body = Account),
    (status = 404, description = "No such account in the token's municipality", body = Problem, content_type = "application/problem+json"),
))]
#[get("/v1/accounts/{id}")]
pub async fn get_account(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    q: web::Query<AsOfQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let as_of = q.as_of;
    let a = blocking(move || l.account(&auth.0, &id, as_of)).await?;
    Ok(HttpResponse::Ok().json(a))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "1010", "name": "Bank, payroll account", "kind": "asset", "constraint": "credits_must_not_exceed_debits"}))]
pub struct CreateAccount {
    /// Unique per municipality: letters, digits, `.`, `-`, `_`; at most 32 characters.
    #[schema(example = "1010")]
    pub code: String,
    #[schema(example = "Bank, payroll account")]
    pub name: String,
    pub kind: AccountKind,
    /// Default `none`.
    #[serde(default)]
    pub constraint: Option<BalanceConstraint>,
    pub owner: Option<String>,
    pub parent_id: Option<String>,
}

/// Open an account (roles `finance`, `admin`).
#[utoipa::path(tag = "ledger", request_body = CreateAccount, security(("bearer" = [])), responses(
    (status = 201, body = Account),
    (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Role may not open accounts", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`account_code_taken`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`invalid_account_code`, `invalid_name`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/accounts")]
pub async fn create_account(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<CreateAccount>,
) -> ApiResult<HttpResponse> {
    let b = body.value;
    let code_ok = !b.code.is_empty()
        && b.code.len() <= 32
        && b.code
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
    if !code_ok {
        return Err(ledger::Error::field(
            "invalid_account_code",
            "code",
            "an account code is 1-32 letters, digits, '.', '-' or '_'",
        )
        .into());
    }
    if b.name.trim().is_empty() || b.name.chars().count() > 200 {
        return Err(ledger::Error::field(
            "invalid_name",
            "name",
            "an account name is 1-200 characters",
        )
        .into());
    }
    if b.kind == AccountKind::Budget || b.code.to_ascii_uppercase().starts_with("BP-") {
        return Err(ledger::Error::field(
            "budget_accounts_by_decision",
            "kind",
            "budget accounts (and the BP- codes) are opened by budget decisions, not by hand",
        )
        .into());
    }
    for (field, text) in [("name", Some(&b.name)), ("owner", b.owner.as_ref())] {
        if let Some(t) = text {
            ledger::domain::cases::reject_cpr_in_text(field, t)?;
        }
    }
    let a = NewAccount {
        code: b.code,
        name: b.name,
        kind: b.kind,
        constraint: b.constraint.unwrap_or(BalanceConstraint::None),
        owner: b.owner,
        parent_id: b.parent_id,
    };
    let acc = blocking(move || l.create_account(&auth.0, &a)).await?;
    Ok(super::created(&acc))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostingInput {
    pub account_id: String,
    /// Exactly one of `debit` and `credit`.
    pub debit: Option<Money>,
    pub credit: Option<Money>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "effective_date": "2025-03-01",
    "description": "Opening balance of the bank account",
    "postings": [
        {"account_id": "01936f3e-7c5a-7b1e-9a51-3f1c2d4e5f60", "debit": "1000.00"},
        {"account_id": "01936f3e-7c5a-7b1e-9a51-3f1c2d4e5f61", "credit": "1000.00"}
    ]
}))]
pub struct PostEntry {
    pub effective_date: NaiveDate,
    pub description: String,
    pub postings: Vec<PostingInput>,
}

fn lines(postings: Vec<PostingInput>) -> ApiResult<Vec<PostingLine>> {
    let mut err: Option<ledger::Error> = None;
    let mut out = Vec::with_capacity(postings.len());
    for (i, p) in postings.into_iter().enumerate() {
        match (p.debit, p.credit) {
            (Some(d), None) => out.push(PostingLine::debit(p.account_id, d)),
            (None, Some(c)) => out.push(PostingLine::credit(p.account_id, c)),
            _ => {
                let field = format!("postings[{i}]");
                let msg = "a posting has exactly one of debit or credit";
                err = Some(match err {
                    None => ledger::Error::field("invalid_posting", &field, msg),
                    Some(e) => e.with_field(&field, msg),
                });
            }
        }
    }
    match err {
        Some(e) => Err(e.into()),
        None => Ok(out),
    }
}

/// Book a manual journal entry (roles `finance`, `admin`). Needs an `Idempotency-Key`.
#[utoipa::path(tag = "ledger", request_body = PostEntry, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Unique per intended entry; a replay returns the first response")),
    responses(
    (status = 201, body = JournalEntry),
    (status = 200, description = "Idempotent replay: the entry booked the first time", body = JournalEntry),
    (status = 400, description = "`invalid_json`, `unknown_field`, `missing_field`, `invalid_value`, `invalid_amount`, `idempotency_key_required`, `invalid_idempotency_key`", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "`account_not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "`payload_too_large`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`unbalanced_entry`, `too_few_postings`, `too_many_postings`, `invalid_posting`, `invalid_description`, `account_not_found`, `balance_constraint_violated`, `period_closed`, `budget_accounts_not_manual`, `account_managed_by_decisions`, `cpr_number_not_allowed`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/journal-entries")]
pub async fn post_entry(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<PostEntry>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let b = body.value;
    let mut entry = NewEntry::new(EntryKind::Manual, b.effective_date, b.description);
    entry.postings = lines(b.postings)?;
    let r = blocking(move || l.post_manual(&auth.0, &key, &entry)).await?;
    Ok(recorded(r))
}

#[derive(Deserialize, IntoParams)]
pub struct EntryQuery {
    /// Only entries with a posting on this account.
    pub account_id: Option<String>,
    /// Effective date from (inclusive).
    pub from: Option<NaiveDate>,
    /// Effective date to (inclusive).
    pub to: Option<NaiveDate>,
    pub kind: Option<EntryKind>,
    /// Only entries caused by this source (an expense, a payment…).
    pub source_id: Option<String>,
    pub limit: Option<i64>,
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryPage {
    pub items: Vec<JournalEntry>,
    pub next: Option<String>,
}

/// List journal entries in booking order, with cursor pagination.
#[utoipa::path(tag = "ledger", params(EntryQuery), security(("bearer" = [])), responses((status = 200, body = EntryPage)))]
#[get("/v1/journal-entries")]
pub async fn list_entries(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<EntryQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if f > t {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                "from must not be after to",
            ));
        }
    }
    let f = EntryFilter {
        account_id: q.account_id,
        from: q.from,
        to: q.to,
        kind: q.kind,
        source_id: q.source_id,
        after: q.after,
        limit: limit(q.limit)?,
    };
    let lim = f.limit as usize;
    let items = blocking(move || l.entries(&auth.0, &f)).await?;
    let next = (items.len() == lim)
        .then(|| items.last().map(|e| e.id.clone()))
        .flatten();
    Ok(HttpResponse::Ok().json(EntryPage { items, next }))
}

/// One journal entry with its postings and reversal links.
#[utoipa::path(tag = "ledger", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = JournalEntry),
    (status = 404, description = "`journal_entry_not_found`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/v1/journal-entries/{id}")]
pub async fn get_entry(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(blocking(move || l.entry(&auth.0, &id)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Booked on the wrong account"}))]
pub struct ReverseEntry {
    /// Default: the original's date, or the first open date when that is closed.
    pub effective_date: Option<NaiveDate>,
    pub description: Option<String>,
}

/// Reverse an entry (roles `finance`, `admin`; `Idempotency-Key`). An entry is reversed at most once.
#[utoipa::path(tag = "ledger", request_body(content = Option<ReverseEntry>, description = "Optional"), security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = String, Header)),
    responses(
    (status = 201, description = "The reversal entry", body = JournalEntry),
    (status = 200, description = "Idempotent replay", body = JournalEntry),
    (status = 404, description = "`journal_entry_not_found`", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`already_reversed`, `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`period_closed`, `balance_constraint_violated`, `entry_not_manually_reversible`, `cpr_number_not_allowed`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/journal-entries/{id}/reverse")]
pub async fn reverse_entry(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: OptionalJsonBody<ReverseEntry>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let (date, desc) = body
        .value
        .map(|b| (b.effective_date, b.description))
        .unwrap_or_default();
    let id = id.into_inner();
    let r = blocking(move || l.reverse(&auth.0, &key, &id, date, desc)).await?;
    Ok(recorded(r))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosePeriod {
    /// Close every date up to and including this one.
    #[schema(example = "2025-12-31")]
    pub through: NaiveDate,
}

/// Close the books through a date (role `controller`). A close cannot be undone.
#[utoipa::path(tag = "ledger", request_body = ClosePeriod, security(("bearer" = [])), responses(
    (status = 201, body = PeriodClose),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`period_already_closed`"),
    (status = 422, description = "`period_close_in_future`", body = Problem, content_type = "application/problem+json", body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/periods/close")]
pub async fn close_period(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<ClosePeriod>,
) -> ApiResult<HttpResponse> {
    let through = body.value.through;
    Ok(super::created(
        &blocking(move || l.close_period(&auth.0, through)).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Periods {
    /// Every date up to and including this one is closed; null when nothing is.
    pub closed_through: Option<NaiveDate>,
    pub closes: Vec<PeriodClose>,
}

/// The period closes so far.
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses((status = 200, body = Periods)))]
#[get("/v1/periods")]
pub async fn list_periods(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    let closes = blocking(move || l.periods(&auth.0)).await?;
    Ok(HttpResponse::Ok().json(Periods {
        closed_through: closes.iter().map(|c| c.through).max(),
        closes,
    }))
}

/// Every account's debit and credit totals; Σ debits = Σ credits.
#[utoipa::path(tag = "ledger", params(AsOfQuery), security(("bearer" = [])), responses((status = 200, body = TrialBalance)))]
#[get("/v1/trial-balance")]
pub async fn trial_balance(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<AsOfQuery>,
) -> ApiResult<HttpResponse> {
    let as_of = q.as_of;
    Ok(HttpResponse::Ok().json(blocking(move || l.trial_balance(&auth.0, as_of)).await?))
}

/// Recompute every running balance from the postings and report any difference (role `controller`).
#[utoipa::path(tag = "ledger", security(("bearer" = [])), responses(
    (status = 200, body = VerifyReport),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[post("/v1/ledger/verify")]
pub async fn verify(auth: Auth, l: web::Data<Ledger>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(blocking(move || l.verify(&auth.0)).await?))
}
