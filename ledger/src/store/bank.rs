//! Bank statements, their lines, and the matches that join a line to the ledger's movements on
//! the bank account (the movements themselves: `bank_movements`).
pub use super::bank_movements::{entry_of, movements, MovementRow};
use super::schema::{
    bank_match_movements as mm, bank_matches as matches, bank_statement_lines as lines,
    bank_statements as statements,
};
use super::{DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = statements)]
pub struct StatementRow {
    pub id: String,
    pub municipality: String,
    pub sha256: String,
    pub format: String,
    pub statement_ref: Option<String>,
    pub account: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub opening_balance: Option<i64>,
    pub closing_balance: Option<i64>,
    pub closing_date: Option<NaiveDate>,
    pub lines_count: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = lines)]
pub struct LineRow {
    pub statement_id: String,
    pub line_no: i32,
    pub booking_date: NaiveDate,
    pub amount: i64,
    pub text: String,
    pub end_to_end_id: Option<String>,
    pub bank_reference: Option<String>,
    pub balance: Option<i64>,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = matches)]
pub struct MatchRow {
    pub id: String,
    pub municipality: String,
    pub statement_id: String,
    pub line_no: i32,
    pub rule: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub undone_by: Option<String>,
    pub undone_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = mm)]
pub struct MatchMovementRow {
    pub match_id: String,
    pub municipality: String,
    pub entry_id: String,
    pub amount: i64,
    pub undone_at: Option<NaiveDateTime>,
}

/// The statement already stored from the same file, or with the same camt statement id.
pub fn existing(
    conn: &mut DbConnection,
    municipality: &str,
    sha256: &str,
    statement_ref: Option<&str>,
) -> StoreResult<Option<StatementRow>> {
    let mut q = statements::table
        .filter(statements::municipality.eq(municipality))
        .into_boxed();
    q = match statement_ref {
        Some(r) => q.filter(
            statements::sha256
                .eq(sha256.to_string())
                .or(statements::statement_ref.eq(r.to_string())),
        ),
        None => q.filter(statements::sha256.eq(sha256.to_string())),
    };
    Ok(q.order(statements::created_at.asc())
        .select(StatementRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, s: &StatementRow, ls: &[LineRow]) -> StoreResult<()> {
    diesel::insert_into(statements::table)
        .values(s)
        .execute(conn)?;
    for chunk in ls.chunks(500) {
        super::on_backend!(conn, c => diesel::insert_into(lines::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// Another municipality's statement is answered like one that does not exist.
pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<StatementRow>> {
    Ok(statements::table
        .filter(statements::id.eq(id))
        .filter(statements::municipality.eq(municipality))
        .select(StatementRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn lines_of(conn: &mut DbConnection, statement_id: &str) -> StoreResult<Vec<LineRow>> {
    Ok(lines::table
        .filter(lines::statement_id.eq(statement_id))
        .order(lines::line_no.asc())
        .select(LineRow::as_select())
        .load(conn)?)
}

/// The matches in force on a statement, with their movements.
pub fn matches_of(
    conn: &mut DbConnection,
    statement_id: &str,
) -> StoreResult<Vec<(MatchRow, Vec<MatchMovementRow>)>> {
    let ms: Vec<MatchRow> = matches::table
        .filter(matches::statement_id.eq(statement_id))
        .filter(matches::undone_at.is_null())
        .order((matches::line_no.asc(), matches::id.asc()))
        .select(MatchRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = ms.iter().map(|m| m.id.clone()).collect();
    let mut movs: Vec<MatchMovementRow> = vec![];
    for chunk in ids.chunks(500) {
        movs.extend(
            mm::table
                .filter(mm::match_id.eq_any(chunk))
                .order(mm::entry_id.asc())
                .select(MatchMovementRow::as_select())
                .load(conn)?,
        );
    }
    Ok(ms
        .into_iter()
        .map(|m| {
            let of: Vec<MatchMovementRow> = movs
                .iter()
                .filter(|x| x.match_id == m.id)
                .cloned()
                .collect();
            (m, of)
        })
        .collect())
}

/// Whether a line of a statement is in a match in force.
pub fn line_matched(conn: &mut DbConnection, statement_id: &str, line: i32) -> StoreResult<bool> {
    Ok(matches::table
        .filter(matches::statement_id.eq(statement_id))
        .filter(matches::line_no.eq(line))
        .filter(matches::undone_at.is_null())
        .select(matches::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// The movements of one match.
pub fn movements_of_match(
    conn: &mut DbConnection,
    match_id: &str,
) -> StoreResult<Vec<MatchMovementRow>> {
    Ok(mm::table
        .filter(mm::match_id.eq(match_id))
        .order(mm::entry_id.asc())
        .select(MatchMovementRow::as_select())
        .load(conn)?)
}

pub fn get_match(
    conn: &mut DbConnection,
    municipality: &str,
    statement_id: &str,
    id: &str,
) -> StoreResult<Option<MatchRow>> {
    Ok(matches::table
        .filter(matches::id.eq(id))
        .filter(matches::statement_id.eq(statement_id))
        .filter(matches::municipality.eq(municipality))
        .select(MatchRow::as_select())
        .first(conn)
        .optional()?)
}

/// A match and its movements; the unique indexes over the matches in force refuse a line or a
/// movement that is already matched (a racing match loses here).
pub fn insert_match(
    conn: &mut DbConnection,
    m: &MatchRow,
    movs: &[MatchMovementRow],
) -> StoreResult<()> {
    diesel::insert_into(matches::table)
        .values(m)
        .execute(conn)?;
    super::on_backend!(conn, c => diesel::insert_into(mm::table).values(movs).execute(c))?;
    Ok(())
}

/// Undoes a match in force (false if it was not in force): who and when, the row kept.
pub fn undo_match(
    conn: &mut DbConnection,
    id: &str,
    by: &str,
    at: NaiveDateTime,
) -> StoreResult<bool> {
    let n = diesel::update(
        matches::table
            .filter(matches::id.eq(id))
            .filter(matches::undone_at.is_null()),
    )
    .set((matches::undone_by.eq(by), matches::undone_at.eq(at)))
    .execute(conn)?;
    if n == 1 {
        diesel::update(mm::table.filter(mm::match_id.eq(id)))
            .set(mm::undone_at.eq(at))
            .execute(conn)?;
    }
    Ok(n == 1)
}

/// Of `entry_ids`, those in a match in force (on any statement).
pub fn matched_entries(
    conn: &mut DbConnection,
    municipality: &str,
    entry_ids: &[String],
) -> StoreResult<Vec<String>> {
    let mut out = vec![];
    for chunk in entry_ids.chunks(500) {
        out.extend(
            mm::table
                .filter(mm::municipality.eq(municipality))
                .filter(mm::undone_at.is_null())
                .filter(mm::entry_id.eq_any(chunk))
                .select(mm::entry_id)
                .load::<String>(conn)?,
        );
    }
    Ok(out)
}
