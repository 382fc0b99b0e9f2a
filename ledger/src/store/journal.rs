//! Journal entries and postings: the one way money moves.
use super::schema::{journal_entries, postings};
use super::{accounts, known, new_id, now, periods, stripes, DbConnection, StoreResult};
use crate::context::Ctx;
use crate::error::Result;
use bookkeeping::account::{check_constraint, unknown_in_postings, Locked};
use bookkeeping::{entry, period, EntryKind, Money, NewEntry, PostingLine};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = journal_entries)]
// NULL for None, not DEFAULT: SQLite can then take many rows in one INSERT (diesel inserts rows
// one by one when a row may hold DEFAULT).
#[diesel(treat_none_as_default_value = false)]
pub struct EntryRow {
    pub id: String,
    pub municipality: String,
    pub kind: String,
    pub effective_date: NaiveDate,
    pub description: String,
    pub reverses: Option<String>,
    pub source_type: Option<String>,
    pub source_id: Option<String>,
    pub created_by: String,
    pub created_role: String,
    pub request_id: String,
    pub created_at: NaiveDateTime,
    /// The voucher number: gapless per municipality, written once by the sealer.
    pub seq: Option<i64>,
    /// The entry's place in the hash chain, written with `seq`.
    pub hash: Option<String>,
    pub client_request_id: Option<String>,
}

impl EntryRow {
    pub fn kind(&self) -> StoreResult<EntryKind> {
        known(
            EntryKind::parse(&self.kind),
            "journal_entries.kind",
            &self.kind,
        )
    }
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = postings)]
// Every column written as given (none has a default): what COPY's binary rows require.
#[diesel(treat_none_as_default_value = false)]
pub struct PostingRow {
    pub entry_id: String,
    pub line_no: i32,
    pub municipality: String,
    pub account_id: String,
    pub effective_date: NaiveDate,
    pub debit: i64,
    pub credit: i64,
}

/// A booked entry as stored: the entry, its postings in order, and the entry reversing it.
#[derive(Clone, Debug)]
pub struct Stored {
    pub entry: EntryRow,
    pub postings: Vec<PostingRow>,
    pub reversed_by: Option<String>,
}

impl Stored {
    /// The entry as a reversal sees it.
    pub fn booked(&self) -> StoreResult<entry::Booked<'_>> {
        Ok(entry::Booked {
            id: &self.entry.id,
            kind: self.entry.kind()?,
            description: &self.entry.description,
            reversed_by: self.reversed_by.as_deref(),
            postings: self.lines(),
            source_type: self.entry.source_type.as_deref(),
            source_id: self.entry.source_id.as_deref(),
        })
    }

    pub fn lines(&self) -> Vec<PostingLine> {
        self.postings
            .iter()
            .map(|p| PostingLine {
                account_id: p.account_id.clone(),
                debit: Money::from_ore(p.debit),
                credit: Money::from_ore(p.credit),
            })
            .collect()
    }
}

/// Books an entry: shape rules, open period, accounts of this municipality, running totals and
/// their constraints, all in the caller's transaction. Any failure leaves nothing behind.
pub fn post(conn: &mut DbConnection, ctx: &Ctx, entry: &NewEntry) -> Result<Stored> {
    post_guarded(conn, ctx, entry, |_| Ok(()))
}

