//! End a case (ophør, caseworker): not before it began, once, not before what is booked on it.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::cases::{self as view, Case};
use crate::service::Command;
use crate::store::{cases, expenses, Tx};
use bookkeeping::Role;
use chrono::NaiveDate;
use rules::case::ending::{self, Facts};
use rules::decision::{DecisionKind, Outcome};

#[derive(Clone, Debug)]
pub struct EndCase {
    pub case_id: String,
    pub end_date: NaiveDate,
    pub reason: String,
}

impl Command for EndCase {
    type Output = Case;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Case> {
        let m = &ctx.municipality;
        let case =
            cases::lock(tx, m, &self.case_id)?.ok_or_else(|| view::not_found(&self.case_id))?;
        let facts = Facts {
            external_ref: &case.external_ref,
            application_date: case.application_date,
            end_date: case.end_date,
            effective_end: case.effective_end(),
            last_booked: expenses::last_live(tx, m, &case.id)?,
        };
        ending::check(&facts, self.end_date, &self.reason)?;
        cases::set_end(tx, m, &case.id, self.end_date, self.reason.trim(), &ctx.sub)?;
        // The municipality stops paying for what happens after the end: later installments go.
        crate::store::agreements::cancel_after(tx, m, &case.id, self.end_date)?;
        let d = NewDecision::new(
            &case.id,
            DecisionKind::CaseEnded,
            Outcome::Ended,
            ctx.today,
            ("case", &case.id),
            self.reason.trim().to_string(),
        )
        .legal(ending::LEGAL)
        .figure("end_date", self.end_date);
        decision::record(tx, ctx, d)?;
        view::get(tx, ctx, &case.id)
    }
}
