//! The journal as plain-text books in hledger's and beancount's own syntax, so that a controller
//! can check the ledger with a second, independent tool: every account declared (by its code
//! and name) with its type, the currency declared, one transaction per sealed entry with its
//! voucher number and source, in date order, and the opening balances as of `from` when earlier
//! entries exist. The text is read a page at a time.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::trial_balance;
use crate::store::accounts::{self, AccountRow};
use crate::store::journal::{EntryRow, PostingRow};
use crate::store::journal_reads;
use crate::store::Tx;
use bookkeeping::{AccountKind, Money, Role};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt::Write;

/// Entries read per page.
const PAGE: i64 = 1000;
/// Accounts are declared from a date before any entry.
const OPEN_ON: &str = "1970-01-01";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Hledger,
    Beancount,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "hledger" => Some(Format::Hledger),
            "beancount" => Some(Format::Beancount),
            _ => None,
        }
    }
}

/// An account's name in the books: its type's root (beancount allows only the five), then its
/// code and name in letters, digits and hyphens. Budget (memo) accounts are equity: they net
/// to nothing together.
pub fn account_name(kind: AccountKind, code: &str, name: &str) -> String {
    let root = match kind {
        AccountKind::Asset => "Assets",
        AccountKind::Liability => "Liabilities",
        AccountKind::Equity => "Equity",
        AccountKind::Income => "Income",
        AccountKind::Expense => "Expenses",
        AccountKind::Budget => "Equity:Budget",
    };
    format!("{root}:{}", component(&format!("{code}-{name}")))
}

/// Letters and digits (Danish letters spelled out), everything else one hyphen; starting with
/// a capital letter or a digit, as beancount asks.
fn component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let spelled = match c {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            'Æ' => "Ae",
            'Ø' => "Oe",
            'Å' => "Aa",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if spelled == "-" && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push_str(spelled);
    }
    let out = out.trim_end_matches('-').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_uppercase() || c.is_ascii_digit() => out,
        Some(c) => format!("{}{}", c.to_ascii_uppercase(), &out[c.len_utf8()..]),
        None => "X".to_string(),
    }
}

/// A description on one line, without the characters each syntax gives a meaning.
fn text(s: &str, f: Format) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match f {
        Format::Hledger => one_line.replace(';', ","),
        Format::Beancount => one_line.replace('\\', "/").replace('"', "'"),
    }
}

fn signed(p: &PostingRow) -> Money {
    Money::from_ore(p.debit - p.credit)
}

/// Who may export the books: the controller and finance.
pub fn check(ctx: &Ctx) -> Result<()> {
    Ok(ctx.require(&[Role::Controller, Role::Finance])?)
}

/// The books from `from` to `to` (both optional) in `format`, handed to `out` a page at a time
/// (the declarations, the opening balances, then each page of entries); `out` answers false
/// when the reader has gone, and the export stops.
pub fn export(
    tx: &mut Tx,
    ctx: &Ctx,
    format: Format,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    out: &mut dyn FnMut(String) -> bool,
) -> Result<()> {
    check(ctx)?;
    let m = &ctx.municipality;
    let rows = accounts::all(tx, m)?;
    let mut names: HashMap<String, String> = HashMap::with_capacity(rows.len());
    let mut chunk = String::new();
    header(&mut chunk, format, m, from, to);
    for r in &rows {
        let name = account_name(r.kind()?, &r.code, &r.name);
        declare(&mut chunk, format, r, &name)?;
        names.insert(r.id.clone(), name);
    }
    chunk.push('\n');
    if let Some(from) = from {
        opening(tx, ctx, &mut chunk, format, from, &names)?;
    }
    if !out(chunk) {
        return Ok(());
    }
    let mut after = None;
    loop {
        let page = journal_reads::page_by_date(tx, m, (from, to), after, PAGE)?;
        let mut chunk = String::with_capacity(page.len() * 200);
        for (e, ps) in &page {
            transaction(&mut chunk, format, e, ps, &names);
        }
        if !chunk.is_empty() && !out(chunk) {
            return Ok(());
        }
        match page.last() {
            Some((e, _)) if page.len() as i64 == PAGE => {
                after = Some((e.effective_date, e.seq.unwrap_or_default()))
            }
            _ => return Ok(()),
        }
    }
}