/// Books an entry after `guard` has accepted the accounts it touches, read under their locks.
/// The order is what makes it safe: the period fence, then the accounts locked in id order (the
/// order every writer uses), then every check on the locked rows, and only then the running totals
/// move, so the database's own CHECK on them is a backstop that no refusal ever reaches. Only
/// constrained accounts are locked on PostgreSQL: an unconstrained one has nothing to check, and
/// its totals move in one of its stripes (see `stripes`), so a hot account is no queue.
pub fn post_guarded(
    conn: &mut DbConnection,
    ctx: &Ctx,
    entry: &NewEntry,
    guard: impl Fn(&[Locked]) -> bookkeeping::Result<()>,
) -> Result<Stored> {
    let m = ctx.municipality.as_str();
    entry::validate_entry(entry)?;
    periods::fence_for_posting(conn, m)?;
    let totals = entry::totals_by_account(&entry.postings);
    let ids: Vec<&str> = totals.iter().map(|(id, _, _)| id.as_str()).collect();
    let rows = accounts::lock_for_posting(conn, m, &ids)?;
    let mut locked = Vec::with_capacity(totals.len());
    for (id, debit, credit) in &totals {
        let row = rows
            .iter()
            .find(|r| &r.id == id)
            .ok_or_else(|| unknown_in_postings(id))?;
        let mut after = row.locked()?;
        after.debits = after
            .debits
            .checked_add(*debit)
            .ok_or_else(|| too_large(id))?;
        after.credits = after
            .credits
            .checked_add(*credit)
            .ok_or_else(|| too_large(id))?;
        locked.push(after);
    }
    guard(&locked)?;
    for account in &locked {
        check_constraint(account)?;
    }
    period::ensure_open(periods::closed_through(conn, m)?, entry.effective_date)?;
    let mut striped = vec![];
    for (account_id, debit, credit) in &totals {
        let row = rows.iter().find(|r| &r.id == account_id);
        if row.is_some_and(|r| stripes::striped(conn, r)) {
            striped.push((account_id.as_str(), *debit, *credit));
        } else {
            accounts::add_totals(conn, m, account_id, *debit, *credit)?;
        }
    }
    stripes::add(conn, m, &striped)?;
    record(conn, ctx, entry)
}

fn too_large(account_id: &str) -> bookkeeping::Error {
    bookkeeping::Error::field(
        bookkeeping::Code::AccountTotalTooLarge,
        "postings",
        format!("the running totals of account {account_id} would pass what the ledger holds (64-bit øre); nothing was booked"),
    )
}

fn record(conn: &mut DbConnection, ctx: &Ctx, entry: &NewEntry) -> Result<Stored> {
    let id = new_id();
    let row = EntryRow {
        id: id.clone(),
        municipality: ctx.municipality.clone(),
        kind: entry.kind.as_str().to_string(),
        effective_date: entry.effective_date,
        description: entry.description.clone(),
        reverses: entry.reverses.clone(),
        source_type: entry.source_type.clone(),
        source_id: entry.source_id.clone(),
        created_by: ctx.sub.clone(),
        created_role: ctx.role.as_str().to_string(),
        request_id: ctx.request_id.clone(),
        created_at: now(),
        seq: None,
        hash: None,
        client_request_id: ctx.client_request_id.clone(),
    };
    diesel::insert_into(journal_entries::table)
        .values(&row)
        .execute(conn)
        .map_err(|e| {
            let e: crate::error::Error = e.into();
            match &entry.reverses {
                // The unique index on `reverses`: a concurrent reversal of the same entry won.
                Some(original) => e.or_duplicate(|| entry::already_reversed(original)),
                None => e,
            }
        })?;
    let ps: Vec<PostingRow> = entry
        .postings
        .iter()
        .enumerate()
        .map(|(i, p)| PostingRow {
            entry_id: id.clone(),
            line_no: i as i32 + 1,
            municipality: ctx.municipality.clone(),
            account_id: p.account_id.clone(),
            effective_date: entry.effective_date,
            debit: p.debit.ore(),
            credit: p.credit.ore(),
        })
        .collect();
    super::on_backend!(conn, c => diesel::insert_into(postings::table).values(&ps).execute(c))?;
    Ok(Stored {
        entry: row,
        postings: ps,
        reversed_by: None,
    })
}

pub fn get(conn: &mut DbConnection, municipality: &str, id: &str) -> StoreResult<Option<Stored>> {
    let e: Option<EntryRow> = journal_entries::table
        .filter(journal_entries::id.eq(id))
        .filter(journal_entries::municipality.eq(municipality))
        .select(EntryRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match e {
        Some(e) => hydrate(conn, vec![e])?.pop(),
        None => None,
    })
}

