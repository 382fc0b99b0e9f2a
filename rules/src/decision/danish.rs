//! Retskrivningsordbogen (Dansk Sprognævn) on dates and numbers: a letter to a citizen writes
//! "7. december 2026", "april 2024" and "1.234,56", never the ISO dates and decimal points the
//! API speaks.
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

/// An amount in kroner and øre as Danes write it (`-1234567.50` → `-1.234.567,50`); `None` for
/// anything that is not digits, a point and two digits.
pub fn amount(v: &str) -> Option<String> {
    let (neg, digits) = match v.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, v),
    };
    let (whole, ore) = digits.split_once('.')?;
    if whole.is_empty()
        || ore.len() != 2
        || !whole.bytes().chain(ore.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    Some(format!("{}{grouped},{ore}", if neg { "-" } else { "" }))
}

/// Every ISO date in `text` (`YYYY-MM-DD`, not part of a longer run of digits) and every amount
/// (`16216.22`, not part of a longer number such as `01.03.2025`) in Danish; a value that is a
/// month alone (`YYYY-MM`) as a month. Everything else as it was.
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
        if let Some(len) = amount_at(b, i) {
            let a = amount(&text[i..i + len]).expect("an amount's shape");
            out.push_str(&a);
            i += len;
            continue;
        }
        let c = text[i..].chars().next().expect("inside the text");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The length of an amount (`-`? digits `.` two digits) starting at `i`, when it stands alone:
/// not inside a longer number, a date or a version.
fn amount_at(b: &[u8], i: usize) -> Option<usize> {
    let start_ok = i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.' || b[i - 1] == b',');
    if !start_ok {
        return None;
    }
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let digits = j;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    if j == digits || b.get(j) != Some(&b'.') {
        return None;
    }
    let ore = j + 1;
    if ore + 2 > b.len() || !b[ore].is_ascii_digit() || !b[ore + 1].is_ascii_digit() {
        return None;
    }
    let end = ore + 2;
    let after_ok = end == b.len()
        || !(b[end].is_ascii_digit()
            || (b[end] == b'.' && b.get(end + 1).is_some_and(u8::is_ascii_digit)));
    after_ok.then_some(end - i)
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
        // Amounts, alone or in text; not a Danish date, a version or a longer number.
        assert_eq!(in_text("1234567.50"), "1.234.567,50");
        assert_eq!(in_text("-100.00"), "-100,00");
        assert_eq!(
            in_text("grundlaget er 30000.00 kr."),
            "grundlaget er 30.000,00 kr."
        );
        assert_eq!(in_text("01.03.2025"), "01.03.2025");
        assert_eq!(in_text("version 1.10.3"), "version 1.10.3");
        assert_eq!(in_text("12.5 timer"), "12.5 timer");
        assert_eq!(in_text("0.540541"), "0.540541");
    }
}
