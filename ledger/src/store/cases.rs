//! Cases.
use super::schema::cases;
use super::{known, DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::case::registration::Scope;
use rules::privacy::normal_form::reference_key;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: String,
    pub municipality: String,
    pub external_ref: String,
    /// The reference in its normal form (`reference_key`): what uniqueness is judged on.
    pub external_key: Option<String>,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: String,
    pub end_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub lock_version: i64,
    /// Who decided the end, and when it was recorded.
    pub ended_by: Option<String>,
    pub ended_at: Option<NaiveDateTime>,
    /// Who helper-trainer wages are paid to, and the firm's identity when it is a firm.
    pub payee: String,
    pub payroll_firm: Option<String>,
}

impl CaseRow {
    pub fn payee(&self) -> StoreResult<rules::payment::Payee> {
        known(
            rules::payment::Payee::parse(&self.payee),
            "cases.payee",
            &self.payee,
        )
    }

    pub fn scope(&self) -> StoreResult<Scope> {
        known(Scope::parse(&self.scope), "cases.scope", &self.scope)
    }

    /// The last day anything may be booked on the case.
    pub fn effective_end(&self) -> NaiveDate {
        rules::case::age_limit::effective_end(self.end_date, self.child_birth_date)
    }
}

pub fn ref_taken(
    conn: &mut DbConnection,
    municipality: &str,
    external_ref: &str,
) -> StoreResult<bool> {
    let n: i64 = cases::table
        .filter(cases::municipality.eq(municipality))
        .filter(cases::external_key.eq(reference_key(external_ref)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut DbConnection, row: &CaseRow) -> StoreResult<()> {
    diesel::insert_into(cases::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, municipality: &str, id: &str) -> StoreResult<Option<CaseRow>> {
    Ok(cases::table
        .filter(cases::id.eq(id))
        .filter(cases::municipality.eq(municipality))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?)
}

/// Takes the case's row lock (PostgreSQL) so that decisions on one case happen one at a time,
/// then reads the case under it.
pub fn lock(conn: &mut DbConnection, municipality: &str, id: &str) -> StoreResult<Option<CaseRow>> {
    diesel::update(
        cases::table
            .filter(cases::id.eq(id))
            .filter(cases::municipality.eq(municipality)),
    )
    .set(cases::lock_version.eq(cases::lock_version + 1))
    .execute(conn)?;
    get(conn, municipality, id)
}

/// Locks the case an expense belongs to, in one statement, and reads it under the lock; the
/// expense is then read once, under the lock, by the caller.
pub fn lock_for_expense(
    conn: &mut DbConnection,
    municipality: &str,
    expense_id: &str,
) -> StoreResult<Option<CaseRow>> {
    use super::schema::expenses;
    let of_expense = || {
        expenses::table
            .filter(expenses::id.eq(expense_id.to_string()))
            .filter(expenses::municipality.eq(municipality.to_string()))
            .select(expenses::case_id)
    };
    diesel::update(
        cases::table
            .filter(cases::id.eq_any(of_expense()))
            .filter(cases::municipality.eq(municipality)),
    )
    .set(cases::lock_version.eq(cases::lock_version + 1))
    .execute(conn)?;
    Ok(cases::table
        .filter(cases::id.eq_any(of_expense()))
        .filter(cases::municipality.eq(municipality))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    external_ref: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<CaseRow>> {
    let mut q = cases::table
        .filter(cases::municipality.eq(municipality))
        .select(CaseRow::as_select())
        .order(cases::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(r) = external_ref {
        q = q.filter(cases::external_ref.eq(r.to_string()));
    }
    if let Some(a) = after {
        q = q.filter(cases::id.gt(a.to_string()));
    }
    Ok(q.load(conn)?)
}

pub fn set_end(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    end: NaiveDate,
    reason: &str,
    by: &str,
) -> StoreResult<()> {
    diesel::update(
        cases::table
            .filter(cases::municipality.eq(municipality))
            .filter(cases::id.eq(id)),
    )
    .set((
        cases::end_date.eq(Some(end)),
        cases::end_reason.eq(Some(reason)),
        cases::ended_by.eq(Some(by)),
        cases::ended_at.eq(Some(super::now())),
    ))
    .execute(conn)?;
    Ok(())
}

/// Who helper-trainer wages on the case are paid to from now on.
pub fn set_payee(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    payee: &str,
    payroll_firm: Option<&str>,
) -> StoreResult<()> {
    diesel::update(
        cases::table
            .filter(cases::municipality.eq(municipality))
            .filter(cases::id.eq(id)),
    )
    .set((cases::payee.eq(payee), cases::payroll_firm.eq(payroll_firm)))
    .execute(conn)?;
    Ok(())
}

/// The ended cases of the municipality, by id, with their end dates (for a payroll run).
pub fn ends(
    conn: &mut DbConnection,
    municipality: &str,
) -> StoreResult<std::collections::HashMap<String, NaiveDate>> {
    let rows: Vec<(String, Option<NaiveDate>)> = cases::table
        .filter(cases::municipality.eq(municipality))
        .filter(cases::end_date.is_not_null())
        .select((cases::id, cases::end_date))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, end)| end.map(|e| (id, e)))
        .collect())
}

/// The references of these cases, by id.
pub fn refs_of(
    conn: &mut DbConnection,
    municipality: &str,
    ids: &[String],
) -> StoreResult<std::collections::HashMap<String, String>> {
    let mut refs = std::collections::HashMap::with_capacity(ids.len());
    // In chunks: a query binds a bounded number of parameters on either backend.
    for chunk in ids.chunks(1000) {
        let rows: Vec<(String, String)> = cases::table
            .filter(cases::municipality.eq(municipality))
            .filter(cases::id.eq_any(chunk))
            .select((cases::id, cases::external_ref))
            .load(conn)?;
        refs.extend(rows);
    }
    Ok(refs)
}

/// The case with this reference in the municipality (references are unique per municipality).
pub fn by_ref(
    conn: &mut DbConnection,
    municipality: &str,
    external_ref: &str,
) -> StoreResult<Option<CaseRow>> {
    Ok(cases::table
        .filter(cases::municipality.eq(municipality))
        .filter(cases::external_key.eq(reference_key(external_ref)))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?)
}
