//! Approve an expense (caseworker): every rule rechecked under the case's lock, then one entry
//! books the expense, the payable to the family and the post's consumption; the post's budget
//! account is the last word on overspending, even under a race.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::{Refusal, Result};
use crate::read::expenses::{self as view, ExpenseView};
use crate::service::Command;
use crate::store::budgets::PostRow;
use crate::store::expenses::{self, Decision, ExpenseRow};
use crate::store::payables::{self, PayableRow};
use crate::store::{
    accounts, agreements, budgets, cases, journal, new_id, now, periods, StoreError, Tx,
};
use bookkeeping::{chart, Role};
use chrono::NaiveDate;
use rules::budget::rigid_posts::{self, PostState};
use rules::decision::{DecisionKind, Outcome};
use rules::expense::approval::{self, Accounts, ApprovalFacts, Pending};
use rules::expense::{ExpenseStatus, Facts};
use rules::payment::PayableStatus;
use rules::payment::{self, Payee};

#[derive(Clone, Debug)]
pub struct ApproveExpense {
    pub expense_id: String,
    /// Approve only this amount, refusing the rest for this reason (a transport claim paid at
    /// the lowest rate, say); `None` approves what was asked.
    pub part: Option<(bookkeeping::Money, String)>,
}

impl Command for ApproveExpense {
    type Output = ExpenseView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        Ok(())
    }

    /// A rule that no longer holds at approval refuses the expense: the family is owed that
    /// decision. It is judged again under the case's lock first: only a still-pending expense
    /// that the rules still refuse is refused (a racing decision or amendment wins).
    fn record_refusal(&self, tx: &mut Tx, ctx: &Ctx, _first: &Refusal) -> Result<Option<String>> {
        let m = &ctx.municipality;
        let id = &self.expense_id;
        let f = load(tx, ctx, id)?;
        let r = match approval::decide(&f.facts()) {
            Err(r) if rules::decision::is_refusal_decision(r.code) => r,
            _ => return Ok(None),
        };
        let r = &r;
        let e = f.expense.clone();
        let case_id = e.case_id.clone();
        let refused = Decision {
            against_advance: false,
            status: ExpenseStatus::Refused,
            by: &ctx.sub,
            at: now(),
            reason: Some(&r.detail),
            entry_id: None,
        };
        if !expenses::decide(tx, m, id, &refused)? {
            return Ok(None);
        }
        let d = NewDecision::refusal(&case_id, ctx.today, ("expense", id), r)
            .amount(e.amount())
            .asked(super::reject_expense::asked(&e));
        Ok(Some(decision::record(tx, ctx, d)?))
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<ExpenseView> {
        let mut f = load(tx, ctx, &self.expense_id)?;
        let requested = f.expense.amount();
        let asked = super::reject_expense::asked(&f.expense);
        if let Some((approved, reason)) = &self.part {
            approval::check_part(*approved, requested, reason)?;
            // Judged, booked and owed as the amount approved.
            f.expense.amount = approved.ore();
        }
        let entry = approval::decide(&f.facts())?;
        let amount = f.expense.amount();
        let booked = journal::post(tx, ctx, &entry).map_err(|err| match err {
            crate::Error::Refused(r) => {
                rigid_posts::explain_overspend(&f.state.label, amount, r).into()
            }
            other => other,
        })?;
        let d = NewDecision::new(
            &f.expense.case_id,
            DecisionKind::ExpenseApproved,
            Outcome::Granted,
            ctx.today,
            ("expense", &f.expense.id),
            format!(
                "Udgiften er en nødvendig træningsudgift og dækkes af budgetposten {}.",
                f.state.label
            ),
        )
        .amount(amount)
        .asked(asked.clone())
        .legal(approval::LEGAL)
        .figure("remaining", f.state.remaining() - amount);
        decision::record(tx, ctx, d)?;
        if let Some((_, reason)) = &self.part {
            // The rest is refused: a decision of its own, with its reason and letter.
            let rest = requested - amount;
            let refused = NewDecision::new(
                &f.expense.case_id,
                DecisionKind::ExpenseRejected,
                Outcome::Refused,
                ctx.today,
                ("expense", &f.expense.id),
                reason.trim().to_string(),
            )
            .amount(rest)
            .asked(asked)
            .legal(approval::LEGAL)
            .figure("amount_requested", requested)
            .figure("amount_approved", amount)
            .figure("amount_refused", rest);
            decision::record(tx, ctx, refused)?;
            expenses::approve_in_part(
                tx,
                &ctx.municipality,
                &f.expense.id,
                amount.ore(),
                requested.ore(),
            )?;
        }
        record(tx, ctx, f.expense, f.payee, booked.entry.id)
    }
}

