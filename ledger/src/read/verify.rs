//! Verification: every running total recomputed from the postings, every entry balanced, every
//! constraint holding.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::{accounts, journal, Tx};
use bookkeeping::{Money, Role};
use serde::Serialize;

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct Mismatch {
    pub account_id: String,
    pub code: String,
    /// Totals kept on the account row.
    pub recorded_debits: Money,
    pub recorded_credits: Money,
    /// Totals recomputed from the postings.
    pub computed_debits: Money,
    pub computed_credits: Money,
    /// Whether the account's balance constraint holds on the recomputed totals.
    pub constraint_holds: bool,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct VerifyReport {
    /// True when every running total equals its postings, every entry balances and every constraint holds.
    pub ok: bool,
    pub accounts_checked: usize,
    pub mismatches: Vec<Mismatch>,
    /// Ids of journal entries whose postings do not balance.
    pub unbalanced_entries: Vec<String>,
    pub total_debits: Money,
    pub total_credits: Money,
}

/// Verification for a controller.
pub fn verify(tx: &mut Tx, ctx: &Ctx) -> Result<VerifyReport> {
    ctx.require(&[Role::Controller])?;
    verify_books(tx, &ctx.municipality)
}

/// Recomputes every running total from the postings and checks every entry balances.
pub fn verify_books(tx: &mut Tx, municipality: &str) -> Result<VerifyReport> {
    let rows = accounts::all(tx, municipality)?;
    let sums = journal::sums_by_account(tx, municipality, None)?;
    let mut mismatches = vec![];
    let (mut td, mut tc) = (Money::ZERO, Money::ZERO);
    for r in &rows {
        let (d, c) = sums.get(&r.id).copied().unwrap_or_default();
        td += d;
        tc += c;
        let holds = r.constraint()?.holds(d, c);
        if d != r.debits() || c != r.credits() || !holds {
            mismatches.push(Mismatch {
                account_id: r.id.clone(),
                code: r.code.clone(),
                recorded_debits: r.debits(),
                recorded_credits: r.credits(),
                computed_debits: d,
                computed_credits: c,
                constraint_holds: holds,
            });
        }
    }
    let unbalanced = journal::unbalanced_entries(tx, municipality)?;
    Ok(VerifyReport {
        ok: mismatches.is_empty() && unbalanced.is_empty() && td == tc,
        accounts_checked: rows.len(),
        mismatches,
        unbalanced_entries: unbalanced,
        total_debits: td,
        total_credits: tc,
    })
}
