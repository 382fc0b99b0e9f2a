//! Issue 24, bank statements' guards: bad files of both kinds refused whole, naming the line
//! or element, nothing of them kept; the same file sent at once is one statement; a movement
//! matched by hand to two lines at once is matched once. Black-box over HTTP.
mod common;

use common::bank::{books, camt, reconciliation, send};
use common::{each_backend, M};
use serde_json::{json, Value};

#[test]
fn bad_files_are_refused_whole_naming_the_line_or_element() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let broken = camt("STMT-X").replace("</Stmt>", "");
        let r = send(&fin, broken.as_bytes(), "application/xml");
        r.problem(422, "invalid_bank_statement");
        assert!(
            r.body["errors"][0]["field"]
                .as_str()
                .unwrap()
                .starts_with("line "),
            "{:#}",
            r.body
        );
        let bad_amount = camt("STMT-Y").replacen("1000.00", "1.000,00", 1);
        let r = send(&fin, bad_amount.as_bytes(), "application/xml");
        r.problem(422, "invalid_bank_statement");
        assert_eq!(r.body["errors"][0]["field"], "Stmt/Ntry[1]/Amt");
        let unbalanced = camt("STMT-Z").replace("47256.00", "47257.00");
        send(&fin, unbalanced.as_bytes(), "application/xml").problem(422, "invalid_bank_statement");
        let csv = "Dato;Tekst;Beløb;Saldo\n01.04.2025;A;-1.000,00;49.000,00\n32.04.2025;B;-5,00;48.995,00\n02.04.2025;C;-5,005;48.990,00\n";
        let r = send(&fin, csv.as_bytes(), "text/csv");
        r.problem(422, "invalid_bank_statement");
        let fields: Vec<&str> = r.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["line 3, column Dato", "line 4, column Beløb"]);
        let chain = "Dato;Tekst;Beløb;Saldo\n01.04.2025;A;-1.000,00;49.000,00\n02.04.2025;B;-5,00;48.000,00\n";
        send(&fin, chain.as_bytes(), "text/csv").problem(422, "invalid_bank_statement");
        send(&fin, b"", "text/csv").problem(422, "invalid_bank_statement");
        send(&fin, b"{}", "application/json").problem(415, "unsupported_media_type");
        s.client("caseworker", M)
            .send_bytes(
                "POST",
                "/v1/bank-statements",
                camt("STMT-W").as_bytes(),
                &[("Content-Type", "application/xml")],
            )
            .problem(403, "forbidden");
        // Nothing of a refused file was kept: the good file of the same id is new.
        send(&fin, camt("STMT-Y").as_bytes(), "application/xml").ok(201);
    });
}

#[test]
fn no_movement_is_matched_twice_whatever_runs_at_once() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let b = books(&cw, &fin);
        // The same file sent eight times at once is one statement.
        let body = camt("STMT-RACE");
        let ids: Vec<Value> = std::thread::scope(|sc| {
            let hs: Vec<_> = (0..8)
                .map(|_| {
                    sc.spawn(|| send(&fin, body.as_bytes(), "application/xml").body["id"].clone())
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ids.iter().all(|i| i == &ids[0] && i.is_string()), "{ids:?}");
        let id = ids[0].as_str().unwrap().to_string();
        // One payment matched by hand to two lines at once: one wins, the other is told.
        let path = format!("/v1/bank-statements/{id}/matches");
        let p = json!({"type": "payment", "id": b.payments[6]});
        let codes: Vec<u16> = std::thread::scope(|sc| {
            let hs: Vec<_> = [7, 8, 7, 8]
                .into_iter()
                .map(|line| {
                    let (fin, path, p) = (&fin, &path, &p);
                    sc.spawn(move || {
                        fin.post(path, &json!({"line": line, "movements": [p]}))
                            .status
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(codes.iter().filter(|c| **c == 201).count(), 1, "{codes:?}");
        assert!(codes.iter().all(|c| *c == 201 || *c == 409), "{codes:?}");
        let r = reconciliation(&fin, &id);
        let holding: usize = r["matched"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["movements"][0]["id"] == json!(b.payments[6]))
            .count();
        assert_eq!(holding, 1);
    });
}
