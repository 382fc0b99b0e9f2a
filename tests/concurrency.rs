//! Concurrency: balance constraints under parallel requests and across two processes; parallel approvals cannot overspend a post.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, new_case, new_year, post_id, post_of, year};
use common::{backends, each_backend, key, Server, M};
use serde_json::json;

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
fn parallel_approvals_cannot_overspend_a_post() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let case = new_case(&cw, "RACE-1", "2016-03-01", "2025-01-06", "2025-01-06");
        let y = new_year(
            &cw,
            &case,
            "2025-01-06",
            json!([{"category": "equipment", "description": "Mats", "amount": "2000.00"}]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap().to_string();
        let eq = post_id(&y, "equipment");
        let ids: Vec<String> = (0..5)
            .map(|i| {
                expense(&cw, &yid, &eq, "2025-02-01", "400.00", &format!("P-{i}")).ok(201)["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        // The post is lowered to 1000 while five expenses of 400 wait: only two can be approved.
        let low = json!({"decided_on": "2025-02-02", "reason": "Lowered", "changes": [{"post_id": eq, "amount": "1000.00"}]});
        cw.request(
            "POST",
            &format!("/v1/budget-years/{yid}/amendments"),
            Some(&low.to_string()),
            &[("If-Match", "\"1\"")],
        )
        .ok(200);
        let results: Vec<(u16, String)> = std::thread::scope(|sc| {
            let hs: Vec<_> = ids
                .iter()
                .map(|id| {
                    let cw = s.client("caseworker", M);
                    sc.spawn(move || {
                        let r = approve(&cw, id);
                        (r.status, r.code().to_string())
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            results.iter().filter(|r| r.0 == 200).count(),
            2,
            "{results:?}"
        );
        assert_eq!(
            results
                .iter()
                .filter(|r| r.1 == "budget_post_exceeded")
                .count(),
            3,
            "{results:?}"
        );
        let v = year(&cw, &yid);
        assert_eq!(post_of(&v, &eq)["approved"], "800.00");
        assert_eq!(
            cw.account(post_of(&v, &eq)["account_id"].as_str().unwrap())["balance"],
            "200.00"
        );
        cw.verify_clean(M);
    });
}

/// Corrections race too: one annulment of an expense wins, repayments never exceed the claim,
/// a returned payment is returned once; the ledger agrees with every sub-ledger afterwards.
#[test]
fn racing_corrections_each_happen_once() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "RACE-COR", "2016-03-01", "2025-01-06", "2025-02-03");
        let y = new_year(
            &cw,
            &case,
            "2025-02-03",
            json!([{"category": "equipment", "description": "Mats", "amount": "5000.00"}]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let a = expense(&cw, yid, &eq, "2025-03-01", "1000.00", "RC-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let b = expense(&cw, yid, &eq, "2025-03-02", "700.00", "RC-2").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &a).ok(200);
        approve(&cw, &b).ok(200);
        let open = fin.get("/v1/payables?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let pay = |ids: Vec<serde_json::Value>, bank: &str| {
            fin.post_idem(
                "/v1/payments",
                &key(),
                &json!({"payable_ids": ids, "paid_on": "2025-03-10", "bank_reference": bank}),
            )
            .ok(201)
            .clone()
        };
        let pa: Vec<_> = open
            .iter()
            .filter(|p| p["expense_ids"][0] == a.as_str())
            .map(|p| p["id"].clone())
            .collect();
        let pb: Vec<_> = open
            .iter()
            .filter(|p| p["expense_ids"][0] == b.as_str())
            .map(|p| p["id"].clone())
            .collect();
        pay(pa, "N-A");
        let payment_b = pay(pb, "N-B");

        let race = |n: usize, f: &(dyn Fn() -> (u16, String) + Sync)| -> Vec<(u16, String)> {
            std::thread::scope(|sc| {
                let hs: Vec<_> = (0..n).map(|_| sc.spawn(f)).collect();
                hs.into_iter().map(|h| h.join().unwrap()).collect()
            })
        };
        // Six annulments of one paid approval: one wins, one claim exists.
        let r = race(6, &|| {
            let r = cw.post_idem(
                &format!("/v1/expenses/{a}/annul"),
                &key(),
                &json!({"decided_on": common::today(), "reason": "wrong"}),
            );
            (r.status, r.code().to_string())
        });
        assert_eq!(r.iter().filter(|x| x.0 == 200).count(), 1, "{r:?}");
        assert!(
            r.iter()
                .filter(|x| x.0 != 200)
                .all(|x| x.0 == 409 && x.1 == "expense_not_approved"),
            "{r:?}"
        );
        let claims = fin.get("/v1/clawbacks").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(claims.len(), 1);
        let cid = claims[0]["id"].as_str().unwrap().to_string();
        assert_eq!(claims[0]["status"], "proposed");
        // The family was heard 20 days ago; six decisions on the claim race: one decides it.
        let heard = (ledger::context::today_in_denmark() - chrono::Duration::days(20)).to_string();
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing"),
            &json!({"sent_on": heard}),
        )
        .ok(200);
        let r = race(6, &|| {
            let r = cw.post_idem(
                &format!("/v1/clawbacks/{cid}/decision"),
                &key(),
                &json!({"decision": "claim", "decided_on": common::today(), "reason": "wrong"}),
            );
            (r.status, r.code().to_string())
        });
        assert_eq!(r.iter().filter(|x| x.0 == 200).count(), 1, "{r:?}");
        assert!(
            r.iter()
                .filter(|x| x.0 != 200)
                .all(|x| x.0 == 409 && x.1 == "claim_decided"),
            "{r:?}"
        );
        // Six repayments of 300.00 on a claim of 1000.00: three fit, three are refused.
        let r = race(6, &|| {
            let r = fin.post_idem(
                &format!("/v1/clawbacks/{cid}/repayments"),
                &key(),
                &json!({"amount": "300.00", "received_on": "2025-05-01", "bank_reference": "IN"}),
            );
            (r.status, r.code().to_string())
        });
        assert_eq!(r.iter().filter(|x| x.0 == 201).count(), 3, "{r:?}");
        assert!(
            r.iter()
                .filter(|x| x.0 != 201)
                .all(|x| x.0 == 422 && x.1 == "repayment_exceeds_outstanding"),
            "{r:?}"
        );
        let c = fin.get(&format!("/v1/clawbacks/{cid}")).ok(200).clone();
        assert_eq!(
            (c["repaid"].as_str(), c["outstanding"].as_str()),
            (Some("900.00"), Some("100.00"))
        );
        assert_eq!(cw.account(&cw.account_id("1200"))["balance"], "100.00");
        // Four returns of one payment: one wins; its payable is open once.
        let pid = payment_b["id"].as_str().unwrap().to_string();
        let r = race(4, &|| {
            let r = fin.post_idem(
                &format!("/v1/payments/{pid}/return"),
                &key(),
                &json!({"returned_on": "2025-03-12", "reason": "returned"}),
            );
            (r.status, r.code().to_string())
        });
        assert_eq!(r.iter().filter(|x| x.0 == 200).count(), 1, "{r:?}");
        assert!(
            r.iter()
                .filter(|x| x.0 != 200)
                .all(|x| x.0 == 409 && x.1 == "payment_already_returned"),
            "{r:?}"
        );
        assert_eq!(
            fin.get("/v1/payables?status=open").ok(200)["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(cw.account(&cw.account_id("2000"))["balance"], "700.00");
        cw.verify_clean(M);
    });
}

/// Hot accounts: many parallel postings on the bank (whose totals PostgreSQL keeps in stripes),
/// from two processes, some beside a constrained account in the same entry. None is lost or
/// doubled: the bank's balance, its balance as of the day, the trial balance and verify agree.
#[test]
fn a_hot_account_takes_parallel_postings_without_losing_one() {
    for db in backends() {
        let a = Server::start(db);
        let b = a.another_process();
        let servers = [&a, &b];
        let fin = a.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let limited = fin.create_account(
            &format!("H{}", &key()[..8]),
            "asset",
            "credits_must_not_exceed_debits",
        );
        let before = fin.account(&bank)["balance"].as_str().unwrap().to_string();
        assert_eq!(before, "0.00");
        let statuses: Vec<u16> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..24)
                .map(|i| {
                    let c = servers[i % 2].client("finance", M);
                    let (bank, eq, limited) = (bank.clone(), eq.clone(), limited.clone());
                    sc.spawn(move || {
                        (0..5)
                            .map(|_| {
                                // Every other entry also debits a constrained account, which
                                // is locked while the bank's stripe moves beside it.
                                let other = if i % 2 == 0 { &eq } else { &limited };
                                let r = if i % 2 == 0 {
                                    c.entry(&key(), "2025-06-02", &bank, other, "10.00")
                                } else {
                                    c.entry(&key(), "2025-06-02", other, &bank, "1.00")
                                };
                                r.status
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
        // 60 entries of 10.00 into the bank, 60 of 1.00 out of it.
        let acc = fin.account(&bank);
        assert_eq!(acc["debits"], "600.00", "{acc:?}");
        assert_eq!(acc["credits"], "60.00", "{acc:?}");
        assert_eq!(acc["balance"], "540.00");
        let as_of = fin.get(&format!("/v1/accounts/{bank}?as_of=2025-06-02"));
        assert_eq!(as_of.ok(200)["balance"], "540.00");
        let before = fin.get(&format!("/v1/accounts/{bank}?as_of=2025-06-01"));
        assert_eq!(before.ok(200)["balance"], "0.00");
        let ctl = a.client("controller", M);
        let tb = ctl.get("/v1/trial-balance").ok(200).clone();
        assert_eq!(tb["balanced"], true);
        let line = tb["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == "1000")
            .unwrap()
            .clone();
        assert_eq!(line["balance"], "540.00");
        fin.verify_clean(M);
    }
}
