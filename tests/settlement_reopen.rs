//! Issue 21: a settlement is reopened by a decision when a covered expense arrives after it
//! (while nothing was repaid or set off on its result): its entries reversed, its claim
//! cancelled, and the year settled again with the late expense in it.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, prepaid_year, settle};
use common::{each_backend, key, today, Client, M};
use serde_json::{json, Value};

fn balance(c: &Client, code: &str) -> String {
    c.account(&c.account_id(code))["balance"]
        .as_str()
        .unwrap()
        .to_string()
}

fn days_ago(n: i64) -> String {
    (ledger::context::today_in_denmark() - chrono::Duration::days(n)).to_string()
}

/// Heard 20 days ago (the 14 days passed), then the unspent money claimed whole.
fn claim(cw: &Client, sid: &str) -> Value {
    cw.post(
        &format!("/v1/settlements/{sid}/hearing"),
        &json!({"sent_on": days_ago(20)}),
    )
    .ok(200);
    cw.post_idem(
        &format!("/v1/settlements/{sid}/decision"),
        &key(),
        &json!({"decision": "claim", "decided_on": today(), "reason": "Måtterne blev ikke købt"}),
    )
    .ok(200)
    .clone()
}

fn reopen(cw: &Client, sid: &str, reason: &str) -> common::Resp {
    cw.post_idem(
        &format!("/v1/settlements/{sid}/reopen"),
        &key(),
        &json!({"decided_on": today(), "reason": reason}),
    )
}

#[test]
fn a_late_expense_reopens_the_settlement_and_the_year_is_settled_again() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (yid, post) = prepaid_year(&cw, &fin, "RO-1");
        // Prepaid 100.00, nothing spent: 100.00 unspent, claimed after the hearing.
        let first = settle(&cw, &yid);
        let sid = first["id"].as_str().unwrap().to_string();
        assert_eq!(first["net_unspent"], "100.00");
        claim(&cw, &sid);
        assert_eq!(balance(&cw, "1200"), "100.00");
        // The receipt for 80.00 of mats comes after: refused as settled, with a decision.
        let late = expense(&cw, &yid, &post, "2025-06-01", "80.00", "RO-MAT")
            .ok(201)
            .clone();
        approve(&cw, late["id"].as_str().unwrap()).problem(422, "year_settled");
        // Reopened by the caseworker, with reasons; not by finance, not without a reason.
        fin.post_idem(
            &format!("/v1/settlements/{sid}/reopen"),
            &key(),
            &json!({"decided_on": today(), "reason": "x"}),
        )
        .problem(403, "forbidden");
        reopen(&cw, &sid, " ").problem(422, "invalid_reason");
        let reopened = reopen(&cw, &sid, "Kvitteringen for måtterne kom efter opgørelsen")
            .ok(200)
            .clone();
        let decision = reopened["reopened_by_decision"].as_str().unwrap();
        // Its entries are reversed: nothing is owed, the advance stands as before.
        assert_eq!(balance(&cw, "1200"), "0.00");
        // By linked reversals: the claim's entry on 1200 names the entry that reversed it,
        // and that one names it back; nothing was edited.
        let on_1200 = fin
            .get(&format!(
                "/v1/journal-entries?account_id={}",
                fin.account_id("1200")
            ))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(on_1200.len(), 2, "{on_1200:?}");
        let claimed = on_1200.iter().find(|e| e["reverses"].is_null()).unwrap();
        let reversal = on_1200.iter().find(|e| !e["reverses"].is_null()).unwrap();
        assert_eq!(reversal["reverses"], claimed["id"]);
        assert_eq!(claimed["reversed_by"], reversal["id"]);
        assert_eq!(
            claimed["postings"].as_array().unwrap().len(),
            reversal["postings"].as_array().unwrap().len()
        );
        let claims = fin.get("/v1/clawbacks?status=cancelled").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(claims.len(), 1, "{claims:?}");
        assert_eq!(claims[0]["settlement_id"], sid.as_str());
        assert!(fin.get("/v1/clawbacks?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty());
        let d = cw.get(&format!("/v1/decisions/{decision}")).ok(200).clone();
        assert_eq!(
            (d["kind"].as_str(), d["outcome"].as_str()),
            (Some("settlement_reopened"), Some("changed"))
        );
        let letter = cw.get(&format!("/v1/decisions/{decision}/letter"));
        assert!(letter
            .body
            .as_str()
            .unwrap()
            .contains("genoptagelse af årsopgørelsen"));
        // Once.
        reopen(&cw, &sid, "igen").problem(409, "settlement_not_reopenable");
        // The year takes the expense now, and is settled again: 100.00 − 80.00 = 20.00.
        let again = expense(&cw, &yid, &post, "2025-06-01", "80.00", "RO-MAT")
            .ok(201)
            .clone();
        approve(&cw, again["id"].as_str().unwrap()).ok(200);
        let second = settle(&cw, &yid);
        assert_ne!(second["id"], first["id"]);
        assert_eq!(
            (
                second["total_approved"].as_str(),
                second["net_unspent"].as_str()
            ),
            (Some("80.00"), Some("20.00"))
        );
        assert_eq!(
            cw.get(&format!("/v1/budget-years/{yid}/settlement"))
                .ok(200)["id"],
            second["id"]
        );
        cw.verify_clean(M);
    });
}

