//! Budget years: posts and the cap, amendments, and manual entries that cannot move money between posts.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, new_case, new_year, post_id, post_of, story_setup};
use common::{each_backend, key, M};
use serde_json::{json, Value};

#[test]
fn budget_years_posts_and_the_cap() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "BY-1", "2016-03-01", "2024-01-15", "2024-02-01");
        // Before the application date.
        new_year(
            &cw,
            &case,
            "2024-01-01",
            json!([{"category": "equipment", "description": "e", "amount": "1.00"}]),
        )
        .problem(422, "budget_year_before_application");
        // Over the cap in force on the start date (2024: 706,600).
        let over = new_year(
            &cw,
            &case,
            "2024-02-01",
            json!([{"category": "helper_trainers", "description": "h", "amount": "700000.00"}, {"category": "equipment", "description": "e", "amount": "6600.01"}]),
        );
        over.problem(422, "training_cap_exceeded");
        assert!(over.body["legal_reference"]
            .as_str()
            .unwrap()
            .contains("§ 6, stk. 2"));
        assert!(over.body["detail"].as_str().unwrap().contains("706600.00"));
        // The refused budget is a decision the family is owed: listed with what was asked.
        let refused = cw
            .get(&format!(
                "/v1/decisions/{}",
                over.body["decision_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(
            (refused["kind"].as_str(), refused["outcome"].as_str()),
            (Some("budget_refused"), Some("refused"))
        );
        assert_eq!(refused["amount"], "706600.01");
        assert_eq!(refused["asked"]["posts"][1]["amount"], "6600.01");
        // Hours only for helper trainers; one of amount or hours.
        new_year(&cw, &case, "2024-02-01", json!([{"category": "equipment", "description": "e", "hours": "3", "hourly_rate": "10.00"}]))
            .problem(422, "hours_only_for_helper_trainers");
        new_year(
            &cw,
            &case,
            "2024-02-01",
            json!([{"category": "equipment", "description": "e"}]),
        )
        .problem(422, "invalid_post");
        new_year(&cw, &case, "2024-02-01", json!([])).problem(422, "no_posts");
        s.client("finance", M)
            .post_idem(
                &format!("/v1/cases/{case}/budget-years"),
                &key(),
                &json!({"start_date": "2024-02-01", "posts": []}),
            )
            .problem(403, "forbidden");
        // Exactly the cap is allowed; three posts, one by hours × rate (rounded once).
        let y = new_year(
            &cw,
            &case,
            "2024-02-01",
            json!([
                {"category": "helper_trainers", "description": "Helpers", "hours": "400.5", "hourly_rate": "185.55"},
                {"category": "equipment", "description": "Mats", "amount": "25000.00"},
                {"category": "courses", "description": "Course", "amount": "18000.00"}
            ]),
        );
        let v = y.ok(201).clone();
        assert_eq!(y.header("etag"), Some("\"1\""));
        assert_eq!(v["end_date"], "2025-01-31");
        let helpers = post_of(&v, &post_id(&v, "helper_trainers"));
        // 400.5 × 185.55 = 74312.775 → 74312.78
        assert_eq!(helpers["granted"], "74312.78");
        assert!(helpers["explanation"]
            .as_str()
            .unwrap()
            .contains("half away from zero"));
        assert_eq!(helpers["hours_granted"], "400.5");
        assert_eq!(v["total_granted"], "117312.78");
        assert_eq!(v["cap"], "706600.00");
        assert_eq!(v["cap_headroom"], "589287.22");
        // Each post is a budget account holding its grant, under a constraint.
        let acc = cw.account(helpers["account_id"].as_str().unwrap());
        assert_eq!(acc["kind"], "budget");
        assert_eq!(acc["constraint"], "debits_must_not_exceed_credits");
        assert_eq!(acc["balance"], "74312.78");
        // Overlap.
        new_year(
            &cw,
            &case,
            "2025-01-31",
            json!([{"category": "equipment", "description": "e", "amount": "1.00"}]),
        )
        .problem(409, "budget_year_overlap");
        // The next year starts the day after.
        assert_eq!(
            new_year(
                &cw,
                &case,
                "2025-02-01",
                json!([{"category": "equipment", "description": "e", "amount": "1.00"}])
            )
            .ok(201)["end_date"],
            "2026-01-31"
        );
        let old = new_case(&cw, "BY-2", "2016-03-01", "2023-01-15", "2023-02-01");
        let y23 = new_year(
            &cw,
            &old,
            "2023-02-01",
            json!([{"category": "equipment", "description": "e", "amount": "650000.00"}]),
        );
        // 2023 has no value of its own (the cap is regulated every 1 January): refused with
        // `rate_missing` naming the rate and the year, never judged by the lower 2021 figure.
        y23.problem(422, "rate_missing");
        let detail = y23.body["detail"].as_str().unwrap();
        assert!(
            detail.contains("training_expense_cap") && detail.contains("2023"),
            "{detail}"
        );
        // The 2021 value (658,784) applies to a 2021 start.
        let y21case = new_case(&cw, "BY-21", "2016-03-01", "2021-01-15", "2021-02-01");
        let y21 = new_year(
            &cw,
            &y21case,
            "2021-02-01",
            json!([{"category": "equipment", "description": "e", "amount": "660000.00"}]),
        );
        y21.problem(422, "training_cap_exceeded");
        assert!(y21.body["detail"].as_str().unwrap().contains("658784.00"));
        // A budget year is cut short by the case's end.
        let ending = new_case(&cw, "BY-3", "2008-06-15", "2024-01-15", "2024-02-01");
        let short = new_year(
            &cw,
            &ending,
            "2026-01-01",
            json!([{"category": "equipment", "description": "e", "amount": "10.00"}]),
        );
        assert_eq!(short.ok(201)["end_date"], "2026-06-14");
        cw.verify_clean(M);
    });
}

