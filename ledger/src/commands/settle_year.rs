//! Settle a fixed-amount agreement's budget year (caseworker), once it or the case has ended:
//! per covered post granted, prepaid, approved, unspent and shortfall, and one net figure; a net
//! shortfall becomes a payable to the family at once, a net unspent amount awaits a decision.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::settlements::{self as view, SettlementView};
use crate::service::Command;
use crate::store::payables::{self, PayableRow};
use crate::store::settlements::{self, SettlementRow};
use crate::store::{
    accounts, agreements, budgets, cases, expenses, journal, new_id, now, periods, StoreError, Tx,
};
use bookkeeping::{chart, period, Code, Error, Money, Role};
use rules::agreement::settlement::{self, PostFigures};

#[derive(Clone, Debug)]
pub struct SettleYear {
    pub year_id: String,
    /// The family's confirmation that its accounts are complete, to settle before the
    /// documentation deadline.
    pub accounts_complete_on: Option<chrono::NaiveDate>,
}

impl Command for SettleYear {
    type Output = SettlementView;

    /// The role, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<SettlementView> {
        let m = &ctx.municipality;
        // Load, under the case's lock.
        let y = budgets::get_year(tx, m, &self.year_id)?
            .ok_or_else(|| crate::read::budget_years::not_found(&self.year_id))?;
        let case = cases::lock(tx, m, &y.case_id)?
            .ok_or_else(|| crate::read::cases::not_found(&y.case_id))?;
        let a = agreements::of_year(tx, m, &y.id)?.ok_or_else(|| {
            Error::rule(Code::NoAgreement, "the budget year has no fixed-amount agreement; documented expenses are settled one by one")
        })?;
        if settlements::of_year(tx, m, &y.id)?.is_some() {
            return Err(Error::conflict(
                Code::SettlementExists,
                "the budget year's accounts are settled already",
            )
            .into());
        }
        let covered = agreements::covered_posts(tx, &a.id)?;
        let rows = budgets::posts_of_year(tx, m, &y.id)?;
        let states = expenses::post_states(tx, m, &y.id, &rows)?;
        let prepaid = settlements::prepaid_per_post(tx, &a.id)?;
        let figures: Vec<PostFigures> = covered
            .iter()
            .map(|pid| {
                let i = rows.iter().position(|r| &r.id == pid).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "agreement {} covers post {pid} not of its year",
                        a.id
                    ))
                })?;
                Ok(PostFigures {
                    post_id: pid.clone(),
                    granted: rows[i].granted(),
                    prepaid: prepaid
                        .iter()
                        .find(|(p, _)| p == pid)
                        .map(|(_, m)| *m)
                        .unwrap_or(Money::ZERO),
                    approved: states[i].approved,
                })
            })
            .collect::<Result<_>>()?;
        let pending: Money = covered
            .iter()
            .filter_map(|pid| rows.iter().position(|r| &r.id == pid))
            .map(|i| states[i].pending)
            .sum();
        let year_end = y.nominal_end_date.min(case.effective_end());
        // The deadline of the practice the year was granted under, not of a later change.
        let practice = crate::store::settings::at_version(tx, m, y.settings_version)?;
        let (_, documentation_due) = rules::budget::deadlines::due(
            year_end,
            practice.proposal_weeks_before_end,
            practice.documentation_weeks_after_end,
        );
        // Decide.
        settlement::check_ended(year_end, ctx.today)?;
        settlement::check_complete(
            pending,
            year_end,
            documentation_due,
            self.accounts_complete_on,
            ctx.today,
        )?;
        let acc = settlement::settle(&figures);
        // Post and record: the settlement replaces the installments still due.
        let id = new_id();
        let on = period::first_open_on_or_after(periods::closed_through(tx, m)?, ctx.today);
        agreements::cancel_due_of(tx, &a.id)?;
        let row = SettlementRow {
            id: id.clone(),
            municipality: m.clone(),
            case_id: case.id.clone(),
            budget_year_id: y.id.clone(),
            agreement_id: a.id.clone(),
            lines: serde_json::to_string(&acc.lines)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            total_prepaid: acc.total_prepaid.ore(),
            total_approved: acc.total_approved.ore(),
            net_unspent: acc.net_unspent.ore(),
            net_shortfall: acc.net_shortfall.ore(),
            decision: None,
            decision_id: None,
            entry_id: None,
            created_by: ctx.sub.clone(),
            created_at: now(),
            accounts_complete_on: self.accounts_complete_on,
            hearing_sent_on: None,
            respond_by: None,
            response_received_on: None,
            response_summary: None,
            reopened_by_decision: None,
        };
        settlements::insert(tx, &row).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| {
                Error::conflict(
                    Code::SettlementExists,
                    "the budget year's accounts are settled already",
                )
            })
        })?;
        if acc.net_shortfall.is_positive() {
            let advance = accounts::id_of(tx, m, chart::ADVANCES_TO_FAMILIES)?;
            let owed = accounts::id_of(tx, m, chart::PAYABLES_TO_FAMILIES)?;
            journal::post(
                tx,
                ctx,
                &settlement::shortfall_entry(&id, on, acc.net_shortfall, (&advance, &owed)),
            )?;
            payables::insert(
                tx,
                &PayableRow {
                    id: new_id(),
                    municipality: m.clone(),
                    case_id: case.id.clone(),
                    expense_id: None,
                    amount: acc.net_shortfall.ore(),
                    status: rules::payment::PayableStatus::Open.as_str().to_string(),
                    payment_id: None,
                    created_at: now(),
                    payee: rules::payment::Payee::Family.as_str().to_string(),
                    payroll_firm: None,
                    settlement_id: Some(id.clone()),
                },
            )?;
        }
        Ok(view::view(tx, row)?)
    }
}
