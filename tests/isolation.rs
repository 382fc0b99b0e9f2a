//! Municipality isolation: another municipality sees nothing of a case, its expenses or payables.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, post_id, story_setup};
use common::{each_backend, key, M};
use serde_json::json;

#[test]
fn another_municipality_sees_nothing() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (_case, y) = story_setup(&cw, "ISO-1");
        let yid = y["id"].as_str().unwrap().to_string();
        let e = expense(
            &cw,
            &yid,
            &post_id(&y, "equipment"),
            "2025-03-01",
            "100.00",
            "ISO-E",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e).ok(200);
        let payable = s
            .client("finance", M)
            .get("/v1/payables?status=open")
            .ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let other_cw = s.client("caseworker", "147");
        let other_fin = s.client("finance", "147");
        other_cw
            .get(&format!("/v1/budget-years/{yid}"))
            .problem(404, "budget_year_not_found");
        other_cw
            .get(&format!("/v1/budget-years/{yid}/expenses"))
            .problem(404, "budget_year_not_found");
        other_cw
            .get(&format!("/v1/expenses/{e}"))
            .problem(404, "expense_not_found");
        other_cw
            .post(&format!("/v1/expenses/{e}/reject"), &json!({"reason": "x"}))
            .problem(404, "expense_not_found");
        expense(
            &other_cw,
            &yid,
            &post_id(&y, "equipment"),
            "2025-03-01",
            "1.00",
            "ISO-X",
        )
        .problem(404, "budget_year_not_found");
        assert!(other_fin.get("/v1/payables").ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty());
        other_fin
            .post_idem(
                "/v1/payments",
                &key(),
                &json!({"payable_ids": [payable], "paid_on": "2025-04-01", "bank_reference": "X"}),
            )
            .problem(404, "payable_not_found");
        // The payable is still open for its own municipality.
        assert_eq!(
            s.client("finance", M)
                .get("/v1/payables?status=open")
                .ok(200)["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    });
}

#[test]
fn the_ledger_carries_no_family_data() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "FAMREF-7731");
        let yid = y["id"].as_str().unwrap().to_string();
        let e = cw
            .post_idem(
                &format!("/v1/budget-years/{yid}/expenses"),
                &key(),
                &json!({"post_id": post_id(&y, "equipment"), "expense_date": "2025-03-01", "amount": "250.00",
                        "description": "Balancebræt til Ida", "supplier": "Fysiobutikken Vest", "document_ref": "KVIT-99812"}),
            )
            .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e).ok(200);
        let amendment = json!({"decided_on": "2025-03-02", "reason": "Ida skal have en ny måtte",
                "changes": [{"post_id": post_id(&y, "equipment"), "amount": "6000.00"}]});
        cw.request(
            "POST",
            &format!("/v1/budget-years/{yid}/amendments"),
            Some(&amendment.to_string()),
            &[("If-Match", "\"1\"")],
        )
        .ok(200);
        let firm = s.client("payroll_firm", M);
        let journal = firm.get("/v1/journal-entries?limit=500");
        let accounts = firm.get("/v1/accounts?limit=500");
        let tb = firm.get("/v1/trial-balance");
        let seen = format!("{} {} {}", journal.ok(200), accounts.ok(200), tb.ok(200));
        for secret in [
            "FAMREF",
            "Ida",
            "Balancebræt",
            "Fysiobutikken",
            "KVIT-99812",
            "Mats",
            "Helpers",
        ] {
            assert!(
                !seen.contains(secret),
                "{secret} is in the ledger a payroll firm reads"
            );
        }
        // What it does see: codes, amounts, dates and the sources of the entries.
        let items = journal.body["items"].as_array().unwrap();
        assert!(items
            .iter()
            .any(|i| i["source_type"] == "expense" && i["source_id"] == e.as_str()));
        assert!(items
            .iter()
            .all(|i| i["source_id"].is_string() || i["kind"] == "manual"));
        // The case itself stays out of the firm's reach.
        firm.get(&format!("/v1/cases/{case}"))
            .problem(403, "forbidden");
    });
}

#[test]
fn the_server_owns_the_request_id_and_the_end_of_a_case_is_signed() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let body = json!({"effective_date": "2025-03-01", "description": "with a caller's id",
            "postings": [{"account_id": bank, "debit": "5.00"}, {"account_id": eq, "credit": "5.00"}]});
        let r = fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&body.to_string()),
            &[
                ("Idempotency-Key", &key()),
                ("X-Request-Id", "caller-abc-1"),
            ],
        );
        let entry = r.ok(201);
        assert_eq!(entry["client_request_id"], "caller-abc-1");
        let server_id = entry["request_id"].as_str().unwrap();
        assert_ne!(server_id, "caller-abc-1");
        assert_eq!(r.header("x-request-id"), Some(server_id));
        // Ending a case records who decided it and when.
        let cw = s.client("caseworker", M);
        let (case, _) = story_setup(&cw, "END-SIGNED");
        let ended = cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-12-31", "reason": "ophør"}),
        );
        assert_eq!(ended.ok(200)["ended_by"], "test-caseworker");
        assert!(ended.body["ended_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')));
    });
}
