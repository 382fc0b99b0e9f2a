//! Payroll runs and their lines, for payroll systems: JSON pages, or CSV (English, or Danish with
//! `;`, decimal commas and a UTF-8 byte-order mark).
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::store::payroll::{self as store, LineRow, RunRow};
use crate::store::{cases, StoreResult, Tx};
use bookkeeping::{Code, Error, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
#[schema(as = PayrollRun)]
pub struct RunView {
    pub id: String,
    #[schema(example = "2024-05")]
    pub month: String,
    pub lines_count: i32,
    /// Of the lines, the corrections of earlier months.
    pub corrections_count: i32,
    pub total_gross: Money,
    pub total_pension: Money,
    pub total_atp_recipient: Money,
    pub total_atp_municipality: Money,
    pub total_savings_deduction: Money,
    pub total_pay_before_tax: Money,
    /// The run's voucher in the journal (the lines' totals); none when nothing was booked.
    pub entry_id: Option<String>,
    pub created_by: String,
    /// True when the month had been run before this request: nothing was booked now.
    pub already_run: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
#[schema(as = PayrollLine)]
pub struct LineView {
    pub line_no: i32,
    /// The lost-earnings decision the line pays.
    pub decision_id: String,
    pub parent_ref: String,
    pub case_ref: String,
    #[schema(example = "2024-05")]
    pub month: String,
    /// `regular` or `correction`.
    #[schema(example = "regular")]
    pub kind: String,
    /// The earlier month a correction line corrects (the difference only).
    pub corrects_month: Option<String>,
    #[schema(example = "160.33")]
    pub hours: String,
    pub gross: Money,
    pub pension: Money,
    pub atp_recipient: Money,
    pub atp_municipality: Money,
    /// Deducted after tax by the payroll system; not taken off the gross.
    pub savings_deduction: Money,
    pub pay_before_tax: Money,
    /// An installment on a claim the family consented in writing to have set off against this
    /// pay (`set_off_clawback_id`): the payroll system withholds it after tax, like savings.
    pub set_off: Money,
    pub set_off_clawback_id: Option<String>,
    /// The run's voucher in the journal: the lines are its subledger (none for a month found
    /// overpaid, which is not paid or deducted).
    pub entry_id: Option<String>,
    /// `false` for a month found overpaid: information only, nothing is deducted from the
    /// parent's pay; the money is a proposed claim (`clawback_id`) the parent is heard on.
    pub paid: bool,
    pub clawback_id: Option<String>,
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::PayrollRunNotFound, "payroll run", id)
}

fn ym(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

pub fn run_view(r: RunRow, already_run: bool) -> RunView {
    RunView {
        id: r.id,
        month: ym(r.month),
        lines_count: r.lines_count,
        corrections_count: r.corrections_count,
        total_gross: Money::from_ore(r.total_gross),
        total_pension: Money::from_ore(r.total_pension),
        total_atp_recipient: Money::from_ore(r.total_atp_recipient),
        total_atp_municipality: Money::from_ore(r.total_atp_municipality),
        total_savings_deduction: Money::from_ore(r.total_savings_deduction),
        total_pay_before_tax: Money::from_ore(r.total_pay_before_tax),
        entry_id: r.entry_id,
        created_by: r.created_by,
        already_run,
    }
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<RunView> {
    ctx.require(CASE_READERS)?;
    let r = store::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    Ok(run_view(r, false))
}

pub fn of_month(tx: &mut Tx, ctx: &Ctx, month: NaiveDate) -> Result<Option<RunView>> {
    ctx.require(CASE_READERS)?;
    Ok(store::of_month(tx, &ctx.municipality, month)?.map(|r| run_view(r, true)))
}

pub fn list(tx: &mut Tx, ctx: &Ctx, after: Option<&str>, limit: i64) -> Result<Vec<RunView>> {
    ctx.require(CASE_READERS)?;
    Ok(store::list(tx, &ctx.municipality, after, limit)?
        .into_iter()
        .map(|r| run_view(r, false))
        .collect())
}

fn line_view(r: LineRow, case_ref: String) -> LineView {
    LineView {
        line_no: r.line_no,
        decision_id: r.lost_earnings_id,
        parent_ref: r.parent_ref,
        case_ref,
        month: ym(r.month),
        kind: r.kind,
        corrects_month: r.corrects_month.map(ym),
        hours: r.hours,
        gross: Money::from_ore(r.gross),
        pension: Money::from_ore(r.pension),
        atp_recipient: Money::from_ore(r.atp_recipient),
        atp_municipality: Money::from_ore(r.atp_municipality),
        savings_deduction: Money::from_ore(r.savings_deduction),
        pay_before_tax: Money::from_ore(r.pay_before_tax),
        set_off: Money::from_ore(r.set_off),
        set_off_clawback_id: r.set_off_clawback_id,
        entry_id: r.entry_id,
        paid: r.clawback_id.is_none(),
        clawback_id: r.clawback_id,
    }
}

/// A page of a run's lines, after line number `after`.
pub fn lines(
    tx: &mut Tx,
    ctx: &Ctx,
    run_id: &str,
    after: i32,
    limit: i64,
) -> Result<Vec<LineView>> {
    ctx.require(CASE_READERS)?;
    store::get(tx, &ctx.municipality, run_id)?.ok_or_else(|| not_found(run_id))?;
    let rows = store::lines(tx, run_id, after, limit)?;
    // The references of the page's cases only.
    let mut ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let refs = cases::refs_of(tx, &ctx.municipality, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let case_ref = refs.get(&r.case_id).cloned().unwrap_or_default();
            line_view(r, case_ref)
        })
        .collect())
}

/// Every line of a run as CSV; `danish`: `;`, decimal commas and a UTF-8 byte-order mark.
pub fn csv(lines: &[LineView], danish: bool) -> StoreResult<Vec<u8>> {
    use crate::read::spreadsheet::{text_cell, Sheet};
    let mut w = Sheet::new(danish, true);
    w.row([
        "line_no",
        "decision_id",
        "parent_ref",
        "case_ref",
        "month",
        "kind",
        "corrects_month",
        "hours",
        "gross",
        "pension",
        "atp_recipient",
        "atp_municipality",
        "savings_deduction",
        "pay_before_tax",
        "set_off",
        "set_off_clawback_id",
        "paid",
        "clawback_id",
    ])?;
    for l in lines {
        w.row([
            l.line_no.to_string(),
            l.decision_id.clone(),
            text_cell(&l.parent_ref),
            text_cell(&l.case_ref),
            l.month.clone(),
            l.kind.clone(),
            l.corrects_month.clone().unwrap_or_default(),
            w.number(&l.hours),
            w.money(l.gross),
            w.money(l.pension),
            w.money(l.atp_recipient),
            w.money(l.atp_municipality),
            w.money(l.savings_deduction),
            w.money(l.pay_before_tax),
            w.money(l.set_off),
            l.set_off_clawback_id.clone().unwrap_or_default(),
            match (l.paid, danish) {
                (true, true) => "ja",
                (true, false) => "yes",
                (false, true) => "nej",
                (false, false) => "no",
            }
            .to_string(),
            l.clawback_id.clone().unwrap_or_default(),
        ])?;
    }
    w.finish()
}
