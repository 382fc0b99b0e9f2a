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

/// A value as a letter prints it: an amount, a date or a month (the whole value) in Danish;
/// anything else, such as a reference or a caseworker's words, exactly as written.
pub fn value(v: &str) -> String {
    if let Some(a) = amount(v) {
        return a;
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        if v.len() == 10 {
            return date(d);
        }
    }
    month(v).unwrap_or_else(|| v.to_string())
}

/// A decimal number with a decimal comma (`18.5` → `18,5`).
pub fn number(n: &str) -> String {
    n.replacen('.', ",", 1)
}

/// Text with every ISO date and every amount in kroner in it in Danish (`2025-02-03` → `3.
/// februar 2025`, `30000.00 kr.` → `30.000,00 kr.`). Only a date or an amount standing as a word
/// of its own is read (at the start or after a space or a parenthesis; an amount followed by
/// "kr"), so `FAK-2025-03-01`, `INV-2025.10`, `kl. 12.30` or `1.12.` stay as written.
pub fn in_text(text: &str) -> String {
    if let Some(m) = month(text) {
        return m;
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let word_start = i == 0 || matches!(b[i - 1], b' ' | b'(');
        if word_start && i + 10 <= b.len() && is_iso_at(b, i) {
            if let Ok(d) = NaiveDate::parse_from_str(&text[i..i + 10], "%Y-%m-%d") {
                out.push_str(&date(d));
                i += 10;
                continue;
            }
        }
        if let Some(len) = word_start.then(|| amount_at(b, i)).flatten() {
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

/// The length of an amount in kroner (`-`? digits `.` two digits, then " kr") starting at `i`.
fn amount_at(b: &[u8], i: usize) -> Option<usize> {
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
    // Only an amount in kroner ("30000.00 kr."): a time, a date written with points or a
    // number in someone's own words is not read as money.
    b[end..].starts_with(b" kr").then_some(end - i)
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
        assert_eq!(in_text("1234567.50 kr."), "1.234.567,50 kr.");
        assert_eq!(in_text("-100.00 kr"), "-100,00 kr");
        assert_eq!(
            in_text("kl. 12.30 og fra 1.12. til 24.12."),
            "kl. 12.30 og fra 1.12. til 24.12."
        );
        assert_eq!(
            in_text("grundlaget er 30000.00 kr."),
            "grundlaget er 30.000,00 kr."
        );
        assert_eq!(in_text("01.03.2025"), "01.03.2025");
        assert_eq!(in_text("version 1.10.3"), "version 1.10.3");
        assert_eq!(in_text("12.5 timer"), "12.5 timer");
        assert_eq!(in_text("0.540541"), "0.540541");
        assert_eq!(in_text("i alt 16216.22 kr."), "i alt 16.216,22 kr.");
        assert_eq!(in_text("i alt 16216.22."), "i alt 16216.22.");
        // References and file names are not amounts or dates.
        for kept in ["INV-2025.10", "FAK-2025-03-01", "v2.10", "bilag/12.50.pdf"] {
            assert_eq!(in_text(kept), kept);
        }
        assert_eq!(value("INV-2025.10"), "INV-2025.10");
        assert_eq!(value("2025-03-01"), "1. marts 2025");
        assert_eq!(value("4999.00"), "4.999,00");
        assert_eq!(value("Fysio ApS 12.50"), "Fysio ApS 12.50");
        assert_eq!(number("18.5"), "18,5");
    }
}
