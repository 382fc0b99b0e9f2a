//! Journal entries: balanced and validated, idempotency keys, reversals and closed periods.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{each_backend, key, Client, M, OTHER};
use serde_json::{json, Value};

fn entries_count(c: &Client) -> usize {
    c.get("/v1/journal-entries?limit=500").ok(200)["items"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn entries_are_balanced_and_validated() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let e = fin.entry(&key(), "2025-01-10", &bank, &eq, "1000.50");
        let v = e.ok(201).clone();
        assert_eq!(v["kind"], "manual");
        assert_eq!(v["postings"][0]["debit"], "1000.50");
        assert_eq!(v["created_by"], "test-finance");
        assert_eq!(v["created_role"], "finance");
        assert!(v["request_id"].as_str().is_some_and(|r| !r.is_empty()));
        assert_eq!(
            fin.get(&format!(
                "/v1/journal-entries/{}",
                v["id"].as_str().unwrap()
            ))
            .ok(200)["id"],
            v["id"]
        );
        assert_eq!(fin.account(&bank)["balance"], "1000.50");
        assert_eq!(fin.account(&eq)["balance"], "1000.50");
        let before = entries_count(&fin);

        let post = |body: Value| fin.post_idem("/v1/journal-entries", &key(), &body);
        post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": bank, "debit": "10.00"}, {"account_id": eq, "credit": "9.99"}]}))
            .problem(422, "unbalanced_entry");
        post(json!({"effective_date": "2025-01-10", "description": "x", "postings": [{"account_id": bank, "debit": "10.00"}]}))
            .problem(422, "too_few_postings");
        post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": bank, "debit": "0.00"}, {"account_id": eq, "credit": "0.00"}]}))
            .problem(422, "invalid_posting");
        post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": bank, "debit": "-5.00"}, {"account_id": eq, "credit": "-5.00"}]}))
            .problem(422, "invalid_posting");
        post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": bank, "debit": "5.00", "credit": "5.00"}, {"account_id": eq, "credit": "5.00"}]}))
            .problem(422, "invalid_posting");
        let r = post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": bank, "debit": "5.001"}, {"account_id": eq, "credit": "5.001"}]}));
        r.problem(400, "invalid_amount");
        assert_eq!(r.body["errors"][0]["field"], "postings[0].debit");
        post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": bank, "debit": 5}, {"account_id": eq, "credit": 5}]}))
        .problem(400, "invalid_amount");
        post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": "nope", "debit": "5.00"}, {"account_id": eq, "credit": "5.00"}]}))
            .problem(422, "account_not_found");
        post(json!({"effective_date": "2025-02-30", "description": "x",
            "postings": [{"account_id": bank, "debit": "5.00"}, {"account_id": eq, "credit": "5.00"}]}))
            .problem(400, "invalid_value");
        post(json!({"effective_date": "2025-01-10", "description": "",
            "postings": [{"account_id": bank, "debit": "5.00"}, {"account_id": eq, "credit": "5.00"}]}))
            .problem(422, "invalid_description");
        // An account of another municipality is treated as missing, and nothing changes.
        let other = s.client("finance", OTHER);
        let foreign = other.account_id("1000");
        post(json!({"effective_date": "2025-01-10", "description": "x",
            "postings": [{"account_id": foreign, "debit": "5.00"}, {"account_id": eq, "credit": "5.00"}]}))
            .problem(422, "account_not_found");
        assert_eq!(other.account(&foreign)["debits"], "0.00");
        assert_eq!(
            entries_count(&fin),
            before,
            "a rejected request changed the books"
        );
        assert_eq!(fin.account(&bank)["balance"], "1000.50");
        fin.verify_clean(M);
    });
}

#[test]
fn idempotency_keys() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let k = key();
        let first = fin.entry(&k, "2025-03-01", &bank, &eq, "250.00");
        let id = first.ok(201)["id"].clone();
        let again = fin.entry(&k, "2025-03-01", &bank, &eq, "250.00");
        assert_eq!(again.ok(200)["id"], id);
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        // Once sealed, a replay answers with the entry's voucher number and hash too.
        let sealed = common::sealed_journal(&fin, 1);
        let late = fin.entry(&k, "2025-03-01", &bank, &eq, "250.00");
        assert_eq!(late.ok(200)["seq"], sealed[0]["seq"]);
        assert!(
            late.body["hash"].as_str().is_some_and(|h| h.len() == 64),
            "{:?}",
            late.body
        );
        assert_eq!(
            fin.account(&bank)["debits"],
            "250.00",
            "the replay booked twice"
        );
        fin.entry(&k, "2025-03-01", &bank, &eq, "251.00")
            .problem(409, "idempotency_key_reused");
        // Keys are per municipality: another municipality may use the same key.
        let other = s.client("finance", OTHER);
        let ob = other.account_id("1000");
        let oe = other.account_id("3000");
        other.entry(&k, "2025-03-01", &ob, &oe, "1.00").ok(201);
        // Concurrent retries of one request book once.
        let k2 = key();
        let ids: Vec<Value> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..6)
                .map(|_| {
                    let fin = fin.clone();
                    let (k2, bank, eq) = (k2.clone(), bank.clone(), eq.clone());
                    sc.spawn(move || {
                        fin.entry(&k2, "2025-03-02", &bank, &eq, "1.00").body["id"].clone()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ids.iter().all(|i| *i == ids[0] && i.is_string()), "{ids:?}");
        assert_eq!(fin.account(&bank)["debits"], "251.00");
        fin.verify_clean(M);
    });
}

