//! Bekendtgørelse om kommunernes budget- og regnskabsvæsen, revision m.v. (afstemning af
//! likvide beholdninger), with the ISO 20022 camt.053 message definition (Bank-to-Customer
//! Statement) as the bank's statement: a statement holds together, its opening balance plus its
//! lines is its closing balance, to the øre. A file whose figures do not add up is not the
//! bank's statement and is refused whole.
use bookkeeping::{Code, Error, Money, Result};

pub const LEGAL: &str = "ISO 20022 camt.053 (Bank-to-Customer Statement): opening booked balance + entries = closing booked balance";

/// Opening plus the lines must be the closing balance, when the statement gives both.
pub fn check_balances(opening: Option<i64>, lines: &[i64], closing: Option<i64>) -> Result<()> {
    let (Some(o), Some(c)) = (opening, closing) else {
        return Ok(());
    };
    let sum: i128 = lines.iter().map(|l| *l as i128).sum();
    if o as i128 + sum != c as i128 {
        return Err(Error::rule(
            Code::InvalidBankStatement,
            format!(
                "the opening balance {} plus the lines {} is not the closing balance {}",
                Money::from_ore(o),
                Money::from_ore(sum as i64),
                Money::from_ore(c)
            ),
        )
        .legal(LEGAL));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balances_add_up_or_the_file_is_refused() {
        assert!(check_balances(Some(1_000), &[-300, 50], Some(750)).is_ok());
        assert!(check_balances(None, &[-300], Some(750)).is_ok());
        let e = check_balances(Some(1_000), &[-300], Some(750)).unwrap_err();
        assert_eq!(e.code, Code::InvalidBankStatement);
    }
}
