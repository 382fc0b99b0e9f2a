//! Book many manual journal entries at once (finance, admin), all or nothing, under one
//! idempotency key: for finance systems that deliver their day's vouchers in bulk. Each entry
//! obeys what a single manual entry obeys; the batch goes through the batch posting path (one
//! lock per account, constraints checked in entry order, multi-row inserts).
use crate::context::Ctx;
use crate::error::Result;
use crate::service::Command;
use crate::store::{batch, Tx};
use bookkeeping::{entry, Code, Error, NewEntry, Role};
use rules::budget::rigid_posts;
use rules::privacy::no_cpr;
use serde::{Deserialize, Serialize};

/// The most entries one batch may hold.
pub const MAX_ENTRIES: usize = 10_000;

#[derive(Clone, Debug)]
pub struct PostEntries {
    pub entries: Vec<NewEntry>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct BatchPosted {
    pub count: usize,
    /// The entries' ids, in the order they were sent.
    pub entry_ids: Vec<String>,
}

/// A refusal of one entry names its place in the batch.
fn at(n: usize, e: bookkeeping::Error) -> bookkeeping::Error {
    let errors = e
        .errors
        .iter()
        .cloned()
        .map(|mut f| {
            f.field = format!("entries[{n}].{}", f.field);
            f
        })
        .collect();
    bookkeeping::Error {
        detail: format!("entry {n}: {}", e.detail),
        errors,
        ..e
    }
}

impl Command for PostEntries {
    type Output = BatchPosted;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Finance, Role::Admin])?;
        if self.entries.is_empty() || self.entries.len() > MAX_ENTRIES {
            return Err(Error::field(
                Code::InvalidValue,
                "entries",
                format!("a batch holds 1 to {MAX_ENTRIES} entries"),
            ));
        }
        for (n, e) in self.entries.iter().enumerate() {
            entry::validate_entry(e).map_err(|x| at(n, x))?;
            no_cpr::reject_in_text("description", &e.description).map_err(|x| at(n, x))?;
        }
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<BatchPosted> {
        let ids =
            batch::post_batch_guarded(tx, ctx, &self.entries, rigid_posts::check_manual_entry)?;
        Ok(BatchPosted {
            count: ids.len(),
            entry_ids: ids,
        })
    }
}
