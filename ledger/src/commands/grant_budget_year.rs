//! Grant a budget year post by post (caseworker): each post gets its own budget account,
//! credited against the appropriation, within the yearly cap.
use super::budget_posts::{self, NewPost};
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::{Refusal, Result};
use crate::read::budget_years::{self as view, BudgetYearView};
use crate::service::Command;
use crate::store::budgets::{self, VersionRow, YearRow};
use crate::store::{accounts, cases, journal, new_id, now, periods, rates, settings, Tx};
use bookkeeping::{chart, Role};
use chrono::NaiveDate;
use rules::budget::budget_year::Span;
use rules::budget::grant;
pub use rules::budget::grant::{grant_from_parts, Category, Grant, PostSpec};
pub use rules::budget::itemised::Applied;
use rules::budget::new_year::{self, Facts};
use rules::decision::{wording, DecisionKind, Outcome};
use rules::rates::TRAINING_EXPENSE_CAP;

#[derive(Clone, Debug)]
pub struct GrantBudgetYear {
    pub case_id: String,
    pub start: NaiveDate,
    /// An explicit end (at most 12 months); otherwise the municipality's budget-year length.
    pub end: Option<NaiveDate>,
    /// A retroactive lead-in back towards the application date (first year only).
    pub retroactive_from: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub posts: Vec<PostSpec>,
}

impl Command for GrantBudgetYear {
    type Output = BudgetYearView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        grant::check_posts(&self.posts).map(|_| ())
    }

    /// A budget the cap (or the case's end) refuses is a decision on the case: the family applied
    /// for it and is owed the refusal in writing.
    fn record_refusal(&self, tx: &mut Tx, ctx: &Ctx, r: &Refusal) -> Result<Option<String>> {
        if !matches!(
            r.code,
            bookkeeping::Code::TrainingCapExceeded | bookkeeping::Code::CaseEnded
        ) {
            return Ok(None);
        }
        let Some(case) = cases::get(tx, &ctx.municipality, &self.case_id)? else {
            return Ok(None);
        };
        let posts = asked_posts(&self.posts);
        let asked = serde_json::json!({
            "start_date": self.start,
            "end_date": self.end,
            "retroactive_from": self.retroactive_from,
            "posts": posts,
        });
        let mut d = NewDecision::refusal(&case.id, ctx.today, ("case", &case.id), r).asked(asked);
        d.kind = DecisionKind::BudgetRefused;
        if let Ok(total) = grant::check_posts(&self.posts) {
            d = d.amount(total);
        }
        Ok(Some(decision::record(tx, ctx, d)?))
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<BudgetYearView> {
        let total = grant::check_posts(&self.posts)?;
        let m = &ctx.municipality;
        let case = cases::lock(tx, m, &self.case_id)?
            .ok_or_else(|| crate::read::cases::not_found(&self.case_id))?;
        let others: Vec<(NaiveDate, NaiveDate)> = budgets::years_of_case(tx, m, &case.id)?
            .iter()
            .map(|y| {
                let from = y.retroactive_from.unwrap_or(y.start_date);
                (from, y.nominal_end_date.min(case.effective_end()))
            })
            .collect();
        let (practice, settings_version) = settings::in_force(tx, m)?;
        let span = Span {
            start: self.start,
            end: self.end,
            retroactive_from: self.retroactive_from,
            months: practice.budget_year_months as u32,
        };
        // Posts refused whole are in the decision, not in the budget.
        let posts: Vec<PostSpec> = self
            .posts
            .iter()
            .filter(|p| p.grant.amount().is_ok_and(|a| a.is_positive()))
            .cloned()
            .collect();
        let ids = budget_posts::new_ids(posts.len());
        let post_accounts: Vec<String> = ids.iter().map(|(_, a)| a.clone()).collect();
        let year_id = new_id();
        let facts = Facts {
            year_id: &year_id,
            application_date: case.application_date,
            today: ctx.today,
            case_end: case.effective_end(),
            others: &others,
            cap_rates: &rates::values_of(tx, TRAINING_EXPENSE_CAP)?,
            closed_through: periods::closed_through(tx, m)?,
            appropriation_account: &accounts::id_of(tx, m, chart::BUDGET_APPROPRIATION)?,
            post_accounts: &post_accounts,
        };
        let (nominal_end, entry) = new_year::decide(&facts, span, self.decided_on, &posts, total)?;
        let year = YearRow {
            id: year_id.clone(),
            municipality: m.clone(),
            case_id: case.id.clone(),
            start_date: self.start,
            nominal_end_date: nominal_end,
            version: 1,
            created_by: ctx.sub.clone(),
            created_at: now(),
            retroactive_from: self.retroactive_from,
            settings_version,
        };
        budgets::insert_year(tx, &year)?;
        for (i, (spec, (id, account_id))) in posts.iter().zip(&ids).enumerate() {
            let p = NewPost {
                id,
                account_id,
                line_no: i as i32 + 1,
                spec,
            };
            budget_posts::open(tx, ctx, &year.id, &p)?;
        }
        let booked = journal::post(tx, ctx, &entry)?;
        // A decision is dated the day it is made (the appeal period runs from it), never the
        // case's approval or the year's start.
        let decided_on = self.decided_on.unwrap_or(ctx.today);
        let d = NewDecision::new(
            &case.id,
            DecisionKind::BudgetYearGranted,
            Outcome::Granted,
            decided_on,
            ("budget_year", &year.id),
            format!(
                "Budgettet er bevilget post for post for perioden {} til {}. Penge kan ikke flyttes mellem posterne.",
                year.retroactive_from.unwrap_or(year.start_date),
                nominal_end.min(case.effective_end())
            ),
        )
        .amount(total)
        .legal(rules::budget::rigid_posts::LEGAL)
        .asked(serde_json::json!({ "posts": asked_posts(&self.posts) }))
        .figure("total_granted", total);
        let d = itemised(d, &self.posts);
        decision::record(tx, ctx, d)?;
        let version = VersionRow {
            budget_year_id: year.id.clone(),
            version: 1,
            decided_on,
            reason: "budget granted".into(),
            snapshot: view::snapshot(tx, m, &year.id)?,
            entry_id: Some(booked.entry.id),
            created_by: ctx.sub.clone(),
            created_at: now(),
        };
        budgets::insert_version(tx, &version)?;
        view::view(tx, m, &year)
    }
}

