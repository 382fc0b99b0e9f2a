//! A supplementary decision (tillægsbevilling, caseworker): raise, lower or add posts on the
//! version the caseworker read (If-Match), never below what is spent, within the cap.
use super::budget_posts::{self, NewPost};
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::{Refusal, Result};
use crate::read::budget_years::{self as view, BudgetYearView};
use crate::service::Command;
use crate::store::budgets::{self, PostRow, VersionRow};
use crate::store::{accounts, cases, expenses, journal, now, periods, rates, StoreResult, Tx};
use bookkeeping::{chart, Role};
use chrono::NaiveDate;
pub use rules::budget::amendment::Change;
use rules::budget::amendment::{self, Facts, Post};
use rules::decision::{DecisionKind, Outcome};
use rules::rates::TRAINING_EXPENSE_CAP;

#[derive(Clone, Debug)]
pub struct AmendBudgetYear {
    pub year_id: String,
    /// The version the caseworker decided on (`If-Match`).
    pub if_match: i32,
    pub decided_on: NaiveDate,
    pub reason: String,
    pub changes: Vec<Change>,
}

impl Command for AmendBudgetYear {
    type Output = BudgetYearView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        amendment::check_request(&self.reason, &self.changes)?;
        Ok(())
    }

    /// A supplementary application the cap refuses is a decision on the case.
    fn record_refusal(&self, tx: &mut Tx, ctx: &Ctx, r: &Refusal) -> Result<Option<String>> {
        // A change of a post the year does not have is the caseworker's slip, not a refusal.
        if r.code != bookkeeping::Code::TrainingCapExceeded {
            return Ok(None);
        }
        let m = &ctx.municipality;
        let Some(y) = budgets::get_year(tx, m, &self.year_id)? else {
            return Ok(None);
        };
        let asked = serde_json::json!({
            "budget_year_id": y.id,
            "decided_on": self.decided_on,
            "reason": self.reason.trim(),
            "changes": self.changes.len(),
        });
        let mut d =
            NewDecision::refusal(&y.case_id, ctx.today, ("budget_year", &y.id), r).asked(asked);
        d.kind = DecisionKind::BudgetRefused;
        Ok(Some(decision::record(tx, ctx, d)?))
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<BudgetYearView> {
        let m = &ctx.municipality;
        let id = &self.year_id;
        let y = budgets::get_year(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        let case = cases::lock(tx, m, &y.case_id)?
            .ok_or_else(|| crate::read::cases::not_found(&y.case_id))?;
        let rows = budgets::posts_of_year(tx, m, id)?;
        let posts = posts_as_decided(tx, m, id, &rows)?;
        let added = self
            .changes
            .iter()
            .filter(|c| matches!(c, Change::Add(_)))
            .count();
        let new_ids = budget_posts::new_ids(added);
        let facts = Facts {
            year_id: id,
            version: y.version,
            if_match: self.if_match,
            application_date: case.application_date,
            today: ctx.today,
            start: y.start_date,
            cap_rates: &rates::values_of(tx, TRAINING_EXPENSE_CAP)?,
            closed_through: periods::closed_through(tx, m)?,
            posts: &posts,
            appropriation_account: &accounts::id_of(tx, m, chart::BUDGET_APPROPRIATION)?,
            new_ids: &new_ids,
        };
        let decision = amendment::decide(&facts, self.decided_on, &self.changes)?;
        // The posts it adds get their accounts first: the entry credits them.
        for (i, a) in decision.added.iter().enumerate() {
            let p = NewPost {
                id: &a.id,
                account_id: &a.account_id,
                line_no: (rows.len() + i + 1) as i32,
                spec: &a.spec,
            };
            budget_posts::open(tx, ctx, id, &p)?;
        }
        let entry_id = match &decision.entry {
            Some(entry) => Some(journal::post(tx, ctx, entry)?.entry.id),
            None => None,
        };
        // Record: the version moves on only from the one decided on (a racing amendment loses).
        if !budgets::bump_version(tx, m, id, self.if_match)? {
            let detail = "the budget year changed meanwhile; read it again";
            return Err(amendment::version_mismatch(detail).into());
        }
        for g in &decision.changed {
            budgets::update_post_grant(tx, m, &g.post_id, g.granted, g.hours, g.hourly_rate)?;
        }
        let changed: Vec<String> = decision.changed.iter().map(|g| g.post_id.clone()).collect();
        super::agreement_replan::after_change(tx, ctx, id, &changed, self.decided_on)?;
        let version = VersionRow {
            budget_year_id: id.clone(),
            version: self.if_match + 1,
            decided_on: self.decided_on,
            reason: self.reason.trim().to_string(),
            snapshot: view::snapshot(tx, m, id)?,
            entry_id,
            created_by: ctx.sub.clone(),
            created_at: now(),
        };
        budgets::insert_version(tx, &version)?;
        let d = NewDecision::new(
            &case.id,
            DecisionKind::BudgetYearAmended,
            Outcome::Changed,
            self.decided_on,
            ("budget_year", id),
            self.reason.trim().to_string(),
        )
        .legal(rules::budget::amendment::LEGAL)
        .figure("version", self.if_match + 1);
        decision::record(tx, ctx, d)?;
        let y = budgets::get_year(tx, m, id)?.ok_or_else(|| view::not_found(id))?;
        view::view(tx, m, &y)
    }
}

/// The year's posts with what each grants and holds now.
fn posts_as_decided(tx: &mut Tx, m: &str, year_id: &str, rows: &[PostRow]) -> Result<Vec<Post>> {
    let states = expenses::post_states(tx, m, year_id, rows)?;
    let posts = rows.iter().zip(states).map(|(p, state)| {
        Ok(Post {
            id: p.id.clone(),
            account_id: p.account_id.clone(),
            grant: p.grant()?,
            state,
        })
    });
    Ok(posts.collect::<StoreResult<Vec<_>>>()?)
}
