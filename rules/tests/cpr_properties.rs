//! Properties of the CPR detector and of the reference normal form (issue "One CPR detector,
//! one normal form"): every way of writing a CPR number is refused, ordinary references and
//! amounts never are, and references compare equal however they are cased or padded with
//! invisible characters. Data minimisation, GDPR art. 5(1)(c): see `no_cpr::LEGAL`.
use proptest::prelude::*;
use proptest::sample::select;
use rules::privacy::no_cpr::{contains_cpr, reject_in_reference, reject_in_text};
use rules::privacy::normal_form::{invisible, reference_key};

/// Digit zero of the scripts a disguise may borrow: ASCII, full-width, Arabic-Indic, Extended
/// Arabic-Indic, Devanagari.
const ZEROS: [u32; 5] = [0x30, 0xFF10, 0x0660, 0x06F0, 0x0966];

/// What may sit between two digits of a disguised CPR number: visible separators, spacing,
/// dashes of every kind, and characters that print as nothing.
const SEPARATORS: [&str; 26] = [
    "",
    "",
    "",
    " ",
    "-",
    ".",
    ",",
    "/",
    "_",
    "\t",
    "\u{00A0}",
    "\u{202F}",
    "\u{3000}",
    "\u{2010}",
    "\u{2011}",
    "\u{2013}",
    "\u{2014}",
    "\u{2212}",
    "\u{FF0D}",
    " - ",
    ". ",
    "\u{200B}",
    "\u{00AD}",
    "\u{FEFF}",
    "\u{2060}",
    "\u{200B} \u{200D}",
];

const INVISIBLES: [char; 10] = [
    '\u{00AD}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{200E}',
    '\u{2060}',
    '\u{FEFF}',
    '\u{061C}',
    '\u{2028}',
    '\u{E0041}',
];

fn days_in(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The test's own reading of DDMMYY, to keep generated non-CPR numbers honest.
fn is_ddmmyy(d: &[u8]) -> bool {
    let (day, month) = (d[0] * 10 + d[1], d[2] * 10 + d[3]);
    (1..=12).contains(&month) && (1..=days_in(month)).contains(&day)
}

/// The ten digits of a CPR number: a real DDMMYY and any four.
fn cpr_digits() -> impl Strategy<Value = Vec<u8>> {
    (1u8..=12)
        .prop_flat_map(|m| (1..=days_in(m), Just(m), 0u8..=99, 0u16..=9999))
        .prop_map(|(d, m, y, s)| {
            format!("{d:02}{m:02}{y:02}{s:04}")
                .bytes()
                .map(|b| b - b'0')
                .collect()
        })
}

/// A CPR number written to dodge a detector: each digit in a script of its own, separators
/// between any digits, and a prefix and suffix of text around it.
fn disguised_cpr() -> impl Strategy<Value = String> {
    let prefix = select(vec!["", "CPR", "cpr:", "CPR-nr. ", "barn ", "Ref: ", "x"]);
    // The suffix starts with a letter or ends the item, so it cannot lengthen the number.
    let suffix = prop_oneof![
        Just(String::new()),
        "[ ,.]?[a-zæøå][a-zæøå0-9 ]{0,15}",
        Just(", 2 timer".to_string()),
    ];
    (
        cpr_digits(),
        prop::collection::vec(select(ZEROS.to_vec()), 10),
        prop::collection::vec(select(SEPARATORS.to_vec()), 9),
        prefix,
        suffix,
    )
        .prop_map(|(digits, zeros, mut seps, prefix, suffix)| {
            // A lone point or comma before the last two digits makes an amount (10119012.34),
            // which a reader takes for kroner and øre, not a CPR number; the detector too.
            if matches!(seps[7], "." | ",") {
                seps[7] = "-";
            }
            let mut s = prefix.to_string();
            for (i, (&d, z)) in digits.iter().zip(zeros).enumerate() {
                if i > 0 {
                    s.push_str(seps[i - 1]);
                }
                s.push(char::from_u32(z + u32::from(d)).unwrap());
            }
            s + &suffix
        })
}

fn date() -> impl Strategy<Value = (u16, u8, u8)> {
    (1900u16..=2100, 1u8..=12).prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=days_in(m)))
}

