//! Issue 23, the annual statement of a budget year: per post granted (every version),
//! approved, prepaid, unspent, short; the year's claims; documented expenses outside an
//! agreement; lost earnings paid per month; the year's decisions; deadlines met or missed. As
//! JSON, CSV (`?dialect=da`) and a printable page read in a real browser, with a screenshot and
//! a PDF print kept as test artefacts. Black-box: the real service binary over HTTP.
mod common;

use common::browser::{artefacts, chromium, dom_of, headless};
use common::home_training::{
    approve, expense, heard_and_claimed, new_case, new_year, post_id, prepaid_year, settle,
};
use common::lost_earnings::{grant, terms};
use common::{each_backend, key, today, Client, M};
use serde_json::json;

fn statement(c: &Client, yid: &str) -> serde_json::Value {
    c.get(&format!("/v1/budget-years/{yid}/statement"))
        .ok(200)
        .clone()
}

#[test]
fn a_budget_year_is_accounted_for_in_one_statement() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let ctl = s.client("controller", M);
        // Year A, 2024-02-01..2025-01-31: a documented expense of 500.00, and lost earnings on
        // the case paid for March and April 2024 (30,000 × 20/37 = 16,216.22 a month).
        let case = new_case(&cw, "ST-A", "2015-01-01", "2024-01-02", "2024-02-01");
        let ya = new_year(
            &cw,
            &case,
            "2024-02-01",
            json!([{"category": "equipment", "description": "Bold", "amount": "5000.00"}]),
        )
        .ok(201)
        .clone();
        let yaid = ya["id"].as_str().unwrap().to_string();
        let e = expense(
            &cw,
            &yaid,
            &post_id(&ya, "equipment"),
            "2024-03-01",
            "500.00",
            "ST-E1",
        )
        .ok(201)
        .clone();
        approve(&cw, e["id"].as_str().unwrap()).ok(200);
        grant(&cw, &case, terms("parent-st", "20"));
        for m in ["2024-03", "2024-04"] {
            fin.post_idem("/v1/payroll-runs", &key(), &json!({"month": m}))
                .ok(201);
        }
        let a = statement(&ctl, &yaid);
        assert_eq!(a["case_ref"], "ST-A");
        assert_eq!(a["posts"][0]["category_name"], "Udstyr og materialer");
        assert_eq!(
            (
                a["posts"][0]["granted"].as_str(),
                a["posts"][0]["approved"].as_str()
            ),
            (Some("5000.00"), Some("500.00"))
        );
        assert_eq!(a["documented_expenses"][0]["amount"], "500.00");
        let months: Vec<(&str, &str)> = a["lost_earnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["month"].as_str().unwrap(), m["gross"].as_str().unwrap()))
            .collect();
        assert_eq!(months, [("2024-03", "16216.22"), ("2024-04", "16216.22")]);
        // Proposal due 8 weeks before the end, documentation 8 weeks after: both passed unmet.
        assert_eq!(
            (
                a["proposal"]["due"].as_str(),
                a["proposal"]["status"].as_str()
            ),
            (Some("2024-12-06"), Some("missed"))
        );
        assert_eq!(
            (
                a["documentation"]["due"].as_str(),
                a["documentation"]["status"].as_str()
            ),
            (Some("2025-03-28"), Some("missed"))
        );

        // Year B, 2025: 1,200.00 of mats prepaid monthly, January's 100.00 paid; 80.00 spent
        // from the advance; settled with 20.00 unspent; 15.00 claimed (5.00 waived), 10.00 repaid.
        let (ybid, post) = prepaid_year(&cw, &fin, "ST-B");
        let spent = expense(&cw, &ybid, &post, "2025-01-15", "80.00", "ST-E2")
            .ok(201)
            .clone();
        approve(&cw, spent["id"].as_str().unwrap()).ok(200);
        let st = settle(&cw, &ybid);
        let sid = st["id"].as_str().unwrap();
        heard_and_claimed(&cw, sid, Some("15.00"), "Resten blev brugt til træning");
        let cid = fin.get("/v1/clawbacks?status=open").ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        fin.post_idem(
            &format!("/v1/clawbacks/{cid}/repayments"),
            &key(),
            &json!({"amount": "10.00", "received_on": today(), "bank_reference": "IN-ST"}),
        )
        .ok(201);
        let b = statement(&ctl, &ybid);
        let p = &b["posts"][0];
        assert_eq!(
            ["granted", "approved", "prepaid", "unspent", "shortfall"]
                .map(|k| p[k].as_str().unwrap()),
            ["1200.00", "80.00", "100.00", "20.00", "0.00"]
        );
        assert_eq!(
            p["granted_versions"],
            json!([{"version": 1, "decided_on": p["granted_versions"][0]["decided_on"], "granted": "1200.00"}])
        );
        assert_eq!(
            ["claimed", "waived", "repaid"].map(|k| b[k].as_str().unwrap()),
            ["15.00", "5.00", "10.00"]
        );
        // The post's share of the year's claims: here the one post carries all of it.
        assert_eq!(
            ["claimed", "waived", "repaid"].map(|k| p[k].as_str().unwrap()),
            ["15.00", "5.00", "10.00"]
        );
        assert_eq!(
            b["documented_expenses"],
            json!([]),
            "paid from the advance, not on documentation"
        );
        let kinds: Vec<&str> = b["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"agreement_made"), "{kinds:?}");
        // Settled today, after the deadline of 2026-02-25: met late.
        assert_eq!(
            (
                b["documentation"]["status"].as_str(),
                b["documentation"]["met_on"].as_str()
            ),
            (Some("missed"), Some(today().as_str()))
        );

        // CSV, Danish: a line per post with its category as in the API, and a total.
        let csv = ctl.request(
            "GET",
            &format!("/v1/budget-years/{ybid}/statement?dialect=da"),
            None,
            &[("Accept", "text/csv")],
        );
        let text = csv.body.as_str().unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(
            text.contains(
                "post_id;category;description;granted;approved;prepaid;unspent;shortfall;claimed;waived;repaid"
            ),
            "{text}"
        );
        assert!(
            text.contains(";equipment;Måtter;1200,00;80,00;100,00;20,00;0,00;15,00;5,00;10,00"),
            "{text}"
        );
        assert!(
            text.contains("total;;;1200,00;80,00;100,00;20,00;0,00;15,00;5,00;10,00"),
            "{text}"
        );

        // The printable page, in a real browser, with its artefacts.
        let html = ctl.request(
            "GET",
            &format!("/v1/budget-years/{ybid}/statement"),
            None,
            &[("Accept", "text/html")],
        );
        assert!(html.content_type.starts_with("text/html"));
        if let Some(browser) = chromium() {
            let page = html.body.as_str().unwrap().to_string();
            let dom = dom_of(&browser, &page);
            for needle in [
                "Årsopgørelse",
                "Udstyr og materialer (Måtter)",
                "1.200,00",
                "100,00",
                "Krævet tilbagebetalt",
                "15,00",
                "Aftale om udbetaling af et fast beløb",
                "Overskredet",
            ] {
                assert!(
                    dom.contains(needle),
                    "the statement lacks {needle:?}:\n{dom}"
                );
            }
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("statement.html");
            std::fs::write(&file, &page).unwrap();
            let url = format!("file://{}", file.display());
            let db = format!("{:?}", s.db).to_lowercase();
            let png = artefacts().join(format!("statement-{db}.png"));
            let pdf = artefacts().join(format!("statement-{db}.pdf"));
            let profile = dir.path().join("profile");
            assert!(headless(
                &browser,
                &profile,
                &[
                    format!("--screenshot={}", png.display()),
                    "--window-size=1000,1400".into(),
                    url.clone()
                ]
            )
            .status
            .success());
            assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
            assert!(headless(
                &browser,
                &profile,
                &[
                    format!("--print-to-pdf={}", pdf.display()),
                    "--no-pdf-header-footer".into(),
                    url
                ]
            )
            .status
            .success());
            assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
        }
        s.client("controller", "202")
            .get(&format!("/v1/budget-years/{ybid}/statement"))
            .problem(404, "budget_year_not_found");
        s.client("payroll_firm", M)
            .get(&format!("/v1/budget-years/{ybid}/statement"))
            .problem(403, "forbidden");
    });
}
