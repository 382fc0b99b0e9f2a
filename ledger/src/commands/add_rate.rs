//! Add a value of a statutory rate from a date (operator). Rates are never overwritten or lowered.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::rates::{self as view, Rate};
use crate::service::Command;
use crate::store::rates::{self, RateRow};
use crate::store::{new_id, now, Tx};
use bookkeeping::Role;
use rules::rates as rule;
pub use rules::rates::NewRate;

#[derive(Clone, Debug)]
pub struct AddRate(pub NewRate);

impl Command for AddRate {
    type Output = Rate;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        // Rates are national: only the service's operator writes them, never a municipality.
        ctx.require(&[Role::Operator])?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Rate> {
        let r = &self.0;
        let known = rates::values_of(tx, &r.name)?;
        let value = rule::decide(r, &known)?;
        let row = RateRow {
            id: new_id(),
            name: r.name.clone(),
            valid_from: r.valid_from,
            value: value.to_string(),
            unit: r.unit.clone(),
            source: r.source.clone(),
            created_by: ctx.sub.clone(),
            created_at: now(),
        };
        rates::insert(tx, &row).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| rule::exists(&r.name, r.valid_from))
        })?;
        Ok(view::view(&row)?)
    }
}
