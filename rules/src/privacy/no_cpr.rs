//! Data minimisation (GDPR art. 5(1)(c)): the ledger never stores a CPR number; cases are named by the case system's reference.
//!
//! One detector, [`contains_cpr`], guards references and free text alike. Two detectors with
//! different ideas of what a CPR number looks like were each dodged by what the other caught,
//! and both by separators and look-alike characters (a security review got 15 of 23 disguises
//! through). The detector reads text as a person does: in the normal form of
//! [`super::normal_form`], where full-width and other scripts' digits are ASCII digits and
//! characters that print as nothing are gone.
use super::normal_form::{fold, is_invisible, visible_folded};
use bookkeeping::{Code, Error, Result};

pub const LEGAL: &str = "Data minimisation (GDPR art. 5(1)(c)): the ledger identifies cases by the case system's reference, never by CPR number";

/// The widest gap of separators between two digits that still joins them into one number:
/// "010190 - 1234" needs three. A run of whitespace counts as one, since padding with spaces
/// hides nothing from a reader. Wider gaps are read as separating two numbers.
const MAX_GAP: usize = 3;

/// True when `s` holds a CPR number, however it is written.
///
/// A CPR number is ten digits DDMMYY-SSSS whose first six are a date. After normalising
/// (see [`visible_folded`]) the text is read as runs of digits, where a run goes on across
/// short gaps of separators (any character that is neither letter nor digit: space, tab,
/// no-break space, '.', '-', '/', dashes, minus sign, …; see [`MAX_GAP`]). A run
/// is a CPR number when it has exactly ten digits, the first six a real day and month, and it
/// is not an amount. A run of more digits is a longer number (an invoice or account number)
/// and is left alone. Letters next to the run do not save it: "CPR0101901234" and
/// "cpr:010190-1234" are still CPR numbers, while letters inside a run end it, so references
/// such as "SAG-2025-0042" and UUIDs are read as the short numbers they hold.
///
/// The modulus-11 check is not applied: CPR numbers issued since 2007 need not pass it.
pub fn contains_cpr(s: &str) -> bool {
    // Fewer than ten characters that read as digits hold no ten-digit run: most references and
    // names are answered here, without building the normal form.
    let digits = s
        .chars()
        .filter(|&c| !is_invisible(c) && fold(c).is_ascii_digit())
        .take(10)
        .count();
    if digits < 10 {
        return false;
    }
    let mut text: Vec<char> = visible_folded(s).chars().collect();
    mask_uuids(&mut text);
    // Bound first: the iterator borrows `text` and must be dropped before it (edition 2021).
    let found =
        runs(&text).any(|run| run.digits.len() == 10 && !run.is_amount() && is_ddmmyy(&run.digits));
    found
}

/// Kept for callers in other crates: the same detector as [`contains_cpr`].
pub fn looks_like_cpr(s: &str) -> bool {
    contains_cpr(s)
}

/// Kept for callers in other crates: the same detector as [`contains_cpr`].
pub fn mentions_cpr(s: &str) -> bool {
    contains_cpr(s)
}

/// A run of digits as written: its digits, the lengths of the chunks between separators and
/// the separators between consecutive chunks.
#[derive(Default)]
struct Run {
    digits: Vec<u8>,
    chunks: Vec<usize>,
    gaps: Vec<Vec<char>>,
}

impl Run {
    /// An amount, "10119012.34" or "10.119.012,34": whole kroner, optionally in groups of
    /// three, and two øre digits after a lone decimal point or comma. Its digits are not
    /// a CPR number even when they happen to count ten.
    fn is_amount(&self) -> bool {
        let (Some(&ore), Some(point)) = (self.chunks.last(), self.gaps.last()) else {
            return false;
        };
        let lone = |g: &[char], ok: fn(char) -> bool| g.len() == 1 && ok(g[0]);
        let groups = &self.chunks[1..self.chunks.len() - 1];
        ore == 2
            && lone(point, |c| matches!(c, '.' | ','))
            && groups.iter().all(|&n| n == 3)
            && self.gaps[..self.gaps.len() - 1]
                .iter()
                .all(|g| lone(g, |c| matches!(c, '.' | ',') || c.is_whitespace()))
    }
}