#[test]
fn a_settlement_is_not_reopened_once_money_was_repaid_on_it() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (yid, _) = prepaid_year(&cw, &fin, "RO-2");
        let sid = settle(&cw, &yid)["id"].as_str().unwrap().to_string();
        claim(&cw, &sid);
        let cid = fin.get("/v1/clawbacks?status=open").ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        fin.post_idem(
            &format!("/v1/clawbacks/{cid}/repayments"),
            &key(),
            &json!({"amount": "10.00", "received_on": today(), "bank_reference": "IN-RO"}),
        )
        .ok(201);
        let r = reopen(&cw, &sid, "Sen kvittering");
        r.problem(409, "settlement_not_reopenable");
        assert!(r.body["detail"].as_str().unwrap().contains("repaid"));
        reopen(&cw, "no-such-settlement", "x").problem(404, "settlement_not_found");
        assert_eq!(balance(&cw, "1200"), "90.00");
        cw.verify_clean(M);
    });
}

#[test]
fn a_shortfall_not_yet_paid_is_cancelled_with_the_reopening_and_a_paid_one_is_not_undone() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let shortfall = |r: &str| {
            let (yid, post) = prepaid_year(&cw, &fin, r);
            let e = expense(&cw, &yid, &post, "2025-02-01", "300.00", &format!("{r}-D")).ok(201)
                ["id"]
                .as_str()
                .unwrap()
                .to_string();
            approve(&cw, &e).ok(200);
            // Spent 300.00 of 100.00 prepaid: 200.00 owed to the family.
            let st = settle(&cw, &yid);
            assert_eq!(st["net_shortfall"], "200.00");
            st
        };
        let open = shortfall("RO-3");
        let payable = open["payable_id"].as_str().unwrap();
        reopen(
            &cw,
            open["id"].as_str().unwrap(),
            "En udgift var bogført forkert",
        )
        .ok(200);
        let p = fin.get("/v1/payables?status=cancelled").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert!(p.iter().any(|x| x["id"] == payable), "{p:?}");
        assert_eq!(balance(&cw, "2000"), "0.00");
        let paid = shortfall("RO-4");
        fin.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": [paid["payable_id"]], "paid_on": today(), "bank_reference": "RO-P"}),
        )
        .ok(201);
        let r = reopen(&cw, paid["id"].as_str().unwrap(), "For sent");
        r.problem(409, "settlement_not_reopenable");
        assert!(r.body["detail"].as_str().unwrap().contains("shortfall"));
        cw.verify_clean(M);
    });
}
