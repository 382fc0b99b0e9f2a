//! Issue 26 (letters) and 22 #9: a letter names the municipality by its name (the official one
//! for its code, or the one its admin set: `municipality_name`), is signed by the caseworker's
//! name from the token's `name` claim (never the token's subject), dates and amounts the Danish
//! way, and names the municipality's practice as its own, never Copenhagen's folder in Aarhus.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::browser::{assert_no_raw_words, chromium, dom_of, keep};
use common::home_training::{enter_test_caps, new_case, new_year, post_id};
use common::{danish_date, each_backend, jwt, key, today, Client, Server, SECRET};
use serde_json::{json, Value};

const AARHUS: &str = "751";

fn named(s: &Server, role: &str, name: Option<&str>) -> Client {
    let mut claims = json!({"sub": format!("sso-{role}-4711"), "role": role, "municipality": AARHUS,
                            "exp": chrono::Utc::now().timestamp() + 3600});
    if let Some(n) = name {
        claims["name"] = json!(n);
    }
    s.client(role, AARHUS).with_token(&jwt(&claims, SECRET))
}

fn put_settings(admin: &Client, body: &Value) -> common::Resp {
    let v = admin.get("/v1/settings").ok(200)["version"].to_string();
    admin.request(
        "PUT",
        "/v1/settings",
        Some(&body.to_string()),
        &[
            ("If-Match", &format!("\"{v}\"")),
            ("Content-Type", "application/json"),
        ],
    )
}

/// The letter of an expense dated before the application (refused), sent by `c`.
fn refusal_letter(c: &Client, y: &Value, doc: &str) -> String {
    let r = c.post_idem(
        &format!("/v1/budget-years/{}/expenses", y["id"].as_str().unwrap()),
        &key(),
        &json!({"post_id": post_id(y, "equipment"), "expense_date": "2025-01-16",
                "amount": "10.00", "description": "Måtte", "supplier": "Fysio ApS",
                "document_ref": doc}),
    );
    r.problem(422, "expense_before_application");
    c.get(&format!(
        "/v1/decisions/{}/letter",
        r.body["decision_id"].as_str().unwrap()
    ))
    .body
    .as_str()
    .unwrap()
    .to_string()
}

#[test]
fn an_aarhus_letter_is_aarhus_own_signed_by_name_and_dated_in_danish() {
    let browser = chromium();
    each_backend(|s| {
        let op = s.client("operator", AARHUS);
        enter_test_caps(&op);
        let cw = named(s, "caseworker", Some("Mette Hansen, sagsbehandler"));
        let admin = named(s, "admin", None);
        // The official name for the code, and the defaults said to be Copenhagen's until Aarhus
        // sets its own.
        let st = admin.get("/v1/settings").ok(200).clone();
        assert_eq!(st["municipality_name"], "Aarhus Kommune");
        assert!(
            st["source"]
                .as_str()
                .unwrap()
                .starts_with("Standardværdier"),
            "{st}"
        );
        // An expense dated before the application: refused by the municipality's practice.
        let case = new_case(&cw, "AAR-2025-7", "2017-05-01", "2025-02-01", "2025-02-10");
        let y = new_year(
            &cw,
            &case,
            "2025-02-01",
            json!([{"category": "equipment", "description": "Måtter", "amount": "5000.00"}]),
        )
        .ok(201)
        .clone();
        let refused = cw.post_idem(
            &format!("/v1/budget-years/{}/expenses", y["id"].as_str().unwrap()),
            &key(),
            &json!({"post_id": post_id(&y, "equipment"), "expense_date": "2025-01-15",
                        "amount": "1234.56", "description": "Måtte", "supplier": "Fysio ApS",
                        "document_ref": "AAR-1"}),
        );
        refused.problem(422, "expense_before_application");
        let letter = format!(
            "/v1/decisions/{}/letter",
            refused.body["decision_id"].as_str().unwrap()
        );
        let read = |c: &Client, name: &str| -> String {
            let html = c.get(&letter).body.as_str().unwrap().to_string();
            match &browser {
                Some(b) => {
                    keep(b, &html, name);
                    dom_of(b, &html)
                }
                None => html,
            }
        };
        let dom = read(&cw, "aarhus-refusal");
        for needle in [
            "Aarhus Kommune",
            "Aarhus Kommunes praksis",
            "Mette Hansen, sagsbehandler",
            &format!(
                "Truffet den <span id=\"decided-on\">{}",
                danish_date(&today())
            ),
            "1.234,56 kr.",
            "Klagevejledning",
        ] {
            assert!(dom.contains(needle), "the letter lacks {needle:?}:\n{dom}");
        }
        for never in ["København", "sso-caseworker-4711", "Kommune 751"] {
            assert!(!dom.contains(never), "the letter shows {never:?}:\n{dom}");
        }
        assert_no_raw_words(&dom);
        // The admin names the municipality as its letters should; later decisions use the name
        // in force, a letter printed again reads as it was sent. A PUT that leaves it out keeps
        // it.
        let mut practice = st.clone();
        practice["municipality_name"] = json!("Aarhus Kommune, Børn og Unge");
        let changed = put_settings(&admin, &practice).ok(200).clone();
        assert_eq!(changed["municipality_name"], "Aarhus Kommune, Børn og Unge");
        assert!(
            changed["source"]
                .as_str()
                .unwrap()
                .starts_with("Aarhus Kommune, Børn og Unges praksis"),
            "{changed}"
        );
        let mut without = changed.clone();
        without.as_object_mut().unwrap().remove("municipality_name");
        without["hearing_days"] = json!(21);
        assert_eq!(
            put_settings(&admin, &without).ok(200)["municipality_name"],
            "Aarhus Kommune, Børn og Unge"
        );
        let again = read(&cw, "aarhus-refusal-again");
        assert!(again.contains("Aarhus Kommune") && !again.contains("Børn og Unge"));
        // A name is a name: not blank, not a CPR number.
        for (bad, code) in [
            (json!(" x "), "invalid_settings"),
            (json!("Kommune 010190-1234"), "cpr_number_not_allowed"),
        ] {
            let mut b = changed.clone();
            b["municipality_name"] = bad;
            put_settings(&admin, &b).problem(422, code);
        }
        // Without a name claim the letter is signed by the office, never by the subject.
        let html = refusal_letter(&named(s, "caseworker", None), &y, "AAR-2");
        assert!(html.contains("af <span id=\"signed-by\">kommunens sagsbehandler</span>, Aarhus Kommune, Børn og Unge"));
        assert!(!html.contains("sso-caseworker-4711"));
        // A name is printed as text: markup in it is escaped, never run.
        let html = refusal_letter(
            &named(s, "caseworker", Some("<b>Mette</b> & co")),
            &y,
            "AAR-3",
        );
        assert!(
            html.contains("&lt;b&gt;Mette&lt;&#x2f;b&gt; &amp; co"),
            "{html}"
        );
        assert!(!html.contains("<b>Mette"));
        // The statement carries the name too.
        let statement = cw
            .get(&format!(
                "/v1/budget-years/{}/statement",
                y["id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(
            statement["municipality_name"],
            "Aarhus Kommune, Børn og Unge"
        );
    });
}

#[test]
fn a_token_whose_name_holds_a_cpr_number_or_control_characters_is_refused() {
    each_backend(|s| {
        for bad in ["Mette 010190-1234", "Mette\u{0007}", "", "   "] {
            named(s, "caseworker", Some(bad))
                .get("/v1/cases")
                .problem(401, "invalid_token");
        }
        named(s, "caseworker", Some("Mette Hansen"))
            .get("/v1/cases")
            .ok(200);
    });
}
