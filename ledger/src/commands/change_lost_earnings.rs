//! Change a lost-earnings decision from a date (caseworker): a new version with the changed
//! terms, decided by the same rules; earlier versions stay readable, and months already run are
//! corrected by the next payroll run. A decision with a letter; a refusal is one too.
use super::decision::{self, NewDecision};
use super::grant_lost_earnings::{asked, facts, granted_decision, version_row};
use super::lost_earnings_letter as letter;
use crate::context::Ctx;
use crate::error::{Refusal, Result};
use crate::read::lost_earnings::{self as view, LostEarningsView};
use crate::service::Command;
use crate::store::lost_earnings::{self as store, VersionRow};
use crate::store::{cases, Tx};
use bookkeeping::{Code, Error, Money, Role};
use chrono::NaiveDate;
use rules::decision::{DecisionKind, Outcome};
use rules::lost_earnings::grant::{self, BasisType, Terms};
use rust_decimal::Decimal;

/// The fields that change; the others stay as the latest version has them.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub effective_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub granted_weekly_hours: Option<Decimal>,
    pub previous_weekly_hours: Option<Decimal>,
    pub basis_type: Option<BasisType>,
    pub payslips: Option<Vec<rules::lost_earnings::terms::Payslip>>,
    pub monthly_basis: Option<Money>,
    pub employer_pension_monthly: Option<Money>,
    pub monthly_savings: Option<Money>,
    pub home_teaching_weekly_hours: Option<Decimal>,
    pub home_taught_full_time: Option<bool>,
    pub exceptional_hours_documented: Option<bool>,
}

impl Changes {
    /// Whether the basis itself is set anew (then it is regulated from the change).
    fn sets_basis(&self) -> bool {
        self.basis_type.is_some() || self.payslips.is_some() || self.monthly_basis.is_some()
    }
}

#[derive(Clone, Debug)]
pub struct ChangeLostEarnings {
    pub id: String,
    pub changes: Changes,
}

fn terms_of(latest: &store::VersionRow, parent_ref: &str, c: &Changes) -> Result<Terms> {
    let basis_type = c.basis_type.unwrap_or(latest.basis_type()?);
    let (payslips, monthly_basis) = if c.sets_basis() {
        (c.payslips.clone().unwrap_or_default(), c.monthly_basis)
    } else if latest.basis_type()? == BasisType::Employee {
        (latest.payslips()?, None)
    } else {
        (vec![], Some(Money::from_ore(latest.basis)))
    };
    Ok(Terms {
        parent_ref: parent_ref.to_string(),
        valid_from: latest.valid_from,
        valid_to: Some(c.valid_to.unwrap_or(latest.valid_to)),
        granted_weekly_hours: c.granted_weekly_hours.unwrap_or(latest.granted()?),
        previous_weekly_hours: c.previous_weekly_hours.or(latest.previous()?),
        basis_type,
        payslips,
        monthly_basis,
        employer_pension_monthly: c
            .employer_pension_monthly
            .unwrap_or(Money::from_ore(latest.employer_pension_monthly)),
        monthly_savings: c
            .monthly_savings
            .unwrap_or(Money::from_ore(latest.monthly_savings)),
        home_teaching_weekly_hours: c
            .home_teaching_weekly_hours
            .unwrap_or(latest.home_teaching()?),
        home_taught_full_time: c
            .home_taught_full_time
            .unwrap_or(latest.home_taught_full_time),
        exceptional_hours_documented: c
            .exceptional_hours_documented
            .unwrap_or(latest.exceptional_hours_documented),
    })
}

