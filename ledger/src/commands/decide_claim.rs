//! The decision on a proposed claim (caseworker), once the family was heard: claim all of it,
//! part of it (the rest waived in the same decision) or waive it; booked from the overpayment
//! under review to the receivable or to the loss, with reasons and a letter.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::clawbacks::{self as view, ClawbackView};
use crate::service::Command;
use crate::store::clawbacks;
use crate::store::{accounts, journal, periods, Tx};
use bookkeeping::{chart, period, Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::correction::claim::{self, Accounts};
use rules::decision::{DecisionKind, Outcome};
use rules::lost_earnings::overpayment;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug)]
pub struct DecideClaim {
    pub clawback_id: String,
    /// `true`: claim (all, or `amount`); `false`: waive.
    pub claim: bool,
    pub amount: Option<Money>,
    pub decided_on: NaiveDate,
    pub reason: String,
    /// The caseworker's assessment that the family knew or should have known the money was not
    /// due: required to claim lost earnings back.
    pub knew_or_should_have_known: Option<bool>,
}

/// The claim after the decision, and the decision's id.
#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct ClaimDecided {
    pub clawback: ClawbackView,
    pub decision_id: String,
}

impl Command for DecideClaim {
    type Output = ClaimDecided;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        bookkeeping::error::check_text(
            Code::InvalidReason,
            "reason",
            &self.reason,
            500,
            "the reason is 1-500 characters",
        )?;
        rules::privacy::no_cpr::reject_in_text("reason", &self.reason)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ClaimDecided> {
        let m = &ctx.municipality;
        let id = &self.clawback_id;
        // Load, under the claim's lock.
        let c = clawbacks::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let under_review = accounts::id_of(tx, m, chart::OVERPAYMENTS_UNDER_REVIEW)?;
        let receivable = accounts::id_of(tx, m, chart::CLAWBACK_RECEIVABLES)?;
        let waived = accounts::id_of(tx, m, chart::WAIVED_REPAYMENTS)?;
        let proposed = Money::from_ore(c.proposed_amount);
        // Decide: lost earnings only on the assessment that the parent knew or should have known.
        if c.origin == "lost_earnings" {
            overpayment::require_knowledge(self.claim, self.knew_or_should_have_known)?;
        }
        let mut d = claim::decide(
            id,
            c.status()?,
            c.hearing(),
            proposed,
            self.claim,
            self.amount,
            self.decided_on,
            ctx.today,
            &Accounts {
                under_review: &under_review,
                receivable: &receivable,
                waived: &waived,
            },
        )?;
        // Post: on the decision's day, or the first open day after a closed period.
        let closed = periods::closed_through(tx, m)?;
        let mut claim_entry = None;
        for e in &mut d.entries {
            e.effective_date = period::first_open_on_or_after(closed, e.effective_date);
            let posted = journal::post(tx, ctx, e)?;
            if e.kind == bookkeeping::EntryKind::ClawbackClaimed {
                claim_entry = Some(posted.entry.id);
            }
        }
        // Record.
        let (kind, outcome) = if d.claimed.is_positive() {
            (DecisionKind::ClawbackClaimed, Outcome::Claimed)
        } else {
            (DecisionKind::ClawbackWaived, Outcome::Waived)
        };
        let decision = NewDecision::new(
            &c.case_id,
            kind,
            outcome,
            self.decided_on,
            ("clawback", id),
            self.reason.trim().to_string(),
        )
        .amount(d.claimed)
        .legal(claim::LEGAL)
        .asked(serde_json::json!({
            "clawback_id": id,
            "origin": c.origin,
            "expense_id": c.expense_id,
            "proposed_amount": proposed.to_string(),
            "hearing_sent_on": c.hearing_sent_on,
            "response_received_on": c.response_received_on,
            "knew_or_should_have_known": self.knew_or_should_have_known,
        }))
        .figure("proposed", proposed)
        .figure("claimed", d.claimed)
        .figure("waived", d.waived);
        let decision_id = decision::record(tx, ctx, decision)?;
        if !clawbacks::set_decided(
            tx,
            m,
            id,
            d.claimed.ore(),
            &decision_id,
            claim_entry.as_deref(),
        )? {
            return Err(Error::conflict(
                Code::ClaimDecided,
                format!("claim {id} was decided meanwhile"),
            )
            .into());
        }
        Ok(ClaimDecided {
            clawback: view::current(tx, m, id)?,
            decision_id,
        })
    }
}
