//! A repayment received on a claim (finance): booked against the bank, never beyond what is
//! outstanding; the claim is settled when nothing is left.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::clawbacks::{self as view, ClawbackView};
use crate::service::Command;
use crate::store::clawbacks::{self, RepaymentRow};
use crate::store::{accounts, journal, new_id, now, Tx};
use bookkeeping::{chart, Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::correction::repayment;

#[derive(Clone, Debug)]
pub struct RecordRepayment {
    pub clawback_id: String,
    pub amount: Money,
    pub received_on: NaiveDate,
    pub bank_reference: String,
}

impl Command for RecordRepayment {
    type Output = ClawbackView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance])?;
        if !self.amount.is_positive() {
            return Err(Error::field(
                Code::InvalidAmount,
                "amount",
                "a repayment is greater than 0.00",
            ));
        }
        bookkeeping::error::check_text(
            Code::InvalidBankReference,
            "bank_reference",
            &self.bank_reference,
            100,
            "the bank reference is 1-100 characters",
        )?;
        rules::privacy::no_cpr::reject_in_text("bank_reference", &self.bank_reference)?;
        if self.received_on > ctx.today {
            return Err(Error::field(
                Code::InvalidValue,
                "received_on",
                format!(
                    "a repayment is recorded when it is received (today is {})",
                    ctx.today
                ),
            ));
        }
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ClawbackView> {
        let m = &ctx.municipality;
        let id = &self.clawback_id;
        let c = clawbacks::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        if c.status()? == rules::correction::claim::Status::Proposed {
            return Err(Error::conflict(
                Code::ClaimNotDecided,
                format!("claim {id} is proposed: nothing is owed before a decision claims it"),
            )
            .into());
        }
        let outstanding = Money::from_ore(c.amount - c.repaid);
        let bank = accounts::id_of(tx, m, chart::BANK)?;
        let receivable = accounts::id_of(tx, m, chart::CLAWBACK_RECEIVABLES)?;
        let entry = repayment::decide(
            id,
            self.amount,
            outstanding,
            self.received_on,
            (&bank, &receivable),
        )?;
        let posted = journal::post(tx, ctx, &entry)?;
        let settled = self.amount == outstanding;
        if !clawbacks::add_repaid(tx, m, id, c.repaid, self.amount.ore(), settled)? {
            return Err(Error::conflict(
                Code::VersionMismatch,
                format!("claim {id} was repaid meanwhile; read it again"),
            )
            .into());
        }
        clawbacks::insert_repayment(
            tx,
            &RepaymentRow {
                id: new_id(),
                municipality: m.clone(),
                clawback_id: id.clone(),
                amount: self.amount.ore(),
                received_on: self.received_on,
                bank_reference: self.bank_reference.trim().to_string(),
                entry_id: posted.entry.id,
                created_by: ctx.sub.clone(),
                created_at: now(),
            },
        )?;
        view::get(tx, ctx, id)
    }
}
