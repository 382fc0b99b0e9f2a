//! The database backs the rules up: entries and postings cannot be edited or deleted, stored
//! values must be known ones, running totals keep their account's constraint, on both backends.
//! Black-box: the real service binary over HTTP, plus a raw connection behind its back.
mod common;

use common::{each_backend, key, raw_sql, M, OTHER};

/// The bank and equity accounts, and an entry of 40.00 between them booked over HTTP.
fn booked_entry(fin: &common::Client) -> (String, String, String) {
    let bank = fin.account_id("1000");
    let eq = fin.account_id("3000");
    let id = fin.entry(&key(), "2025-03-01", &bank, &eq, "40.00").ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    (bank, eq, id)
}

#[test]
fn the_database_refuses_edits_and_unknown_values() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let (bank, _, id) = booked_entry(&fin);
        for sql in [
            format!("UPDATE postings SET debit = 1 WHERE entry_id = '{id}' AND debit > 0"),
            format!("DELETE FROM postings WHERE entry_id = '{id}'"),
            format!("UPDATE journal_entries SET description = 'edited' WHERE id = '{id}'"),
            format!("DELETE FROM journal_entries WHERE id = '{id}'"),
            format!("UPDATE accounts SET kind = 'mystery' WHERE id = '{bank}'"),
            format!("UPDATE accounts SET balance_constraint = 'sometimes' WHERE id = '{bank}'"),
            // A known constraint cannot be set later either: past postings were never checked
            // against it (and the bank's totals may live in stripes).
            format!(
                "UPDATE accounts SET balance_constraint = 'credits_must_not_exceed_debits' WHERE id = '{bank}'"
            ),
        ] {
            let refused = raw_sql(s, &sql);
            assert!(refused.is_err(), "{sql} was allowed");
        }
        // A running total that breaks its account's constraint is refused too.
        let limited = fin.create_account("LIM1", "asset", "credits_must_not_exceed_debits");
        let broken = format!("UPDATE accounts SET credits_posted = 100 WHERE id = '{limited}'");
        assert!(
            raw_sql(s, &broken).is_err(),
            "a broken running total was stored"
        );
        // On PostgreSQL the bank's totals moved in a stripe: it only grows and is never removed.
        if s.db == common::Db::Postgres {
            for sql in [
                format!("UPDATE account_stripes SET debits = 0 WHERE account_id = '{bank}'"),
                format!("DELETE FROM account_stripes WHERE account_id = '{bank}'"),
            ] {
                assert!(raw_sql(s, &sql).is_err(), "{sql} was allowed");
            }
            let grow =
                format!("UPDATE account_stripes SET debits = debits WHERE account_id = '{bank}'");
            assert!(raw_sql(s, &grow).is_ok(), "an unchanged stripe was refused");
        }
        // The refused edits changed nothing.
        let e = fin.get(&format!("/v1/journal-entries/{id}"));
        assert_eq!(e.ok(200)["postings"][0]["debit"], "40.00");
        assert!(e.body["description"]
            .as_str()
            .unwrap()
            .starts_with("test entry"));
        fin.verify_clean(M);
    });
}

/// The references of entries and postings hold on both backends: by foreign keys on SQLite, by a
/// set-based check per statement on PostgreSQL (which also keeps them in one municipality).
#[test]
fn entries_and_postings_refer_only_to_what_exists() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let (bank, eq, id) = booked_entry(&fin);
        let lim = fin.create_account("REF1", "asset", "credits_must_not_exceed_debits");
        fin.entry(&key(), "2025-03-01", &lim, &eq, "5.00").ok(201);
        let posting = |entry: &str, account: &str| {
            format!(
                "INSERT INTO postings (entry_id, line_no, municipality, account_id, effective_date, debit, credit) \
                 VALUES ('{entry}', 9, '{M}', '{account}', '2025-03-01', 100, 0)"
            )
        };
        let entry = |municipality: &str, reverses: &str| {
            format!(
                "INSERT INTO journal_entries (id, municipality, kind, effective_date, description, reverses, \
                 created_by, created_role, request_id, created_at) VALUES ('0190aaaa-0000-7000-8000-000000000001', \
                 '{municipality}', 'manual', '2025-03-01', 'x', {reverses}, 't', 'finance', 'r', '2025-03-01 10:00:00')"
            )
        };
        let mut refused = vec![
            posting("no-such-entry", &bank),
            posting(&id, "no-such-account"),
            entry("999", "NULL"),
            entry(M, "'no-such-entry'"),
            // An account only postings refer to (a constrained one keeps no stripes).
            format!("DELETE FROM accounts WHERE id = '{lim}'"),
            format!("DELETE FROM municipalities WHERE code = '{M}'"),
        ];
        if s.db == common::Db::Postgres {
            // Another municipality's account, and a reversal of another municipality's entry.
            let theirs = s.client("finance", OTHER).account_id("1000");
            refused.push(posting(&id, &theirs));
            refused.push(entry(OTHER, &format!("'{id}'")));
            // Nor can an account move to another municipality under its postings.
            refused.push(format!(
                "UPDATE accounts SET municipality = '{OTHER}' WHERE id = '{lim}'"
            ));
        }
        for sql in refused {
            assert!(raw_sql(s, &sql).is_err(), "{sql} was allowed");
        }
        let e = fin.get(&format!("/v1/journal-entries/{id}"));
        assert_eq!(e.ok(200)["postings"].as_array().unwrap().len(), 2);
        assert!(fin.get(&format!("/v1/accounts/{lim}")).status == 200);
        fin.verify_clean(M);
    });
}

