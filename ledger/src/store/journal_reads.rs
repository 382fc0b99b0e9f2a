//! Reads of the journal for controllers: the sealed entries a page at a time in date order (the
//! plain-text export), the entries of a period by kind and the last sealed entry at a moment
//! (the period close report).
use super::journal::{EntryRow, PostingRow};
use super::schema::{journal_entries, postings};
use super::{DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A page of sealed entries with their postings, in date order (then voucher order) from
/// `from` to `to`, after the keyset `after` (date, seq): what a plain-text export reads, a page
/// at a time.
pub fn page_by_date(
    conn: &mut DbConnection,
    municipality: &str,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    after: Option<(NaiveDate, i64)>,
    limit: i64,
) -> StoreResult<Vec<(EntryRow, Vec<PostingRow>)>> {
    let mut q = journal_entries::table
        .filter(journal_entries::municipality.eq(municipality))
        .filter(journal_entries::seq.is_not_null())
        .select(EntryRow::as_select())
        .order((
            journal_entries::effective_date.asc(),
            journal_entries::seq.asc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some(d) = from {
        q = q.filter(journal_entries::effective_date.ge(d));
    }
    if let Some(d) = to {
        q = q.filter(journal_entries::effective_date.le(d));
    }
    if let Some((d, s)) = after {
        // The keyset (date, seq): the first clause lets the index on (municipality, date, seq)
        // seek to the page's start instead of scanning from the beginning for every page.
        q = q.filter(journal_entries::effective_date.ge(d)).filter(
            journal_entries::effective_date
                .gt(d)
                .or(journal_entries::seq.gt(s)),
        );
    }
    let rows = q.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    // By the entries' ids alone (the primary key; see `hydrate`).
    let ps: Vec<PostingRow> = postings::table
        .filter(postings::entry_id.eq_any(&ids))
        .select(PostingRow::as_select())
        .order((postings::entry_id.asc(), postings::line_no.asc()))
        .load(conn)?;
    let mut by_entry: std::collections::HashMap<String, Vec<PostingRow>> =
        std::collections::HashMap::with_capacity(rows.len());
    for p in ps {
        by_entry.entry(p.entry_id.clone()).or_default().push(p);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = by_entry.remove(&r.id).unwrap_or_default();
            (r, mine)
        })
        .collect())
}

/// How many entries of each kind are dated from `from` (when given) to `to`.
pub fn kinds_between(
    conn: &mut DbConnection,
    municipality: &str,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> StoreResult<Vec<(String, i64)>> {
    use diesel::dsl::count_star;
    let mut q = journal_entries::table
        .filter(journal_entries::municipality.eq(municipality))
        .filter(journal_entries::effective_date.le(to))
        .group_by(journal_entries::kind)
        .select((journal_entries::kind, count_star()))
        .order(journal_entries::kind.asc())
        .into_boxed();
    if let Some(f) = from {
        q = q.filter(journal_entries::effective_date.ge(f));
    }
    Ok(q.load(conn)?)
}

/// The last sealed entry booked at or before `at`: its voucher number and hash.
pub fn last_sealed_at(
    conn: &mut DbConnection,
    municipality: &str,
    at: NaiveDateTime,
) -> StoreResult<Option<(i64, Option<String>)>> {
    let row: Option<(Option<i64>, Option<String>)> = journal_entries::table
        .filter(journal_entries::municipality.eq(municipality))
        .filter(journal_entries::created_at.le(at))
        .filter(journal_entries::seq.is_not_null())
        .order(journal_entries::seq.desc())
        .select((journal_entries::seq, journal_entries::hash))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(s, h)| s.map(|s| (s, h))))
}
