//! Rows of cases, budget years, posts, expenses, payables and payments, and their queries.
use super::schema::{
    budget_posts, budget_versions, budget_years, cases, expenses, payables, payments, rates,
};
use super::DbConnection;
use crate::domain::budget::{Category, PostSnapshot};
use crate::domain::cases::{self as case_rules, Case, Scope};
use crate::domain::rates::Rate;
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A unique violation from a racing duplicate is the same conflict the pre-check reports.
fn conflict_if_duplicate(e: Error, conflict: impl FnOnce() -> Error) -> Error {
    if super::is_unique_violation(&e) {
        conflict()
    } else {
        e
    }
}

// ---- rates ----

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = rates)]
pub struct RateRow {
    pub id: String,
    pub name: String,
    pub valid_from: NaiveDate,
    pub value: String,
    pub unit: String,
    pub source: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl RateRow {
    pub fn view(self) -> Rate {
        Rate {
            value: Decimal::from_str(&self.value).unwrap_or_default(),
            id: self.id,
            name: self.name,
            valid_from: self.valid_from,
            unit: self.unit,
            source: self.source,
            created_by: self.created_by,
            created_at: self.created_at,
        }
    }
}

pub fn rates_named(conn: &mut DbConnection, name: Option<&str>) -> Result<Vec<Rate>> {
    let mut q = rates::table
        .select(RateRow::as_select())
        .order((rates::name.asc(), rates::valid_from.asc()))
        .into_boxed();
    if let Some(n) = name {
        q = q.filter(rates::name.eq(n.to_string()));
    }
    Ok(q.load(conn)?.into_iter().map(RateRow::view).collect())
}

pub fn insert_rate(conn: &mut DbConnection, row: &RateRow) -> Result<()> {
    let exists: i64 = rates::table
        .filter(rates::name.eq(&row.name))
        .filter(rates::valid_from.eq(row.valid_from))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Err(Error::conflict(
            "rate_exists",
            format!(
                "{} already has a value valid from {}; rates are never overwritten",
                row.name, row.valid_from
            ),
        ));
    }
    diesel::insert_into(rates::table)
        .values(row)
        .execute(conn)
        .map_err(|e| {
            conflict_if_duplicate(e.into(), || {
                Error::conflict(
                    "rate_exists",
                    format!(
                        "{} already has a value valid from {}",
                        row.name, row.valid_from
                    ),
                )
            })
        })?;
    Ok(())
}

// ---- cases ----

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: String,
    pub municipality: String,
    pub external_ref: String,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: String,
    pub end_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub lock_version: i64,
}

impl CaseRow {
    pub fn view(&self) -> Case {
        Case {
            id: self.id.clone(),
            external_ref: self.external_ref.clone(),
            child_birth_date: self.child_birth_date,
            application_date: self.application_date,
            approval_date: self.approval_date,
            scope: Scope::parse(&self.scope).unwrap_or(Scope::Full),
            end_date: self.end_date,
            end_reason: self.end_reason.clone(),
            ends_at_18: case_rules::day_before_18th_birthday(self.child_birth_date),
            effective_end: case_rules::effective_end(self.end_date, self.child_birth_date),
            created_by: self.created_by.clone(),
            created_at: self.created_at,
        }
    }
}

pub fn insert_case(conn: &mut DbConnection, row: &CaseRow) -> Result<()> {
    let taken: i64 = cases::table
        .filter(cases::municipality.eq(&row.municipality))
        .filter(cases::external_ref.eq(&row.external_ref))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(Error::conflict(
            "case_ref_taken",
            format!("a case with reference {} already exists", row.external_ref),
        )
        .with_field("external_ref", "unique per municipality"));
    }
    diesel::insert_into(cases::table)
        .values(row)
        .execute(conn)
        .map_err(|e| {
            conflict_if_duplicate(e.into(), || {
                Error::conflict(
                    "case_ref_taken",
                    format!("a case with reference {} already exists", row.external_ref),
                )
            })
        })?;
    Ok(())
}

