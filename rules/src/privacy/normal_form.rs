//! Data minimisation (GDPR art. 5(1)(c)) and one reference per thing: one normal form for text the rules inspect or compare, after Unicode's compatibility folding (UAX #15, NFKC) and its format characters (general category Cf, UAX #44).
//!
//! A rule that looks for something in text (a CPR number) or compares texts (a reference that
//! must be unique) has to see past the ways the same text can be written: full-width forms,
//! digits of other scripts, characters that print as nothing, case. Without a shared normal
//! form every check grows its own partial one and is dodged by what it forgot (issue "One CPR
//! detector, one normal form"). No Unicode crate is available here, so the subset of NFKC the
//! rules need is done by hand, with the tables below taken from the Unicode Character Database
//! (general categories Nd and Cf, Unicode 16/17).

/// The code point of digit zero of every block of Unicode decimal digits (general category Nd):
/// each block holds the ten digits 0-9 in order, so a digit's value is its distance from its
/// zero. Sorted, for binary search. Unicode 17 has 77 such blocks.
const DIGIT_ZEROS: [u32; 77] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50,
    0x11D50, 0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950,
    0x1FBF0,
];

/// The value of a decimal digit of any script (U+0663 ARABIC-INDIC DIGIT THREE is 3), or of a
/// superscript or subscript digit, which compatibility decomposition (NFKC) also reads as one.
pub fn digit_value(c: char) -> Option<u8> {
    let cp = c as u32;
    match c {
        '\u{00B2}' | '\u{00B3}' => return Some((cp - 0xB0) as u8),
        '\u{00B9}' => return Some(1),
        '\u{2070}' | '\u{2074}'..='\u{2079}' => return Some((cp - 0x2070) as u8),
        '\u{2080}'..='\u{2089}' => return Some((cp - 0x2080) as u8),
        _ => {}
    }
    // Every Nd character is numeric; most characters are not, so this spares the search.
    if !c.is_numeric() {
        return None;
    }
    let i = DIGIT_ZEROS.partition_point(|&z| z <= cp).checked_sub(1)?;
    let value = cp - DIGIT_ZEROS[i];
    (value < 10).then_some(value as u8)
}

/// True for a character that prints as nothing, so it can sit inside a word or a number
/// unseen: Unicode general category Cf (format), plus the line and paragraph separators (Zl,
/// Zp), which are not `char::is_whitespace` in every consumer's eyes and render as nothing in
/// a single-line field. The Cf set (Unicode 16/17):
/// - U+00AD soft hyphen
/// - U+0600-U+0605 Arabic number signs, U+061C Arabic letter mark, U+06DD, U+070F, U+0890-U+0891,
///   U+08E2 (Arabic and Syriac prepended format marks)
/// - U+180E Mongolian vowel separator
/// - U+200B-U+200F zero-width space, non-joiner, joiner, left-to-right and right-to-left marks
/// - U+202A-U+202E bidirectional embeddings and overrides
/// - U+2060-U+2064 word joiner and invisible operators, U+2066-U+206F bidi isolates and
///   deprecated format characters
/// - U+FEFF zero-width no-break space (byte-order mark), U+FFF9-U+FFFB interlinear annotation
/// - U+110BD, U+110CD Kaithi number signs, U+13430-U+1343F Egyptian hieroglyph format controls,
///   U+1BCA0-U+1BCA3 shorthand format controls, U+1D173-U+1D17A musical format characters
/// - U+E0001 language tag, U+E0020-U+E007F tag characters
///
/// Combining marks (Mn, e.g. U+034F combining grapheme joiner) and variation selectors are not
/// listed: they attach to a visible character rather than standing alone.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// The first invisible character in `s` (see [`is_invisible`]), so a caller can refuse or
/// report it.
pub fn invisible(s: &str) -> Option<char> {
    s.chars().find(|&c| is_invisible(c))
}

/// The compatibility fold of one character, the NFKC subset the rules need: full-width ASCII
/// forms (U+FF01-U+FF5E) to ASCII, the ideographic space to a space, and a digit of any script
/// to the ASCII digit of the same value. Everything else is kept.
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c if c.is_ascii() => c,
        c => digit_value(c).map_or(c, |d| char::from(b'0' + d)),
    }
}

