//! Forvaltningsloven § 22: a refusal is given with its reasons; a rejected expense moves no money.
use crate::privacy::no_cpr;
use bookkeeping::{Code, Result};

/// A rejection needs a reason the family can read.
pub fn check_reason(reason: &str) -> Result<()> {
    bookkeeping::error::check_text(
        Code::InvalidReason,
        "reason",
        reason,
        500,
        "a rejection needs a reason of 1-500 characters",
    )?;
    no_cpr::reject_in_text("reason", reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        assert!(check_reason("not a training expense").is_ok());
        assert_eq!(check_reason("  ").unwrap_err().code, Code::InvalidReason);
        assert_eq!(
            check_reason("barn 010190-1234").unwrap_err().code,
            Code::CprNumberNotAllowed
        );
    }
}