/// The entries a source booked (not the reversals of them), oldest first.
pub fn of_source(
    conn: &mut DbConnection,
    municipality: &str,
    source_type: &str,
    source_id: &str,
) -> StoreResult<Vec<Stored>> {
    let rows: Vec<EntryRow> = journal_entries::table
        .filter(journal_entries::municipality.eq(municipality))
        .filter(journal_entries::source_type.eq(source_type))
        .filter(journal_entries::source_id.eq(source_id))
        .filter(journal_entries::kind.ne(EntryKind::Reversal.as_str()))
        .select(EntryRow::as_select())
        .order(journal_entries::id.asc())
        .load(conn)?;
    hydrate(conn, rows)
}

/// The entries' postings and reversals, looked up by the entries' ids (already read in their
/// municipality).
fn hydrate(conn: &mut DbConnection, rows: Vec<EntryRow>) -> StoreResult<Vec<Stored>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    // By the entries' ids alone (the primary key): they were read in the municipality, and a
    // municipality filter here lets the planner pick the municipality-wide posting index and
    // scan every posting for each page.
    let mut ps: Vec<PostingRow> = postings::table
        .filter(postings::entry_id.eq_any(&ids))
        .select(PostingRow::as_select())
        .order((postings::entry_id.asc(), postings::line_no.asc()))
        .load(conn)?;
    // By the unique `reverses` index alone (a reversal is in its original's municipality).
    let reversals: Vec<(String, Option<String>)> = journal_entries::table
        .filter(journal_entries::reverses.eq_any(&ids))
        .select((journal_entries::id, journal_entries::reverses))
        .load(conn)?;
    // Grouped once: a page of a thousand entries is not searched a thousand times.
    let mut by_entry: std::collections::HashMap<String, Vec<PostingRow>> =
        std::collections::HashMap::with_capacity(rows.len());
    for p in ps.drain(..) {
        by_entry.entry(p.entry_id.clone()).or_default().push(p);
    }
    let reversed: std::collections::HashMap<String, String> = reversals
        .into_iter()
        .filter_map(|(id, of)| Some((of?, id)))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mine = by_entry.remove(&r.id).unwrap_or_default();
        let reversed_by = reversed.get(&r.id).cloned();
        out.push(Stored {
            entry: r,
            postings: mine,
            reversed_by,
        });
    }
    Ok(out)
}

#[derive(Default, Clone, Debug)]
pub struct EntryFilter {
    pub account_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<EntryKind>,
    pub source_id: Option<String>,
    pub after: Option<String>,
    /// Only sealed entries with a voucher number above this one, in voucher order.
    pub after_seq: Option<i64>,
    pub limit: i64,
}

/// Entries in id order (ids are time-ordered UUIDv7), so a cursor is the last id seen; or, with
/// `after_seq`, sealed entries in voucher order, which no later commit can slip in front of.
pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    f: &EntryFilter,
) -> StoreResult<Vec<Stored>> {
    let mut q = journal_entries::table
        .filter(journal_entries::municipality.eq(municipality))
        .select(EntryRow::as_select())
        .limit(f.limit)
        .into_boxed();
    q = match f.after_seq {
        Some(s) => q
            .filter(journal_entries::seq.gt(s))
            .order(journal_entries::seq.asc()),
        None => q.order(journal_entries::id.asc()),
    };
    if let Some(a) = &f.account_id {
        // With the municipality, so the covering (municipality, account, date) index serves it.
        let ids = postings::table
            .filter(postings::municipality.eq(municipality.to_string()))
            .filter(postings::account_id.eq(a.clone()))
            .select(postings::entry_id);
        q = q.filter(journal_entries::id.eq_any(ids));
    }
    if let Some(d) = f.from {
        q = q.filter(journal_entries::effective_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(journal_entries::effective_date.le(d));
    }
    if let Some(k) = f.kind {
        q = q.filter(journal_entries::kind.eq(k.as_str()));
    }
    if let Some(s) = &f.source_id {
        q = q.filter(journal_entries::source_id.eq(s.clone()));
    }
    if let Some(a) = &f.after {
        q = q.filter(journal_entries::id.gt(a.clone()));
    }
    let rows = q.load(conn)?;
    hydrate(conn, rows)
}
