//! Imports of payroll firms' files and the issues found in them. An import row is written when
//! the file arrives and updated as it is read; once it has ended the database refuses any change.
use super::schema::{import_issues, imports};
use super::{DbConnection, StoreResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = imports)]
#[diesel(treat_none_as_default_value = false)]
pub struct ImportRow {
    pub id: String,
    pub municipality: String,
    pub kind: String,
    pub sha256: String,
    pub bytes: i64,
    pub dry_run: bool,
    pub forced_dialect: Option<String>,
    pub status: String,
    pub dialect: Option<String>,
    pub rows_read: i64,
    pub rows_booked: i64,
    pub errors_count: i64,
    pub warnings_count: i64,
    pub amount_booked: i64,
    pub entries_booked: i64,
    pub rows_total: Option<i64>,
    pub hours_booked: String,
    pub wages_booked: i64,
    pub fees_booked: i64,
    pub created_by: String,
    pub created_role: String,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// Where an import is; the last four are final.
pub const RUNNING: [&str; 2] = ["validating", "booking"];
/// Statuses under which a file counts as sent: sending it again answers with that import.
pub const LIVE: [&str; 3] = ["validating", "booking", "booked"];

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = import_issues)]
pub struct IssueRow {
    pub import_id: String,
    pub n: i64,
    pub municipality: String,
    pub severity: String,
    pub line: i64,
    pub column_name: String,
    pub value: String,
    pub code: String,
    pub detail: String,
}

pub fn insert(conn: &mut DbConnection, row: &ImportRow) -> StoreResult<()> {
    diesel::insert_into(imports::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<ImportRow>> {
    Ok(imports::table
        .filter(imports::id.eq(id))
        .filter(imports::municipality.eq(municipality))
        .select(ImportRow::as_select())
        .first(conn)
        .optional()?)
}

/// The running or booked import of this file, if any (a dry run never counts).
pub fn live_of_file(
    conn: &mut DbConnection,
    municipality: &str,
    sha256: &str,
) -> StoreResult<Option<ImportRow>> {
    Ok(imports::table
        .filter(imports::municipality.eq(municipality))
        .filter(imports::sha256.eq(sha256))
        .filter(imports::dry_run.eq(false))
        .filter(imports::status.eq_any(LIVE))
        .select(ImportRow::as_select())
        .first(conn)
        .optional()?)
}

/// Imports of a municipality, newest first.
pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    before: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<ImportRow>> {
    let mut q = imports::table
        .filter(imports::municipality.eq(municipality))
        .select(ImportRow::as_select())
        .order(imports::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(imports::id.lt(b.to_string()));
    }
    Ok(q.load(conn)?)
}

/// What a finished reading found.
pub struct Outcome<'a> {
    pub status: &'a str,
    pub dialect: &'a str,
    pub rows_read: i64,
    pub rows_booked: i64,
    pub errors_count: i64,
    pub warnings_count: i64,
    pub amount_booked: i64,
    pub entries_booked: i64,
    pub hours_booked: String,
    pub wages_booked: i64,
    pub fees_booked: i64,
    pub finished_at: NaiveDateTime,
}

/// Ends a running import; false when it had ended already (marked interrupted meanwhile).
pub fn finish(conn: &mut DbConnection, id: &str, o: &Outcome) -> StoreResult<bool> {
    let n = diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq_any(RUNNING)),
    )
    .set((
        imports::status.eq(o.status),
        imports::dialect.eq(Some(o.dialect)),
        imports::rows_read.eq(o.rows_read),
        imports::rows_booked.eq(o.rows_booked),
        imports::errors_count.eq(o.errors_count),
        imports::warnings_count.eq(o.warnings_count),
        imports::amount_booked.eq(o.amount_booked),
        imports::entries_booked.eq(o.entries_booked),
        imports::rows_total.eq(Some(o.rows_read)),
        imports::hours_booked.eq(&o.hours_booked),
        imports::wages_booked.eq(o.wages_booked),
        imports::fees_booked.eq(o.fees_booked),
        imports::finished_at.eq(Some(o.finished_at)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Imports a stopped process left running (killed, crashed): they booked nothing, since their
/// booking commits with their end; marked interrupted, so the file may be sent again.
pub fn interrupt_running(conn: &mut DbConnection, at: NaiveDateTime) -> StoreResult<usize> {
    Ok(
        diesel::update(imports::table.filter(imports::status.eq_any(RUNNING)))
            .set((
                imports::status.eq("interrupted"),
                imports::finished_at.eq(Some(at)),
            ))
            .execute(conn)?,
    )
}

/// Ends one running import as interrupted (its reading failed on something not in the file).
pub fn interrupt(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> StoreResult<bool> {
    let n = diesel::update(
        imports::table
            .filter(imports::id.eq(id))
            .filter(imports::status.eq_any(RUNNING)),
    )
    .set((
        imports::status.eq("interrupted"),
        imports::finished_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Rows per multi-row insert: under both backends' limits on bound parameters.
const CHUNK: usize = 2000;

pub fn insert_issues(conn: &mut DbConnection, rows: &[IssueRow]) -> StoreResult<()> {
    for chunk in rows.chunks(CHUNK) {
        on_backend!(conn, c => diesel::insert_into(import_issues::table).values(chunk).execute(c))?;
    }
    Ok(())
}

/// A page of an import's issues, in the order they were found (by line).
pub fn issues(
    conn: &mut DbConnection,
    municipality: &str,
    import_id: &str,
    severity: Option<&str>,
    after: i64,
    limit: i64,
) -> StoreResult<Vec<IssueRow>> {
    let mut q = import_issues::table
        .filter(import_issues::municipality.eq(municipality))
        .filter(import_issues::import_id.eq(import_id))
        .filter(import_issues::n.gt(after))
        .select(IssueRow::as_select())
        .order(import_issues::n.asc())
        .limit(limit)
        .into_boxed();
    if let Some(s) = severity {
        q = q.filter(import_issues::severity.eq(s.to_string()));
    }
    Ok(q.load(conn)?)
}
