//! Journal entries: why they exist, their postings, and the shape every entry must have.
use crate::code::Code;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::string_enum;
use chrono::NaiveDate;

string_enum!(
    /// Why a journal entry exists.
    EntryKind {
        Manual => "manual",
        Reversal => "reversal",
        BudgetGrant => "budget_grant",
        BudgetAmendment => "budget_amendment",
        ExpenseApproved => "expense_approved",
        Payment => "payment",
        Installment => "installment",
        ClawbackClaimed => "clawback_claimed",
        ClawbackWaived => "clawback_waived",
        Overpayment => "overpayment",
        ClawbackRepaid => "clawback_repaid",
        Settlement => "settlement",
        LostEarnings => "lost_earnings",
    }
);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostingLine {
    pub account_id: String,
    pub debit: Money,
    pub credit: Money,
}

impl PostingLine {
    pub fn debit(account_id: impl Into<String>, amount: Money) -> Self {
        PostingLine {
            account_id: account_id.into(),
            debit: amount,
            credit: Money::ZERO,
        }
    }
    pub fn credit(account_id: impl Into<String>, amount: Money) -> Self {
        PostingLine {
            account_id: account_id.into(),
            debit: Money::ZERO,
            credit: amount,
        }
    }
}

/// An entry to be booked.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub effective_date: NaiveDate,
    pub description: String,
    pub postings: Vec<PostingLine>,
    pub reverses: Option<String>,
    pub source_type: Option<String>,
    pub source_id: Option<String>,
}

impl NewEntry {
    pub fn new(kind: EntryKind, effective_date: NaiveDate, description: impl Into<String>) -> Self {
        NewEntry {
            kind,
            effective_date,
            description: description.into(),
            postings: vec![],
            reverses: None,
            source_type: None,
            source_id: None,
        }
    }
    pub fn source(mut self, ty: &str, id: &str) -> Self {
        self.source_type = Some(ty.to_string());
        self.source_id = Some(id.to_string());
        self
    }
    pub fn line(mut self, p: PostingLine) -> Self {
        self.postings.push(p);
        self
    }
    /// Moves `amount` from `from` (debited) to `to` (credited).
    pub fn lines(mut self, lines: impl IntoIterator<Item = PostingLine>) -> Self {
        self.postings.extend(lines);
        self
    }

    pub fn transfer(self, debit: &str, credit: &str, amount: Money) -> Self {
        self.line(PostingLine::debit(debit, amount))
            .line(PostingLine::credit(credit, amount))
    }
}

pub const MAX_DESCRIPTION: usize = 500;
pub const MAX_POSTINGS: usize = 200;

/// The shape rules of any entry, checked before anything touches the database.
pub fn validate_entry(e: &NewEntry) -> Result<()> {
    crate::error::check_text(
        Code::InvalidDescription,
        "description",
        &e.description,
        MAX_DESCRIPTION,
        &format!("a journal entry needs a description of 1 to {MAX_DESCRIPTION} characters"),
    )?;
    if e.postings.len() < 2 {
        return Err(Error::field(
            Code::TooFewPostings,
            "postings",
            "a journal entry needs at least two postings (double entry)",
        ));
    }
    if e.postings.len() > MAX_POSTINGS {
        return Err(Error::field(
            Code::TooManyPostings,
            "postings",
            format!("a journal entry may have at most {MAX_POSTINGS} postings"),
        ));
    }
    check_sides(e.postings.iter().map(|p| (p.debit, p.credit)))?;
    let debits = e
        .postings
        .iter()
        .try_fold(Money::ZERO, |a, p| a.checked_add(p.debit));
    let credits = e
        .postings
        .iter()
        .try_fold(Money::ZERO, |a, p| a.checked_add(p.credit));
    match (debits, credits) {
        (Some(d), Some(c)) if d == c => Ok(()),
        (Some(d), Some(c)) => Err(Error::field(
            Code::UnbalancedEntry,
            "postings",
            format!("the sum of debits ({d}) must equal the sum of credits ({c})"),
        )),
        _ => Err(Error::field(
            Code::InvalidAmount,
            "postings",
            "the amounts are too large",
        )),
    }
}

/// Every posting has exactly one side, with an amount above zero; all offenders are named.
fn check_sides(sides: impl Iterator<Item = (Money, Money)>) -> Result<()> {
    let msg = "a posting has exactly one of debit or credit, and its amount is greater than 0.00";
    let mut err: Option<Error> = None;
    for (i, (debit, credit)) in sides.enumerate() {
        let one_side = (debit.is_positive() && credit == Money::ZERO)
            || (credit.is_positive() && debit == Money::ZERO);
        if !one_side {
            let field = format!("postings[{i}]");
            err = Some(match err {
                None => Error::field(Code::InvalidPosting, &field, msg),
                Some(e) => e.with_field(&field, msg),
            });
        }
    }
    err.map_or(Ok(()), Err)
}

