//! Journal entries and postings: the one way money moves.
use super::accounts::{self, AccountRow};
use super::schema::{journal_entries, postings};
use super::{now, periods, DbConnection};
use crate::book::{self, Actor, EntryKind, NewEntry, PostingLine};
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};
use serde::Serialize;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = journal_entries)]
struct EntryRow {
    id: String,
    municipality: String,
    kind: String,
    effective_date: NaiveDate,
    description: String,
    reverses: Option<String>,
    source_type: Option<String>,
    source_id: Option<String>,
    created_by: String,
    created_role: String,
    request_id: String,
    created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = postings)]
struct PostingRow {
    entry_id: String,
    line_no: i32,
    municipality: String,
    account_id: String,
    effective_date: NaiveDate,
    debit: i64,
    credit: i64,
}

#[derive(Serialize, Clone, Debug, PartialEq, Eq, utoipa::ToSchema)]
pub struct Posting {
    pub account_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debit: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<Money>,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct JournalEntry {
    pub id: String,
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
    pub request_id: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

impl JournalEntry {
    pub fn lines(&self) -> Vec<PostingLine> {
        self.postings
            .iter()
            .map(|p| PostingLine {
                account_id: p.account_id.clone(),
                debit: p.debit.unwrap_or_default(),
                credit: p.credit.unwrap_or_default(),
            })
            .collect()
    }
}

fn view(e: EntryRow, ps: Vec<PostingRow>, reversed_by: Option<String>) -> JournalEntry {
    JournalEntry {
        id: e.id,
        kind: EntryKind::parse(&e.kind).unwrap_or(EntryKind::Manual),
        effective_date: e.effective_date,
        description: e.description,
        postings: ps
            .into_iter()
            .map(|p| Posting {
                account_id: p.account_id,
                debit: (p.debit > 0).then(|| Money::from_ore(p.debit)),
                credit: (p.credit > 0).then(|| Money::from_ore(p.credit)),
            })
            .collect(),
        reverses: e.reverses,
        reversed_by,
        source_type: e.source_type,
        source_id: e.source_id,
        created_by: e.created_by,
        created_role: e.created_role,
        request_id: e.request_id,
        created_at: e.created_at,
    }
}

/// Books an entry: shape rules, open period, accounts of this municipality, running totals and
/// their constraints, all in the caller's transaction. Any failure leaves nothing behind.
pub fn post(conn: &mut DbConnection, actor: &Actor, entry: &NewEntry) -> Result<JournalEntry> {
    post_guarded(conn, actor, entry, |_| Ok(()))
}

/// Books an entry after `guard` has accepted the accounts it touches (read under their row locks).
pub fn post_guarded(
    conn: &mut DbConnection,
    actor: &Actor,
    entry: &NewEntry,
    guard: impl Fn(&[AccountRow]) -> Result<()>,
) -> Result<JournalEntry> {
    book::validate_entry(entry)?;
    let totals = book::totals_by_account(&entry.postings);
    for (account_id, debit, credit) in &totals {
        accounts::add_totals(conn, &actor.municipality, account_id, *debit, *credit)?;
    }
    // One read of the updated rows: the locks taken by the updates make it the final word.
    let ids: Vec<&str> = totals.iter().map(|(id, _, _)| id.as_str()).collect();
    let rows = accounts::get_many(conn, &actor.municipality, &ids)?;
    guard(&rows)?;
    for row in &rows {
        check_constraint(row)?;
    }
    // After the row locks, so that a concurrent close is either seen or waits (see periods).
    periods::ensure_open(conn, &actor.municipality, entry.effective_date)?;
    let id = super::new_id();
    let row = EntryRow {
        id: id.clone(),
        municipality: actor.municipality.clone(),
        kind: entry.kind.as_str().to_string(),
        effective_date: entry.effective_date,
        description: entry.description.clone(),
        reverses: entry.reverses.clone(),
        source_type: entry.source_type.clone(),
        source_id: entry.source_id.clone(),
        created_by: actor.sub.clone(),
        created_role: actor.role.as_str().to_string(),
        request_id: actor.request_id.clone(),
        created_at: now(),
    };
    diesel::insert_into(journal_entries::table)
        .values(&row)
        .execute(conn)
        .map_err(|e| {
            let e: Error = e.into();
            if super::is_unique_violation(&e) && entry.reverses.is_some() {
                already_reversed(entry.reverses.as_deref().unwrap_or_default())
            } else {
                e
            }
        })?;
    let ps: Vec<PostingRow> = entry
        .postings
        .iter()
        .enumerate()
        .map(|(i, p)| PostingRow {
            entry_id: id.clone(),
            line_no: i as i32 + 1,
            municipality: actor.municipality.clone(),
            account_id: p.account_id.clone(),
            effective_date: entry.effective_date,
            debit: p.debit.ore(),
            credit: p.credit.ore(),
        })
        .collect();
    super::on_backend!(conn, c => diesel::insert_into(postings::table).values(&ps).execute(c))?;
    Ok(view(row, ps, None))
}

/// Budget-post accounts move only by municipal decisions (grants, amendments, approvals), and
/// the payables to families only by approvals and payments: a manual entry may touch neither,
/// so money can never be moved from one post to another by hand.
pub fn manual_guard(rows: &[AccountRow]) -> Result<()> {
    if let Some(r) = rows
        .iter()
        .find(|r| crate::book::chart::MANAGED_BY_DECISIONS.contains(&r.code.as_str()))
    {
        return Err(Error::rule(
            "account_managed_by_decisions",
            format!("account {} is kept by approvals and payments (its sub-ledger is the payables); a manual entry may not post to it", r.code),
        )
        .with_field("postings", "use the decision that owns the account"));
    }
    if let Some(r) = rows
        .iter()
        .find(|r| r.kind() == crate::book::AccountKind::Budget)
    {
        return Err(Error::rule(
            "budget_accounts_not_manual",
            format!("account {} is a budget account; budget posts change only by a decision (grant or amendment) and money cannot be moved between posts", r.code),
        )
        .legal(crate::domain::legal::RIGID_POSTS)
        .with_field("postings", "a manual entry may not post to budget accounts"));
    }
    Ok(())
}

fn check_constraint(row: &AccountRow) -> Result<()> {
    let (d, c) = (
        Money::from_ore(row.debits_posted),
        Money::from_ore(row.credits_posted),
    );
    if row.constraint().holds(d, c) {
        return Ok(());
    }
    Err(Error::rule(
        "balance_constraint_violated",
        format!(
            "account {} ({}) has the constraint {}: the entry would make its debits {} and credits {}",
            row.code,
            row.name,
            row.constraint(),
            d,
            c
        ),
    )
    .with_field("postings", format!("account {} would break its balance constraint", row.id)))
}

fn already_reversed(id: &str) -> Error {
    Error::conflict(
        "already_reversed",
        format!("journal entry {id} has already been reversed; an entry is reversed at most once"),
    )
}

pub fn get(conn: &mut DbConnection, municipality: &str, id: &str) -> Result<JournalEntry> {
    let e: EntryRow = journal_entries::table
        .filter(journal_entries::id.eq(id))
        .filter(journal_entries::municipality.eq(municipality))
        .select(EntryRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            Error::not_found(
                "journal_entry_not_found",
                format!("journal entry {id} does not exist"),
            )
        })?;
    let mut all = hydrate(conn, municipality, vec![e])?;
    Ok(all.remove(0))
}

fn hydrate(
    conn: &mut DbConnection,
    municipality: &str,
    rows: Vec<EntryRow>,
) -> Result<Vec<JournalEntry>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut ps: Vec<PostingRow> = postings::table
        .filter(postings::municipality.eq(municipality))
        .filter(postings::entry_id.eq_any(&ids))
        .select(PostingRow::as_select())
        .order((postings::entry_id.asc(), postings::line_no.asc()))
        .load(conn)?;
    let reversals: Vec<(String, Option<String>)> = journal_entries::table
        .filter(journal_entries::municipality.eq(municipality))
        .filter(journal_entries::reverses.eq_any(&ids))
        .select((journal_entries::id, journal_entries::reverses))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mine: Vec<PostingRow> = {
            let (m, rest): (Vec<_>, Vec<_>) = ps.into_iter().partition(|p| p.entry_id == r.id);
            ps = rest;
            m
        };
        let rev = reversals
            .iter()
            .find(|(_, of)| of.as_deref() == Some(&r.id))
            .map(|(id, _)| id.clone());
        out.push(view(r, mine, rev));
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
    pub limit: i64,
}

