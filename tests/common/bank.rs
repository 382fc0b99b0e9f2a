//! Bank reconciliation helpers: the ledger's side of April 2025 (payments with references, a
//! returned payment), the bank's statement of the same days as camt.053 and as the net bank's
//! CSV, and the calls to send and read them.
use super::home_training::{approve, expense, post_id, story_setup};
use super::{key, Client, Resp};
use serde_json::{json, Value};

/// Approves an expense of `amount` and pays it alone: the payment's id.
pub fn paid(
    cw: &Client,
    fin: &Client,
    y: &Value,
    n: usize,
    amount: &str,
    on: &str,
    r: &str,
) -> String {
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

pub struct Books {
    pub payments: Vec<String>,
}

/// The ledger's side: 50,000.00 in the bank on 31 March, then nine movements in April 2025.
pub fn books(cw: &Client, fin: &Client) -> Books {
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

pub fn entry(date: &str, amount: &str, dir: &str, e2e: Option<&str>, text: &str) -> String {
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
pub fn camt(id: &str) -> String {
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
pub fn csv_export() -> Vec<u8> {
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

pub fn send(c: &Client, body: &[u8], media: &str) -> Resp {
    c.send_bytes(
        "POST",
        "/v1/bank-statements",
        body,
        &[("Content-Type", media)],
    )
}

pub fn reconciliation(c: &Client, id: &str) -> Value {
    c.get(&format!("/v1/bank-statements/{id}/reconciliation"))
        .ok(200)
        .clone()
}

pub fn rules(r: &Value) -> Vec<(i64, String)> {
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

pub fn lines_of(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].as_i64().unwrap())
        .collect()
}