pub fn get_case(conn: &mut DbConnection, municipality: &str, id: &str) -> Result<CaseRow> {
    cases::table
        .filter(cases::id.eq(id))
        .filter(cases::municipality.eq(municipality))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| Error::not_found("case_not_found", format!("case {id} does not exist")))
}

/// Takes the case's row lock (PostgreSQL) so that decisions on one case happen one at a time.
pub fn lock_case(conn: &mut DbConnection, municipality: &str, id: &str) -> Result<CaseRow> {
    diesel::update(
        cases::table
            .filter(cases::id.eq(id))
            .filter(cases::municipality.eq(municipality)),
    )
    .set(cases::lock_version.eq(cases::lock_version + 1))
    .execute(conn)?;
    get_case(conn, municipality, id)
}

pub fn list_cases(
    conn: &mut DbConnection,
    municipality: &str,
    external_ref: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<CaseRow>> {
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

pub fn set_case_end(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    end: NaiveDate,
    reason: &str,
) -> Result<()> {
    diesel::update(
        cases::table
            .filter(cases::municipality.eq(municipality))
            .filter(cases::id.eq(id)),
    )
    .set((
        cases::end_date.eq(Some(end)),
        cases::end_reason.eq(Some(reason)),
    ))
    .execute(conn)?;
    Ok(())
}

// ---- budget years and posts ----

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = budget_years)]
pub struct YearRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub start_date: NaiveDate,
    pub nominal_end_date: NaiveDate,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = budget_posts)]
pub struct PostRow {
    pub id: String,
    pub municipality: String,
    pub budget_year_id: String,
    pub line_no: i32,
    pub category: String,
    pub description: String,
    pub granted: i64,
    pub hours_granted: Option<String>,
    pub hourly_rate: Option<i64>,
    pub account_id: String,
    pub created_at: NaiveDateTime,
}

impl PostRow {
    pub fn category(&self) -> Category {
        Category::parse(&self.category).unwrap_or(Category::Other)
    }
    pub fn hours(&self) -> Option<Decimal> {
        self.hours_granted
            .as_deref()
            .and_then(|h| Decimal::from_str(h).ok())
    }
    pub fn label(&self) -> String {
        format!("{} \"{}\"", self.category(), self.description)
    }
    pub fn snapshot(&self) -> PostSnapshot {
        PostSnapshot {
            post_id: self.id.clone(),
            category: self.category(),
            description: self.description.clone(),
            granted: Money::from_ore(self.granted),
            hours_granted: self.hours(),
            hourly_rate: self.hourly_rate.map(Money::from_ore),
        }
    }
}

