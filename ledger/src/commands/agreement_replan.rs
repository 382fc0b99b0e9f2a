//! After a decision that changes a budget year's posts: an agreement covering a changed post has
//! its unpaid installments planned again, so each covered post is still prepaid exactly its
//! grant (shared by the amendment command).
use crate::context::Ctx;
use crate::error::Result;
use crate::store::agreements::{self, InstallmentRow};
use crate::store::{budgets, cases, expenses, new_id, now, settlements, StoreError, Tx};
use bookkeeping::Money;
use chrono::NaiveDate;
use rules::agreement::replan::{self, Covered};

/// Re-plans the year's agreement when one of `changed` posts is covered; nothing otherwise.
pub fn after_change(
    tx: &mut Tx,
    ctx: &Ctx,
    year_id: &str,
    changed: &[String],
    decided_on: NaiveDate,
) -> Result<()> {
    let m = &ctx.municipality;
    let Some(a) = agreements::of_year(tx, m, year_id)? else {
        return Ok(());
    };
    let covered_ids = agreements::covered_posts(tx, &a.id)?;
    // Settled accounts are final; a changed covered post then shows in no further installment.
    if !changed.iter().any(|c| covered_ids.contains(c))
        || settlements::of_year(tx, m, year_id)?.is_some()
    {
        return Ok(());
    }
    let covered = covered_of(tx, m, &a.id, year_id)?;
    let existing = agreements::installments_of(tx, m, &a.id)?;
    let unpaid: Vec<NaiveDate> = existing
        .iter()
        .filter(|i| i.status == "due")
        .map(|i| i.due_date)
        .collect();
    let plan = replan::replan(&covered, &unpaid, decided_on)?;
    // With no installment left to pay (the year or the case has ended), nothing is re-planned:
    // the change shows in the annual accounts (a shortfall or unspent money), never as a new
    // installment after the end.
    if unpaid.is_empty() {
        return Ok(());
    }
    agreements::cancel_due_of(tx, &a.id)?;
    // The new installments are the municipality's expenses too: the rolling cap holds for them.
    let year = budgets::get_year(tx, m, year_id)?
        .ok_or_else(|| StoreError::Corrupt(format!("budget year {year_id} vanished")))?;
    let case = cases::get(tx, m, &a.case_id)?
        .ok_or_else(|| StoreError::Corrupt(format!("agreement {} without its case", a.id)))?;
    let facts = expenses::judging_facts(tx, &case, &year)?;
    let mut spent = facts.approved_spending;
    for i in &plan {
        let cap = rules::budget::yearly_cap::in_force(&facts.cap_rates, i.due_date)?;
        rules::expense::rolling_cap::check(&spent, i.due_date, i.amount, cap)?;
        spent.push(i.due_date, i.amount);
    }
    let next_line = existing.iter().map(|i| i.line_no).max().unwrap_or(0);
    let rows = rows_of(m, &a, &covered_ids, next_line, &plan);
    Ok(agreements::insert_installments(tx, &rows)?)
}

/// The covered posts of an agreement with their grants and what paid installments prepaid.
fn covered_of(tx: &mut Tx, m: &str, agreement_id: &str, year_id: &str) -> Result<Vec<Covered>> {
    let covered_ids = agreements::covered_posts(tx, agreement_id)?;
    let posts = budgets::posts_of_year(tx, m, year_id)?;
    let prepaid = settlements::prepaid_per_post(tx, agreement_id)?;
    covered_ids
        .iter()
        .map(|pid| {
            let p = posts.iter().find(|p| &p.id == pid).ok_or_else(|| {
                StoreError::Corrupt(format!("covered post {pid} not of its year"))
            })?;
            Ok(Covered {
                post_id: pid.clone(),
                granted: p.granted(),
                prepaid: prepaid
                    .iter()
                    .find(|(id, _)| id == pid)
                    .map(|(_, m)| *m)
                    .unwrap_or(Money::ZERO),
            })
        })
        .collect()
}

