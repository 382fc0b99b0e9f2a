//! Rates as dated parameters.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::rates::{self, RateRow};
use crate::store::{StoreResult, Tx};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct Rate {
    pub id: String,
    #[schema(example = "training_expense_cap")]
    pub name: String,
    #[schema(example = "2024-01-01")]
    pub valid_from: NaiveDate,
    /// Exact decimal as a string; for `DKK` a two-decimal amount.
    #[schema(value_type = String, example = "706600.00")]
    pub value: Decimal,
    #[schema(example = "DKK")]
    pub unit: String,
    #[schema(example = "Bekendtgørelse om hjemmetræning § 6, stk. 2")]
    pub source: String,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

pub fn view(r: &RateRow) -> StoreResult<Rate> {
    Ok(Rate {
        value: r.value()?,
        id: r.id.clone(),
        name: r.name.clone(),
        valid_from: r.valid_from,
        unit: r.unit.clone(),
        source: r.source.clone(),
        created_by: r.created_by.clone(),
        created_at: r.created_at,
    })
}

/// Every rate, or every value of one (any role: rates are public figures).
pub fn list(tx: &mut Tx, _ctx: &Ctx, name: Option<&str>) -> Result<Vec<Rate>> {
    Ok(rates::named(tx, name)?
        .iter()
        .map(view)
        .collect::<StoreResult<_>>()?)
}
