//! A decision letter in a real browser: headless Chromium (from the Debian packages, installed by
//! `scripts/test.sh`) loads the letter the service rendered, and its text is checked as the
//! browser lays it out; a screenshot and a PDF print are kept as test artefacts.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::browser::{artefacts, chromium, headless};
use common::home_training::{expense, post_id, story_setup};
use common::{each_backend, M};

#[test]
fn a_refusal_letter_reads_right_in_a_real_browser() {
    let Some(browser) = chromium() else { return };
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (_, y) = story_setup(&cw, "BROWSER-<1>");
        let yid = y["id"].as_str().unwrap();
        let r = expense(
            &cw,
            yid,
            &post_id(&y, "equipment"),
            "2025-03-01",
            "5000.01",
            "B-1",
        );
        r.problem(422, "budget_post_exceeded");
        let id = r.body["decision_id"].as_str().unwrap();
        let html = cw.get(&format!("/v1/decisions/{id}/letter"));
        assert!(html.content_type.starts_with("text/html"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("letter.html");
        std::fs::write(&file, html.body.as_str().unwrap()).unwrap();
        let url = format!("file://{}", file.display());
        let profile = dir.path().join("profile");
        // The text as the browser parsed it: the case reference (escaped markup shows as text),
        // the outcome, the plain reason, the figures and the appeal guidance.
        let dom = headless(&browser, &profile, &["--dump-dom".into(), url.clone()]);
        assert!(
            dom.status.success(),
            "{}",
            String::from_utf8_lossy(&dom.stderr)
        );
        let dom = String::from_utf8_lossy(&dom.stdout).to_string();
        for needle in [
            "BROWSER-&lt;1&gt;",
            "Afgørelse om afslag på dækning af udgift",
            "Afslag: 5.000,01 kr.",
            "Penge kan ikke flyttes fra en budgetpost til en anden",
            "Tilbage på posten",
            "5.000,00",
            "Klagevejledning",
            "4 uger",
            "Ankestyrelsen",
        ] {
            assert!(
                dom.contains(needle),
                "the browser's DOM lacks {needle:?}:\n{dom}"
            );
        }
        assert!(!dom.contains("<1>"), "the case reference was not escaped");
        // Artefacts: a screenshot and a PDF print of the letter.
        let out = artefacts();
        let backend = format!("{:?}", s.db).to_lowercase();
        let png = out.join(format!("decision-letter-{backend}.png"));
        let pdf = out.join(format!("decision-letter-{backend}.pdf"));
        let shot = headless(
            &browser,
            &profile,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=900,1300".into(),
                url.clone(),
            ],
        );
        assert!(
            shot.status.success(),
            "{}",
            String::from_utf8_lossy(&shot.stderr)
        );
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.len() > 10_000 && bytes.starts_with(b"\x89PNG"),
            "screenshot of {} bytes",
            bytes.len()
        );
        let print = headless(
            &browser,
            &profile,
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
                url,
            ],
        );
        assert!(
            print.status.success(),
            "{}",
            String::from_utf8_lossy(&print.stderr)
        );
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    });
}

/// The hearing letter of a proposed claim (issue 21), as the browser lays it out: the facts, the
/// amount, that nothing is owed before a decision, the date to answer by and the rule.
#[test]
fn a_hearing_letter_reads_right_in_a_real_browser() {
    let Some(browser) = chromium() else { return };
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        common::home_training::paid_and_annulled(&cw, &fin, "HEAR-<2>");
        let claim = fin.get("/v1/clawbacks?status=proposed").ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let h = cw
            .post(
                &format!("/v1/clawbacks/{claim}/hearing"),
                &serde_json::json!({"sent_on": common::today()}),
            )
            .ok(200)
            .clone();
        // The date to answer by as a Dane writes it.
        let by = common::danish_date(h["hearing"]["respond_by"].as_str().unwrap());
        let html = cw.get(&format!("/v1/clawbacks/{claim}/hearing/letter"));
        assert!(html.content_type.starts_with("text/html"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hearing.html");
        std::fs::write(&file, html.body.as_str().unwrap()).unwrap();
        let dom = headless(
            &browser,
            &dir.path().join("profile"),
            &["--dump-dom".into(), format!("file://{}", file.display())],
        );
        assert!(
            dom.status.success(),
            "{}",
            String::from_utf8_lossy(&dom.stderr)
        );
        let dom = String::from_utf8_lossy(&dom.stdout).to_string();
        for needle in [
            "HEAR-&lt;2&gt;",
            "Partshøring",
            "1.000,00 kr.",
            "Du skylder ikke noget",
            by.as_str(),
            "forvaltningslovens § 19",
        ] {
            assert!(
                dom.contains(needle),
                "the hearing letter lacks {needle:?}:\n{dom}"
            );
        }
    });
}
