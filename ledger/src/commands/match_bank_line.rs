//! Match a bank line by hand (finance, controller): the line and the ledger's movements that
//! are it, none already matched, their amounts adding up to the line's to the øre; recorded
//! with who and when, rule `manual`.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::bank_statements::{self as view, MatchView, RECONCILERS};
use crate::service::Command;
use crate::store::bank::{self, MatchMovementRow, MatchRow, MovementRow};
use crate::store::{accounts, new_id, now, Tx};
use bookkeeping::{chart, Code, Error};

#[derive(Clone, Debug)]
pub struct MovementId {
    pub kind: String,
    pub id: String,
}

#[derive(Clone, Debug)]
pub struct MatchBankLine {
    pub statement_id: String,
    pub line: i32,
    pub movements: Vec<MovementId>,
}

pub const KINDS: &[&str] = &["payment", "installment", "repayment", "entry"];

impl Command for MatchBankLine {
    type Output = MatchView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(RECONCILERS)?;
        if self.movements.is_empty() || self.movements.len() > 100 {
            return Err(Error::field(
                Code::InvalidValue,
                "movements",
                "a match holds 1-100 movements",
            ));
        }
        for (i, x) in self.movements.iter().enumerate() {
            if !KINDS.contains(&x.kind.as_str()) {
                return Err(Error::field(
                    Code::InvalidValue,
                    &format!("movements[{i}].type"),
                    "a movement is a payment, installment, repayment or entry",
                ));
            }
        }
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<MatchView> {
        let m = &ctx.municipality;
        // Load the statement, its line, and each movement's entry on the bank account.
        let s = view::statement(tx, ctx, &self.statement_id)?;
        let lines = bank::lines_of(tx, &s.id)?;
        let line = lines
            .iter()
            .find(|l| l.line_no == self.line)
            .ok_or_else(|| {
                Error::field(
                    Code::BankLineNotFound,
                    "line",
                    format!("the statement has lines 1-{}", lines.len()),
                )
            })?;
        if bank::line_matched(tx, &s.id, self.line)? {
            return Err(line_taken(self.line).into());
        }
        // Each named movement: its entry, then all of them read from the bank account at once.
        let bank_id = accounts::id_of(tx, m, chart::BANK)?;
        let mut named = Vec::with_capacity(self.movements.len());
        for x in &self.movements {
            named.push(bank::entry_of(tx, m, &x.kind, &x.id)?);
        }
        let entry_ids: Vec<String> = named.iter().flatten().cloned().collect();
        let on_bank = bank::movements(tx, m, &bank_id, None, Some(&entry_ids))?;
        let mut picked: Vec<MovementRow> = Vec::with_capacity(named.len());
        for (i, (x, e)) in self.movements.iter().zip(&named).enumerate() {
            let found = e.as_ref().and_then(|e| {
                on_bank
                    .iter()
                    .find(|mv| &mv.entry_id == e && mv.kind == x.kind && mv.id == x.id)
            });
            let Some(found) = found else {
                return Err(Error::field(
                    Code::MovementNotFound,
                    &format!("movements[{i}]"),
                    format!("no {} {} on the bank account", x.kind, x.id),
                )
                .into());
            };
            if picked.iter().any(|p| p.entry_id == found.entry_id) {
                return Err(Error::field(
                    Code::InvalidValue,
                    &format!("movements[{i}]"),
                    "each movement is named once",
                )
                .into());
            }
            picked.push(found.clone());
        }
        if let Some(e) = bank::matched_entries(tx, m, &entry_ids)?.first() {
            return Err(movement_taken(e).into());
        }
        // Decide: exact to the øre.
        let amounts: Vec<i64> = picked.iter().map(|p| p.amount).collect();
        rules::bank::matching::check_manual(line.amount, &amounts)?;
        // Record, who and when; a racing match of the same line or movement collides on the
        // unique indexes over the matches in force.
        let mid = new_id();
        let movs: Vec<MatchMovementRow> = picked
            .iter()
            .map(|p| MatchMovementRow {
                match_id: mid.clone(),
                municipality: m.clone(),
                entry_id: p.entry_id.clone(),
                amount: p.amount,
                undone_at: None,
            })
            .collect();
        let row = MatchRow {
            id: mid,
            municipality: m.clone(),
            statement_id: s.id.clone(),
            line_no: self.line,
            rule: "manual".into(),
            created_by: ctx.sub.clone(),
            created_at: now(),
            undone_by: None,
            undone_at: None,
        };
        bank::insert_match(tx, &row, &movs).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| {
                Error::conflict(
                    Code::MovementAlreadyMatched,
                    "the line or a movement was matched at the same time; read the reconciliation again",
                )
            })
        })?;
        Ok(view::match_view(row, &movs, &lines, &picked))
    }
}

fn line_taken(line: i32) -> Error {
    Error::conflict(
        Code::BankLineAlreadyMatched,
        format!("line {line} is already matched; undo that match first"),
    )
}

fn movement_taken(entry: &str) -> Error {
    Error::conflict(
        Code::MovementAlreadyMatched,
        format!("the movement of entry {entry} is already matched to a bank line; undo that match first"),
    )
}