/// Installment rows of a plan, numbered after `after`, due (shared with a new agreement).
pub(super) fn rows_of(
    m: &str,
    a: &agreements::AgreementRow,
    covered_ids: &[String],
    after: i32,
    plan: &[rules::agreement::schedule::Installment],
) -> Vec<(InstallmentRow, Vec<(String, i64)>)> {
    plan.iter()
        // An installment of nothing is never paid: it is left out.
        .filter(|i| i.amount.is_positive())
        .enumerate()
        .map(|(k, i)| {
            let row = InstallmentRow {
                id: new_id(),
                municipality: m.to_string(),
                agreement_id: a.id.clone(),
                case_id: a.case_id.clone(),
                line_no: after + k as i32 + 1,
                due_date: i.due_date,
                amount: i.amount.ore(),
                status: "due".into(),
                paid_on: None,
                bank_reference: None,
                entry_id: None,
                created_at: now(),
            };
            let split = covered_ids
                .iter()
                .cloned()
                .zip(i.split.iter().map(|s| s.ore()))
                .collect();
            (row, split)
        })
        .collect()
}

/// Withholds `amount` of a settled year's unspent money from the case's next budget year's
/// fixed amount (with the family's consent): a set-off installment, counted as paid (the money
/// is the family's advance already), and the unpaid installments planned again for the rest.
pub fn withhold_from_next(
    tx: &mut Tx,
    ctx: &Ctx,
    settled: (&str, &str, &str),
    amount: Money,
    consented_on: Option<NaiveDate>,
    on: NaiveDate,
) -> Result<()> {
    let (settlement_id, case_id, year_id) = settled;
    let m = &ctx.municipality;
    let unavailable = |why: &str| {
        bookkeeping::Error::rule(bookkeeping::Code::OffsetNotAvailable, why.to_string())
            .legal(rules::agreement::offset::LEGAL)
    };
    let years = budgets::years_of_case(tx, m, case_id)?;
    let pos = years
        .iter()
        .position(|y| y.id == year_id)
        .unwrap_or(years.len());
    let next = years.get(pos + 1).ok_or_else(|| {
        unavailable("the case has no next budget year to withhold from; claim or waive")
    })?;
    let a = agreements::of_year(tx, m, &next.id)?.ok_or_else(|| {
        unavailable(
            "the next budget year has no fixed-amount agreement to withhold from; claim or waive",
        )
    })?;
    let covered = covered_of(tx, m, &a.id, &next.id)?;
    let existing = agreements::installments_of(tx, m, &a.id)?;
    let unpaid: Vec<NaiveDate> = existing
        .iter()
        .filter(|i| i.status == "due")
        .map(|i| i.due_date)
        .collect();
    let (share, plan) =
        rules::agreement::offset::withhold(amount, consented_on, &covered, &unpaid)?;
    agreements::cancel_due_of(tx, &a.id)?;
    let covered_ids: Vec<String> = covered.iter().map(|c| c.post_id.clone()).collect();
    let last = existing.iter().map(|i| i.line_no).max().unwrap_or(0);
    let set_off = InstallmentRow {
        id: new_id(),
        municipality: m.clone(),
        agreement_id: a.id.clone(),
        case_id: a.case_id.clone(),
        line_no: last + 1,
        due_date: on,
        amount: amount.ore(),
        status: "paid".into(),
        paid_on: Some(on),
        bank_reference: Some(format!("set-off: settlement {settlement_id}")),
        entry_id: None,
        created_at: now(),
    };
    let split = covered_ids
        .iter()
        .cloned()
        .zip(share.iter().map(|s| s.ore()))
        .collect();
    let mut rows = vec![(set_off, split)];
    rows.extend(rows_of(m, &a, &covered_ids, last + 1, &plan));
    Ok(agreements::insert_installments(tx, &rows)?)
}
