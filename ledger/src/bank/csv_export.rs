//! The Danish net banks' CSV export of an account: `Dato;Tekst;Beløb;Saldo` (dates
//! `dd.mm.yyyy` or `dd-mm-yyyy`, decimal comma with `.` for thousands, money out negative) or
//! `date,text,amount,balance` (decimal point), in UTF-8 or Windows-1252 as the payroll import
//! detects them. Newest first or oldest first: the running balance says which, and must hold
//! from line to line; the balance before the first line and after the last are the statement's
//! opening and closing balances.
use super::{ParsedLine, ParsedStatement, Problems};
use crate::error::Result;
use crate::import::dialect::{self, Decoded, Dialect};
use rust_decimal::Decimal;
use std::io::Read;

const KIND: &str = "CSV bank statement";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Date,
    Text,
    Amount,
    Balance,
}

const NAMES: &[(&str, Col)] = &[
    ("dato", Col::Date),
    ("bogføringsdato", Col::Date),
    ("bogført", Col::Date),
    ("date", Col::Date),
    ("booking date", Col::Date),
    ("tekst", Col::Text),
    ("beskrivelse", Col::Text),
    ("text", Col::Text),
    ("description", Col::Text),
    ("beløb", Col::Amount),
    ("amount", Col::Amount),
    ("saldo", Col::Balance),
    ("balance", Col::Balance),
];

/// An amount the dialect has read, in øre (within the bounds of every amount).
fn ore(d: Decimal) -> Option<i64> {
    bookkeeping::Money::from_decimal_exact(d)
        .ok()
        .map(bookkeeping::Money::ore)
}

/// The statement in `bytes`, or a refusal naming each bad line and column.
pub fn parse(bytes: &[u8]) -> Result<ParsedStatement> {
    let d: Dialect = dialect::detect(&bytes[..bytes.len().min(8192)], None);
    let mut text = String::new();
    Decoded::new(bytes, d.encoding)
        .read_to_string(&mut text)
        .map_err(|e| super::refuse(KIND, "file", format!("unreadable: {e}")))?;
    let mut r = csv::ReaderBuilder::new()
        .delimiter(d.delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| super::refuse(KIND, "line 1", format!("no header line: {e}")))?
        .clone();
    let mut cols: Vec<(Col, usize)> = vec![];
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if let Some((_, c)) = NAMES.iter().find(|(n, _)| *n == h) {
            if !cols.iter().any(|(k, _)| k == c) {
                cols.push((*c, i));
            }
        }
    }
    let at = |c: Col| cols.iter().find(|(k, _)| *k == c).map(|(_, i)| *i);
    let (Some(di), Some(ti), Some(ai)) = (at(Col::Date), at(Col::Text), at(Col::Amount)) else {
        return Err(super::refuse(
            KIND,
            "line 1",
            format!(
                "the header {:?} does not name a date, a text and an amount column (Dato;Tekst;Beløb;Saldo or date,text,amount,balance)",
                headers.iter().collect::<Vec<_>>().join(&(d.delimiter as char).to_string())
            ),
        )
        .into());
    };
    let bi = at(Col::Balance);
    let name = |i: usize| headers.get(i).unwrap_or("").trim().to_string();
    let mut p = Problems::default();
    let mut lines: Vec<ParsedLine> = vec![];
    for (k, rec) in r.records().enumerate() {
        let line = k + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                p.add(format!("line {line}"), format!("not a CSV line: {e}"));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        let date = dialect::date(cell(di));
        if date.is_none() {
            p.add(
                format!("line {line}, column {}", name(di)),
                format!(
                    "{:?} is not a date (dd.mm.yyyy, dd-mm-yyyy or yyyy-mm-dd)",
                    cell(di)
                ),
            );
        }
        let money = |i: usize, p: &mut Problems| {
            let v = dialect::amount(cell(i), d).and_then(ore);
            if v.is_none() {
                p.add(
                    format!("line {line}, column {}", name(i)),
                    format!(
                        "{:?} is not an amount ({}, at most two decimals, a minus for money out)",
                        cell(i),
                        if d.decimal_comma {
                            "decimal comma, `.` for thousands"
                        } else {
                            "decimal point"
                        }
                    ),
                );
            }
            v
        };
        let amount = money(ai, &mut p);
        let balance = match bi {
            Some(i) if !cell(i).is_empty() => money(i, &mut p),
            _ => None,
        };
        if let (Some(date), Some(amount)) = (date, amount) {
            lines.push(ParsedLine {
                booking_date: date,
                amount,
                text: cell(ti).to_string(),
                end_to_end_id: None,
                bank_reference: None,
                balance,
            });
        }
    }
    if !p.is_empty() {
        return Err(p.into_error(KIND).into());
    }
    if lines.is_empty() {
        return Err(super::refuse(KIND, "line 2", "the statement has no lines").into());
    }
    let (opening, closing) = balances(&lines)?;
    let period_from = lines.iter().map(|l| l.booking_date).min().expect("lines");
    let period_to = lines.iter().map(|l| l.booking_date).max().expect("lines");
    Ok(ParsedStatement {
        format: "csv",
        statement_ref: None,
        account: None,
        period_from,
        period_to,
        opening,
        closing,
        closing_date: closing.map(|_| period_to),
        lines,
    })
}

/// The opening and closing balances from a running balance on every line, which must hold in
/// the file's order (oldest first) or in reverse (newest first). Without a balance on every
/// line, none.
fn balances(lines: &[ParsedLine]) -> Result<(Option<i64>, Option<i64>)> {
    let Some(b): Option<Vec<i64>> = lines.iter().map(|l| l.balance).collect() else {
        return Ok((None, None));
    };
    let a: Vec<i64> = lines.iter().map(|l| l.amount).collect();
    let n = lines.len();
    let breaks_forward = (1..n).find(|i| b[i - 1] + a[*i] != b[*i]);
    if breaks_forward.is_none() {
        return Ok((Some(b[0] - a[0]), Some(b[n - 1])));
    }
    let breaks_backward = (0..n - 1).find(|i| b[i + 1] + a[*i] != b[*i]);
    if breaks_backward.is_none() && lines[0].booking_date >= lines[n - 1].booking_date {
        return Ok((Some(b[n - 1] - a[n - 1]), Some(b[0])));
    }
    let i = breaks_forward.expect("checked");
    Err(super::refuse(
        KIND,
        &format!("line {}", i + 2),
        format!(
            "the balance {} is not the balance before it {} plus the amount {}",
            bookkeeping::Money::from_ore(b[i]),
            bookkeeping::Money::from_ore(b[i - 1]),
            bookkeeping::Money::from_ore(a[i])
        ),
    )
    .into())
}
