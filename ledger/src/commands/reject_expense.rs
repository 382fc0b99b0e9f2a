//! Reject a pending expense with a reason (caseworker). A rejection moves no money.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::expenses::{self as view, ExpenseView};
use crate::service::Command;
use crate::store::expenses::{self, Decision};
use crate::store::{now, Tx};
use bookkeeping::Role;
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
            status: ExpenseStatus::Rejected,
            by: &ctx.sub,
            at: now(),
            reason: Some(self.reason.trim()),
            entry_id: None,
        };
        if !expenses::decide(tx, m, id, &d)? {
            return Err(approval::not_pending(id, e.status()?).into());
        }
        view::current(tx, m, id)
    }
}
