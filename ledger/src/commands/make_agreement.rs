//! Record a fixed-amount agreement on a budget year (caseworker): the covered posts' grants are
//! prepaid in installments, each post exactly its grant; installments already due are payable at
//! once. The agreement is a decision with a letter.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::installments::{self as view, InstallmentView};
use crate::service::Command;
use crate::store::agreements::{self, AgreementRow};
use crate::store::{budgets, cases, expenses, new_id, now, rates, Tx};
use bookkeeping::Role;
pub use rules::agreement::terms::Terms;
use rules::agreement::terms::{self, Facts, Post};
pub use rules::agreement::Frequency;
use rules::decision::{wording, DecisionKind, Outcome};
use rules::rates::TRAINING_EXPENSE_CAP;

#[derive(Clone, Debug)]
pub struct MakeAgreement {
    pub year_id: String,
    pub terms: Terms,
}

impl Command for MakeAgreement {
    type Output = Vec<InstallmentView>;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        terms::check_shape(&self.terms, ctx.today)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Vec<InstallmentView>> {
        let m = &ctx.municipality;
        let t = &self.terms;
        // Load, under the case's lock.
        let y = budgets::get_year(tx, m, &self.year_id)?
            .ok_or_else(|| crate::read::budget_years::not_found(&self.year_id))?;
        let case = cases::lock(tx, m, &y.case_id)?
            .ok_or_else(|| crate::read::cases::not_found(&y.case_id))?;
        let rows = budgets::posts_of_year(tx, m, &y.id)?;
        let states = expenses::post_states(tx, m, &y.id, &rows)?;
        let posts: Vec<Post> = rows
            .iter()
            .zip(&states)
            .map(|(r, s)| Post {
                id: r.id.clone(),
                granted: r.granted(),
                has_expenses: s.approved.is_positive() || s.pending.is_positive(),
            })
            .collect();
        let judged = expenses::judging_facts(tx, &case, &y)?;
        let facts = Facts {
            posts: &posts,
            year_from: judged.year_start,
            year_end: judged.year_end,
            today: ctx.today,
            has_agreement: agreements::of_year(tx, m, &y.id)?.is_some(),
            spending: &judged.approved_spending,
            cap_rates: &rates::values_of(tx, TRAINING_EXPENSE_CAP)?,
        };
        // Decide.
        let (grants, plan) = terms::decide(t, &facts)?;
        let total: bookkeeping::Money = grants.iter().copied().sum();
        // Record: the decision, the agreement, its installments.
        let agreed = t.family_agreed_on.unwrap_or(ctx.today);
        let d = NewDecision::new(
            &case.id,
            DecisionKind::AgreementMade,
            Outcome::Granted,
            // Dated the day it is made; the family's agreement has its own date in the figures.
            ctx.today,
            ("budget_year", &y.id),
            format!(
                "Et fast beløb på i alt {} kr. udbetales forud i {} rater ({}) for de aftalte poster. Familien dokumenterer forbruget i årsregnskabet; uforbrugte midler kan kræves tilbage.",
                rules::decision::danish::value(&total.to_string()),
                plan.len(),
                wording::value_text("frequency", t.frequency.as_str())
            ),
        )
        .amount(total)
        .legal(rules::agreement::LEGAL)
        .asked(serde_json::json!({
            "frequency": t.frequency.as_str(),
            "post_ids": t.post_ids,
            "family_agreed_on": t.family_agreed_on,
            "first_payment_date": t.first_payment_date,
        }))
        .figure("installments", plan.len())
        .figure("total_granted", total);
        // The letter shows what is prepaid per post (by its category and description, as the
        // family knows it), the schedule, and when the year's accounts are due.
        let mut d = d;
        for (id, g) in t.post_ids.iter().zip(&grants) {
            let name = rows
                .iter()
                .find(|r| &r.id == id)
                .map(|r| format!("{} ({})", wording::category(&r.category), r.description))
                .unwrap_or_else(|| "Post".to_string());
            d = d.figure(&format!("{name}: forudbetales"), g);
        }
        for (n, i) in plan.iter().enumerate() {
            d = d.figure(&format!("Rate {} den {}", n + 1, i.due_date), i.amount);
        }
        let practice = crate::store::settings::at_version(tx, m, y.settings_version)?;
        let (_, documentation_due) = rules::budget::deadlines::due(
            judged.year_end,
            practice.proposal_weeks_before_end,
            practice.documentation_weeks_after_end,
        );
        let d = d.figure("documentation_due", documentation_due);
        let decision_id = decision::record(tx, ctx, d)?;
        let a = AgreementRow {
            id: new_id(),
            municipality: m.clone(),
            case_id: case.id.clone(),
            budget_year_id: y.id.clone(),
            frequency: t.frequency.as_str().to_string(),
            family_agreed_on: agreed,
            first_payment_date: t.first_payment_date,
            decision_id,
            created_by: ctx.sub.clone(),
            created_at: now(),
        };
        let installments = super::agreement_replan::rows_of(m, &a, &t.post_ids, 0, &plan);
        agreements::insert(tx, &a, &t.post_ids, &installments).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| {
                bookkeeping::Error::conflict(
                    bookkeeping::Code::AgreementExists,
                    "the budget year already has a fixed-amount agreement",
                )
            })
        })?;
        view::of_year(tx, ctx, &y.id)
    }
}