/// References, amounts, dates and identifiers that are not CPR numbers.
fn ordinary() -> impl Strategy<Value = String> {
    let not_a_date = prop::collection::vec(0u8..=9, 10)
        .prop_filter("first six digits are a date", |d| !is_ddmmyy(d));
    prop_oneof![
        "[A-Z]{2,4}-[0-9]{1,6}",
        "SAG-20[0-9]{2}-[0-9]{4}",
        "(LS|H|INV|BIL)-[0-9]{1,8}",
        "[0-9]{1,9}\\.[0-9]{2}",
        "[1-9][0-9]{0,2}(\\.[0-9]{3}){0,2},[0-9]{2}",
        "kr\\. [1-9][0-9]{0,7},[0-9]{2}",
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "\\+45 [0-9]{2} [0-9]{2} [0-9]{2} [0-9]{2}",
        "DK[0-9]{16}",
        "[0-9]{1,9}",
        "[0-9]{11,20}",
        date().prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        date().prop_map(|(y, m, d)| format!("{d:02}-{m:02}-{y:04}")),
        date().prop_map(|(y, m, d)| format!("{d:02}.{m:02}.{y:04}")),
        (date(), date()).prop_map(|((y, m, d), (y2, m2, d2))| format!(
            "{d:02}.{m:02}.{y:04}-{d2:02}.{m2:02}.{y2:04}"
        )),
        (not_a_date, any::<bool>()).prop_map(|(d, dash)| {
            let s: String = d.iter().map(|&x| char::from(b'0' + x)).collect();
            if dash {
                format!("{}-{}", &s[..6], &s[6..])
            } else {
                s
            }
        }),
    ]
}

/// A reference as typists write it: letters (Danish ones too), digits and punctuation.
fn reference() -> impl Strategy<Value = String> {
    "[a-zA-ZæøåÆØÅ0-9 ./_-]{0,24}"
}

/// `s` with invisible characters put in at the given places.
fn with_invisibles(s: &str, inserts: &[(usize, char)]) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for &(at, c) in inserts {
        chars.insert(at % (chars.len() + 1), c);
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_disguised_cpr_is_refused(s in disguised_cpr()) {
        prop_assert!(contains_cpr(&s), "{:?}", s);
        prop_assert!(reject_in_text("reason", &s).is_err(), "{:?}", s);
        prop_assert!(reject_in_reference("external_ref", &s).is_err(), "{:?}", s);
    }

    #[test]
    fn ordinary_references_and_amounts_pass(s in ordinary()) {
        prop_assert!(!contains_cpr(&s), "{:?}", s);
        prop_assert!(reject_in_text("description", &s).is_ok(), "{:?}", s);
        prop_assert!(reject_in_reference("external_ref", &s).is_ok(), "{:?}", s);
    }

    #[test]
    fn reference_key_is_idempotent(s in any::<String>()) {
        let k = reference_key(&s);
        prop_assert_eq!(reference_key(&k), k.clone());
        prop_assert_eq!(invisible(&k), None);
        prop_assert_eq!(k.trim(), k.as_str());
        prop_assert!(!k.contains("  "));
    }

    #[test]
    fn reference_key_ignores_case(s in reference()) {
        let k = reference_key(&s);
        prop_assert_eq!(reference_key(&s.to_uppercase()), k.clone());
        prop_assert_eq!(reference_key(&s.to_lowercase()), k);
    }

    #[test]
    fn reference_key_ignores_invisible_characters(
        s in reference(),
        inserts in prop::collection::vec((any::<usize>(), select(INVISIBLES.to_vec())), 0..6),
    ) {
        prop_assert_eq!(reference_key(&with_invisibles(&s, &inserts)), reference_key(&s));
    }

    #[test]
    fn reference_key_ignores_full_width_forms(s in reference()) {
        let wide: String = s
            .chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                c => c,
            })
            .collect();
        prop_assert_eq!(reference_key(&wide), reference_key(&s));
    }
}

/// Idempotence for every single character, where the odd case mappings live.
#[test]
fn reference_key_is_idempotent_for_every_character() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let k = reference_key(c.encode_utf8(&mut [0; 4]));
        assert_eq!(reference_key(&k), k, "U+{:04X}", c as u32);
    }
}
