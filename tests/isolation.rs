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
