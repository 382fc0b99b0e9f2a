//! Reject a pending expense with a reason (caseworker). A rejection moves no money.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::expenses::{self as view, ExpenseView};
use crate::service::Command;
use crate::store::expenses::{self, Decision};
use crate::store::{now, Tx};
use bookkeeping::Role;
use rules::decision::{DecisionKind, Outcome};
use rules::expense::{approval, rejection, ExpenseStatus};

#[derive(Clone, Debug)]
pub struct RejectExpense {
    pub expense_id: String,
    pub reason: String,
}

impl Command for RejectExpense {
    type Output = ExpenseView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        rejection::check_reason(&self.reason)?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ExpenseView> {
        let m = &ctx.municipality;
        let id = &self.expense_id;
        let e = expenses::get(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let d = Decision {
            against_advance: false,
            status: ExpenseStatus::Rejected,
            by: &ctx.sub,
            at: now(),
            reason: Some(self.reason.trim()),
            entry_id: None,
        };
        if !expenses::decide(tx, m, id, &d)? {
            return Err(approval::not_pending(id, e.status()?).into());
        }
        let d = NewDecision::new(
            &e.case_id,
            DecisionKind::ExpenseRejected,
            Outcome::Refused,
            ctx.today,
            ("expense", id),
            self.reason.trim().to_string(),
        )
        .amount(e.amount())
        .asked(asked(&e))
        .legal(rules::expense::submission::LEGAL);
        decision::record(tx, ctx, d)?;
        view::current(tx, m, id)
    }
}

/// What the family asked for, as the decision records it.
pub fn asked(e: &crate::store::expenses::ExpenseRow) -> serde_json::Value {
    serde_json::json!({
        "expense_id": e.id,
        "post_id": e.post_id,
        "expense_date": e.expense_date,
        "service_from": e.service_from,
        "service_to": e.service_to,
        "amount": e.amount().to_string(),
        "description": e.description,
        "supplier": e.supplier,
        "document_ref": e.document_ref,
    })
}
