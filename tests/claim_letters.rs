//! Issue 21, the rest of the claims flow's letters and bookings: a lost-earnings claim in part
//! (hearing required first, the rest waived in the same decision, both booked), a settlement's
//! hearing, waiver and set-off letters, an annulled expense's claim letter, the refusal of a late
//! expense after a settlement; each read in a real browser for its Danish text and figures, with
//! no internal keys, codes or ids.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::browser::{assert_no_raw_words, chromium, dom_of, keep};
use common::home_training::{approve, expense, paid_and_annulled, post_id, prepaid_year, settle};
use common::lost_earnings::{balance, days_ago, grant, paid_then_ended, proposed_claims, terms};
use common::{each_backend, key, today, Client, M};
use serde_json::{json, Value};

/// The letter as the browser reads it: each needle present, no raw words, none of `ids`; kept
/// as a screenshot and a PDF named `name`.
fn reads(
    browser: &Option<String>,
    (c, name): (&Client, &str),
    path: &str,
    needles: &[&str],
    ids: &[&str],
) {
    let r = c.get(path);
    assert!(r.content_type.starts_with("text/html"), "{path}");
    let html = r.body.as_str().unwrap().to_string();
    // Without a browser (a developer's machine; CI requires one) the served HTML is read.
    let dom = match browser {
        Some(b) => {
            keep(b, &html, name);
            dom_of(b, &html)
        }
        None => html,
    };
    for n in needles {
        assert!(dom.contains(n), "{path} lacks {n:?}:\n{dom}");
    }
    assert_no_raw_words(&dom);
    for id in ids {
        assert!(!dom.contains(id), "{path} shows the id {id}:\n{dom}");
    }
}

fn decision_letter(d: &Value) -> String {
    format!(
        "/v1/decisions/{}/letter",
        d["decision_id"].as_str().unwrap()
    )
}

#[test]
fn a_lost_earnings_claim_in_part_needs_the_hearing_and_waives_the_rest() {
    let browser = chromium();
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case_le(&cw, "LEP-1");
        let d = grant(&cw, &case, terms("parent-p", "20"));
        paid_then_ended(&cw, &fin, &case);
        // April paid 30,000 × 20/37 = 16,216.22; due for 15 of 30 days: 8,108.11 not due.
        let c = proposed_claims(&fin, &case)[0].clone();
        assert_eq!(c["proposed_amount"], "8108.11", "{c}");
        let cid = c["id"].as_str().unwrap().to_string();
        let decide = |b: Value| cw.post_idem(&format!("/v1/clawbacks/{cid}/decision"), &key(), &b);
        let part = json!({"decision": "claim", "amount": "5000.00", "decided_on": today(),
                          "knew_or_should_have_known": true,
                          "reason": "Forælderen fik besked om sagens afslutning i april"});
        // Not before the parent is heard, nor before the answer or its date.
        decide(part.clone()).problem(409, "hearing_required");
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing"),
            &json!({"sent_on": today()}),
        )
        .ok(200);
        decide(part.clone()).problem(409, "hearing_required");
        assert_eq!(balance(&cw, "1200"), "0.00");
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing/response"),
            &json!({"received_on": today(), "summary": "Forælderen beder om at betale mindre"}),
        )
        .ok(200);
        let decided = decide(part).ok(200).clone();
        // 5,000.00 claimed, 8,108.11 − 5,000.00 = 3,108.11 waived in the same decision.
        assert_eq!(
            (
                decided["clawback"]["status"].as_str(),
                decided["clawback"]["outstanding"].as_str()
            ),
            (Some("open"), Some("5000.00"))
        );
        assert_eq!(balance(&cw, "1200"), "5000.00");
        assert_eq!(balance(&cw, "5180"), "3108.11");
        assert_eq!(balance(&cw, "1250"), "0.00");
        reads(
            &browser,
            (&cw, "lost-earnings-claim-in-part"),
            &decision_letter(&decided),
            &[
                "LEP-1",
                "5.000,00",
                "3.108,11",
                "kompensation for tabt arbejdsfortjeneste",
                "Vidste eller burde vide, at beløbet ikke var berettiget",
                "Ja",
                "Klagevejledning",
            ],
            &[&cid, &d],
        );
        cw.verify_clean(M);
    });
}

fn new_case_le(cw: &Client, r: &str) -> String {
    common::home_training::new_case(cw, r, "2015-01-01", "2024-01-02", "2024-02-01")
}