pub fn insert_year(conn: &mut DbConnection, row: &YearRow) -> Result<()> {
    diesel::insert_into(budget_years::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get_year(conn: &mut DbConnection, municipality: &str, id: &str) -> Result<YearRow> {
    budget_years::table
        .filter(budget_years::id.eq(id))
        .filter(budget_years::municipality.eq(municipality))
        .select(YearRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            Error::not_found(
                "budget_year_not_found",
                format!("budget year {id} does not exist"),
            )
        })
}

pub fn years_of_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> Result<Vec<YearRow>> {
    Ok(budget_years::table
        .filter(budget_years::municipality.eq(municipality))
        .filter(budget_years::case_id.eq(case_id))
        .select(YearRow::as_select())
        .order(budget_years::start_date.asc())
        .load(conn)?)
}

/// Moves the budget year to its next version only if nobody else did first.
pub fn bump_version(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    expected: i32,
) -> Result<bool> {
    let n = diesel::update(
        budget_years::table
            .filter(budget_years::municipality.eq(municipality))
            .filter(budget_years::id.eq(id))
            .filter(budget_years::version.eq(expected)),
    )
    .set(budget_years::version.eq(expected + 1))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_posts(conn: &mut DbConnection, rows: &[PostRow]) -> Result<()> {
    for r in rows {
        diesel::insert_into(budget_posts::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

pub fn posts_of_year(
    conn: &mut DbConnection,
    municipality: &str,
    year_id: &str,
) -> Result<Vec<PostRow>> {
    Ok(budget_posts::table
        .filter(budget_posts::municipality.eq(municipality))
        .filter(budget_posts::budget_year_id.eq(year_id))
        .select(PostRow::as_select())
        .order(budget_posts::line_no.asc())
        .load(conn)?)
}

pub fn update_post_grant(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    granted: Money,
    hours: Option<Decimal>,
    rate: Option<Money>,
) -> Result<()> {
    diesel::update(
        budget_posts::table
            .filter(budget_posts::municipality.eq(municipality))
            .filter(budget_posts::id.eq(id)),
    )
    .set((
        budget_posts::granted.eq(granted.ore()),
        budget_posts::hours_granted.eq(hours.map(|h| h.normalize().to_string())),
        budget_posts::hourly_rate.eq(rate.map(|r| r.ore())),
    ))
    .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = budget_versions)]
pub struct VersionRow {
    pub budget_year_id: String,
    pub version: i32,
    pub decided_on: NaiveDate,
    pub reason: String,
    pub snapshot: String,
    pub entry_id: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_version(conn: &mut DbConnection, row: &VersionRow) -> Result<()> {
    diesel::insert_into(budget_versions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn versions_of_year(conn: &mut DbConnection, year_id: &str) -> Result<Vec<VersionRow>> {
    Ok(budget_versions::table
        .filter(budget_versions::budget_year_id.eq(year_id))
        .select(VersionRow::as_select())
        .order(budget_versions::version.asc())
        .load(conn)?)
}

// ---- expenses ----

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = expenses)]
pub struct ExpenseRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub budget_year_id: String,
    pub post_id: String,
    pub expense_date: NaiveDate,
    pub amount: i64,
    pub hours: Option<String>,
    pub description: String,
    pub supplier: String,
    pub document_ref: String,
    pub course_country: Option<String>,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reject_reason: Option<String>,
    pub entry_id: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl ExpenseRow {
    pub fn hours(&self) -> Option<Decimal> {
        self.hours
            .as_deref()
            .and_then(|h| Decimal::from_str(h).ok())
    }
}

pub fn insert_expense(conn: &mut DbConnection, row: &ExpenseRow) -> Result<()> {
    let taken: i64 = expenses::table
        .filter(expenses::case_id.eq(&row.case_id))
        .filter(expenses::document_ref.eq(&row.document_ref))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(Error::conflict(
            "document_ref_taken",
            format!(
                "document {} is already submitted on this case; a document is reimbursed once",
                row.document_ref
            ),
        )
        .with_field("document_ref", "unique per case"));
    }
    diesel::insert_into(expenses::table)
        .values(row)
        .execute(conn)
        .map_err(|e| {
            conflict_if_duplicate(e.into(), || {
                Error::conflict(
                    "document_ref_taken",
                    format!(
                        "document {} is already submitted on this case",
                        row.document_ref
                    ),
                )
            })
        })?;
    Ok(())
}

pub fn get_expense(conn: &mut DbConnection, municipality: &str, id: &str) -> Result<ExpenseRow> {
    expenses::table
        .filter(expenses::id.eq(id))
        .filter(expenses::municipality.eq(municipality))
        .select(ExpenseRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            Error::not_found("expense_not_found", format!("expense {id} does not exist"))
        })
}

pub fn expenses_of_year(
    conn: &mut DbConnection,
    municipality: &str,
    year_id: &str,
) -> Result<Vec<ExpenseRow>> {
    Ok(expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::budget_year_id.eq(year_id))
        .select(ExpenseRow::as_select())
        .order(expenses::id.asc())
        .load(conn)?)
}

/// Approved expenses of a case, across its budget years: (date, amount).
pub fn approved_spending(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> Result<Vec<(NaiveDate, Money)>> {
    let rows: Vec<(NaiveDate, i64)> = expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::case_id.eq(case_id))
        .filter(expenses::status.eq("approved"))
        .select((expenses::expense_date, expenses::amount))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(d, a)| (d, Money::from_ore(a)))
        .collect())
}

