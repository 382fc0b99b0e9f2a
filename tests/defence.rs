//! Second line of defence: disguised CPR numbers, too many posts, future decisions, rate decreases.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{expense, new_case, new_year, post_id, story_setup};
use common::{each_backend, M};
use serde_json::{json, Value};

#[test]
fn second_line_of_defence() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        // National rates are written by the operator only.
        let admin = s.client("operator", M);
        // CPR numbers in disguise.
        for r in ["01 01 90 1234", "010190 1234", "０１０１９０１２３４"] {
            cw.post(
                "/v1/cases",
                &json!({"external_ref": r, "child_birth_date": "2016-03-01", "application_date": "2025-01-06", "approval_date": "2025-02-03", "scope": "full"}),
            )
            .problem(422, "cpr_number_not_allowed");
        }
        let (_case, y) = story_setup(&cw, "SLD-1");
        let yid = y["id"].as_str().unwrap().to_string();
        expense(
            &cw,
            &yid,
            &post_id(&y, "equipment"),
            "2025-03-01",
            "10.00",
            "0101901234",
        )
        .problem(422, "cpr_number_not_allowed");
        // Too many posts; a decision dated in the future.
        let many: Vec<Value> = (0..51)
            .map(|i| json!({"category": "other", "description": format!("p{i}"), "amount": "1.00"}))
            .collect();
        let case2 = new_case(&cw, "SLD-2", "2016-03-01", "2025-01-06", "2025-02-03");
        new_year(&cw, &case2, "2025-01-06", Value::Array(many)).problem(422, "too_many_posts");
        let am = json!({"decided_on": "2099-01-01", "reason": "r", "changes": [{"post_id": post_id(&y, "equipment"), "amount": "6000.00"}]});
        cw.request(
            "POST",
            &format!("/v1/budget-years/{yid}/amendments"),
            Some(&am.to_string()),
            &[("If-Match", "\"1\"")],
        )
        .problem(422, "invalid_decided_on");
        // The cap is regulated upward and is a positive amount.
        admin
            .post("/v1/rates", &json!({"name": "training_expense_cap", "valid_from": "2027-01-01", "value": "600000.00", "source": "typo"}))
            .problem(422, "rate_decrease");
        admin
            .post("/v1/rates", &json!({"name": "training_expense_cap", "valid_from": "2027-01-01", "value": "0.00", "source": "typo"}))
            .problem(422, "invalid_value");
    });
}
