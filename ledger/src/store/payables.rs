//! Payables to families and the payments that settle them.
use super::schema::{cases, payables, payment_payables, payments};
use super::{known, DbConnection, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::payment::{PayableStatus, Payee};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = payables)]
#[diesel(treat_none_as_default_value = false)]
pub struct PayableRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    /// The approved expense it pays, or (for a settlement's shortfall) none.
    pub expense_id: Option<String>,
    pub amount: i64,
    pub status: String,
    pub payment_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub payee: String,
    /// The firm's identity (its token's subject) when the payee is a payroll firm.
    pub payroll_firm: Option<String>,
    /// The settlement whose shortfall it pays, when it is not an expense's.
    pub settlement_id: Option<String>,
}

impl PayableRow {
    pub fn payee(&self) -> StoreResult<Payee> {
        known(Payee::parse(&self.payee), "payables.payee", &self.payee)
    }
    pub fn status(&self) -> StoreResult<PayableStatus> {
        known(
            PayableStatus::parse(&self.status),
            "payables.status",
            &self.status,
        )
    }
}

pub fn insert(conn: &mut DbConnection, row: &PayableRow) -> StoreResult<()> {
    diesel::insert_into(payables::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

#[derive(Default, Clone, Copy)]
pub struct PayableFilter<'a> {
    pub status: Option<PayableStatus>,
    pub case_id: Option<&'a str>,
    /// A payroll firm sees only the payables addressed to it.
    pub payroll_firm: Option<&'a str>,
    pub after: Option<&'a str>,
    pub limit: i64,
}

/// Payables with their case's reference, in id order.
pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    f: &PayableFilter,
) -> StoreResult<Vec<(PayableRow, String)>> {
    let mut q = payables::table
        .inner_join(cases::table.on(cases::id.eq(payables::case_id)))
        .filter(payables::municipality.eq(municipality))
        .select((PayableRow::as_select(), cases::external_ref))
        .order(payables::id.asc())
        .limit(f.limit)
        .into_boxed();
    if let Some(s) = f.status {
        q = q.filter(payables::status.eq(s.as_str()));
    }
    if let Some(c) = f.case_id {
        q = q.filter(payables::case_id.eq(c.to_string()));
    }
    if let Some(a) = f.after {
        q = q.filter(payables::id.gt(a.to_string()));
    }
    if let Some(firm) = f.payroll_firm {
        q = q
            .filter(payables::payee.eq(Payee::PayrollFirm.as_str()))
            .filter(payables::payroll_firm.eq(firm.to_string()));
    }
    Ok(q.load(conn)?)
}

pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<PayableRow>> {
    Ok(payables::table
        .filter(payables::id.eq(id))
        .filter(payables::municipality.eq(municipality))
        .select(PayableRow::as_select())
        .first(conn)
        .optional()?)
}

/// The payable ids of expenses, for the expense views.
pub fn of_expenses(
    conn: &mut DbConnection,
    municipality: &str,
    expense_ids: &[String],
) -> StoreResult<Vec<(String, String)>> {
    Ok(payables::table
        .filter(payables::municipality.eq(municipality))
        .filter(payables::expense_id.eq_any(expense_ids))
        .select((payables::expense_id.assume_not_null(), payables::id))
        .load(conn)?)
}

