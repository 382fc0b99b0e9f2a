//! Grant compensation for lost earnings to a parent on a case (caseworker): the hours, the basis,
//! the period cut at the day before the 18th birthday or the case's end. The grant, and each
//! refusal, is a decision with a letter.
use super::decision::{self, NewDecision};
use super::lost_earnings_letter as letter;
use crate::context::Ctx;
use crate::error::{Refusal, Result};
use crate::read::lost_earnings::{self as view, LostEarningsView};
use crate::service::Command;
use crate::store::lost_earnings::{self as store, LostEarningsRow, VersionRow};
use crate::store::{cases, new_id, now, settings, Tx};
use bookkeeping::Role;
use chrono::NaiveDate;
use rules::decision::{DecisionKind, Outcome};
use rules::lost_earnings::grant::{self, Facts, Granted, Other};
pub use rules::lost_earnings::grant::{BasisType, Terms};
pub use rules::lost_earnings::terms::Payslip;

#[derive(Clone, Debug)]
pub struct GrantLostEarnings {
    pub case_id: String,
    pub terms: Terms,
}

/// What was asked, as the decision stores it.
pub(crate) fn asked(t: &Terms) -> serde_json::Value {
    serde_json::json!({
        "parent_ref": t.parent_ref.trim(),
        "valid_from": t.valid_from,
        "valid_to": t.valid_to,
        "granted_weekly_hours": t.granted_weekly_hours.to_string(),
        "previous_weekly_hours": t.previous_weekly_hours.map(|h| h.to_string()),
        "basis_type": t.basis_type.as_str(),
        "payslips": t.payslips.iter().map(|p| match p.period {
            None => serde_json::json!(p.gross.to_string()),
            Some((from, to)) => serde_json::json!({"gross": p.gross.to_string(), "from": from, "to": to}),
        }).collect::<Vec<_>>(),
        "monthly_basis": t.monthly_basis.map(|m| m.to_string()),
        "previous_employer_pension_monthly": t.employer_pension_monthly.to_string(),
        "monthly_savings": t.monthly_savings.to_string(),
        "home_teaching_weekly_hours": t.home_teaching_weekly_hours.to_string(),
        "home_taught_full_time": t.home_taught_full_time,
        "exceptional_hours_documented": t.exceptional_hours_documented,
    })
}

/// The facts a grant or a change rests on: the child's age, the application date, the case's
/// end, the parent's other decisions (all but `except`, the one being changed), the
/// municipality's practice.
pub(crate) fn facts(
    tx: &mut Tx,
    ctx: &Ctx,
    case: &cases::CaseRow,
    parent_ref: &str,
    except: Option<&str>,
) -> Result<Facts> {
    let (s, _) = settings::in_force(tx, &ctx.municipality)?;
    let mut others = vec![];
    for (d, v) in store::of_parent(tx, &ctx.municipality, parent_ref.trim())? {
        if Some(d.id.as_str()) == except {
            continue;
        }
        others.push(Other {
            same_case: d.case_id == case.id,
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            granted_weekly_hours: v.granted()?,
            id: d.id,
        });
    }
    Ok(Facts {
        child_birth_date: case.child_birth_date,
        application_date: case.application_date,
        others,
        case_end: case.end_date,
        payslips_in_basis: Some(s.payslips_in_basis.max(1) as usize),
    })
}

/// The decision's text in plain Danish, with the cut if any.
pub(crate) fn reason(t: &Terms, g: &Granted, lead: &str) -> String {
    use rules::decision::danish;
    let hours = |h: rust_decimal::Decimal| danish::number(&h.normalize().to_string());
    let share = format!(
        "{} af {} timer om ugen",
        hours(t.granted_weekly_hours),
        t.previous_weekly_hours
            .map(hours)
            .unwrap_or_else(|| "37".into())
    );
    let basis = danish::value(&g.basis.to_string());
    // A self-employed parent's documented loss is the loss: capped by the maximum times the
    // share of the working week, not cut by the share (issue 22 #2).
    let regulated = |source: &str| {
        format!(
            "Beregningsgrundlaget er {basis} kr. om måneden ({source}); det reguleres hvert år 1. januar, begrænses af det maksimale beløb og ganges med andelen af din tidligere arbejdstid ({share})."
        )
    };
    let amount = match t.basis_type {
        BasisType::SelfEmployed => format!(
            "Kompensationen er dit dokumenterede tab som selvstændig, {basis} kr. om måneden, dog højst det maksimale beløb gange andelen af din tidligere arbejdstid ({share}); det maksimale beløb reguleres hvert år 1. januar."
        ),
        BasisType::Employee => regulated("gennemsnittet af dine seneste lønsedler"),
        BasisType::Estimated => regulated("det skønnede beløb, du ellers kunne have tjent"),
    };
    let mut s = format!(
        "{lead} {} timer om ugen fra {} til {}. {amount} Pension: 10 % af kompensationen, højst din tidligere arbejdsgivers bidrag. Hjemmeundervisning: {} timer om ugen er registreret.",
        hours(t.granted_weekly_hours),
        danish::date(g.valid_from),
        danish::date(g.valid_to),
        hours(t.home_teaching_weekly_hours),
    );
    if let Some(cut) = g.cut_reason {
        s.push(' ');
        s.push_str(cut);
    }
    s
}

