//! Dates as the law sees them: service periods, short and retroactive budget years, the leap-day
//! window, rates a year lacks, and a budget decision's date.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, new_case, new_year, post_id};
use common::{each_backend, key, Client, M};
use serde_json::{json, Value};

fn submit(cw: &Client, year: &str, body: Value) -> common::Resp {
    cw.post_idem(&format!("/v1/budget-years/{year}/expenses"), &key(), &body)
}

#[test]
fn service_periods_decide_what_an_ended_case_still_pays() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "SP-1", "2016-03-01", "2025-01-06", "2025-02-03");
        let y = new_year(&cw, &case, "2025-02-03", json!([{"category": "helper_trainers", "description": "Helpers", "hours": "100", "hourly_rate": "200.00"}])).ok(201).clone();
        let yid = y["id"].as_str().unwrap();
        let hp = post_id(&y, "helper_trainers");
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-06-30", "reason": "The family ends the training"}),
        )
        .ok(200);
        let wages = |doc: &str, from: &str, to: &str| json!({"post_id": hp, "expense_date": "2025-07-10", "service_from": from, "service_to": to, "amount": "1000.00", "hours": "5", "description": "Wages", "supplier": "Lønadm ApS", "document_ref": doc});
        // June wages and holiday pay arrive after the end: covered, the service lies before it.
        let june = submit(&cw, yid, wages("W-6", "2025-06-01", "2025-06-30"))
            .ok(201)
            .clone();
        assert_eq!(june["service_to"], "2025-06-30");
        approve(&cw, june["id"].as_str().unwrap()).ok(200);
        // Work after the end is not.
        let r = submit(&cw, yid, wages("W-7", "2025-06-15", "2025-07-15"));
        r.problem(422, "case_ended");
        assert_eq!(r.body["errors"][0]["field"], "service_to");
        assert!(r.body["decision_id"].is_string());
        // An invoice paid before the service is fine; a period that runs backwards is not.
        let early = json!({"post_id": hp, "expense_date": "2025-02-20", "service_from": "2025-03-01", "service_to": "2025-03-31", "amount": "1000.00", "hours": "5", "description": "Prepaid course fee", "supplier": "X", "document_ref": "W-3"});
        submit(&cw, yid, early).ok(201);
        let backwards = json!({"post_id": hp, "expense_date": "2025-04-01", "service_from": "2025-03-31", "service_to": "2025-03-01", "amount": "1.00", "hours": "1", "description": "x", "supplier": "X", "document_ref": "W-4"});
        let r = submit(&cw, yid, backwards);
        r.problem(422, "invalid_service_period");
        assert!(r.body.get("decision_id").is_none());
        cw.verify_clean(M);
    });
}