#[test]
fn reversals_and_closed_periods() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let ctl = s.client("controller", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let e = fin
            .entry(&key(), "2025-01-15", &bank, &eq, "300.00")
            .ok(201)
            .clone();
        let eid = e["id"].as_str().unwrap();
        let e2 = fin
            .entry(&key(), "2025-02-15", &bank, &eq, "50.00")
            .ok(201)
            .clone();
        let e2id = e2["id"].as_str().unwrap();

        // Reverse in an open period: same date, postings mirrored, links both ways.
        let rk = key();
        let rev = fin
            .post_idem(
                &format!("/v1/journal-entries/{e2id}/reverse"),
                &rk,
                &json!({}),
            )
            .ok(201)
            .clone();
        assert_eq!(rev["kind"], "reversal");
        assert_eq!(rev["reverses"], e2id);
        assert_eq!(rev["effective_date"], "2025-02-15");
        assert_eq!(rev["postings"][0]["credit"], "50.00");
        assert_eq!(
            fin.get(&format!("/v1/journal-entries/{e2id}")).ok(200)["reversed_by"],
            rev["id"]
        );
        // Replay of the reversal request returns it; a new request to reverse again is refused.
        assert_eq!(
            fin.post_idem(
                &format!("/v1/journal-entries/{e2id}/reverse"),
                &rk,
                &json!({})
            )
            .ok(200)["id"],
            rev["id"]
        );
        fin.post_idem(
            &format!("/v1/journal-entries/{e2id}/reverse"),
            &key(),
            &json!({}),
        )
        .problem(409, "already_reversed");
        fin.post_idem(
            "/v1/journal-entries/00000000-0000-0000-0000-000000000000/reverse",
            &key(),
            &json!({}),
        )
        .problem(404, "journal_entry_not_found");
        assert_eq!(fin.account(&bank)["balance"], "300.00");

        // Close January.
        let c = ctl.post("/v1/periods/close", &json!({"through": "2025-01-31"}));
        assert_eq!(c.ok(201)["through"], "2025-01-31");
        ctl.post("/v1/periods/close", &json!({"through": "2025-01-15"}))
            .problem(409, "period_already_closed");
        let p = ctl.get("/v1/periods");
        assert_eq!(p.ok(200)["closed_through"], "2025-01-31");
        fin.entry(&key(), "2025-01-31", &bank, &eq, "1.00")
            .problem(422, "period_closed");
        fin.entry(&key(), "2025-02-01", &bank, &eq, "1.00").ok(201);
        // A reversal of an entry in the closed period is booked on the first open date.
        let rev1 = fin
            .post_idem(
                &format!("/v1/journal-entries/{eid}/reverse"),
                &key(),
                &json!({}),
            )
            .ok(201)
            .clone();
        assert_eq!(rev1["effective_date"], "2025-02-01");
        // Asking for a closed date explicitly is refused.
        let e3 = fin.entry(&key(), "2025-03-01", &bank, &eq, "2.00").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        fin.post_idem(
            &format!("/v1/journal-entries/{e3}/reverse"),
            &key(),
            &json!({"effective_date": "2025-01-20"}),
        )
        .problem(422, "period_closed");

        // Balances as of a date come from postings.
        assert_eq!(
            fin.get(&format!("/v1/accounts/{bank}?as_of=2025-01-31"))
                .ok(200)["balance"],
            "300.00"
        );
        assert_eq!(
            fin.get(&format!("/v1/accounts/{bank}?as_of=2025-02-01"))
                .ok(200)["balance"],
            "1.00"
        );
        let tb = fin.get("/v1/trial-balance?as_of=2025-01-31");
        let tb = tb.ok(200);
        assert_eq!(tb["total_debits"], tb["total_credits"]);
        assert_eq!(tb["total_debits"], "300.00");
        let tb = fin.get("/v1/trial-balance").ok(200).clone();
        assert_eq!(tb["total_debits"], tb["total_credits"]);
        assert_eq!(tb["balanced"], true);
        // Filters.
        let revs = fin.get("/v1/journal-entries?kind=reversal").ok(200)["items"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(revs, 2);
        let feb = fin
            .get("/v1/journal-entries?from=2025-02-01&to=2025-02-28")
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(feb, 4);
        let by_acct = fin.get(&format!("/v1/journal-entries?account_id={bank}&limit=2"));
        let next = by_acct.ok(200)["next"].as_str().unwrap().to_string();
        let page2 = fin.get(&format!(
            "/v1/journal-entries?account_id={bank}&limit=2&after={next}"
        ));
        assert_eq!(page2.ok(200)["items"].as_array().unwrap().len(), 2);
        fin.verify_clean(M);
    });
}

