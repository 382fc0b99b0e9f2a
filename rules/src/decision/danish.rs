//! Retskrivningsordbogen (Dansk Sprognævn) on dates: a letter to a citizen writes
//! "7. december 2026" and "april 2024", never the ISO form the API speaks.
use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// `2026-12-07` → `7. december 2026`.
pub fn date(d: NaiveDate) -> String {
    format!("{}. {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// `2024-04` → `april 2024`; anything else unchanged.
pub fn month(m: &str) -> Option<String> {
    let (y, mm) = m.split_once('-')?;
    if y.len() != 4 || mm.len() != 2 || !y.bytes().chain(mm.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let i: usize = mm.parse().ok()?;
    (1..=12)
        .contains(&i)
        .then(|| format!("{} {y}", MONTHS[i - 1]))
}

/// Every ISO date in `text` (`YYYY-MM-DD`, not part of a longer run of digits) in Danish; a
/// value that is a month alone (`YYYY-MM`) as a month. Everything else as it was.
pub fn in_text(text: &str) -> String {
    if let Some(m) = month(text) {
        return m;
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if i + 10 <= b.len() && is_iso_at(b, i) {
            if let Ok(d) = NaiveDate::parse_from_str(&text[i..i + 10], "%Y-%m-%d") {
                out.push_str(&date(d));
                i += 10;
                continue;
            }
        }
        let c = text[i..].chars().next().expect("inside the text");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn is_iso_at(b: &[u8], i: usize) -> bool {
    let digit = |k: usize| b[i + k].is_ascii_digit();
    (i == 0 || !b[i - 1].is_ascii_digit())
        && (i + 10 == b.len() || !b[i + 10].is_ascii_digit())
        && (0..4).all(digit)
        && b[i + 4] == b'-'
        && (5..7).all(digit)
        && b[i + 7] == b'-'
        && (8..10).all(digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_months_as_danes_write_them() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(date(d), "7. december 2026");
        assert_eq!(month("2024-04").as_deref(), Some("april 2024"));
        assert_eq!(month("2024-13"), None);
        assert_eq!(
            in_text("Rate 1 den 2025-01-01"),
            "Rate 1 den 1. januar 2025"
        );
        assert_eq!(
            in_text("2025-03-01 – 2025-03-31"),
            "1. marts 2025 – 31. marts 2025"
        );
        assert_eq!(in_text("2024-04"), "april 2024");
        // Not a date: kept as written.
        assert_eq!(in_text("12025-01-011"), "12025-01-011");
        assert_eq!(in_text("2025-02-30"), "2025-02-30");
        assert_eq!(in_text("1.234,56 kr. æøå"), "1.234,56 kr. æøå");
    }
}