/// The facts of an approval, read under the case's lock (taken first, so that decisions on one
/// case happen one at a time and the expense is read once, after the lock).
struct Loaded {
    expense: ExpenseRow,
    status: ExpenseStatus,
    hours: Option<rust_decimal::Decimal>,
    post: PostRow,
    state: PostState,
    judged: Facts,
    accounts: [String; 3],
    /// Who the payable goes to, and the firm when it is one; `None` when the post is covered by
    /// a fixed-amount agreement: the expense is then paid from the family's advance.
    payee: Option<(Payee, Option<String>)>,
    closed_through: Option<NaiveDate>,
    year_settled: bool,
}

fn load(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<Loaded> {
    let m = &ctx.municipality;
    let case = cases::lock_for_expense(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
    let expense = expenses::get(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
    let year = budgets::get_year(tx, m, &expense.budget_year_id)?
        .ok_or_else(|| StoreError::Corrupt(format!("expense {id} without its budget year")))?;
    let posts = budgets::posts_of_year(tx, m, &year.id)?;
    let idx = posts
        .iter()
        .position(|p| p.id == expense.post_id)
        .ok_or_else(|| StoreError::Corrupt(format!("expense {id} without its post")))?;
    let state = expenses::post_states(tx, m, &year.id, &posts)?.swap_remove(idx);
    let post = posts.into_iter().nth(idx).expect("the post found above");
    let category = post.category()?;
    let covered = agreements::is_covered(tx, &post.id)?;
    let year_settled = covered && crate::store::settlements::of_year(tx, m, &year.id)?.is_some();
    let payee = payment::payee_for(case.payee()?, category.as_str());
    // A covered post's expense is settled against the advance the installments paid, not owed.
    let (credit_account, _) = payment::credit_account(covered, payee);
    let firm = (payee == Payee::PayrollFirm)
        .then(|| case.payroll_firm.clone())
        .flatten();
    Ok(Loaded {
        payee: (!covered).then_some((payee, firm)),
        status: expense.status()?,
        hours: expense.hours()?,
        judged: expenses::judging_facts(tx, &case, &year)?,
        accounts: [
            accounts::id_of(
                tx,
                m,
                chart::expense_account_for_category(category.as_str()),
            )?,
            accounts::id_of(tx, m, credit_account)?,
            accounts::id_of(tx, m, chart::BUDGET_APPROPRIATION)?,
        ],
        closed_through: periods::closed_through(tx, m)?,
        year_settled,
        expense,
        post,
        state,
    })
}

impl Loaded {
    fn facts(&self) -> ApprovalFacts<'_> {
        let e = &self.expense;
        ApprovalFacts {
            expense: Pending {
                id: &e.id,
                status: self.status,
                expense_date: e.expense_date,
                service: e.service(),
                amount: e.amount(),
                hours: self.hours,
                document_ref: &e.document_ref,
                description: &e.description,
            },
            post: &self.state,
            judged: &self.judged,
            accounts: Accounts {
                expense: &self.accounts[0],
                payable_to_family: &self.accounts[1],
                post: &self.post.account_id,
                appropriation: &self.accounts[2],
            },
            closed_through: self.closed_through,
            paid_from_advance: self.payee.is_none(),
            year_settled: self.year_settled,
        }
    }
}

/// Records the decision on the expense and the payable it creates (none when it was paid from
/// the family's advance).
fn record(
    tx: &mut Tx,
    ctx: &Ctx,
    e: ExpenseRow,
    payee: Option<(Payee, Option<String>)>,
    entry_id: String,
) -> Result<ExpenseView> {
    let m = &ctx.municipality;
    let decision = Decision {
        status: ExpenseStatus::Approved,
        by: &ctx.sub,
        at: now(),
        reason: None,
        entry_id: Some(&entry_id),
        against_advance: payee.is_none(),
    };
    if !expenses::decide(tx, m, &e.id, &decision)? {
        return Err(approval::decided_meanwhile(&e.id).into());
    }
    let Some(payee) = payee else {
        return view::current(tx, m, &e.id);
    };
    let payable = PayableRow {
        id: new_id(),
        municipality: m.clone(),
        case_id: e.case_id.clone(),
        expense_id: Some(e.id.clone()),
        settlement_id: None,
        amount: e.amount,
        status: PayableStatus::Open.as_str().to_string(),
        payment_id: None,
        created_at: decision.at,
        payee: payee.0.as_str().to_string(),
        payroll_firm: payee.1,
    };
    payables::insert(tx, &payable)?;
    // Read back: the answer carries the payable and the decision just recorded.
    view::current(tx, m, &e.id)
}

/// A settled year's covered posts are closed: its annual accounts are final.
pub fn year_settled(year_id: &str) -> bookkeeping::Error {
    bookkeeping::Error::conflict(
        bookkeeping::Code::YearSettled,
        format!("the annual accounts of budget year {year_id} are settled; an expense on a post its fixed-amount agreement covers can no longer be decided"),
    )
}
