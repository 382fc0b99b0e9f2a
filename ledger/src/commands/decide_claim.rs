//! The decision on a proposed claim (caseworker), once the family was heard: claim all of it,
//! part of it (the rest waived in the same decision) or waive it; booked from the overpayment
//! under review to the receivable or to the loss, with reasons and a letter. With the family's
//! written consent a claim is instead set off against the lost earnings still to be paid on the
//! case, a monthly installment withheld by each payroll run (see `run_payroll`).
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::clawbacks::{self as view, ClawbackView};
use crate::service::Command;
use crate::store::clawbacks::{self, ClawbackRow};
use crate::store::set_offs::{self, SetOff};
use crate::store::{accounts, cases, journal, lost_earnings, payroll, periods, Tx};
use bookkeeping::{chart, period, Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::correction::claim::{self, Accounts};
use rules::correction::set_off;
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
    /// Set off against later lost earnings instead of claimed for payment: the day of the
    /// family's written consent and the monthly installment consented to.
    pub offset: Option<(Option<NaiveDate>, Option<Money>)>,
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
        // A set-off: the family's consent, and lost earnings still to be paid on the case.
        let set_off = match self.offset {
            Some((consented_on, monthly)) => {
                let (on, monthly) = set_off::terms(consented_on, monthly, self.decided_on)?;
                Some((on, monthly, paid_later(tx, m, &c)?))
            }
            None => None,
        };
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
        let (kind, outcome) = if set_off.is_some() && d.claimed.is_positive() {
            (DecisionKind::ClawbackOffset, Outcome::Claimed)
        } else if d.claimed.is_positive() {
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
        // The amount the letter's outcome names: what is claimed, or, waived whole, what is waived.
        .amount(if d.claimed.is_positive() {
            d.claimed
        } else {
            d.waived
        })
        .legal(if set_off.is_some() {
            set_off::LEGAL
        } else {
            claim::LEGAL
        })
        .asked(serde_json::json!({
            "clawback_id": id,
            "origin": c.origin,
            "expense_id": c.expense_id,
            "proposed_amount": proposed.to_string(),
            "hearing_sent_on": c.hearing_sent_on,
            "response_received_on": c.response_received_on,
            "knew_or_should_have_known": self.knew_or_should_have_known,
            "family_consented_on": set_off.as_ref().map(|s| s.0),
        }))
        .figure("proposed", proposed)
        .figure("claimed", d.claimed)
        .figure("waived", d.waived);
        let decision = match &set_off {
            Some((_, monthly, _)) => decision.figure("set_off_monthly", *monthly),
            None => decision,
        };
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
        if let (Some((on, monthly, target)), true) = (&set_off, d.claimed.is_positive()) {
            let terms = SetOff {
                consented_on: *on,
                monthly: monthly.ore(),
                lost_earnings_id: target,
            };
            set_offs::set_offset(tx, m, id, &terms)?;
        }
        Ok(ClaimDecided {
            clawback: view::current(tx, m, id)?,
            decision_id,
        })
    }
}

/// The lost-earnings decision on the claim's case that still has months to pay after the latest
/// payroll run (the claim's own decision first): the one the claim is set off against.
fn paid_later(tx: &mut Tx, m: &str, c: &ClawbackRow) -> Result<String> {
    let case = cases::get(tx, m, &c.case_id)?.ok_or_else(|| view::not_found(&c.id))?;
    let last_run = payroll::months_run(tx, m)?.last().copied();
    let mut decisions = lost_earnings::of_case(tx, m, &c.case_id)?;
    decisions.sort_by_key(|d| Some(&d.id) != c.lost_earnings_id.as_ref());
    for d in decisions {
        let Some(latest) = lost_earnings::versions(tx, &d.id)?.pop() else {
            continue;
        };
        let end = latest.valid_to.min(case.effective_end());
        if set_off::pays_after(end, last_run) {
            return Ok(d.id);
        }
    }
    Err(set_off::not_available("no lost earnings are still to be paid on the case").into())
}