/// Entries in id order (ids are time-ordered UUIDv7), so a cursor is the last id seen.
pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    f: &EntryFilter,
) -> Result<Vec<JournalEntry>> {
    let mut q = journal_entries::table
        .filter(journal_entries::municipality.eq(municipality))
        .select(EntryRow::as_select())
        .order(journal_entries::id.asc())
        .limit(f.limit)
        .into_boxed();
    if let Some(a) = &f.account_id {
        let ids = postings::table
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
    hydrate(conn, municipality, rows)
}

/// Books the reversal of an entry: its postings mirrored, on the original date or, when that
/// period is closed, on the first open date.
pub fn reverse(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    date: Option<NaiveDate>,
    description: Option<String>,
) -> Result<JournalEntry> {
    let original = get(conn, &actor.municipality, id)?;
    if !matches!(original.kind, EntryKind::Manual | EntryKind::Reversal) {
        return Err(Error::rule(
            "entry_not_manually_reversible",
            format!(
                "entry {id} was booked by a {} decision; it is corrected through that decision (an amendment, a rejection, a reversal of the payment), not by a manual reversal",
                original.kind
            ),
        ));
    }
    if original.reversed_by.is_some() {
        return Err(already_reversed(id));
    }
    let date = match date {
        Some(d) => d,
        None => {
            periods::first_open_on_or_after(conn, &actor.municipality, original.effective_date)?
        }
    };
    let mut entry = NewEntry::new(
        EntryKind::Reversal,
        date,
        description
            .unwrap_or_else(|| format!("Reversal of {}: {}", original.id, original.description)),
    );
    entry.postings = book::reversed_postings(&original.lines());
    entry.reverses = Some(original.id.clone());
    entry.source_type = original.source_type.clone();
    entry.source_id = original.source_id.clone();
    post(conn, actor, &entry)
}

/// Replaces `$n` placeholders with SQLite's `?` (each used once, in order).
fn placeholders(conn: &DbConnection, sql: &str) -> String {
    match conn {
        DbConnection::Pg(_) => sql.to_string(),
        DbConnection::Sqlite(_) => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(ch) = chars.next() {
                if ch == '$' && chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                        chars.next();
                    }
                    out.push('?');
                } else {
                    out.push(ch);
                }
            }
            out
        }
    }
}

