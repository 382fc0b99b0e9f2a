//! Expenses: every rule, the 18th birthday, the rolling cap, and the checks made again at approval.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, new_case, new_year, post_id, story_setup, year};
use common::{each_backend, key, Client, M};
use serde_json::{json, Value};

#[test]
fn expenses_are_judged_by_every_rule() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "EX-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let co = post_id(&y, "courses");
        let hp = post_id(&y, "helper_trainers");

        // Retroactive: between application (01-06) and approval (02-03) is accepted.
        let ok = expense(&cw, yid, &eq, "2025-01-20", "1200.00", "R-1");
        assert_eq!(ok.ok(201)["status"], "pending");
        // Before the application date.
        let r = expense(&cw, yid, &eq, "2025-01-05", "10.00", "R-2");
        r.problem(422, "expense_before_application");
        assert!(r.body["legal_reference"].is_string());
        // Outside the budget year (it ends 2026-01-05).
        expense(&cw, yid, &eq, "2026-01-06", "10.00", "R-3")
            .problem(422, "expense_outside_budget_year");
        // A post that was not granted in this year.
        expense(&cw, yid, "no-such-post", "2025-03-01", "10.00", "R-4")
            .problem(422, "post_not_granted");
        // More than the post has left, though other posts have money: names the post and what is left.
        let r = expense(&cw, yid, &eq, "2025-03-01", "3800.01", "R-5");
        r.problem(422, "budget_post_exceeded");
        let d = r.body["detail"].as_str().unwrap();
        assert!(d.contains("Mats") && d.contains("3800.00"), "{d}");
        // Courses abroad are not covered; a course must say where it is held.
        let abroad = cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": co, "expense_date": "2025-03-01", "amount": "900.00", "description": "Course fee", "supplier": "Institute", "document_ref": "R-6", "course_country": "US"}),
        );
        abroad.problem(422, "course_abroad_not_covered");
        assert!(abroad.body["legal_reference"]
            .as_str()
            .unwrap()
            .contains("157 d"));
        expense(&cw, yid, &co, "2025-03-01", "900.00", "R-7")
            .problem(422, "course_country_required");
        let dk = cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": co, "expense_date": "2025-03-01", "amount": "900.00", "description": "Course fee", "supplier": "Institute", "document_ref": "R-8", "course_country": "DK"}),
        );
        dk.ok(201);
        // The same document twice.
        expense(&cw, yid, &eq, "2025-03-02", "10.00", "R-1").problem(409, "document_ref_taken");
        // Hours are a limit on an hour-based post.
        let hrs = |h: &str, amount: &str, doc: &str| {
            cw.post_idem(
                &format!("/v1/budget-years/{yid}/expenses"),
                &key(),
                &json!({"post_id": hp, "expense_date": "2025-03-01", "amount": amount, "description": "Wages", "supplier": "Payroll firm", "document_ref": doc, "hours": h}),
            )
        };
        hrs("60", "6000.00", "H-1").ok(201);
        hrs("41", "100.00", "H-2").problem(422, "budget_post_hours_exceeded");
        // CPR numbers are refused in free text.
        let cpr = cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": eq, "expense_date": "2025-03-01", "amount": "1.00", "description": "for 010190-1234", "supplier": "S", "document_ref": "C-1"}),
        );
        cpr.problem(422, "cpr_number_not_allowed");
        // Idempotency.
        let k = key();
        let body = json!({"post_id": eq, "expense_date": "2025-03-03", "amount": "100.00", "description": "ball", "supplier": "S", "document_ref": "I-1"});
        let first = cw
            .post_idem(&format!("/v1/budget-years/{yid}/expenses"), &k, &body)
            .ok(201)["id"]
            .clone();
        assert_eq!(
            cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &k, &body)
                .ok(200)["id"],
            first
        );
        cw.request(
            "POST",
            &format!("/v1/budget-years/{yid}/expenses"),
            Some(&body.to_string()),
            &[],
        )
        .problem(400, "idempotency_key_required");

        // After the case ends nothing can be booked for later dates.
        let end = cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-02-15", "reason": "moved"}),
        );
        end.problem(422, "case_has_later_bookings");
        let pending: Vec<String> = cw.get(&format!("/v1/budget-years/{yid}/expenses")).ok(200)
            ["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(pending.len(), 4);
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-03-31", "reason": "moved"}),
        )
        .ok(200);
        expense(&cw, yid, &eq, "2025-04-01", "10.00", "R-9").problem(422, "case_ended");
        assert_eq!(year(&cw, yid)["end_date"], "2025-03-31");
        // Wrong role.
        s.client("finance", M)
            .post_idem(&format!("/v1/budget-years/{yid}/expenses"), &key(), &body)
            .problem(403, "forbidden");
    });
}