fn is_separator(c: char) -> bool {
    !c.is_alphanumeric()
}

/// The width of a gap of separators, a run of whitespace counting as one.
fn width(gap: &[char]) -> usize {
    let starts =
        |(i, c): (usize, &char)| !c.is_whitespace() || i == 0 || !gap[i - 1].is_whitespace();
    gap.iter().enumerate().filter(|&p| starts(p)).count()
}

/// A comma or semicolon followed by a space separates list items ("010190-1234, 2 timer"),
/// so the numbers on either side are read apart.
fn ends_item(gap: &[char]) -> bool {
    gap.windows(2)
        .any(|w| matches!(w[0], ',' | ';') && w[1].is_whitespace())
}

/// The runs of digits in normalised text, in order.
fn runs(text: &[char]) -> impl Iterator<Item = Run> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < text.len() && !text[i].is_ascii_digit() {
            i += 1;
        }
        if i == text.len() {
            return None;
        }
        let mut run = Run::default();
        loop {
            let start = i;
            while i < text.len() && text[i].is_ascii_digit() {
                run.digits.push(text[i] as u8 - b'0');
                i += 1;
            }
            run.chunks.push(i - start);
            let mut j = i;
            while j < text.len() && is_separator(text[j]) {
                j += 1;
            }
            let gap = &text[i..j];
            let joins = j < text.len()
                && text[j].is_ascii_digit()
                && width(gap) <= MAX_GAP
                && !ends_item(gap);
            if !joins {
                return Some(run);
            }
            run.gaps.push(gap.to_vec());
            i = j;
        }
    })
}

