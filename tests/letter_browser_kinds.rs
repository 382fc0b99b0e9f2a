//! Issue 22 "Done when": letters of each kind read in a real browser (headless Chromium) for
//! their Danish legal basis and their figures. One story makes a decision of each kind a case
//! meets (the case, its budget, an expense approved, approved in part, rejected, refused and
//! annulled, a fixed-amount agreement, lost earnings granted, changed and refused, the case
//! ended), and every letter of the case is read: the law named in Danish, the appeal guidance,
//! no internal keys, codes, ids or English glosses.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::browser::{assert_no_raw_words, chromium, dom_of, keep};
use common::home_training::{approve, expense, post_id, story_setup};
use common::lost_earnings::terms;
use common::{each_backend, key, today, M};
use serde_json::json;
use std::collections::BTreeSet;

#[test]
fn every_kind_of_letter_names_danish_law_and_no_raw_words() {
    let Some(browser) = chromium() else { return };
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "KIND-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let co = post_id(&y, "courses");
        let id = |r: common::Resp| r.ok(201)["id"].as_str().unwrap().to_string();
        // Approved, approved in part, rejected, refused (a course abroad), annulled.
        let a = id(expense(&cw, yid, &eq, "2025-03-01", "1000.00", "K-1"));
        approve(&cw, &a).ok(200);
        let b = id(expense(&cw, yid, &eq, "2025-03-02", "300.00", "K-2"));
        cw.post(
            &format!("/v1/expenses/{b}/approve"),
            &json!({"amount": "180.00", "reason": "Kørsel dækkes med statens laveste takst"}),
        )
        .ok(200);
        let c = id(expense(&cw, yid, &eq, "2025-03-03", "50.00", "K-3"));
        cw.post(
            &format!("/v1/expenses/{c}/reject"),
            &json!({"reason": "Ikke en træningsudgift"}),
        )
        .ok(200);
        cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": co, "expense_date": "2025-03-04", "amount": "900.00", "description": "Kursus",
                    "supplier": "Kursus GmbH", "document_ref": "K-4", "course_country": "DE"}),
        )
        .problem(422, "course_abroad_not_covered");
        cw.post_idem(
            &format!("/v1/expenses/{a}/annul"),
            &key(),
            &json!({"decided_on": today(), "reason": "Udgiften var dækket af en anden ordning"}),
        )
        .ok(200);
        // The budget amended (a supplementary decision), and next year's budget refused whole
        // above the yearly cap.
        cw.request(
            "POST",
            &format!("/v1/budget-years/{yid}/amendments"),
            Some(
                &json!({"decided_on": today(), "reason": "Tillægsansøgning",
                         "changes": [{"post_id": eq, "amount": "6000.00"}]})
                .to_string(),
            ),
            &[("If-Match", "\"1\""), ("Content-Type", "application/json")],
        )
        .ok(200);
        cw.post_idem(
            &format!("/v1/cases/{case}/budget-years"),
            &key(),
            &json!({"start_date": "2026-01-06", "posts": [
                {"category": "equipment", "description": "Svømmebassin", "amount": "800000.00"}]}),
        )
        .problem(422, "training_cap_exceeded");
        // Lost earnings: granted, changed, and refused (above the normal week).
        let d = cw
            .post_idem(&format!("/v1/cases/{case}/lost-earnings"), &key(), &{
                let mut t = terms("parent-k", "20");
                t["valid_from"] = json!("2025-03-01");
                t["valid_to"] = json!("2025-12-31");
                t
            })
            .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        cw.post_idem(
            &format!("/v1/lost-earnings/{d}/changes"),
            &key(),
            &json!({"effective_from": "2025-06-01", "granted_weekly_hours": "15"}),
        )
        .ok(201);
        let mut too_many = terms("parent-k2", "40");
        too_many["valid_from"] = json!("2025-03-01");
        too_many["valid_to"] = json!("2025-12-31");
        assert_eq!(
            cw.post_idem(
                &format!("/v1/cases/{case}/lost-earnings"),
                &key(),
                &too_many
            )
            .status,
            422
        );
        // The case ends.
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-09-30", "reason": "Familien stopper træningen"}),
        )
        .ok(200);
        let all = cw
            .get(&format!("/v1/cases/{case}/decisions"))
            .ok(200)
            .clone();
        let mut kinds = BTreeSet::new();
        for dec in all["items"].as_array().unwrap() {
            let did = dec["id"].as_str().unwrap();
            let kind = dec["kind"].as_str().unwrap().to_string();
            let html = cw.get(&format!("/v1/decisions/{did}/letter"));
            let dom = dom_of(&browser, html.body.as_str().unwrap());
            assert!(dom.contains("Afgørelsen er truffet efter"), "{kind}: {dom}");
            assert!(
                dom.contains("Barnets lov § 8"),
                "{kind} names no Danish law: {dom}"
            );
            // The form of a decision and the appeal, by their Danish titles (issue 22 #9).
            for law in [
                "Forvaltningsloven §§ 22, 24 og 25",
                "Retssikkerhedsloven §§ 66-67",
            ] {
                assert!(dom.contains(law), "{kind} does not cite {law}: {dom}");
            }
            assert!(
                dom.contains("Klagevejledning") && dom.contains("Ankestyrelsen"),
                "{kind}"
            );
            // The decision's own id is the letter's reference number (to quote in an appeal);
            // no other id is shown (assert_no_raw_words).
            assert!(!dom.contains(&kind), "{kind} shows its kind's key");
            assert_no_raw_words(&dom);
            // Signed by the office (the token carried no name) in the municipality's name,
            // dated the Danish way.
            assert!(
                dom.contains("kommunens sagsbehandler</span>, Københavns Kommune"),
                "{kind}"
            );
            let backend = format!("{:?}", s.db).to_lowercase();
            keep(
                &browser,
                html.body.as_str().unwrap(),
                &format!("{kind}-{backend}"),
            );
            kinds.insert(kind);
        }
        for k in [
            "case_approved",
            "budget_year_granted",
            "budget_year_amended",
            "budget_refused",
            "expense_approved",
            "expense_rejected",
            "expense_refused",
            "expense_annulled",
            "lost_earnings_granted",
            "lost_earnings_changed",
            "lost_earnings_refused",
            "case_ended",
        ] {
            assert!(kinds.contains(k), "no {k} letter was read: {kinds:?}");
        }
    });
}
