//! The period closes so far.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::periods::{self, CloseRow};
use crate::store::Tx;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct PeriodClose {
    pub id: String,
    /// Every date up to and including this one is closed.
    pub through: NaiveDate,
    pub closed_by: String,
    #[serde(with = "crate::read::utc")]
    pub closed_at: NaiveDateTime,
}

impl From<CloseRow> for PeriodClose {
    fn from(r: CloseRow) -> Self {
        PeriodClose {
            id: r.id,
            through: r.through,
            closed_by: r.closed_by,
            closed_at: r.closed_at,
        }
    }
}

pub fn list(tx: &mut Tx, ctx: &Ctx) -> Result<Vec<PeriodClose>> {
    Ok(periods::list(tx, &ctx.municipality)?
        .into_iter()
        .map(PeriodClose::from)
        .collect())
}
