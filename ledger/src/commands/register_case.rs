//! Register an approved home-training case (caseworker), named by the case system's reference.
use super::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::Result;
use crate::read::cases::{self as view, Case};
use crate::service::Command;
use crate::store::cases::{self, CaseRow};
use crate::store::{new_id, now, Tx};
use bookkeeping::Role;
use rules::case::registration;
pub use rules::case::registration::{NewCase, Scope};
use rules::decision::{DecisionKind, Outcome};

#[derive(Clone, Debug)]
pub struct RegisterCase(pub NewCase);

impl Command for RegisterCase {
    type Output = Case;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        registration::check(&self.0, ctx.today)?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Case> {
        let c = &self.0;
        let m = &ctx.municipality;
        let external_ref = c.external_ref.trim();
        if cases::ref_taken(tx, m, external_ref)? {
            return Err(registration::ref_taken(external_ref).into());
        }
        let row = CaseRow {
            id: new_id(),
            municipality: m.clone(),
            external_ref: external_ref.to_string(),
            external_key: Some(rules::privacy::normal_form::reference_key(external_ref)),
            child_birth_date: c.child_birth_date,
            application_date: c.application_date,
            approval_date: c.approval_date,
            scope: c.scope.as_str().to_string(),
            end_date: None,
            end_reason: None,
            created_by: ctx.sub.clone(),
            created_at: now(),
            lock_version: 0,
            ended_by: None,
            ended_at: None,
            payee: rules::payment::Payee::Family.as_str().to_string(),
            payroll_firm: None,
        };
        cases::insert(tx, &row).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| registration::ref_taken(external_ref))
        })?;
        let d = NewDecision::new(
            &row.id,
            DecisionKind::CaseApproved,
            Outcome::Granted,
            // Registered today: the decision the family can appeal is dated the day it is made.
            ctx.today,
            ("case", &row.id),
            format!(
                "Hjemmetræning er bevilget ({}). Nødvendige udgifter kan dækkes fra ansøgningsdatoen {}.",
                match c.scope {
                    Scope::Full => "fuldt",
                    Scope::Partial => "delvist",
                },
                row.application_date
            ),
        )
        .legal(registration::LEGAL)
        .figure("application_date", row.application_date);
        decision::record(tx, ctx, d)?;
        Ok(view::view(&row)?)
    }
}
