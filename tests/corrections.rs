//! Corrections: an annulled unpaid approval, an annulled paid approval (a claim on the family and
//! its repayment), a payment the bank returned; every correction a linked reversal.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, post_id, post_of, story_setup, year};
use common::{each_backend, key, today, Client, M};
use serde_json::{json, Value};

fn balance(c: &Client, code: &str) -> String {
    c.account(&c.account_id(code))["balance"]
        .as_str()
        .unwrap()
        .to_string()
}

fn pay(fin: &Client, payables: &[Value], on: &str, bank: &str) -> Value {
    fin.post_idem(
        "/v1/payments",
        &key(),
        &json!({"payable_ids": payables.iter().map(|p| p["id"].clone()).collect::<Vec<_>>(), "paid_on": on, "bank_reference": bank}),
    )
    .ok(201)
    .clone()
}

#[test]
fn annulments_reverse_the_approval_and_claim_what_was_paid() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (case, y) = story_setup(&cw, "COR-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let a = expense(&cw, yid, &eq, "2025-03-01", "1000.00", "C-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let b = expense(&cw, yid, &eq, "2025-03-02", "1500.00", "C-2").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &a).ok(200);
        approve(&cw, &b).ok(200);
        assert_eq!(post_of(&year(&cw, yid), &eq)["remaining"], "2500.00");
        assert_eq!(balance(&cw, "2000"), "2500.00");

        // b is paid; then both approvals are found wrong.
        let open: Vec<Value> = fin
            .get(&format!("/v1/payables?status=open&case_id={case}"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let pb: Vec<Value> = open
            .iter()
            .filter(|p| p["expense_ids"][0] == b.as_str())
            .cloned()
            .collect();
        pay(&fin, &pb, "2025-03-10", "NETS-1");
        assert_eq!(balance(&cw, "1000"), "-1500.00");

        // Refusals of the request itself.
        cw.post_idem(
            &format!("/v1/expenses/{a}/annul"),
            &key(),
            &json!({"decided_on": "2099-01-01", "reason": "x"}),
        )
        .problem(422, "invalid_decided_on");
        // Not dated before the approval it annuls was decided (today).
        cw.post_idem(
            &format!("/v1/expenses/{a}/annul"),
            &key(),
            &json!({"decided_on": "2025-04-01", "reason": "x"}),
        )
        .problem(422, "invalid_decided_on");
        fin.post_idem(
            &format!("/v1/expenses/{a}/annul"),
            &key(),
            &json!({"decided_on": today(), "reason": "x"}),
        )
        .problem(403, "forbidden");
        cw.post(
            &format!("/v1/expenses/{a}/annul"),
            &json!({"decided_on": today(), "reason": "x"}),
        )
        .problem(400, "idempotency_key_required");

        // Unpaid: the reversal gives the post its money back; the payable is cancelled.
        let k = key();
        let ann = cw
            .post_idem(
                &format!("/v1/expenses/{a}/annul"),
                &k,
                &json!({"decided_on": today(), "reason": "Bought for a sibling"}),
            )
            .ok(200)
            .clone();
        assert_eq!(ann["status"], "annulled");
        let rev = cw
            .get(&format!(
                "/v1/journal-entries/{}",
                ann["annul_entry_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(rev["kind"], "reversal");
        assert_eq!(rev["reverses"], ann["entry_id"]);
        assert_eq!(rev["source_id"], a.as_str());
        // A retry answers with the first annulment; a second annulment is refused.
        let again = cw.post_idem(
            &format!("/v1/expenses/{a}/annul"),
            &k,
            &json!({"decided_on": today(), "reason": "Bought for a sibling"}),
        );
        assert_eq!(again.ok(200)["annul_entry_id"], ann["annul_entry_id"]);
        cw.post_idem(
            &format!("/v1/expenses/{a}/annul"),
            &key(),
            &json!({"decided_on": today(), "reason": "again"}),
        )
        .problem(409, "expense_not_approved");
        assert_eq!(post_of(&year(&cw, yid), &eq)["remaining"], "3500.00");
        assert_eq!(balance(&cw, "2000"), "0.00");
        let cancelled: Vec<Value> = fin
            .get(&format!("/v1/payables?status=cancelled&case_id={case}"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(cancelled.len(), 1);
        assert_eq!(cancelled[0]["expense_ids"][0], a.as_str());

        // Paid: the reversal, and a proposed claim for what was paid (issue 21): it waits on
        // 1250 while the family is heard; nobody owes it before a decision.
        cw.post_idem(
            &format!("/v1/expenses/{b}/annul"),
            &key(),
            &json!({"decided_on": today(), "reason": "Not a training expense"}),
        )
        .ok(200);
        assert_eq!(post_of(&year(&cw, yid), &eq)["remaining"], "5000.00");
        assert_eq!(balance(&cw, "5110"), "0.00");
        assert_eq!(balance(&cw, "2000"), "0.00");
        assert_eq!(balance(&cw, "1200"), "0.00");
        assert_eq!(balance(&cw, "1250"), "1500.00");
        let claims = fin.get("/v1/clawbacks?status=proposed").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(claims.len(), 1);
        let c = &claims[0];
        assert_eq!(c["origin"], "annulled_expense");
        assert_eq!(c["expense_id"], b.as_str());
        assert_eq!(
            (c["proposed_amount"].as_str(), c["outstanding"].as_str()),
            (Some("1500.00"), Some("0.00"))
        );
        assert!(c["decision_id"].is_null() && c["hearing"].is_null(), "{c}");
        let cid = c["id"].as_str().unwrap().to_string();
        let cid = cid.as_str();
        // Nothing is repaid or decided before the family is heard.
        fin.post_idem(
            &format!("/v1/clawbacks/{cid}/repayments"),
            &key(),
            &json!({"amount": "1.00", "received_on": "2025-05-01", "bank_reference": "IN-0"}),
        )
        .problem(409, "claim_not_decided");
        let decide =
            |body: Value| cw.post_idem(&format!("/v1/clawbacks/{cid}/decision"), &key(), &body);
        let claim_all = json!({"decision": "claim", "decided_on": today(), "reason": "Udgiften var ikke en træningsudgift"});
        decide(claim_all.clone()).problem(409, "hearing_required");
        let h = cw
            .post(
                &format!("/v1/clawbacks/{cid}/hearing"),
                &json!({"sent_on": today()}),
            )
            .ok(200)
            .clone();
        assert!(h["hearing"]["respond_by"].as_str().unwrap() > today().as_str());
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing"),
            &json!({"sent_on": today()}),
        )
        .problem(409, "hearing_already_sent");
        let hl = cw.get(&format!("/v1/clawbacks/{cid}/hearing/letter"));
        let html = hl.body.as_str().unwrap();
        assert!(
            html.contains("Partshøring") && html.contains("1.500,00"),
            "{html}"
        );
        assert!(html.contains(&common::danish_date(
            h["hearing"]["respond_by"].as_str().unwrap()
        )));
        // The answer date has not passed and no answer is recorded: still not decided.
        decide(claim_all.clone()).problem(409, "hearing_required");
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing/response"),
            &json!({"received_on": today(), "summary": "Familien mente, at udstyret var til træningen"}),
        )
        .ok(200);
        let decided = decide(claim_all.clone()).ok(200).clone();
        assert_eq!(decided["clawback"]["status"], "open");
        assert_eq!(decided["clawback"]["outstanding"], "1500.00");
        assert_eq!(balance(&cw, "1250"), "0.00");
        assert_eq!(balance(&cw, "1200"), "1500.00");
        decide(claim_all).problem(409, "claim_decided");
        let decision_id = decided["decision_id"].as_str().unwrap();
        let decision = cw
            .get(&format!("/v1/decisions/{decision_id}"))
            .ok(200)
            .clone();
        assert_eq!(decision["outcome"], "claimed");
        assert_eq!(decision["kind"], "clawback_claimed");
        let letter = cw.get(&format!("/v1/decisions/{decision_id}/letter"));
        assert!(letter
            .body
            .as_str()
            .unwrap()
            .contains("Afgørelse om tilbagebetaling"));

        // Repayments: never more than outstanding; the last one settles the claim.
        let repay = |amount: &str| {
            fin.post_idem(
                &format!("/v1/clawbacks/{cid}/repayments"),
                &key(),
                &json!({"amount": amount, "received_on": "2025-05-01", "bank_reference": "IN-1"}),
            )
        };
        repay("1500.01").problem(422, "repayment_exceeds_outstanding");
        assert_eq!(repay("500.00").ok(201)["outstanding"], "1000.00");
        let settled = repay("1000.00").ok(201).clone();
        assert_eq!(settled["status"], "settled");
        assert_eq!(balance(&cw, "1200"), "0.00");
        assert_eq!(balance(&cw, "1000"), "0.00");
        assert!(fin.get("/v1/clawbacks?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty());

        // The case's decisions tell the story.
        let kinds: Vec<String> = cw.get(&format!("/v1/cases/{case}/decisions")).ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(kinds.iter().filter(|k| *k == "expense_annulled").count(), 2);
        cw.verify_clean(M);
    });
}

#[test]
fn a_returned_payment_is_reversed_and_its_payables_are_open_again() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let ctl = s.client("controller", M);
        let (case, y) = story_setup(&cw, "RET-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let e = expense(&cw, yid, &eq, "2025-03-01", "800.00", "R-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e).ok(200);
        let open: Vec<Value> = fin
            .get(&format!("/v1/payables?status=open&case_id={case}"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let p = pay(&fin, &open, "2025-03-10", "NETS-9");
        let pid = p["id"].as_str().unwrap();
        assert_eq!(balance(&cw, "2000"), "0.00");
        // The books are closed through March: the reversal lands on the first open date.
        ctl.post("/v1/periods/close", &json!({"through": "2025-03-31"}))
            .ok(201);
        let ret = |on: &str| {
            fin.post_idem(
                &format!("/v1/payments/{pid}/return"),
                &key(),
                &json!({"returned_on": on, "reason": "Account closed (AC04)"}),
            )
        };
        ret("2025-03-09").problem(422, "invalid_value");
        cw.post_idem(
            &format!("/v1/payments/{pid}/return"),
            &key(),
            &json!({"returned_on": "2025-03-12", "reason": "x"}),
        )
        .problem(403, "forbidden");
        fin.post_idem(
            "/v1/payments/nope/return",
            &key(),
            &json!({"returned_on": "2025-03-12", "reason": "x"}),
        )
        .problem(404, "payment_not_found");
        let r = ret("2025-03-12").ok(200).clone();
        assert_eq!(r["returned_on"], "2025-03-12");
        let rev = cw
            .get(&format!(
                "/v1/journal-entries/{}",
                r["return_entry_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(rev["reverses"], p["entry_id"]);
        assert_eq!(rev["effective_date"], "2025-04-01");
        assert_eq!(balance(&cw, "2000"), "800.00");
        assert_eq!(balance(&cw, "1000"), "0.00");
        ret("2025-03-13").problem(409, "payment_already_returned");
        // Owed again, and paid again.
        let open: Vec<Value> = fin
            .get(&format!("/v1/payables?status=open&case_id={case}"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(open.len(), 1);
        pay(&fin, &open, "2025-04-05", "NETS-10");
        assert_eq!(balance(&cw, "2000"), "0.00");
        assert_eq!(balance(&cw, "1000"), "-800.00");
        cw.verify_clean(M);
    });
}

#[test]
fn wages_can_be_payable_to_the_payroll_firm_which_sees_only_its_own() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (case, y) = story_setup(&cw, "PAYEE-1");
        let yid = y["id"].as_str().unwrap();
        cw.post(
            &format!("/v1/cases/{case}/payee"),
            &json!({"payee": "payroll_firm"}),
        )
        .problem(422, "invalid_payee");
        let c = cw
            .post(
                &format!("/v1/cases/{case}/payee"),
                &json!({"payee": "payroll_firm", "payroll_firm": "test-payroll_firm"}),
            )
            .ok(200)
            .clone();
        assert_eq!(c["payee"], "payroll_firm");
        let hp = post_id(&y, "helper_trainers");
        let eq = post_id(&y, "equipment");
        let wages = cw.post_idem(&format!("/v1/budget-years/{yid}/expenses"), &key(), &json!({"post_id": hp, "expense_date": "2025-04-05", "service_from": "2025-03-01", "service_to": "2025-03-31", "amount": "2000.00", "hours": "10", "description": "March wages", "supplier": "Lønadm ApS", "document_ref": "W-3"})).ok(201)["id"].as_str().unwrap().to_string();
        let mat = expense(&cw, yid, &eq, "2025-03-02", "100.00", "M-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &wages).ok(200);
        approve(&cw, &mat).ok(200);
        assert_eq!(balance(&cw, "2100"), "2000.00");
        assert_eq!(balance(&cw, "2000"), "100.00");
        // The firm reads only what is addressed to it, with nothing about the family but the case reference.
        let firm = s.client("payroll_firm", M);
        let mine = firm.get("/v1/payables").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["payee"], "payroll_firm");
        assert_eq!(mine[0]["amount"], "2000.00");
        assert_eq!(mine[0]["external_ref"], "PAYEE-1");
        let other_firm = firm.with_token(&common::jwt(&json!({"sub": "another-firm", "role": "payroll_firm", "municipality": M, "exp": chrono::Utc::now().timestamp() + 600}), common::SECRET));
        assert!(other_firm.get("/v1/payables").ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty());
        firm.get(&format!("/v1/cases/{case}"))
            .problem(403, "forbidden");
        // One transfer per payee: the family's line never includes the firm's wages.
        let lines = fin.get("/v1/payables/by-family").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let mut per_payee: Vec<(String, String)> = lines
            .iter()
            .map(|l| {
                (
                    l["payee"].as_str().unwrap().to_string(),
                    l["amount"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        per_payee.sort();
        assert_eq!(
            per_payee,
            [
                ("family".to_string(), "100.00".to_string()),
                ("payroll_firm".to_string(), "2000.00".to_string())
            ]
        );
        // Paying both books each against its own payables account.
        let open: Vec<Value> = fin.get("/v1/payables?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        pay(&fin, &open, "2025-04-10", "NETS-20");
        assert_eq!(balance(&cw, "2100"), "0.00");
        assert_eq!(balance(&cw, "2000"), "0.00");
        cw.verify_clean(M);
    });
}

/// Issue 21: a claim is decided only after the family was heard, and may claim a part (the rest
/// waived in the same decision) or nothing (waived), each booked from 1250.
#[test]
fn a_claim_may_be_decided_in_part_or_waived_once_the_family_was_heard() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (case, y) = story_setup(&cw, "CLAIM-1");
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let mut claims = vec![];
        for (doc, amount) in [("CL-1", "1000.00"), ("CL-2", "400.00")] {
            let e = expense(&cw, yid, &eq, "2025-03-01", amount, doc).ok(201)["id"]
                .as_str()
                .unwrap()
                .to_string();
            approve(&cw, &e).ok(200);
            let open: Vec<Value> = fin
                .get(&format!("/v1/payables?status=open&case_id={case}"))
                .ok(200)["items"]
                .as_array()
                .unwrap()
                .clone();
            pay(&fin, &open, "2025-03-10", "NETS-C");
            cw.post_idem(
                &format!("/v1/expenses/{e}/annul"),
                &key(),
                &json!({"decided_on": today(), "reason": "Ikke en træningsudgift"}),
            )
            .ok(200);
            let c = fin
                .get(&format!("/v1/clawbacks?status=proposed&case_id={case}"))
                .ok(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["expense_id"] == e.as_str())
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
            claims.push(c);
        }
        assert_eq!(balance(&cw, "1250"), "1400.00");
        let long_ago =
            (ledger::context::today_in_denmark() - chrono::Duration::days(20)).to_string();
        for c in &claims {
            // Heard 20 days ago; the 14 days to answer have passed without an answer.
            cw.post(
                &format!("/v1/clawbacks/{c}/hearing"),
                &json!({"sent_on": long_ago}),
            )
            .ok(200);
        }
        let decide = |c: &str, body: Value| {
            cw.post_idem(&format!("/v1/clawbacks/{c}/decision"), &key(), &body)
        };
        // Part of the first: 600.00 claimed, 400.00 waived, in one decision.
        decide(
            &claims[0],
            json!({"decision": "claim", "amount": "1000.01", "decided_on": today(), "reason": "x"}),
        )
        .problem(422, "invalid_amount");
        decide(
            &claims[0],
            json!({"decision": "waive", "amount": "10.00", "decided_on": today(), "reason": "x"}),
        )
        .problem(422, "invalid_value");
        let part = decide(&claims[0], json!({"decision": "claim", "amount": "600.00", "decided_on": today(), "reason": "Familien kunne ikke vide det; kun en del kræves"}))
            .ok(200)
            .clone();
        assert_eq!(
            (
                part["clawback"]["amount"].as_str(),
                part["clawback"]["outstanding"].as_str(),
                part["clawback"]["status"].as_str()
            ),
            (Some("600.00"), Some("600.00"), Some("open"))
        );
        assert_eq!(balance(&cw, "1200"), "600.00");
        assert_eq!(balance(&cw, "5180"), "400.00");
        // The second waived whole.
        let w = decide(&claims[1], json!({"decision": "waive", "decided_on": today(), "reason": "Beløbet er lille, og familien var i god tro"}))
            .ok(200)
            .clone();
        assert_eq!(w["clawback"]["status"], "waived");
        assert_eq!(w["clawback"]["outstanding"], "0.00");
        let d = cw
            .get(&format!(
                "/v1/decisions/{}",
                w["decision_id"].as_str().unwrap()
            ))
            .ok(200)
            .clone();
        assert_eq!(
            (d["kind"].as_str(), d["outcome"].as_str()),
            (Some("clawback_waived"), Some("waived"))
        );
        assert_eq!(balance(&cw, "5180"), "800.00");
        assert_eq!(balance(&cw, "1250"), "0.00");
        cw.verify_clean(M);
    });
}
