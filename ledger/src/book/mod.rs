//! The double-entry core, pure: kinds, constraints, validation of an entry. The store applies it.
pub mod chart;

use crate::error::{Error, Result};
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

string_enum!(
    /// What an account is. `budget` accounts are memo accounts: they hold what a decision granted,
    /// balanced against the budget appropriation account, never against money accounts.
    AccountKind {
        Asset => "asset",
        Liability => "liability",
        Equity => "equity",
        Income => "income",
        Expense => "expense",
        Budget => "budget",
    }
);

impl AccountKind {
    /// Debit-natured accounts report debits − credits as their balance; the others credits − debits.
    pub fn is_debit_natured(self) -> bool {
        matches!(self, AccountKind::Asset | AccountKind::Expense)
    }

    pub fn balance(self, debits: Money, credits: Money) -> Money {
        if self.is_debit_natured() {
            debits - credits
        } else {
            credits - debits
        }
    }
}

string_enum!(
    /// A limit the ledger enforces on an account's running totals at every commit.
    BalanceConstraint {
        None => "none",
        DebitsMustNotExceedCredits => "debits_must_not_exceed_credits",
        CreditsMustNotExceedDebits => "credits_must_not_exceed_debits",
    }
);

impl BalanceConstraint {
    pub fn holds(self, debits: Money, credits: Money) -> bool {
        match self {
            BalanceConstraint::None => true,
            BalanceConstraint::DebitsMustNotExceedCredits => debits <= credits,
            BalanceConstraint::CreditsMustNotExceedDebits => credits <= debits,
        }
    }
}

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
        LostEarnings => "lost_earnings",
    }
);

string_enum!(
    /// The roles a token may carry.
    Role {
        Caseworker => "caseworker",
        Finance => "finance",
        PayrollFirm => "payroll_firm",
        Controller => "controller",
        Admin => "admin",
    }
);

/// Who acts, for whom, in which request: stamped on every entry.
#[derive(Clone, Debug)]
pub struct Actor {
    pub sub: String,
    pub role: Role,
    pub municipality: String,
    pub request_id: String,
}

impl Actor {
    pub fn require(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(Error::forbidden(format!(
                "role {} may not do this; it needs one of: {}",
                self.role,
                names.join(", ")
            )))
        }
    }
}

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
}

pub const MAX_DESCRIPTION: usize = 500;
pub const MAX_POSTINGS: usize = 200;

/// The shape rules of any entry, checked before anything touches the database.
pub fn validate_entry(e: &NewEntry) -> Result<()> {
    if e.description.trim().is_empty() || e.description.chars().count() > MAX_DESCRIPTION {
        return Err(Error::field(
            "invalid_description",
            "description",
            format!("a journal entry needs a description of 1 to {MAX_DESCRIPTION} characters"),
        ));
    }
    if e.postings.len() < 2 {
        return Err(Error::field(
            "too_few_postings",
            "postings",
            "a journal entry needs at least two postings (double entry)",
        ));
    }
    if e.postings.len() > MAX_POSTINGS {
        return Err(Error::field(
            "too_many_postings",
            "postings",
            format!("a journal entry may have at most {MAX_POSTINGS} postings"),
        ));
    }
    let mut err: Option<Error> = None;
    for (i, p) in e.postings.iter().enumerate() {
        let one_side = (p.debit.is_positive() && p.credit == Money::ZERO)
            || (p.credit.is_positive() && p.debit == Money::ZERO);
        if !one_side {
            let field = format!("postings[{i}]");
            let msg =
                "a posting has exactly one of debit or credit, and its amount is greater than 0.00";
            err = Some(match err {
                None => Error::field("invalid_posting", &field, msg),
                Some(e) => e.with_field(&field, msg),
            });
        }
    }
    if let Some(e) = err {
        return Err(e);
    }
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
            "unbalanced_entry",
            "postings",
            format!("the sum of debits ({d}) must equal the sum of credits ({c})"),
        )),
        _ => Err(Error::field(
            "invalid_amount",
            "postings",
            "the amounts are too large",
        )),
    }
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

/// The reversal of an entry's postings: every debit becomes a credit and vice versa.
pub fn reversed_postings(postings: &[PostingLine]) -> Vec<PostingLine> {
    postings
        .iter()
        .map(|p| PostingLine {
            account_id: p.account_id.clone(),
            debit: p.credit,
            credit: p.debit,
        })
        .collect()
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
        assert_eq!(validate_entry(&e).unwrap_err().code, "unbalanced_entry");
        let e = NewEntry::new(EntryKind::Manual, d(), "x")
            .line(PostingLine::debit("a", Money::kroner(1)));
        assert_eq!(validate_entry(&e).unwrap_err().code, "too_few_postings");
        let e = NewEntry::new(EntryKind::Manual, d(), "x")
            .line(PostingLine::debit("a", Money::ZERO))
            .line(PostingLine::credit("b", Money::ZERO));
        assert_eq!(validate_entry(&e).unwrap_err().code, "invalid_posting");
    }

    #[test]
    fn constraint_semantics() {
        let c = BalanceConstraint::DebitsMustNotExceedCredits;
        assert!(c.holds(Money::kroner(1), Money::kroner(1)));
        assert!(!c.holds(Money::kroner(2), Money::kroner(1)));
        assert_eq!(
            AccountKind::Budget.balance(Money::kroner(2), Money::kroner(5)),
            Money::kroner(3)
        );
        assert_eq!(
            AccountKind::Asset.balance(Money::kroner(2), Money::kroner(5)),
            Money::kroner(-3)
        );
    }
}
