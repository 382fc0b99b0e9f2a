//! Issue 25, group commit: single entries that arrive together are booked in one transaction,
//! each keeping its own outcome (a constraint, a closed period, a reused key refuse that entry
//! alone while its neighbours are booked), and a crash in the middle of grouped posting loses
//! and doubles nothing: the same keys sent again book each entry exactly once.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{backends, key, Server, M, SECRET};

/// Group commit on, on both databases (PostgreSQL's default is the parallel single path).
const GROUPED: &[(&str, &str)] = &[("JWT_SECRET", SECRET), ("GROUP_COMMIT", "on")];

fn each_backend_grouped(f: impl Fn(&Server)) {
    for db in backends() {
        f(&Server::start_with(db, GROUPED));
    }
}
use serde_json::json;

#[test]
fn each_entry_in_a_group_keeps_its_own_outcome() {
    each_backend_grouped(|s| {
        let fin = s.client("finance", M);
        let ctl = s.client("controller", M);
        let limited = fin.create_account("GC-L", "asset", "credits_must_not_exceed_debits");
        let eq = fin.account_id("3000");
        let exp = fin.account_id("5190");
        fin.entry(&key(), "2025-05-01", &limited, &eq, "50.00")
            .ok(201);
        ctl.post("/v1/periods/close", &json!({"through": "2025-03-31"}))
            .ok(201);
        let shared = key();
        // 48 requests at once: 12 fit the constraint's 50.00 only five times, 12 are dated in
        // the closed period, 12 share one key with different amounts, 12 are plain.
        let results: Vec<(usize, u16, String)> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..48)
                .map(|i| {
                    let c = s.client("finance", M);
                    let (limited, eq, exp, shared) =
                        (limited.clone(), eq.clone(), exp.clone(), shared.clone());
                    sc.spawn(move || {
                        let r = match i % 4 {
                            0 => c.entry(&key(), "2025-05-02", &exp, &limited, "10.00"),
                            1 => c.entry(&key(), "2025-03-15", &exp, &eq, "1.00"),
                            2 => {
                                c.entry(&shared, "2025-05-02", &exp, &eq, &format!("{}.00", i + 1))
                            }
                            _ => c.entry(&key(), "2025-05-02", &exp, &eq, "2.00"),
                        };
                        (i % 4, r.status, r.code().to_string())
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let count = |kind: usize, status: u16, code: &str| {
            results
                .iter()
                .filter(|r| r.0 == kind && r.1 == status && r.2 == code)
                .count()
        };
        assert_eq!(count(0, 201, ""), 5, "{results:?}");
        assert_eq!(
            count(0, 422, "balance_constraint_violated"),
            7,
            "{results:?}"
        );
        assert_eq!(count(1, 422, "period_closed"), 12, "{results:?}");
        assert_eq!(count(2, 201, ""), 1, "{results:?}");
        assert_eq!(count(2, 409, "idempotency_key_reused"), 11, "{results:?}");
        assert_eq!(count(3, 201, ""), 12, "{results:?}");
        assert_eq!(fin.account(&limited)["balance"], "0.00");
        // 5 × 10.00 + 12 × 2.00 + the one amount booked under the shared key.
        let booked: i64 = fin.account(&exp)["debits"]
            .as_str()
            .unwrap()
            .trim_end_matches(".00")
            .parse()
            .unwrap();
        assert!((50 + 24 + 3..=50 + 24 + 47).contains(&booked), "{booked}");
        assert_eq!(
            (booked - 74 - 3) % 4,
            0,
            "one of the shared key's amounts: {booked}"
        );
        fin.verify_clean(M);
    });
}

#[test]
fn a_crash_in_the_middle_of_grouped_posting_loses_and_doubles_nothing() {
    for db in backends() {
        let mut s = Server::start_with(db, GROUPED);
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let keys: Vec<String> = (0..1600).map(|_| key()).collect();
        let send =
            |c: &common::Client, k: &str| c.entry(k, "2025-05-02", &bank, &eq, "1.00").status;
        std::thread::scope(|sc| {
            let hs: Vec<_> = keys
                .chunks(200)
                .map(|ks| {
                    let c = s.client("finance", M);
                    let send = &send;
                    // A client whose server dies mid-request panics on the broken connection;
                    // what it sent may or may not have been booked.
                    sc.spawn(move || {
                        ks.iter().for_each(|k| {
                            send(&c, k);
                        })
                    })
                })
                .collect();
            std::thread::sleep(std::time::Duration::from_millis(400));
            s.kill();
            for h in hs {
                let _ = h.join();
            }
        });
        // Another process on the same database: every key again, each answered as booked once.
        let s2 = s.another_process_with(GROUPED);
        let fin2 = s2.client("finance", M);
        let answers: Vec<u16> = keys.iter().map(|k| send(&fin2, k)).collect();
        assert!(
            answers.iter().all(|a| *a == 201 || *a == 200),
            "{answers:?}"
        );
        let before = answers.iter().filter(|a| **a == 200).count();
        assert!(
            before > 0 && before < keys.len(),
            "the crash came in the middle: {before} booked before it"
        );
        assert_eq!(fin2.account(&bank)["debits"], "1600.00");
        fin2.verify_clean(M);
    }
}
