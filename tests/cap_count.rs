//! Issue 22 #4: the rolling cap (bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt.
//! 157 d) counts each krone once: unspent prepaid money repaid on a settlement claim is no
//! longer the municipality's expense and leaves the count on the day it is received, and money
//! withheld from next year's fixed amount (a set-off installment) is not counted beside the
//! installments that carried it.
//! Figures by hand: the cap is 706,600.00 (2024 level, entered for 2025 as the fixture does).
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{
    approve, expense, heard_and_claimed, new_case, new_year, post_id, settle,
};
use common::{each_backend, key, Client, M};
use serde_json::{json, Value};

/// Year 1, 2024-03-01..2025-02-28: 700,000.00 on equipment, prepaid in 12 monthly
/// installments from 2024-03-01 (they count for the cap on their due dates; the last is
/// 58,333.37, the others 58,333.33), all paid; 600,000.00 spent from the advance (not counted
/// again); settled with 100,000.00 unspent. The case and the settlement.
fn year_one(cw: &Client, fin: &Client, case_ref: &str) -> (String, Value) {
    let case = new_case(cw, case_ref, "2015-01-01", "2024-02-01", "2024-03-01");
    let y1 = new_year(
        cw,
        &case,
        "2024-03-01",
        json!([{"category": "equipment", "description": "Udstyr", "amount": "700000.00"}]),
    )
    .ok(201)
    .clone();
    let y1id = y1["id"].as_str().unwrap().to_string();
    let p1 = post_id(&y1, "equipment");
    let plan = cw
        .post_idem(
            &format!("/v1/budget-years/{y1id}/agreement"),
            &key(),
            &json!({"frequency": "monthly", "post_ids": [p1], "family_agreed_on": "2024-02-20", "first_payment_date": "2024-03-01"}),
        )
        .ok(201)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(plan.len(), 12);
    for (n, i) in plan.iter().enumerate() {
        fin.post_idem(
            &format!("/v1/installments/{}/pay", i["id"].as_str().unwrap()),
            &key(),
            &json!({"paid_on": i["due_date"], "bank_reference": format!("N-{n}")}),
        )
        .ok(200);
    }
    // 600,000.00 spent from the advance (not counted again), 100,000.00 unspent.
    let spent = expense(
        cw,
        &y1id,
        &p1,
        "2024-04-01",
        "600000.00",
        &format!("{case_ref}-E1"),
    )
    .ok(201)
    .clone();
    approve(cw, spent["id"].as_str().unwrap()).ok(200);
    let settlement = settle(cw, &y1id);
    assert_eq!(settlement["net_unspent"], "100000.00");
    (case, settlement)
}

#[test]
fn money_repaid_on_a_settlement_claim_leaves_the_cap_count_the_day_it_is_received() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (case, settlement) = year_one(&cw, &fin, "CAP-1");
        // Year 2 from 2025-03-01. An expense of 100,000.00 on 2025-03-01: the window from
        // 2024-04-01 holds the installments of April 2024 to February 2025, 11 × 58,333.33 (the
        // last one 58,333.37: 700,000 − 11 × 58,333.33) = 641,666.67, and with it 741,666.67,
        // above 706,600.00.
        let y2 = new_year(
            &cw,
            &case,
            "2025-03-01",
            json!([{"category": "equipment", "description": "Udstyr", "amount": "200000.00"}]),
        )
        .ok(201)
        .clone();
        let y2id = y2["id"].as_str().unwrap().to_string();
        let p2 = post_id(&y2, "equipment");
        let refused = expense(&cw, &y2id, &p2, "2025-03-01", "100000.00", "CAP-E2");
        refused.problem(422, "rolling_cap_exceeded");
        let detail = refused.body["detail"].as_str().unwrap();
        assert!(
            detail.contains("2024-04-01..2025-03-31 would be 741666.67"),
            "{detail}"
        );
        // The unspent 100,000.00 is claimed after a hearing and repaid on 2025-02-15.
        let sid = settlement["id"].as_str().unwrap();
        heard_and_claimed(&cw, sid, None, "Udstyret blev ikke købt");
        let cid = fin.get(&format!("/v1/clawbacks?case_id={case}")).ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        fin.post_idem(
            &format!("/v1/clawbacks/{cid}/repayments"),
            &key(),
            &json!({"amount": "100000.00", "received_on": "2025-02-15", "bank_reference": "IN-CAP-1"}),
        )
        .ok(201);
        // The window from 2024-04-01 now holds 641,666.67 − 100,000.00 + 100,000.00 =
        // 641,666.67: within the cap.
        expense(&cw, &y2id, &p2, "2025-03-01", "100000.00", "CAP-E3").ok(201);
        cw.verify_clean(M);
    });
}

#[test]
fn a_set_off_installment_is_not_counted_beside_the_installments_that_carried_the_money() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (case, settlement) = year_one(&cw, &fin, "CAP-2");
        // Year 2 from 2025-03-01: 400,000.00 of equipment prepaid monthly (nothing paid yet) and
        // 200,000.00 of supervision reimbursed.
        let y2 = new_year(
            &cw,
            &case,
            "2025-03-01",
            json!([{"category": "equipment", "description": "Udstyr", "amount": "400000.00"},
                   {"category": "supervision", "description": "Supervision", "amount": "200000.00"}]),
        )
        .ok(201)
        .clone();
        let y2id = y2["id"].as_str().unwrap().to_string();
        cw.post_idem(
            &format!("/v1/budget-years/{y2id}/agreement"),
            &key(),
            &json!({"frequency": "monthly", "post_ids": [post_id(&y2, "equipment")], "family_agreed_on": "2025-02-20", "first_payment_date": "2025-03-01"}),
        )
        .ok(201);
        // Year 1's unspent 100,000.00 is withheld from year 2 with the family's consent: a
        // set-off installment of 100,000.00 on 2025-04-15, and the 12 unpaid installments planned
        // again for 300,000.00 (25,000.00 each).
        let sid = settlement["id"].as_str().unwrap();
        cw.post_idem(
            &format!("/v1/settlements/{sid}/decision"),
            &key(),
            &json!({"decision": "offset", "decided_on": "2025-04-15", "family_consented_on": "2025-04-10",
                    "reason": "Familien har givet samtykke til modregning"}),
        )
        .ok(200);
        // Supervision of 106,599.99 on 2025-05-01. The heaviest window holding it, from
        // 2024-06-01, holds year 1's installments of June 2024 to February 2025 (8 × 58,333.33 +
        // 58,333.37 = 525,000.01), year 2's of March to May 2025 (75,000.00) and the
        // supervision: exactly 706,600.00, the cap. Counting the set-off's
        // 100,000.00 again would make it 806,600.00.
        let k = expense(
            &cw,
            &y2id,
            &post_id(&y2, "supervision"),
            "2025-05-01",
            "106599.99",
            "CAP-2-K",
        )
        .ok(201)
        .clone();
        approve(&cw, k["id"].as_str().unwrap()).ok(200);
        // 0.01 more is above the cap: the count is exact.
        let r = expense(
            &cw,
            &y2id,
            &post_id(&y2, "supervision"),
            "2025-05-01",
            "0.01",
            "CAP-2-L",
        );
        r.problem(422, "rolling_cap_exceeded");
        cw.verify_clean(M);
    });
}
