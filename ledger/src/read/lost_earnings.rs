//! Lost-earnings decisions with every version, and a month's calculation explained step by step.
use crate::context::{Ctx, DECISION_READERS};
use crate::error::Result;
use crate::store::lost_earnings::{self as store, LostEarningsRow, VersionRow};
use crate::store::{cases, rates, StoreResult, Tx};
use bookkeeping::{Code, Error, Money};
use chrono::NaiveDate;
use rules::lost_earnings::calculation::Step;
use rules::lost_earnings::payroll::{self, RateBook};
use rules::lost_earnings::versions::Version;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
#[schema(as = LostEarningsVersion)]
pub struct VersionView {
    pub version: i32,
    pub effective_from: NaiveDate,
    pub valid_from: NaiveDate,
    /// Cut at the day before the child's 18th birthday or the case's end, when they come first.
    pub valid_to: NaiveDate,
    #[schema(example = "37")]
    pub granted_weekly_hours: String,
    pub previous_weekly_hours: Option<String>,
    #[schema(example = "employee")]
    pub basis_type: String,
    /// The payslips' gross amounts.
    pub payslips: Vec<Money>,
    /// Per payslip, the period it covers when it is not a calendar month (null for a month's
    /// payslip): its pay counts as gross × 365 ÷ 12 ÷ its days.
    pub payslip_periods: Vec<Option<PayslipPeriod>>,
    /// The monthly basis: the payslips' average or the set amount.
    pub basis: Money,
    /// The date the basis was set; it is regulated every 1 January after.
    pub basis_from: NaiveDate,
    pub previous_employer_pension_monthly: Money,
    pub monthly_savings: Money,
    pub home_teaching_weekly_hours: String,
    pub home_taught_full_time: bool,
    pub exceptional_hours_documented: bool,
    /// Why the period ends before what was asked, when it does.
    pub cut_reason: Option<String>,
    pub decision_id: String,
    pub decided_by: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct PayslipPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct LostEarningsView {
    pub id: String,
    pub case_id: String,
    pub parent_ref: String,
    /// Every version, oldest first; the last is in force from its `effective_from`.
    pub versions: Vec<VersionView>,
    /// The grant's true end today: the last version's `valid_to`, cut by the case's end (or the
    /// day before the child's 18th birthday) when that comes first, also when the case was
    /// ended after the grant was decided.
    pub valid_to: NaiveDate,
    /// Why `valid_to` lies before the last version's: `case_ended` or `age_limit`.
    #[schema(example = "case_ended")]
    pub cut_by: Option<String>,
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::LostEarningsNotFound, "lost-earnings decision", id)
}

fn version_view(v: &VersionRow) -> StoreResult<VersionView> {
    Ok(VersionView {
        version: v.version,
        effective_from: v.effective_from,
        valid_from: v.valid_from,
        valid_to: v.valid_to,
        granted_weekly_hours: v.granted()?.normalize().to_string(),
        previous_weekly_hours: v.previous()?.map(|h| h.normalize().to_string()),
        basis_type: v.basis_type()?.as_str().to_string(),
        payslips: v.payslips()?.iter().map(|p| p.gross).collect(),
        payslip_periods: v
            .payslips()?
            .iter()
            .map(|p| p.period.map(|(from, to)| PayslipPeriod { from, to }))
            .collect(),
        basis: Money::from_ore(v.basis),
        basis_from: v.basis_from,
        previous_employer_pension_monthly: Money::from_ore(v.employer_pension_monthly),
        monthly_savings: Money::from_ore(v.monthly_savings),
        home_teaching_weekly_hours: v.home_teaching()?.normalize().to_string(),
        home_taught_full_time: v.home_taught_full_time,
        exceptional_hours_documented: v.exceptional_hours_documented,
        cut_reason: v.cut_reason.clone(),
        decision_id: v.decision_id.clone(),
        decided_by: v.created_by.clone(),
    })
}