/// UUIDs ("01a24e44-a8db-721a-909a-91cbbb8f8ce6") are identifiers, not numbers: their hex
/// digits are blanked out so that a stretch of decimal ones is never read as a CPR number.
fn mask_uuids(text: &mut [char]) {
    const SHAPE: &[u8; 36] = b"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    let alnum = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut i = 0;
    while i + SHAPE.len() <= text.len() {
        let fits = SHAPE.iter().zip(&text[i..]).all(|(&p, &c)| {
            if p == b'-' {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
        let apart =
            !alnum(i.checked_sub(1).and_then(|p| text.get(p))) && !alnum(text.get(i + SHAPE.len()));
        if fits && apart {
            text[i..i + SHAPE.len()].fill('x');
            i += SHAPE.len();
        } else {
            i += 1;
        }
    }
}

/// The first six digits are a day and month that exist (DDMMYY; any year, and 29 February
/// always, since the century is not known).
fn is_ddmmyy(d: &[u8]) -> bool {
    let day = d[0] * 10 + d[1];
    let last = match d[2] * 10 + d[3] {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=last).contains(&day)
}

fn cpr_error(field: &str) -> Error {
    Error::field(
        Code::CprNumberNotAllowed,
        field,
        format!("{field} looks like it holds a CPR number; the ledger never stores personal identification numbers: use the case system's reference"),
    )
    .legal(LEGAL)
}

/// A reference field: a CPR number, however written, is refused.
pub fn reject_in_reference(field: &str, value: &str) -> Result<()> {
    if contains_cpr(value) {
        return Err(cpr_error(field));
    }
    Ok(())
}

/// A free-text field: a CPR number mentioned in it, however written, is refused.
pub fn reject_in_text(field: &str, value: &str) -> Result<()> {
    if contains_cpr(value) {
        return Err(cpr_error(field));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 23 disguises of 010190-1234 from the security review.
    const DISGUISES: [&str; 23] = [
        "01 01 90 1234",
        "01.01.90-1234",
        "010190.1234",
        "01/01/90-1234",
        "010190\u{2013}1234",
        "010190\u{FF0D}1234",
        "010190\u{00A0}1234",
        "010190\u{200B}1234",
        "010190\u{00AD}1234",
        "\u{0660}\u{0661}\u{0660}\u{0661}\u{0669}\u{0660}\u{0661}\u{0662}\u{0663}\u{0664}",
        "CPR0101901234",
        "010190\t1234",
        "０１０１９０１２３４",
        "cpr: 010190-1234",
        "0101 901234",
        "01-01-90-1234",
        "010190\u{2014}1234",
        "010190\u{2212}1234",
        "010190\u{2011}1234",
        "0 1 0 1 9 0 1 2 3 4",
        "010190 - 1234",
        "CPR-nr. 010190-1234",
        "x010190-1234y",
    ];

    #[test]
    fn every_disguise_is_caught() {
        for s in DISGUISES {
            assert!(contains_cpr(s), "{s:?}");
            assert!(reject_in_reference("external_ref", s).is_err(), "{s:?}");
            assert!(
                reject_in_text("reason", &format!("barn {s} træner")).is_err(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn plain_and_mixed_forms_are_caught() {
        for s in [
            "0101901234",
            "010190-1234",
            "ref 010190-1234 x",
            "barn ０１０１９０-１２３４",
            "barnet 010190 1234 træner",
            "id a0101901234b",
            "010190-1234, 2 timer",
            "\u{06F0}\u{06F1}\u{06F0}\u{06F1}\u{06F9}\u{06F0}-\u{06F1}\u{06F2}\u{06F3}\u{06F4}",
            "\u{0966}\u{0967}\u{0966}\u{0967}\u{096F}\u{0966}\u{0967}\u{0968}\u{0969}\u{096A}",
            "01.01.90.12.34",
            "290290-1234",
            "311299-0000",
            "010190/1234",
            "010190_1234",
            "010190    1234",
            "010190 \t - \u{00A0} 1234",
            "010190\u{202E}-\u{202C}1234",
        ] {
            assert!(contains_cpr(s), "{s:?}");
        }
    }

    #[test]
    fn ordinary_references_pass() {
        for s in [
            "SAG-2025-0042",
            "INV-123456",
            "LS-1001",
            "H-7",
            "1234.50",
            "100000000.00",
            "10119012.34",
            "10.119.012,34",
            "2025-03-01",
            "01-03-2025",
            "01.02.2025-28.02.2025",
            "DK5000400440116243",
            "01a24e44-a8db-721a-909a-91cbbb8f8ce6",
            "ab010190-1234-4def-8abc-0123456789ab",
            "+45 33 66 33 66",
            "1234567890",
            "123456789",
            "01019012345",
            "010190-1234-5",
            "invoice 20250101 1234 5678",
            "invoice 9999901234",
            "faktura 123456 7890",
            "310290-1234",
            "310490-1234",
            "000190-1234",
            "011390-1234",
            "010190 -- - 1234",
            "",
        ] {
            assert!(!contains_cpr(s), "{s:?}");
            assert!(reject_in_reference("external_ref", s).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn old_names_use_the_same_detector() {
        for s in [
            "01 01 90 1234",
            "CPR0101901234",
            "SAG-2025-0042",
            "1234567890",
        ] {
            assert_eq!(looks_like_cpr(s), contains_cpr(s), "{s:?}");
            assert_eq!(mentions_cpr(s), contains_cpr(s), "{s:?}");
        }
    }

    #[test]
    fn refusals_name_the_field() {
        let e = reject_in_text("reason", "barn 010190-1234").unwrap_err();
        assert_eq!(e.code, Code::CprNumberNotAllowed);
        assert_eq!(e.errors[0].field, "reason");
        let e = reject_in_reference("external_ref", "01 01 90 1234").unwrap_err();
        assert_eq!(e.code, Code::CprNumberNotAllowed);
        assert_eq!(e.errors[0].field, "external_ref");
        assert!(reject_in_reference("external_ref", "SAG-1").is_ok());
    }
}
