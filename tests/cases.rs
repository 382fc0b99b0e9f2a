//! Cases: creation, CPR refusal, date rules, reads, isolation and ending a case.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{each_backend, M};
use serde_json::json;

#[test]
fn cases_refuse_cpr_and_bad_dates() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let base = json!({"external_ref": "SAG-1", "child_birth_date": "2018-05-01", "application_date": "2025-01-06", "approval_date": "2025-02-03", "scope": "full"});
        let c = cw.post("/v1/cases", &base);
        let case = c.ok(201).clone();
        assert_eq!(case["effective_end"], "2036-04-30");
        assert_eq!(case["ends_at_18"], "2036-04-30");
        cw.post("/v1/cases", &base).problem(409, "case_ref_taken");
        for cpr in ["010190-1234", "0101901234", "ref 010190-1234"] {
            let mut b = base.clone();
            b["external_ref"] = json!(cpr);
            let r = cw.post("/v1/cases", &b);
            r.problem(422, "cpr_number_not_allowed");
            assert_eq!(r.body["errors"][0]["field"], "external_ref");
        }
        let mut b = base.clone();
        b["external_ref"] = json!("SAG-2");
        b["approval_date"] = json!("2025-01-01");
        cw.post("/v1/cases", &b)
            .problem(422, "invalid_approval_date");
        b["approval_date"] = json!("2025-02-01");
        b["child_birth_date"] = json!("2006-01-01");
        cw.post("/v1/cases", &b).problem(422, "child_over_18");
        b["child_birth_date"] = json!("2018-05-01");
        b["scope"] = json!("half");
        cw.post("/v1/cases", &b).problem(400, "invalid_value");
        s.client("finance", M)
            .post("/v1/cases", &base)
            .problem(403, "forbidden");
        // Lists, reads, and municipality isolation.
        let id = case["id"].as_str().unwrap();
        assert_eq!(
            cw.get(&format!("/v1/cases/{id}")).ok(200)["external_ref"],
            "SAG-1"
        );
        assert_eq!(
            cw.get("/v1/cases?external_ref=SAG-1").ok(200)["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        s.client("caseworker", "147")
            .get(&format!("/v1/cases/{id}"))
            .problem(404, "case_not_found");
        s.client("payroll_firm", M)
            .get(&format!("/v1/cases/{id}"))
            .problem(403, "forbidden");
        s.client("payroll_firm", M)
            .get("/v1/cases")
            .problem(403, "forbidden");
        // Ending a case.
        let end = format!("/v1/cases/{id}/end");
        cw.post(&end, &json!({"end_date": "2024-01-01", "reason": "x"}))
            .problem(422, "invalid_end_date");
        let e = cw.post(
            &end,
            &json!({"end_date": "2025-09-30", "reason": "Parents stop the training"}),
        );
        assert_eq!(e.ok(200)["effective_end"], "2025-09-30");
        cw.post(&end, &json!({"end_date": "2025-10-30", "reason": "again"}))
            .problem(409, "case_already_ended");
    });
}