#[test]
fn a_settlements_hearing_waiver_and_set_off_letters_read_right() {
    let browser = chromium();
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        // Prepaid 100.00 on mats, nothing spent: 100.00 unspent.
        let (yid, post) = prepaid_year(&cw, &fin, "SLW-1");
        let sid = settle(&cw, &yid)["id"].as_str().unwrap().to_string();
        cw.post(
            &format!("/v1/settlements/{sid}/hearing"),
            &json!({"sent_on": days_ago(3)}),
        )
        .ok(200);
        reads(
            &browser,
            (&cw, "settlement-hearing"),
            &format!("/v1/settlements/{sid}/hearing/letter"),
            &[
                "SLW-1",
                "Partshøring",
                "100,00 kr.",
                "forvaltningslovens § 19",
            ],
            &[&sid, &yid, &post],
        );
        let w = cw
            .post_idem(
                &format!("/v1/settlements/{sid}/decision"),
                &key(),
                &json!({"decision": "waive", "decided_on": today(),
                        "reason": "Familien kunne ikke træne i tre måneder på grund af sygdom"}),
            )
            .ok(200)
            .clone();
        assert_eq!(balance(&cw, "5180"), "100.00");
        reads(
            &browser,
            (&cw, "settlement-waived"),
            &decision_letter(&w),
            &[
                "Udstyr og materialer (Måtter)",
                "100,00",
                "Frafaldet",
                "sygdom",
                "Klagevejledning",
            ],
            &[&sid, &post],
        );
        // A set-off against next year's fixed amount, with the family's consent: titled as a
        // set-off, never as a claim for repayment.
        let (y1, y2) = two_prepaid_years(&cw, &fin, "SLO-1");
        let st = settle(&cw, &y1);
        let sid = st["id"].as_str().unwrap().to_string();
        let o = cw
            .post_idem(
                &format!("/v1/settlements/{sid}/decision"),
                &key(),
                &json!({"decision": "offset", "decided_on": today(), "family_consented_on": today(),
                        "reason": "Familien ønsker beløbet modregnet i næste års rater"}),
            )
            .ok(200)
            .clone();
        let r = cw.get(&decision_letter(&o));
        assert!(!r.body.as_str().unwrap().contains("Krav om tilbagebetaling"));
        reads(
            &browser,
            (&cw, "settlement-offset"),
            &decision_letter(&o),
            &["modregn", "1.100,00", "Klagevejledning"],
            &[&sid, &y1, &y2],
        );
    });
}

/// Two monthly-prepaid years, 2025 with 1,200.00 (January's 100.00 paid, so 1,100.00 of the
/// year's prepaid... none spent) and 2026 with 2,400.00: (2025's id, 2026's id).
fn two_prepaid_years(cw: &Client, fin: &Client, r: &str) -> (String, String) {
    let case = common::home_training::new_case(cw, r, "2016-03-01", "2025-01-01", "2025-01-01");
    let year = |start: &str, end: &str, amount: &str| {
        let y = cw.post_idem(&format!("/v1/cases/{case}/budget-years"), &key(), &json!({"start_date": start, "end_date": end, "posts": [{"category": "equipment", "description": "Måtter", "amount": amount}]})).ok(201).clone();
        let yid = y["id"].as_str().unwrap().to_string();
        let plan = cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "monthly", "post_ids": [post_id(&y, "equipment")], "family_agreed_on": "2025-01-01", "first_payment_date": start})).ok(201)["items"].as_array().unwrap().clone();
        (yid, plan)
    };
    let (y1, plan1) = year("2025-01-01", "2025-12-31", "1200.00");
    let (y2, _) = year("2026-01-01", "2026-12-31", "2400.00");
    // Eleven of twelve installments paid: 1,100.00 prepaid and unspent.
    for i in &plan1[..11] {
        fin.post_idem(
            &format!("/v1/installments/{}/pay", i["id"].as_str().unwrap()),
            &key(),
            &json!({"paid_on": i["due_date"], "bank_reference": "N"}),
        )
        .ok(200);
    }
    (y1, y2)
}

#[test]
fn an_annulled_expenses_claim_and_a_late_expenses_refusal_read_right() {
    let browser = chromium();
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (_, e) = paid_and_annulled(&cw, &fin, "ANC-1");
        let cid = fin.get("/v1/clawbacks?status=proposed").ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing"),
            &json!({"sent_on": days_ago(20)}),
        )
        .ok(200);
        reads(
            &browser,
            (&cw, "annulled-expense-hearing"),
            &format!("/v1/clawbacks/{cid}/hearing/letter"),
            &["ANC-1", "Partshøring", "1.000,00 kr."],
            &[&cid, &e],
        );
        let claimed = cw
            .post_idem(
                &format!("/v1/clawbacks/{cid}/decision"),
                &key(),
                &json!({"decision": "claim", "decided_on": today(), "reason": "Købt til en søskende"}),
            )
            .ok(200)
            .clone();
        assert_eq!(balance(&cw, "1200"), "1000.00");
        reads(
            &browser,
            (&cw, "annulled-expense-claimed"),
            &decision_letter(&claimed),
            &[
                "ANC-1",
                "1.000,00",
                "Købt til en søskende",
                "Klagevejledning",
            ],
            &[&cid, &e],
        );
        // After a settlement, a covered expense is refused by a letter that says how to ask
        // for the settlement to be reopened.
        let (yid, post) = prepaid_year(&cw, &fin, "ANC-2");
        settle(&cw, &yid);
        let late = expense(&cw, &yid, &post, "2025-06-01", "80.00", "ANC-MAT").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = approve(&cw, &late);
        r.problem(422, "year_settled");
        reads(
            &browser,
            (&cw, "year-settled-refusal"),
            &decision_letter(&r.body),
            &["ANC-2", "80,00", "genåbne opgørelsen", "Klagevejledning"],
            &[&late, &yid, &post],
        );
    });
}
