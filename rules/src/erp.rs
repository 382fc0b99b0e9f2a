//! Bekendtgørelse om kommunernes budget- og regnskabsvæsen, revision m.v.; Indenrigsministeriets Budget- og regnskabssystem for kommuner (the authorised municipal chart of accounts): each ledger account is mapped to a function (d.dd.dd), a dranst (one digit) and an art (d.d), checked by form; the budget memo accounts are not in the financial export.
use bookkeeping::{AccountKind, Code, Error, Result};
use std::collections::HashSet;

pub const LEGAL: &str = "Budget- og regnskabssystem for kommuner: the authorised chart of accounts, function d.dd.dd, dranst d, art d.d";

/// A mapping of one ledger account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub account_code: String,
    pub function: String,
    pub dranst: String,
    pub art: String,
}

/// Whether `s` has the form of `pattern`, where `d` is a digit and anything else is itself.
fn shaped(s: &str, pattern: &str) -> bool {
    s.len() == pattern.len()
        && s.chars().zip(pattern.chars()).all(|(c, p)| match p {
            'd' => c.is_ascii_digit(),
            p => c == p,
        })
}

/// The request's own form, before anything is read: at least one account, each once, each
/// field in its form (the accounts themselves are checked by `check` once they are read).
pub fn check_form(mappings: &[Mapping]) -> Result<()> {
    check(mappings, |_| Some(AccountKind::Asset))
}

/// A whole mapping: at least one account, each once, each an account of the municipality that
/// is not a memo account, each field in its form. `kind_of` gives an account code's kind.
pub fn check(mappings: &[Mapping], kind_of: impl Fn(&str) -> Option<AccountKind>) -> Result<()> {
    if mappings.is_empty() || mappings.len() > 1000 {
        return Err(Error::field(
            Code::InvalidAccountMapping,
            "mappings",
            "a mapping maps 1-1000 accounts",
        ));
    }
    let mut seen = HashSet::new();
    let mut errors: Option<Error> = None;
    let mut fail = |field: String, msg: String| {
        let e = errors.get_or_insert_with(|| {
            Error::rule(
                Code::InvalidAccountMapping,
                "the mapping has fields that are not in the form of the authorised chart of accounts or name no account to map",
            )
            .legal(LEGAL)
        });
        e.errors.push(bookkeeping::error::FieldError {
            field,
            code: Code::InvalidAccountMapping,
            message: msg,
        });
    };
    for (i, m) in mappings.iter().enumerate() {
        let f = |n: &str| format!("mappings[{i}].{n}");
        if m.account_code.is_empty() || m.account_code.chars().count() > 100 {
            fail(
                f("account_code"),
                "an account code is 1-100 characters".into(),
            );
            continue;
        }
        match kind_of(&m.account_code) {
            None => fail(
                f("account_code"),
                format!("no account {:?}", m.account_code),
            ),
            Some(AccountKind::Budget) => fail(
                f("account_code"),
                "a budget memo account is not in the financial export".into(),
            ),
            Some(_) => {}
        }
        if !seen.insert(m.account_code.as_str()) {
            fail(f("account_code"), "each account is mapped once".into());
        }
        if !shaped(&m.function, "d.dd.dd") {
            fail(f("function"), "a function is d.dd.dd, e.g. 5.28.21".into());
        }
        if !shaped(&m.dranst, "d") {
            fail(f("dranst"), "a dranst is one digit, e.g. 1".into());
        }
        if !shaped(&m.art, "d.d") {
            fail(f("art"), "an art is d.d, e.g. 5.2".into());
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(code: &str, f: &str, d: &str, a: &str) -> Mapping {
        Mapping {
            account_code: code.into(),
            function: f.into(),
            dranst: d.into(),
            art: a.into(),
        }
    }

    #[test]
    fn forms_are_checked() {
        let kind = |c: &str| match c {
            "5110" => Some(AccountKind::Expense),
            "9000" => Some(AccountKind::Budget),
            _ => None,
        };
        assert!(check(&[m("5110", "5.28.21", "1", "5.2")], kind).is_ok());
        let e = check(
            &[
                m("5110", "5.28.2", "12", "52"),
                m("9000", "5.28.21", "1", "5.2"),
                m("x", "5.28.21", "1", "5.2"),
            ],
            kind,
        )
        .unwrap_err();
        assert_eq!(e.code, Code::InvalidAccountMapping);
        assert_eq!(e.errors.len(), 5, "{:?}", e.errors);
        assert!(check(&[], kind).is_err());
    }
}
