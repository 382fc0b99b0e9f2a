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
        "parent_ref",
        "true",
        "false",
        "{\"",
        "settlement_reopened",
        "clawback",
    ] {
        assert!(!dom.contains(raw), "the letter shows {raw:?}:\n{dom}");
    }
}
