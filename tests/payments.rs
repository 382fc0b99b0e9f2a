//! Approvals, amendments, payables and payments: the whole story of one family's budget year.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, post_id, post_of, story_setup, year};
use common::{each_backend, key, M};
use serde_json::{json, Value};

#[test]
fn approval_books_and_payment_pays_the_whole_story() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (case, y) = story_setup(&cw, "STORY-1");
        let yid = y["id"].as_str().unwrap().to_string();
        let eq = post_id(&y, "equipment");
        let co = post_id(&y, "courses");
        let hp = post_id(&y, "helper_trainers");
        let e1 = expense(&cw, &yid, &eq, "2025-02-10", "1500.00", "S-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let e2 = expense(&cw, &yid, &eq, "2025-02-11", "700.50", "S-2").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let e3 = cw
            .post_idem(
                &format!("/v1/budget-years/{yid}/expenses"),
                &key(),
                &json!({"post_id": hp, "expense_date": "2025-02-28", "amount": "4000.00", "description": "Wages Feb", "supplier": "Payroll firm", "document_ref": "S-3", "hours": "20"}),
            )
            .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let e4 = expense(&cw, &yid, &eq, "2025-02-12", "99.00", "S-4").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let v = year(&cw, &yid);
        assert_eq!(post_of(&v, &eq)["pending"], "2299.50");
        // The family's other submissions, each refused for its rule; none changes the budget.
        expense(&cw, &yid, &eq, "2025-01-05", "10.00", "S-X1")
            .problem(422, "expense_before_application");
        expense(&cw, &yid, &eq, "2026-01-06", "10.00", "S-X2")
            .problem(422, "expense_outside_budget_year");
        expense(&cw, &yid, "not-a-post", "2025-02-10", "10.00", "S-X3")
            .problem(422, "post_not_granted");
        expense(&cw, &yid, &eq, "2025-02-10", "2700.51", "S-X4")
            .problem(422, "budget_post_exceeded");
        cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": co, "expense_date": "2025-02-10", "amount": "500.00", "description": "Course in Sweden", "supplier": "Institut", "document_ref": "S-X5", "course_country": "SE"}),
        )
        .problem(422, "course_abroad_not_covered");
        assert_eq!(
            year(&cw, &yid),
            v,
            "a refused expense changed the budget year"
        );

        // Approve three, reject one.
        let a1 = approve(&cw, &e1);
        assert_eq!(a1.ok(200)["status"], "approved");
        assert!(a1.body["entry_id"].is_string() && a1.body["payable_id"].is_string());
        // A retried approval with its Idempotency-Key answers with the first approval.
        let ak = key();
        let first = cw.request(
            "POST",
            &format!("/v1/expenses/{e2}/approve"),
            None,
            &[("Idempotency-Key", &ak)],
        );
        let retry = cw.request(
            "POST",
            &format!("/v1/expenses/{e2}/approve"),
            None,
            &[("Idempotency-Key", &ak)],
        );
        assert_eq!(retry.ok(200)["entry_id"], first.ok(200)["entry_id"]);
        assert_eq!(retry.header("idempotent-replayed"), Some("true"));
        approve(&cw, &e3).ok(200);
        approve(&cw, &e1).problem(409, "expense_not_pending");
        cw.post(&format!("/v1/expenses/{e4}/reject"), &json!({"reason": ""}))
            .problem(422, "invalid_reason");
        let rj = cw.post(
            &format!("/v1/expenses/{e4}/reject"),
            &json!({"reason": "Not necessary for the training"}),
        );
        assert_eq!(rj.ok(200)["status"], "rejected");
        approve(&cw, &e4).problem(409, "expense_not_pending");
        fin.post(&format!("/v1/expenses/{e4}/approve"), &json!({}))
            .problem(403, "forbidden");

        let v = year(&cw, &yid);
        let pe = post_of(&v, &eq);
        assert_eq!(
            (
                pe["granted"].as_str(),
                pe["approved"].as_str(),
                pe["pending"].as_str(),
                pe["remaining"].as_str()
            ),
            (
                Some("5000.00"),
                Some("2200.50"),
                Some("0.00"),
                Some("2799.50")
            )
        );
        let ph = post_of(&v, &hp);
        assert_eq!(ph["approved"], "4000.00");
        assert_eq!(ph["hours_used"], "20");
        assert_eq!(ph["hours_remaining"], "80");
        assert_eq!(v["total_approved"], "6200.50");
        assert_eq!(
            cw.account(pe["account_id"].as_str().unwrap())["balance"],
            "2799.50"
        );
        assert_eq!(fin.account(&fin.account_id("5110"))["balance"], "2200.50");
        assert_eq!(fin.account(&fin.account_id("5100"))["balance"], "4000.00");
        assert_eq!(fin.account(&fin.account_id("2000"))["balance"], "6200.50");

        // Amendment: If-Match required and checked; raise, add, lower (not below approved); cap again.
        let am = format!("/v1/budget-years/{yid}/amendments");
        let body = json!({"decided_on": "2025-04-01", "reason": "Supplementary application", "changes": [{"post_id": eq, "amount": "6000.00"}]});
        cw.post(&am, &body).problem(428, "precondition_required");
        cw.request(
            "POST",
            &am,
            Some(&body.to_string()),
            &[("If-Match", "\"7\"")],
        )
        .problem(412, "version_mismatch");
        let a = cw.request(
            "POST",
            &am,
            Some(&body.to_string()),
            &[("If-Match", "\"1\"")],
        );
        assert_eq!(a.ok(200)["version"], 2);
        assert_eq!(a.header("etag"), Some("\"2\""));
        assert_eq!(post_of(&a.body, &eq)["granted"], "6000.00");
        let low = json!({"decided_on": "2025-04-02", "reason": "Lower", "changes": [{"post_id": eq, "amount": "2000.00"}]});
        cw.request(
            "POST",
            &am,
            Some(&low.to_string()),
            &[("If-Match", "\"2\"")],
        )
        .problem(422, "post_below_approved");
        let cap = json!({"decided_on": "2025-04-02", "reason": "Too much", "changes": [{"category": "supervision", "description": "Sup", "amount": "700000.00"}]});
        cw.request(
            "POST",
            &am,
            Some(&cap.to_string()),
            &[("If-Match", "\"2\"")],
        )
        .problem(422, "training_cap_exceeded");
        let add = json!({"decided_on": "2025-04-02", "reason": "Supervisor", "changes": [{"category": "supervision", "description": "Sup", "amount": "1200.00"}, {"post_id": co, "amount": "2500.00"}]});
        let v3 = cw.request(
            "POST",
            &am,
            Some(&add.to_string()),
            &[("If-Match", "\"2\"")],
        );
        assert_eq!(v3.ok(200)["version"], 3);
        assert_eq!(v3.body["posts"].as_array().unwrap().len(), 4);
        assert_eq!(v3.body["total_granted"], "29700.00");
        let versions = cw.get(&format!("/v1/budget-years/{yid}/versions"));
        let vs = versions.ok(200)["items"].as_array().unwrap().clone();
        assert_eq!(vs.len(), 3);
        assert_eq!(vs[0]["total_granted"], "28000.00");
        assert_eq!(vs[1]["total_granted"], "29000.00");
        assert_eq!(vs[2]["reason"], "Supervisor");

        // Payables and payment.
        let open = fin.get(&format!("/v1/payables?status=open&case_id={case}"));
        let items = open.ok(200)["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 3);
        assert!(items.iter().all(|p| p["external_ref"] == "STORY-1"));
        cw.get("/v1/payables").problem(403, "forbidden");
        let ids: Vec<Value> = items.iter().map(|p| p["id"].clone()).collect();
        let fam = fin.get("/v1/payables/by-family").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let mine = fam.iter().find(|f| f["case_id"] == case.as_str()).unwrap();
        assert_eq!(mine["amount"], "6200.50");
        assert_eq!(mine["payable_ids"].as_array().unwrap().len(), 3);
        assert_eq!(mine["expense_ids"].as_array().unwrap().len(), 3);
        let k = key();
        let pay = json!({"payable_ids": ids, "paid_on": "2025-04-10", "bank_reference": "NETS-1"});
        let p = fin.post_idem("/v1/payments", &k, &pay);
        assert_eq!(p.ok(201)["amount"], "6200.50");
        assert_eq!(
            fin.post_idem("/v1/payments", &k, &pay).ok(200)["id"],
            p.body["id"]
        );
        let again =
            json!({"payable_ids": [ids[0]], "paid_on": "2025-04-11", "bank_reference": "NETS-2"});
        fin.post_idem("/v1/payments", &key(), &again)
            .problem(409, "payable_already_paid");
        fin.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": ["nope"], "paid_on": "2025-04-11", "bank_reference": "X"}),
        )
        .problem(404, "payable_not_found");
        assert!(fin.get("/v1/payables?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty());
        assert_eq!(fin.account(&fin.account_id("2000"))["balance"], "0.00");
        assert_eq!(fin.account(&fin.account_id("1000"))["balance"], "-6200.50");
        let paid = fin.get(&format!("/v1/expenses/{e1}")).ok(200).clone();
        assert_eq!(paid["status"], "approved");
        let tb = fin.get("/v1/trial-balance").ok(200).clone();
        assert_eq!(tb["total_debits"], tb["total_credits"]);
        cw.verify_clean(M);
    });
}
