//! Issue 22 #7: budget decisions are itemised (forvaltningsloven § 22; 003: "skriftlig
//! afgørelse med begrundelse for alle bevilgede og ikke-bevilgede udgiftsposter"). The decision
//! lists every post applied for with what was granted; a post granted less or refused carries
//! its reason; a budget over the yearly cap (706,600.00) is granted up to the cap on the posts
//! the caseworker chooses instead of being refused whole. Black-box: the real service binary.
mod common;

use common::browser::{assert_no_raw_words, chromium, dom_of};
use common::home_training::new_case;
use common::{each_backend, key, Client, M};
use serde_json::{json, Value};

fn grant(cw: &Client, case: &str, posts: Value) -> common::Resp {
    cw.post_idem(
        &format!("/v1/cases/{case}/budget-years"),
        &key(),
        &json!({"start_date": "2025-02-03", "posts": posts}),
    )
}

fn decision_of(cw: &Client, case: &str, kind: &str) -> Value {
    let all = cw
        .get(&format!("/v1/cases/{case}/decisions"))
        .ok(200)
        .clone();
    let id = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    cw.get(&format!("/v1/decisions/{id}")).ok(200).clone()
}

fn figure<'a>(d: &'a Value, name: &str) -> &'a str {
    d["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {d}"))["value"]
        .as_str()
        .unwrap()
}

#[test]
fn a_budget_over_the_cap_is_granted_up_to_it_post_by_post_with_reasons() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "IB-1", "2016-03-01", "2025-01-06", "2025-02-03");
        // Applied for: helpers 2,000 h × 200.00 = 400,000.00, equipment 300,000.00, a course
        // abroad 50,000.00: 750,000.00, above the cap of 706,600.00.
        let over = json!([
            {"category": "helper_trainers", "description": "Hjælpetrænere", "hours": "2000", "hourly_rate": "200.00"},
            {"category": "equipment", "description": "Træningsbænk", "amount": "300000.00"},
            {"category": "courses", "description": "Kursus i udlandet", "amount": "50000.00"}
        ]);
        grant(&cw, &case, over).problem(422, "training_cap_exceeded");
        // A cut without its reason is refused; a reason without a cut too.
        grant(&cw, &case, json!([
            {"category": "equipment", "description": "Træningsbænk", "amount": "200000.00", "applied_amount": "300000.00"}
        ]))
        .problem(422, "refusal_reason_required");
        grant(&cw, &case, json!([
            {"category": "equipment", "description": "Træningsbænk", "amount": "300000.00", "applied_amount": "300000.00", "refusal_reason": "x"}
        ]))
        .problem(422, "invalid_value");
        grant(&cw, &case, json!([
            {"category": "equipment", "description": "Træningsbænk", "amount": "300000.01", "applied_amount": "300000.00"}
        ]))
        .problem(422, "invalid_amount");
        // A refusal's code names a rule the service knows, or none at all.
        let r = grant(
            &cw,
            &case,
            json!([
                {"category": "equipment", "description": "Træningsbænk", "amount": "200000.00", "applied_amount": "300000.00",
                 "refusal_reason": "Over loftet", "code": "no_such_rule"}
            ]),
        );
        r.problem(422, "invalid_value");
        assert!(
            r.body["errors"][0]["field"]
                .as_str()
                .unwrap_or("")
                .contains("code"),
            "{:#}",
            r.body
        );
        // Granted up to the cap on the posts the caseworker chooses: helpers 1,833 h × 200.00 =
        // 366,600.00 of the 2,000 h applied for, equipment whole (300,000.00), supervision
        // 40,000.00, the course abroad refused (0.00): 706,600.00, exactly the cap.
        let granted = grant(&cw, &case, json!([
            {"category": "helper_trainers", "description": "Hjælpetrænere", "hours": "1833", "hourly_rate": "200.00",
             "applied_hours": "2000", "refusal_reason": "Budgettet er bevilget op til det årlige loft", "code": "training_cap_exceeded"},
            {"category": "equipment", "description": "Træningsbænk", "amount": "300000.00"},
            {"category": "supervision", "description": "Supervision", "amount": "40000.00", "applied_amount": "40000.00"},
            {"category": "courses", "description": "Kursus i udlandet", "amount": "0.00", "applied_amount": "50000.00",
             "refusal_reason": "Kurser i udlandet dækkes ikke", "code": "course_abroad_not_covered"}
        ]))
        .ok(201)
        .clone();
        // Three posts in the budget (the refused one is in the decision only): 706,600.00.
        assert_eq!(granted["posts"].as_array().unwrap().len(), 3, "{granted}");
        let d = decision_of(&cw, &case, "budget_year_granted");
        assert_eq!(d["amount"], "706600.00");
        assert_eq!(
            figure(&d, "Hjælpetrænere (Hjælpetrænere): ansøgte timer"),
            "2000"
        );
        assert_eq!(
            figure(&d, "Hjælpetrænere (Hjælpetrænere): bevilgede timer"),
            "1833"
        );
        assert_eq!(
            figure(&d, "Hjælpetrænere (Hjælpetrænere): bevilget"),
            "366600.00"
        );
        assert_eq!(
            figure(&d, "Hjælpetrænere (Hjælpetrænere): begrundelse for afslag"),
            "Budgettet er bevilget op til det årlige loft"
        );
        assert_eq!(figure(&d, "Kurser (Kursus i udlandet): ansøgt"), "50000.00");
        assert_eq!(figure(&d, "Kurser (Kursus i udlandet): bevilget"), "0.00");
        assert_eq!(
            figure(&d, "Udstyr og materialer (Træningsbænk): bevilget"),
            "300000.00"
        );
        let codes: Vec<&Value> = d["asked"]["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["code"])
            .collect();
        assert_eq!(
            codes,
            [
                &json!("training_cap_exceeded"),
                &Value::Null,
                &Value::Null,
                &json!("course_abroad_not_covered")
            ]
        );
        if let Some(browser) = chromium() {
            let id = d["id"].as_str().unwrap();
            let html = cw.get(&format!("/v1/decisions/{id}/letter"));
            let dom = dom_of(&browser, html.body.as_str().unwrap());
            for needle in [
                "Hjælpetrænere (Hjælpetrænere): bevilget",
                "366.600,00",
                "Kurser (Kursus i udlandet): begrundelse for afslag",
                "Kurser i udlandet dækkes ikke",
                "Udstyr og materialer (Træningsbænk)",
                "706.600,00",
            ] {
                assert!(dom.contains(needle), "the letter lacks {needle:?}:\n{dom}");
            }
            assert!(
                !dom.contains("course_abroad_not_covered") && !dom.contains("training_cap"),
                "{dom}"
            );
            assert_no_raw_words(&dom);
        }
        cw.verify_clean(M);
    });
}
