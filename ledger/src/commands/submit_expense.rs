//! Submit a documented expense (caseworker): judged by every rule, then pending until decided.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::{Refusal, Result};
use crate::read::expenses::{self as view, ExpenseView};
use crate::service::Command;
use crate::store::expenses::{self, ExpenseRow};
use crate::store::{budgets, cases, new_id, now, Tx};
use bookkeeping::Role;
use rules::expense::submission;
pub use rules::expense::submission::NewExpense;
use rules::expense::ExpenseStatus;

#[derive(Clone, Debug)]
pub struct SubmitExpense {
    pub year_id: String,
    pub expense: NewExpense,
}

impl Command for SubmitExpense {
    type Output = ExpenseView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        submission::check_shape(&self.expense)?;
        Ok(())
    }

    /// A submission a rule refuses (post not granted, over what the post has left, abroad, after
    /// the end, over the cap …) is a decision on the case: nothing is booked, the family is owed
    /// the refusal in writing.
    fn record_refusal(&self, tx: &mut Tx, ctx: &Ctx, r: &Refusal) -> Result<Option<String>> {
        let m = &ctx.municipality;
        let Some(y) = budgets::get_year(tx, m, &self.year_id)? else {
            return Ok(None);
        };
        let e = &self.expense;
        let s = e.service();
        let asked = serde_json::json!({
            "budget_year_id": y.id,
            "post_id": e.post_id,
            "expense_date": e.expense_date,
            "service_from": s.from,
            "service_to": s.to,
            "amount": e.amount.to_string(),
            "description": e.description.trim(),
            "supplier": e.supplier.trim(),
            "document_ref": e.document_ref.trim(),
            "course_country": e.course_country,
        });
        let d = NewDecision::refusal(&y.case_id, ctx.today, ("budget_year", &y.id), r)
            .amount(e.amount)
            .asked(asked);
        Ok(Some(decision::record(tx, ctx, d)?))
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ExpenseView> {
        let e = &self.expense;
        let m = &ctx.municipality;
        let y = budgets::get_year(tx, m, &self.year_id)?
            .ok_or_else(|| crate::read::budget_years::not_found(&self.year_id))?;
        let case = cases::lock(tx, m, &y.case_id)?
            .ok_or_else(|| crate::read::cases::not_found(&y.case_id))?;
        let posts = budgets::posts_of_year(tx, m, &y.id)?;
        let states = expenses::post_states(tx, m, &y.id, &posts)?;
        let post = posts
            .iter()
            .position(|p| p.id == e.post_id)
            .map(|i| &states[i]);
        let facts = expenses::judging_facts(tx, &case, &y)?;
        submission::decide(e, post, &facts)?;
        let document_ref = e.document_ref.trim();
        if expenses::document_taken(tx, &case.id, &e.supplier, document_ref)? {
            return Err(submission::document_taken(document_ref).into());
        }
        let row = ExpenseRow {
            id: new_id(),
            municipality: m.clone(),
            case_id: case.id.clone(),
            budget_year_id: y.id.clone(),
            post_id: e.post_id.clone(),
            expense_date: e.expense_date,
            service_from: e.service().from,
            service_to: e.service().to,
            amount: e.amount.ore(),
            hours: e.hours.map(|h| h.normalize().to_string()),
            description: e.description.trim().to_string(),
            supplier: e.supplier.trim().to_string(),
            document_ref: document_ref.to_string(),
            document_key: Some(expenses::document_key(&e.supplier, document_ref)),
            course_country: e.course_country.clone(),
            requested_amount: None,
            status: ExpenseStatus::Pending.as_str().to_string(),
            decided_by: None,
            decided_at: None,
            reject_reason: None,
            entry_id: None,
            annulled_on: None,
            annulled_by: None,
            annul_reason: None,
            annul_entry_id: None,
            against_advance: false,
            created_by: ctx.sub.clone(),
            created_at: now(),
            import_id: None,
        };
        expenses::insert(tx, &row).map_err(|err| {
            crate::Error::from(err).or_duplicate(|| submission::document_taken(document_ref))
        })?;
        Ok(view::view(row, None)?)
    }
}
