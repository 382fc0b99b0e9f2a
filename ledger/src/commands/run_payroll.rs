//! The monthly payroll run of lost-earnings compensation (finance): every decision of the
//! municipality computed for the month, correction lines for earlier months a change altered,
//! booked in one transaction: the run's voucher (the lines' totals on the expense and payable
//! accounts) through the batch path, and the lines as its subledger (personbogføring), each
//! pointing at the voucher. Months already paid that are no longer due are not netted against
//! the parent's pay: they are information lines pointing at one proposed claim per decision,
//! the gross moved to the overpayments under review. A claim the family consented to have set
//! off is paid by an installment withheld from the regular line (after tax, like savings), a
//! repayment on the claim. Once per month: running it again answers with the run that exists
//! and books nothing.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::lost_earnings::{rate_book, versions_for_calculation};
use crate::read::payroll::{self as view, RunView};
use crate::service::Command;
use crate::store::clawbacks::{self, ClawbackRow, NewClaim, RepaymentRow};
use crate::store::payroll::{self as store, LineRow, RunRow};
use crate::store::{
    accounts, batch, cases, decisions, journal, lost_earnings, new_id, now, periods, Tx,
};
use bookkeeping::{chart, period, Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::correction::set_off;
use rules::lost_earnings::overpayment::{self, Overpaid};
use rules::lost_earnings::payroll::{self, Line, PayrollAccounts};

/// Whether a claim comes from a new version of the decision (else from the case's end), and the
/// new version's decision.
type Cause = (bool, String);
use rules::lost_earnings::versions::{month_span, Version};
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct RunPayroll {
    /// Any day of the month to run.
    pub month: NaiveDate,
}

impl Command for RunPayroll {
    type Output = RunView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance])?;
        payroll::check_month(self.month, ctx.today)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<RunView> {
        let m = &ctx.municipality;
        let (first, last) = month_span(self.month);
        if let Some(existing) = store::of_month(tx, m, first)? {
            return Ok(view::run_view(existing, true));
        }
        // Load the facts: every decision with its versions, the ended cases, what is booked.
        let decisions = lost_earnings::all_with_versions(tx, m)?;
        let case_ends = cases::ends(tx, m)?;
        let booked_versions = store::booked_versions(tx, m)?;
        let earlier_runs = store::months_run(tx, m)?;
        // Months run in order: a later month's corrections rest on every earlier one being run.
        if let Some(latest) = earlier_runs.last().filter(|l| **l > first) {
            return Err(Error::conflict(
                Code::PayrollMonthPassed,
                format!(
                    "{} has been run; {} can no longer be run (its changes come as correction lines in the next month's run)",
                    latest.format("%Y-%m"),
                    first.format("%Y-%m")
                ),
            )
            .legal(rules::lost_earnings::payroll::LEGAL)
            .into());
        }
        let (book, _) = rate_book(tx)?;
        // Each decision as it stands (its versions cut by the case's end), and whether it changed
        // since it was last booked: a new version, or a case that has ended (perhaps back in
        // time, which no version records).
        let mut prepared = Vec::with_capacity(decisions.len());
        for (d, rows) in &decisions {
            let Some(latest) = rows.last() else {
                prepared.push(None);
                continue;
            };
            let end = case_ends.get(&d.case_id).copied();
            let versions = versions_for_calculation(rows, end)?;
            let booked_version = booked_versions.get(&d.id).copied();
            let new_version = booked_version.is_none_or(|b| latest.version > b);
            prepared.push(Some((versions, new_version, new_version || end.is_some())));
        }
        // The parent's ATP is one bracket on all the parent's hours in a month (ATP-loven § 2 a,
        // stk. 5): a parent's decisions are computed together, and when one of them changed,
        // the earlier months of all of them are computed again.
        let mut by_parent: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (n, (d, _)) in decisions.iter().enumerate() {
            if prepared[n].is_some() {
                by_parent.entry(d.parent_ref.as_str()).or_default().push(n);
            }
        }
        let mut as_stands = vec![BTreeMap::new(); decisions.len()];
        let mut parent_changed = vec![false; decisions.len()];
        for ns in by_parent.values() {
            let changed = ns
                .iter()
                .any(|n| prepared[*n].as_ref().is_some_and(|p| p.2));
            let mut months: Vec<NaiveDate> = if changed {
                earlier_runs
                    .iter()
                    .copied()
                    .filter(|m| *m < first)
                    .collect()
            } else {
                vec![]
            };
            months.push(first);
            let group: Vec<(&str, &[Version])> = ns
                .iter()
                .filter_map(|n| {
                    let (v, _, _) = prepared[*n].as_ref()?;
                    Some((decisions[*n].0.id.as_str(), v.as_slice()))
                })
                .collect();
            for (n, m) in ns
                .iter()
                .zip(payroll::parent_months(&group, &months, &book)?)
            {
                as_stands[*n] = m;
                parent_changed[*n] = changed;
            }
        }
        // Decide: each decision's lines; months a later end or change shows were overpaid become
        // a proposed claim of the decision (never a deduction from the parent's current pay).
        // The lines, and beside each the decision (its index), version and claim it belongs to.
        let mut lines: Vec<Line> = vec![];
        let mut owners: Vec<(usize, i32, Option<String>)> = vec![];
        let mut claims: Vec<(usize, String, Overpaid, Cause)> = vec![];
        for (n, (d, rows)) in decisions.iter().enumerate() {
            let (Some(latest), Some((_, new_version, _))) = (rows.last(), &prepared[n]) else {
                continue;
            };
            let changed = parent_changed[n];
            let booked = match (changed, booked_versions.contains_key(&d.id)) {
                (true, true) => store::booked_by_month(tx, &d.id)?,
                _ => Default::default(),
            };
            let runs: &[NaiveDate] = if changed { &earlier_runs } else { &[] };
            let own = payroll::lines(&as_stands[n], first, &booked, runs, changed);
            let claim_id = overpayment::overpaid(&own).map(|over| {
                let id = new_id();
                claims.push((
                    n,
                    id.clone(),
                    over,
                    (*new_version, latest.decision_id.clone()),
                ));
                id
            });
            for l in own {
                let claim = claim_id.clone().filter(|_| overpayment::is_overpaid(&l));
                lines.push(l);
                owners.push((n, latest.version, claim));
            }
        }
        // Decide: the installments on claims the family consented to have set off, each withheld
        // from the month's regular line of the decision it is set off against (one claim per
        // line, oldest first: a second claim on the same decision waits for the first).
        let mut set_offs: Vec<(usize, ClawbackRow, Money)> = vec![];
        for open in crate::store::set_offs::open(tx, m)? {
            let Some(c) = clawbacks::lock(tx, m, &open.id)?.filter(|c| c.status == "open") else {
                continue;
            };
            let target = c.offset_lost_earnings_id.as_deref();
            let line = lines
                .iter()
                .zip(&owners)
                .enumerate()
                .position(|(i, (l, o))| {
                    l.corrects.is_none()
                        && Some(decisions[o.0].0.id.as_str()) == target
                        && !set_offs.iter().any(|s| s.0 == i)
                });
            let Some(i) = line else { continue };
            let a = &lines[i].amounts;
            let amount = set_off::installment(
                Money::from_ore(c.offset_monthly.unwrap_or(0)),
                Money::from_ore(c.amount - c.repaid),
                a.pay_before_tax - a.savings_deduction,
            );
            if amount.is_positive() {
                set_offs.push((i, c, amount));
            }
        }
        // Post: the run's voucher.
        let ids = [
            chart::LOST_EARNINGS_EXPENSE,
            chart::PENSION_EXPENSE,
            chart::ATP_EXPENSE,
            chart::PAYABLES_TO_FAMILIES,
            chart::PENSION_PAYABLE,
            chart::ATP_PAYABLE,
        ]
        .map(|code| accounts::id_of(tx, m, code));
        let [a0, a1, a2, a3, a4, a5] = ids;
        let (a0, a1, a2, a3, a4, a5) = (a0?, a1?, a2?, a3?, a4?, a5?);
        let acc = PayrollAccounts {
            lost_earnings_expense: &a0,
            pension_expense: &a1,
            atp_expense: &a2,
            payable_to_parents: &a3,
            pension_payable: &a4,
            atp_payable: &a5,
        };
        let run_id = new_id();
        let entries: Vec<_> = payroll::entry(&lines, first, &run_id, last, &acc)
            .into_iter()
            .collect();
        let entry_id = batch::post_batch(tx, ctx, &entries)?.pop();
        // Post and record: each proposed claim, its gross moved to the overpayments under review.
        let under_review = accounts::id_of(tx, m, chart::OVERPAYMENTS_UNDER_REVIEW)?;
        for (n, claim_id, over, (new_version, version_decision)) in &claims {
            let d = &decisions[*n].0;
            let e = overpayment::entry(claim_id, over.amount(), last, &under_review, &a0);
            let posted = journal::post(tx, ctx, &e)?;
            let cause = if *new_version {
                ("changed", Some(version_decision.clone()))
            } else {
                let ended = decisions::latest_for(tx, m, "case", std::slice::from_ref(&d.case_id))?;
                ("case_ended", ended.into_iter().next().map(|(_, id)| id))
            };
            clawbacks::insert(
                tx,
                &ClawbackRow::proposed(NewClaim {
                    id: Some(claim_id.clone()),
                    municipality: m.clone(),
                    case_id: d.case_id.clone(),
                    origin: "lost_earnings",
                    expense_id: None,
                    lost_earnings_id: Some(d.id.clone()),
                    cause: Some(cause),
                    amount: over.amount().ore(),
                    entry_id: Some(posted.entry.id),
                    created_by: ctx.sub.clone(),
                }),
            )?;
        }
        // Post and record: each installment set off, a repayment on its claim.
        let receivable = accounts::id_of(tx, m, chart::CLAWBACK_RECEIVABLES)?;
        let closed = periods::closed_through(tx, m)?;
        for (_, c, amount) in &set_offs {
            let mut e = set_off::entry(&c.id, *amount, last, &a3, &receivable);
            e.effective_date = period::first_open_on_or_after(closed, last);
            let posted = journal::post(tx, ctx, &e)?;
            let settled = amount.ore() == c.amount - c.repaid;
            if !clawbacks::add_repaid(tx, m, &c.id, c.repaid, amount.ore(), settled)? {
                return Err(Error::conflict(
                    Code::VersionMismatch,
                    format!("claim {} was repaid meanwhile; run again", c.id),
                )
                .into());
            }
            clawbacks::insert_repayment(
                tx,
                &RepaymentRow {
                    id: new_id(),
                    municipality: m.clone(),
                    clawback_id: c.id.clone(),
                    amount: amount.ore(),
                    received_on: e.effective_date,
                    bank_reference: format!("Modregning, lønkørsel {}", first.format("%Y-%m")),
                    entry_id: posted.entry.id,
                    created_by: ctx.sub.clone(),
                    created_at: now(),
                },
            )?;
        }
        // Record: the run and its lines.
        let total = payroll::total(&lines);
        let run = RunRow {
            id: run_id.clone(),
            municipality: m.clone(),
            month: first,
            entry_id: entry_id.clone(),
            lines_count: lines.len() as i32,
            corrections_count: lines.iter().filter(|l| l.corrects.is_some()).count() as i32,
            total_gross: total.gross.ore(),
            total_pension: total.pension.ore(),
            total_atp_recipient: total.atp_recipient.ore(),
            total_atp_municipality: total.atp_municipality.ore(),
            total_savings_deduction: total.savings_deduction.ore(),
            total_pay_before_tax: total.pay_before_tax.ore(),
            created_by: ctx.sub.clone(),
            created_at: now(),
        };
        let rows: Vec<LineRow> = lines
            .iter()
            .zip(&owners)
            .enumerate()
            .map(|(i, (l, (n, version, claim)))| {
                let d = &decisions[*n].0;
                let a = &l.amounts;
                let set_off = set_offs.iter().find(|s| s.0 == i);
                LineRow {
                    id: new_id(),
                    run_id: run_id.clone(),
                    line_no: i as i32 + 1,
                    municipality: m.clone(),
                    lost_earnings_id: d.id.clone(),
                    version: *version,
                    case_id: d.case_id.clone(),
                    parent_ref: d.parent_ref.clone(),
                    month: first,
                    kind: if l.corrects.is_some() {
                        "correction"
                    } else {
                        "regular"
                    }
                    .into(),
                    corrects_month: l.corrects,
                    hours: a.hours.to_string(),
                    gross: a.gross.ore(),
                    pension: a.pension.ore(),
                    atp_recipient: a.atp_recipient.ore(),
                    atp_municipality: a.atp_municipality.ore(),
                    savings_deduction: a.savings_deduction.ore(),
                    pay_before_tax: a.pay_before_tax.ore(),
                    // An overpaid month is not in the voucher: its claim holds it.
                    entry_id: claim.is_none().then(|| entry_id.clone()).flatten(),
                    clawback_id: claim.clone(),
                    set_off: set_off.map_or(0, |s| s.2.ore()),
                    set_off_clawback_id: set_off.map(|s| s.1.id.clone()),
                }
            })
            .collect();
        // A twin run of the same month that committed first fails this insert on the unique
        // month; the service retries the request, which then answers with that run.
        store::insert(tx, &run, &rows)?;
        Ok(view::run_view(run, false))
    }
}
