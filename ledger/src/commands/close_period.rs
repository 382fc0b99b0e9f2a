//! Close the books through a date (controller): for good, only past dates, only forward.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::periods::PeriodClose;
use crate::service::Command;
use crate::store::periods::{self, CloseRow};
use crate::store::{new_id, now, Tx};
use bookkeeping::{period, Role};
use chrono::NaiveDate;

#[derive(Clone, Debug)]
pub struct ClosePeriod {
    pub through: NaiveDate,
}

impl Command for ClosePeriod {
    type Output = PeriodClose;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Controller])?;
        period::check_close(self.through, ctx.today, None)?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<PeriodClose> {
        let m = &ctx.municipality;
        periods::fence_for_close(tx, m)?;
        periods::lock_all_accounts(tx, m)?;
        period::check_close(self.through, ctx.today, periods::closed_through(tx, m)?)?;
        let row = CloseRow {
            id: new_id(),
            through: self.through,
            closed_by: ctx.sub.clone(),
            closed_at: now(),
        };
        periods::record_close(tx, m, &row)?;
        Ok(row.into())
    }
}