/// The posts of the request: the amount stated for each, what the family applied for when more
/// was asked than granted, and the rule's code of a cut (for systems; a letter shows the reason,
/// not the code).
fn asked_posts(posts: &[PostSpec]) -> Vec<serde_json::Value> {
    posts
        .iter()
        .map(|p| {
            serde_json::json!({
                "category": p.category.as_str(),
                "description": p.description,
                "amount": p.grant.amount().map(|a| a.to_string()).ok(),
                "applied_amount": p.applied.amount.map(|a| a.to_string()),
                "applied_hours": p.applied.hours.map(|h| h.normalize().to_string()),
                "code": p.applied.code.map(|c| c.as_str()),
            })
        })
        .collect()
}

/// Every post applied for in the decision, by its category and description (never an id): what
/// was applied for, what is granted, and the reason for a cut or a refusal (forvaltningsloven
/// § 22; 003: "begrundelse for alle bevilgede og ikke-bevilgede udgiftsposter").
fn itemised<'a>(mut d: NewDecision<'a>, posts: &[PostSpec]) -> NewDecision<'a> {
    for p in posts {
        let name = format!(
            "{} ({})",
            wording::category(p.category.as_str()),
            p.description.trim()
        );
        let granted = p.grant.amount().unwrap_or_default();
        if let Some(a) = p.applied.amount {
            d = d.figure(&format!("{name}: ansøgt"), a);
        }
        if let Some(h) = p.applied.hours {
            d = d.figure(&format!("{name}: ansøgte timer"), h.normalize());
        }
        if let Some(h) = p.grant.hours() {
            d = d.figure(&format!("{name}: bevilgede timer"), h.normalize());
        }
        d = d.figure(&format!("{name}: bevilget"), granted);
        if let Some(r) = &p.applied.refusal_reason {
            d = d.figure(&format!("{name}: begrundelse for afslag"), r.trim());
        }
    }
    d
}
