//! Issue 24, bank reconciliation: the bank's own statement files (camt.053.001.02 and the net
//! bank's CSV export of the same days) matched to the ledger's bank account to the øre, by each
//! rule in order; a returned payment; what is unmatched on each side; manual matches and their
//! undo; the closing balance against account 1000; the duplicate file; bad files of both
//! kinds; and the guards under concurrency. Black-box: the real service binary over HTTP.
mod common;

use common::home_training::{
    approve, expense, heard_and_claimed, post_id, prepaid_year, settle, story_setup,
};
use common::{each_backend, key, today, Client, Resp, M};
use serde_json::{json, Value};

/// Approves an expense of `amount` and pays it alone: the payment's id.
fn paid(cw: &Client, fin: &Client, y: &Value, n: usize, amount: &str, on: &str, r: &str) -> String {
    let yid = y["id"].as_str().unwrap();
    let post = post_id(y, "equipment");
    let e = expense(cw, yid, &post, "2025-03-01", amount, &format!("BANK-{n}")).ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    approve(cw, &e).ok(200);
    let open = fin.get("/v1/payables?status=open").ok(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    let p = open
        .iter()
        .find(|p| p["expense_ids"].as_array().unwrap().contains(&json!(e)))
        .unwrap();
    fin.post_idem(
        "/v1/payments",
        &key(),
        &json!({"payable_ids": [p["id"]], "paid_on": on, "bank_reference": r}),
    )
    .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

struct Books {
    payments: Vec<String>,
}

/// The ledger's side: 50,000.00 in the bank on 31 March, then nine movements in April 2025.
fn books(cw: &Client, fin: &Client) -> Books {
    let bank = fin.account_id("1000");
    let equity = fin.account_id("3000");
    fin.entry(&key(), "2025-03-31", &bank, &equity, "50000.00")
        .ok(201);
    let (_, y) = story_setup(cw, "BANK-1");
    let p = vec![
        paid(cw, fin, &y, 1, "1000.00", "2025-04-01", "PAY-0001"),
        paid(cw, fin, &y, 2, "250.00", "2025-04-01", "HJT-2502"),
        paid(cw, fin, &y, 3, "333.00", "2025-04-02", "X-3"),
        paid(cw, fin, &y, 4, "400.00", "2025-04-03", "RUN-A"),
        paid(cw, fin, &y, 5, "500.00", "2025-04-03", "RUN-B"),
        paid(cw, fin, &y, 6, "777.00", "2025-04-02", "RET-0006"),
        paid(cw, fin, &y, 7, "123.00", "2025-04-02", "LATE-7"),
        paid(cw, fin, &y, 8, "123.00", "2025-04-02", "LATE-8"),
    ];
    fin.post_idem(
        &format!("/v1/payments/{}/return", p[5]),
        &key(),
        &json!({"returned_on": "2025-04-04", "reason": "Konto ophørt (AC04)"}),
    )
    .ok(200);
    Books { payments: p }
}

fn entry(date: &str, amount: &str, dir: &str, e2e: Option<&str>, text: &str) -> String {
    let refs = e2e
        .map(|r| format!("<Refs><EndToEndId>{r}</EndToEndId></Refs>"))
        .unwrap_or_default();
    let rvsl = if text == "Retur" {
        "<RvslInd>true</RvslInd>"
    } else {
        ""
    };
    format!(
        "<Ntry><Amt Ccy=\"DKK\">{amount}</Amt><CdtDbtInd>{dir}</CdtDbtInd>{rvsl}<Sts>BOOK</Sts>\
         <BookgDt><Dt>{date}</Dt></BookgDt><ValDt><Dt>{date}</Dt></ValDt>\
         <NtryDtls><TxDtls>{refs}<RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )
}

/// The bank's camt.053.001.02 statement of 1-4 April 2025.
fn camt(id: &str) -> String {
    let ntries = [
        entry(
            "2025-04-01",
            "1000.00",
            "DBIT",
            Some("PAY-0001"),
            "Hjemmetræning",
        ),
        entry(
            "2025-04-01",
            "250.00",
            "DBIT",
            None,
            "Hjemmetræning HJT-2502",
        ),
        entry("2025-04-03", "333.00", "DBIT", None, "Overførsel"),
        entry("2025-04-04", "900.00", "DBIT", None, "Samlet betaling"),
        entry(
            "2025-04-02",
            "777.00",
            "DBIT",
            Some("RET-0006"),
            "Hjemmetræning",
        ),
        entry("2025-04-04", "777.00", "CRDT", Some("RET-0006"), "Retur"),
        entry("2025-04-02", "123.00", "DBIT", None, "Overførsel"),
        entry("2025-04-03", "123.00", "DBIT", None, "Overførsel"),
        entry("2025-04-04", "15.00", "DBIT", None, "Gebyr"),
    ]
    .concat();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n<BkToCstmrStmt>\
         <GrpHdr><MsgId>M-{id}</MsgId><CreDtTm>2025-04-05T06:00:00</CreDtTm></GrpHdr>\n<Stmt><Id>{id}</Id>\
         <FrToDt><FrDtTm>2025-04-01T00:00:00</FrDtTm><ToDtTm>2025-04-04T23:59:59</ToDtTm></FrToDt>\
         <Acct><Id><IBAN>DK5000400440116243</IBAN></Id><Ccy>DKK</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"DKK\">50000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-31</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"DKK\">47256.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-04-04</Dt></Dt></Bal>\n\
         {ntries}\n</Stmt></BkToCstmrStmt></Document>\n"
    )
}

/// The same days as the net bank exports them: Danish CSV in Windows-1252, no end-to-end ids
/// (the references are in the text), a running balance.
fn csv_export() -> Vec<u8> {
    let text = "Dato;Tekst;Beløb;Saldo\r\n\
        01.04.2025;Hjemmetræning PAY-0001;-1.000,00;49.000,00\r\n\
        01.04.2025;Hjemmetræning HJT-2502;-250,00;48.750,00\r\n\
        03.04.2025;Overførsel;-333,00;48.417,00\r\n\
        04.04.2025;Samlet betaling;-900,00;47.517,00\r\n\
        02-04-2025;Hjemmetræning RET-0006;-777,00;46.740,00\r\n\
        04-04-2025;Retur RET-0006;777,00;47.517,00\r\n\
        02.04.2025;Overførsel;-123,00;47.394,00\r\n\
        03.04.2025;Overførsel;-123,00;47.271,00\r\n\
        04.04.2025;Gebyr;-15,00;47.256,00\r\n";
    // æ, ø and å are one byte each in Windows-1252, as in Latin-1.
    text.chars()
        .map(|c| u8::try_from(c as u32).unwrap())
        .collect()
}

fn send(c: &Client, body: &[u8], media: &str) -> Resp {
    c.send_bytes(
        "POST",
        "/v1/bank-statements",
        body,
        &[("Content-Type", media)],
    )
}

fn reconciliation(c: &Client, id: &str) -> Value {
    c.get(&format!("/v1/bank-statements/{id}/reconciliation"))
        .ok(200)
        .clone()
}

fn rules(r: &Value) -> Vec<(i64, String)> {
    r["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["line"].as_i64().unwrap(),
                m["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn lines_of(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_i64().unwrap())
        .collect()
}

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
    fin.post(&path, &json!({"line": 7, "movements": [pay(6)]}))
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
fn bad_files_are_refused_whole_naming_the_line_or_element() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let broken = camt("STMT-X").replace("</Stmt>", "");
        let r = send(&fin, broken.as_bytes(), "application/xml");
        r.problem(422, "invalid_bank_statement");
        assert!(
            r.body["errors"][0]["field"]
                .as_str()
                .unwrap()
                .starts_with("line "),
            "{:#}",
            r.body
        );
        let bad_amount = camt("STMT-Y").replacen("1000.00", "1.000,00", 1);
        let r = send(&fin, bad_amount.as_bytes(), "application/xml");
        r.problem(422, "invalid_bank_statement");
        assert_eq!(r.body["errors"][0]["field"], "Stmt/Ntry[1]/Amt");
        let unbalanced = camt("STMT-Z").replace("47256.00", "47257.00");
        send(&fin, unbalanced.as_bytes(), "application/xml").problem(422, "invalid_bank_statement");
        let csv = "Dato;Tekst;Beløb;Saldo\n01.04.2025;A;-1.000,00;49.000,00\n32.04.2025;B;-5,00;48.995,00\n02.04.2025;C;-5,005;48.990,00\n";
        let r = send(&fin, csv.as_bytes(), "text/csv");
        r.problem(422, "invalid_bank_statement");
        let fields: Vec<&str> = r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["line 3, column Dato", "line 4, column Beløb"]);
        let chain = "Dato;Tekst;Beløb;Saldo\n01.04.2025;A;-1.000,00;49.000,00\n02.04.2025;B;-5,00;48.000,00\n";
        send(&fin, chain.as_bytes(), "text/csv").problem(422, "invalid_bank_statement");
        send(&fin, b"", "text/csv").problem(422, "invalid_bank_statement");
        send(&fin, b"{}", "application/json").problem(415, "unsupported_media_type");
        s.client("caseworker", M)
            .send_bytes(
                "POST",
                "/v1/bank-statements",
                camt("STMT-W").as_bytes(),
                &[("Content-Type", "application/xml")],
            )
            .problem(403, "forbidden");
        // Nothing of a refused file was kept: the good file of the same id is new.
        send(&fin, camt("STMT-Y").as_bytes(), "application/xml").ok(201);
    });
}

