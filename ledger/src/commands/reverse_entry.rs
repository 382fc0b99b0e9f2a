//! Reverse a manual entry (finance, admin): its mirror, linked both ways, at most once, dated like
//! the original or on the first open date when that period is closed.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::journal::{self as view, JournalEntry};
use crate::service::Command;
use crate::store::{journal, periods, Tx};
use bookkeeping::entry;
use bookkeeping::{period, Role};
use chrono::NaiveDate;
use rules::privacy::no_cpr;

#[derive(Clone, Debug)]
pub struct ReverseEntry {
    pub entry_id: String,
    pub effective_date: Option<NaiveDate>,
    pub description: Option<String>,
}

impl Command for ReverseEntry {
    type Output = JournalEntry;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance, Role::Admin])?;
        if let Some(d) = &self.description {
            no_cpr::reject_in_text("description", d)?;
        }
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<JournalEntry> {
        let m = &ctx.municipality;
        let original =
            journal::get(tx, m, &self.entry_id)?.ok_or_else(|| view::not_found(&self.entry_id))?;
        let date = match self.effective_date {
            Some(d) => d,
            None => period::first_open_on_or_after(
                periods::closed_through(tx, m)?,
                original.entry.effective_date,
            ),
        };
        let reversal = entry::reversal(&original.booked()?, date, self.description.clone())?;
        Ok(view::view(journal::post(tx, ctx, &reversal)?)?)
    }
}