/// The stored version of granted terms.
#[allow(clippy::too_many_arguments)]
pub(crate) fn version_row(
    ctx: &Ctx,
    id: &str,
    version: i32,
    effective_from: NaiveDate,
    basis_from: NaiveDate,
    t: &Terms,
    g: &Granted,
    decision_id: String,
) -> Result<VersionRow> {
    Ok(VersionRow {
        lost_earnings_id: id.to_string(),
        version,
        municipality: ctx.municipality.clone(),
        effective_from,
        valid_from: g.valid_from,
        valid_to: g.valid_to,
        granted_weekly_hours: t.granted_weekly_hours.normalize().to_string(),
        previous_weekly_hours: t.previous_weekly_hours.map(|h| h.normalize().to_string()),
        basis_type: t.basis_type.as_str().to_string(),
        payslips: store::encode_payslips(&t.payslips)?,
        basis: g.basis.ore(),
        basis_from,
        employer_pension_monthly: t.employer_pension_monthly.ore(),
        monthly_savings: t.monthly_savings.ore(),
        home_teaching_weekly_hours: t.home_teaching_weekly_hours.normalize().to_string(),
        home_taught_full_time: t.home_taught_full_time,
        exceptional_hours_documented: t.exceptional_hours_documented,
        cut_reason: g.cut_reason.map(str::to_string),
        decision_id,
        created_by: ctx.sub.clone(),
        created_at: now(),
    })
}

/// The decision of granted terms, with its figures.
pub(crate) fn granted_decision<'a>(
    case_id: &'a str,
    (kind, outcome): (DecisionKind, Outcome),
    ctx: &Ctx,
    subject: (&'a str, &'a str),
    t: &Terms,
    g: &Granted,
    lead: &str,
) -> NewDecision<'a> {
    let mut d = NewDecision::new(
        case_id,
        kind,
        outcome,
        ctx.today,
        subject,
        reason(t, g, lead),
    )
    .legal(grant::LEGAL)
    .asked(asked(t))
    .figure("granted_weekly_hours", t.granted_weekly_hours.normalize())
    .figure("basis_type", t.basis_type.as_str())
    .figure("basis", g.basis)
    .figure("valid_from", g.valid_from)
    .figure("valid_to", g.valid_to);
    if let Some(p) = t.previous_weekly_hours {
        d = d.figure("previous_weekly_hours", p.normalize());
    }
    if !t.payslips.is_empty() {
        d = d.figure("payslips", t.payslips.len());
    }
    d = d
        .figure("employer_pension_monthly", t.employer_pension_monthly)
        .figure(
            "home_teaching_weekly_hours",
            t.home_teaching_weekly_hours.normalize(),
        );
    if let Some(cut) = g.cut_reason {
        d = d.figure("cut_reason", cut);
    }
    d
}

impl Command for GrantLostEarnings {
    type Output = LostEarningsView;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        grant::check_shape(&self.terms)
    }

    fn record_refusal(&self, tx: &mut Tx, ctx: &Ctx, r: &Refusal) -> Result<Option<String>> {
        let Some(case) = cases::get(tx, &ctx.municipality, &self.case_id)? else {
            return Ok(None);
        };
        let d = NewDecision::refusal(&case.id, ctx.today, ("case", &case.id), r)
            .kind(DecisionKind::LostEarningsRefused)
            .asked(asked(&self.terms));
        Ok(Some(decision::record(tx, ctx, d)?))
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<LostEarningsView> {
        let m = &ctx.municipality;
        let t = &self.terms;
        // Load, under the case's lock.
        let case = cases::lock(tx, m, &self.case_id)?
            .ok_or_else(|| crate::read::cases::not_found(&self.case_id))?;
        // The parent's decisions on every child's case, read under the parent's lock.
        store::lock_parent(tx, m, t.parent_ref.trim())?;
        let f = facts(tx, ctx, &case, &t.parent_ref, None)?;
        // Decide.
        let g = grant::decide(t, &f)?;
        // Record: the decision, the grant and its first version.
        let id = new_id();
        let mut d = granted_decision(
            &case.id,
            (DecisionKind::LostEarningsGranted, Outcome::Granted),
            ctx,
            ("lost_earnings", &id),
            t,
            &g,
            "Du får kompensation for tabt arbejdsfortjeneste for",
        );
        // The first month as the payroll run will pay it, for the letter.
        let first = version_row(
            ctx,
            &id,
            1,
            g.valid_from,
            g.valid_from,
            t,
            &g,
            String::new(),
        )?;
        let versions = view::versions_for_calculation(std::slice::from_ref(&first), case.end_date)?;
        let (book, _) = view::rate_book(tx)?;
        let parent = &t.parent_ref;
        if let Some(mm) = letter::month(tx, m, parent, (&id, versions), g.valid_from, &book)? {
            d = letter::figures(d, "", &mm).figure("first_month", g.valid_from.format("%Y-%m"));
        }
        let decision_id = decision::record(tx, ctx, d)?;
        let row = LostEarningsRow {
            id: id.clone(),
            municipality: m.clone(),
            case_id: case.id.clone(),
            parent_ref: t.parent_ref.trim().to_string(),
            created_by: ctx.sub.clone(),
            created_at: now(),
        };
        store::insert(tx, &row)?;
        let v = VersionRow {
            decision_id,
            ..first
        };
        store::insert_version(tx, &v)?;
        Ok(view::view(tx, row)?)
    }
}