#[test]
fn a_refused_caller_never_sees_a_recorded_response() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let k = key();
        fin.entry(&k, "2025-03-01", &bank, &eq, "75.00").ok(201);
        // The same key and body from a role that may not book: refused, not replayed.
        s.client("payroll_firm", M)
            .entry(&k, "2025-03-01", &bank, &eq, "75.00")
            .problem(403, "forbidden");
        s.client("caseworker", M)
            .entry(&k, "2025-03-01", &bank, &eq, "75.00")
            .problem(403, "forbidden");
        // The same key with a malformed request: the request's own refusal, not a key conflict.
        let unbalanced = json!({
            "effective_date": "2025-03-01",
            "description": "unbalanced",
            "postings": [{"account_id": bank, "debit": "1.00"}, {"account_id": eq, "credit": "2.00"}]
        });
        fin.post_idem("/v1/journal-entries", &k, &unbalanced)
            .problem(422, "unbalanced_entry");
        assert_eq!(fin.account(&bank)["debits"], "75.00");
    });
}

#[test]
fn a_batch_is_booked_all_or_nothing_with_one_key() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let eq = fin.account_id("3000");
        let limited = fin.create_account("BAT1", "asset", "credits_must_not_exceed_debits");
        let e = |date: &str, debit: &str, credit: &str, amount: &str| json!({"effective_date": date, "description": "batch entry", "postings": [{"account_id": debit, "debit": amount}, {"account_id": credit, "credit": amount}]});
        let before = entries_count(&fin);
        // In entry order the limited account would go below zero at the second entry: the whole
        // batch is refused, naming that entry, and nothing is booked.
        let r = fin.post_idem(
            "/v1/journal-entries/batch",
            &key(),
            &json!({"entries": [
                e("2025-02-01", &limited, &eq, "100.00"),
                e("2025-02-02", &eq, &limited, "150.00"),
                e("2025-02-03", &limited, &eq, "100.00"),
            ]}),
        );
        r.problem(422, "balance_constraint_violated");
        assert!(
            r.body["detail"].as_str().unwrap().starts_with("entry 1:"),
            "{:?}",
            r.body
        );
        assert_eq!(entries_count(&fin), before);
        // An unbalanced entry anywhere refuses the batch.
        let mut bad = e("2025-02-01", &limited, &eq, "100.00");
        bad["postings"][1]["credit"] = json!("99.99");
        fin.post_idem(
            "/v1/journal-entries/batch",
            &key(),
            &json!({"entries": [e("2025-02-01", &limited, &eq, "1.00"), bad]}),
        )
        .problem(422, "unbalanced_entry");
        fin.post_idem("/v1/journal-entries/batch", &key(), &json!({"entries": []}))
            .problem(422, "invalid_value");
        s.client("caseworker", M)
            .post_idem(
                "/v1/journal-entries/batch",
                &key(),
                &json!({"entries": [e("2025-02-01", &limited, &eq, "1.00")]}),
            )
            .problem(403, "forbidden");
        assert_eq!(entries_count(&fin), before);
        // Booked, in order, once per key.
        let k = key();
        let body = json!({"entries": [
            e("2025-02-01", &limited, &eq, "100.00"),
            e("2025-02-02", &eq, &limited, "50.00"),
            e("2025-02-03", &limited, &eq, "25.00"),
        ]});
        let first = fin.post_idem("/v1/journal-entries/batch", &k, &body);
        let v = first.ok(201).clone();
        assert_eq!(v["count"], 3);
        let again = fin.post_idem("/v1/journal-entries/batch", &k, &body);
        assert_eq!(again.ok(200)["entry_ids"], v["entry_ids"]);
        assert_eq!(fin.account(&limited)["balance"], "75.00");
        assert_eq!(entries_count(&fin), before + 3);
        let second = v["entry_ids"][1].as_str().unwrap();
        assert_eq!(
            fin.get(&format!("/v1/journal-entries/{second}")).ok(200)["effective_date"],
            "2025-02-02"
        );
        // Another municipality's account is not there for it.
        s.client("finance", OTHER)
            .post_idem("/v1/journal-entries/batch", &key(), &body)
            .problem(422, "account_not_found");
        fin.verify_clean(M);
    });
}
