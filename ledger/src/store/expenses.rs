//! Expenses and the decisions on them.
use super::budgets::parse_hours;
pub use super::expense_facts::judging_facts;
use super::schema::expenses;
use super::{known, DbConnection, StoreResult};
use bookkeeping::Money;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::expense::ExpenseStatus;
pub use rules::expense::ServicePeriod;
use rust_decimal::Decimal;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = expenses)]
// NULL for None, not DEFAULT, so an import inserts many rows in one statement on SQLite.
#[diesel(treat_none_as_default_value = false)]
pub struct ExpenseRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub budget_year_id: String,
    pub post_id: String,
    pub expense_date: NaiveDate,
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    pub amount: i64,
    pub hours: Option<String>,
    pub description: String,
    pub supplier: String,
    pub document_ref: String,
    /// `document_key(supplier, document_ref)`: what an invoice's uniqueness is judged on.
    pub document_key: Option<String>,
    /// What the family asked for, when the expense was approved in part (`amount` is then what
    /// was approved).
    pub requested_amount: Option<i64>,
    pub course_country: Option<String>,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reject_reason: Option<String>,
    pub entry_id: Option<String>,
    pub annulled_on: Option<NaiveDate>,
    pub annulled_by: Option<String>,
    pub annul_reason: Option<String>,
    pub annul_entry_id: Option<String>,
    /// Approved against the family's advance under a fixed-amount agreement, not as a payable.
    pub against_advance: bool,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// The payroll import the expense was booked from (a payslip line), if any.
    pub import_id: Option<String>,
}

impl ExpenseRow {
    pub fn hours(&self) -> StoreResult<Option<Decimal>> {
        parse_hours("expenses.hours", self.hours.as_deref())
    }
    pub fn status(&self) -> StoreResult<ExpenseStatus> {
        known(
            ExpenseStatus::parse(&self.status),
            "expenses.status",
            &self.status,
        )
    }
    pub fn amount(&self) -> Money {
        Money::from_ore(self.amount)
    }
    /// The service period, explicit when it differs from the expense date.
    pub fn service(&self) -> rules::expense::ServicePeriod {
        rules::expense::ServicePeriod {
            from: self.service_from,
            to: self.service_to,
            explicit: self.service_from != self.expense_date
                || self.service_to != self.expense_date,
        }
    }
}

/// Expenses in play: a document of one of these cannot be submitted again.
pub const LIVE: [&str; 2] = ["pending", "approved"];

/// An invoice's key: the supplier's and the document's normal forms (`reference_key`), so that
/// "DUP-1" and "dup-1" from one supplier are one invoice, and the same number from two
/// suppliers is two.
pub fn document_key(supplier: &str, document_ref: &str) -> String {
    use rules::privacy::normal_form::reference_key;
    format!(
        "{}\u{1f}{}",
        reference_key(supplier),
        reference_key(document_ref)
    )
}

