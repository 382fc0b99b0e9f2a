//! Data minimisation (GDPR art. 5(1)(c)): the ledger never stores a CPR number; cases are named by the case system's reference.
use bookkeeping::{Code, Error, Result};

pub const LEGAL: &str = "Data minimisation (GDPR art. 5(1)(c)): the ledger identifies cases by the case system's reference, never by CPR number";

/// Digits as ASCII whatever script they are written in (full-width digits keep their value;
/// other scripts' digits count as digits), so "０１０１９０１２３４" is seen for what it is.
fn ascii_digits(s: &str, drop_spaces: bool) -> String {
    s.chars()
        .filter(|c| !(drop_spaces && c.is_whitespace()))
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            c if c.is_numeric() && !c.is_ascii_digit() => '0',
            c => c,
        })
        .collect()
}

/// True when a reference holds something shaped like a CPR number: ten digits, optionally with
/// a dash after the sixth, not part of a longer run of digits. Spaces are ignored, so
/// "010190 1234" and "01 01 90 1234" are caught too.
pub fn looks_like_cpr(s: &str) -> bool {
    cpr_candidates(&ascii_digits(s, true), |b: u8| b.is_ascii_digit())
        .next()
        .is_some()
}

/// True when free text mentions a CPR number: the same shape, standing apart from letters and
/// digits, and starting with a real day and month (DDMMYY), so that ids and invoice numbers
/// inside text are not mistaken for one.
pub fn mentions_cpr(s: &str) -> bool {
    cpr_candidates(&ascii_digits(s, false), |b: u8| b.is_ascii_alphanumeric()).any(|d| {
        let day = (d[0] - b'0') * 10 + (d[1] - b'0');
        let month = (d[2] - b'0') * 10 + (d[3] - b'0');
        (1..=31).contains(&day) && (1..=12).contains(&month)
    })
}

/// The first six digits of every CPR-shaped run whose neighbours fail `joins`.
fn cpr_candidates<F: Fn(u8) -> bool>(
    s: &str,
    joins: F,
) -> impl Iterator<Item = [u8; 6]> + use<'_, F> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    (0..b.len()).filter_map(move |i| {
        if !digit(i) || (i > 0 && joins(b[i - 1])) || !(i..i + 6).all(digit) {
            return None;
        }
        // The last four digits may follow a dash or a space: 010190-1234, 010190 1234.
        let rest = if matches!(b.get(i + 6), Some(b'-') | Some(b' ')) {
            i + 7
        } else {
            i + 6
        };
        let after = b.get(rest + 4).copied();
        ((rest..rest + 4).all(digit) && !after.is_some_and(&joins))
            .then(|| [b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5]])
    })
}

fn cpr_error(field: &str) -> Error {
    Error::field(
        Code::CprNumberNotAllowed,
        field,
        format!("{field} looks like it holds a CPR number; the ledger never stores personal identification numbers: use the case system's reference"),
    )
    .legal(LEGAL)
}

/// A reference field: anything CPR-shaped is refused.
pub fn reject_in_reference(field: &str, value: &str) -> Result<()> {
    if looks_like_cpr(value) {
        return Err(cpr_error(field));
    }
    Ok(())
}

/// A free-text field: a CPR number mentioned in it is refused.
pub fn reject_in_text(field: &str, value: &str) -> Result<()> {
    if mentions_cpr(value) {
        return Err(cpr_error(field));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpr_shapes() {
        assert!(looks_like_cpr("0101901234"));
        assert!(looks_like_cpr("010190-1234"));
        assert!(looks_like_cpr("ref 010190-1234 x"));
        assert!(!looks_like_cpr("SAG-2025-0042"));
        assert!(!looks_like_cpr("01019012345"));
        assert!(!looks_like_cpr("123456789"));
        assert!(looks_like_cpr("1234567890"));
        assert!(mentions_cpr("child 010190-1234 trains"));
        assert!(!mentions_cpr("id a0101901234b"));
        assert!(!mentions_cpr("invoice 9999901234"));
        assert!(looks_like_cpr("01 01 90 1234"));
        assert!(looks_like_cpr("010190 1234"));
        assert!(looks_like_cpr("０１０１９０１２３４"));
        assert!(mentions_cpr("barn ０１０１９０-１２３４"));
        assert!(mentions_cpr("barnet 010190 1234 træner"));
        assert!(!mentions_cpr("faktura 123456 7890"));
    }

    #[test]
    fn refusals_name_the_field() {
        let e = reject_in_text("reason", "barn 010190-1234").unwrap_err();
        assert_eq!(e.code, Code::CprNumberNotAllowed);
        assert_eq!(e.errors[0].field, "reason");
        assert!(reject_in_reference("external_ref", "SAG-1").is_ok());
    }
}