#[test]
fn manual_entries_cannot_move_money_between_posts() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "MV-1", "2016-03-01", "2024-01-15", "2024-02-01");
        let y = new_year(
            &cw,
            &case,
            "2024-02-01",
            json!([{"category": "equipment", "description": "Mats", "amount": "1000.00"}, {"category": "courses", "description": "C", "amount": "1000.00"}]),
        )
        .ok(201)
        .clone();
        let a = post_of(&y, &post_id(&y, "equipment"))["account_id"]
            .as_str()
            .unwrap()
            .to_string();
        let b = post_of(&y, &post_id(&y, "courses"))["account_id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = fin.entry(&key(), "2024-03-01", &a, &b, "500.00");
        r.problem(422, "budget_accounts_not_manual");
        assert!(r.body["legal_reference"].is_string());
        assert_eq!(cw.account(&a)["balance"], "1000.00");
        // System entries are corrected by their decisions, not manual reversals.
        let grant = fin
            .get(&format!(
                "/v1/journal-entries?kind=budget_grant&account_id={a}"
            ))
            .ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        fin.post_idem(
            &format!("/v1/journal-entries/{grant}/reverse"),
            &key(),
            &json!({}),
        )
        .problem(422, "entry_not_manually_reversible");
    });
}

#[test]
fn rates_and_amendments_refuse_what_they_must() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        // National rates are written by the operator only.
        let admin = s.client("operator", M);
        // No cap is known before 2016-07-01.
        let old = new_case(&cw, "OLD-1", "2008-01-01", "2016-01-04", "2016-02-01");
        new_year(
            &cw,
            &old,
            "2016-02-01",
            json!([{"category": "equipment", "description": "e", "amount": "1.00"}]),
        )
        .problem(422, "rate_missing");
        admin
            .post("/v1/rates", &json!({"name": "training_expense_cap", "valid_from": "2030-01-01", "value": "1.5", "unit": "percent", "source": "x"}))
            .problem(422, "invalid_unit");
        // A future approval date is refused: a case is registered once approved.
        cw.post("/v1/cases", &json!({"external_ref": "FUT-1", "child_birth_date": "2016-03-01", "application_date": "2025-01-06", "approval_date": "2099-01-01", "scope": "partial"}))
            .problem(422, "approval_in_future");

        let (case, y) = story_setup(&cw, "AM-1");
        let yid = y["id"].as_str().unwrap().to_string();
        let eq = post_id(&y, "equipment");
        let hp = post_id(&y, "helper_trainers");
        let am = format!("/v1/budget-years/{yid}/amendments");
        let send = |body: Value, etag: &str| {
            cw.request("POST", &am, Some(&body.to_string()), &[("If-Match", etag)])
        };
        let base =
            |changes: Value| json!({"decided_on": "2025-03-01", "reason": "r", "changes": changes});
        send(
            base(json!([{"post_id": "nope", "amount": "1.00"}])),
            "\"1\"",
        )
        .problem(422, "post_not_granted");
        send(
            base(json!([{"post_id": eq, "category": "equipment", "amount": "1.00"}])),
            "\"1\"",
        )
        .problem(422, "invalid_change");
        send(base(json!([])), "\"1\"").problem(422, "no_changes");
        send(
            base(json!([{"post_id": eq, "amount": "1.00"}, {"post_id": eq, "amount": "2.00"}])),
            "\"1\"",
        )
        .problem(422, "duplicate_change");
        send(base(json!([{"post_id": eq, "amount": "1.00"}])), "abc")
            .problem(400, "invalid_if_match");
        s.client("finance", M)
            .request(
                "POST",
                &am,
                Some(&base(json!([{"post_id": eq, "amount": "1.00"}])).to_string()),
                &[("If-Match", "\"1\"")],
            )
            .problem(403, "forbidden");
        // Hours: required on an hour post, refused on an amount post, and a limit when lowering.
        let hours_exp = |post: &str, hours: Option<&str>, doc: &str| {
            let mut b = json!({"post_id": post, "expense_date": "2025-03-01", "amount": "2000.00", "description": "Wages", "supplier": "Firm", "document_ref": doc});
            if let Some(h) = hours {
                b["hours"] = json!(h);
            }
            cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &key(), &b)
        };
        hours_exp(&hp, None, "HR-1").problem(422, "hours_required");
        hours_exp(&eq, Some("2"), "HR-2").problem(422, "hours_not_applicable");
        hours_exp(&hp, Some("-1"), "HR-3").problem(422, "invalid_hours");
        hours_exp(&hp, Some("ten"), "HR-4").problem(400, "invalid_hours");
        let e = hours_exp(&hp, Some("10"), "HR-5").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e).ok(200);
        send(
            base(json!([{"post_id": hp, "hours": "9", "hourly_rate": "300.00"}])),
            "\"1\"",
        )
        .problem(422, "post_below_approved");
        let ok = send(
            base(json!([{"post_id": hp, "hours": "50", "hourly_rate": "200.00"}])),
            "\"1\"",
        );
        assert_eq!(post_of(&ok.ok(200).clone(), &hp)["granted"], "10000.00");
        // Ending the case: wrong role, unknown case; and no budget year after the end.
        s.client("finance", M)
            .post(
                &format!("/v1/cases/{case}/end"),
                &json!({"end_date": "2025-12-31", "reason": "x"}),
            )
            .problem(403, "forbidden");
        cw.post(
            "/v1/cases/nope/end",
            &json!({"end_date": "2025-12-31", "reason": "x"}),
        )
        .problem(404, "case_not_found");
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-12-31", "reason": "Ended"}),
        )
        .ok(200);
        new_year(
            &cw,
            &case,
            "2026-01-06",
            json!([{"category": "equipment", "description": "e", "amount": "1.00"}]),
        )
        .problem(422, "case_ended");
    });
}