#[test]
fn no_movement_is_matched_twice_whatever_runs_at_once() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let b = books(&cw, &fin);
        // The same file sent eight times at once is one statement.
        let body = camt("STMT-RACE");
        let ids: Vec<Value> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..8)
                .map(|_| {
                    sc.spawn(|| send(&fin, body.as_bytes(), "application/xml").body["id"].clone())
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ids.iter().all(|i| i == &ids[0] && i.is_string()), "{ids:?}");
        let id = ids[0].as_str().unwrap().to_string();
        // One payment matched by hand to two lines at once: one wins, the other is told.
        let path = format!("/v1/bank-statements/{id}/matches");
        let p = json!({"type": "payment", "id": b.payments[6]});
        let codes: Vec<u16> = std::thread::scope(|sc| {
            let hs: Vec<_> = [7, 8, 7, 8]
                .into_iter()
                .map(|line| {
                    let (fin, path, p) = (&fin, &path, &p);
                    sc.spawn(move || {
                        fin.post(path, &json!({"line": line, "movements": [p]}))
                            .status
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(codes.iter().filter(|c| **c == 201).count(), 1, "{codes:?}");
        assert!(codes.iter().all(|c| *c == 201 || *c == 409), "{codes:?}");
        let r = reconciliation(&fin, &id);
        let holding: usize = r["matched"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["movements"][0]["id"] == json!(b.payments[6]))
            .count();
        assert_eq!(holding, 1);
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