pub fn document_taken(
    conn: &mut DbConnection,
    case_id: &str,
    supplier: &str,
    document_ref: &str,
) -> StoreResult<bool> {
    let n: i64 = expenses::table
        .filter(expenses::case_id.eq(case_id))
        .filter(expenses::document_key.eq(document_key(supplier, document_ref)))
        .filter(expenses::status.eq_any(LIVE))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut DbConnection, row: &ExpenseRow) -> StoreResult<()> {
    diesel::insert_into(expenses::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Many expenses at once (an import's): COPY on PostgreSQL; on SQLite statements of a fixed
/// number of rows, each prepared once (`insert_chunked`).
pub fn insert_many(conn: &mut DbConnection, rows: &[ExpenseRow]) -> StoreResult<()> {
    match conn {
        DbConnection::Pg(pg) => {
            diesel::copy_from(expenses::table)
                .from_insertable(rows)
                .execute(pg)?;
        }
        DbConnection::Sqlite(lite) => super::insert_chunked!(lite, expenses::table, rows, 32),
    }
    Ok(())
}

/// The document references of a case's live expenses (a document is reimbursed once).
pub fn live_documents(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Vec<String>> {
    Ok(expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::case_id.eq(case_id))
        .filter(expenses::status.eq_any(LIVE))
        .select(expenses::document_ref)
        .load(conn)?)
}

/// The document references of the municipality's live expenses that came from payroll files
/// (payslips, and their fees as `<payslip>#fee`).
pub fn imported_documents(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<String>> {
    Ok(expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::import_id.is_not_null())
        .filter(expenses::status.eq_any(LIVE))
        .select(expenses::document_ref)
        .load(conn)?)
}

/// Hours of approved expenses on these posts: (first service day, hours).
pub fn approved_hours(
    conn: &mut DbConnection,
    municipality: &str,
    post_ids: &[String],
) -> StoreResult<Vec<(NaiveDate, Decimal)>> {
    let rows: Vec<(NaiveDate, Option<String>)> = expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::post_id.eq_any(post_ids))
        .filter(expenses::status.eq(ExpenseStatus::Approved.as_str()))
        .select((expenses::service_from, expenses::hours))
        .load(conn)?;
    rows.into_iter()
        .map(|(d, h)| {
            Ok((
                d,
                parse_hours("expenses.hours", h.as_deref())?.unwrap_or_default(),
            ))
        })
        .collect()
}

pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<ExpenseRow>> {
    Ok(expenses::table
        .filter(expenses::id.eq(id))
        .filter(expenses::municipality.eq(municipality))
        .select(ExpenseRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn of_year(
    conn: &mut DbConnection,
    municipality: &str,
    year_id: &str,
) -> StoreResult<Vec<ExpenseRow>> {
    Ok(expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::budget_year_id.eq(year_id))
        .select(ExpenseRow::as_select())
        .order(expenses::id.asc())
        .load(conn)?)
}

/// Approved expenses of a case, across its budget years: (first service day, amount).
pub fn approved_spending(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Vec<(NaiveDate, Money)>> {
    let rows: Vec<(NaiveDate, i64)> = expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::case_id.eq(case_id))
        .filter(expenses::status.eq(ExpenseStatus::Approved.as_str()))
        // Paid from an advance: the installment that funded it counts already.
        .filter(expenses::against_advance.eq(false))
        .select((expenses::service_from, expenses::amount))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(d, a)| (d, Money::from_ore(a)))
        .collect())
}

/// The latest service day of an approved or pending expense on the case.
pub fn last_live(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Option<NaiveDate>> {
    let live = [
        ExpenseStatus::Approved.as_str(),
        ExpenseStatus::Pending.as_str(),
    ];
    Ok(expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::case_id.eq(case_id))
        .filter(expenses::status.eq_any(live))
        .select(expenses::service_to)
        .order(expenses::service_to.desc())
        .first(conn)
        .optional()?)
}

/// A decision on a pending expense.
pub struct Decision<'a> {
    pub status: ExpenseStatus,
    pub by: &'a str,
    pub at: NaiveDateTime,
    pub reason: Option<&'a str>,
    pub entry_id: Option<&'a str>,
    /// Approved against the family's advance (a post an agreement covers).
    pub against_advance: bool,
}

/// Moves an expense out of `pending`; false when it was no longer pending (a racing decision).
pub fn decide(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    d: &Decision,
) -> StoreResult<bool> {
    let n = diesel::update(
        expenses::table
            .filter(expenses::municipality.eq(municipality))
            .filter(expenses::id.eq(id))
            .filter(expenses::status.eq(ExpenseStatus::Pending.as_str())),
    )
    .set((
        expenses::status.eq(d.status.as_str()),
        expenses::decided_by.eq(Some(d.by)),
        expenses::decided_at.eq(Some(d.at)),
        expenses::reject_reason.eq(d.reason),
        expenses::entry_id.eq(d.entry_id),
        expenses::against_advance.eq(d.against_advance),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A partial approval: the expense's amount becomes what was approved, what was asked is kept.
pub fn approve_in_part(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    approved: i64,
    requested: i64,
) -> StoreResult<()> {
    diesel::update(
        expenses::table
            .filter(expenses::municipality.eq(municipality))
            .filter(expenses::id.eq(id)),
    )
    .set((
        expenses::amount.eq(approved),
        expenses::requested_amount.eq(Some(requested)),
    ))
    .execute(conn)?;
    Ok(())
}

/// An approval annulled: only if it is still approved (a racing annulment loses).
pub fn annul(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    on: NaiveDate,
    by: &str,
    reason: &str,
    entry_id: &str,
) -> StoreResult<bool> {
    let n = diesel::update(
        expenses::table
            .filter(expenses::municipality.eq(municipality))
            .filter(expenses::id.eq(id))
            .filter(expenses::status.eq(ExpenseStatus::Approved.as_str())),
    )
    .set((
        expenses::status.eq(ExpenseStatus::Annulled.as_str()),
        expenses::annulled_on.eq(Some(on)),
        expenses::annulled_by.eq(Some(by)),
        expenses::annul_reason.eq(Some(reason)),
        expenses::annul_entry_id.eq(Some(entry_id)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Each post's state from the expenses of its budget year: approved and pending amounts and hours.
pub fn post_states(
    conn: &mut DbConnection,
    municipality: &str,
    year_id: &str,
    posts: &[super::budgets::PostRow],
) -> StoreResult<Vec<rules::budget::rigid_posts::PostState>> {
    let expenses = of_year(conn, municipality, year_id)?;
    posts
        .iter()
        .map(|p| {
            let mut s = rules::budget::rigid_posts::PostState {
                label: p.label()?,
                category: p.category()?,
                granted: p.granted(),
                approved: Money::ZERO,
                pending: Money::ZERO,
                hours_granted: p.hours()?,
                hours_used: Decimal::ZERO,
                hours_pending: Decimal::ZERO,
            };
            for e in expenses.iter().filter(|e| e.post_id == p.id) {
                let hours = e.hours()?.unwrap_or_default();
                match e.status()? {
                    ExpenseStatus::Approved => {
                        s.approved += e.amount();
                        s.hours_used += hours;
                    }
                    ExpenseStatus::Pending => {
                        s.pending += e.amount();
                        s.hours_pending += hours;
                    }
                    ExpenseStatus::Rejected | ExpenseStatus::Refused | ExpenseStatus::Annulled => {}
                }
            }
            Ok(s)
        })
        .collect()
}