/// Postings as a client sends them (either side may be missing): exactly one side each.
pub fn lines_from_sides(
    postings: Vec<(String, Option<Money>, Option<Money>)>,
) -> Result<Vec<PostingLine>> {
    let msg = "a posting has exactly one of debit or credit";
    let mut err: Option<Error> = None;
    let mut out = Vec::with_capacity(postings.len());
    for (i, (account_id, debit, credit)) in postings.into_iter().enumerate() {
        match (debit, credit) {
            (Some(d), None) => out.push(PostingLine::debit(account_id, d)),
            (None, Some(c)) => out.push(PostingLine::credit(account_id, c)),
            _ => {
                let field = format!("postings[{i}]");
                err = Some(match err {
                    None => Error::field(Code::InvalidPosting, &field, msg),
                    Some(e) => e.with_field(&field, msg),
                });
            }
        }
    }
    err.map_or(Ok(out), Err)
}

/// Totals per account that an entry adds, with accounts in a fixed order so that concurrent
/// writers always lock rows in the same order and cannot deadlock.
pub fn totals_by_account(postings: &[PostingLine]) -> Vec<(String, Money, Money)> {
    let mut m: std::collections::BTreeMap<&str, (Money, Money)> = Default::default();
    for p in postings {
        let t = m.entry(p.account_id.as_str()).or_default();
        t.0 += p.debit;
        t.1 += p.credit;
    }
    m.into_iter()
        .map(|(k, (d, c))| (k.to_string(), d, c))
        .collect()
}

/// What a booked entry is, as far as a reversal needs to know.
pub struct Booked<'a> {
    pub id: &'a str,
    pub kind: EntryKind,
    pub description: &'a str,
    pub reversed_by: Option<&'a str>,
    pub postings: Vec<PostingLine>,
    pub source_type: Option<&'a str>,
    pub source_id: Option<&'a str>,
}

/// The reversal of a booked entry: its postings mirrored, linked to it, on `date`. Only manual
/// entries (and reversals) are reversed by hand; an entry is reversed at most once.
pub fn reversal(
    original: &Booked,
    date: NaiveDate,
    description: Option<String>,
) -> Result<NewEntry> {
    if !matches!(original.kind, EntryKind::Manual | EntryKind::Reversal) {
        return Err(Error::rule(
            Code::EntryNotManuallyReversible,
            format!(
                "entry {} was booked by a {} decision; it is corrected through that decision (an amendment, a rejection, a reversal of the payment), not by a manual reversal",
                original.id, original.kind
            ),
        ));
    }
    if original.reversed_by.is_some() {
        return Err(already_reversed(original.id));
    }
    let description = description
        .unwrap_or_else(|| format!("Reversal of {}: {}", original.id, original.description));
    Ok(mirror(original, date, description))
}

/// The mirror of a booked entry, linked to it and to its source. The caller has checked that the
/// entry may be reversed (a decision's own correction, or a manual reversal) and is not yet.
pub fn mirror(original: &Booked, date: NaiveDate, description: String) -> NewEntry {
    let mut entry = NewEntry::new(EntryKind::Reversal, date, description);
    entry.postings = original
        .postings
        .iter()
        .map(|p| PostingLine {
            account_id: p.account_id.clone(),
            debit: p.credit,
            credit: p.debit,
        })
        .collect();
    entry.reverses = Some(original.id.to_string());
    entry.source_type = original.source_type.map(str::to_string);
    entry.source_id = original.source_id.map(str::to_string);
    entry
}

pub fn already_reversed(id: &str) -> Error {
    Error::conflict(
        Code::AlreadyReversed,
        format!("journal entry {id} has already been reversed; an entry is reversed at most once"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
    }

    #[test]
    fn rejects_unbalanced_and_one_legged() {
        let e = NewEntry::new(EntryKind::Manual, d(), "x")
            .line(PostingLine::debit("a", Money::kroner(1)))
            .line(PostingLine::credit("b", Money::kroner(2)));
        assert_eq!(validate_entry(&e).unwrap_err().code, Code::UnbalancedEntry);
        let e = NewEntry::new(EntryKind::Manual, d(), "x")
            .line(PostingLine::debit("a", Money::kroner(1)));
        assert_eq!(validate_entry(&e).unwrap_err().code, Code::TooFewPostings);
        let e = NewEntry::new(EntryKind::Manual, d(), "x")
            .line(PostingLine::debit("a", Money::ZERO))
            .line(PostingLine::credit("b", Money::ZERO));
        let err = validate_entry(&e).unwrap_err();
        assert_eq!(err.code, Code::InvalidPosting);
        assert_eq!(err.errors.len(), 2);
    }

    #[test]
    fn reversal_mirrors_and_refuses_decisions() {
        let booked = Booked {
            id: "e1",
            kind: EntryKind::Manual,
            description: "x",
            reversed_by: None,
            postings: vec![
                PostingLine::debit("a", Money::kroner(5)),
                PostingLine::credit("b", Money::kroner(5)),
            ],
            source_type: None,
            source_id: None,
        };
        let r = reversal(&booked, d(), None).unwrap();
        assert_eq!(r.postings[0], PostingLine::credit("a", Money::kroner(5)));
        assert_eq!(r.reverses.as_deref(), Some("e1"));
        let twice = Booked {
            reversed_by: Some("e2"),
            ..booked
        };
        assert_eq!(
            reversal(&twice, d(), None).unwrap_err().code,
            Code::AlreadyReversed
        );
        let decided = Booked {
            kind: EntryKind::ExpenseApproved,
            reversed_by: None,
            ..twice
        };
        assert_eq!(
            reversal(&decided, d(), None).unwrap_err().code,
            Code::EntryNotManuallyReversible
        );
    }
}