#[test]
fn the_eighteenth_birthday_ends_the_case() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "AGE-1", "2007-04-10", "2024-06-01", "2024-06-15");
        let y = new_year(
            &cw,
            &case,
            "2024-06-15",
            json!([{"category": "equipment", "description": "e", "amount": "5000.00"}]),
        )
        .ok(201)
        .clone();
        assert_eq!(y["end_date"], "2025-04-09");
        let eq = post_id(&y, "equipment");
        let yid = y["id"].as_str().unwrap();
        expense(&cw, yid, &eq, "2025-04-09", "10.00", "A-1").ok(201);
        expense(&cw, yid, &eq, "2025-04-10", "10.00", "A-2").problem(422, "case_ended");
    });
}

/// A case with two consecutive budget years (2024-02-01 and 2025-02-01), the first granted
/// 700,000 of the 706,600 cap and the second 100,000.
fn two_years_near_the_cap(cw: &Client, r: &str) -> (Value, Value) {
    let case = new_case(cw, r, "2016-03-01", "2024-02-01", "2024-02-01");
    let year = |start: &str, amount: &str| {
        new_year(
            cw,
            &case,
            start,
            json!([{"category": "equipment", "description": "e", "amount": amount}]),
        )
        .ok(201)
        .clone()
    };
    (
        year("2024-02-01", "700000.00"),
        year("2025-02-01", "100000.00"),
    )
}

#[test]
fn rolling_cap_counts_across_budget_years() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (y1, y2) = two_years_near_the_cap(&cw, "ROLL-1");
        let (y1id, y2id) = (y1["id"].as_str().unwrap(), y2["id"].as_str().unwrap());
        let big = expense(
            &cw,
            y1id,
            &post_id(&y1, "equipment"),
            "2025-01-15",
            "700000.00",
            "B-1",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &big).ok(200);
        let p2 = post_id(&y2, "equipment");
        // 700,000 on 2025-01-15 + 10,000 on 2025-03-01 lie within 12 months: above 706,600.
        let r = expense(&cw, y2id, &p2, "2025-03-01", "10000.00", "B-2");
        r.problem(422, "rolling_cap_exceeded");
        assert!(r.body["legal_reference"]
            .as_str()
            .unwrap()
            .contains("157 d"));
        // Up to the cap is fine; more than 12 months later the window has moved on.
        expense(&cw, y2id, &p2, "2025-03-01", "6600.00", "B-3").ok(201);
        expense(&cw, y2id, &p2, "2026-01-15", "50000.00", "B-4").ok(201);
    });
}

