//! Black-box tests of the ledger foundation over HTTP, on every available backend.
mod common;

use common::{backends, jwt, key, token, Client, Db, Server};
use serde_json::{json, Value};

const M: &str = "101";
const OTHER: &str = "147";

fn each_backend(f: impl Fn(&Server)) {
    for db in backends() {
        let s = Server::start(db);
        eprintln!("-- backend {db:?}");
        f(&s);
    }
}

fn entries_count(c: &Client) -> usize {
    c.get("/v1/journal-entries?limit=500").ok(200)["items"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn health_ready_docs_and_spec() {
    each_backend(|s| {
        let a = s.anonymous();
        assert_eq!(a.get("/health").ok(200)["status"], "ok");
        assert_eq!(a.get("/ready").ok(200)["status"], "ready");
        let docs = a.get("/docs/");
        assert_eq!(docs.status, 200);
        assert!(docs.content_type.starts_with("text/html"));
        let served = a.get("/openapi.json");
        let committed: Value = serde_json::from_str(include_str!("../openapi/openapi.json"))
            .expect("committed spec parses");
        assert_eq!(
            served.ok(200),
            &committed,
            "served spec differs from openapi/openapi.json"
        );
        // Unknown endpoints are problems too.
        a.get("/v1/nothing-here").problem(404, "not_found");
        let wrong = s
            .client("finance", M)
            .request("DELETE", "/v1/journal-entries/abc", None, &[]);
        wrong.problem(405, "method_not_allowed");
        assert_eq!(wrong.header("allow"), Some("GET"));
        assert!(a.get("/health").header("x-request-id").is_some());
    });
}

#[test]
fn committed_openapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let generated = api::openapi::render();
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run UPDATE_OPENAPI=1 cargo test -p api --test ledger_http committed_openapi"
    );
}

#[test]
fn tokens_are_checked() {
    each_backend(|s| {
        let a = s.anonymous();
        a.get("/v1/accounts").problem(401, "unauthorized");
        let r = a.get("/v1/accounts");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        let now = chrono::Utc::now().timestamp();
        // Wrong key.
        let bad = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 600}),
            "another-secret",
        );
        a.with_token(&bad)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Expired.
        let old = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "exp": now - 3600}),
            common::SECRET,
        );
        a.with_token(&old)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Missing municipality.
        let nom = jwt(
            &json!({"sub": "x", "role": "finance", "exp": now + 600}),
            common::SECRET,
        );
        a.with_token(&nom)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Unknown role.
        let nor = jwt(
            &json!({"sub": "x", "role": "king", "municipality": M, "exp": now + 600}),
            common::SECRET,
        );
        a.with_token(&nor)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // alg: none, unsigned.
        use base64_like::encode;
        let none = format!(
            "{}.{}.",
            encode(br#"{"alg":"none","typ":"JWT"}"#),
            encode(
                format!(
                    r#"{{"sub":"x","role":"admin","municipality":"{M}","exp":{}}}"#,
                    now + 600
                )
                .as_bytes()
            )
        );
        a.with_token(&none)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Garbage.
        a.with_token("not.a.jwt")
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // A good token works; a wrong role is a 403.
        let cw = s.client("caseworker", M);
        assert_eq!(cw.get("/v1/accounts").status, 200);
        cw.post(
            "/v1/accounts",
            &json!({"code": "X1", "name": "x", "kind": "asset"}),
        )
        .problem(403, "forbidden");
        let fin = s.client("finance", M);
        fin.post("/v1/periods/close", &json!({"through": "2020-01-01"}))
            .problem(403, "forbidden");
        fin.post("/v1/ledger/verify", &json!({}))
            .problem(403, "forbidden");
    });
}

/// Minimal base64url without padding, for hand-made tokens.
mod base64_like {
    pub fn encode(input: &[u8]) -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in input.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            for i in 0..=chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }
}