/// The latest date of an approved or pending expense on the case.
pub fn last_live_expense(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> Result<Option<NaiveDate>> {
    Ok(expenses::table
        .filter(expenses::municipality.eq(municipality))
        .filter(expenses::case_id.eq(case_id))
        .filter(expenses::status.eq_any(["approved", "pending"]))
        .select(expenses::expense_date)
        .order(expenses::expense_date.desc())
        .first(conn)
        .optional()?)
}

/// A decision on a pending expense.
pub struct Decision<'a> {
    pub status: &'a str,
    pub by: &'a str,
    pub at: NaiveDateTime,
    pub reason: Option<&'a str>,
    pub entry_id: Option<&'a str>,
}

/// Moves an expense out of `pending`; false when it was no longer pending (a racing decision).
pub fn decide_expense(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    d: &Decision,
) -> Result<bool> {
    let n = diesel::update(
        expenses::table
            .filter(expenses::municipality.eq(municipality))
            .filter(expenses::id.eq(id))
            .filter(expenses::status.eq("pending")),
    )
    .set((
        expenses::status.eq(d.status),
        expenses::decided_by.eq(Some(d.by)),
        expenses::decided_at.eq(Some(d.at)),
        expenses::reject_reason.eq(d.reason),
        expenses::entry_id.eq(d.entry_id),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

// ---- payables and payments ----

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = payables)]
pub struct PayableRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub expense_id: String,
    pub amount: i64,
    pub status: String,
    pub payment_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_payable(conn: &mut DbConnection, row: &PayableRow) -> Result<()> {
    diesel::insert_into(payables::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn list_payables(
    conn: &mut DbConnection,
    municipality: &str,
    status: Option<&str>,
    case_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(PayableRow, String)>> {
    let mut q = payables::table
        .inner_join(cases::table.on(cases::id.eq(payables::case_id)))
        .filter(payables::municipality.eq(municipality))
        .select((PayableRow::as_select(), cases::external_ref))
        .order(payables::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(payables::status.eq(s.to_string()));
    }
    if let Some(c) = case_id {
        q = q.filter(payables::case_id.eq(c.to_string()));
    }
    if let Some(a) = after {
        q = q.filter(payables::id.gt(a.to_string()));
    }
    Ok(q.load(conn)?)
}

pub fn get_payable(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> Result<Option<PayableRow>> {
    Ok(payables::table
        .filter(payables::id.eq(id))
        .filter(payables::municipality.eq(municipality))
        .select(PayableRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn payable_of_expense(
    conn: &mut DbConnection,
    municipality: &str,
    expense_id: &str,
) -> Result<Option<PayableRow>> {
    Ok(payables::table
        .filter(payables::municipality.eq(municipality))
        .filter(payables::expense_id.eq(expense_id))
        .select(PayableRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a payable paid only if it is still open: two payments of one payable cannot both win.
pub fn mark_paid(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    payment_id: &str,
) -> Result<bool> {
    let n = diesel::update(
        payables::table
            .filter(payables::municipality.eq(municipality))
            .filter(payables::id.eq(id))
            .filter(payables::status.eq("open")),
    )
    .set((
        payables::status.eq("paid"),
        payables::payment_id.eq(Some(payment_id)),
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
}

pub fn insert_payment(conn: &mut DbConnection, row: &PaymentRow) -> Result<()> {
    diesel::insert_into(payments::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}
