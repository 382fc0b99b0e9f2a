//! Pay payables (finance): one entry debits the payables to families against the bank; a payable
//! is paid once, and not before the expense it pays for.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::payables::PaymentView;
use crate::service::Command;
use crate::store::payables::{self, PaymentRow};
use crate::store::{accounts, expenses, journal, new_id, now, StoreError, Tx};
use bookkeeping::{chart, Money, Role};
use chrono::NaiveDate;
use rules::payment::{self, Payable, PaymentAccounts};

#[derive(Clone, Debug)]
pub struct PayPayables {
    pub payable_ids: Vec<String>,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
}

impl Command for PayPayables {
    type Output = PaymentView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance])?;
        payment::check_request(&self.payable_ids, &self.bank_reference)?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<PaymentView> {
        let m = &ctx.municipality;
        let mut found = Vec::with_capacity(self.payable_ids.len());
        for pid in &self.payable_ids {
            found.push(match payables::get(tx, m, pid)? {
                None => None,
                Some(p) => {
                    // Owed since the expense's date, or (a settlement's shortfall) since the
                    // settlement.
                    let owed_since = match &p.expense_id {
                        Some(eid) => {
                            expenses::get(tx, m, eid)?
                                .ok_or_else(|| {
                                    StoreError::Corrupt(format!(
                                        "payable {pid} without its expense"
                                    ))
                                })?
                                .expense_date
                        }
                        None => crate::context::date_in_denmark(p.created_at),
                    };
                    Some(Payable {
                        payee: p.payee()?,
                        id: p.id,
                        amount: Money::from_ore(p.amount),
                        expense_date: owed_since,
                    })
                }
            });
        }
        let payment_id = new_id();
        let families = accounts::id_of(tx, m, chart::PAYABLES_TO_FAMILIES)?;
        let firms = accounts::id_of(tx, m, chart::PAYABLES_TO_PAYROLL_FIRMS)?;
        let bank = accounts::id_of(tx, m, chart::BANK)?;
        let accounts = PaymentAccounts {
            families: &families,
            firms: &firms,
            bank: &bank,
        };
        let bank_reference = self.bank_reference.trim();
        let (entry, total) = payment::decide(
            &found,
            &self.payable_ids,
            self.paid_on,
            &payment_id,
            &accounts,
        )?;
        let booked = journal::post(tx, ctx, &entry)?;
        let row = PaymentRow {
            id: payment_id,
            municipality: m.clone(),
            paid_on: self.paid_on,
            bank_reference: bank_reference.to_string(),
            amount: total.ore(),
            entry_id: booked.entry.id,
            created_by: ctx.sub.clone(),
            created_at: now(),
            returned_on: None,
            return_reason: None,
            return_entry_id: None,
            returned_by: None,
        };
        payables::insert_payment(tx, &row)?;
        payables::record_paid(tx, &row.id, &self.payable_ids)?;
        for (i, pid) in self.payable_ids.iter().enumerate() {
            if !payables::mark_paid(tx, m, pid, &row.id)? {
                return Err(payment::already_paid(i, pid).into());
            }
        }
        Ok(PaymentView {
            id: row.id,
            paid_on: row.paid_on,
            bank_reference: row.bank_reference,
            amount: total,
            payable_ids: self.payable_ids.clone(),
            entry_id: row.entry_id,
            created_by: row.created_by,
            created_at: row.created_at,
            returned_on: None,
            return_reason: None,
            return_entry_id: None,
        })
    }
}