#[test]
fn approval_rechecks_the_rolling_cap_and_respects_closed_periods() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let ctl = s.client("controller", M);
        let (y1, y2) = two_years_near_the_cap(&cw, "RC-1");
        let e1 = expense(
            &cw,
            y1["id"].as_str().unwrap(),
            &post_id(&y1, "equipment"),
            "2025-01-15",
            "650000.00",
            "RC-A",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        // Each alone is within the cap; both together within 12 months are not.
        let e2 = expense(
            &cw,
            y2["id"].as_str().unwrap(),
            &post_id(&y2, "equipment"),
            "2025-03-01",
            "60000.00",
            "RC-B",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e1).ok(200);
        // The cap is exceeded at approval: the expense is refused, and the refusal is a decision
        // the family is owed (status `refused`, the problem names the decision).
        let refused = approve(&cw, &e2);
        refused.problem(422, "rolling_cap_exceeded");
        let decision = refused.body["decision_id"].as_str().unwrap().to_string();
        assert_eq!(
            cw.get(&format!("/v1/expenses/{e2}")).ok(200)["status"],
            "refused"
        );
        let d = cw.get(&format!("/v1/decisions/{decision}")).ok(200).clone();
        assert_eq!(d["outcome"], "refused");
        assert_eq!(d["code"], "rolling_cap_exceeded");
        assert_eq!(d["subject"]["id"], e2.as_str());
        // An expense dated in a closed period is booked on the first open date.
        let e3 = expense(
            &cw,
            y2["id"].as_str().unwrap(),
            &post_id(&y2, "equipment"),
            "2026-01-20",
            "100.00",
            "RC-C",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        ctl.post("/v1/periods/close", &json!({"through": "2026-01-31"}))
            .ok(201);
        let a = approve(&cw, &e3).ok(200).clone();
        let entry = cw
            .get(&format!(
                "/v1/journal-entries/{}",
                a["entry_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(entry["effective_date"], "2026-02-01");
        assert_eq!(entry["kind"], "expense_approved");
        assert_eq!(entry["source_id"], e3.as_str());
        ctl.post("/v1/periods/close", &json!({"through": "2099-12-31"}))
            .problem(422, "period_close_in_future");
        // Payment before the expense, or dated in the closed period, is refused; the right one is booked.
        let fin = s.client("finance", M);
        let open = fin.get("/v1/payables?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let ids: Vec<Value> = open.iter().map(|p| p["id"].clone()).collect();
        fin.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": ids, "paid_on": "2026-01-15", "bank_reference": "B-0"}),
        )
        .problem(422, "payment_before_expense");
        fin.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": ids, "paid_on": "2026-01-25", "bank_reference": "B-1"}),
        )
        .problem(422, "period_closed");
        cw.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": ids, "paid_on": "2026-02-15", "bank_reference": "B-1"}),
        )
        .problem(403, "forbidden");
        let k = key();
        fin.post_idem(
            "/v1/payments",
            &k,
            &json!({"payable_ids": ids, "paid_on": "2026-02-15", "bank_reference": "B-1"}),
        )
        .ok(201);
        fin.post_idem(
            "/v1/payments",
            &k,
            &json!({"payable_ids": ids, "paid_on": "2026-02-16", "bank_reference": "B-1"}),
        )
        .problem(409, "idempotency_key_reused");
        cw.verify_clean(M);
    });
}

/// Issue 22, point 8: an expense approved in part. The amount approved is booked and owed; the
/// rest is refused by a decision of its own, with its reason and letter.
#[test]
fn an_expense_is_approved_in_part_and_the_rest_refused_with_reasons() {
    use common::home_training::{expense, post_id, post_of, story_setup, year};
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "PART-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let id = expense(&cw, yid, &eq, "2025-03-01", "500.00", "PART-E1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let approve =
            |body: serde_json::Value| cw.post(&format!("/v1/expenses/{id}/approve"), &body);
        // Not a part: nothing, or all of it.
        approve(json!({"amount": "500.00", "reason": "x"})).problem(422, "invalid_amount");
        approve(json!({"amount": "0.00", "reason": "x"})).problem(422, "invalid_amount");
        approve(json!({"amount": "300.00"})).problem(400, "invalid_value");
        let e =
            approve(json!({"amount": "300.00", "reason": "Kun måtten er nødvendig for træningen"}))
                .ok(200)
                .clone();
        assert_eq!(
            (e["amount"].as_str(), e["requested_amount"].as_str()),
            (Some("300.00"), Some("500.00"))
        );
        assert_eq!(e["status"], "approved");
        assert_eq!(post_of(&year(&cw, yid), &eq)["remaining"], "4700.00");
        let owed = cw
            .with_token(&common::token("finance", M))
            .get(&format!("/v1/payables?case_id={case}"))
            .ok(200)["items"]
            .clone();
        assert_eq!(owed[0]["amount"], "300.00");
        let ds = cw.get(&format!("/v1/cases/{case}/decisions")).ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let refused = ds
            .iter()
            .find(|d| d["kind"] == "expense_rejected")
            .expect("the refused part is a decision");
        assert_eq!(refused["amount"], "200.00");
        assert_eq!(refused["outcome"], "refused");
        let letter = cw.get(&format!(
            "/v1/decisions/{}/letter",
            refused["id"].as_str().unwrap()
        ));
        let html = letter.body.as_str().unwrap();
        assert!(html.contains("Kun måtten er nødvendig"), "{html}");
        assert!(
            html.contains("Afslået beløb") && html.contains("200,00"),
            "{html}"
        );
        let granted = ds
            .iter()
            .find(|d| d["kind"] == "expense_approved")
            .expect("the approval is a decision");
        assert_eq!(granted["amount"], "300.00");
        cw.verify_clean(M);
    });
}
