//! Black-box tests of cases, budget years, documented expenses and payments, on every backend.
mod common;

use common::{backends, key, Client, Resp, Server};
use serde_json::{json, Value};

const M: &str = "101";

fn each_backend(f: impl Fn(&Server)) {
    for db in backends() {
        let s = Server::start(db);
        eprintln!("-- backend {db:?}");
        f(&s);
    }
}

fn new_case(cw: &Client, r: &str, birth: &str, application: &str, approval: &str) -> String {
    let c = cw.post(
        "/v1/cases",
        &json!({"external_ref": r, "child_birth_date": birth, "application_date": application, "approval_date": approval, "scope": "full"}),
    );
    c.ok(201)["id"].as_str().unwrap().to_string()
}

fn new_year(cw: &Client, case: &str, start: &str, posts: Value) -> Resp {
    cw.post_idem(
        &format!("/v1/cases/{case}/budget-years"),
        &key(),
        &json!({"start_date": start, "posts": posts}),
    )
}

fn post_id(year: &Value, category: &str) -> String {
    year["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["category"] == category)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn expense(cw: &Client, year: &str, post: &str, date: &str, amount: &str, doc: &str) -> Resp {
    cw.post_idem(
        &format!("/v1/budget-years/{year}/expenses"),
        &key(),
        &json!({"post_id": post, "expense_date": date, "amount": amount, "description": "item", "supplier": "Shop ApS", "document_ref": doc}),
    )
}

fn approve(cw: &Client, id: &str) -> Resp {
    cw.post(&format!("/v1/expenses/{id}/approve"), &json!({}))
}

fn year(c: &Client, id: &str) -> Value {
    c.get(&format!("/v1/budget-years/{id}")).ok(200).clone()
}

fn post_of(year: &Value, id: &str) -> Value {
    year["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone()
}

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
        let admin = s.client("admin", M);
        let body = json!({"name": "training_expense_cap", "valid_from": "2025-01-01", "value": "722500.00", "source": "satsregulering 2025 (test)"});
        cw.post("/v1/rates", &body).problem(403, "forbidden");
        assert_eq!(admin.post("/v1/rates", &body).ok(201)["value"], "722500.00");
        admin.post("/v1/rates", &body).problem(409, "rate_exists");
        admin
            .post("/v1/rates", &json!({"name": "training_expense_cap", "valid_from": "2025-06-01", "value": "1.001", "source": "x"}))
            .problem(422, "invalid_amount");
        admin
            .post("/v1/rates", &json!({"name": "Bad Name", "valid_from": "2025-06-01", "value": "1", "source": "x"}))
            .problem(422, "invalid_rate_name");
        // The new value is in force for a budget year starting in 2025.
        let case = new_case(&cw, "RATE-1", "2015-01-01", "2025-01-01", "2025-01-10");
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
        // The next year starts the day after; the 2020 cap applies to a 2023 start.
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
        y23.problem(422, "training_cap_exceeded");
        assert!(y23.body["detail"].as_str().unwrap().contains("645867.00"));
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

/// One case with three posts, for the expense tests: (case, year view).
fn story_setup(cw: &Client, r: &str) -> (String, Value) {
    let case = new_case(cw, r, "2016-03-01", "2025-01-06", "2025-02-03");
    let y = new_year(
        cw,
        &case,
        "2025-01-06",
        json!([
            {"category": "helper_trainers", "description": "Helpers", "hours": "100", "hourly_rate": "200.00"},
            {"category": "equipment", "description": "Mats", "amount": "5000.00"},
            {"category": "courses", "description": "Course", "amount": "3000.00"}
        ]),
    );
    (case, y.ok(201).clone())
}

#[test]
fn expenses_are_judged_by_every_rule() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "EX-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let co = post_id(&y, "courses");
        let hp = post_id(&y, "helper_trainers");

        // Retroactive: between application (01-06) and approval (02-03) is accepted.
        let ok = expense(&cw, yid, &eq, "2025-01-20", "1200.00", "R-1");
        assert_eq!(ok.ok(201)["status"], "pending");
        // Before the application date.
        let r = expense(&cw, yid, &eq, "2025-01-05", "10.00", "R-2");
        r.problem(422, "expense_before_application");
        assert!(r.body["legal_reference"].is_string());
        // Outside the budget year (it ends 2026-01-05).
        expense(&cw, yid, &eq, "2026-01-06", "10.00", "R-3")
            .problem(422, "expense_outside_budget_year");
        // A post that was not granted in this year.
        expense(&cw, yid, "no-such-post", "2025-03-01", "10.00", "R-4")
            .problem(422, "post_not_granted");
        // More than the post has left, though other posts have money: names the post and what is left.
        let r = expense(&cw, yid, &eq, "2025-03-01", "3800.01", "R-5");
        r.problem(422, "budget_post_exceeded");
        let d = r.body["detail"].as_str().unwrap();
        assert!(d.contains("Mats") && d.contains("3800.00"), "{d}");
        // Courses abroad are not covered; a course must say where it is held.
        let abroad = cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": co, "expense_date": "2025-03-01", "amount": "900.00", "description": "Course fee", "supplier": "Institute", "document_ref": "R-6", "course_country": "US"}),
        );
        abroad.problem(422, "course_abroad_not_covered");
        assert!(abroad.body["legal_reference"]
            .as_str()
            .unwrap()
            .contains("157 d"));
        expense(&cw, yid, &co, "2025-03-01", "900.00", "R-7")
            .problem(422, "course_country_required");
        let dk = cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": co, "expense_date": "2025-03-01", "amount": "900.00", "description": "Course fee", "supplier": "Institute", "document_ref": "R-8", "course_country": "DK"}),
        );
        dk.ok(201);
        // The same document twice.
        expense(&cw, yid, &eq, "2025-03-02", "10.00", "R-1").problem(409, "document_ref_taken");
        // Hours are a limit on an hour-based post.
        let hrs = |h: &str, amount: &str, doc: &str| {
            cw.post_idem(
                &format!("/v1/budget-years/{yid}/expenses"),
                &key(),
                &json!({"post_id": hp, "expense_date": "2025-03-01", "amount": amount, "description": "Wages", "supplier": "Payroll firm", "document_ref": doc, "hours": h}),
            )
        };
        hrs("60", "6000.00", "H-1").ok(201);
        hrs("41", "100.00", "H-2").problem(422, "budget_post_hours_exceeded");
        // CPR numbers are refused in free text.
        let cpr = cw.post_idem(
            &format!("/v1/budget-years/{yid}/expenses"),
            &key(),
            &json!({"post_id": eq, "expense_date": "2025-03-01", "amount": "1.00", "description": "for 010190-1234", "supplier": "S", "document_ref": "C-1"}),
        );
        cpr.problem(422, "cpr_number_not_allowed");
        // Idempotency.
        let k = key();
        let body = json!({"post_id": eq, "expense_date": "2025-03-03", "amount": "100.00", "description": "ball", "supplier": "S", "document_ref": "I-1"});
        let first = cw
            .post_idem(&format!("/v1/budget-years/{yid}/expenses"), &k, &body)
            .ok(201)["id"]
            .clone();
        assert_eq!(
            cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &k, &body)
                .ok(200)["id"],
            first
        );
        cw.request(
            "POST",
            &format!("/v1/budget-years/{yid}/expenses"),
            Some(&body.to_string()),
            &[],
        )
        .problem(400, "idempotency_key_required");

        // After the case ends nothing can be booked for later dates.
        let end = cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-02-15", "reason": "moved"}),
        );
        end.problem(422, "case_has_later_bookings");
        let pending: Vec<String> = cw.get(&format!("/v1/budget-years/{yid}/expenses")).ok(200)
            ["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(pending.len(), 4);
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-03-31", "reason": "moved"}),
        )
        .ok(200);
        expense(&cw, yid, &eq, "2025-04-01", "10.00", "R-9").problem(422, "case_ended");
        assert_eq!(year(&cw, yid)["end_date"], "2025-03-31");
        // Wrong role.
        s.client("finance", M)
            .post_idem(&format!("/v1/budget-years/{yid}/expenses"), &key(), &body)
            .problem(403, "forbidden");
    });
}