pub fn view(tx: &mut Tx, d: LostEarningsRow) -> StoreResult<LostEarningsView> {
    let versions: Vec<VersionView> = store::versions(tx, &d.id)?
        .iter()
        .map(version_view)
        .collect::<StoreResult<_>>()?;
    let case = cases::get(tx, &d.municipality, &d.case_id)?.ok_or_else(|| {
        crate::store::StoreError::Corrupt(format!("lost-earnings {} without its case", d.id))
    })?;
    let granted_to = versions.last().map(|v| v.valid_to).ok_or_else(|| {
        crate::store::StoreError::Corrupt(format!("lost-earnings {} without versions", d.id))
    })?;
    let case_end = case.effective_end();
    let (valid_to, cut_by) = if case_end < granted_to {
        let why = if case.end_date.is_some_and(|e| e <= case_end) {
            "case_ended"
        } else {
            "age_limit"
        };
        (case_end, Some(why.to_string()))
    } else {
        (granted_to, None)
    };
    Ok(LostEarningsView {
        id: d.id,
        case_id: d.case_id,
        parent_ref: d.parent_ref,
        versions,
        valid_to,
        cut_by,
    })
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<LostEarningsView> {
    ctx.require(DECISION_READERS)?;
    let d = store::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    Ok(view(tx, d)?)
}

pub fn of_case(tx: &mut Tx, ctx: &Ctx, case_id: &str) -> Result<Vec<LostEarningsView>> {
    ctx.require(DECISION_READERS)?;
    cases::get(tx, &ctx.municipality, case_id)?
        .ok_or_else(|| crate::read::cases::not_found(case_id))?;
    let rows = store::of_case(tx, &ctx.municipality, case_id)?;
    Ok(rows
        .into_iter()
        .map(|d| view(tx, d))
        .collect::<StoreResult<_>>()?)
}

/// Every dated rate, by name (the calculation picks what each month needs).
pub fn rate_book(tx: &mut Tx) -> StoreResult<(RateBook, Vec<rates::RateRow>)> {
    let rows = rates::named(tx, None)?;
    let mut book = RateBook::default();
    for r in &rows {
        book.by_name
            .entry(r.name.clone())
            .or_default()
            .push(r.dated()?);
    }
    Ok((book, rows))
}

/// A decision's versions as the calculation reads them, cut at the case's end.
pub fn versions_for_calculation(
    rows: &[VersionRow],
    case_end: Option<NaiveDate>,
) -> StoreResult<Vec<Version>> {
    rows.iter()
        .map(|r| {
            let mut v = r.to_version()?;
            if let Some(end) = case_end {
                v.valid_to = v.valid_to.min(end);
            }
            Ok(v)
        })
        .collect()
}

/// One step of a calculation: the rule, its legal reference, the formula and the figure.
#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
#[schema(as = CalculationStep)]
pub struct StepView {
    pub rule: String,
    pub legal_reference: String,
    pub formula: String,
    pub value: String,
}

impl From<Step> for StepView {
    fn from(s: Step) -> Self {
        StepView {
            rule: s.rule,
            legal_reference: s.legal_reference,
            formula: s.formula,
            value: s.value,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
#[schema(as = CalculationRate)]
pub struct RateUsed {
    pub name: String,
    pub value: String,
    pub valid_from: NaiveDate,
    pub source: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
#[schema(as = LostEarningsCalculation)]
pub struct Calculation {
    #[schema(example = "2024-05")]
    pub month: String,
    pub days_covered: u32,
    pub days_in_month: u32,
    pub hour_share: String,
    pub basis: Money,
    pub regulated_basis: Money,
    pub maximum: Money,
    pub gross: Money,
    pub pension: Money,
    pub hours_in_month: String,
    pub atp_total: Money,
    /// The hours ATP is found on: all the parent's decisions that month (ATP-loven § 2 a,
    /// stk. 5), rounded for display.
    #[schema(example = "160.33")]
    pub atp_parent_hours: String,
    /// The parent's decisions counted that month.
    pub atp_decisions: Vec<String>,
    /// The decision whose line carries the parent's ATP that month (the lowest id); the others
    /// show 0.00.
    pub atp_on_decision: String,
    pub atp_recipient: Money,
    pub atp_municipality: Money,
    pub savings_deduction: Money,
    pub pay_before_tax: Money,
    pub steps: Vec<StepView>,
    pub rates: Vec<RateUsed>,
    /// Every amount is rounded once, to the øre, half away from zero.
    pub rounding: String,
}

/// A month of a decision (`this`: its id and versions, stored or about to be) as the payroll run
/// computes it: the parent's ATP is one bracket on the hours of all the parent's decisions that
/// month (ATP-loven § 2 a, stk. 5), so the parent's other decisions are computed with it.
pub fn month_for_parent(
    tx: &mut Tx,
    municipality: &str,
    parent_ref: &str,
    this: (&str, Vec<Version>),
    month: NaiveDate,
    book: &RateBook,
) -> Result<Option<rules::lost_earnings::calculation::Month>> {
    let mut group = vec![(this.0.to_string(), this.1)];
    for (other, _) in store::of_parent(tx, municipality, parent_ref.trim())? {
        if other.id == this.0 {
            continue;
        }
        let end = cases::get(tx, municipality, &other.case_id)?.and_then(|c| c.end_date);
        let rows = store::versions(tx, &other.id)?;
        group.push((other.id, versions_for_calculation(&rows, end)?));
    }
    let refs: Vec<(&str, &[Version])> = group
        .iter()
        .map(|(id, v)| (id.as_str(), v.as_slice()))
        .collect();
    Ok(payroll::parent_months(&refs, &[month], book)?
        .swap_remove(0)
        .remove(&month))
}

/// The month's calculation, as the decision stands today.
pub fn calculation(tx: &mut Tx, ctx: &Ctx, id: &str, month: NaiveDate) -> Result<Calculation> {
    ctx.require(DECISION_READERS)?;
    let d = store::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    let case = cases::get(tx, &ctx.municipality, &d.case_id)?
        .ok_or_else(|| crate::read::cases::not_found(&d.case_id))?;
    let rows = store::versions(tx, &d.id)?;
    let versions = versions_for_calculation(&rows, case.end_date)?;
    let (book, rate_rows) = rate_book(tx)?;
    let label = month.format("%Y-%m").to_string();
    let m = month_for_parent(
        tx,
        &ctx.municipality,
        &d.parent_ref,
        (&d.id, versions),
        month,
        &book,
    )?
    .ok_or_else(|| {
        Error::rule(
            Code::InvalidMonth,
            format!("the decision covers no day of {label}"),
        )
        .legal(rules::lost_earnings::LEGAL)
    })?;
    let parent = m.atp_parent.clone();
    // The version in force on the month's last covered day: its basis and when it was set.
    let (_, last_day) = rules::lost_earnings::versions::month_span(month);
    let in_force = rows
        .iter()
        .rev()
        .find(|r| r.effective_from <= last_day)
        .or(rows.first());
    let started = in_force.map(|r| r.basis_from).unwrap_or(month);
    // Each rate as it is stored (its value as entered, its source).
    let rates = book
        .used_in(month, started)
        .into_iter()
        .filter_map(|(name, v)| {
            rate_rows
                .iter()
                .find(|r| r.name == name && r.valid_from == v.valid_from)
        })
        .map(|r| RateUsed {
            name: r.name.clone(),
            value: r.value.clone(),
            valid_from: r.valid_from,
            source: r.source.clone(),
        })
        .collect();
    Ok(Calculation {
        month: label,
        days_covered: m.days_covered,
        days_in_month: m.days_in_month,
        hour_share: m.hour_share.round_dp(6).normalize().to_string(),
        basis: in_force
            .map(|r| Money::from_ore(r.basis))
            .unwrap_or(Money::ZERO),
        regulated_basis: m.regulated_basis,
        maximum: m.maximum,
        gross: m.gross,
        pension: m.pension,
        hours_in_month: m.hours_in_month.to_string(),
        atp_total: m.atp_recipient + m.atp_municipality,
        atp_parent_hours: parent
            .as_ref()
            .map(|p| {
                p.hours
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                    .to_string()
            })
            .unwrap_or_default(),
        atp_decisions: parent
            .as_ref()
            .map(|p| p.counted.clone())
            .unwrap_or_default(),
        atp_on_decision: parent.map(|p| p.holder).unwrap_or_default(),
        atp_recipient: m.atp_recipient,
        atp_municipality: m.atp_municipality,
        savings_deduction: m.savings_deduction,
        pay_before_tax: m.pay_before_tax,
        steps: m.steps.into_iter().map(StepView::from).collect(),
        rates,
        rounding: "Every amount is rounded once, to the øre, half away from zero.".into(),
    })
}
