//! Municipal practice as settings: read with an ETag, changed with If-Match by the admin,
//! versioned with who and when, and used by the next budget decision.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{new_case, new_year};
use common::{each_backend, Client, M, OTHER};
use serde_json::json;

fn put(c: &Client, if_match: Option<&str>, body: &serde_json::Value) -> common::Resp {
    let b = body.to_string();
    match if_match {
        Some(v) => c.request(
            "PUT",
            "/v1/settings",
            Some(&b),
            &[("If-Match", v), ("Content-Type", "application/json")],
        ),
        None => c.request("PUT", "/v1/settings", Some(&b), &[]),
    }
}

#[test]
fn settings_are_read_changed_with_if_match_and_used() {
    each_backend(|s| {
        let admin = s.client("admin", M);
        let cw = s.client("caseworker", M);
        let r = cw.get("/v1/settings");
        let v = r.ok(200).clone();
        assert_eq!(r.header("etag"), Some("\"0\""));
        assert_eq!(
            (
                v["budget_year_months"].as_i64(),
                v["proposal_weeks_before_end"].as_i64(),
                v["documentation_weeks_after_end"].as_i64(),
                v["payslips_in_basis"].as_i64(),
                v["insurance_threshold_hours"].as_i64(),
                v["hearing_days"].as_i64()
            ),
            (Some(12), Some(8), Some(8), Some(3), Some(400), Some(14))
        );
        assert_eq!(v["version"], 0);
        let six = json!({"budget_year_months": 6, "proposal_weeks_before_end": 4, "documentation_weeks_after_end": 6, "payslips_in_basis": 3, "insurance_threshold_hours": 400, "hearing_days": 14});
        put(&admin, None, &six).problem(428, "precondition_required");
        put(&admin, Some("\"7\""), &six).problem(412, "version_mismatch");
        put(&admin, Some("x"), &six).problem(400, "invalid_if_match");
        put(&cw, Some("\"0\""), &six).problem(403, "forbidden");
        let bad = json!({"budget_year_months": 13, "proposal_weeks_before_end": 4, "documentation_weeks_after_end": 6, "payslips_in_basis": 0, "insurance_threshold_hours": 400, "hearing_days": 6});
        let r = put(&admin, Some("\"0\""), &bad);
        r.problem(422, "invalid_settings");
        assert_eq!(r.body["errors"].as_array().unwrap().len(), 3);
        // Every field is given: a PUT replaces the practice whole.
        let mut partial = six.clone();
        partial.as_object_mut().unwrap().remove("hearing_days");
        put(&admin, Some("\"0\""), &partial).problem(400, "missing_field");
        let r = put(&admin, Some("\"0\""), &six);
        let v = r.ok(200).clone();
        assert_eq!(r.header("etag"), Some("\"1\""));
        assert_eq!(v["version"], 1);
        assert_eq!(v["changed_by"], "test-admin");
        // The same version twice: the second is stale.
        put(&admin, Some("\"0\""), &six).problem(412, "version_mismatch");
        // Issue 22, point 10: a round trip. What was read, one value changed, PUT back whole
        // (read-only fields included, unchanged): accepted, the read-only fields ignored.
        let mut back = admin.get("/v1/settings").ok(200).clone();
        assert!(
            back["source"].is_string() && back["changed_at"].is_string(),
            "{back}"
        );
        back["insurance_threshold_hours"] = json!(300);
        let r = put(&admin, Some("\"1\""), &back);
        let v2 = r.ok(200).clone();
        assert_eq!(v2["insurance_threshold_hours"], 300);
        assert_eq!(v2["version"], 2);
        assert_ne!(v2["changed_at"], back["changed_at"]);
        back["insurance_threshold_hours"] = json!(400);
        put(&admin, Some("\"2\""), &back).ok(200);
        assert_eq!(cw.get("/v1/settings").ok(200)["budget_year_months"], 6);
        // Issue 24: the bank-matching window (default 3 days, 0-31); a client written before
        // the setting existed leaves it out (or null) and keeps the value in force.
        assert_eq!(back["bank_match_window_days"], 3);
        let mut window = back.clone();
        window["bank_match_window_days"] = json!(32);
        put(&admin, Some("\"3\""), &window).problem(422, "invalid_settings");
        window["bank_match_window_days"] = json!(5);
        assert_eq!(
            put(&admin, Some("\"3\""), &window).ok(200)["bank_match_window_days"],
            5
        );
        let kept = put(&admin, Some("\"4\""), &six);
        assert_eq!(kept.ok(200)["bank_match_window_days"], 5);
        assert_eq!(kept.body["budget_year_months"], 6);
        // Another municipality keeps Copenhagen's defaults.
        assert_eq!(
            s.client("admin", OTHER).get("/v1/settings").ok(200)["budget_year_months"],
            12
        );
        // Used: a budget year without an explicit end runs 6 months; the deadlines follow.
        let case = new_case(&cw, "SET-1", "2016-03-01", "2025-01-06", "2025-02-03");
        let y = new_year(
            &cw,
            &case,
            "2025-02-03",
            json!([{"category": "equipment", "description": "e", "amount": "100.00"}]),
        )
        .ok(201)
        .clone();
        assert_eq!(y["end_date"], "2025-08-02");
        assert_eq!(y["proposal_due"], "2025-07-05");
        assert_eq!(y["documentation_due"], "2025-09-13");
        // The deadlines list shows them too (informational), due by a date.
        let d = cw.get("/v1/deadlines?until=2025-07-31").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0]["kind"].as_str(), d[0]["due_on"].as_str()),
            (Some("proposal"), Some("2025-07-05"))
        );
        assert_eq!(d[0]["overdue"], true);
        let all = cw.get("/v1/deadlines").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1]["kind"], "documentation");
        // Documented expenses owe no annual accounts: not overdue.
        assert_eq!(all[1]["overdue"], false);
    });
}

/// Two admins change the same version at once: one wins, the other is told to read again.
#[test]
fn racing_changes_of_one_version_one_wins() {
    each_backend(|s| {
        let admin = s.client("admin", M);
        let results: Vec<u16> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..6)
                .map(|i| {
                    let admin = admin.clone();
                    sc.spawn(move || {
                        let body = json!({"budget_year_months": 6 + (i % 6), "proposal_weeks_before_end": 8, "documentation_weeks_after_end": 8, "payslips_in_basis": 3, "insurance_threshold_hours": 400, "hearing_days": 14});
                        put(&admin, Some("\"0\""), &body).status
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            results.iter().filter(|s| **s == 200).count(),
            1,
            "{results:?}"
        );
        assert!(
            results.iter().all(|s| *s == 200 || *s == 412),
            "{results:?}"
        );
        assert_eq!(admin.get("/v1/settings").ok(200)["version"], 1);
    });
}
