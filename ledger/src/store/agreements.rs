//! Fixed-amount agreements, their covered posts, and their installments with each post's share.
use super::schema::{agreement_posts, agreements, installment_allocations, installments};
use super::{DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = agreements)]
pub struct AgreementRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub budget_year_id: String,
    pub frequency: String,
    pub family_agreed_on: NaiveDate,
    pub first_payment_date: NaiveDate,
    pub decision_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = installments)]
pub struct InstallmentRow {
    pub id: String,
    pub municipality: String,
    pub agreement_id: String,
    pub case_id: String,
    pub line_no: i32,
    pub due_date: NaiveDate,
    pub amount: i64,
    pub status: String,
    pub paid_on: Option<NaiveDate>,
    pub bank_reference: Option<String>,
    pub entry_id: Option<String>,
    pub created_at: NaiveDateTime,
}

/// An agreement with its posts and installments (with their allocations).
pub fn insert(
    conn: &mut DbConnection,
    a: &AgreementRow,
    post_ids: &[String],
    rows: &[(InstallmentRow, Vec<(String, i64)>)],
) -> StoreResult<()> {
    diesel::insert_into(agreements::table)
        .values(a)
        .execute(conn)?;
    for p in post_ids {
        diesel::insert_into(agreement_posts::table)
            .values((
                agreement_posts::agreement_id.eq(&a.id),
                agreement_posts::post_id.eq(p),
            ))
            .execute(conn)?;
    }
    insert_installments(conn, rows)
}

/// Installments with their allocations.
pub fn insert_installments(
    conn: &mut DbConnection,
    rows: &[(InstallmentRow, Vec<(String, i64)>)],
) -> StoreResult<()> {
    for (i, split) in rows {
        diesel::insert_into(installments::table)
            .values(i)
            .execute(conn)?;
        for (post, amount) in split {
            diesel::insert_into(installment_allocations::table)
                .values((
                    installment_allocations::installment_id.eq(&i.id),
                    installment_allocations::post_id.eq(post),
                    installment_allocations::amount.eq(amount),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn of_year(
    conn: &mut DbConnection,
    municipality: &str,
    year_id: &str,
) -> StoreResult<Option<AgreementRow>> {
    Ok(agreements::table
        .filter(agreements::municipality.eq(municipality))
        .filter(agreements::budget_year_id.eq(year_id))
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()?)
}

/// The posts an agreement covers.
pub fn covered_posts(conn: &mut DbConnection, agreement_id: &str) -> StoreResult<Vec<String>> {
    Ok(agreement_posts::table
        .filter(agreement_posts::agreement_id.eq(agreement_id))
        .select(agreement_posts::post_id)
        .order(agreement_posts::post_id.asc())
        .load(conn)?)
}

/// Whether a post is covered by an agreement (its approved expenses are paid from the advance).
pub fn is_covered(conn: &mut DbConnection, post_id: &str) -> StoreResult<bool> {
    let n: i64 = agreement_posts::table
        .filter(agreement_posts::post_id.eq(post_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn installments_of(
    conn: &mut DbConnection,
    municipality: &str,
    agreement_id: &str,
) -> StoreResult<Vec<InstallmentRow>> {
    Ok(installments::table
        .filter(installments::municipality.eq(municipality))
        .filter(installments::agreement_id.eq(agreement_id))
        .select(InstallmentRow::as_select())
        .order(installments::line_no.asc())
        .load(conn)?)
}

/// The allocations of installments: (installment id, post id, amount).
pub fn allocations(
    conn: &mut DbConnection,
    installment_ids: &[String],
) -> StoreResult<Vec<(String, String, i64)>> {
    Ok(installment_allocations::table
        .filter(installment_allocations::installment_id.eq_any(installment_ids))
        .select((
            installment_allocations::installment_id,
            installment_allocations::post_id,
            installment_allocations::amount,
        ))
        .order((
            installment_allocations::installment_id.asc(),
            installment_allocations::post_id.asc(),
        ))
        .load(conn)?)
}

/// Installments of the municipality by status, due on or before `until`, in id order (the
/// cursor's).
pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    status: Option<&str>,
    until: Option<NaiveDate>,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<InstallmentRow>> {
    let mut q = installments::table
        .filter(installments::municipality.eq(municipality))
        .select(InstallmentRow::as_select())
        .order(installments::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(installments::status.eq(s.to_string()));
    }
    if let Some(u) = until {
        q = q.filter(installments::due_date.le(u));
    }
    if let Some(a) = after {
        q = q.filter(installments::id.gt(a.to_string()));
    }
    Ok(q.load(conn)?)
}

/// Takes an installment's row lock (a no-op update) and reads it under the lock.
pub fn lock(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<InstallmentRow>> {
    diesel::update(
        installments::table
            .filter(installments::municipality.eq(municipality))
            .filter(installments::id.eq(id)),
    )
    .set(installments::amount.eq(installments::amount))
    .execute(conn)?;
    Ok(installments::table
        .filter(installments::municipality.eq(municipality))
        .filter(installments::id.eq(id))
        .select(InstallmentRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn mark_paid(
    conn: &mut DbConnection,
    id: &str,
    paid_on: NaiveDate,
    bank_reference: &str,
    entry_id: &str,
) -> StoreResult<bool> {
    let n = diesel::update(
        installments::table
            .filter(installments::id.eq(id))
            .filter(installments::status.eq("due")),
    )
    .set((
        installments::status.eq("paid"),
        installments::paid_on.eq(Some(paid_on)),
        installments::bank_reference.eq(Some(bank_reference)),
        installments::entry_id.eq(Some(entry_id)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Cancels the unpaid installments of a case due after its end: the municipality stops paying
/// for what happens after the end date.
pub fn cancel_after(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
    end: NaiveDate,
) -> StoreResult<usize> {
    Ok(diesel::update(
        installments::table
            .filter(installments::municipality.eq(municipality))
            .filter(installments::case_id.eq(case_id))
            .filter(installments::status.eq("due"))
            .filter(installments::due_date.gt(end)),
    )
    .set(installments::status.eq("cancelled"))
    .execute(conn)?)
}

/// The installments of a case that count for the cap: not cancelled, by due date. A set-off
/// installment (paid by withholding a settled year's unspent money, so with no payment entry)
/// is left out: the installments that carried that money counted it already.
pub fn spending_of_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Vec<(NaiveDate, i64)>> {
    Ok(installments::table
        .filter(installments::municipality.eq(municipality))
        .filter(installments::case_id.eq(case_id))
        .filter(installments::status.ne("cancelled"))
        .filter(
            installments::status
                .ne("paid")
                .or(installments::entry_id.is_not_null()),
        )
        .select((installments::due_date, installments::amount))
        .load(conn)?)
}

/// Cancels the installments of an agreement still due (a re-plan replaces them).
pub fn cancel_due_of(conn: &mut DbConnection, agreement_id: &str) -> StoreResult<usize> {
    Ok(diesel::update(
        installments::table
            .filter(installments::agreement_id.eq(agreement_id))
            .filter(installments::status.eq("due")),
    )
    .set(installments::status.eq("cancelled"))
    .execute(conn)?)
}

/// The case an installment belongs to.
pub fn case_of_installment(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<String>> {
    Ok(installments::table
        .filter(installments::municipality.eq(municipality))
        .filter(installments::id.eq(id))
        .select(installments::case_id)
        .first(conn)
        .optional()?)
}
