//! Voucher numbers and the hash chain: every entry gets a gapless `seq` per municipality and a
//! hash over its content and the previous hash; paging by `after_seq` never misses an entry, even
//! with two service processes posting at once; verify names an entry edited behind its back.
mod common;

use common::{each_backend, key, raw_sql, sealed_journal, Server, M, OTHER};
use serde_json::json;

#[test]
fn entries_are_numbered_and_chained() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let first = fin.entry(&key(), "2025-03-01", &bank, &eq, "10.00");
        assert!(
            first.ok(201).get("seq").is_some(),
            "seq is part of the entry"
        );
        for i in 0..4 {
            fin.entry(&key(), "2025-03-02", &bank, &eq, &format!("{}.00", 11 + i))
                .ok(201);
        }
        let sealed = sealed_journal(&fin, 5);
        let seqs: Vec<i64> = sealed.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
        assert!(sealed
            .iter()
            .all(|e| e["hash"].as_str().is_some_and(|h| h.len() == 64)));
        // Another municipality has its own sequence.
        let other = s.client("finance", OTHER);
        let (ob, oe) = (other.account_id("1000"), other.account_id("3000"));
        other.entry(&key(), "2025-03-01", &ob, &oe, "1.00").ok(201);
        assert_eq!(sealed_journal(&other, 1)[0]["seq"], 1);
        // Verify recomputes the chain.
        let ctl = s.client("controller", M);
        let v = ctl.post("/v1/ledger/verify", &json!({}));
        assert_eq!(v.ok(200)["ok"], true, "{:?}", v.body);
        assert_eq!(v.body["entries_checked"], 5);
        assert_eq!(v.body["chain_breaks"].as_array().map(|a| a.len()), Some(0));
    });
}

/// A batch's entries are numbered and hashed in the transaction that books them (the sealer never
/// rereads them): readable with their `seq` at once, after the entries committed before, and the
/// chain stays gapless and verifiable with single entries on both sides of it.
#[test]
fn a_batch_is_sealed_as_it_is_booked() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let singles: Vec<String> = (0..3)
            .map(|i| {
                let r = fin.entry(&key(), "2025-03-01", &bank, &eq, &format!("{}.00", 1 + i));
                r.ok(201)["id"].as_str().unwrap().to_string()
            })
            .collect();
        let e = |amount: &str| json!({"effective_date": "2025-03-02", "description": "batch entry", "postings": [{"account_id": bank, "debit": amount}, {"account_id": eq, "credit": amount}]});
        let r = fin.post_idem(
            "/v1/journal-entries/batch",
            &key(),
            &json!({"entries": [e("5.00"), e("6.00"), e("7.00"), e("8.00"), e("9.00")]}),
        );
        let ids: Vec<String> = r.ok(201)["entry_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let mut seqs = vec![];
        for id in &ids {
            let got = fin.get(&format!("/v1/journal-entries/{id}"));
            let seq = got.ok(200)["seq"].as_i64();
            assert!(
                seq.is_some(),
                "a batch entry was not sealed at once: {:?}",
                got.body
            );
            assert_eq!(got.body["hash"].as_str().map(str::len), Some(64));
            seqs.push(seq.unwrap());
        }
        // In the batch's order, one after the other.
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
        // After the entries committed before it, which the batch sealed first if the sealer had
        // not yet: numbers follow the order of the commits.
        for id in &singles {
            let got = fin.get(&format!("/v1/journal-entries/{id}"));
            let seq = got.ok(200)["seq"].as_i64();
            assert!(seq.is_some_and(|n| n < seqs[0]), "{seq:?} vs {seqs:?}");
        }
        fin.entry(&key(), "2025-03-03", &bank, &eq, "10.00").ok(201);
        let sealed = sealed_journal(&fin, 9);
        let all: Vec<i64> = sealed.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(all, (1..=9).collect::<Vec<i64>>());
        let v = s
            .client("controller", M)
            .post("/v1/ledger/verify", &json!({}));
        assert_eq!(v.ok(200)["ok"], true, "{:?}", v.body);
        assert_eq!(v.body["entries_checked"], 9);
        assert_eq!(v.body["chain_breaks"].as_array().map(|a| a.len()), Some(0));
    });
}

