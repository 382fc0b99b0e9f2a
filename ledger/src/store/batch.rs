//! Many entries in one transaction, for bulk work (payroll runs): each entry's shape checked, the
//! period fence taken once, the accounts locked once in id order, every constraint checked on the
//! running totals in entry order, one running-total update per account, and bulk inserts (COPY on
//! PostgreSQL) of entries sealed here (see `Sealing`), so the sealer never rereads or rewrites them.
//! Lock order: the period fence, the sealer's lock, then the accounts in id order.
//! All or nothing, like a single entry.
use super::journal::{EntryRow, PostingRow};
use super::schema::{journal_entries, postings};
use super::{accounts, new_id, now, periods, DbConnection};
use crate::context::Ctx;
use crate::error::Result;
use bookkeeping::account::{check_constraint, unknown_in_postings, Locked};
use bookkeeping::{entry, period, NewEntry};
use diesel::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Books `entries` in the caller's transaction; returns their ids, in order.
pub fn post_batch(conn: &mut DbConnection, ctx: &Ctx, entries: &[NewEntry]) -> Result<Vec<String>> {
    post_batch_guarded(conn, ctx, entries, |_| Ok(()))
}

/// The same, after `guard` has accepted every account the batch touches, read under its lock
/// (as `journal::post_guarded` does for one entry).
pub fn post_batch_guarded(
    conn: &mut DbConnection,
    ctx: &Ctx,
    entries: &[NewEntry],
    guard: impl Fn(&[Locked]) -> bookkeeping::Result<()>,
) -> Result<Vec<String>> {
    let ids = entries.iter().map(|_| new_id()).collect();
    post_batch_as(conn, ctx, entries, ids, Sealing::Now, guard)
}

/// Whether a batch numbers and hashes its entries itself, or leaves them to the sealer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealing {
    /// In the batch's transaction, under the sealer's lock: for a transaction that ends soon
    /// after it posts (the lock keeps every other entry of the municipality unsealed meanwhile).
    Now,
    /// By the sealer after the commit: for a long transaction (an import's vouchers, followed
    /// by its decisions), whose few entries the sealer handles easily.
    Later,
}

/// Books `entries` under ids the caller chose (an import writes its expense rows, which name
/// their voucher, before the vouchers' totals are known).
pub fn post_batch_as(
    conn: &mut DbConnection,
    ctx: &Ctx,
    entries: &[NewEntry],
    entry_ids: Vec<String>,
    sealing: Sealing,
    guard: impl Fn(&[Locked]) -> bookkeeping::Result<()>,
) -> Result<Vec<String>> {
    debug_assert_eq!(entries.len(), entry_ids.len());
    let m = ctx.municipality.as_str();
    for e in entries {
        entry::validate_entry(e)?;
    }
    if entries.is_empty() {
        return Ok(vec![]);
    }
    periods::fence_for_posting(conn, m)?;
    if sealing == Sealing::Now {
        super::chain::lock_for_sealing(conn, m)?;
    }
    let closed = periods::closed_through(conn, m)?;
    for e in entries {
        period::ensure_open(closed, e.effective_date)?;
    }
    let ids: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.postings.iter().map(|p| p.account_id.as_str()))
        .collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let rows = accounts::lock_many(conn, m, &ids)?;
    let mut locked: BTreeMap<String, (Locked, Locked)> = BTreeMap::new();
    for r in &rows {
        let l = r.locked()?;
        locked.insert(r.id.clone(), (l.clone(), l));
    }
    if let Some(missing) = ids.iter().find(|id| !locked.contains_key(**id)) {
        return Err(unknown_in_postings(missing).into());
    }
    let all: Vec<Locked> = locked.values().map(|(before, _)| before.clone()).collect();
    guard(&all)?;
    // The constraints hold after every entry, in order, not only on the batch's net effect; a
    // refusal names the entry by its place in the batch.
    for (n, e) in entries.iter().enumerate() {
        let at = |err: bookkeeping::Error| {
            let detail = format!("entry {n}: {}", err.detail);
            bookkeeping::Error { detail, ..err }
        };
        for (id, debit, credit) in entry::totals_by_account(&e.postings) {
            let (_, after) = locked
                .get_mut(&id)
                .ok_or_else(|| unknown_in_postings(&id))?;
            after.debits = after
                .debits
                .checked_add(debit)
                .ok_or_else(|| too_large(&id))?;
            after.credits = after
                .credits
                .checked_add(credit)
                .ok_or_else(|| too_large(&id))?;
            check_constraint(after).map_err(at)?;
        }
    }
    for (id, (before, after)) in &locked {
        accounts::add_totals(
            conn,
            m,
            id,
            after.debits - before.debits,
            after.credits - before.credits,
        )?;
    }
    let created_at = now();
    let mut entry_rows = Vec::with_capacity(entries.len());
    let mut posting_rows = vec![];
    for (e, id) in entries.iter().zip(entry_ids) {
        for (i, p) in e.postings.iter().enumerate() {
            posting_rows.push(PostingRow {
                entry_id: id.clone(),
                line_no: i as i32 + 1,
                municipality: ctx.municipality.clone(),
                account_id: p.account_id.clone(),
                effective_date: e.effective_date,
                debit: p.debit.ore(),
                credit: p.credit.ore(),
            });
        }
        entry_rows.push(EntryRow {
            id,
            municipality: ctx.municipality.clone(),
            kind: e.kind.as_str().to_string(),
            effective_date: e.effective_date,
            description: e.description.clone(),
            reverses: e.reverses.clone(),
            source_type: e.source_type.clone(),
            source_id: e.source_id.clone(),
            created_by: ctx.sub.clone(),
            created_role: ctx.role.as_str().to_string(),
            request_id: ctx.request_id.clone(),
            created_at,
            seq: None,
            hash: None,
            client_request_id: ctx.client_request_id.clone(),
        });
    }
    if sealing == Sealing::Now {
        super::chain::seal_new(conn, m, &mut entry_rows, &posting_rows)?;
    }
    match conn {
        // COPY in binary: PostgreSQL's bulk path, one stream per table instead of statements
        // of thousands of bound parameters to parse and plan.
        DbConnection::Pg(pg) => {
            diesel::copy_from(journal_entries::table)
                .from_insertable(&entry_rows)
                .execute(pg)?;
            diesel::copy_from(postings::table)
                .from_insertable(&posting_rows)
                .execute(pg)?;
        }
        DbConnection::Sqlite(lite) => {
            super::insert_chunked!(lite, journal_entries::table, &entry_rows, 64);
            super::insert_chunked!(lite, postings::table, &posting_rows, 128);
        }
    }
    Ok(entry_rows.into_iter().map(|r| r.id).collect())
}

fn too_large(account_id: &str) -> bookkeeping::Error {
    bookkeeping::Error::field(
        bookkeeping::Code::AccountTotalTooLarge,
        "postings",
        format!("the running totals of account {account_id} would pass what the ledger holds (64-bit øre); nothing was booked"),
    )
}
