//! The trial balance: every account's debit and credit totals; Σ debits = Σ credits.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::{accounts, journal_sums, Tx};
use bookkeeping::{AccountKind, Money};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct TrialBalanceLine {
    pub account_id: String,
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub debits: Money,
    pub credits: Money,
    pub balance: Money,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct TrialBalance {
    /// The date the balance is taken at; null means all postings.
    pub as_of: Option<NaiveDate>,
    pub accounts: Vec<TrialBalanceLine>,
    pub total_debits: Money,
    pub total_credits: Money,
    /// True when Σ debits = Σ credits (always, in a sound ledger).
    pub balanced: bool,
}

/// From the running totals; as of a date, the running totals less what was posted after it (one
/// grouped query over the postings after the date).
pub fn trial_balance(tx: &mut Tx, ctx: &Ctx, as_of: Option<NaiveDate>) -> Result<TrialBalance> {
    let m = &ctx.municipality;
    let rows = accounts::all(tx, m)?;
    let sums = match as_of {
        Some(_) => Some(journal_sums::sums_by_account(tx, m, as_of)?),
        None => None,
    };
    let mut lines = Vec::with_capacity(rows.len());
    for r in &rows {
        let later = sums
            .as_ref()
            .and_then(|s| s.get(&r.id).copied())
            .unwrap_or_default();
        let (debits, credits) = (r.debits() - later.0, r.credits() - later.1);
        let kind = r.kind()?;
        lines.push(TrialBalanceLine {
            account_id: r.id.clone(),
            code: r.code.clone(),
            name: r.name.clone(),
            kind,
            debits,
            credits,
            balance: kind.balance(debits, credits),
        });
    }
    let total = |f: fn(&TrialBalanceLine) -> Money| {
        Money::checked_sum(lines.iter().map(f)).ok_or_else(crate::read::total_too_large)
    };
    let (total_debits, total_credits) = (total(|l| l.debits)?, total(|l| l.credits)?);
    Ok(TrialBalance {
        as_of,
        accounts: lines,
        total_debits,
        total_credits,
        balanced: total_debits == total_credits,
    })
}
