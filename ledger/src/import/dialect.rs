//! The dialect of a payroll file: its encoding (UTF-8 with or without a byte-order mark, or
//! Windows-1252), its delimiter (`;` or `,`) and its decimal mark (comma or point, with or
//! without thousands separators), detected from the file's head or forced (`?dialect=da|en`);
//! and its dates (`dd-mm-yyyy`, `dd.mm.yyyy`, `yyyy-mm-dd`).
use chrono::NaiveDate;
use encoding_rs::{Decoder, UTF_8, WINDOWS_1252};
use rust_decimal::Decimal;
use std::io::Read;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    pub encoding: Encoding,
    pub delimiter: u8,
    /// `1.234,56` (Danish) rather than `1,234.56`.
    pub decimal_comma: bool,
}

impl Dialect {
    /// `da` (`;` and decimal comma) or `en` (`,` and decimal point), as `?dialect=` names them.
    pub fn name(&self) -> &'static str {
        if self.decimal_comma {
            "da"
        } else {
            "en"
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Detects the dialect from the first bytes of the file (a few KiB are plenty); `forced` is the
/// caller's `da` (`;` and decimal comma) or `en` (`,` and decimal point). The encoding is always
/// detected: a byte-order mark or valid UTF-8 is UTF-8, anything else Windows-1252.
pub fn detect(head: &[u8], forced: Option<&str>) -> Dialect {
    let encoding = if head.starts_with(BOM) || is_utf8_prefix(head) {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    };
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let count = |c: u8| first_line.iter().filter(|b| **b == c).count();
    let danish = match forced {
        Some("da") => true,
        Some("en") => false,
        _ => count(b';') > count(b','),
    };
    Dialect {
        encoding,
        delimiter: if danish { b';' } else { b',' },
        decimal_comma: danish,
    }
}

/// Valid UTF-8, allowing a character cut off at the end of the head.
fn is_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// A reader that decodes the file to UTF-8 as it streams (without its byte-order mark), so the
/// CSV reader never holds more than its buffer.
pub struct Decoded<R> {
    inner: R,
    decoder: Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Decoded<R> {
    pub fn new(inner: R, encoding: Encoding) -> Self {
        let decoder = match encoding {
            // Removes a byte-order mark if there is one.
            Encoding::Utf8 => UTF_8.new_decoder_with_bom_removal(),
            Encoding::Windows1252 => WINDOWS_1252.new_decoder_without_bom_handling(),
        };
        Decoded {
            inner,
            decoder,
            raw: vec![0; 64 * 1024],
            out: Vec::with_capacity(3 * 64 * 1024 + 16),
            pos: 0,
            done: false,
        }
    }

    fn fill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.done {
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            let mut s =
                String::with_capacity(self.decoder.max_utf8_buffer_length(n).unwrap_or(3 * n + 16));
            let (_, _, _) = self.decoder.decode_to_string(&self.raw[..n], &mut s, last);
            self.out.extend_from_slice(s.as_bytes());
            self.done = last;
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.out.len() {
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// An amount as the dialect writes it: `1.234,56` or `1234,56` (decimal comma), `1,234.56` or
/// `1234.56` (decimal point); a leading minus; at most two decimals. `None` if it is not one.
pub fn amount(s: &str, d: Dialect) -> Option<Decimal> {
    let s = s.trim();
    let (thousands, decimal) = if d.decimal_comma {
        ('.', ',')
    } else {
        (',', '.')
    };
    let (int, frac) = match s.rsplit_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let (neg, int) = match int.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, int),
    };
    // Thousands separators only between groups of three digits.
    let groups: Vec<&str> = int.split(thousands).collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    let digits: String = groups.concat();
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.len() <= 2);
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !grouped_ok || !all_digits(&digits) || !frac_ok || !frac.is_none_or(all_digits) {
        return None;
    }
    let text = match frac {
        Some(f) => format!("{}{digits}.{f}", if neg { "-" } else { "" }),
        None => format!("{}{digits}", if neg { "-" } else { "" }),
    };
    Decimal::from_str(&text).ok()
}

/// A date as payroll firms write it: `dd-mm-yyyy`, `dd.mm.yyyy` or `yyyy-mm-dd`.
pub fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    ["%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
        .filter(|_| s.len() == 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], e: Encoding) -> String {
        let mut s = String::new();
        Decoded::new(bytes, e).read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn a_danish_windows_1252_file_and_an_english_utf8_file_with_bom() {
        let danish = b"Sagsnummer;Bruttol\xf8n\r\nSAG-1;1.234,56\r\n";
        let d = detect(danish, None);
        assert_eq!(
            d,
            Dialect {
                encoding: Encoding::Windows1252,
                delimiter: b';',
                decimal_comma: true
            }
        );
        assert_eq!(
            read_all(danish, d.encoding),
            "Sagsnummer;Bruttoløn\r\nSAG-1;1.234,56\r\n"
        );
        let english = b"\xEF\xBB\xBFcase_ref,gross_wage\nSAG-1,1234.56\n";
        let e = detect(english, None);
        assert_eq!(
            e,
            Dialect {
                encoding: Encoding::Utf8,
                delimiter: b',',
                decimal_comma: false
            }
        );
        assert_eq!(
            read_all(english, e.encoding),
            "case_ref,gross_wage\nSAG-1,1234.56\n"
        );
        // UTF-8 without a BOM, and forced.
        let plain = "Sagsnummer;Bruttoløn\n".as_bytes();
        assert_eq!(detect(plain, None).encoding, Encoding::Utf8);
        assert!(!detect(plain, Some("en")).decimal_comma);
        // A character cut at the end of the head is still UTF-8.
        assert_eq!(
            detect(&"Bruttoløn".as_bytes()[..9], None).encoding,
            Encoding::Utf8
        );
    }

    #[test]
    fn decoding_streams_across_chunk_boundaries() {
        let text = "Bruttoløn;æøå\n".repeat(20_000);
        assert_eq!(read_all(text.as_bytes(), Encoding::Utf8), text);
        let (cp, _, _) = WINDOWS_1252.encode(&text);
        assert_eq!(read_all(&cp, Encoding::Windows1252), text);
    }

    #[test]
    fn amounts_in_both_dialects() {
        let da = detect(b"a;b", None);
        let en = detect(b"a,b", None);
        let dec = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(amount("1.234,56", da), Some(dec("1234.56")));
        assert_eq!(amount("1234,5", da), Some(dec("1234.5")));
        assert_eq!(amount("-12,00", da), Some(dec("-12.00")));
        assert_eq!(amount("1,234.56", en), Some(dec("1234.56")));
        assert_eq!(amount("1234", en), Some(dec("1234")));
        for bad in ["1.23,45", "12,345", "1,234.567", "", "abc", "1.2.3", ",5"] {
            assert_eq!(amount(bad, da), None, "{bad}");
        }
        assert_eq!(amount("1234,56", en), None);
    }

    #[test]
    fn dates_in_the_three_forms() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap();
        assert_eq!(date("07-03-2025"), Some(d));
        assert_eq!(date("07.03.2025"), Some(d));
        assert_eq!(date("2025-03-07"), Some(d));
        assert_eq!(date("7-3-2025"), None);
        assert_eq!(date("31-02-2025"), None);
    }
}
