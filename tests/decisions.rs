//! Refusals are decisions: stored with what was asked, the rule, the legal reference and the
//! figures, listed on the case, readable, printable as a letter; malformed input stores nothing.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, post_id, story_setup};
use common::{each_backend, key, M, OTHER};
use serde_json::{json, Value};

fn decisions(c: &common::Client, case: &str) -> Vec<Value> {
    c.get(&format!("/v1/cases/{case}/decisions")).ok(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn every_substantive_refusal_is_a_stored_decision_with_a_letter() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "DEC-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let co = post_id(&y, "courses");
        // Granting the case and the budget are decisions already.
        let before = decisions(&cw, &case);
        let kinds: Vec<&str> = before.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["case_approved", "budget_year_granted"]);
        assert_eq!(before[1]["amount"], "28000.00");

        // Each substantive refusal: 422 as before, and a decision on the case.
        let cases: Vec<(Value, &str)> = vec![
            (
                json!({"post_id": eq, "expense_date": "2025-03-01", "amount": "5000.01", "description": "Mat", "supplier": "Shop ApS", "document_ref": "D-1"}),
                "budget_post_exceeded",
            ),
            (
                json!({"post_id": "no-such-post", "expense_date": "2025-03-01", "amount": "10.00", "description": "x", "supplier": "Shop ApS", "document_ref": "D-2"}),
                "post_not_granted",
            ),
            (
                json!({"post_id": co, "expense_date": "2025-03-01", "amount": "900.00", "description": "Course", "supplier": "Institute", "document_ref": "D-3", "course_country": "SE"}),
                "course_abroad_not_covered",
            ),
            (
                json!({"post_id": eq, "expense_date": "2025-01-05", "amount": "10.00", "description": "x", "supplier": "Shop ApS", "document_ref": "D-4"}),
                "expense_before_application",
            ),
            (
                json!({"post_id": eq, "expense_date": "2026-02-01", "amount": "10.00", "description": "x", "supplier": "Shop ApS", "document_ref": "D-5"}),
                "expense_outside_budget_year",
            ),
        ];
        let mut ids = vec![];
        for (body, code) in &cases {
            let k = key();
            let r = cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &k, body);
            r.problem(422, code);
            let id = r.body["decision_id"]
                .as_str()
                .unwrap_or_else(|| panic!("{code}: no decision_id in {:?}", r.body))
                .to_string();
            // A retry with the same key answers with the same decision, storing no second one.
            let again = cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &k, body);
            again.problem(422, code);
            assert_eq!(again.body["decision_id"], id.as_str());
            let d = cw.get(&format!("/v1/decisions/{id}")).ok(200).clone();
            assert_eq!(d["outcome"], "refused");
            assert_eq!(d["kind"], "expense_refused");
            assert_eq!(d["code"], *code);
            assert!(
                d["legal_reference"].as_str().is_some_and(|l| !l.is_empty()),
                "{d}"
            );
            assert_eq!(d["asked"]["document_ref"], body["document_ref"]);
            assert_eq!(d["decided_by"], "test-caseworker");
            ids.push(id);
        }
        // The post's figures are in the problem and the decision: what it had left.
        let over = cw.get(&format!("/v1/decisions/{}", ids[0])).ok(200).clone();
        let fig = |d: &Value, name: &str| {
            d["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["name"] == name)
                .map(|f| f["value"].as_str().unwrap().to_string())
        };
        assert_eq!(fig(&over, "remaining").as_deref(), Some("5000.00"));
        assert_eq!(fig(&over, "granted").as_deref(), Some("5000.00"));

        // Malformed input is not a decision: nothing stored.
        cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &key(), &json!({"post_id": eq, "expense_date": "2025-03-01", "amount": "1.001", "description": "x", "supplier": "S", "document_ref": "D-9"}))
            .problem(400, "invalid_amount");
        cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &key(), &json!({"post_id": eq, "expense_date": "2025-02-30", "amount": "1.00", "description": "x", "supplier": "S", "document_ref": "D-9"}))
            .ok(400);
        // A rejection by the caseworker is a decision too.
        let e = expense(&cw, yid, &eq, "2025-03-02", "100.00", "D-6").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        cw.post(
            &format!("/v1/expenses/{e}/reject"),
            &json!({"reason": "Ordinary household goods"}),
        )
        .ok(200);
        let ok = expense(&cw, yid, &eq, "2025-03-03", "200.00", "D-7").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let approved = approve(&cw, &ok).ok(200).clone();
        let all = decisions(&cw, &case);
        // The answer names the decision it recorded.
        assert_eq!(approved["decision_id"], all.last().unwrap()["id"]);
        let kinds: Vec<&str> = all.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "case_approved",
                "budget_year_granted",
                "expense_refused",
                "expense_refused",
                "expense_refused",
                "expense_refused",
                "expense_refused",
                "expense_rejected",
                "expense_approved"
            ]
        );
        assert_eq!(all[7]["reason"], "Ordinary household goods");
        assert_eq!(all[8]["outcome"], "granted");
        assert_eq!(all[8]["amount"], "200.00");

        // The letter: Danish, printable, with the reasons, the rule, the figures and appeal guidance.
        let letter = cw.get(&format!("/v1/decisions/{}/letter", ids[0]));
        assert_eq!(letter.status, 200);
        assert!(
            letter.content_type.starts_with("text/html"),
            "{}",
            letter.content_type
        );
        // A letter runs no script and loads nothing (issue 20, finding 8).
        let csp = letter.header("content-security-policy").unwrap_or("");
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        assert!(!csp.contains("script-src"), "{csp}");
        assert_eq!(letter.header("x-content-type-options"), Some("nosniff"));
        let html = letter.body.as_str().unwrap();
        for needle in [
            "DEC-1",
            "Afslag",
            "Klagevejledning",
            "4 uger",
            "Ankestyrelsen",
            "Tilbage på posten",
            "5.000,00",
            "budgetpost",
            // The law in Danish, and the municipality's practice as its own (issue 22 #9).
            "Barnets lov § 85",
            "af 5. december 2023",
            "Københavns Kommunes praksis",
        ] {
            assert!(html.contains(needle), "letter lacks {needle:?}");
        }
        assert!(!html.contains("Copenhagen"), "{html}");
        // Every value is escaped: a reason with markup is printed, not run.
        let x = expense(&cw, yid, &eq, "2025-03-04", "10.00", "D-8").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        cw.post(
            &format!("/v1/expenses/{x}/reject"),
            &json!({"reason": "<script>alert(1)</script> & co"}),
        )
        .ok(200);
        let rejected = decisions(&cw, &case).last().unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let html = cw
            .get(&format!("/v1/decisions/{rejected}/letter"))
            .body
            .as_str()
            .unwrap()
            .to_string();
        assert!(!html.contains("<script>alert"), "unescaped");
        assert!(
            html.contains("&lt;script&gt;alert(1)") && html.contains("&amp; co"),
            "{html}"
        );

        // Another municipality sees none of it; a payroll firm may not read decisions.
        let other = s.client("caseworker", OTHER);
        other
            .get(&format!("/v1/decisions/{}", ids[0]))
            .problem(404, "decision_not_found");
        other
            .get(&format!("/v1/cases/{case}/decisions"))
            .problem(404, "case_not_found");
        s.client("payroll_firm", M)
            .get(&format!("/v1/decisions/{}", ids[0]))
            .problem(403, "forbidden");
        cw.verify_clean(M);
    });
}

/// Issue 22, point 5: a decision is dated the day it is made (the appeal period runs from it),
/// never the case's approval date, the year's start or the day the family agreed.
#[test]
fn decisions_are_dated_the_day_they_are_made() {
    use common::home_training::{new_case, new_year, post_id};
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "DATED-1", "2016-03-01", "2025-01-06", "2025-02-03");
        let y = new_year(
            &cw,
            &case,
            "2025-01-06",
            json!([{"category": "equipment", "description": "Mats", "amount": "1200.00"}]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap();
        cw.post_idem(
            &format!("/v1/budget-years/{yid}/agreement"),
            &key(),
            &json!({"frequency": "yearly", "post_ids": [post_id(&y, "equipment")], "family_agreed_on": "2025-01-10", "first_payment_date": "2025-01-10"}),
        )
        .ok(201);
        let ds = decisions(&cw, &case);
        let kinds: Vec<&str> = ds.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["case_approved", "budget_year_granted", "agreement_made"]
        );
        let today = common::today();
        for d in &ds {
            assert_eq!(d["decided_on"].as_str(), Some(today.as_str()), "{d}");
        }
    });
}
