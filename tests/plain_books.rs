//! Issue 23, plain-text books: the journal exported in hledger's and beancount's own syntax is
//! accepted by the tools themselves (`hledger check` in strict mode: accounts and commodities
//! declared, every transaction balanced, dates in order; `bean-check`), and the balances they
//! report equal the service's trial balance, account by account, to the øre. The story has every
//! kind of entry: a documented expense, an agreement and its settlement with a claim and a
//! repayment, a payroll run with a correction, a manual entry and its reversal.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::books::{ore, run, tool};
use common::browser::artefacts;
use common::home_training::{
    approved_equipment, heard_and_claimed, new_case, prepaid_year, settle,
};
use common::lost_earnings::{grant, terms};
use common::{each_backend, key, sealed_journal, today, Client, M};
use serde_json::json;
use std::collections::BTreeMap;

/// Every kind of entry, booked.
fn story(cw: &Client, fin: &Client) {
    approved_equipment(cw, "PB-1");
    // An agreement, its settlement, the claim after a hearing, and its repayment.
    let (y2, _) = prepaid_year(cw, fin, "PB-2");
    let sid = settle(cw, &y2)["id"].as_str().unwrap().to_string();
    heard_and_claimed(cw, &sid, None, "Måtterne blev ikke købt");
    let cid = fin.get("/v1/clawbacks?status=open").ok(200)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    fin.post_idem(
        &format!("/v1/clawbacks/{cid}/repayments"),
        &key(),
        &json!({"amount": "100.00", "received_on": today(), "bank_reference": "IN-PB-2"}),
    )
    .ok(201);
    // A payroll run with a correction upwards.
    let case = new_case(cw, "PB-3", "2015-01-01", "2024-01-02", "2024-02-01");
    let d = grant(cw, &case, terms("parent-pb", "20"));
    for m in ["2024-03", "2024-04"] {
        fin.post_idem("/v1/payroll-runs", &key(), &json!({"month": m}))
            .ok(201);
    }
    cw.post_idem(
        &format!("/v1/lost-earnings/{d}/changes"),
        &key(),
        &json!({"effective_from": "2024-04-01", "granted_weekly_hours": "30"}),
    )
    .ok(201);
    let may = fin
        .post_idem("/v1/payroll-runs", &key(), &json!({"month": "2024-05"}))
        .ok(201)
        .clone();
    assert_eq!(may["corrections_count"], 1, "{may}");
    // A manual entry and its reversal.
    let bank = fin.account_id("1000");
    let eq = fin.account_id("3000");
    let m = fin
        .entry(&key(), "2025-01-10", &bank, &eq, "500.00")
        .ok(201)
        .clone();
    fin.post_idem(
        &format!("/v1/journal-entries/{}/reverse", m["id"].as_str().unwrap()),
        &key(),
        &json!({}),
    )
    .ok(201);
}

/// The service's trial balance: each account code's debits − credits, in øre.
fn trial_balance(c: &Client) -> BTreeMap<String, i64> {
    c.get("/v1/trial-balance").ok(200)["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let code = a["code"].as_str().unwrap().to_string();
            (
                code,
                ore(a["debits"].as_str().unwrap()) - ore(a["credits"].as_str().unwrap()),
            )
        })
        .filter(|(_, b)| *b != 0)
        .collect()
}

/// A tool's balances by account name, mapped to the account code the name carries.
fn by_code(rows: Vec<(String, i64)>, codes: &BTreeMap<String, i64>) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for (name, b) in rows.into_iter().filter(|(_, b)| *b != 0) {
        let code = codes
            .keys()
            .find(|c| name.contains(&format!(":{c}-")))
            .unwrap_or_else(|| panic!("{name} names no account code"));
        *out.entry(code.clone()).or_insert(0) += b;
    }
    out
}

#[test]
fn the_books_pass_hledger_and_beancount_and_balance_with_the_trial_balance() {
    let (Some(hledger), Some(bean_check), Some(bean_query)) = (
        tool("HLEDGER", "hledger"),
        tool("BEAN_CHECK", "bean-check"),
        tool("BEAN_QUERY", "bean-query"),
    ) else {
        return;
    };
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let ctl = s.client("controller", M);
        story(&cw, &fin);
        let all = fin.get("/v1/journal-entries?limit=500").ok(200)["items"]
            .as_array()
            .unwrap()
            .len();
        sealed_journal(&fin, all);
        let tb = trial_balance(&ctl);
        let dir = artefacts();
        let db = format!("{:?}", s.db).to_lowercase();

        // hledger: strict (accounts and commodities declared), balanced, dates in order.
        let text = ctl
            .get("/v1/exports/journal?format=hledger")
            .body
            .as_str()
            .unwrap()
            .to_string();
        let file = dir.join(format!("books-{db}.journal"));
        std::fs::write(&file, &text).unwrap();
        let f = file.to_str().unwrap();
        run(&hledger, &["-f", f, "--strict", "check", "ordereddates"]);
        let csv = run(
            &hledger,
            &["-f", f, "balance", "--flat", "--no-total", "-O", "csv"],
        );
        let rows: Vec<(String, i64)> = csv
            .lines()
            .skip(1)
            .map(|l| {
                let cells: Vec<&str> = l.split("\",\"").map(|c| c.trim_matches('"')).collect();
                (cells[0].to_string(), ore(cells[1]))
            })
            .collect();
        assert_eq!(
            by_code(rows, &tb),
            tb,
            "hledger's balances are the trial balance"
        );

        // beancount: bean-check, then bean-query's balances.
        let text = ctl
            .get("/v1/exports/journal?format=beancount")
            .body
            .as_str()
            .unwrap()
            .to_string();
        let file = dir.join(format!("books-{db}.beancount"));
        std::fs::write(&file, &text).unwrap();
        let f = file.to_str().unwrap();
        run(&bean_check, &[f]);
        let csv = run(
            &bean_query,
            &[
                f,
                "-f",
                "csv",
                "SELECT account, sum(number) AS total GROUP BY account",
            ],
        );
        let rows: Vec<(String, i64)> = csv
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(a, n)| (a.trim().to_string(), ore(n)))
            .collect();
        assert_eq!(
            by_code(rows, &tb),
            tb,
            "beancount's balances are the trial balance"
        );

        // From a date: the earlier entries become opening balances; the balances still agree.
        let text = ctl
            .get("/v1/exports/journal?format=hledger&from=2025-01-01")
            .body
            .as_str()
            .unwrap()
            .to_string();
        assert!(text.contains("Opening balances"), "{text}");
        assert!(
            !text.contains("2024-05-31 ("),
            "entries before from are not listed"
        );
        let file = dir.join(format!("books-{db}-2025.journal"));
        std::fs::write(&file, &text).unwrap();
        let f = file.to_str().unwrap();
        run(&hledger, &["-f", f, "--strict", "check", "ordereddates"]);
        // Roles: a caseworker does not export the books; a bad format is a 400.
        cw.get("/v1/exports/journal?format=hledger")
            .problem(403, "forbidden");
        ctl.get("/v1/exports/journal?format=ledger")
            .problem(400, "invalid_query");
        // Another municipality's books hold none of these entries.
        let other = s.client("controller", "202");
        let theirs = other
            .get("/v1/exports/journal?format=hledger")
            .body
            .as_str()
            .unwrap()
            .to_string();
        assert!(!theirs.contains("(1) "), "{theirs}");
    });
}
