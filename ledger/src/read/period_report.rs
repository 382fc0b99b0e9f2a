//! What a period close locked (controller): every account's totals at the close date, the
//! entries of the period by kind, and the voucher number and hash of the last sealed entry at
//! the close, so that a controller can later show that nothing before it changed (the hash
//! chain, `POST /v1/ledger/verify`).
use crate::context::Ctx;
use crate::error::Result;
use crate::read::trial_balance;
use crate::store::{journal_reads, periods, Tx};
use bookkeeping::{Code, Error, Money, Role};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct ReportAccount {
    pub code: String,
    pub name: String,
    pub debits: Money,
    pub credits: Money,
    pub balance: Money,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct PeriodReport {
    pub through: NaiveDate,
    /// The first day of the period (the day after the previous close); null for the first close.
    pub period_from: Option<NaiveDate>,
    #[serde(with = "crate::read::utc")]
    pub closed_at: NaiveDateTime,
    pub closed_by: String,
    /// Every account's totals at the close date.
    pub accounts: Vec<ReportAccount>,
    /// The entries dated in the period, counted by kind.
    #[schema(value_type = Object, example = json!({"expense_approved": 12, "payment": 3}))]
    pub entries_by_kind: BTreeMap<String, i64>,
    /// The last sealed entry at the close: its voucher number and hash.
    pub last_seq: Option<i64>,
    pub last_hash: Option<String>,
}

pub fn report(tx: &mut Tx, ctx: &Ctx, through: NaiveDate) -> Result<PeriodReport> {
    ctx.require(&[Role::Controller])?;
    let m = &ctx.municipality;
    let closes = periods::list(tx, m)?;
    let pos = closes
        .iter()
        .position(|c| c.through == through)
        .ok_or_else(|| {
            Error::missing(
                Code::PeriodCloseNotFound,
                "period close",
                &through.to_string(),
            )
        })?;
    let close = &closes[pos];
    let period_from = pos
        .checked_sub(1)
        .and_then(|p| closes[p].through.succ_opt());
    let tb = trial_balance::trial_balance(tx, ctx, Some(through))?;
    let accounts = tb
        .accounts
        .into_iter()
        .map(|a| ReportAccount {
            code: a.code,
            name: a.name,
            debits: a.debits,
            credits: a.credits,
            balance: a.balance,
        })
        .collect();
    let entries_by_kind = journal_reads::kinds_between(tx, m, period_from, through)?
        .into_iter()
        .collect();
    let last = journal_reads::last_sealed_at(tx, m, close.closed_at)?;
    Ok(PeriodReport {
        through,
        period_from,
        closed_at: close.closed_at,
        closed_by: close.closed_by.clone(),
        accounts,
        entries_by_kind,
        last_seq: last.as_ref().map(|l| l.0),
        last_hash: last.and_then(|l| l.1),
    })
}
