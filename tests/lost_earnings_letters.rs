//! Issue 22 #6: a lost-earnings decision states what is granted, and a change the figures before
//! and after: the month's gross, the maximum and hour share behind it, the pension, the ATP and
//! the hours it is found on, the savings, the pay before tax and the first month paid; in Danish
//! in a real browser. Figures by hand: three payslips of 30,000.00, 20 of 37 hours: 30,000 ×
//! 20/37 = 16,216.22; 20 × 52/12 = 86.67 hours, the 78-117 h bracket (66.00 + 132.00); pay before
//! tax 16,216.22 − 66.00 = 16,150.22. Black-box: the real service binary over HTTP.
mod common;

use common::browser::{assert_no_raw_words, chromium, dom_of};
use common::home_training::new_case;
use common::lost_earnings::terms;
use common::{each_backend, key, Client, M};
use serde_json::{json, Value};

fn figures(c: &Client, decision: &str) -> Vec<(String, String)> {
    c.get(&format!("/v1/decisions/{decision}")).ok(200)["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn value<'a>(fs: &'a [(String, String)], name: &str) -> &'a str {
    &fs.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} in {fs:?}"))
        .1
}

#[test]
fn a_grant_and_a_change_state_their_figures() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "LEL-1", "2015-01-01", "2024-01-02", "2024-02-01");
        let granted: Value = cw
            .post_idem(
                &format!("/v1/cases/{case}/lost-earnings"),
                &key(),
                &terms("parent-l", "20"),
            )
            .ok(201)
            .clone();
        let id = granted["id"].as_str().unwrap();
        let grant_decision = granted["versions"][0]["decision_id"].as_str().unwrap();
        let maximum = cw
            .get(&format!("/v1/lost-earnings/{id}/calculation?month=2024-03"))
            .ok(200)["maximum"]
            .as_str()
            .unwrap()
            .to_string();
        let fs = figures(&cw, grant_decision);
        for (name, want) in [
            ("first_month", "2024-03"),
            ("month_gross", "16216.22"),
            ("maximum", maximum.as_str()),
            ("hour_share", "0.5405"),
            ("pension", "0.00"),
            ("atp_hours", "86.67"),
            ("atp_recipient", "66.00"),
            ("atp_municipality", "132.00"),
            ("savings_deduction", "0.00"),
            ("pay_before_tax", "16150.22"),
        ] {
            assert_eq!(value(&fs, name), want, "{name}");
        }
        // From May: 10 hours. After: 30,000 × 10/37 = 8,108.11, 43.33 hours, the 39-78 h
        // bracket (33.00 + 66.00); before: as granted.
        let changed = cw
            .post_idem(
                &format!("/v1/lost-earnings/{id}/changes"),
                &key(),
                &json!({"effective_from": "2024-05-01", "granted_weekly_hours": "10"}),
            )
            .ok(201)
            .clone();
        let change_decision = changed["versions"][1]["decision_id"].as_str().unwrap();
        let fs = figures(&cw, change_decision);
        for (name, want) in [
            ("effective_from", "2024-05-01"),
            ("month_gross", "8108.11"),
            ("before_month_gross", "16216.22"),
            ("atp_hours", "43.33"),
            ("before_atp_hours", "86.67"),
            ("atp_recipient", "33.00"),
            ("before_atp_recipient", "66.00"),
            ("pay_before_tax", "8075.11"),
            ("before_pay_before_tax", "16150.22"),
        ] {
            assert_eq!(value(&fs, name), want, "{name}");
        }
        if let Some(browser) = chromium() {
            let html = cw.get(&format!("/v1/decisions/{change_decision}/letter"));
            let dom = dom_of(&browser, html.body.as_str().unwrap());
            for needle in [
                "Afgørelse om ændring af kompensation for tabt arbejdsfortjeneste",
                "Ændret fra",
                "Kompensation før skat (bruttobeløb) i måneden",
                "8.108,11",
                "Før ændringen: kompensation før skat (bruttobeløb) i måneden",
                "16.216,22",
                "ATP, din andel",
                "Besparelser, som lønsystemet trækker efter skat",
                "Barnets lov § 87",
                "Lønmodtager",
            ] {
                assert!(dom.contains(needle), "the letter lacks {needle:?}:\n{dom}");
            }
            assert_no_raw_words(&dom);
        }
        cw.verify_clean(M);
    });
}
