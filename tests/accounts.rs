//! The standard chart of accounts and account creation, listing and lookup.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{each_backend, M, OTHER};
use serde_json::json;

#[test]
fn standard_chart_and_accounts() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let all = fin.get("/v1/accounts?limit=500");
        let codes: Vec<&str> = all.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap())
            .collect();
        for c in [
            "1000", "1100", "1200", "2000", "2200", "2300", "5100", "9000",
        ] {
            assert!(
                codes.contains(&c),
                "standard account {c} missing from {codes:?}"
            );
        }
        let budget = fin.get("/v1/accounts?kind=budget").ok(200)["items"]
            .as_array()
            .unwrap()
            .len();
        // The chart has exactly one budget account: the appropriation (9000).
        assert_eq!(budget, 1);
        // Pagination by cursor.
        let p1 = fin.get("/v1/accounts?limit=5");
        let next = p1.ok(200)["next"].as_str().unwrap().to_string();
        let p2 = fin.get(&format!("/v1/accounts?limit=5&after={next}"));
        assert_ne!(p1.body["items"][0]["id"], p2.body["items"][0]["id"]);

        let id = fin.create_account("7001", "asset", "credits_must_not_exceed_debits");
        let a = fin.account(&id);
        assert_eq!(a["constraint"], "credits_must_not_exceed_debits");
        assert_eq!(a["balance"], "0.00");
        fin.post(
            "/v1/accounts",
            &json!({"code": "7001", "name": "dup", "kind": "asset"}),
        )
        .problem(409, "account_code_taken");
        fin.post(
            "/v1/accounts",
            &json!({"code": "bad code!", "name": "x", "kind": "asset"}),
        )
        .problem(422, "invalid_account_code");
        fin.post(
            "/v1/accounts",
            &json!({"code": "7002", "name": "x", "kind": "gold"}),
        )
        .problem(400, "invalid_value");

        // Another municipality's account is answered exactly like a missing one.
        let other = s.client("finance", OTHER);
        let missing = other.get("/v1/accounts/00000000-0000-0000-0000-000000000000");
        missing.problem(404, "account_not_found");
        let foreign = other.get(&format!("/v1/accounts/{id}"));
        foreign.problem(404, "account_not_found");
        assert!(other.get("/v1/accounts?code=7001").ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty());
    });
}
