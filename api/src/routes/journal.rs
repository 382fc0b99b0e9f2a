//! Journal entries: book by hand, list, read, reverse.
use super::{blocking, next_cursor, query, recorded};
use crate::extract::auth::Auth;
use crate::extract::body::{JsonBody, OptionalJsonBody, MAX_BULK_BODY};
use crate::extract::{idempotency_key, limit};
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::post_entries::{BatchPosted, PostEntries};
use ledger::commands::post_manual_entry::{lines_from_sides, EntryKind, NewEntry, PostManualEntry};
use ledger::commands::reverse_entry::ReverseEntry as Reverse;
use ledger::read::journal::{self, EntryFilter, JournalEntry};
use ledger::{Code, Ledger, Money, Recorded};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(post_entry)
        .service(post_journal_batch)
        .service(list_entries)
        .service(get_entry)
        .service(reverse_entry);
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
    #[schema(min_length = 1, max_length = 500)]
    pub description: String,
    #[schema(min_items = 2, max_items = 200)]
    pub postings: Vec<PostingInput>,
}

impl TryFrom<PostEntry> for PostManualEntry {
    type Error = ApiError;
    fn try_from(b: PostEntry) -> ApiResult<Self> {
        let sides = b
            .postings
            .into_iter()
            .map(|p| (p.account_id, p.debit, p.credit));
        let mut entry = NewEntry::new(EntryKind::Manual, b.effective_date, b.description);
        entry.postings = lines_from_sides(sides.collect())?;
        Ok(PostManualEntry { entry })
    }
}

problems!(PostEntryProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidAmount, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [AccountNotFound],
    409 => [IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, UnbalancedEntry, TooFewPostings, TooManyPostings, InvalidPosting, InvalidDescription, InvalidAmount, AccountNotFound, BalanceConstraintViolated, PeriodClosed, BudgetAccountsNotManual, AccountManagedByDecisions, CprNumberNotAllowed, AccountTotalTooLarge],
});

/// Book a manual journal entry (roles `finance`, `admin`). Needs an `Idempotency-Key`.
#[utoipa::path(tag = "ledger", request_body = PostEntry, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Unique per intended entry; a replay returns the first response")),
    responses(
    (status = 201, body = JournalEntry),
    (status = 200, description = "Idempotent replay: the entry booked the first time", body = JournalEntry),
    PostEntryProblems,
))]
#[post("/v1/journal-entries")]
pub async fn post_entry(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<PostEntry>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let cmd = PostManualEntry::try_from(body.value)?;
    let (l2, ctx) = (l.clone(), auth.0.clone());
    let r = blocking(move || l.post_entry_grouped(&auth.0, &key, &cmd)).await?;
    Ok(recorded(as_sealed(l2, ctx, r).await?, StatusCode::CREATED))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = JournalEntryBatch)]
pub struct BatchBody {
    /// 1 to 10,000 entries, each as for `POST /v1/journal-entries`; booked all or nothing.
    #[schema(min_items = 1, max_items = 10000)]
    pub entries: Vec<PostEntry>,
}

problems!(PostBatchProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidAmount, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [AccountNotFound],
    409 => [IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidValue, UnbalancedEntry, TooFewPostings, TooManyPostings, InvalidPosting, InvalidDescription, InvalidAmount, AccountNotFound, BalanceConstraintViolated, PeriodClosed, BudgetAccountsNotManual, AccountManagedByDecisions, CprNumberNotAllowed, AccountTotalTooLarge],
});

/// Book up to 10,000 manual entries at once (roles `finance`, `admin`; one `Idempotency-Key`),
/// all or nothing: each entry obeys what a single manual entry obeys, the accounts' constraints
/// hold after every entry in the order sent, and a refusal names the entry (`entries[n]`).
/// Answers with the entries' ids in order; the sealer gives them voucher numbers after commit.
#[utoipa::path(tag = "ledger", request_body = BatchBody, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "One key for the whole batch")),
    responses(
    (status = 201, body = BatchPosted),
    (status = 200, description = "Idempotent replay: the batch booked the first time", body = BatchPosted),
    PostBatchProblems,
))]
#[post("/v1/journal-entries/batch")]
pub async fn post_journal_batch(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    body: JsonBody<BatchBody, MAX_BULK_BODY>,
) -> ApiResult<HttpResponse> {
    let key = idempotency_key(&req, &body.fingerprint)?;
    let mut entries = Vec::with_capacity(body.value.entries.len());
    for (n, e) in body.value.entries.into_iter().enumerate() {
        let one = PostManualEntry::try_from(e).map_err(|x| match x.0 {
            ledger::Error::Refused(mut r) => {
                r.detail = format!("entry {n}: {}", r.detail);
                ApiError(ledger::Error::Refused(r))
            }
            other => ApiError(other),
        })?;
        entries.push(one.entry);
    }
    let cmd = PostEntries { entries };
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(r, StatusCode::CREATED))
}

