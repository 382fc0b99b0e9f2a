//! Letters in a real browser: headless Chromium (from the Debian packages, installed by
//! `scripts/test.sh`) loads what the service rendered; the tests read the DOM it built.
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser: `$CHROMIUM`, or `chromium` / `chromium-browser` on the PATH. Missing, the test is
/// skipped with a message, except under CI where a missing tool is a failure.
pub fn chromium() -> Option<String> {
    let candidates = [
        std::env::var("CHROMIUM").unwrap_or_default(),
        "chromium".into(),
        "chromium-browser".into(),
        "google-chrome".into(),
    ];
    first_that_runs(&candidates, "headless Chromium (apt-get install chromium)")
}

/// The first of `candidates` that answers `--version`. None, the test is skipped with a message,
/// except under CI where a missing tool is a failure.
pub fn first_that_runs(candidates: &[String], what: &str) -> Option<String> {
    let found = candidates
        .iter()
        .filter(|c| !c.is_empty())
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .cloned();
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{what} is required under CI"
        );
        eprintln!("SKIPPED: no {what}");
    }
    found
}

pub fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn headless(browser: &str, profile: &Path, args: &[String]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(args)
        .output()
        .expect("run chromium")
}

/// The text of a letter as the browser parsed it (`--dump-dom`).
pub fn dom_of(browser: &str, html: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.html");
    std::fs::write(&file, html).unwrap();
    let out = headless(
        browser,
        &dir.path().join("profile"),
        &["--dump-dom".into(), format!("file://{}", file.display())],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// What a letter to a family never shows: internal codes and keys, true/false, JSON, another
/// municipality's folder for the municipality's own practice, and the service's English glosses
/// of the rules; and what it always shows: the law in Danish and the appeal guidance.
pub fn assert_no_raw_words(dom: &str) {
    for must in ["Afgørelsen er truffet efter", "Klagevejledning"] {
        if dom.contains("<h1>Afgørelse") || dom.contains("Afgørelse om") {
            assert!(dom.contains(must), "the letter lacks {must:?}:\n{dom}");
        }
    }
    for raw in [
        "Copenhagen",
        "folder",
        " the ",
        " only ",
        "_id",
        "lost_earnings",
        "annulled_expense",
        "case_ended",
        "self_employed",
        "employee",
        "estimated",
        "monthly",
        "parent_ref",
        "true",
        "false",
        "{\"",
        "settlement_reopened",
        "clawback",
        "Regelkode",
        "test-caseworker",
        "dev-user",
        "Kommune 101",
    ] {
        assert!(!dom.contains(raw), "the letter shows {raw:?}:\n{dom}");
    }
    // No rule code or field name (snake_case) and no ISO date in what the family reads: the
    // text between tags, outside the style sheet.
    let text = visible_text(dom);
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')) {
        let snake = w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase());
        assert!(!snake, "the letter shows the code {w:?}:\n{text}");
        let iso = w.len() >= 7
            && w.as_bytes()[4] == b'-'
            && w[..4].bytes().all(|b| b.is_ascii_digit())
            && w[5..7].bytes().all(|b| b.is_ascii_digit());
        assert!(!iso, "the letter shows an ISO date {w:?}:\n{text}");
    }
}

/// The letter's text as a reader sees it: tags, the style sheet and the title dropped.
pub fn visible_text(dom: &str) -> String {
    let body = dom.split("<body>").nth(1).unwrap_or(dom);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Keeps a letter as the browser lays it out: a screenshot (`<name>.png`) and a PDF print
/// (`<name>.pdf`) in `target/test-artefacts/letters/`, each checked to be what it says.
pub fn keep(browser: &str, html: &str, name: &str) {
    // Each letter its own files, also when two tests (or two backends) read a letter of the
    // same name.
    static KEPT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = KEPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = &format!("{name}-{}-{n}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letter.html");
    std::fs::write(&file, html).unwrap();
    let url = format!("file://{}", file.display());
    let out = artefacts().join("letters");
    std::fs::create_dir_all(&out).unwrap();
    let (png, pdf) = (
        out.join(format!("{name}.png")),
        out.join(format!("{name}.pdf")),
    );
    let profile = dir.path().join("profile");
    for args in [
        vec![
            format!("--screenshot={}", png.display()),
            "--window-size=900,1300".into(),
            url.clone(),
        ],
        vec![
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
            url.clone(),
        ],
    ] {
        let run = headless(browser, &profile, &args);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    assert!(
        std::fs::read(&png).unwrap().starts_with(b"\x89PNG"),
        "{name}"
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"), "{name}");
}