#[test]
fn verify_names_an_entry_edited_behind_its_back() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        for i in 0..3 {
            fin.entry(&key(), "2025-03-01", &bank, &eq, &format!("{}.00", 20 + i))
                .ok(201);
        }
        let sealed = sealed_journal(&fin, 3);
        let victim = sealed[1]["id"].as_str().unwrap().to_string();
        // Edit the amounts of one entry directly, with the guard triggers out of the way.
        let edit = match s.db {
            common::Db::Sqlite => format!(
                "DROP TRIGGER postings_no_update; \
                 UPDATE postings SET debit = debit + 100 WHERE entry_id = '{victim}' AND debit > 0; \
                 UPDATE postings SET credit = credit + 100 WHERE entry_id = '{victim}' AND credit > 0;"
            ),
            common::Db::Postgres => format!(
                "ALTER TABLE postings DISABLE TRIGGER postings_no_update; \
                 UPDATE postings SET debit = debit + 100 WHERE entry_id = '{victim}' AND debit > 0; \
                 UPDATE postings SET credit = credit + 100 WHERE entry_id = '{victim}' AND credit > 0; \
                 ALTER TABLE postings ENABLE TRIGGER postings_no_update;"
            ),
        };
        raw_sql(s, &edit).expect("edit behind the service's back");
        let v = s
            .client("controller", M)
            .post("/v1/ledger/verify", &json!({}));
        let v = v.ok(200);
        assert_eq!(v["ok"], false);
        let breaks = v["chain_breaks"].as_array().unwrap();
        assert_eq!(breaks.len(), 1, "{v}");
        assert_eq!(breaks[0]["entry_id"], victim.as_str());
        assert_eq!(breaks[0]["seq"], 2);
    });
}

fn post_from(server: &Server, n: usize, amount: &str) {
    let fin = server.client("finance", M);
    let bank = fin.account_id("1000");
    let eq = fin.account_id("3000");
    for _ in 0..n {
        fin.entry(&key(), "2025-04-01", &bank, &eq, amount).ok(201);
    }
}

#[test]
fn two_processes_never_leave_a_gap_for_a_reader() {
    each_backend(|s| {
        let second = s.another_process();
        let fin = s.client("finance", M);
        fin.account_id("1000");
        // Two processes post at once while a reader pages by after_seq: every page it sees is a
        // prefix of the final journal, so it can never skip an entry.
        let seen: Vec<i64> = std::thread::scope(|sc| {
            for (srv, amount) in [
                (s, "1.00"),
                (&second, "2.00"),
                (s, "3.00"),
                (&second, "4.00"),
            ] {
                sc.spawn(move || post_from(srv, 15, amount));
            }
            let reader = sc.spawn(|| {
                let mut seen = vec![];
                let mut after = 0;
                for _ in 0..60 {
                    let page = fin.get(&format!("/v1/journal-entries?after_seq={after}&limit=7"));
                    for e in page.ok(200)["items"].as_array().unwrap() {
                        let seq = e["seq"].as_i64().unwrap();
                        seen.push(seq);
                        after = seq;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                seen
            });
            reader.join().unwrap()
        });
        let expected: Vec<i64> = (1..=seen.len() as i64).collect();
        assert_eq!(
            seen, expected,
            "a reader paging by seq saw a gap or a repeat"
        );
        let all = sealed_journal(&fin, 60);
        let seqs: Vec<i64> = all.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (1..=60).collect::<Vec<i64>>());
        let ids: std::collections::HashSet<&str> =
            all.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 60);
        fin.verify_clean(M);
    });
}

/// On SQLite a group of single entries holds the one write lock anyway, so it seals its entries
/// before it commits: each is readable with its voucher number and hash as soon as it is
/// answered, numbered in the order of the answers, without waiting for the sealer.
#[test]
fn single_entries_are_sealed_as_their_group_commits_on_sqlite() {
    let s = Server::start(common::Db::Sqlite);
    let fin = s.client("finance", M);
    let bank = fin.account_id("1000");
    let eq = fin.account_id("3000");
    let mut seqs = vec![];
    for i in 0..5 {
        let r = fin.entry(&key(), "2025-03-01", &bank, &eq, &format!("{}.00", 1 + i));
        let id = r.ok(201)["id"].as_str().unwrap().to_string();
        let got = fin.get(&format!("/v1/journal-entries/{id}"));
        let seq = got.ok(200)["seq"].as_i64();
        assert!(seq.is_some(), "not sealed when answered: {:?}", got.body);
        assert_eq!(got.body["hash"].as_str().map(str::len), Some(64));
        seqs.push(seq.unwrap());
    }
    assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
    let v = s
        .client("controller", M)
        .post("/v1/ledger/verify", &json!({}));
    assert_eq!(v.ok(200)["ok"], true, "{:?}", v.body);
}
