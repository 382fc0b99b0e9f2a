//! Take in a bank statement (finance, controller): the file read whole before anything is
//! stored (a bad file stores nothing); the same file again, or the same camt statement id,
//! answers with the first statement; then the four matching rules join its lines to the
//! ledger's movements on the bank account, each match recorded with its rule.
use crate::bank::ParsedStatement;
use crate::context::Ctx;
use crate::error::Result;
use crate::read::bank_statements::{StatementView, RECONCILERS};
use crate::service::Command;
use crate::store::bank::{self, LineRow, MatchMovementRow, MatchRow, StatementRow};
use crate::store::{accounts, new_id, now, settings, Tx};
use bookkeeping::chart;
use rules::bank::matching::{self, Line, Movement};
use serde::{Deserialize, Serialize};

/// How far from the statement's period a movement may lie and still be found by its
/// reference: a payment booked at the end of one month reaches the bank in the next.
const REFERENCE_REACH_DAYS: i64 = 31;

#[derive(Clone, Debug)]
pub struct ImportBankStatement {
    pub parsed: ParsedStatement,
    pub sha256: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Imported {
    #[serde(flatten)]
    pub statement: StatementView,
    /// Lines matched when the statement was taken in.
    pub matched: usize,
    /// True when the same file (or statement id) was taken in before: its statement, unchanged.
    pub duplicate: bool,
}

impl Command for ImportBankStatement {
    type Output = Imported;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(RECONCILERS)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Imported> {
        let m = &ctx.municipality;
        let p = &self.parsed;
        // Load: the same file or statement taken in before answers as it was.
        if let Some(first) = bank::existing(tx, m, &self.sha256, p.statement_ref.as_deref())? {
            let matched = bank::matches_of(tx, &first.id)?.len();
            return Ok(Imported {
                statement: first.into(),
                matched,
                duplicate: true,
            });
        }
        // Record the bank's statement as it is.
        let id = new_id();
        let row = StatementRow {
            id: id.clone(),
            municipality: m.clone(),
            sha256: self.sha256.clone(),
            format: p.format.to_string(),
            statement_ref: p.statement_ref.clone(),
            account: p.account.clone(),
            period_from: p.period_from,
            period_to: p.period_to,
            opening_balance: p.opening,
            closing_balance: p.closing,
            closing_date: p.closing_date,
            lines_count: p.lines.len() as i32,
            created_by: ctx.sub.clone(),
            created_at: now(),
        };
        let lines: Vec<LineRow> = p
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| LineRow {
                statement_id: id.clone(),
                line_no: i as i32 + 1,
                booking_date: l.booking_date,
                amount: l.amount,
                text: l.text.clone(),
                end_to_end_id: l.end_to_end_id.clone(),
                bank_reference: l.bank_reference.clone(),
                balance: l.balance,
            })
            .collect();
        bank::insert(tx, &row, &lines)?;
        // Load the ledger's side: the bank account's movements around the period, not matched.
        let (window, _) = settings::in_force(tx, m)?;
        let bank_id = accounts::id_of(tx, m, chart::BANK)?;
        let reach = chrono::Duration::days(REFERENCE_REACH_DAYS);
        let span = (p.period_from - reach, p.period_to + reach);
        let movements = bank::movements(tx, m, &bank_id, Some(span), None)?;
        let ids: Vec<String> = movements.iter().map(|x| x.entry_id.clone()).collect();
        let taken = bank::matched_entries(tx, m, &ids)?;
        let free: Vec<Movement> = movements
            .iter()
            .filter(|x| !taken.contains(&x.entry_id))
            .map(|x| Movement {
                key: x.entry_id.clone(),
                date: x.date,
                amount: x.amount,
                reference: x.bank_reference.clone(),
            })
            .collect();
        let bank_lines: Vec<Line> = lines
            .iter()
            .map(|l| Line {
                no: l.line_no,
                date: l.booking_date,
                amount: l.amount,
                text: l.text.clone(),
                references: l
                    .end_to_end_id
                    .iter()
                    .chain(l.bank_reference.iter())
                    .cloned()
                    .collect(),
            })
            .collect();
        // Decide.
        let found = matching::auto_match(&bank_lines, &free, window.bank_match_window_days as i64);
        // Record each match with its rule.
        let at = now();
        for f in &found {
            let mid = new_id();
            let movs: Vec<MatchMovementRow> = f
                .movements
                .iter()
                .map(|e| MatchMovementRow {
                    match_id: mid.clone(),
                    municipality: m.clone(),
                    entry_id: e.clone(),
                    amount: free
                        .iter()
                        .find(|x| &x.key == e)
                        .map(|x| x.amount)
                        .unwrap_or(0),
                    undone_at: None,
                })
                .collect();
            let mr = MatchRow {
                id: mid,
                municipality: m.clone(),
                statement_id: id.clone(),
                line_no: f.line,
                rule: f.rule.as_str().to_string(),
                created_by: ctx.sub.clone(),
                created_at: at,
                undone_by: None,
                undone_at: None,
            };
            bank::insert_match(tx, &mr, &movs)?;
        }
        Ok(Imported {
            statement: row.into(),
            matched: found.len(),
            duplicate: false,
        })
    }
}
