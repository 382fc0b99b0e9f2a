//! Journal entries with their postings and reversal links.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::journal::{self, Stored};
use crate::store::{StoreResult, Tx};
use bookkeeping::{Code, EntryKind, Error, Money};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use crate::store::journal::EntryFilter;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, utoipa::ToSchema)]
pub struct Posting {
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debit: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Money>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct JournalEntry {
    pub id: String,
    /// The voucher number: gapless per municipality, from 1, in the order entries were sealed.
    /// Null for a moment after booking, until the sealer has numbered the entry (within a second).
    #[schema(example = 42)]
    pub seq: Option<i64>,
    pub kind: EntryKind,
    pub effective_date: NaiveDate,
    pub description: String,
    pub postings: Vec<Posting>,
    /// The entry this one reverses.
    pub reverses: Option<String>,
    /// The entry that reversed this one.
    pub reversed_by: Option<String>,
    /// What caused the entry (e.g. `expense` and its id).
    pub source_type: Option<String>,
    pub source_id: Option<String>,
    /// The token subject that booked it.
    pub created_by: String,
    /// The role it was booked under.
    pub created_role: String,
    /// The server's id of the request that booked it.
    pub request_id: String,
    /// The caller's own `X-Request-Id`, if it sent one.
    #[serde(default)]
    #[schema(example = "payroll-batch-2025-03-17")]
    pub client_request_id: Option<String>,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
    /// SHA-256 over the entry's voucher number and content and the previous entry's hash;
    /// null until sealed.
    #[schema(example = "3f1c2d4e5f60a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6")]
    pub hash: Option<String>,
}

pub fn view(s: Stored) -> StoreResult<JournalEntry> {
    let kind = s.entry.kind()?;
    let e = s.entry;
    Ok(JournalEntry {
        id: e.id,
        kind,
        effective_date: e.effective_date,
        description: e.description,
        postings: s
            .postings
            .into_iter()
            .map(|p| Posting {
                account_id: p.account_id,
                debit: (p.debit > 0).then(|| Money::from_ore(p.debit)),
                credit: (p.credit > 0).then(|| Money::from_ore(p.credit)),
            })
            .collect(),
        reverses: e.reverses,
        reversed_by: s.reversed_by,
        source_type: e.source_type,
        source_id: e.source_id,
        created_by: e.created_by,
        created_role: e.created_role,
        request_id: e.request_id,
        client_request_id: e.client_request_id,
        created_at: e.created_at,
        seq: e.seq,
        hash: e.hash,
    })
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::JournalEntryNotFound, "journal entry", id)
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<JournalEntry> {
    let s = journal::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    Ok(for_reader(ctx, view(s)?))
}

/// An entry as this reader may see it. The ledger's own text is generated (ids, kinds,
/// categories and codes); what a caller wrote (a manual entry's description, its own
/// `X-Request-Id`) is kept with the entry and its hash, but a payroll firm, which reads the
/// ledger and no family data, sees a generated description and no client request id.
pub fn for_reader(ctx: &Ctx, mut e: JournalEntry) -> JournalEntry {
    if !ctx.role.reads_family_data() {
        e.client_request_id = None;
        if matches!(e.kind, EntryKind::Manual) || e.reverses.is_some() {
            e.description = format!("{} entry {}", e.kind.as_str(), e.id);
        }
    }
    e
}

pub fn list(tx: &mut Tx, ctx: &Ctx, f: &EntryFilter) -> Result<Vec<JournalEntry>> {
    Ok(journal::list(tx, &ctx.municipality, f)?
        .into_iter()
        .map(|s| view(s).map(|e| for_reader(ctx, e)))
        .collect::<StoreResult<_>>()?)
}
