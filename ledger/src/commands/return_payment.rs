//! A transfer the bank returned (finance): the payment's entry is reversed by a linked entry and
//! the payables it paid are open again, owed once more.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::payables::PaymentView;
use crate::service::Command;
use crate::store::{clawbacks, journal, payables, periods, StoreError, Tx};
use bookkeeping::{Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::correction::payment_return;

#[derive(Clone, Debug)]
pub struct ReturnPayment {
    pub payment_id: String,
    pub returned_on: NaiveDate,
    pub reason: String,
}

impl Command for ReturnPayment {
    type Output = PaymentView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance])?;
        payment_return::check_request(&self.reason, self.returned_on, ctx.today)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<PaymentView> {
        let m = &ctx.municipality;
        let id = &self.payment_id;
        let p = payables::lock_payment(tx, m, id)?.ok_or_else(|| not_found(id))?;
        let entry = journal::get(tx, m, &p.entry_id)?
            .ok_or_else(|| StoreError::Corrupt(format!("payment {id} without its entry")))?;
        // The payables it paid, locked: an annulment of one of them waits for this return.
        let paid = payables::lock_of_payment(tx, m, id)?;
        let expense_ids: Vec<String> = paid.iter().filter_map(|p| p.expense_id.clone()).collect();
        let claimed = clawbacks::count_for_expenses(tx, m, &expense_ids)? as usize;
        let booked = entry.booked()?;
        let reversal = payment_return::decide(
            id,
            &booked,
            p.paid_on,
            p.returned_on.is_some(),
            claimed,
            self.returned_on,
            periods::closed_through(tx, m)?,
        )?;
        let posted = journal::post(tx, ctx, &reversal)?;
        let reason = self.reason.trim();
        if !payables::mark_returned(
            tx,
            m,
            id,
            self.returned_on,
            reason,
            &posted.entry.id,
            &ctx.sub,
        )? {
            return Err(Error::conflict(
                Code::PaymentAlreadyReturned,
                format!("payment {id} was returned meanwhile"),
            )
            .into());
        }
        payables::reopen(tx, m, id)?;
        Ok(PaymentView {
            id: p.id,
            paid_on: p.paid_on,
            bank_reference: p.bank_reference,
            amount: Money::from_ore(p.amount),
            payable_ids: payables::paid_by(tx, id)?,
            entry_id: p.entry_id,
            created_by: p.created_by,
            created_at: p.created_at,
            returned_on: Some(self.returned_on),
            return_reason: Some(reason.to_string()),
            return_entry_id: Some(posted.entry.id),
        })
    }
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::PaymentNotFound, "payment", id)
}
