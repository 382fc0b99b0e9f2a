//! Decide on a settlement's unspent money (caseworker): claim it back (a receivable on the
//! family), waive it (the municipality "may" ask, vejledningen pkt. 157 e), or offset it against
//! next year's fixed amount (only with the family's written consent). A decision with a letter.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::settlements::{self as view, SettlementView};
use crate::service::Command;
use crate::store::clawbacks::{self, ClawbackRow};
use crate::store::{accounts, journal, new_id, now, periods, settlements, Tx};
use bookkeeping::{chart, period, Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::agreement::settlement;
pub use rules::agreement::settlement::Decision;
use rules::decision::{wording, DecisionKind, Outcome};

#[derive(Clone, Debug)]
pub struct DecideSettlement {
    pub settlement_id: String,
    pub decision: Decision,
    pub decided_on: NaiveDate,
    pub reason: String,
    pub family_consented_on: Option<NaiveDate>,
    /// With `claim`: the part claimed (the rest waived in the same decision); all when `None`.
    pub amount: Option<Money>,
}

impl Command for DecideSettlement {
    type Output = SettlementView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        rules::correction::annulment::check_request(self.decided_on, &self.reason, ctx.today)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<SettlementView> {
        let m = &ctx.municipality;
        let id = &self.settlement_id;
        let s = settlements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        // The case's lock: an offset re-plans next year's installments, as an amendment or a
        // payment of them might at the same time.
        crate::store::cases::lock(tx, m, &s.case_id)?;
        if s.decision.is_some() {
            return Err(Error::conflict(
                Code::SettlementDecided,
                format!("settlement {id} is decided already"),
            )
            .into());
        }
        let unspent = Money::from_ore(s.net_unspent);
        // A claim is decided only after the family was heard; it may claim a part (issue 21).
        let claimed = match (self.decision, self.amount) {
            (Decision::Claim, amount) if unspent.is_positive() => {
                rules::correction::claim::check_heard(s.hearing(), ctx.today)?;
                let a = amount.unwrap_or(unspent);
                if !a.is_positive() || a > unspent {
                    return Err(Error::field(
                        Code::InvalidAmount,
                        "amount",
                        format!(
                            "the amount claimed is above 0.00 and at most the {unspent} unspent"
                        ),
                    )
                    .into());
                }
                a
            }
            (_, Some(_)) => {
                return Err(Error::field(
                    Code::InvalidValue,
                    "amount",
                    "an amount is given with `claim` only (the part claimed)",
                )
                .into())
            }
            (_, None) => unspent,
        };
        let on = period::first_open_on_or_after(periods::closed_through(tx, m)?, self.decided_on);
        let receivable = accounts::id_of(tx, m, chart::CLAWBACK_RECEIVABLES)?;
        let waived = accounts::id_of(tx, m, chart::WAIVED_REPAYMENTS)?;
        let advance = accounts::id_of(tx, m, chart::ADVANCES_TO_FAMILIES)?;
        let accounts = (receivable.as_str(), waived.as_str(), advance.as_str());
        let entry = settlement::decision_entry(
            id,
            self.decision,
            on,
            claimed,
            self.family_consented_on,
            accounts,
        )?;
        let entry_id = match &entry {
            Some(e) => Some(journal::post(tx, ctx, e)?.entry.id),
            None => None,
        };
        // The part not claimed is waived in the same decision.
        let rest = unspent - claimed;
        if self.decision == Decision::Claim && rest.is_positive() {
            if let Some(e) =
                settlement::decision_entry(id, Decision::Waive, on, rest, None, accounts)?
            {
                journal::post(tx, ctx, &e)?;
            }
        }
        if self.decision == Decision::Offset {
            let settled = (id.as_str(), s.case_id.as_str(), s.budget_year_id.as_str());
            super::agreement_replan::withhold_from_next(
                tx,
                ctx,
                settled,
                unspent,
                self.family_consented_on,
                on,
            )?;
        }
        let (kind, outcome) = match self.decision {
            Decision::Claim => (DecisionKind::SettlementClaimed, Outcome::Claimed),
            Decision::Waive => (DecisionKind::SettlementWaived, Outcome::Waived),
            Decision::Offset => (DecisionKind::SettlementOffset, Outcome::Claimed),
        };
        let mut d = NewDecision::new(
            &s.case_id,
            kind,
            outcome,
            self.decided_on,
            ("settlement", id),
            self.reason.trim().to_string(),
        )
        // The amount the letter's outcome names: what is claimed, or what is waived or set off.
        .amount(match self.decision {
            Decision::Claim => claimed,
            Decision::Waive | Decision::Offset => unspent,
        })
        .legal(settlement::LEGAL)
        .figure("total_prepaid", Money::from_ore(s.total_prepaid))
        .figure("total_approved", Money::from_ore(s.total_approved))
        .figure("net_unspent", unspent);
        if self.decision == Decision::Claim {
            d = d.figure("claimed", claimed).figure("waived", rest);
        }
        // Each covered post by its category and description, as the family knows it.
        let posts = crate::store::budgets::posts_of_year(tx, m, &s.budget_year_id)?;
        for l in s.lines()? {
            let p = posts
                .iter()
                .find(|p| p.id == l.post_id)
                .map(|p| format!("{} ({})", wording::category(&p.category), p.description))
                .unwrap_or_else(|| "Post".to_string());
            d = d
                .figure(&format!("{p}: bevilget"), l.granted)
                .figure(&format!("{p}: forudbetalt"), l.prepaid)
                .figure(&format!("{p}: godkendte udgifter"), l.approved)
                .figure(&format!("{p}: uforbrugt"), l.unspent)
                .figure(&format!("{p}: manglende dækning"), l.shortfall);
        }
        let decision_id = decision::record(tx, ctx, d)?;
        if !settlements::decide(
            tx,
            id,
            self.decision.as_str(),
            &decision_id,
            entry_id.as_deref(),
        )? {
            return Err(Error::conflict(
                Code::SettlementDecided,
                format!("settlement {id} was decided meanwhile"),
            )
            .into());
        }
        if let (Decision::Claim, Some(entry_id)) = (self.decision, entry_id) {
            clawbacks::insert(
                tx,
                &ClawbackRow {
                    id: new_id(),
                    municipality: m.clone(),
                    case_id: s.case_id.clone(),
                    origin: "settlement".into(),
                    settlement_id: Some(id.clone()),
                    expense_id: None,
                    lost_earnings_id: None,
                    decision_id: Some(decision_id),
                    proposed_amount: s.net_unspent,
                    amount: claimed.ore(),
                    repaid: 0,
                    status: "open".into(),
                    entry_id: Some(entry_id),
                    hearing_sent_on: s.hearing_sent_on,
                    respond_by: s.respond_by,
                    response_received_on: s.response_received_on,
                    response_summary: s.response_summary.clone(),
                    created_by: ctx.sub.clone(),
                    created_at: now(),
                    cause: None,
                    cause_decision_id: None,
                    offset_consented_on: None,
                    offset_monthly: None,
                    offset_lost_earnings_id: None,
                },
            )?;
        }
        let s = settlements::lock(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        Ok(view::view(tx, s)?)
    }
}
