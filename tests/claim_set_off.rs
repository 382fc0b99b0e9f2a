//! Issue 21, set-off: a claim is set off against the lost earnings still to be paid on the case
//! only with the family's written consent and at the installment consented to; each payroll run
//! then withholds it from the parent's line (after tax, like savings) as a repayment on the
//! claim, and never more than is outstanding. Without lost earnings left there is nothing to
//! set off against. Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::browser::{assert_no_raw_words, chromium, dom_of};
use common::home_training::new_case;
use common::lost_earnings::{balance, days_ago, grant, lines, proposed_claims, run, terms};
use common::{each_backend, key, today, Client, M};
use serde_json::{json, Value};

/// A proposed claim heard on (the answer date passed): its id.
fn heard_claim(cw: &Client, fin: &Client, case: &str) -> String {
    let c = proposed_claims(fin, case);
    assert_eq!(c.len(), 1, "{c:?}");
    let id = c[0]["id"].as_str().unwrap().to_string();
    cw.post(
        &format!("/v1/clawbacks/{id}/hearing"),
        &json!({"sent_on": days_ago(20)}),
    )
    .ok(200);
    id
}

fn set_off_line(fin: &Client, run: &Value) -> Value {
    let ls = lines(fin, run);
    let regular: Vec<&Value> = ls.iter().filter(|l| l["kind"] == "regular").collect();
    assert_eq!(regular.len(), 1, "{ls:?}");
    regular[0].clone()
}

/// A decision of 37 hours run for March and April, then cut to 20 hours from April: April was
/// paid 30,000.00 and is due 30,000 × 20/37 = 16,216.22, so the claim (proposed in May's run,
/// the family heard) is 13,783.78. The decision's id and the claim's.
fn claim_of_a_change(cw: &Client, fin: &Client, case_ref: &str) -> (String, String) {
    let case = new_case(cw, case_ref, "2015-01-01", "2024-01-02", "2024-02-01");
    let d = grant(cw, &case, terms("parent-s", "37"));
    run(fin, "2024-03");
    run(fin, "2024-04");
    cw.post_idem(
        &format!("/v1/lost-earnings/{d}/changes"),
        &key(),
        &json!({"effective_from": "2024-04-01", "granted_weekly_hours": "20"}),
    )
    .ok(201);
    let may = run(fin, "2024-05");
    // Nothing is set off before a decision with consent.
    assert_eq!(set_off_line(fin, &may)["set_off"], "0.00");
    (d, heard_claim(cw, fin, &case))
}

#[test]
fn a_claim_is_set_off_against_later_pay_only_with_consent() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (d, cid) = claim_of_a_change(&cw, &fin, "SO-1");
        let decide =
            |body: Value| cw.post_idem(&format!("/v1/clawbacks/{cid}/decision"), &key(), &body);
        let reason = "Forælderen fik afgørelsen om færre timer og har aftalt afdrag";
        decide(
            json!({"decision": "offset", "decided_on": today(), "reason": reason,
                      "knew_or_should_have_known": true, "monthly_amount": "5000.00"}),
        )
        .problem(422, "family_consent_required");
        decide(
            json!({"decision": "offset", "decided_on": today(), "reason": reason,
                      "knew_or_should_have_known": true, "family_consented_on": today()}),
        )
        .problem(422, "invalid_amount");
        decide(
            json!({"decision": "offset", "decided_on": today(), "reason": reason,
                      "family_consented_on": today(), "monthly_amount": "5000.00"}),
        )
        .problem(422, "knowledge_not_established");
        let decided = decide(
            json!({"decision": "offset", "decided_on": today(), "reason": reason,
                      "knew_or_should_have_known": true, "family_consented_on": days_ago(3),
                      "monthly_amount": "5000.00"}),
        )
        .ok(200)
        .clone();
        let c = &decided["clawback"];
        assert_eq!(
            (c["status"].as_str(), c["outstanding"].as_str()),
            (Some("open"), Some("13783.78"))
        );
        assert_eq!(
            c["set_off"],
            json!({"family_consented_on": days_ago(3), "monthly_amount": "5000.00", "lost_earnings_id": d})
        );
        assert_eq!(balance(&cw, "1200"), "13783.78");
        let decision_id = decided["decision_id"].as_str().unwrap();
        let decision = cw
            .get(&format!("/v1/decisions/{decision_id}"))
            .ok(200)
            .clone();
        assert_eq!(decision["kind"], "clawback_offset");
        let letter = cw.get(&format!("/v1/decisions/{decision_id}/letter"));
        let html = letter.body.as_str().unwrap();
        for needle in [
            "modregning i tabt arbejdsfortjeneste",
            "5.000,00",
            "samtykke",
        ] {
            assert!(html.contains(needle), "{needle} not in {html}");
        }
        assert!(!html.contains("Krav om tilbagebetaling"), "{html}");
        // In a real browser: Danish, the figures, no internal keys or ids.
        if let Some(browser) = chromium() {
            let dom = dom_of(&browser, html);
            for needle in ["Modregning", "5.000,00", "13.783,78", "Ja"] {
                assert!(dom.contains(needle), "{needle} not in {dom}");
            }
            assert_no_raw_words(&dom);
        }
        // June and July each withhold 5,000.00 from the parent's line; August the last 3,783.78.
        let june = run(&fin, "2024-06");
        let l = set_off_line(&fin, &june);
        assert_eq!(
            (l["set_off"].as_str(), l["set_off_clawback_id"].as_str()),
            (Some("5000.00"), Some(cid.as_str()))
        );
        // The pay itself is unchanged: 16,216.22 less the parent's ATP of 66.00.
        assert_eq!(l["pay_before_tax"], "16150.22");
        let csv = fin.request(
            "GET",
            &format!("/v1/payroll-runs/{}/lines", june["id"].as_str().unwrap()),
            None,
            &[("Accept", "text/csv")],
        );
        let text = csv.body.as_str().unwrap();
        assert!(
            text.contains(",pay_before_tax,set_off,set_off_clawback_id,"),
            "{text}"
        );
        assert!(
            text.contains(&format!(",16150.22,5000.00,{cid},yes,")),
            "{text}"
        );
        let claim = |c: &Client| c.get(&format!("/v1/clawbacks/{cid}")).ok(200).clone();
        assert_eq!(claim(&fin)["outstanding"], "8783.78");
        assert_eq!(balance(&cw, "1200"), "8783.78");
        run(&fin, "2024-07");
        let aug = run(&fin, "2024-08");
        assert_eq!(set_off_line(&fin, &aug)["set_off"], "3783.78");
        let settled = claim(&fin);
        assert_eq!(
            (settled["status"].as_str(), settled["outstanding"].as_str()),
            (Some("settled"), Some("0.00"))
        );
        assert_eq!(balance(&cw, "1200"), "0.00");
        // Settled: September withholds nothing.
        let sep = run(&fin, "2024-09");
        assert_eq!(set_off_line(&fin, &sep)["set_off"], "0.00");
        cw.verify_clean(M);
    });
}

