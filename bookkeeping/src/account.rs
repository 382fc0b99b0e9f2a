//! Accounts: what they are, which side their balance is on, the limit a constraint sets on their
//! running totals, and what a new account may look like.
use crate::code::Code;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::string_enum;

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
    #[inline]
    pub fn is_debit_natured(self) -> bool {
        matches!(self, AccountKind::Asset | AccountKind::Expense)
    }

    #[inline]
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
    #[inline]
    pub fn holds(self, debits: Money, credits: Money) -> bool {
        match self {
            BalanceConstraint::None => true,
            BalanceConstraint::DebitsMustNotExceedCredits => debits <= credits,
            BalanceConstraint::CreditsMustNotExceedDebits => credits <= debits,
        }
    }
}

/// An account's identity and running totals, as read under its row lock while an entry posts.
#[derive(Clone, Debug)]
pub struct Locked {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub constraint: BalanceConstraint,
    pub debits: Money,
    pub credits: Money,
}

/// The constraint on the running totals, checked after an entry has been added to them.
pub fn check_constraint(t: &Locked) -> Result<()> {
    if t.constraint.holds(t.debits, t.credits) {
        return Ok(());
    }
    Err(Error::rule(
        Code::BalanceConstraintViolated,
        format!(
            "account {} ({}) has the constraint {}: the entry would make its debits {} and credits {}",
            t.code, t.name, t.constraint, t.debits, t.credits
        ),
    )
    .with_field(
        "postings",
        format!("account {} would break its balance constraint", t.id),
    ))
}

/// A new account's code and name: codes are short identifiers, names are readable text.
pub fn check_new(code: &str, name: &str) -> Result<()> {
    let code_ok = !code.is_empty()
        && code.len() <= 32
        && code
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
    if !code_ok {
        return Err(Error::field(
            Code::InvalidAccountCode,
            "code",
            "an account code is 1-32 letters, digits, '.', '-' or '_'",
        ));
    }
    crate::error::check_text(
        Code::InvalidName,
        "name",
        name,
        200,
        "an account name is 1-200 characters",
    )
}

/// A posting names an account the municipality does not have.
pub fn unknown_in_postings(id: &str) -> Error {
    Error::field(
        Code::AccountNotFound,
        "postings",
        format!("account {id} does not exist"),
    )
}

/// A new account names a parent the municipality does not have.
pub fn unknown_parent(id: &str) -> Error {
    Error::field(
        Code::AccountNotFound,
        "parent_id",
        format!("parent account {id} does not exist"),
    )
}

pub fn code_taken(code: &str) -> Error {
    Error::conflict(
        Code::AccountCodeTaken,
        format!("an account with code {code} already exists in this municipality"),
    )
    .with_field("code", "account codes are unique per municipality")
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn account_codes() {
        assert!(check_new("1010", "Bank").is_ok());
        assert_eq!(
            check_new("10 10", "Bank").unwrap_err().code,
            Code::InvalidAccountCode
        );
        assert_eq!(check_new("1010", " ").unwrap_err().code, Code::InvalidName);
    }
}
