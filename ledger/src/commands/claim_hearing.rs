//! The hearing on a proposed claim (caseworker): sent to the family with the facts, the amount
//! and a date to answer by (forvaltningsloven § 19), and the family's answer recorded. Nothing
//! is owed meanwhile.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::clawbacks::{self as view, ClawbackView};
use crate::service::Command;
use crate::store::Tx;
use crate::store::{clawbacks, settings};
use bookkeeping::{Code, Error, Role};
use chrono::NaiveDate;
use rules::correction::claim;

#[derive(Clone, Debug)]
pub struct SendHearing {
    pub clawback_id: String,
    pub sent_on: NaiveDate,
    pub respond_by: Option<NaiveDate>,
}

impl Command for SendHearing {
    type Output = ClawbackView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ClawbackView> {
        let m = &ctx.municipality;
        let id = &self.clawback_id;
        let c = clawbacks::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let by = claim::hearing(
            c.status()?,
            c.hearing(),
            self.sent_on,
            self.respond_by,
            ctx.today,
            settings::in_force(tx, m)?.0.hearing_days,
        )?;
        if !clawbacks::set_hearing(tx, m, id, self.sent_on, by)? {
            return Err(changed(id).into());
        }
        view::current(tx, m, id)
    }
}

#[derive(Clone, Debug)]
pub struct RecordResponse {
    pub clawback_id: String,
    pub received_on: NaiveDate,
    pub summary: String,
}

impl Command for RecordResponse {
    type Output = ClawbackView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ClawbackView> {
        let m = &ctx.municipality;
        let id = &self.clawback_id;
        let c = clawbacks::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let summary = self.summary.trim();
        claim::response(
            c.status()?,
            c.hearing(),
            self.received_on,
            summary,
            ctx.today,
        )?;
        if !clawbacks::set_response(tx, m, id, self.received_on, summary)? {
            return Err(changed(id).into());
        }
        view::current(tx, m, id)
    }
}

fn changed(id: &str) -> Error {
    Error::conflict(
        Code::VersionMismatch,
        format!("claim {id} changed meanwhile; read it again"),
    )
}