#[test]
fn a_stored_value_the_code_does_not_know_is_an_error_not_a_default() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let limited = fin.create_account("LIM2", "asset", "credits_must_not_exceed_debits");
        // Get an unknown constraint past the database's own checks, as a corruption would.
        let corrupt = match s.db {
            common::Db::Sqlite => format!(
                "DROP TRIGGER accounts_check_update; DROP TRIGGER accounts_constraint_fixed; \
                 UPDATE accounts SET balance_constraint = 'sometimes' WHERE id = '{limited}';"
            ),
            common::Db::Postgres => format!(
                "ALTER TABLE accounts DROP CONSTRAINT accounts_constraint_known; \
                 ALTER TABLE accounts DROP CONSTRAINT accounts_totals_keep_constraint; \
                 DROP TRIGGER accounts_constraint_fixed ON accounts; \
                 UPDATE accounts SET balance_constraint = 'sometimes' WHERE id = '{limited}';"
            ),
        };
        raw_sql(s, &corrupt).expect("corrupt a stored value");
        // Reading it fails; posting to it fails; neither treats it as "no constraint".
        let r = fin.get(&format!("/v1/accounts/{limited}"));
        assert_eq!(r.status, 500, "{:?}", r.body);
        let eq = fin.account_id("3000");
        let r = fin.entry(&key(), "2025-03-01", &eq, &limited, "10.00");
        assert_eq!(r.status, 500, "{:?}", r.body);
        assert_eq!(
            fin.get("/v1/accounts?code=3000").ok(200)["items"][0]["debits"],
            "0.00"
        );
    });
}

#[test]
fn closed_sets_of_values_are_kept_by_the_database() {
    use common::home_training::{expense, post_id, story_setup};
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "CHK-1");
        let yid = y["id"].as_str().unwrap().to_string();
        let e = expense(
            &cw,
            &yid,
            &post_id(&y, "equipment"),
            "2025-03-01",
            "10.00",
            "CHK-E",
        );
        let e = e.ok(201)["id"].as_str().unwrap().to_string();
        common::home_training::approve(&cw, &e).ok(200);
        for sql in [
            format!("UPDATE cases SET scope = 'half' WHERE id = '{case}'"),
            format!("UPDATE expenses SET status = 'maybe' WHERE id = '{e}'"),
            format!("UPDATE payables SET status = 'lost' WHERE expense_id = '{e}'"),
            "INSERT INTO journal_entries (id, municipality, kind, effective_date, description, \
             created_by, created_role, request_id, created_at) VALUES ('x1', '101', 'gift', \
             '2025-01-01', 'x', 'x', 'x', 'x', '2025-01-01 00:00:00')"
                .to_string(),
        ] {
            assert!(raw_sql(s, &sql).is_err(), "{sql} was allowed");
        }
    });
}

#[test]
fn a_close_and_postings_never_overlap() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let ctl = s.client("controller", M);
        // Postings dated in the month being closed race the close: each is booked wholly before
        // the close (and then counted in it) or refused as closed, never booked after it.
        let (close, results) = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..16)
                .map(|_| {
                    let (fin, bank, eq) = (fin.clone(), bank.clone(), eq.clone());
                    sc.spawn(move || fin.entry(&key(), "2025-01-20", &bank, &eq, "1.00"))
                })
                .collect();
            let close = ctl.post(
                "/v1/periods/close",
                &serde_json::json!({"through": "2025-01-31"}),
            );
            (
                close,
                hs.into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<_>>(),
            )
        });
        let closed_at = close.ok(201)["closed_at"].as_str().unwrap().to_string();
        for r in &results {
            match r.status {
                201 => assert!(
                    r.body["created_at"].as_str().unwrap() <= closed_at.as_str(),
                    "an entry on a closed date was booked after the close: {:?}",
                    r.body
                ),
                _ => {
                    r.problem(422, "period_closed");
                }
            }
        }
        let booked = results.iter().filter(|r| r.status == 201).count();
        assert_eq!(
            fin.account(&bank)["debits"],
            format!("{booked}.00"),
            "what the close saw is what was booked"
        );
        fin.verify_clean(M);
    });
}