#[derive(QueryableByName, Debug)]
pub struct AccountSums {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = BigInt)]
    pub debits: i64,
    #[diesel(sql_type = BigInt)]
    pub credits: i64,
}

/// Σ debits and Σ credits per account id, from `sums_by_account`.
pub fn sums_map(sums: &[AccountSums]) -> std::collections::HashMap<&str, (Money, Money)> {
    sums.iter()
        .map(|x| {
            (
                x.account_id.as_str(),
                (Money::from_ore(x.debits), Money::from_ore(x.credits)),
            )
        })
        .collect()
}

/// Σ debits and Σ credits per account from the postings themselves.
pub fn sums_by_account(
    conn: &mut DbConnection,
    municipality: &str,
    as_of: Option<NaiveDate>,
) -> Result<Vec<AccountSums>> {
    let base = "SELECT account_id, CAST(COALESCE(SUM(debit), 0) AS BIGINT) AS debits, \
                CAST(COALESCE(SUM(credit), 0) AS BIGINT) AS credits FROM postings WHERE municipality = $1";
    Ok(match as_of {
        None => {
            let sql = placeholders(conn, &format!("{base} GROUP BY account_id"));
            diesel::sql_query(sql)
                .bind::<Text, _>(municipality)
                .load(conn)?
        }
        Some(d) => {
            let sql = placeholders(
                conn,
                &format!("{base} AND effective_date <= $2 GROUP BY account_id"),
            );
            diesel::sql_query(sql)
                .bind::<Text, _>(municipality)
                .bind::<Date, _>(d)
                .load(conn)?
        }
    })
}

#[derive(QueryableByName, Debug)]
struct EntryId {
    #[diesel(sql_type = Text)]
    entry_id: String,
}

/// Entries whose own postings do not balance or have fewer than two lines (must be none).
pub fn unbalanced_entries(conn: &mut DbConnection, municipality: &str) -> Result<Vec<String>> {
    let sql = placeholders(
        conn,
        "SELECT entry_id FROM postings WHERE municipality = $1 GROUP BY entry_id \
         HAVING SUM(debit) <> SUM(credit) OR COUNT(*) < 2",
    );
    let rows: Vec<EntryId> = diesel::sql_query(sql)
        .bind::<Text, _>(municipality)
        .load(conn)?;
    Ok(rows.into_iter().map(|r| r.entry_id).collect())
}
