//! What a text in a request may hold, checked before the typed parse so that every body and
//! query is held to the same rules: no control characters, bidirectional overrides or characters
//! that print as nothing; dates and months written exactly; each key of an object once.
/// The years a business date may fall in: wide enough for any child's birth date and any budget,
/// narrow enough to catch typos such as 0025 or 20025.
pub const YEARS: std::ops::RangeInclusive<u32> = 1900..=2199;

/// Why a text is refused before typed parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// A NUL or other control character, or a bidirectional override (text that displays
    /// differently from what it says).
    Control,
    /// A character that prints as nothing (Unicode format characters, line and paragraph
    /// separators, tag characters): "DUP-1" and "DUP-1\u{200b}" look the same and would be two
    /// references.
    Invisible(char),
    /// A date not written exactly YYYY-MM-DD, or outside `YEARS` (chrono also accepts
    /// "2024-1-1", surrounding spaces, signed and five-digit years).
    Date,
    /// A month not written exactly YYYY-MM within `YEARS`.
    Month,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Control => {
                f.write_str("text may not contain control characters or bidirectional overrides")
            }
            Why::Invisible(c) => write!(
                f,
                "text may not contain invisible characters: U+{:04X} prints as nothing",
                *c as u32
            ),
            Why::Date => {
                f.write_str("dates are written exactly YYYY-MM-DD, with a year from 1900 to 2199")
            }
            Why::Month => {
                f.write_str("months are written exactly YYYY-MM, with a year from 1900 to 2199")
            }
        }
    }
}

/// Why a text is refused before typed parsing (see `Why`), if it is.
pub fn text_problem(s: &str) -> Option<Why> {
    if s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    }) {
        return Some(Why::Control);
    }
    if let Some(c) = ledger::normal_form::invisible(s) {
        return Some(Why::Invisible(c));
    }
    let t = s.trim();
    if is_loose_date(t) {
        let exact = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        let year_ok = s[..4].parse::<u32>().is_ok_and(|y| YEARS.contains(&y));
        if !(exact && year_ok) {
            return Some(Why::Date);
        }
    } else if is_signed_date(t) {
        return Some(Why::Date);
    }
    if is_month(t) {
        let exact = s.len() == 7;
        let year_ok = s
            .get(..4)
            .and_then(|y| y.parse::<u32>().ok())
            .is_some_and(|y| YEARS.contains(&y));
        if !(exact && year_ok) {
            return Some(Why::Month);
        }
    }
    None
}

/// Digits, a dash, digits, a dash, digits, with 1-5 digits in the year and 1-2 in the month
/// and day: something meant as a date, to be written exactly.
fn is_loose_date(t: &str) -> bool {
    let parts: Vec<&str> = t.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && (1..=5).contains(&parts[0].len())
        && parts[1].len() <= 2
        && parts[2].len() <= 2
}

/// A date with a sign, such as "+2024-01-01" or "-0001-01-01".
fn is_signed_date(t: &str) -> bool {
    t.strip_prefix(['+', '-']).is_some_and(is_loose_date)
}

/// Four digits, a dash and two digits: a month such as a payroll run's "2024-05".
fn is_month(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// The first key that appears twice in one object, if any: serde_json keeps the last, so
/// `{"debit":"1.00","debit":"7.00"}` would book 7.00 while a reader of the body sees 1.00.
pub fn duplicate_key(bytes: &[u8]) -> Option<String> {
    use serde::de::{Deserializer, Error, MapAccess, SeqAccess, Visitor};
    struct Unique;
    impl<'de> serde::Deserialize<'de> for Unique {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Unique)
        }
    }
    impl<'de> Visitor<'de> for Unique {
        type Value = Unique;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Unique, A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(k) = m.next_key::<String>()? {
                if !seen.insert(k.clone()) {
                    return Err(A::Error::custom(format!("\u{0}{k}")));
                }
                m.next_value::<Unique>()?;
            }
            Ok(Unique)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Unique, A::Error> {
            while s.next_element::<Unique>()?.is_some() {}
            Ok(Unique)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_unit<E>(self) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_none<E>(self) -> Result<Unique, E> {
            Ok(Unique)
        }
    }
    match serde_json::from_slice::<Unique>(bytes) {
        // The key is marked by a NUL, which no JSON text can hold unescaped in an error of ours.
        Err(e) => {
            let m = e.to_string();
            let start = m.find('\u{0}')? + 1;
            let end = m.rfind(" at line ").unwrap_or(m.len());
            Some(m[start..end.max(start)].to_string())
        }
        Ok(_) => None,
    }
}

/// The path of the first string (or key) that `text_problem` refuses.
pub fn forbidden_text(v: &serde_json::Value, path: String) -> Option<(String, Why)> {
    use serde_json::Value;
    match v {
        Value::String(s) => text_problem(s).map(|w| (path, w)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| forbidden_text(x, format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            match text_problem(k) {
                Some(w) => Some((p, w)),
                None => forbidden_text(x, p),
            }
        }),
        _ => None,
    }
}
