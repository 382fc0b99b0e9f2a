//! A budget year: per post granted, approved, pending, remaining; totals; the cap and headroom;
//! and every version of the decision.
use super::rates::Rate;
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::store::budgets::{self, PostRow, YearRow};
use crate::store::{cases, expenses, rates, StoreError, StoreResult, Tx};
use bookkeeping::{Code, Error, Money};
use chrono::{NaiveDate, NaiveDateTime};
use rules::budget::grant::Category;
use rules::budget::yearly_cap;
use rules::rates::TRAINING_EXPENSE_CAP;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct PostView {
    pub id: String,
    pub category: Category,
    pub description: String,
    pub granted: Money,
    /// Approved expenses booked on the post.
    pub approved: Money,
    /// Submitted expenses not yet decided.
    pub pending: Money,
    /// granted − approved.
    pub remaining: Money,
    #[schema(value_type = Option<String>, example = "400")]
    pub hours_granted: Option<Decimal>,
    pub hourly_rate: Option<Money>,
    #[schema(value_type = String, example = "12.5")]
    pub hours_used: Decimal,
    #[schema(value_type = String, example = "0")]
    pub hours_pending: Decimal,
    #[schema(value_type = Option<String>)]
    pub hours_remaining: Option<Decimal>,
    /// The budget account of the post: its constraint forbids spending more than granted.
    pub account_id: String,
    /// How the granted amount was computed.
    pub explanation: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct BudgetYearView {
    pub id: String,
    pub case_id: String,
    pub start_date: NaiveDate,
    /// The decided end (at most 12 months from the start), or the case's end if earlier.
    pub end_date: NaiveDate,
    /// The first day of a retroactive lead-in before the start, if the year has one.
    pub retroactive_from: Option<NaiveDate>,
    /// When the proposal for the next budget year is due (municipal setting, informational).
    pub proposal_due: NaiveDate,
    /// When the documentation of this year is due (municipal setting, informational).
    pub documentation_due: NaiveDate,
    /// The version of the budget decision; the ETag.
    pub version: i32,
    pub posts: Vec<PostView>,
    pub total_granted: Money,
    pub total_approved: Money,
    pub total_pending: Money,
    pub total_remaining: Money,
    /// The yearly cap in force on the start date.
    pub cap: Money,
    /// cap − total_granted.
    pub cap_headroom: Money,
    pub cap_rate: Rate,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

/// One post as a version of the decision recorded it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct PostSnapshot {
    pub post_id: String,
    pub category: Category,
    pub description: String,
    pub granted: Money,
    #[schema(value_type = Option<String>)]
    pub hours_granted: Option<Decimal>,
    pub hourly_rate: Option<Money>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct BudgetVersion {
    pub version: i32,
    pub decided_on: NaiveDate,
    pub reason: String,
    pub posts: Vec<PostSnapshot>,
    pub total_granted: Money,
    /// The journal entry that booked this version's change.
    pub entry_id: Option<String>,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::BudgetYearNotFound, "budget year", id)
}

/// The budget year's posts as the current version records them (JSON, stored with the version).
pub fn snapshot(tx: &mut Tx, municipality: &str, year_id: &str) -> Result<String> {
    let posts = budgets::posts_of_year(tx, municipality, year_id)?
        .iter()
        .map(|p| {
            Ok(PostSnapshot {
                post_id: p.id.clone(),
                category: p.category()?,
                description: p.description.clone(),
                granted: p.granted(),
                hours_granted: p.hours()?,
                hourly_rate: p.hourly_rate.map(Money::from_ore),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(serde_json::to_string(&posts).map_err(|e| StoreError::Corrupt(e.to_string()))?)
}

fn post_view(p: &PostRow, s: rules::budget::rigid_posts::PostState) -> StoreResult<PostView> {
    Ok(PostView {
        id: p.id.clone(),
        category: s.category,
        description: p.description.clone(),
        granted: s.granted,
        approved: s.approved,
        pending: s.pending,
        remaining: s.remaining(),
        hours_granted: s.hours_granted,
        hourly_rate: p.hourly_rate.map(Money::from_ore),
        // Sums of hours carry the widest scale of their terms (12.5 + 7.5 = 20.0): shown plain.
        hours_used: s.hours_used.normalize(),
        hours_pending: s.hours_pending.normalize(),
        hours_remaining: s.hours_granted.map(|h| (h - s.hours_used).normalize()),
        account_id: p.account_id.clone(),
        explanation: p.grant()?.explain(),
    })
}

pub fn view(tx: &mut Tx, municipality: &str, y: &YearRow) -> Result<BudgetYearView> {
    let case = cases::get(tx, municipality, &y.case_id)?
        .ok_or_else(|| StoreError::Corrupt(format!("budget year {} without its case", y.id)))?;
    let posts = budgets::posts_of_year(tx, municipality, &y.id)?;
    let states = expenses::post_states(tx, municipality, &y.id, &posts)?;
    // One read of the cap's values: the rule picks the one in force, the view shows that row.
    let rows = rates::named(tx, Some(TRAINING_EXPENSE_CAP))?;
    let values = rows
        .iter()
        .map(|r| r.dated())
        .collect::<StoreResult<Vec<_>>>()?;
    let cap = yearly_cap::in_force(&values, y.start_date)?;
    let cap_row = rows
        .iter()
        .find(|r| r.valid_from == cap.valid_from)
        .ok_or_else(|| StoreError::Corrupt("cap rate".into()))?;
    let cap_rate = super::rates::view(cap_row)?;
    let views = posts
        .iter()
        .zip(states)
        .map(|(p, s)| post_view(p, s))
        .collect::<StoreResult<Vec<_>>>()?;
    let total_granted: Money = views.iter().map(|p| p.granted).sum();
    let total_approved: Money = views.iter().map(|p| p.approved).sum();
    let end_date = y.nominal_end_date.min(case.effective_end());
    // The deadlines of the practice the year was granted under, not of a later change.
    let practice = crate::store::settings::at_version(tx, municipality, y.settings_version)?;
    let (proposal_due, documentation_due) = rules::budget::deadlines::due(
        end_date,
        practice.proposal_weeks_before_end,
        practice.documentation_weeks_after_end,
    );
    Ok(BudgetYearView {
        id: y.id.clone(),
        case_id: y.case_id.clone(),
        start_date: y.start_date,
        end_date,
        retroactive_from: y.retroactive_from,
        proposal_due,
        documentation_due,
        version: y.version,
        total_pending: views.iter().map(|p| p.pending).sum(),
        total_remaining: total_granted - total_approved,
        posts: views,
        total_granted,
        total_approved,
        cap: cap.amount,
        cap_headroom: cap.amount - total_granted,
        cap_rate,
        created_by: y.created_by.clone(),
        created_at: y.created_at,
    })
}

fn year(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<YearRow> {
    Ok(budgets::get_year(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?)
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<BudgetYearView> {
    ctx.require(CASE_READERS)?;
    let y = year(tx, ctx, id)?;
    view(tx, &ctx.municipality, &y)
}

pub fn of_case(tx: &mut Tx, ctx: &Ctx, case_id: &str) -> Result<Vec<BudgetYearView>> {
    ctx.require(CASE_READERS)?;
    cases::get(tx, &ctx.municipality, case_id)?.ok_or_else(|| super::cases::not_found(case_id))?;
    let ys = budgets::years_of_case(tx, &ctx.municipality, case_id)?;
    ys.iter().map(|y| view(tx, &ctx.municipality, y)).collect()
}

pub fn versions(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<Vec<BudgetVersion>> {
    ctx.require(CASE_READERS)?;
    year(tx, ctx, id)?;
    budgets::versions_of_year(tx, id)?
        .into_iter()
        .map(|v| {
            let posts: Vec<PostSnapshot> = serde_json::from_str(&v.snapshot)
                .map_err(|e| StoreError::Corrupt(format!("budget_versions.snapshot: {e}")))?;
            Ok(BudgetVersion {
                version: v.version,
                decided_on: v.decided_on,
                reason: v.reason,
                total_granted: posts.iter().map(|p| p.granted).sum(),
                posts,
                entry_id: v.entry_id,
                created_by: v.created_by,
                created_at: v.created_at,
            })
        })
        .collect()
}
