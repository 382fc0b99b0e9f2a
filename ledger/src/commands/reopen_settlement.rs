//! Reopen a settlement (caseworker) when a covered expense arrives after it: while nothing has
//! been repaid or set off on its result and no shortfall paid, every entry it booked is reversed
//! (linked reversals), its claim is cancelled and its shortfall payable too, and the year takes
//! expenses and is settled again. A decision with reasons and a letter.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::settlements::{self as view, SettlementView};
use crate::service::Command;
use crate::store::{cases, clawbacks, journal, payables, periods, settlements, Tx};
use bookkeeping::{entry, period, Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::agreement::reopening::{self, Outcome};
use rules::decision::{DecisionKind, Outcome as DecisionOutcome};
use rules::payment::PayableStatus;

#[derive(Clone, Debug)]
pub struct ReopenSettlement {
    pub settlement_id: String,
    pub decided_on: NaiveDate,
    pub reason: String,
}

impl Command for ReopenSettlement {
    type Output = SettlementView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        rules::correction::annulment::check_request(self.decided_on, &self.reason, ctx.today)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<SettlementView> {
        let m = &ctx.municipality;
        let id = &self.settlement_id;
        // Load, under the settlement's lock and the case's (the year takes expenses again).
        let s = settlements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        cases::lock(tx, m, &s.case_id)?;
        let claim = clawbacks::lock_of_settlement(tx, m, id)?;
        let payable = match payables::of_settlement(tx, m, id)? {
            Some(p) => payables::get(tx, m, &p)?,
            None => None,
        };
        let booked = journal::of_source(tx, m, "settlement", id)?;
        // Decide.
        reopening::check(Outcome {
            reopened: s.reopened_by_decision.is_some(),
            offset: s.decision.as_deref() == Some("offset"),
            repaid: claim.as_ref().is_some_and(|c| c.repaid > 0),
            shortfall_paid: payable
                .as_ref()
                .map(|p| p.status())
                .transpose()?
                .is_some_and(|st| st == PayableStatus::Paid),
        })?;
        // Post: the mirror of every entry the settlement booked, on the decision's day or the
        // first open day after a closed period.
        let on = period::first_open_on_or_after(periods::closed_through(tx, m)?, self.decided_on);
        for e in booked.iter().filter(|e| e.reversed_by.is_none()) {
            let text = format!(
                "Årsopgørelse {id} genoptaget: tilbageførsel af {}",
                e.entry.id
            );
            journal::post(tx, ctx, &entry::mirror(&e.booked()?, on, text))?;
        }
        // Record: the claim and the shortfall payable cancelled, the decision, the settlement
        // marked reopened.
        if let Some(c) = &claim {
            if !clawbacks::cancel(tx, m, &c.id)? {
                return Err(changed(id).into());
            }
        }
        if let Some(p) = payable.filter(|p| p.status == PayableStatus::Open.as_str()) {
            if !payables::cancel(tx, m, &p.id)? {
                return Err(changed(id).into());
            }
        }
        let d = NewDecision::new(
            &s.case_id,
            DecisionKind::SettlementReopened,
            DecisionOutcome::Changed,
            self.decided_on,
            ("settlement", id),
            self.reason.trim().to_string(),
        )
        .legal(reopening::LEGAL)
        .asked(serde_json::json!({ "settlement_id": id, "decision": s.decision }))
        .figure("total_prepaid", Money::from_ore(s.total_prepaid))
        .figure("total_approved", Money::from_ore(s.total_approved))
        .figure("net_unspent", Money::from_ore(s.net_unspent))
        .figure("net_shortfall", Money::from_ore(s.net_shortfall));
        let decision_id = decision::record(tx, ctx, d)?;
        if !settlements::reopen(tx, id, &decision_id)? {
            return Err(changed(id).into());
        }
        let s = settlements::get(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        Ok(view::view(tx, s)?)
    }
}

fn changed(id: &str) -> Error {
    Error::conflict(
        Code::SettlementNotReopenable,
        format!("settlement {id} changed meanwhile; read it again"),
    )
}
