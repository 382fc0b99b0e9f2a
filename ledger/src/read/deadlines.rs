//! The deadlines of every budget year: the next year's proposal and this year's documentation,
//! from the settings the year was granted under. Informational: they never block a booking.
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::store::{agreements, budgets, cases, settings, settlements, Tx};
use chrono::NaiveDate;
use rules::budget::deadlines;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Deadline {
    pub case_id: String,
    pub external_ref: String,
    pub budget_year_id: String,
    /// `proposal` (the next budget year's) or `documentation` (this year's accounts).
    #[schema(example = "proposal")]
    pub kind: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

/// Deadlines due on or before `until` (all when not given), earliest first.
pub fn list(tx: &mut Tx, ctx: &Ctx, until: Option<NaiveDate>) -> Result<Vec<Deadline>> {
    ctx.require(CASE_READERS)?;
    let m = &ctx.municipality;
    let years = budgets::all_years(tx, m)?;
    let mut out = vec![];
    for (i, y) in years.iter().enumerate() {
        let Some(case) = cases::get(tx, m, &y.case_id)? else {
            continue;
        };
        let end = y.nominal_end_date.min(case.effective_end());
        let practice = settings::at_version(tx, m, y.settings_version)?;
        let (proposal, documentation) = deadlines::due(
            end,
            practice.proposal_weeks_before_end,
            practice.documentation_weeks_after_end,
        );
        let next_granted = years.get(i + 1).is_some_and(|n| n.case_id == y.case_id);
        // No proposal is due for a year after which the case has ended.
        let case_goes_on = case.effective_end() > end;
        // Annual accounts are owed for the advance of a fixed-amount agreement.
        let nothing_to_settle = agreements::of_year(tx, m, &y.id)?.is_none()
            || settlements::of_year(tx, m, &y.id)?.is_some();
        let mut push = |kind: &str, due_on: NaiveDate, done: bool| {
            if until.is_none_or(|u| due_on <= u) {
                out.push(Deadline {
                    case_id: case.id.clone(),
                    external_ref: case.external_ref.clone(),
                    budget_year_id: y.id.clone(),
                    kind: kind.to_string(),
                    due_on,
                    overdue: deadlines::overdue(due_on, ctx.today, done),
                });
            }
        };
        if case_goes_on {
            push("proposal", proposal, next_granted);
        }
        push("documentation", documentation, nothing_to_settle);
    }
    out.sort_by(|a, b| (a.due_on, &a.case_id).cmp(&(b.due_on, &b.case_id)));
    Ok(out)
}