/// `s` with invisible characters dropped and every character folded: what a reader sees,
/// spelt in ASCII where ASCII can spell it. Case and spacing are kept.
pub fn visible_folded(s: &str) -> String {
    s.chars().filter(|&c| !is_invisible(c)).map(fold).collect()
}

/// The normal form under which references that must be unique are compared: folded (see
/// [`fold`]), invisible characters dropped, case-folded, trimmed, and inner runs of whitespace
/// collapsed to one space. "DUP-1", "dup-1", "DUP-1\u{200b}" and "ＤＵＰ－１" all give "dup-1".
///
/// Case folding is lower-, upper- then lower-casing, which approximates Unicode full case
/// folding where plain lower-casing falls short: "STRASSE", "straße" and "STRAẞE" meet at
/// "strasse", final and medial sigma at "σ". (Upper-casing first would leave "ẞ" as "ß", which
/// a second pass turns into "ss": the key would not be its own key.)
pub fn reference_key(s: &str) -> String {
    let folded: String = s
        .chars()
        .filter(|&c| !is_invisible(c))
        .flat_map(char::to_lowercase)
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .map(|c| fold(c).to_ascii_lowercase())
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_digit_block_holds_ten_numeric_characters() {
        assert!(DIGIT_ZEROS.windows(2).all(|w| w[0] + 10 <= w[1]));
        for z in DIGIT_ZEROS {
            for v in 0..10u8 {
                let c = char::from_u32(z + u32::from(v)).unwrap();
                assert!(c.is_numeric(), "U+{:04X}", c as u32);
                assert_eq!(digit_value(c), Some(v), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn digits_keep_their_value() {
        assert_eq!(fold('\u{0663}'), '3');
        assert_eq!(fold('\u{06F7}'), '7');
        assert_eq!(fold('\u{096A}'), '4');
        assert_eq!(fold('\u{09EF}'), '9');
        assert_eq!(fold('\u{FF15}'), '5');
        assert_eq!(fold('\u{1D7D9}'), '1');
        assert_eq!(fold('²'), '2');
        assert_eq!(fold('₈'), '8');
        // Numeric but not a digit: kept as it is.
        assert_eq!(fold('½'), '½');
        assert_eq!(fold('Ⅻ'), 'Ⅻ');
        assert_eq!(digit_value('a'), None);
    }

    #[test]
    fn full_width_forms_fold_to_ascii() {
        assert_eq!(visible_folded("ＡＢＣ－１２／ｘ"), "ABC-12/x");
        assert_eq!(visible_folded("a\u{3000}b"), "a b");
    }

    #[test]
    fn invisible_characters_are_found() {
        for c in [
            '\u{00AD}',
            '\u{200B}',
            '\u{200D}',
            '\u{200E}',
            '\u{202E}',
            '\u{2060}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{061C}',
            '\u{FFF9}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{180E}',
            '\u{2028}',
            '\u{2029}',
        ] {
            assert_eq!(
                invisible(&format!("ab{c}cd")),
                Some(c),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(invisible("plain text, æøå, 010190 – 1234\t\u{00A0}"), None);
        assert_eq!(visible_folded("01\u{200B}01\u{00AD}90"), "010190");
    }

    #[test]
    fn reference_keys() {
        for s in [
            "DUP-1",
            "dup-1",
            "DUP-1\u{200b}",
            "ＤＵＰ－１",
            "  Dup-1 ",
            "\u{FEFF}dUp-\u{0661}",
        ] {
            assert_eq!(reference_key(s), "dup-1", "{s:?}");
        }
        assert_eq!(
            reference_key(" SAG \t 2025\u{00A0}\u{00A0}42 "),
            "sag 2025 42"
        );
        assert_eq!(reference_key("STRASSE"), reference_key("straße"));
        assert_eq!(reference_key("STRAẞE"), "strasse");
        assert_eq!(reference_key("ΟΔΟΣ"), reference_key("οδος"));
        assert_eq!(reference_key("ÆØÅ"), "æøå");
        assert_ne!(reference_key("SAG-1"), reference_key("SAG-2"));
    }
}
