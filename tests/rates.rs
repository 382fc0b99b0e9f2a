//! Rates: dated parameters such as the training expense cap.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{new_case_as_is, new_year};
use common::{each_backend, M};
use serde_json::json;

#[test]
fn rates_are_dated_parameters() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let r = cw.get("/v1/rates?name=training_expense_cap");
        let items = r.ok(200)["items"].as_array().unwrap().clone();
        let pairs: Vec<(String, String)> = items
            .iter()
            .map(|i| {
                (
                    i["valid_from"].as_str().unwrap().to_string(),
                    i["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        for (from, v) in [
            ("2016-07-01", "596681.00"),
            ("2017-01-01", "608615.00"),
            ("2018-01-01", "620787.00"),
            ("2020-01-01", "645867.00"),
            ("2024-01-01", "706600.00"),
        ] {
            assert!(
                pairs.contains(&(from.to_string(), v.to_string())),
                "{from} {v} missing from {pairs:?}"
            );
        }
        assert!(items
            .iter()
            .all(|i| i["source"].as_str().is_some_and(|s| !s.is_empty())));
        // National rates are written by the operator only; a municipality's admin may not.
        let admin = s.client("operator", M);
        let body = json!({"name": "training_expense_cap", "valid_from": "2025-01-01", "value": "722500.00", "source": "satsregulering 2025 (test)"});
        cw.post("/v1/rates", &body).problem(403, "forbidden");
        s.client("admin", M)
            .post("/v1/rates", &body)
            .problem(403, "forbidden");
        assert_eq!(admin.post("/v1/rates", &body).ok(201)["value"], "722500.00");
        admin.post("/v1/rates", &body).problem(409, "rate_exists");
        admin
            .post("/v1/rates", &json!({"name": "training_expense_cap", "valid_from": "2025-06-01", "value": "1.001", "source": "x"}))
            .problem(422, "invalid_amount");
        admin
            .post("/v1/rates", &json!({"name": "Bad Name", "valid_from": "2025-06-01", "value": "1", "source": "x"}))
            .problem(422, "invalid_rate_name");
        // The new value is in force for a budget year starting in 2025.
        let case = new_case_as_is(&cw, "RATE-1", "2015-01-01", "2025-01-01", "2025-01-10");
        let y = new_year(
            &cw,
            &case,
            "2025-01-10",
            json!([{"category": "equipment", "description": "e", "amount": "1000.00"}]),
        );
        assert_eq!(y.ok(201)["cap"], "722500.00");
        assert_eq!(y.body["cap_rate"]["valid_from"], "2025-01-01");
    });
}
