//! Undo a match (finance, controller): the line and its movements are free again; the match is
//! kept with who undid it and when.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::bank_statements::{self as view, MatchView, RECONCILERS};
use crate::service::Command;
use crate::store::bank;
use crate::store::{accounts, now, Tx};
use bookkeeping::{chart, Code, Error};

#[derive(Clone, Debug)]
pub struct UndoBankMatch {
    pub statement_id: String,
    pub match_id: String,
}

impl Command for UndoBankMatch {
    type Output = MatchView;

    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(RECONCILERS)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<MatchView> {
        let m = &ctx.municipality;
        // Load.
        let s = view::statement(tx, ctx, &self.statement_id)?;
        let row = bank::get_match(tx, m, &s.id, &self.match_id)?
            .ok_or_else(|| Error::missing(Code::BankMatchNotFound, "bank match", &self.match_id))?;
        // Decide: only a match in force is undone, once; a racing undo finds it undone.
        if row.undone_at.is_some() {
            return Err(undone(&row.id).into());
        }
        let at = now();
        if !bank::undo_match(tx, &row.id, &ctx.sub, at)? {
            return Err(undone(&row.id).into());
        }
        // Answer with the match as it now stands.
        let lines = bank::lines_of(tx, &s.id)?;
        let bank_id = accounts::id_of(tx, m, chart::BANK)?;
        let movs = bank::movements_of_match(tx, &row.id)?;
        let ids: Vec<String> = movs.iter().map(|x| x.entry_id.clone()).collect();
        let known = bank::movements(tx, m, &bank_id, None, Some(&ids))?;
        let mut undone_row = row;
        undone_row.undone_by = Some(ctx.sub.clone());
        undone_row.undone_at = Some(at);
        Ok(view::match_view(undone_row, &movs, &lines, &known))
    }
}

fn undone(id: &str) -> Error {
    Error::conflict(
        Code::BankMatchUndone,
        format!("match {id} was already undone"),
    )
}
