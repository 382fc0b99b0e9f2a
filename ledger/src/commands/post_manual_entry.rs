//! Book a manual journal entry (finance, admin): never on a budget post or a decision-kept account.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::journal::{self as view, JournalEntry};
use crate::service::Command;
use crate::store::{journal, Tx};
pub use bookkeeping::entry::lines_from_sides;
use bookkeeping::{entry, Role};
pub use bookkeeping::{EntryKind, NewEntry, PostingLine};
use rules::budget::rigid_posts;
use rules::privacy::no_cpr;

#[derive(Clone, Debug)]
pub struct PostManualEntry {
    pub entry: NewEntry,
}

impl Command for PostManualEntry {
    type Output = JournalEntry;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance, Role::Admin])?;
        entry::validate_entry(&self.entry)?;
        no_cpr::reject_in_text("description", &self.entry.description)?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<JournalEntry> {
        let booked = journal::post_guarded(tx, ctx, &self.entry, rigid_posts::check_manual_entry)?;
        Ok(view::view(booked)?)
    }
}
