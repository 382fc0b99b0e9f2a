//! Expenses with their decision and payable.
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::store::expenses::{self, ExpenseRow};
use crate::store::{budgets, clawbacks, decisions, payables, StoreResult, Tx};
use bookkeeping::{Code, Error, Money};
use chrono::{NaiveDate, NaiveDateTime};
use rules::expense::ExpenseStatus;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct ExpenseView {
    pub id: String,
    #[schema(value_type = String, example = "pending")]
    pub status: ExpenseStatus,
    pub case_id: String,
    pub budget_year_id: String,
    pub post_id: String,
    pub expense_date: NaiveDate,
    /// The service period the rules judge (the expense date when none was given).
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    /// The amount approved (or asked, while pending or when refused whole).
    pub amount: Money,
    /// What the family asked for, when the expense was approved in part.
    pub requested_amount: Option<Money>,
    #[schema(value_type = Option<String>)]
    pub hours: Option<Decimal>,
    pub description: String,
    pub supplier: String,
    pub document_ref: String,
    pub course_country: Option<String>,
    pub decided_by: Option<String>,
    #[serde(with = "crate::read::utc::opt")]
    pub decided_at: Option<NaiveDateTime>,
    pub reject_reason: Option<String>,
    /// The journal entry that booked the approval.
    pub entry_id: Option<String>,
    /// The payable to the family created by the approval.
    pub payable_id: Option<String>,
    /// An annulled approval: when it was decided, why, and the reversing entry.
    #[serde(default)]
    pub annulled_on: Option<NaiveDate>,
    #[serde(default)]
    pub annul_reason: Option<String>,
    #[serde(default)]
    pub annul_entry_id: Option<String>,
    /// The latest decision on the expense (approval, rejection, refusal or annulment).
    #[serde(default)]
    pub decision_id: Option<String>,
    /// The repayment claim an annulment of a paid approval made.
    #[serde(default)]
    pub clawback_id: Option<String>,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

pub fn view(e: ExpenseRow, payable_id: Option<String>) -> StoreResult<ExpenseView> {
    Ok(ExpenseView {
        decision_id: None,
        clawback_id: None,
        hours: e.hours()?,
        status: e.status()?,
        amount: e.amount(),
        requested_amount: e.requested_amount.map(Money::from_ore),
        id: e.id,
        case_id: e.case_id,
        budget_year_id: e.budget_year_id,
        post_id: e.post_id,
        expense_date: e.expense_date,
        service_from: e.service_from,
        service_to: e.service_to,
        annulled_on: e.annulled_on,
        annul_reason: e.annul_reason,
        annul_entry_id: e.annul_entry_id,
        description: e.description,
        supplier: e.supplier,
        document_ref: e.document_ref,
        course_country: e.course_country,
        decided_by: e.decided_by,
        decided_at: e.decided_at,
        reject_reason: e.reject_reason,
        entry_id: e.entry_id,
        payable_id,
        created_by: e.created_by,
        created_at: e.created_at,
    })
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::ExpenseNotFound, "expense", id)
}

/// Expenses with the payables their approvals created.
fn with_payables(tx: &mut Tx, m: &str, rows: Vec<ExpenseRow>) -> Result<Vec<ExpenseView>> {
    let ids: Vec<String> = rows.iter().map(|e| e.id.clone()).collect();
    let payables = payables::of_expenses(tx, m, &ids)?;
    let decided = decisions::latest_for(tx, m, "expense", &ids)?;
    let claims = clawbacks::of_expenses(tx, m, &ids)?;
    let find = |list: &[(String, String)], id: &str| {
        list.iter().find(|(x, _)| x == id).map(|(_, v)| v.clone())
    };
    Ok(rows
        .into_iter()
        .map(|e| {
            let (p, d, c) = (
                find(&payables, &e.id),
                find(&decided, &e.id),
                find(&claims, &e.id),
            );
            let mut v = view(e, p)?;
            v.decision_id = d;
            v.clawback_id = c;
            Ok(v)
        })
        .collect::<StoreResult<_>>()?)
}

/// One expense as it stands now.
pub fn current(tx: &mut Tx, m: &str, id: &str) -> Result<ExpenseView> {
    let e = expenses::get(tx, m, id)?.ok_or_else(|| not_found(id))?;
    Ok(with_payables(tx, m, vec![e])?.remove(0))
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<ExpenseView> {
    ctx.require(CASE_READERS)?;
    current(tx, &ctx.municipality, id)
}

pub fn of_year(tx: &mut Tx, ctx: &Ctx, year_id: &str) -> Result<Vec<ExpenseView>> {
    ctx.require(CASE_READERS)?;
    let m = &ctx.municipality;
    budgets::get_year(tx, m, year_id)?.ok_or_else(|| super::budget_years::not_found(year_id))?;
    let rows = expenses::of_year(tx, m, year_id)?;
    with_payables(tx, m, rows)
}
