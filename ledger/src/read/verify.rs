//! Verification: every running total recomputed from the postings, every entry balanced, every
//! constraint holding.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::{accounts, chain, journal_sums, StoreResult, Tx};
use bookkeeping::chain::GENESIS;
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

/// A place where the hash chain does not hold: an edited entry, or a gap in the voucher numbers.
#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct ChainBreak {
    pub seq: i64,
    pub entry_id: String,
    #[schema(example = "the entry's content no longer matches its hash")]
    pub problem: String,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct VerifyReport {
    /// True when every running total equals its postings, every entry balances and every constraint holds.
    pub ok: bool,
    pub accounts_checked: usize,
    pub mismatches: Vec<Mismatch>,
    /// Ids of journal entries whose postings do not balance.
    pub unbalanced_entries: Vec<String>,
    /// Sealed entries whose hash was recomputed.
    #[schema(example = 1250)]
    pub entries_checked: usize,
    /// Entries whose hash does not match their content and the previous hash, or gaps in `seq`.
    pub chain_breaks: Vec<ChainBreak>,
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
    let sums = journal_sums::sums_by_account(tx, municipality, None)?;
    let mut mismatches = vec![];
    let (mut td, mut tc) = (Money::ZERO, Money::ZERO);
    for r in &rows {
        let (d, c) = sums.get(&r.id).copied().unwrap_or_default();
        td = td.checked_add(d).ok_or_else(crate::read::total_too_large)?;
        tc = tc.checked_add(c).ok_or_else(crate::read::total_too_large)?;
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
    let unbalanced = journal_sums::unbalanced_entries(tx, municipality)?;
    let (entries_checked, chain_breaks) = verify_chain(tx, municipality)?;
    Ok(VerifyReport {
        ok: mismatches.is_empty() && unbalanced.is_empty() && td == tc && chain_breaks.is_empty(),
        entries_checked,
        chain_breaks,
        accounts_checked: rows.len(),
        mismatches,
        unbalanced_entries: unbalanced,
        total_debits: td,
        total_credits: tc,
    })
}

/// Recomputes the hash chain page by page: every sealed entry's hash from its stored content and
/// the hash recorded before it (so an edit names the edited entry, not every one after it), the
/// voucher numbers without a gap, and the head where the last entry is.
fn verify_chain(tx: &mut Tx, municipality: &str) -> StoreResult<(usize, Vec<ChainBreak>)> {
    let mut breaks = vec![];
    let (mut last, mut prev, mut checked) = (0i64, GENESIS.to_string(), 0usize);
    loop {
        let page = chain::sealed_page(tx, municipality, last, 1000)?;
        if page.is_empty() {
            break;
        }
        let ids: Vec<String> = page.iter().map(|e| e.id.clone()).collect();
        let postings = chain::by_entry(chain::postings_of(tx, municipality, &ids)?);
        for e in &page {
            let seq = e.seq.unwrap_or_default();
            let mut broken = |problem: String| {
                breaks.push(ChainBreak {
                    seq,
                    entry_id: e.id.clone(),
                    problem,
                })
            };
            if seq != last + 1 {
                broken(format!(
                    "voucher number {seq} follows {last}: numbers are missing"
                ));
            }
            let mine = postings.get(&e.id).map(Vec::as_slice).unwrap_or_default();
            let recomputed = bookkeeping::chain::hash(&prev, &chain::sealed(e, mine, seq));
            let recorded = e.hash.clone().unwrap_or_default();
            if recomputed != recorded {
                broken("the entry's content no longer matches its hash".to_string());
            }
            (last, prev) = (seq, recorded);
            checked += 1;
        }
    }
    let (head_seq, head_hash) = chain::head(tx, municipality)?;
    if head_seq != last || (last > 0 && head_hash != prev) {
        breaks.push(ChainBreak {
            seq: head_seq,
            entry_id: String::new(),
            problem: format!("the chain's head says {head_seq}, the last sealed entry is {last}"),
        });
    }
    Ok((checked, breaks))
}
