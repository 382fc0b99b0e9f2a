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
    if !changed.iter().any(|c| covered_ids.contains(c)) {
        return Ok(());
    }
    let posts = budgets::posts_of_year(tx, m, year_id)?;
    let prepaid = settlements::prepaid_per_post(tx, &a.id)?;
    let covered: Vec<Covered> = covered_ids
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
        .collect::<Result<_>>()?;
    let existing = agreements::installments_of(tx, m, &a.id)?;
    let unpaid: Vec<NaiveDate> = existing
        .iter()
        .filter(|i| i.status == "due")
        .map(|i| i.due_date)
        .collect();
    let plan = replan::replan(&covered, &unpaid, decided_on)?;
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
        spent.push((i.due_date, i.amount));
    }
    let next_line = existing.iter().map(|i| i.line_no).max().unwrap_or(0);
    let rows: Vec<(InstallmentRow, Vec<(String, i64)>)> = plan
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let row = InstallmentRow {
                id: new_id(),
                municipality: m.clone(),
                agreement_id: a.id.clone(),
                case_id: a.case_id.clone(),
                line_no: next_line + k as i32 + 1,
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
        .collect();
    Ok(agreements::insert_installments(tx, &rows)?)
}
