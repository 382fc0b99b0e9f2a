//! Match a bank line by hand (finance, controller): the line and the ledger's movements that
//! are it, none already matched, their amounts adding up to the line's to the øre; recorded
//! with who and when, rule `manual`.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::bank_statements::{self as view, MatchView, RECONCILERS};
use crate::service::Command;
use crate::store::bank::{self, MatchMovementRow, MatchRow};
use crate::store::{accounts, new_id, now, Tx};
use bookkeeping::{chart, Code, Error, Money};

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
        if bank::matches_of(tx, &s.id)?
            .iter()
            .any(|(x, _)| x.line_no == self.line)
        {
            return Err(line_taken(self.line).into());
        }
        let bank_id = accounts::id_of(tx, m, chart::BANK)?;
        let mut entries = vec![];
        for (i, x) in self.movements.iter().enumerate() {
            let e = bank::entry_of(tx, m, &x.kind, &x.id)?;
            let found = match e {
                Some(e) => bank::movements(tx, m, &bank_id, None, Some(std::slice::from_ref(&e)))?
                    .into_iter()
                    .find(|mv| mv.kind == x.kind && mv.id == x.id),
                None => None,
            };
            let Some(found) = found else {
                return Err(Error::field(
                    Code::MovementNotFound,
                    &format!("movements[{i}]"),
                    format!("no {} {} on the bank account", x.kind, x.id),
                )
                .into());
            };
            if entries
                .iter()
                .any(|(e, _): &(String, i64)| *e == found.entry_id)
            {
                return Err(Error::field(
                    Code::InvalidValue,
                    &format!("movements[{i}]"),
                    "each movement is named once",
                )
                .into());
            }
            entries.push((found.entry_id, found.amount));
        }
        let ids: Vec<String> = entries.iter().map(|(e, _)| e.clone()).collect();
        if let Some(e) = bank::matched_entries(tx, m, &ids)?.first() {
            return Err(movement_taken(e).into());
        }
        // Decide: exact to the øre.
        let sum: i64 = entries.iter().map(|(_, a)| a).sum();
        if sum != line.amount {
            return Err(Error::rule(
                Code::MatchAmountsDiffer,
                format!(
                    "the movements add up to {} and the bank line is {}: a match is exact to the øre",
                    Money::from_ore(sum),
                    Money::from_ore(line.amount)
                ),
            )
            .legal(rules::bank::matching::LEGAL)
            .figure("movements", Money::from_ore(sum))
            .figure("line", Money::from_ore(line.amount))
            .into());
        }
        // Record, who and when; a racing match of the same line or movement collides on the
        // unique indexes over the matches in force.
        let mid = new_id();
        let movs: Vec<MatchMovementRow> = entries
            .iter()
            .map(|(e, a)| MatchMovementRow {
                match_id: mid.clone(),
                municipality: m.clone(),
                entry_id: e.clone(),
                amount: *a,
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
        let known = bank::movements(tx, m, &bank_id, None, Some(&ids))?;
        Ok(view::match_view(row, &movs, &lines, &known))
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
