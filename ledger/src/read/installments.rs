//! Fixed-amount agreements' installments: when due, how much, each post's share, paid or not.
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::store::agreements::{self, InstallmentRow};
use crate::store::{budgets, Tx};
use bookkeeping::{Code, Error, Money, Role};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Allocation {
    pub post_id: String,
    pub amount: Money,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct InstallmentView {
    pub id: String,
    pub case_id: String,
    pub agreement_id: String,
    pub due_date: NaiveDate,
    pub amount: Money,
    /// `due`, `paid` or `cancelled`.
    #[schema(example = "due")]
    pub status: String,
    /// Each covered post's share; the shares sum to the amount.
    pub allocation: Vec<Allocation>,
    pub paid_on: Option<NaiveDate>,
    pub bank_reference: Option<String>,
    /// The entry that paid it (advance 1100 against the bank).
    pub entry_id: Option<String>,
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::InstallmentNotFound, "installment", id)
}

/// Installments with their allocations.
pub fn views(tx: &mut Tx, rows: Vec<InstallmentRow>) -> Result<Vec<InstallmentView>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let alloc = agreements::allocations(tx, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| InstallmentView {
            allocation: alloc
                .iter()
                .filter(|(i, _, _)| *i == r.id)
                .map(|(_, post_id, a)| Allocation {
                    post_id: post_id.clone(),
                    amount: Money::from_ore(*a),
                })
                .collect(),
            amount: Money::from_ore(r.amount),
            id: r.id,
            case_id: r.case_id,
            agreement_id: r.agreement_id,
            due_date: r.due_date,
            status: r.status,
            paid_on: r.paid_on,
            bank_reference: r.bank_reference,
            entry_id: r.entry_id,
        })
        .collect())
}

/// The schedule of a budget year's agreement (empty without one).
pub fn of_year(tx: &mut Tx, ctx: &Ctx, year_id: &str) -> Result<Vec<InstallmentView>> {
    ctx.require(CASE_READERS)?;
    let m = &ctx.municipality;
    budgets::get_year(tx, m, year_id)?.ok_or_else(|| super::budget_years::not_found(year_id))?;
    let Some(a) = agreements::of_year(tx, m, year_id)? else {
        return Ok(vec![]);
    };
    let rows = agreements::installments_of(tx, m, &a.id)?;
    views(tx, rows)
}

/// Installments to pay (finance): by status, due on or before `until`.
pub fn list(
    tx: &mut Tx,
    ctx: &Ctx,
    status: Option<&str>,
    until: Option<NaiveDate>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<InstallmentView>> {
    ctx.require(&[Role::Finance, Role::Controller, Role::Admin])?;
    let rows = agreements::list(tx, &ctx.municipality, status, until, after, limit)?;
    views(tx, rows)
}