/// A replay answers with the entry as it stands now: the same entry, with the voucher number and
/// hash the sealer gave it after the first response was recorded.
async fn as_sealed(
    l: web::Data<Ledger>,
    ctx: ledger::context::Ctx,
    mut r: Recorded<JournalEntry>,
) -> ApiResult<Recorded<JournalEntry>> {
    if r.replayed && r.value.seq.is_none() {
        let id = r.value.id.clone();
        r.value = blocking(move || l.query(&ctx, |tx| journal::get(tx, &ctx, &id))).await?;
    }
    Ok(r)
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

    /// Page size, 1-500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Cursor by id: the `next` of the previous page.
    pub after: Option<String>,
    /// Cursor by voucher number: only sealed entries with a higher `seq`, in `seq` order. A
    /// client paging this way never misses an entry, however entries commit.
    #[param(minimum = 0)]
    pub after_seq: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryPage {
    pub items: Vec<JournalEntry>,
    /// Cursor for `after`; null on the last page.
    pub next: Option<String>,
    /// Cursor for `after_seq` (when paging by `after_seq`); null on the last page.
    #[schema(example = 50)]
    pub next_seq: Option<i64>,
}

impl TryFrom<EntryQuery> for EntryFilter {
    type Error = ApiError;
    fn try_from(q: EntryQuery) -> ApiResult<Self> {
        if q.after_seq.is_some_and(|s| s < 0) {
            return Err(ApiError::bad_request(
                Code::InvalidQuery,
                "after_seq is 0 or more",
            ));
        }
        if let (Some(f), Some(t)) = (q.from, q.to) {
            if f > t {
                return Err(ApiError::bad_request(
                    Code::InvalidQuery,
                    "from must not be after to",
                ));
            }
        }
        Ok(EntryFilter {
            account_id: q.account_id,
            from: q.from,
            to: q.to,
            kind: q.kind,
            source_id: q.source_id,
            after: q.after,
            after_seq: q.after_seq,
            limit: limit(q.limit)?,
        })
    }
}

problems!(ListEntriesProblems {
    400 => [InvalidQuery],
});

/// List journal entries in booking order, with cursor pagination.
#[utoipa::path(tag = "ledger", params(EntryQuery), security(("bearer" = [])), responses((status = 200, body = EntryPage), ListEntriesProblems))]
#[get("/v1/journal-entries")]
pub async fn list_entries(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<EntryQuery>,
) -> ApiResult<HttpResponse> {
    let f = EntryFilter::try_from(q.into_inner())?;
    let (lim, by_seq) = (f.limit, f.after_seq.is_some());
    let items = query(l, auth, move |tx, c| journal::list(tx, c, &f)).await?;
    let next = next_cursor(&items, lim, |e| e.id.clone());
    let next_seq = match by_seq {
        true => next_cursor(&items, lim, |e| e.seq.unwrap_or_default().to_string())
            .and_then(|s| s.parse().ok()),
        false => None,
    };
    Ok(HttpResponse::Ok().json(EntryPage {
        items,
        next,
        next_seq,
    }))
}

problems!(GetEntryProblems {
    404 => [JournalEntryNotFound],
});

/// One journal entry with its postings and reversal links.
#[utoipa::path(tag = "ledger", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = JournalEntry),
    GetEntryProblems,
))]
#[get("/v1/journal-entries/{id}")]
pub async fn get_entry(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let e = query(l, auth, move |tx, c| journal::get(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(e))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Booked on the wrong account"}))]
pub struct ReverseEntry {
    /// Default: the original's date, or the first open date when that is closed.
    pub effective_date: Option<NaiveDate>,
    #[schema(min_length = 1, max_length = 500)]
    pub description: Option<String>,
}

problems!(ReverseEntryProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, IdempotencyKeyRequired, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [JournalEntryNotFound],
    409 => [AlreadyReversed, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, PeriodClosed, BalanceConstraintViolated, EntryNotManuallyReversible, CprNumberNotAllowed],
});

/// Reverse an entry (roles `finance`, `admin`; `Idempotency-Key`). An entry is reversed at most once.
#[utoipa::path(tag = "ledger", request_body(content = Option<ReverseEntry>, description = "Optional"), security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = String, Header)),
    responses(
    (status = 201, description = "The reversal entry", body = JournalEntry),
    (status = 200, description = "Idempotent replay", body = JournalEntry),
    ReverseEntryProblems,
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
    let (effective_date, description) = body
        .value
        .map(|b| (b.effective_date, b.description))
        .unwrap_or_default();
    let cmd = Reverse {
        entry_id: id.into_inner(),
        effective_date,
        description,
    };
    let (l2, ctx) = (l.clone(), auth.0.clone());
    let r = blocking(move || l.execute_once(&auth.0, &key, 201, &cmd)).await?;
    Ok(recorded(as_sealed(l2, ctx, r).await?, StatusCode::CREATED))
}