impl Command for ChangeLostEarnings {
    type Output = LostEarningsView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        if self.changes.effective_from.is_none() {
            return Err(Error::field(
                Code::MissingField,
                "effective_from",
                "a change takes effect from a date",
            ));
        }
        Ok(())
    }

    fn record_refusal(&self, tx: &mut Tx, ctx: &Ctx, r: &Refusal) -> Result<Option<String>> {
        let Some(d) = store::get(tx, &ctx.municipality, &self.id)? else {
            return Ok(None);
        };
        let mut a = serde_json::json!({ "effective_from": self.changes.effective_from });
        if let Some(latest) = store::versions(tx, &d.id)?.last() {
            if let Ok(t) = terms_of(latest, &d.parent_ref, &self.changes) {
                a = asked(&t);
                a["effective_from"] = serde_json::json!(self.changes.effective_from);
            }
        }
        let n = NewDecision::refusal(&d.case_id, ctx.today, ("lost_earnings", &d.id), r)
            .kind(DecisionKind::LostEarningsRefused)
            .asked(a);
        Ok(Some(decision::record(tx, ctx, n)?))
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<LostEarningsView> {
        let m = &ctx.municipality;
        let c = &self.changes;
        let effective_from = c.effective_from.unwrap_or(ctx.today);
        // Load: the decision, its case under lock, its versions.
        let d = store::get(tx, m, &self.id)?.ok_or_else(|| view::not_found(&self.id))?;
        let case = cases::lock(tx, m, &d.case_id)?
            .ok_or_else(|| crate::read::cases::not_found(&d.case_id))?;
        let versions = store::versions(tx, &d.id)?;
        let latest = versions.last().ok_or_else(|| view::not_found(&self.id))?;
        let t = terms_of(latest, &d.parent_ref, c)?;
        grant::check_shape(&t)?;
        // Inside the period as it was, and, when the change ends it earlier, no later than the
        // day after the new end (else the old terms would go on paying the days between).
        let new_end = t.valid_to.unwrap_or(latest.valid_to);
        let latest_start = new_end.min(latest.valid_to).succ_opt().unwrap_or(new_end);
        if effective_from < latest.valid_from
            || effective_from > latest_start.max(latest.valid_from)
        {
            return Err(Error::field(
                Code::InvalidEffectiveFrom,
                "effective_from",
                format!(
                    "a change takes effect inside the decision's period, from {} to {}, and one that ends it earlier no later than the day after its new end ({latest_start})",
                    latest.valid_from, latest.valid_to
                ),
            )
            .legal(grant::LEGAL)
            .into());
        }
        // Decide, by the same rules as a grant.
        store::lock_parent(tx, m, &d.parent_ref)?;
        let mut f = facts(tx, ctx, &case, &d.parent_ref, Some(&d.id))?;
        // The practice's payslip count applies to payslips given now, not to those kept.
        if c.payslips.is_none() {
            f.payslips_in_basis = None;
        }
        let g = grant::decide(&t, &f)?;
        // Record: the decision and the new version.
        let mut n = granted_decision(
            &case.id,
            (DecisionKind::LostEarningsChanged, Outcome::Changed),
            ctx,
            ("lost_earnings", &d.id),
            &t,
            &g,
            &format!("Fra {effective_from} får du kompensation for tabt arbejdsfortjeneste for"),
        )
        .figure("effective_from", effective_from)
        .figure("version", latest.version + 1);
        // The month the change takes effect, before and after, as the payroll run pays it.
        let basis_from = if c.sets_basis() {
            effective_from
        } else {
            latest.basis_from
        };
        let new = version_row(
            ctx,
            &d.id,
            latest.version + 1,
            effective_from,
            basis_from,
            &t,
            &g,
            String::new(),
        )?;
        let before = view::versions_for_calculation(&versions, case.end_date)?;
        let mut after_rows = versions.clone();
        after_rows.push(new.clone());
        let after = view::versions_for_calculation(&after_rows, case.end_date)?;
        let p = &d.parent_ref;
        let (book, _) = view::rate_book(tx)?;
        let old = letter::month(tx, m, p, (&d.id, before), effective_from, &book)?;
        if let Some(mm) = letter::month(tx, m, p, (&d.id, after), effective_from, &book)? {
            n = letter::figures(n, "", &mm);
        }
        if let Some(mm) = old {
            n = letter::figures(n, "before_", &mm);
        }
        let mut a = asked(&t);
        a["effective_from"] = serde_json::json!(effective_from);
        n = n.asked(a);
        let decision_id = decision::record(tx, ctx, n)?;
        let v = VersionRow { decision_id, ..new };
        store::insert_version(tx, &v).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| {
                Error::conflict(
                    Code::VersionMismatch,
                    "the decision was changed meanwhile; read it again",
                )
            })
        })?;
        Ok(view::view(tx, d)?)
    }
}