#[test]
fn the_eighteenth_birthday_ends_the_case() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "AGE-1", "2007-04-10", "2024-06-01", "2024-06-15");
        let y = new_year(
            &cw,
            &case,
            "2024-06-15",
            json!([{"category": "equipment", "description": "e", "amount": "5000.00"}]),
        )
        .ok(201)
        .clone();
        assert_eq!(y["end_date"], "2025-04-09");
        let eq = post_id(&y, "equipment");
        let yid = y["id"].as_str().unwrap();
        expense(&cw, yid, &eq, "2025-04-09", "10.00", "A-1").ok(201);
        expense(&cw, yid, &eq, "2025-04-10", "10.00", "A-2").problem(422, "case_ended");
    });
}

/// A case with two consecutive budget years (2024-02-01 and 2025-02-01), the first granted
/// 700,000 of the 706,600 cap and the second 100,000.
fn two_years_near_the_cap(cw: &Client, r: &str) -> (Value, Value) {
    let case = new_case(cw, r, "2016-03-01", "2024-02-01", "2024-02-01");
    let year = |start: &str, amount: &str| {
        new_year(
            cw,
            &case,
            start,
            json!([{"category": "equipment", "description": "e", "amount": amount}]),
        )
        .ok(201)
        .clone()
    };
    (
        year("2024-02-01", "700000.00"),
        year("2025-02-01", "100000.00"),
    )
}

