//! Issue 23, the ERP export: accounts mapped to the authorised chart of accounts (versioned,
//! `If-Match`, checked by form), and the general ledger exported per voucher with the mapping,
//! balanced per date, payout lines carrying the recipient's reference and the benefit, paged by
//! voucher number without missing or repeating an entry; an unmapped account refuses the
//! export. Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::new_case;
use common::home_training::{approve, expense, post_id, story_setup};
use common::lost_earnings::{grant, terms};
use common::{each_backend, key, sealed_journal, Client, M};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

fn put(c: &Client, etag: &str, body: &Value) -> common::Resp {
    c.request(
        "PUT",
        "/v1/account-mappings",
        Some(&body.to_string()),
        &[("If-Match", etag), ("Content-Type", "application/json")],
    )
}

/// Every financial account with postings, mapped to one function, dranst and art.
fn whole_mapping(c: &Client) -> Value {
    let tb = c.get("/v1/trial-balance").ok(200).clone();
    let mappings: Vec<Value> = tb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] != "budget" && (a["debits"] != "0.00" || a["credits"] != "0.00"))
        .map(|a| json!({"account_code": a["code"], "function": "5.28.21", "dranst": "1", "art": "5.2"}))
        .collect();
    json!({ "mappings": mappings })
}

#[test]
fn the_general_ledger_is_mapped_balanced_paged_and_carries_the_recipients() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let ctl = s.client("controller", M);
        // A documented expense approved and paid to the family.
        let (case, y) = story_setup(&cw, "GL-1");
        let e = expense(
            &cw,
            y["id"].as_str().unwrap(),
            &post_id(&y, "equipment"),
            "2025-03-01",
            "1000.00",
            "GL-E1",
        )
        .ok(201)
        .clone();
        approve(&cw, e["id"].as_str().unwrap()).ok(200);
        let open = fin
            .get(&format!("/v1/payables?status=open&case_id={case}"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        fin.post_idem(
            "/v1/payments",
            &key(),
            &json!({"payable_ids": open.iter().map(|p| p["id"].clone()).collect::<Vec<_>>(), "paid_on": "2025-03-10", "bank_reference": "NETS-GL"}),
        )
        .ok(201);
        // A payroll run for one parent.
        let c2 = new_case(&cw, "GL-2", "2015-01-01", "2024-01-02", "2024-02-01");
        grant(&cw, &c2, terms("parent-gl", "20"));
        fin.post_idem("/v1/payroll-runs", &key(), &json!({"month": "2024-03"}))
            .ok(201);
        let all = fin.get("/v1/journal-entries?limit=500").ok(200)["items"]
            .as_array()
            .unwrap()
            .len();
        sealed_journal(&fin, all);

        // Nothing mapped: the export names the accounts to map.
        let m0 = ctl.get("/v1/account-mappings").ok(200).clone();
        assert_eq!(
            (
                m0["version"].as_i64(),
                m0["mappings"].as_array().map(|a| a.len())
            ),
            (Some(0), Some(0))
        );
        let r = ctl.get("/v1/exports/general-ledger");
        r.problem(422, "unmapped_accounts");
        let listed: Vec<&str> = r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap())
            .collect();
        assert!(listed.iter().any(|m| m.starts_with("1000 ")), "{listed:?}");
        assert!(
            listed
                .iter()
                .all(|m| !m.starts_with("9000") && !m.starts_with("BP-")),
            "memo accounts are not exported: {listed:?}"
        );

        // The mapping: by form, each account once, no memo account; If-Match.
        let bad = json!({"mappings": [
            {"account_code": "1000", "function": "5.28.2", "dranst": "1", "art": "5.2"},
            {"account_code": "1000", "function": "5.28.21", "dranst": "12", "art": "5.2"},
            {"account_code": "9000", "function": "5.28.21", "dranst": "1", "art": "52"}
        ]});
        let r = put(&ctl, "\"0\"", &bad);
        r.problem(422, "invalid_account_mapping");
        // The form first (whatever the version): a function, a repeated account, a dranst, an art.
        assert_eq!(
            r.body["errors"].as_array().unwrap().len(),
            4,
            "{:?}",
            r.body
        );
        // Then the accounts: a memo account is not in the financial export.
        let memo = json!({"mappings": [{"account_code": "9000", "function": "5.28.21", "dranst": "1", "art": "5.2"}]});
        let r = put(&ctl, "\"0\"", &memo);
        r.problem(422, "invalid_account_mapping");
        assert_eq!(r.body["errors"][0]["field"], "mappings[0].account_code");
        put(&ctl, "\"7\"", &json!({"mappings": []})).problem(422, "invalid_account_mapping");
        ctl.request(
            "PUT",
            "/v1/account-mappings",
            Some(&whole_mapping(&ctl).to_string()),
            &[("Content-Type", "application/json")],
        )
        .problem(428, "precondition_required");
        put(&cw, "\"0\"", &whole_mapping(&ctl)).problem(403, "forbidden");
        let v1 = put(&ctl, "\"0\"", &whole_mapping(&ctl)).ok(200).clone();
        assert_eq!(v1["version"], 1);
        put(&ctl, "\"0\"", &whole_mapping(&ctl)).problem(412, "version_mismatch");
        let v2 = put(&ctl, "\"1\"", &whole_mapping(&ctl)).ok(200).clone();
        assert_eq!(v2["history"].as_array().unwrap().len(), 2);

        // The export: mapped, balanced per date.
        let whole = ctl
            .get("/v1/exports/general-ledger?limit=1000")
            .ok(200)
            .clone();
        let items = whole["items"].as_array().unwrap().clone();
        assert!(whole["next_after_seq"].is_null());
        let mut per_date: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for i in &items {
            assert_eq!(
                (
                    i["function"].as_str(),
                    i["dranst"].as_str(),
                    i["art"].as_str()
                ),
                (Some("5.28.21"), Some("1"), Some("5.2"))
            );
            let ore =
                |v: &Value| (v.as_str().unwrap().parse::<f64>().unwrap() * 100.0).round() as i64;
            let d = per_date
                .entry(i["date"].as_str().unwrap().to_string())
                .or_default();
            d.0 += ore(&i["debit"]);
            d.1 += ore(&i["credit"]);
        }
        for (date, (d, c)) in &per_date {
            assert_eq!(d, c, "{date} is not balanced");
        }
        // Payout lines: the payment to the family by the case's reference; the payroll run's
        // amount owed by the parent's reference (30,000 × 20/37 = 16,216.22 less ATP 66.00).
        let payout = items
            .iter()
            .find(|i| i["source_type"] == "payment" && i["account_code"] == "2000")
            .unwrap();
        assert_eq!(
            (
                payout["recipient_ref"].as_str(),
                payout["benefit_type"].as_str(),
                payout["debit"].as_str()
            ),
            (
                Some("GL-1"),
                Some("home_training_expenses"),
                Some("1000.00")
            )
        );
        let payroll = items
            .iter()
            .find(|i| i["source_type"] == "payroll_run" && i["account_code"] == "2000")
            .unwrap();
        assert_eq!(
            (
                payroll["recipient_ref"].as_str(),
                payroll["benefit_type"].as_str(),
                payroll["credit"].as_str()
            ),
            (Some("parent-gl"), Some("lost_earnings"), Some("16150.22"))
        );
        assert!(items.iter().all(|i| i["account_code"] != "9000"));

        // Paged by voucher number: two pages, nothing missed, nothing repeated.
        let p1 = ctl
            .get("/v1/exports/general-ledger?limit=2")
            .ok(200)
            .clone();
        let after = p1["next_after_seq"].as_i64().unwrap();
        let p2 = ctl
            .get(&format!(
                "/v1/exports/general-ledger?after_seq={after}&limit=1000"
            ))
            .ok(200)
            .clone();
        let seqs = |p: &Value| -> Vec<i64> {
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["seq"].as_i64().unwrap())
                .collect()
        };
        let (s1, s2) = (seqs(&p1), seqs(&p2));
        assert!(s1.iter().all(|a| s2.iter().all(|b| a < b)), "{s1:?} {s2:?}");
        let mut both: Vec<Value> = p1["items"].as_array().unwrap().clone();
        both.extend(p2["items"].as_array().unwrap().clone());
        assert_eq!(both, items);
        let distinct: BTreeSet<i64> = s1.iter().chain(&s2).copied().collect();
        assert_eq!(distinct, seqs(&whole).into_iter().collect());

        // CSV, Danish: the same bytes every time.
        let csv = |c: &Client| {
            c.request(
                "GET",
                "/v1/exports/general-ledger?dialect=da",
                None,
                &[("Accept", "text/csv")],
            )
            .body
            .as_str()
            .unwrap()
            .to_string()
        };
        let (a, b) = (csv(&ctl), csv(&ctl));
        assert_eq!(a, b);
        let text = a;
        assert!(text.starts_with('\u{feff}'));
        assert!(
            text.contains("seq;date;account_code;function;dranst;art;debit;credit"),
            "{text}"
        );
        assert!(text.contains(";GL-1;home_training_expenses"), "{text}");
        assert!(text.contains("1000,00"), "{text}");

        // Another municipality: none of this.
        let other = s.client("controller", "202");
        assert_eq!(
            other.get("/v1/exports/general-ledger").ok(200)["items"],
            json!([])
        );
        assert_eq!(other.get("/v1/account-mappings").ok(200)["version"], 0);
    });
}
