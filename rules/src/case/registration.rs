//! Barnets lov § 85, stk. 1: a case is registered once the municipality has approved home training; it is named by the case system's reference.
use super::age_limit;
use crate::privacy::no_cpr;
use bookkeeping::{string_enum, Code, Error, Result};
use chrono::NaiveDate;

pub const LEGAL: &str =
    "Barnets lov § 85, stk. 1: the municipality approves that parents train their child at home";

string_enum!(
    /// Full home training instead of a municipal offer, or partial beside one.
    Scope {
        Full => "full",
        Partial => "partial",
    }
);

#[derive(Clone, Debug)]
pub struct NewCase {
    pub external_ref: String,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: Scope,
}

/// A new case: a reference that is not a CPR number, dates in their order, a child under 18,
/// and an approval that has happened.
pub fn check(c: &NewCase, today: NaiveDate) -> Result<()> {
    let r = c.external_ref.trim();
    if r.is_empty() || r.chars().count() > 64 {
        return Err(Error::field(
            Code::InvalidExternalRef,
            "external_ref",
            "the case reference is 1-64 characters",
        ));
    }
    no_cpr::reject_in_reference("external_ref", r)?;
    if c.child_birth_date > c.application_date {
        return Err(Error::field(
            Code::InvalidBirthDate,
            "child_birth_date",
            "the child's birth date cannot be after the application date",
        ));
    }
    age_limit::check_under_18(c.child_birth_date, c.application_date)?;
    if c.approval_date > today {
        return Err(Error::field(
            Code::ApprovalInFuture,
            "approval_date",
            "a case is registered once approved; the approval date cannot be in the future",
        ));
    }
    if c.approval_date < c.application_date {
        return Err(Error::field(
            Code::InvalidApprovalDate,
            "approval_date",
            "the approval date cannot be before the application date",
        ));
    }
    Ok(())
}

/// Case references are unique per municipality.
pub fn ref_taken(external_ref: &str) -> Error {
    Error::conflict(
        Code::CaseRefTaken,
        format!("a case with reference {external_ref} already exists (references are compared ignoring case, width and invisible characters)"),
    )
    .with_field("external_ref", "unique per municipality")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(r: &str, birth: &str, app: &str, approval: &str) -> NewCase {
        NewCase {
            external_ref: r.into(),
            child_birth_date: birth.parse().unwrap(),
            application_date: app.parse().unwrap(),
            approval_date: approval.parse().unwrap(),
            scope: Scope::Full,
        }
    }

    #[test]
    fn accepts_and_refuses() {
        let today = "2025-06-01".parse().unwrap();
        let code = |c: NewCase| check(&c, today).err().map(|e| e.code);
        assert_eq!(
            code(case("SAG-1", "2019-01-01", "2025-01-01", "2025-02-01")),
            None
        );
        assert_eq!(
            code(case(
                "010190-1234",
                "2019-01-01",
                "2025-01-01",
                "2025-02-01"
            )),
            Some(Code::CprNumberNotAllowed)
        );
        assert_eq!(
            code(case("SAG-1", "2025-03-01", "2025-01-01", "2025-02-01")),
            Some(Code::InvalidBirthDate)
        );
        assert_eq!(
            code(case("SAG-1", "2019-01-01", "2025-01-01", "2025-07-01")),
            Some(Code::ApprovalInFuture)
        );
        assert_eq!(
            code(case("SAG-1", "2019-01-01", "2025-01-01", "2024-12-01")),
            Some(Code::InvalidApprovalDate)
        );
        assert_eq!(
            code(case(" ", "2019-01-01", "2025-01-01", "2025-02-01")),
            Some(Code::InvalidExternalRef)
        );
    }
}