#[test]
fn rolling_cap_counts_across_budget_years() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (y1, y2) = two_years_near_the_cap(&cw, "ROLL-1");
        let (y1id, y2id) = (y1["id"].as_str().unwrap(), y2["id"].as_str().unwrap());
        let big = expense(
            &cw,
            y1id,
            &post_id(&y1, "equipment"),
            "2025-01-15",
            "700000.00",
            "B-1",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &big).ok(200);
        let p2 = post_id(&y2, "equipment");
        // 700,000 on 2025-01-15 + 10,000 on 2025-03-01 lie within 12 months: above 706,600.
        let r = expense(&cw, y2id, &p2, "2025-03-01", "10000.00", "B-2");
        r.problem(422, "rolling_cap_exceeded");
        assert!(r.body["legal_reference"]
            .as_str()
            .unwrap()
            .contains("157 d"));
        // Up to the cap is fine; more than 12 months later the window has moved on.
        expense(&cw, y2id, &p2, "2025-03-01", "6600.00", "B-3").ok(201);
        expense(&cw, y2id, &p2, "2026-01-15", "50000.00", "B-4").ok(201);
    });
}

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

#[test]
fn parallel_approvals_cannot_overspend_a_post() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "RACE-1", "2016-03-01", "2025-01-06", "2025-01-06");
        let y = new_year(
            &cw,
            &case,
            "2025-01-06",
            json!([{"category": "equipment", "description": "Mats", "amount": "2000.00"}]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap().to_string();
        let eq = post_id(&y, "equipment");
        let ids: Vec<String> = (0..5)
            .map(|i| {
                expense(&cw, &yid, &eq, "2025-02-01", "400.00", &format!("P-{i}")).ok(201)["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        // The post is lowered to 1000 while five expenses of 400 wait: only two can be approved.
        let low = json!({"decided_on": "2025-02-02", "reason": "Lowered", "changes": [{"post_id": eq, "amount": "1000.00"}]});
        cw.request(
            "POST",
            &format!("/v1/budget-years/{yid}/amendments"),
            Some(&low.to_string()),
            &[("If-Match", "\"1\"")],
        )
        .ok(200);
        let results: Vec<(u16, String)> = std::thread::scope(|sc| {
            let hs: Vec<_> = ids
                .iter()
                .map(|id| {
                    let cw = s.client("caseworker", M);
                    sc.spawn(move || {
                        let r = approve(&cw, id);
                        (r.status, r.code().to_string())
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            results.iter().filter(|r| r.0 == 200).count(),
            2,
            "{results:?}"
        );
        assert_eq!(
            results
                .iter()
                .filter(|r| r.1 == "budget_post_exceeded")
                .count(),
            3,
            "{results:?}"
        );
        let v = year(&cw, &yid);
        assert_eq!(post_of(&v, &eq)["approved"], "800.00");
        assert_eq!(
            cw.account(post_of(&v, &eq)["account_id"].as_str().unwrap())["balance"],
            "200.00"
        );
        cw.verify_clean(M);
    });
}

#[test]
fn rates_and_amendments_refuse_what_they_must() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let admin = s.client("admin", M);
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

#[test]
fn approval_rechecks_the_rolling_cap_and_respects_closed_periods() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let ctl = s.client("controller", M);
        let (y1, y2) = two_years_near_the_cap(&cw, "RC-1");
        let e1 = expense(
            &cw,
            y1["id"].as_str().unwrap(),
            &post_id(&y1, "equipment"),
            "2025-01-15",
            "650000.00",
            "RC-A",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        // Each alone is within the cap; both together within 12 months are not.
        let e2 = expense(
            &cw,
            y2["id"].as_str().unwrap(),
            &post_id(&y2, "equipment"),
            "2025-03-01",
            "60000.00",
            "RC-B",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e1).ok(200);
        approve(&cw, &e2).problem(422, "rolling_cap_exceeded");
        assert_eq!(
            cw.get(&format!("/v1/expenses/{e2}")).ok(200)["status"],
            "pending"
        );
        // An expense dated in a closed period is booked on the first open date.
        let e3 = expense(
            &cw,
            y2["id"].as_str().unwrap(),
            &post_id(&y2, "equipment"),
            "2026-01-20",
            "100.00",
            "RC-C",
        )
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        ctl.post("/v1/periods/close", &json!({"through": "2026-01-31"}))
            .ok(201);
        let a = approve(&cw, &e3).ok(200).clone();
        let entry = cw
            .get(&format!(
                "/v1/journal-entries/{}",
                a["entry_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(entry["effective_date"], "2026-02-01");
        assert_eq!(entry["kind"], "expense_approved");
        assert_eq!(entry["source_id"], e3.as_str());
        ctl.post("/v1/periods/close", &json!({"through": "2099-12-31"}))
            .problem(422, "period_close_in_future");
        // Payment before the expense, or dated in the closed period, is refused; the right one is booked.
        let fin = s.client("finance", M);
        let open = fin.get("/v1/payables?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let ids: Vec<Value> = open.iter().map(|p| p["id"].clone()).collect();
        fin.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": ids, "paid_on": "2026-01-15", "bank_reference": "B-0"}),
        )
        .problem(422, "payment_before_expense");
        fin.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": ids, "paid_on": "2026-01-25", "bank_reference": "B-1"}),
        )
        .problem(422, "period_closed");
        cw.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": ids, "paid_on": "2026-02-15", "bank_reference": "B-1"}),
        )
        .problem(403, "forbidden");
        let k = key();
        fin.post_idem(
            "/v1/payments",
            &k,
            &json!({"payable_ids": ids, "paid_on": "2026-02-15", "bank_reference": "B-1"}),
        )
        .ok(201);
        fin.post_idem(
            "/v1/payments",
            &k,
            &json!({"payable_ids": ids, "paid_on": "2026-02-16", "bank_reference": "B-1"}),
        )
        .problem(409, "idempotency_key_reused");
        cw.verify_clean(M);
    });
}

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
fn second_line_of_defence() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let admin = s.client("admin", M);
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
