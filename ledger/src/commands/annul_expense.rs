//! Annul an approval that was wrong (caseworker): the approval's entry is reversed (the post gets
//! its money back), an unpaid payable is cancelled, a paid one becomes a claim on the family;
//! the annulment is a decision with its letter.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::expenses::{self as view, ExpenseView};
use crate::service::Command;
use crate::store::clawbacks::{self, ClawbackRow, NewClaim};
use crate::store::StoreError;
use crate::store::{accounts, cases, expenses, journal, payables, periods, Tx};
use bookkeeping::{chart, Code, Error, Role};
use chrono::NaiveDate;
use rules::correction::annulment::{self, ClaimAccounts};
use rules::decision::{DecisionKind, Outcome};
use rules::expense::ExpenseStatus;
use rules::payment::{PayableStatus, Payee};

#[derive(Clone, Debug)]
pub struct AnnulExpense {
    pub expense_id: String,
    pub decided_on: NaiveDate,
    pub reason: String,
}

impl Command for AnnulExpense {
    type Output = ExpenseView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        annulment::check_request(self.decided_on, &self.reason, ctx.today)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ExpenseView> {
        let m = &ctx.municipality;
        let id = &self.expense_id;
        // Load: under the case's lock, the expense, its approval's entry and its payable.
        let case = cases::lock_for_expense(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let e = expenses::get(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let Some(entry_id) = e.entry_id.clone() else {
            return Err(not_approved(id, e.status()?.as_str()).into());
        };
        let approval = journal::get(tx, m, &entry_id)?
            .ok_or_else(|| StoreError::Corrupt(format!("expense {id} without its entry")))?;
        // Locked: a payment or a return of this payable waits for the annulment, or it for them.
        // An expense paid from the family's advance has no payable: its reversal gives the advance
        // back, to be settled in the annual accounts.
        let payable = payables::lock_of_expense(tx, m, id)?;
        if e.against_advance
            && crate::store::settlements::of_year(tx, m, &e.budget_year_id)?.is_some()
        {
            return Err(super::approve_expense::year_settled(&e.budget_year_id).into());
        }
        if payable.is_none() && !e.against_advance && e.status()? == ExpenseStatus::Approved {
            return Err(
                StoreError::Corrupt(format!("approved expense {id} without payable")).into(),
            );
        }
        let payables_account = match payable.as_ref().map(|p| p.payee()).transpose()? {
            Some(Payee::PayrollFirm) => chart::PAYABLES_TO_PAYROLL_FIRMS,
            _ => chart::PAYABLES_TO_FAMILIES,
        };
        let payable_status = match &payable {
            Some(p) => p.status()?,
            None => PayableStatus::Open,
        };
        // A paid expense annulled: the money waits as an overpayment under review while the
        // family is heard; nobody owes it before a claim is decided (issue 21).
        let receivable = accounts::id_of(tx, m, chart::OVERPAYMENTS_UNDER_REVIEW)?;
        let payables_id = accounts::id_of(tx, m, payables_account)?;
        let mut booked = approval.booked()?;
        // An imported expense shares its voucher with the file's other lines of that day: its
        // annulment reverses its own share only (the four lines of its approval), linked to it
        // by the expense, and leaves the voucher standing for the others.
        let shared = e.import_id.is_some();
        if shared {
            booked.postings = share_of_voucher(tx, m, &e, &payables_id)?;
            booked.reversed_by = None;
            booked.source_type = Some("expense");
            booked.source_id = Some(id);
        }
        // Decide.
        let approved = annulment::Approval {
            entry: &booked,
            entry_date: approval.entry.effective_date,
            decided_on: e
                .decided_at
                .map(crate::context::date_in_denmark)
                .unwrap_or(approval.entry.effective_date),
        };
        let mut a = annulment::decide(
            id,
            e.status()?,
            &approved,
            payable_status,
            e.amount(),
            self.decided_on,
            periods::closed_through(tx, m)?,
            &ClaimAccounts {
                receivable: &receivable,
                payables: &payables_id,
            },
        )?;
        if shared {
            a.reversal.reverses = None;
        }
        // Post: the claim first, so the payables account never dips below zero.
        let claim_entry = match &a.claim {
            Some(c) => Some(journal::post(tx, ctx, c)?.entry.id),
            None => None,
        };
        let reversal = journal::post(tx, ctx, &a.reversal)?;
        // Record.
        let reason = self.reason.trim();
        if !expenses::annul(
            tx,
            m,
            id,
            self.decided_on,
            &ctx.sub,
            reason,
            &reversal.entry.id,
        )? {
            return Err(not_approved(id, "no longer approved").into());
        }
        let outcome = Outcome::Changed;
        let d = NewDecision::new(
            &case.id,
            DecisionKind::ExpenseAnnulled,
            outcome,
            self.decided_on,
            ("expense", id),
            reason.to_string(),
        )
        .amount(a.amount)
        .asked(super::reject_expense::asked(&e))
        .legal(annulment::LEGAL)
        .figure("amount", a.amount);
        let d = match claim_entry {
            Some(_) => d.figure("proposed", a.amount),
            None => d,
        };
        decision::record(tx, ctx, d)?;
        match (payable, claim_entry) {
            (None, _) => {}
            (Some(payable), _) if payable_status == PayableStatus::Open => {
                if !payables::cancel(tx, m, &payable.id)? {
                    return Err(StoreError::Corrupt(format!(
                        "payable {} changed under its lock",
                        payable.id
                    ))
                    .into());
                }
            }
            (Some(_), Some(entry_id)) => clawbacks::insert(
                tx,
                &ClawbackRow::proposed(NewClaim {
                    id: None,
                    municipality: m.clone(),
                    case_id: case.id.clone(),
                    origin: "annulled_expense",
                    expense_id: Some(id.clone()),
                    lost_earnings_id: None,
                    cause: None,
                    amount: e.amount,
                    entry_id: Some(entry_id),
                    created_by: ctx.sub.clone(),
                }),
            )?,
            _ => {
                return Err(
                    StoreError::Corrupt(format!("payable of {id} in no known state")).into(),
                )
            }
        }
        view::current(tx, m, id)
    }
}

/// The lines an imported expense's approval put into its voucher (`approval::lines`).
fn share_of_voucher(
    tx: &mut Tx,
    m: &str,
    e: &expenses::ExpenseRow,
    payables_id: &str,
) -> Result<Vec<bookkeeping::PostingLine>> {
    let post = crate::store::budgets::posts_of_year(tx, m, &e.budget_year_id)?
        .into_iter()
        .find(|p| p.id == e.post_id)
        .ok_or_else(|| StoreError::Corrupt(format!("expense {} without its post", e.id)))?;
    let expense = accounts::id_of(
        tx,
        m,
        chart::expense_account_for_category(post.category()?.as_str()),
    )?;
    let owed = if e.against_advance {
        accounts::id_of(tx, m, chart::ADVANCES_TO_FAMILIES)?
    } else {
        payables_id.to_string()
    };
    let appropriation = accounts::id_of(tx, m, chart::BUDGET_APPROPRIATION)?;
    let a = rules::expense::approval::Accounts {
        expense: &expense,
        payable_to_family: &owed,
        post: &post.account_id,
        appropriation: &appropriation,
    };
    Ok(rules::expense::approval::lines(&a, e.amount()).to_vec())
}

fn not_approved(id: &str, status: &str) -> Error {
    Error::conflict(
        Code::ExpenseNotApproved,
        format!("expense {id} is {status}; only an approved expense can be annulled"),
    )
}