#[test]
fn short_calendar_years_and_a_retroactive_lead_in() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        // Approved in March; the municipality budgets per calendar year: a short first year.
        let case = new_case(&cw, "CAL-1", "2016-03-01", "2025-01-06", "2025-03-03");
        let posts = json!([{"category": "equipment", "description": "Mats", "amount": "5000.00"}]);
        let too_long = cw.post_idem(
            &format!("/v1/cases/{case}/budget-years"),
            &key(),
            &json!({"start_date": "2025-03-03", "end_date": "2026-03-03", "posts": posts}),
        );
        too_long.problem(422, "budget_year_too_long");
        // The lead-in reaches back to the application, not before it.
        cw.post_idem(&format!("/v1/cases/{case}/budget-years"), &key(), &json!({"start_date": "2025-03-03", "end_date": "2025-12-31", "retroactive_from": "2025-01-05", "posts": posts}))
            .problem(422, "invalid_retroactive_from");
        let y = cw.post_idem(&format!("/v1/cases/{case}/budget-years"), &key(), &json!({"start_date": "2025-03-03", "end_date": "2025-12-31", "retroactive_from": "2025-01-06", "posts": posts})).ok(201).clone();
        assert_eq!(y["end_date"], "2025-12-31");
        assert_eq!(y["retroactive_from"], "2025-01-06");
        // The lead-in is funded from its first day: the grant is booked on 2025-01-06.
        let v = cw
            .get(&format!(
                "/v1/budget-years/{}/versions",
                y["id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        let grant = cw
            .get(&format!(
                "/v1/journal-entries/{}",
                v["items"][0]["entry_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(grant["effective_date"], "2025-01-06");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let e = |date: &str, doc: &str| json!({"post_id": eq, "expense_date": date, "amount": "100.00", "description": "Mat", "supplier": "Shop", "document_ref": doc});
        // A retroactive expense between application and approval is booked in this year.
        let retro = submit(&cw, yid, e("2025-02-01", "L-1")).ok(201).clone();
        approve(&cw, retro["id"].as_str().unwrap()).ok(200);
        submit(&cw, yid, e("2025-01-05", "L-2")).problem(422, "expense_before_application");
        submit(&cw, yid, e("2026-01-02", "L-3")).problem(422, "expense_outside_budget_year");
        // The next (calendar) year starts on 1 January and may not reach back.
        let y2 = cw.post_idem(&format!("/v1/cases/{case}/budget-years"), &key(), &json!({"start_date": "2026-01-01", "end_date": "2026-12-31", "retroactive_from": "2025-12-01", "posts": posts}));
        y2.problem(422, "invalid_retroactive_from");
        let y2 = cw.post_idem(
            &format!("/v1/cases/{case}/budget-years"),
            &key(),
            &json!({"start_date": "2026-01-01", "end_date": "2026-12-31", "posts": posts}),
        );
        assert_eq!(y2.ok(201)["end_date"], "2026-12-31");
        // A budget decision is dated between the application and today.
        let c2 = new_case(&cw, "CAL-2", "2016-03-01", "2025-01-06", "2025-03-03");
        for bad in ["2025-01-05", "2099-01-01"] {
            cw.post_idem(
                &format!("/v1/cases/{c2}/budget-years"),
                &key(),
                &json!({"start_date": "2025-03-03", "decided_on": bad, "posts": posts}),
            )
            .problem(422, "invalid_decided_on");
        }
        cw.verify_clean(M);
    });
}

#[test]
fn the_leap_day_window_does_not_contain_the_last_day_of_february() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "LEAP-1", "2015-03-01", "2024-02-01", "2024-02-29");
        let y1 = new_year(
            &cw,
            &case,
            "2024-02-29",
            json!([{"category": "equipment", "description": "Big", "amount": "703000.00"}]),
        )
        .ok(201)
        .clone();
        // 12 months from 2024-02-29 end on 2025-02-27.
        assert_eq!(y1["end_date"], "2025-02-27");
        let big = submit(&cw, y1["id"].as_str().unwrap(), json!({"post_id": post_id(&y1, "equipment"), "expense_date": "2024-02-29", "amount": "703000.00", "description": "Pool", "supplier": "S", "document_ref": "LP-1"})).ok(201).clone();
        approve(&cw, big["id"].as_str().unwrap()).ok(200);
        let y2 = new_year(
            &cw,
            &case,
            "2025-02-28",
            json!([{"category": "equipment", "description": "Next", "amount": "50000.00"}]),
        )
        .ok(201)
        .clone();
        // No 12-month window that contains 2025-02-28 contains 2024-02-29: accepted.
        let ok = submit(&cw, y2["id"].as_str().unwrap(), json!({"post_id": post_id(&y2, "equipment"), "expense_date": "2025-02-28", "amount": "10000.00", "description": "Mat", "supplier": "S", "document_ref": "LP-2"})).ok(201).clone();
        approve(&cw, ok["id"].as_str().unwrap()).ok(200);
        cw.verify_clean(M);
    });
}

#[test]
fn a_year_without_its_own_cap_value_is_refused_with_rate_missing() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "RM-1", "2012-03-01", "2022-01-06", "2022-02-01");
        let r = new_year(
            &cw,
            &case,
            "2022-02-01",
            json!([{"category": "equipment", "description": "x", "amount": "100.00"}]),
        );
        r.problem(422, "rate_missing");
        let detail = r.body["detail"].as_str().unwrap();
        assert!(
            detail.contains("training_expense_cap") && detail.contains("2022"),
            "{detail}"
        );
        assert!(r.body.get("decision_id").is_none());
        // Once the operator enters the year's value, the same request is judged.
        let op = s.client("operator", M);
        op.post("/v1/rates", &json!({"name": "training_expense_cap", "valid_from": "2022-01-01", "value": "671708.00", "source": "test: the 2022 level"})).ok(201);
        assert_eq!(
            new_year(
                &cw,
                &case,
                "2022-02-01",
                json!([{"category": "equipment", "description": "x", "amount": "100.00"}])
            )
            .ok(201)["cap"],
            "671708.00"
        );
    });
}
