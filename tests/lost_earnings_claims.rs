//! Issue 21, lost earnings overpaid: months already paid that a later end or change shows were
//! not due are never netted against the parent's current pay (not even on the parent's other
//! case); they become one proposed claim per decision, the parent is heard, and the money is
//! claimed only on the assessment that the parent knew or should have known, else waived.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::new_case;
use common::lost_earnings::{balance, days_ago, grant, lines, proposed_claims, run, terms};
use common::{each_backend, key, today, M};
use serde_json::{json, Value};

#[test]
fn a_case_ended_back_in_time_is_a_proposed_claim_and_the_other_case_is_untouched() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let a = new_case(&cw, "LEC-1A", "2015-01-01", "2024-01-02", "2024-02-01");
        let b = new_case(&cw, "LEC-1B", "2016-01-01", "2024-01-02", "2024-02-01");
        // One parent on two children's cases: 20 + 17 of 37 hours.
        let da = grant(&cw, &a, terms("parent-x", "20"));
        let db = grant(&cw, &b, terms("parent-x", "17"));
        run(&fin, "2024-03");
        run(&fin, "2024-04");
        cw.post(
            &format!("/v1/cases/{a}/end"),
            &json!({"end_date": "2024-04-15", "reason": "Træningen stoppede"}),
        )
        .ok(200);
        let may = run(&fin, "2024-05");
        let ls = lines(&fin, &may);
        // The parent's pay in May is case B's month only: 30,000 × 17/37 = 13,783.78. Case A's
        // April is an information line, not paid and not deducted.
        assert_eq!(may["total_gross"], "13783.78", "{may}");
        let regular: Vec<&Value> = ls.iter().filter(|l| l["kind"] == "regular").collect();
        assert_eq!(regular.len(), 1, "{ls:?}");
        assert_eq!(regular[0]["decision_id"], db.as_str());
        assert_eq!(regular[0]["gross"], "13783.78");
        assert!(ls.iter().all(|l| l["decision_id"] == db.as_str()
            || (l["kind"] == "correction" && l["paid"] == false)));
        let info = ls.iter().find(|l| l["decision_id"] == da.as_str()).unwrap();
        // April of case A: 30,000 × 20/37 = 16,216.22 paid; due 16,216.22 × 15/30 = 8,108.11.
        assert_eq!(
            (info["corrects_month"].as_str(), info["gross"].as_str()),
            (Some("2024-04"), Some("-8108.11"))
        );
        assert!(info["entry_id"].is_null(), "{info}");
        // One proposed claim, owed by nobody yet.
        let claims = proposed_claims(&fin, &a);
        assert_eq!(claims.len(), 1, "{claims:?}");
        let c = &claims[0];
        assert_eq!(
            (
                c["origin"].as_str(),
                c["status"].as_str(),
                c["proposed_amount"].as_str(),
                c["outstanding"].as_str(),
                c["cause"].as_str(),
                c["lost_earnings_id"].as_str()
            ),
            (
                Some("lost_earnings"),
                Some("proposed"),
                Some("8108.11"),
                Some("0.00"),
                Some("case_ended"),
                Some(da.as_str())
            )
        );
        assert_eq!(info["clawback_id"], c["id"]);
        // Case A's April hours fell from 86.67 to 43.33, but ATP is the parent's (ATP-loven § 2 a,
        // stk. 5): with case B's 73.67 hours the parent had 160.33 hours and has 117.00, the
        // top bracket either way, so no ATP is taken back.
        let m = &c["months"][0];
        assert_eq!(
            [
                &m["month"],
                &m["gross"],
                &m["atp_recipient"],
                &m["atp_municipality"]
            ],
            ["2024-04", "8108.11", "0.00", "0.00"]
        );
        let cause = c["cause_decision_id"].as_str().unwrap();
        assert_eq!(
            cw.get(&format!("/v1/decisions/{cause}")).ok(200)["kind"],
            "case_ended"
        );
        assert!(proposed_claims(&fin, &b).is_empty());
        // 5500: A's March and April, B's three months, less the gross under review.
        let net: i64 = 2 * 1_621_622 + 3 * 1_378_378 - 810_811;
        assert_eq!(
            balance(&cw, "5500"),
            format!("{}.{:02}", net / 100, net % 100)
        );
        assert_eq!(balance(&cw, "1250"), "8108.11");

        // Heard: the letter lists the month and the condition for a claim.
        let cid = c["id"].as_str().unwrap();
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing"),
            &json!({"sent_on": days_ago(20)}),
        )
        .ok(200);
        let html = cw
            .get(&format!("/v1/clawbacks/{cid}/hearing/letter"))
            .body
            .as_str()
            .unwrap()
            .to_string();
        for needle in [
            "april 2024",
            "8.108,11",
            "vidste eller burde vide",
            "afsluttet",
        ] {
            assert!(html.contains(needle), "{needle} not in {html}");
        }
        let decide =
            |body: Value| cw.post_idem(&format!("/v1/clawbacks/{cid}/decision"), &key(), &body);
        // No claim without the assessment that the parent knew or should have known.
        decide(json!({"decision": "claim", "decided_on": today(), "reason": "Udbetalt for meget"}))
            .problem(422, "knowledge_not_established");
        decide(json!({"decision": "claim", "decided_on": today(), "reason": "Udbetalt for meget", "knew_or_should_have_known": false}))
            .problem(422, "knowledge_not_established");
        let w = decide(json!({"decision": "waive", "decided_on": today(), "reason": "Forælderen kunne ikke vide, at sagen blev afsluttet tilbage i tid"}))
            .ok(200)
            .clone();
        assert_eq!(w["clawback"]["status"], "waived");
        assert_eq!(balance(&cw, "1250"), "0.00");
        assert_eq!(balance(&cw, "5180"), "8108.11");
        // The next run corrects nothing again and proposes no second claim.
        let june = run(&fin, "2024-06");
        assert_eq!(
            (june["lines_count"].as_i64(), june["total_gross"].as_str()),
            (Some(1), Some("13783.78"))
        );
        assert_eq!(proposed_claims(&fin, &a).len(), 1);
        cw.verify_clean(M);
    });
}

