//! A bank statement and its reconciliation with the ledger's bank account (finance,
//! controller): the lines matched and by which rule, the bank lines nobody booked, the ledger's
//! movements in the statement's period the bank did not show, and the statement's closing
//! balance against account 1000's balance on that day.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::bank::{self, LineRow, MatchMovementRow, MatchRow, MovementRow, StatementRow};
use crate::store::{accounts, Tx};
use bookkeeping::{chart, Code, Error, Money, Role};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Who reads and reconciles the bank.
pub const RECONCILERS: &[Role] = &[Role::Finance, Role::Controller];

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct StatementView {
    pub id: String,
    /// `camt.053.001.02`, `camt.053.001.08` or `csv`.
    #[schema(example = "camt.053.001.02")]
    pub format: String,
    /// The camt statement's own id.
    pub statement_ref: Option<String>,
    pub account: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// The number of lines.
    pub lines: i32,
    pub opening_balance: Option<Money>,
    pub closing_balance: Option<Money>,
    pub closing_date: Option<NaiveDate>,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

impl From<StatementRow> for StatementView {
    fn from(s: StatementRow) -> Self {
        StatementView {
            id: s.id,
            format: s.format,
            statement_ref: s.statement_ref,
            account: s.account,
            period_from: s.period_from,
            period_to: s.period_to,
            lines: s.lines_count,
            opening_balance: s.opening_balance.map(Money::from_ore),
            closing_balance: s.closing_balance.map(Money::from_ore),
            closing_date: s.closing_date,
            created_by: s.created_by,
            created_at: s.created_at,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct MovementRef {
    /// `payment`, `installment`, `repayment` or `entry` (any other entry on the bank account,
    /// such as a returned payment).
    #[serde(rename = "type")]
    #[schema(example = "payment")]
    pub kind: String,
    pub id: String,
    pub entry_id: String,
    pub amount: Money,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct MatchView {
    pub id: String,
    pub line: i32,
    pub date: NaiveDate,
    pub text: String,
    pub amount: Money,
    pub movements: Vec<MovementRef>,
    /// `reference`, `reference_in_text`, `amount_and_date`, `one_to_many` or `manual`.
    #[schema(example = "reference")]
    pub rule: String,
    pub matched_by: String,
    #[serde(with = "crate::read::utc")]
    pub matched_at: NaiveDateTime,
    pub undone_by: Option<String>,
    #[serde(default, with = "crate::read::utc::opt")]
    pub undone_at: Option<NaiveDateTime>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct BankLineView {
    pub line: i32,
    pub date: NaiveDate,
    pub text: String,
    pub amount: Money,
    /// The end-to-end id, or else the bank's reference.
    pub reference: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct LedgerMovementView {
    #[serde(rename = "type")]
    #[schema(example = "payment")]
    pub kind: String,
    pub id: String,
    pub entry_id: String,
    pub date: NaiveDate,
    pub amount: Money,
    pub bank_reference: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Reconciliation {
    pub statement: StatementView,
    pub matched: Vec<MatchView>,
    pub unmatched_bank: Vec<BankLineView>,
    /// Movements on account 1000 dated in the statement's period that no match holds.
    pub unmatched_ledger: Vec<LedgerMovementView>,
    /// The statement's closing balance (null when the file gives none).
    pub closing_balance: Option<Money>,
    /// Account 1000's balance at the end of the closing date (or of the period's last day).
    pub ledger_balance: Money,
    /// `closing_balance - ledger_balance`; null without a closing balance.
    pub difference: Option<Money>,
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::BankStatementNotFound, "bank statement", id)
}

pub fn statement(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<StatementRow> {
    ctx.require(RECONCILERS)?;
    Ok(bank::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?)
}

pub fn reference_of(l: &LineRow) -> Option<String> {
    l.end_to_end_id.clone().or_else(|| l.bank_reference.clone())
}

pub fn match_view(
    m: MatchRow,
    movs: &[MatchMovementRow],
    lines: &[LineRow],
    known: &[MovementRow],
) -> MatchView {
    let line = lines.iter().find(|l| l.line_no == m.line_no);
    MatchView {
        line: m.line_no,
        date: line.map(|l| l.booking_date).unwrap_or_default(),
        text: line.map(|l| l.text.clone()).unwrap_or_default(),
        amount: Money::from_ore(line.map(|l| l.amount).unwrap_or(0)),
        movements: movs
            .iter()
            .map(|x| {
                let k = known.iter().find(|k| k.entry_id == x.entry_id);
                MovementRef {
                    kind: k.map(|k| k.kind).unwrap_or("entry").to_string(),
                    id: k
                        .map(|k| k.id.clone())
                        .unwrap_or_else(|| x.entry_id.clone()),
                    entry_id: x.entry_id.clone(),
                    amount: Money::from_ore(x.amount),
                }
            })
            .collect(),
        rule: m.rule,
        matched_by: m.created_by,
        matched_at: m.created_at,
        undone_by: m.undone_by,
        undone_at: m.undone_at,
        id: m.id,
    }
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<StatementView> {
    Ok(statement(tx, ctx, id)?.into())
}

pub fn reconciliation(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<Reconciliation> {
    let s = statement(tx, ctx, id)?;
    let m = &ctx.municipality;
    let lines = bank::lines_of(tx, &s.id)?;
    let matches = bank::matches_of(tx, &s.id)?;
    let bank_id = accounts::id_of(tx, m, chart::BANK)?;
    let matched_ids: Vec<String> = matches
        .iter()
        .flat_map(|(_, ms)| ms.iter().map(|x| x.entry_id.clone()))
        .collect();
    let of_matches = bank::movements(tx, m, &bank_id, None, Some(&matched_ids))?;
    let in_period = bank::movements(tx, m, &bank_id, Some((s.period_from, s.period_to)), None)?;
    let period_ids: Vec<String> = in_period.iter().map(|x| x.entry_id.clone()).collect();
    let taken = bank::matched_entries(tx, m, &period_ids)?;
    let unmatched_ledger = in_period
        .into_iter()
        .filter(|x| !taken.contains(&x.entry_id))
        .map(|x| LedgerMovementView {
            kind: x.kind.to_string(),
            id: x.id,
            entry_id: x.entry_id,
            date: x.date,
            amount: Money::from_ore(x.amount),
            bank_reference: x.bank_reference,
        })
        .collect();
    let lines_matched: Vec<i32> = matches.iter().map(|(x, _)| x.line_no).collect();
    let unmatched_bank = lines
        .iter()
        .filter(|l| !lines_matched.contains(&l.line_no))
        .map(|l| BankLineView {
            line: l.line_no,
            date: l.booking_date,
            text: l.text.clone(),
            amount: Money::from_ore(l.amount),
            reference: reference_of(l),
        })
        .collect();
    let matched = matches
        .into_iter()
        .map(|(x, ms)| match_view(x, &ms, &lines, &of_matches))
        .collect();
    let on = s.closing_date.unwrap_or(s.period_to);
    let row = accounts::get(tx, m, &bank_id)?
        .ok_or_else(|| crate::store::StoreError::Corrupt("bank account missing".into()))?;
    let (debits, credits) = accounts::totals_as_of(tx, &row, on)?;
    let ledger_balance = debits - credits;
    let closing_balance = s.closing_balance.map(Money::from_ore);
    Ok(Reconciliation {
        difference: closing_balance.map(|c| c - ledger_balance),
        closing_balance,
        ledger_balance,
        matched,
        unmatched_bank,
        unmatched_ledger,
        statement: s.into(),
    })
}
