//! Issue 25: batches from two service processes at once, on one database. Each batch is booked
//! once, whichever process gets it and however often its key is sent (at the same moment to
//! both, or again after); a constrained account is never overdrawn by batches that each fit
//! alone; and the voucher numbers stay one gapless, verifiable chain.
//! Black-box: two real service binaries over HTTP (see `common`).
mod common;

use common::{backends, key, sealed_journal, Server, M};
use serde_json::{json, Value};

fn batch(n: usize, debit: &str, credit: &str, amount: &str) -> Value {
    let e = json!({"effective_date": "2025-05-02", "description": "batch entry",
        "postings": [{"account_id": debit, "debit": amount}, {"account_id": credit, "credit": amount}]});
    json!({ "entries": vec![e; n] })
}

fn entry_ids(v: &Value) -> Vec<String> {
    v["entry_ids"]
        .as_array()
        .unwrap_or_else(|| panic!("no entry_ids in {v}"))
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn batches_from_two_processes_are_booked_once_in_one_gapless_chain() {
    for db in backends() {
        let a = Server::start(db);
        let b = a.another_process();
        let servers = [&a, &b];
        let fin = a.client("finance", M);
        let (bank, eq, exp) = (
            fin.account_id("1000"),
            fin.account_id("3000"),
            fin.account_id("5190"),
        );
        let limited = fin.create_account(
            &format!("L{}", &key()[..8]),
            "asset",
            "credits_must_not_exceed_debits",
        );
        // Enough for three of the six batches that draw on it.
        fin.entry(&key(), "2025-05-01", &limited, &eq, "30.00")
            .ok(201);
        type Answer = (u16, bool, Vec<String>);
        let (twins, draws): (Vec<Vec<Answer>>, Vec<(u16, String)>) = std::thread::scope(|sc| {
            // Eight batches, each sent with its key to both processes at once, then once more.
            let twins: Vec<_> = (0..8)
                .map(|i| {
                    let (bank, eq) = (bank.clone(), eq.clone());
                    sc.spawn(move || {
                        let k = key();
                        let body = batch(25, &bank, &eq, &format!("{}.00", i + 1));
                        let send = |s: &Server| {
                            let r = s.client("finance", M).post_idem(
                                "/v1/journal-entries/batch",
                                &k,
                                &body,
                            );
                            let replayed = r.header("idempotent-replayed") == Some("true");
                            (r.status, replayed, entry_ids(&r.body))
                        };
                        let (x, y) = std::thread::scope(|t| {
                            let x = t.spawn(|| send(servers[i % 2]));
                            let y = t.spawn(|| send(servers[(i + 1) % 2]));
                            (x.join().unwrap(), y.join().unwrap())
                        });
                        vec![x, y, send(servers[i % 2])]
                    })
                })
                .collect();
            // Six batches of 10.00 on the account that holds 30.00, split over the processes.
            let draws: Vec<_> = (0..6)
                .map(|i| {
                    let (limited, exp) = (limited.clone(), exp.clone());
                    sc.spawn(move || {
                        let r = servers[i % 2].client("finance", M).post_idem(
                            "/v1/journal-entries/batch",
                            &key(),
                            &batch(10, &exp, &limited, "1.00"),
                        );
                        (r.status, r.code().to_string())
                    })
                })
                .collect();
            (
                twins.into_iter().map(|h| h.join().unwrap()).collect(),
                draws.into_iter().map(|h| h.join().unwrap()).collect(),
            )
        });
        // One key, one booking: one answer books (201), the twin and the retry replay it (200).
        for answers in &twins {
            let mut kinds: Vec<(u16, bool)> = answers.iter().map(|a| (a.0, a.1)).collect();
            kinds.sort();
            assert_eq!(
                kinds,
                [(200, true), (200, true), (201, false)],
                "{answers:?}"
            );
            assert_eq!(answers[0].2.len(), 25);
            assert!(answers.iter().all(|a| a.2 == answers[0].2), "{answers:?}");
        }
        let booked = draws.iter().filter(|d| d.0 == 201).count();
        let refused = draws
            .iter()
            .filter(|d| d.0 == 422 && d.1 == "balance_constraint_violated")
            .count();
        assert_eq!((booked, refused), (3, 3), "{draws:?}");
        assert_eq!(fin.account(&limited)["balance"], "0.00");
        // 1 + 8 × 25 + 3 × 10 entries, each numbered once, in one chain.
        let total = 1 + 8 * 25 + 3 * 10;
        let sealed = sealed_journal(&fin, total);
        let seqs: Vec<i64> = sealed.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (1..=total as i64).collect::<Vec<_>>());
        let v = a
            .client("controller", M)
            .post("/v1/ledger/verify", &json!({}));
        assert_eq!(v.ok(200)["ok"], true, "{:?}", v.body);
        assert_eq!(v.body["entries_checked"], total);
        assert_eq!(v.body["chain_breaks"].as_array().map(|a| a.len()), Some(0));
    }
}