fn header(out: &mut String, f: Format, m: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) {
    let span = format!(
        "{} .. {}",
        from.map_or("start".to_string(), |d| d.to_string()),
        to.map_or("end".to_string(), |d| d.to_string())
    );
    match f {
        Format::Hledger => {
            let _ = writeln!(
                out,
                "; Hjemmetræning, municipality {m}, sealed entries {span}"
            );
            out.push_str("commodity 1000.00 DKK\n\n");
        }
        Format::Beancount => {
            let _ = writeln!(
                out,
                "; Hjemmetræning, municipality {m}, sealed entries {span}"
            );
            let _ = writeln!(out, "option \"title\" \"Hjemmetræning {m}\"");
            out.push_str("option \"operating_currency\" \"DKK\"\n\n");
            let _ = writeln!(out, "{OPEN_ON} commodity DKK\n");
        }
    }
}

fn declare(out: &mut String, f: Format, r: &AccountRow, name: &str) -> Result<()> {
    match f {
        Format::Hledger => {
            let t = match r.kind()? {
                AccountKind::Asset => "A",
                AccountKind::Liability => "L",
                AccountKind::Equity | AccountKind::Budget => "E",
                AccountKind::Income => "R",
                AccountKind::Expense => "X",
            };
            let _ = writeln!(
                out,
                "account {name}  ; type: {t}, code: {}, name: {}",
                r.code,
                text(&r.name, f).replace(',', " ")
            );
        }
        Format::Beancount => {
            let _ = writeln!(out, "{OPEN_ON} open {name} DKK");
            let _ = writeln!(out, "  code: \"{}\"", text(&r.code, f));
            let _ = writeln!(out, "  name: \"{}\"", text(&r.name, f));
        }
    }
    Ok(())
}

/// Each account's balance before `from`, as one balanced transaction on `from` (the ledger is
/// balanced, so the balances sum to nothing).
fn opening(
    tx: &mut Tx,
    ctx: &Ctx,
    out: &mut String,
    f: Format,
    from: NaiveDate,
    names: &HashMap<String, String>,
) -> Result<()> {
    let Some(day_before) = from.pred_opt() else {
        return Ok(());
    };
    let tb = trial_balance::trial_balance(tx, ctx, Some(day_before))?;
    let lines: Vec<(&str, Money)> = tb
        .accounts
        .iter()
        .filter(|a| a.debits != a.credits)
        .filter_map(|a| Some((names.get(&a.account_id)?.as_str(), a.debits - a.credits)))
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    match f {
        Format::Hledger => {
            let _ = writeln!(out, "{from} Opening balances  ; as of {day_before}");
        }
        Format::Beancount => {
            let _ = writeln!(out, "{from} * \"Opening balances as of {day_before}\"");
        }
    }
    for (name, amount) in lines {
        let _ = writeln!(out, "    {name}  {amount} DKK");
    }
    out.push('\n');
    Ok(())
}

fn transaction(
    out: &mut String,
    f: Format,
    e: &EntryRow,
    ps: &[PostingRow],
    names: &HashMap<String, String>,
) {
    let seq = e.seq.unwrap_or_default();
    let source = match (&e.source_type, &e.source_id) {
        (Some(t), Some(id)) => format!("{t}:{id}"),
        _ => String::new(),
    };
    match f {
        Format::Hledger => {
            let _ = writeln!(
                out,
                "{} ({seq}) {}  ; kind:{}, entry:{}{}",
                e.effective_date,
                text(&e.description, f),
                e.kind,
                e.id,
                if source.is_empty() {
                    String::new()
                } else {
                    format!(", source:{source}")
                }
            );
        }
        Format::Beancount => {
            let _ = writeln!(
                out,
                "{} * \"{}\"",
                e.effective_date,
                text(&e.description, f)
            );
            let _ = writeln!(out, "  seq: {seq}");
            let _ = writeln!(out, "  kind: \"{}\"", e.kind);
            let _ = writeln!(out, "  entry: \"{}\"", e.id);
            if !source.is_empty() {
                let _ = writeln!(out, "  source: \"{}\"", text(&source, f));
            }
        }
    }
    for p in ps {
        let name = names.get(&p.account_id).map_or("Equity:Unknown", |n| n);
        let _ = writeln!(out, "    {name}  {} DKK", signed(p));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_both_tools_accept() {
        assert_eq!(
            account_name(AccountKind::Asset, "1000", "Bank"),
            "Assets:1000-Bank"
        );
        assert_eq!(
            account_name(AccountKind::Expense, "5000", "Træning, udstyr (§ 85)"),
            "Expenses:5000-Traening-udstyr-85"
        );
        assert_eq!(
            account_name(AccountKind::Budget, "bp-1", "x"),
            "Equity:Budget:Bp-1-x"
        );
        assert_eq!(text("a;b\n\"c\"", Format::Hledger), "a,b \"c\"");
        assert_eq!(text("a;b\n\"c\"", Format::Beancount), "a;b 'c'");
    }
}