#[test]
fn a_change_to_the_parents_disadvantage_is_claimed_on_the_knowledge_assessment() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "LEC-2", "2015-01-01", "2024-01-02", "2024-02-01");
        let d = grant(&cw, &case, terms("parent-y", "37"));
        run(&fin, "2024-03");
        run(&fin, "2024-04");
        // From 16 March: 20 hours instead of 37.
        let changed = cw
            .post_idem(
                &format!("/v1/lost-earnings/{d}/changes"),
                &key(),
                &json!({"effective_from": "2024-03-16", "granted_weekly_hours": "20"}),
            )
            .ok(201)
            .clone();
        let change_decision = changed["versions"][1]["decision_id"].as_str().unwrap();
        let may = run(&fin, "2024-05");
        // Paid in May: May only (30,000 × 20/37 = 16,216.22, less ATP 66.00 = 16,150.22).
        assert_eq!(
            (
                may["total_gross"].as_str(),
                may["total_pay_before_tax"].as_str()
            ),
            (Some("16216.22"), Some("16150.22"))
        );
        // March: 30,000 − (30,000 × 15/31 + 30,000 × 20/37 × 16/31) = 7,114.21;
        // April: 30,000 − 16,216.22 = 13,783.78. Together 20,897.99.
        let claims = proposed_claims(&fin, &case);
        assert_eq!(claims.len(), 1, "{claims:?}");
        let c = &claims[0];
        assert_eq!(c["proposed_amount"], "20897.99");
        assert_eq!(c["cause"], "changed");
        assert_eq!(c["cause_decision_id"], change_decision);
        let months: Vec<(&str, &str)> = c["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["month"].as_str().unwrap(), m["gross"].as_str().unwrap()))
            .collect();
        assert_eq!(months, [("2024-03", "7114.21"), ("2024-04", "13783.78")]);
        // The CSV for the payroll system marks the months as not paid.
        let csv = fin.request(
            "GET",
            &format!("/v1/payroll-runs/{}/lines", may["id"].as_str().unwrap()),
            None,
            &[("Accept", "text/csv")],
        );
        let text = csv.body.as_str().unwrap();
        assert!(text.lines().next().unwrap().ends_with("paid,clawback_id"));
        let claim_cell = format!(",no,{}", c["id"].as_str().unwrap());
        assert_eq!(
            text.lines().filter(|l| l.ends_with(&claim_cell)).count(),
            2,
            "{text}"
        );
        assert_eq!(text.lines().filter(|l| l.ends_with(",yes,")).count(), 1);
        // Heard (the municipality gives 21 days to answer), the answer recorded, then claimed
        // on the assessment.
        let admin = s.client("admin", M);
        let mut practice = admin.get("/v1/settings").ok(200).clone();
        practice["hearing_days"] = json!(21);
        admin
            .request(
                "PUT",
                "/v1/settings",
                Some(&practice.to_string()),
                &[("If-Match", "\"0\""), ("Content-Type", "application/json")],
            )
            .ok(200);
        let cid = c["id"].as_str().unwrap();
        let heard = cw
            .post(
                &format!("/v1/clawbacks/{cid}/hearing"),
                &json!({"sent_on": today()}),
            )
            .ok(200)
            .clone();
        let in_21 = (ledger::context::today_in_denmark() + chrono::Duration::days(21)).to_string();
        assert_eq!(heard["hearing"]["respond_by"], in_21.as_str());
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing/response"),
            &json!({"received_on": today(), "summary": "Forælderen vidste, at timerne var sat ned"}),
        )
        .ok(200);
        let decided = cw
            .post_idem(
                &format!("/v1/clawbacks/{cid}/decision"),
                &key(),
                &json!({"decision": "claim", "decided_on": today(), "knew_or_should_have_known": true,
                        "reason": "Forælderen fik afgørelsen om færre timer og burde vide, at beløbet var for højt"}),
            )
            .ok(200)
            .clone();
        assert_eq!(decided["clawback"]["status"], "open");
        assert_eq!(decided["clawback"]["outstanding"], "20897.99");
        assert_eq!(balance(&cw, "1200"), "20897.99");
        assert_eq!(balance(&cw, "1250"), "0.00");
        let decision = cw
            .get(&format!(
                "/v1/decisions/{}",
                decided["decision_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(decision["kind"], "clawback_claimed");
        cw.verify_clean(M);
    });
}
