//! The hearing on a settlement's unspent money (caseworker), before any of it is claimed:
//! the same rules as any claim (forvaltningsloven § 19): sent once with a date to answer by,
//! the family's answer recorded once.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::settlements::{self as view, SettlementView};
use crate::service::Command;
use crate::store::{settings, settlements, Tx};
use bookkeeping::{Code, Error, Role};
use chrono::NaiveDate;
use rules::correction::claim;

#[derive(Clone, Debug)]
pub struct SendSettlementHearing {
    pub settlement_id: String,
    pub sent_on: NaiveDate,
    pub respond_by: Option<NaiveDate>,
}

impl Command for SendSettlementHearing {
    type Output = SettlementView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<SettlementView> {
        let m = &ctx.municipality;
        let id = &self.settlement_id;
        let s = settlements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        if s.net_unspent == 0 {
            return Err(nothing_to_claim(id).into());
        }
        let by = claim::hearing(
            s.claim_status(),
            s.hearing(),
            self.sent_on,
            self.respond_by,
            ctx.today,
            settings::in_force(tx, m)?.0.hearing_days,
        )?;
        if !settlements::set_hearing(tx, id, self.sent_on, by)? {
            return Err(changed(id).into());
        }
        let s = settlements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        Ok(view::view(tx, s)?)
    }
}

#[derive(Clone, Debug)]
pub struct RecordSettlementResponse {
    pub settlement_id: String,
    pub received_on: NaiveDate,
    pub summary: String,
}

impl Command for RecordSettlementResponse {
    type Output = SettlementView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<SettlementView> {
        let m = &ctx.municipality;
        let id = &self.settlement_id;
        let s = settlements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let summary = self.summary.trim();
        claim::response(
            s.claim_status(),
            s.hearing(),
            self.received_on,
            summary,
            ctx.today,
        )?;
        if !settlements::set_response(tx, id, self.received_on, summary)? {
            return Err(changed(id).into());
        }
        let s = settlements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        Ok(view::view(tx, s)?)
    }
}

fn nothing_to_claim(id: &str) -> Error {
    Error::rule(
        Code::NothingUnspent,
        format!("settlement {id} leaves nothing unspent: there is nothing to hear the family on"),
    )
}

fn changed(id: &str) -> Error {
    Error::conflict(
        Code::VersionMismatch,
        format!("settlement {id} changed meanwhile; read it again"),
    )
}