/// Marks a payable paid only if it is still open: two payments of one payable cannot both win.
pub fn mark_paid(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    payment_id: &str,
) -> StoreResult<bool> {
    let n = diesel::update(
        payables::table
            .filter(payables::municipality.eq(municipality))
            .filter(payables::id.eq(id))
            .filter(payables::status.eq(PayableStatus::Open.as_str())),
    )
    .set((
        payables::status.eq(PayableStatus::Paid.as_str()),
        payables::payment_id.eq(Some(payment_id)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The payable of an expense.
pub fn of_expense(
    conn: &mut DbConnection,
    municipality: &str,
    expense_id: &str,
) -> StoreResult<Option<PayableRow>> {
    Ok(payables::table
        .filter(payables::municipality.eq(municipality))
        .filter(payables::expense_id.eq(expense_id))
        .select(PayableRow::as_select())
        .first(conn)
        .optional()?)
}

/// Takes the row lock of an expense's payable (a no-op update) and reads it under the lock, so
/// that an annulment and a payment or a return of the same payable happen one at a time.
pub fn lock_of_expense(
    conn: &mut DbConnection,
    municipality: &str,
    expense_id: &str,
) -> StoreResult<Option<PayableRow>> {
    diesel::update(
        payables::table
            .filter(payables::municipality.eq(municipality))
            .filter(payables::expense_id.eq(expense_id)),
    )
    .set(payables::amount.eq(payables::amount))
    .execute(conn)?;
    of_expense(conn, municipality, expense_id)
}

/// Takes the row locks of the payables a payment paid, in id order (as a payment takes them).
pub fn lock_of_payment(
    conn: &mut DbConnection,
    municipality: &str,
    payment_id: &str,
) -> StoreResult<Vec<PayableRow>> {
    let rows = of_payment(conn, municipality, payment_id)?;
    for p in &rows {
        diesel::update(
            payables::table
                .filter(payables::municipality.eq(municipality))
                .filter(payables::id.eq(&p.id)),
        )
        .set(payables::amount.eq(payables::amount))
        .execute(conn)?;
    }
    of_payment(conn, municipality, payment_id)
}

/// The payables a payment paid.
pub fn of_payment(
    conn: &mut DbConnection,
    municipality: &str,
    payment_id: &str,
) -> StoreResult<Vec<PayableRow>> {
    Ok(payables::table
        .filter(payables::municipality.eq(municipality))
        .filter(payables::payment_id.eq(payment_id))
        .select(PayableRow::as_select())
        .order(payables::id.asc())
        .load(conn)?)
}

/// Cancels an open payable (its approval was annulled before it was paid).
pub fn cancel(conn: &mut DbConnection, municipality: &str, id: &str) -> StoreResult<bool> {
    let n = diesel::update(
        payables::table
            .filter(payables::municipality.eq(municipality))
            .filter(payables::id.eq(id))
            .filter(payables::status.eq(PayableStatus::Open.as_str())),
    )
    .set(payables::status.eq(PayableStatus::Cancelled.as_str()))
    .execute(conn)?;
    Ok(n == 1)
}

/// Opens the payables of a returned payment again: they are owed once more.
pub fn reopen(conn: &mut DbConnection, municipality: &str, payment_id: &str) -> StoreResult<usize> {
    Ok(diesel::update(
        payables::table
            .filter(payables::municipality.eq(municipality))
            .filter(payables::payment_id.eq(payment_id))
            .filter(payables::status.eq(PayableStatus::Paid.as_str())),
    )
    .set((
        payables::status.eq(PayableStatus::Open.as_str()),
        payables::payment_id.eq(None::<String>),
    ))
    .execute(conn)?)
}

pub fn get_payment(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<PaymentRow>> {
    Ok(payments::table
        .filter(payments::municipality.eq(municipality))
        .filter(payments::id.eq(id))
        .select(PaymentRow::as_select())
        .first(conn)
        .optional()?)
}

/// Takes the payment's row lock (a no-op update) and reads it under the lock, so that returns of
/// one payment happen one at a time.
pub fn lock_payment(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<PaymentRow>> {
    diesel::update(
        payments::table
            .filter(payments::municipality.eq(municipality))
            .filter(payments::id.eq(id)),
    )
    .set(payments::amount.eq(payments::amount))
    .execute(conn)?;
    get_payment(conn, municipality, id)
}

/// Marks a payment returned, once (a racing return loses).
pub fn mark_returned(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    on: NaiveDate,
    reason: &str,
    entry_id: &str,
    by: &str,
) -> StoreResult<bool> {
    let n = diesel::update(
        payments::table
            .filter(payments::municipality.eq(municipality))
            .filter(payments::id.eq(id))
            .filter(payments::returned_on.is_null()),
    )
    .set((
        payments::returned_on.eq(Some(on)),
        payments::return_reason.eq(Some(reason)),
        payments::return_entry_id.eq(Some(entry_id)),
        payments::returned_by.eq(Some(by)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub id: String,
    pub municipality: String,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
    pub amount: i64,
    pub entry_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub returned_on: Option<NaiveDate>,
    pub return_reason: Option<String>,
    pub return_entry_id: Option<String>,
    pub returned_by: Option<String>,
}

pub fn insert_payment(conn: &mut DbConnection, row: &PaymentRow) -> StoreResult<()> {
    diesel::insert_into(payments::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Records which payables a payment paid: kept when a return opens them again.
pub fn record_paid(
    conn: &mut DbConnection,
    payment_id: &str,
    payable_ids: &[String],
) -> StoreResult<()> {
    for p in payable_ids {
        diesel::insert_into(payment_payables::table)
            .values((
                payment_payables::payment_id.eq(payment_id),
                payment_payables::payable_id.eq(p),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The payables a payment paid, returned or not.
pub fn paid_by(conn: &mut DbConnection, payment_id: &str) -> StoreResult<Vec<String>> {
    Ok(payment_payables::table
        .filter(payment_payables::payment_id.eq(payment_id))
        .select(payment_payables::payable_id)
        .order(payment_payables::payable_id.asc())
        .load(conn)?)
}

/// The payable of a settlement's shortfall, if any.
pub fn of_settlement(
    conn: &mut DbConnection,
    municipality: &str,
    settlement_id: &str,
) -> StoreResult<Option<String>> {
    Ok(payables::table
        .filter(payables::municipality.eq(municipality))
        .filter(payables::settlement_id.eq(settlement_id))
        .select(payables::id)
        .first(conn)
        .optional()?)
}

/// Many payables at once (an import's), written as `expenses::insert_many` writes expenses.
pub fn insert_many(conn: &mut DbConnection, rows: &[PayableRow]) -> StoreResult<()> {
    match conn {
        DbConnection::Pg(pg) => {
            diesel::copy_from(payables::table)
                .from_insertable(rows)
                .execute(pg)?;
        }
        DbConnection::Sqlite(lite) => super::insert_chunked!(lite, payables::table, rows, 64),
    }
    Ok(())
}
