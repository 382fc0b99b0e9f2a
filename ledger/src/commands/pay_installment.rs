//! Pay an installment of a fixed-amount agreement (finance): the family's advance (1100) against
//! the bank, once.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::installments::{self as view, InstallmentView};
use crate::service::Command;
use crate::store::{accounts, agreements, journal, Tx};
use bookkeeping::{chart, Code, Error, Money, Role};
use chrono::NaiveDate;

#[derive(Clone, Debug)]
pub struct PayInstallment {
    pub installment_id: String,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
}

impl Command for PayInstallment {
    type Output = InstallmentView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance])?;
        bookkeeping::error::check_text(
            Code::InvalidBankReference,
            "bank_reference",
            &self.bank_reference,
            100,
            "the bank reference is 1-100 characters",
        )?;
        rules::privacy::no_cpr::reject_in_text("bank_reference", &self.bank_reference)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<InstallmentView> {
        let m = &ctx.municipality;
        let id = &self.installment_id;
        // The case first, as a settlement, an amendment or an offset takes it: a payment never
        // slips between what they read and what they cancel.
        let found = agreements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        crate::store::cases::lock(tx, m, &found.case_id)?;
        let i = agreements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let advances = accounts::id_of(tx, m, chart::ADVANCES_TO_FAMILIES)?;
        let bank = accounts::id_of(tx, m, chart::BANK)?;
        let entry = rules::agreement::payment::decide(
            id,
            &i.status,
            Money::from_ore(i.amount),
            self.paid_on,
            ctx.today,
            (&advances, &bank),
        )?;
        let posted = journal::post(tx, ctx, &entry)?;
        let reference = self.bank_reference.trim();
        if !agreements::mark_paid(tx, id, self.paid_on, reference, &posted.entry.id)? {
            return Err(Error::conflict(
                Code::InstallmentNotDue,
                format!("installment {id} was paid meanwhile"),
            )
            .into());
        }
        let row = agreements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        Ok(view::views(tx, vec![row])?.remove(0))
    }
}