#[test]
fn standard_chart_and_accounts() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let all = fin.get("/v1/accounts?limit=500");
        let codes: Vec<&str> = all.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap())
            .collect();
        for c in [
            "1000", "1100", "1200", "2000", "2200", "2300", "5100", "9000",
        ] {
            assert!(
                codes.contains(&c),
                "standard account {c} missing from {codes:?}"
            );
        }
        let budget = fin.get("/v1/accounts?kind=budget").ok(200)["items"]
            .as_array()
            .unwrap()
            .len();
        assert!(budget >= 1);
        // Pagination by cursor.
        let p1 = fin.get("/v1/accounts?limit=5");
        let next = p1.ok(200)["next"].as_str().unwrap().to_string();
        let p2 = fin.get(&format!("/v1/accounts?limit=5&after={next}"));
        assert_ne!(p1.body["items"][0]["id"], p2.body["items"][0]["id"]);

        let id = fin.create_account("7001", "asset", "credits_must_not_exceed_debits");
        let a = fin.account(&id);
        assert_eq!(a["constraint"], "credits_must_not_exceed_debits");
        assert_eq!(a["balance"], "0.00");
        fin.post(
            "/v1/accounts",
            &json!({"code": "7001", "name": "dup", "kind": "asset"}),
        )
        .problem(409, "account_code_taken");
        fin.post(
            "/v1/accounts",
            &json!({"code": "bad code!", "name": "x", "kind": "asset"}),
        )
        .problem(422, "invalid_account_code");
        fin.post(
            "/v1/accounts",
            &json!({"code": "7002", "name": "x", "kind": "gold"}),
        )
        .problem(400, "invalid_value");

        // Another municipality's account is answered exactly like a missing one.
        let other = s.client("finance", OTHER);
        let missing = other.get("/v1/accounts/00000000-0000-0000-0000-000000000000");
        missing.problem(404, "account_not_found");
        let foreign = other.get(&format!("/v1/accounts/{id}"));
        foreign.problem(404, "account_not_found");
        assert!(other.get("/v1/accounts?code=7001").ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty());
    });
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
fn malformed_requests_are_problems_never_500() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let raw = |body: &str| {
            fin.request(
                "POST",
                "/v1/journal-entries",
                Some(body),
                &[("Idempotency-Key", "k")],
            )
        };
        raw("{not json").problem(400, "invalid_json");
        raw("").problem(400, "invalid_json");
        raw("[]").problem(400, "invalid_value");
        let r =
            raw(r#"{"effective_date":"2025-01-01","description":"x","postings":[],"surprise":1}"#);
        r.problem(400, "unknown_field");
        assert!(r.body["detail"].as_str().unwrap().contains("surprise"));
        assert_eq!(r.body["errors"][0]["field"], "surprise");
        raw(r#"{"description":"x","postings":[]}"#).problem(400, "missing_field");
        let big = format!(
            r#"{{"effective_date":"2025-01-01","description":"{}","postings":[]}}"#,
            "x".repeat(1_100_000)
        );
        raw(&big).problem(413, "payload_too_large");
        // Missing idempotency key.
        fin.request(
            "POST",
            "/v1/journal-entries",
            Some(r#"{"effective_date":"2025-01-01","description":"x","postings":[]}"#),
            &[],
        )
        .problem(400, "idempotency_key_required");
        fin.get("/v1/accounts?limit=0")
            .problem(400, "invalid_query");
        fin.get("/v1/accounts?kind=gold")
            .problem(400, "invalid_query");
        fin.get("/v1/trial-balance?as_of=yesterday")
            .problem(400, "invalid_query");
        fin.get("/v1/journal-entries?from=2025-02-01&to=2025-01-01")
            .problem(400, "invalid_query");
        // A battery of odd inputs: none may produce a 500.
        let odd = [
            "null",
            "1",
            "\"x\"",
            "{}",
            r#"{"effective_date":null}"#,
            r#"{"effective_date":"9999-99-99"}"#,
            r#"{"effective_date":"2025-01-01","description":"x","postings":[{"account_id":1}]}"#,
            r#"{"effective_date":"2025-01-01","description":"x","postings":[{"account_id":"a","debit":"99999999999999999999.00"},{"account_id":"b","credit":"1"}]}"#,
            r#"{"effective_date":"2025-01-01","description":"x","postings":[{"account_id":"a","debit":"92233720368547758.07"},{"account_id":"b","debit":"92233720368547758.07"},{"account_id":"c","credit":"1.00"}]}"#,
            "\u{0}\u{1}",
        ];
        for body in odd {
            let r = raw(body);
            assert!(
                r.status >= 400 && r.status < 500,
                "{body:?} gave {} {:?}",
                r.status,
                r.body
            );
            assert!(r.content_type.starts_with("application/problem+json"));
        }
        for path in [
            "/v1/accounts/%00",
            "/v1/journal-entries/'%20OR%201=1",
            "/v1/journal-entries?after=%FF&limit=abc",
        ] {
            let r = fin.get(path);
            assert!(
                r.status >= 400 && r.status < 500,
                "{path} gave {}",
                r.status
            );
        }
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

fn constrained_race(servers: &[&Server], k: usize) {
    let fin = servers[0].client("finance", M);
    let limited = fin.create_account(
        &format!("L{}", &key()[..8]),
        "asset",
        "credits_must_not_exceed_debits",
    );
    let eq = fin.account_id("3000");
    let exp = fin.account_id("5190");
    // Fund exactly k entries of 10.00.
    fin.entry(
        &key(),
        "2025-05-01",
        &limited,
        &eq,
        &format!("{}.00", 10 * k),
    )
    .ok(201);
    let results: Vec<(u16, String)> = std::thread::scope(|sc| {
        // A controller verifies while the race runs: every report sees one consistent state.
        let ctl = servers[servers.len() - 1].client("controller", M);
        sc.spawn(move || {
            for _ in 0..5 {
                let v = ctl.post("/v1/ledger/verify", &json!({}));
                assert_eq!(
                    v.ok(200)["ok"],
                    true,
                    "verify during the race: {:?}",
                    v.body
                );
            }
        });
        let hs: Vec<_> = (0..20)
            .map(|i| {
                let c = servers[i % servers.len()].client("finance", M);
                let (limited, exp) = (limited.clone(), exp.clone());
                sc.spawn(move || {
                    let r = c.entry(&key(), "2025-05-02", &exp, &limited, "10.00");
                    (r.status, r.code().to_string())
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = results.iter().filter(|r| r.0 == 201).count();
    let rejected = results
        .iter()
        .filter(|r| r.0 == 422 && r.1 == "balance_constraint_violated")
        .count();
    assert_eq!(ok, k, "{results:?}");
    assert_eq!(rejected, 20 - k, "{results:?}");
    assert_eq!(fin.account(&limited)["balance"], "0.00");
    fin.verify_clean(M);
}

#[test]
fn balance_constraints_hold_under_concurrency() {
    each_backend(|s| constrained_race(&[s], 7));
}

#[test]
fn balance_constraints_hold_across_two_processes() {
    // On SQLite too: two processes share the file through BEGIN IMMEDIATE and the busy timeout.
    for db in backends() {
        let a = Server::start(db);
        let b = a.another_process();
        constrained_race(&[&a, &b], 9);
    }
}

#[test]
fn token_command_prints_a_working_token() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_api"))
        .args([
            "token",
            "--role",
            "controller",
            "--municipality",
            "101",
            "--sub",
            "ctl",
        ])
        .env("JWT_SECRET", common::SECRET)
        .output()
        .unwrap();
    assert!(out.status.success());
    let t = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(t.split('.').count(), 3);
    let s = Server::start(Db::Sqlite);
    let r = s
        .anonymous()
        .with_token(&t)
        .post("/v1/ledger/verify", &json!({}));
    assert_eq!(r.ok(200)["ok"], true);
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_api"))
        .args(["token", "--role", "emperor", "--municipality", "101"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let _ = token("admin", M);
}

#[test]
fn public_key_tokens_es256() {
    let public = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/es256-public.pem"
    );
    let private = include_bytes!("fixtures/es256-private-pkcs8.pem");
    let s = Server::start_with(Db::Sqlite, &[("JWT_PUBLIC_KEY_PEM", public)]);
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": "ext", "role": "controller", "municipality": M, "exp": now + 600});
    let key = jsonwebtoken::EncodingKey::from_ec_pem(private).unwrap();
    let es = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256),
        &claims,
        &key,
    )
    .unwrap();
    let a = s.anonymous();
    assert_eq!(
        a.with_token(&es)
            .post("/v1/ledger/verify", &json!({}))
            .ok(200)["ok"],
        true
    );
    // With a public key configured, a shared-secret token is refused, whatever its secret.
    a.with_token(&jwt(&claims, common::SECRET))
        .get("/v1/accounts")
        .problem(401, "invalid_token");
}

#[test]
fn more_refusals() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let payables = fin.account_id("2000");
        // HS512 with the right secret is still the wrong algorithm.
        let now = chrono::Utc::now().timestamp();
        let claims = json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 600});
        let hs512 = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(common::SECRET.as_bytes()),
        )
        .unwrap();
        s.anonymous()
            .with_token(&hs512)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Dates with a sign or a five-digit year.
        fin.entry(&key(), "+12345-01-01", &bank, &eq, "1.00")
            .problem(400, "invalid_value");
        fin.get("/v1/trial-balance?as_of=%2B12345-01-01")
            .problem(400, "invalid_query");
        // Payables to families are kept by approvals and payments only.
        fin.entry(&key(), "2025-01-01", &payables, &bank, "1.00")
            .problem(422, "account_managed_by_decisions");
        // A CPR number in a description.
        let r = fin.post_idem(
            "/v1/journal-entries",
            &key(),
            &json!({"effective_date": "2025-01-01", "description": "for child 010190-1234",
                "postings": [{"account_id": bank, "debit": "1.00"}, {"account_id": eq, "credit": "1.00"}]}),
        );
        r.problem(422, "cpr_number_not_allowed");
        // Reversal needs finance or admin.
        let e = fin.entry(&key(), "2025-01-01", &bank, &eq, "1.00").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        s.client("caseworker", M)
            .post_idem(
                &format!("/v1/journal-entries/{e}/reverse"),
                &key(),
                &json!({}),
            )
            .problem(403, "forbidden");
        let k = key();
        fin.post_idem(&format!("/v1/journal-entries/{e}/reverse"), &k, &json!({}))
            .ok(201);
        fin.post_idem(
            &format!("/v1/journal-entries/{e}/reverse"),
            &k,
            &json!({"description": "other"}),
        )
        .problem(409, "idempotency_key_reused");
    });
}

#[test]
fn strict_input_amounts_dates_text_and_keys() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        for bad in [" 1.00", "1.", ".5", "+1.00", "1,00"] {
            fin.entry(&key(), "2025-01-01", &bank, &eq, bad)
                .problem(400, "invalid_amount");
        }
        for bad in ["0001-01-01", "9999-12-31", "1899-12-31"] {
            fin.entry(&key(), bad, &bank, &eq, "1.00")
                .problem(400, "invalid_value");
        }
        let body = |desc: String| {
            json!({"effective_date": "2025-01-01", "description": desc,
                "postings": [{"account_id": bank, "debit": "1.00"}, {"account_id": eq, "credit": "1.00"}]})
        };
        fin.post_idem(
            "/v1/journal-entries",
            &key(),
            &body("evil\u{202E}txt".into()),
        )
        .problem(400, "invalid_value");
        // Lengths count characters, not bytes: 500 × "ø" is fine, 501 is not.
        let ok = fin.post_idem("/v1/journal-entries", &key(), &body("ø".repeat(500)));
        let created = ok.ok(201)["created_at"].as_str().unwrap().to_string();
        assert!(
            created.ends_with('Z') && created.len() == 27,
            "timestamp {created}"
        );
        fin.post_idem("/v1/journal-entries", &key(), &body("ø".repeat(501)))
            .problem(422, "invalid_description");
        // The same request reformatted (keys reordered, spaces) under the same key is a replay.
        let k = key();
        let first = fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&format!(
                r#"{{"effective_date":"2025-01-02","description":"d","postings":[{{"account_id":"{bank}","debit":"2.00"}},{{"account_id":"{eq}","credit":"2.00"}}]}}"#
            )),
            &[("Idempotency-Key", &k)],
        );
        let again = fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&format!(
                r#" {{ "postings": [ {{"debit": "2.00", "account_id": "{bank}"}}, {{"credit": "2.00", "account_id": "{eq}"}} ], "description": "d", "effective_date": "2025-01-02" }}"#
            )),
            &[("Idempotency-Key", &k)],
        );
        assert_eq!(again.ok(200)["id"], first.ok(201)["id"]);
        fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&body("x".into()).to_string()),
            &[("Idempotency-Key", "has space")],
        )
        .problem(400, "invalid_idempotency_key");
        // Accounts: budget accounts and BP- codes belong to decisions; no CPR numbers.
        fin.post(
            "/v1/accounts",
            &json!({"code": "7100", "name": "b", "kind": "budget"}),
        )
        .problem(422, "budget_accounts_by_decision");
        fin.post(
            "/v1/accounts",
            &json!({"code": "BP-evil", "name": "b", "kind": "asset"}),
        )
        .problem(422, "budget_accounts_by_decision");
        fin.post(
            "/v1/accounts",
            &json!({"code": "7101", "name": "b", "kind": "asset", "owner": "0101901234"}),
        )
        .problem(422, "cpr_number_not_allowed");
        // Tokens: not before nbf; a sub of sane length.
        let now = chrono::Utc::now().timestamp();
        let nbf = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 7200, "nbf": now + 3600}),
            common::SECRET,
        );
        s.anonymous()
            .with_token(&nbf)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        let long = jwt(
            &json!({"sub": "x".repeat(300), "role": "finance", "municipality": M, "exp": now + 600}),
            common::SECRET,
        );
        s.anonymous()
            .with_token(&long)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
    });
}
