//! Bank statements as the banks deliver them (ISO 20022 camt.053, the net banks' CSV exports),
//! read into one form: the statement's dates and balances and its booked lines, amounts in øre
//! (money in positive, money out negative). A file that cannot be read whole is refused whole,
//! with the line or element and what is wrong.
pub mod camt;
mod camt_schema;
pub mod csv_export;

use bookkeeping::{Code, Error};
use chrono::NaiveDate;

#[derive(Clone, Debug)]
pub struct ParsedLine {
    pub booking_date: NaiveDate,
    pub amount: i64,
    pub text: String,
    pub end_to_end_id: Option<String>,
    pub bank_reference: Option<String>,
    /// The balance after the line, where the bank writes it (CSV exports).
    pub balance: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct ParsedStatement {
    /// `camt.053.001.02`, `camt.053.001.08` or `csv`.
    pub format: &'static str,
    /// The camt statement's own id (`Stmt/Id`); a CSV export has none.
    pub statement_ref: Option<String>,
    pub account: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub opening: Option<i64>,
    pub closing: Option<i64>,
    pub closing_date: Option<NaiveDate>,
    pub lines: Vec<ParsedLine>,
}

/// At most this many problems are listed for one file.
const MAX_PROBLEMS: usize = 100;

/// Collects what is wrong with a file, each named by its line or element.
#[derive(Default)]
pub struct Problems(Vec<(String, String)>);

impl Problems {
    pub fn add(&mut self, at: impl Into<String>, what: impl Into<String>) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push((at.into(), what.into()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The refusal: the first problem in the detail, every problem as a field error.
    pub fn into_error(self, kind: &str) -> Error {
        let (at, what) = self
            .0
            .first()
            .cloned()
            .unwrap_or_else(|| ("file".into(), "unreadable".into()));
        let mut e = Error::rule(
            Code::InvalidBankStatement,
            format!("the {kind} cannot be read: {at}: {what}; nothing of it was stored"),
        )
        .legal(rules::bank::statement::LEGAL);
        for (at, what) in self.0 {
            e.errors.push(bookkeeping::error::FieldError {
                field: at,
                code: Code::InvalidBankStatement,
                message: what,
            });
        }
        e
    }
}

/// A single refusal of the whole file.
pub fn refuse(kind: &str, at: &str, what: impl Into<String>) -> Error {
    let mut p = Problems::default();
    p.add(at, what);
    p.into_error(kind)
}

/// Amounts in øre from a decimal text with at most two decimals as written and no sign (the
/// direction is the statement's to give); `None` otherwise. The number itself is read as every
/// amount is (`Money`'s plain decimal notation, within its bounds).
pub fn ore_of(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.starts_with(['-', '+']) || t.split_once('.').is_some_and(|(_, f)| f.len() > 2) {
        return None;
    }
    t.parse::<bookkeeping::Money>()
        .ok()
        .map(bookkeeping::Money::ore)
}

#[cfg(test)]
mod tests;