/// The references of expenses and payables hold on both backends (an import writes them by the
/// hundred thousand): by foreign keys on SQLite, by a set-based check per statement on PostgreSQL,
/// which also keeps an expense's year its case's and its post its year's, everything in one
/// municipality, and refuses re-pointing a row or deleting what is referred to.
#[test]
fn expenses_and_payables_refer_only_to_what_exists() {
    use common::home_training::{approve, expense, post_id, story_setup};
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let (case, y) = story_setup(&cw, "REF-A");
        let (year, post) = (y["id"].as_str().unwrap(), post_id(&y, "equipment"));
        let e = expense(&cw, year, &post, "2025-02-01", "100.00", "REF-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e).ok(200);
        let (case_b, y_b) = story_setup(&cw, "REF-B");
        let post_b = post_id(&y_b, "equipment");
        // A copy of the approved expense (as refused, so no live document is repeated), with
        // some of its references replaced.
        let copy = |n: u32, changes: &[(&str, String)]| {
            let col = |c: &str| {
                changes
                    .iter()
                    .find(|(k, _)| *k == c)
                    .map_or(c.to_string(), |(_, v)| v.clone())
            };
            format!(
                "INSERT INTO expenses (id, municipality, case_id, budget_year_id, post_id, import_id, expense_date, \
                 service_from, service_to, amount, description, supplier, document_ref, status, created_by, created_at) \
                 SELECT '0190bbbb-0000-7000-8000-00000000000{n}', {}, {}, {}, {}, {}, expense_date, service_from, \
                 service_to, amount, description, supplier, document_ref, 'rejected', created_by, created_at \
                 FROM expenses WHERE id = '{e}'",
                col("municipality"), col("case_id"), col("budget_year_id"), col("post_id"), col("import_id")
            )
        };
        let payable = |case_id: &str, expense_id: &str| {
            format!(
                "INSERT INTO payables (id, municipality, case_id, expense_id, amount, status, created_at, payee) \
                 VALUES ('0190cccc-0000-7000-8000-000000000001', '{M}', '{case_id}', '{expense_id}', 100, 'open', \
                 '2025-02-01 10:00:00', 'family')"
            )
        };
        let q = |v: &str| format!("'{v}'");
        let mut refused = vec![
            copy(1, &[("case_id", q("no-such-case"))]),
            copy(1, &[("budget_year_id", q("no-such-year"))]),
            copy(1, &[("post_id", q("no-such-post"))]),
            copy(1, &[("import_id", q("no-such-import"))]),
            payable("no-such-case", &e),
            payable(&case, "no-such-expense"),
            format!("DELETE FROM expenses WHERE id = '{e}'"),
            format!("DELETE FROM budget_posts WHERE id = '{post}'"),
            format!("DELETE FROM budget_years WHERE id = '{year}'"),
            format!("DELETE FROM cases WHERE id = '{case}'"),
        ];
        if s.db == common::Db::Postgres {
            refused.extend([
                copy(1, &[("case_id", q(&case_b))]),
                copy(1, &[("post_id", q(&post_b))]),
                copy(1, &[("municipality", q(OTHER))]),
                payable(&case_b, &e),
                format!("UPDATE expenses SET post_id = '{post_b}' WHERE id = '{e}'"),
                format!("UPDATE payables SET case_id = '{case_b}' WHERE expense_id = '{e}'"),
                format!("UPDATE cases SET municipality = '{OTHER}' WHERE id = '{case}'"),
            ]);
        }
        for sql in refused {
            assert!(raw_sql(s, &sql).is_err(), "{sql} was allowed");
        }
        // The same statements with true references are taken: the refusals above are the checks'.
        raw_sql(s, &copy(2, &[])).expect("a copy with the expense's own references");
        let fine = payable(&case, "0190bbbb-0000-7000-8000-000000000002");
        raw_sql(s, &fine).expect("a payable of an expense of its case");
        let got = cw.get(&format!("/v1/expenses/{e}"));
        assert_eq!(got.ok(200)["status"], "approved");
        s.client("finance", M).verify_clean(M);
    });
}
