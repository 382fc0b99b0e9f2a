//! Cases as caseworkers and finance see them.
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::store::cases::{self, CaseRow};
use crate::store::{StoreResult, Tx};
use bookkeeping::{Code, Error};
use chrono::{NaiveDate, NaiveDateTime};
use rules::case::age_limit;
use rules::case::registration::Scope;
use rules::payment::Payee;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Case {
    pub id: String,
    /// The case system's reference, unique per municipality. Never a CPR number.
    #[schema(example = "SAG-2025-0042")]
    pub external_ref: String,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: Scope,
    /// The decided end (ophør), if any.
    pub end_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// Who decided the end (the token subject), and when it was recorded.
    #[serde(default)]
    #[schema(example = "caseworker-4711")]
    pub ended_by: Option<String>,
    #[serde(default, with = "crate::read::utc::opt")]
    pub ended_at: Option<NaiveDateTime>,
    /// The day before the child's 18th birthday: the scheme ends then at the latest.
    pub ends_at_18: NaiveDate,
    /// The last day anything may be booked on the case: the earlier of `end_date` and `ends_at_18`.
    pub effective_end: NaiveDate,
    /// Who helper-trainer wages (and the firm's fee) are paid to.
    #[serde(default = "family")]
    pub payee: Payee,
    /// The payroll-administration firm (its token subject) when it is the payee.
    #[serde(default)]
    pub payroll_firm: Option<String>,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

pub fn view(r: &CaseRow) -> StoreResult<Case> {
    Ok(Case {
        id: r.id.clone(),
        external_ref: r.external_ref.clone(),
        child_birth_date: r.child_birth_date,
        application_date: r.application_date,
        approval_date: r.approval_date,
        scope: r.scope()?,
        end_date: r.end_date,
        end_reason: r.end_reason.clone(),
        ended_by: r.ended_by.clone(),
        ended_at: r.ended_at,
        ends_at_18: age_limit::day_before_18th_birthday(r.child_birth_date),
        effective_end: r.effective_end(),
        payee: r.payee()?,
        payroll_firm: r.payroll_firm.clone(),
        created_by: r.created_by.clone(),
        created_at: r.created_at,
    })
}

fn family() -> Payee {
    Payee::Family
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::CaseNotFound, "case", id)
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<Case> {
    ctx.require(CASE_READERS)?;
    let row = cases::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    Ok(view(&row)?)
}

pub fn list(
    tx: &mut Tx,
    ctx: &Ctx,
    external_ref: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Case>> {
    ctx.require(CASE_READERS)?;
    Ok(
        cases::list(tx, &ctx.municipality, external_ref, after, limit)?
            .iter()
            .map(view)
            .collect::<StoreResult<_>>()?,
    )
}