#[test]
fn nothing_to_set_off_against_once_the_case_has_ended() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "SO-2", "2015-01-01", "2024-01-02", "2024-02-01");
        grant(&cw, &case, terms("parent-t", "37"));
        common::lost_earnings::paid_then_ended(&cw, &fin, &case);
        let cid = heard_claim(&cw, &fin, &case);
        cw.post_idem(
            &format!("/v1/clawbacks/{cid}/decision"),
            &key(),
            &json!({"decision": "offset", "decided_on": today(), "reason": "Afdrag aftalt",
                    "knew_or_should_have_known": true, "family_consented_on": today(),
                    "monthly_amount": "1000.00"}),
        )
        .problem(422, "offset_not_available");
        // The refusal moved nothing: the claim is still proposed.
        let c = cw.get(&format!("/v1/clawbacks/{cid}")).ok(200).clone();
        assert_eq!(c["status"], "proposed");
        assert!(c["set_off"].is_null());
        cw.verify_clean(M);
    });
}

/// A payroll run that sets off an installment races a repayment of the whole claim received in
/// the bank: whichever commits first, the claim is never repaid twice. Repaid first, the run
/// sets nothing off; set off first, the repayment exceeds what is outstanding and is refused.
#[test]
fn a_set_off_and_a_repayment_never_repay_the_claim_twice() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (_, cid) = claim_of_a_change(&cw, &fin, "SO-3");
        cw.post_idem(
            &format!("/v1/clawbacks/{cid}/decision"),
            &key(),
            &json!({"decision": "offset", "decided_on": today(), "reason": "Afdrag aftalt",
                    "knew_or_should_have_known": true, "family_consented_on": today(),
                    "monthly_amount": "5000.00"}),
        )
        .ok(200);
        let (june, repaid) = std::thread::scope(|sc| {
            let june = sc
                .spawn(|| fin.post_idem("/v1/payroll-runs", &key(), &json!({"month": "2024-06"})));
            let repaid = sc.spawn(|| {
                fin.post_idem(
                    &format!("/v1/clawbacks/{cid}/repayments"),
                    &key(),
                    &json!({"amount": "13783.78", "received_on": today(), "bank_reference": "IN-SO-3"}),
                )
            });
            (june.join().unwrap(), repaid.join().unwrap())
        });
        let june = june.ok(201).clone();
        let set_off = set_off_line(&fin, &june)["set_off"]
            .as_str()
            .unwrap()
            .to_string();
        let claim = fin.get(&format!("/v1/clawbacks/{cid}")).ok(200).clone();
        if repaid.status == 201 {
            assert_eq!(set_off, "0.00");
            assert_eq!(claim["status"], "settled");
        } else {
            repaid.problem(422, "repayment_exceeds_outstanding");
            assert_eq!(set_off, "5000.00");
            assert_eq!(claim["outstanding"], "8783.78");
        }
        assert_eq!(balance(&cw, "1200"), claim["outstanding"].as_str().unwrap());
        cw.verify_clean(M);
    });
}
