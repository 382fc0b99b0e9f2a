//! Issue 24, bank reconciliation: the bank's own statement files (camt.053.001.02 and the net
//! bank's CSV export of the same days) matched to the ledger's bank account to the øre, by each
//! rule in order; a returned payment; what is unmatched on each side; manual matches and their
//! undo; the closing balance against account 1000; the duplicate file; installments and
//! repayments. Black-box: the real service binary over HTTP.
mod common;

use common::bank::{books, camt, csv_export, lines_of, reconciliation, rules, send};
use common::home_training::{approve, expense, heard_and_claimed, prepaid_year, settle};
use common::{each_backend, key, today, M};
use serde_json::{json, Value};

/// The whole reconciliation of one statement, `reference` being the rule its lines with an
/// end-to-end id match by (`reference` for camt, `reference_in_text` for the CSV export).
fn reconcile(s: &common::Server, municipality: &str, body: &[u8], media: &str, by_reference: &str) {
    let cw = s.client("caseworker", municipality);
    let fin = s.client("finance", municipality);
    let ctl = s.client("controller", municipality);
    let b = books(&cw, &fin);
    let st = send(&ctl, body, media);
    let st = st.ok(201).clone();
    let id = st["id"].as_str().unwrap().to_string();
    assert_eq!(st["lines"], 9);
    assert_eq!(
        (
            st["opening_balance"].as_str(),
            st["closing_balance"].as_str()
        ),
        (Some("50000.00"), Some("47256.00"))
    );
    assert_eq!(st["matched"], 6);

    // Each rule in its order, exact to the øre.
    let r = reconciliation(&fin, &id);
    assert_eq!(
        rules(&r),
        vec![
            (1, by_reference.to_string()),
            (2, "reference_in_text".into()),
            (3, "amount_and_date".into()),
            (4, "one_to_many".into()),
            (5, by_reference.to_string()),
            (6, by_reference.to_string()),
        ],
        "{r:#}"
    );
    let m = r["matched"].as_array().unwrap();
    assert_eq!(m[0]["movements"][0]["id"], json!(b.payments[0]));
    assert_eq!(m[0]["movements"][0]["type"], "payment");
    assert_eq!(m[0]["amount"], "-1000.00");
    let run: Vec<&Value> = m[3]["movements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| &x["id"])
        .collect();
    assert_eq!(run.len(), 2);
    assert!(run.contains(&&json!(b.payments[3])) && run.contains(&&json!(b.payments[4])));
    // The returned payment: the payment out and the money back in, each matched to its own.
    assert_eq!(m[4]["movements"][0]["id"], json!(b.payments[5]));
    assert_eq!(m[5]["movements"][0]["type"], "entry");
    assert_eq!(m[5]["movements"][0]["amount"], "777.00");
    // Two payments of 123.00 on one day: no rule may guess which line is which.
    assert_eq!(lines_of(&r["unmatched_bank"]), vec![7, 8, 9]);
    let ul: Vec<&str> = r["unmatched_ledger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ul.len(), 2);
    assert!(ul.contains(&b.payments[6].as_str()) && ul.contains(&b.payments[7].as_str()));
    assert_eq!(
        (
            r["closing_balance"].as_str(),
            r["ledger_balance"].as_str(),
            r["difference"].as_str()
        ),
        (Some("47256.00"), Some("47271.00"), Some("-15.00"))
    );

    // Matching by hand, and its refusals.
    let path = format!("/v1/bank-statements/{id}/matches");
    let pay = |i: usize| json!({"type": "payment", "id": b.payments[i]});
    fin.post(&path, &json!({"line": 7, "movements": [pay(0)]}))
        .problem(409, "movement_already_matched");
    fin.post(&path, &json!({"line": 1, "movements": [pay(6)]}))
        .problem(409, "bank_line_already_matched");
    fin.post(&path, &json!({"line": 99, "movements": [pay(6)]}))
        .problem(422, "bank_line_not_found");
    fin.post(
        &path,
        &json!({"line": 7, "movements": [{"type": "payment", "id": "nope"}]}),
    )
    .problem(422, "movement_not_found");
    fin.post(&path, &json!({"line": 9, "movements": [pay(6)]}))
        .problem(422, "match_amounts_differ");
    fin.post(&path, &json!({"line": 7, "movements": [pay(6), pay(6)]}))
        .problem(422, "invalid_value");
    cw.post(&path, &json!({"line": 7, "movements": [pay(6)]}))
        .problem(403, "forbidden");
    s.client("finance", "102")
        .post(&path, &json!({"line": 7, "movements": [pay(6)]}))
        .problem(404, "bank_statement_not_found");
    let first = fin.post(&path, &json!({"line": 7, "movements": [pay(6)]}));
    let first = first.ok(201).clone();
    assert_eq!(
        (first["rule"].as_str(), first["matched_by"].is_string()),
        (Some("manual"), true)
    );
    // Undone: the line and the payment are free again; the match is kept with who and when.
    let undo = format!("{path}/{}", first["id"].as_str().unwrap());
    let undone = ctl.request("DELETE", &undo, None, &[]);
    assert!(undone.ok(200)["undone_at"].is_string());
    ctl.request("DELETE", &undo, None, &[])
        .problem(409, "bank_match_undone");
    ctl.request("DELETE", &format!("{path}/nope"), None, &[])
        .problem(404, "bank_match_not_found");
    assert_eq!(
        lines_of(&reconciliation(&fin, &id)["unmatched_bank"]),
        vec![7, 8, 9]
    );
    // A line number written as JSON Schema allows it (8.0 is an integer there); a fraction
    // is not a line.
    fin.post(&path, &json!({"line": 7.5, "movements": [pay(6)]}))
        .problem(400, "invalid_value");
    fin.post(&path, &json!({"line": 7.0, "movements": [pay(6)]}))
        .ok(201);
    fin.post(&path, &json!({"line": 8, "movements": [pay(7)]}))
        .ok(201);
    // The bank's fee, booked, then matched: the bank and the ledger agree to the øre.
    let fee = fin.entry(
        &key(),
        "2025-04-04",
        &fin.account_id("3000"),
        &fin.account_id("1000"),
        "15.00",
    );
    let fee_id = fee.ok(201)["id"].as_str().unwrap().to_string();
    fin.post(
        &path,
        &json!({"line": 9, "movements": [{"type": "entry", "id": fee_id}]}),
    )
    .ok(201);
    let done = reconciliation(&ctl, &id);
    assert_eq!(done["unmatched_bank"], json!([]));
    assert_eq!(done["unmatched_ledger"], json!([]));
    assert_eq!(done["difference"], "0.00");
    assert_eq!(done["matched"].as_array().unwrap().len(), 9);

    // The same file again answers with the first statement, nothing matched twice.
    let again = send(&fin, body, media);
    assert_eq!(again.ok(200)["id"], json!(id));
    assert_eq!(again.body["duplicate"], true);
    assert_eq!(
        reconciliation(&ctl, &id)["matched"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    // Another municipality's statement answers like a missing one.
    s.client("controller", "102")
        .get(&format!("/v1/bank-statements/{id}/reconciliation"))
        .problem(404, "bank_statement_not_found");
}

#[test]
fn a_camt_053_statement_is_reconciled_to_the_ore() {
    each_backend(|s| {
        reconcile(
            s,
            M,
            camt("STMT-2025-04-04").as_bytes(),
            "application/xml",
            "reference",
        );
        // The same camt statement id in a file that differs is the same statement.
        let ctl = s.client("controller", M);
        let respaced = camt("STMT-2025-04-04").replace("</Stmt>", "\n</Stmt>");
        assert_eq!(
            send(&ctl, respaced.as_bytes(), "application/xml").ok(200)["duplicate"],
            true
        );
    });
}

#[test]
fn the_net_banks_csv_export_of_the_same_days_is_reconciled_too() {
    each_backend(|s| {
        reconcile(s, "103", &csv_export(), "text/csv", "reference_in_text");
    });
}

#[test]
fn installments_and_repayments_are_matched_by_their_own_references() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        // January's installment of 100.00 paid with reference N-1 on 2025-01-01; the year
        // settled with 20.00 unspent, 15.00 claimed, 10.00 repaid today with reference IN-ST.
        let (yid, post) = prepaid_year(&cw, &fin, "BANK-INST");
        let spent = expense(&cw, &yid, &post, "2025-01-15", "80.00", "BANK-I1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &spent).ok(200);
        let sid = settle(&cw, &yid)["id"].as_str().unwrap().to_string();
        heard_and_claimed(&cw, &sid, Some("15.00"), "Resten blev brugt til træning");
        let claim = fin.get("/v1/clawbacks?status=open").ok(200)["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        fin.post_idem(
            &format!("/v1/clawbacks/{claim}/repayments"),
            &key(),
            &json!({"amount": "10.00", "received_on": today(), "bank_reference": "IN-ST"}),
        )
        .ok(201);
        // The bank knew the account from before the service: its balances are its own.
        let csv = format!(
            "date,text,amount,balance\n2025-01-01,Rate,-100.00,-100.00\n{},Indbetaling IN-ST,10.00,-90.00\n",
            today()
        );
        let st = send(&fin, csv.as_bytes(), "text/csv");
        let id = st.ok(201)["id"].as_str().unwrap().to_string();
        let r = reconciliation(&fin, &id);
        let m = r["matched"].as_array().unwrap();
        assert_eq!(m.len(), 2, "{r:#}");
        assert_eq!(
            (m[0]["rule"].as_str(), m[0]["movements"][0]["type"].as_str()),
            (Some("amount_and_date"), Some("installment"))
        );
        assert_eq!(
            (m[1]["rule"].as_str(), m[1]["movements"][0]["type"].as_str()),
            (Some("reference_in_text"), Some("repayment"))
        );
        assert_eq!(m[1]["movements"][0]["amount"], "10.00");
        assert_eq!(m[0]["movements"][0]["amount"], "-100.00");
        assert_eq!(r["difference"], "0.00");
    });
}
