//! What families owe back, and what they repaid.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::clawbacks::{self, ClawbackRow};
use crate::store::Tx;
use bookkeeping::{Code, Error, Money, Role};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

pub const CLAWBACK_READERS: &[Role] = &[
    Role::Caseworker,
    Role::Finance,
    Role::Controller,
    Role::Admin,
];

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct ClawbackView {
    pub id: String,
    pub case_id: String,
    /// `annulled_expense` or `settlement`.
    #[schema(example = "annulled_expense")]
    pub origin: String,
    pub settlement_id: Option<String>,
    pub expense_id: Option<String>,
    /// The decision that made the claim.
    pub decision_id: String,
    pub amount: Money,
    pub repaid: Money,
    pub outstanding: Money,
    /// `open` or `settled`.
    #[schema(example = "open")]
    pub status: String,
    pub entry_id: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

pub fn view(c: ClawbackRow) -> ClawbackView {
    let amount = Money::from_ore(c.amount);
    let repaid = Money::from_ore(c.repaid);
    ClawbackView {
        id: c.id,
        case_id: c.case_id,
        origin: c.origin,
        settlement_id: c.settlement_id,
        expense_id: c.expense_id,
        decision_id: c.decision_id,
        amount,
        repaid,
        outstanding: amount - repaid,
        status: c.status,
        entry_id: c.entry_id,
        created_at: c.created_at,
    }
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::ClawbackNotFound, "clawback", id)
}

pub fn list(
    tx: &mut Tx,
    ctx: &Ctx,
    status: Option<&str>,
    case_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ClawbackView>> {
    ctx.require(CLAWBACK_READERS)?;
    Ok(
        clawbacks::list(tx, &ctx.municipality, status, case_id, after, limit)?
            .into_iter()
            .map(view)
            .collect(),
    )
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<ClawbackView> {
    ctx.require(CLAWBACK_READERS)?;
    let c = clawbacks::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    Ok(view(c))
}
