//! Payroll-administration firms' files of helper-trainer wages (issue 11): both dialects, every
//! refusal, all or nothing, dry runs, the same file twice, a crash in the middle, and a file of
//! 100,000 lines. Black-box: the real service binary over HTTP, on both databases.
mod common;

use common::home_training::{new_case, new_year, post_id, post_of, year};
use common::{each_backend, Client, Server, M};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const EN_HEADER: &str = "case_ref,period_from,period_to,helper_ref,hours,gross_wage,employer_atp,holiday_pay,maternity_fund,insurance,fee,payslip_ref";

/// Sends a file; returns the response.
fn send(c: &Client, file: &[u8], query: &str) -> common::Resp {
    c.send_bytes(
        "POST",
        &format!("/v1/imports/helper-payroll{query}"),
        file,
        &[("Content-Type", "text/csv")],
    )
}

/// Waits for an import to end; returns it.
fn wait(c: &Client, id: &str) -> Value {
    let start = Instant::now();
    loop {
        let v = c.get(&format!("/v1/imports/{id}")).ok(200).clone();
        if !["validating", "booking"].contains(&v["status"].as_str().unwrap()) {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "import {id} never ended: {v}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends a file and waits for its end.
fn import(c: &Client, file: &[u8], query: &str) -> Value {
    let r = send(c, file, query);
    let id = r.ok(202)["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.header("location"),
        Some(format!("/v1/imports/{id}").as_str())
    );
    wait(c, &id)
}

fn errors(c: &Client, id: &str) -> Vec<Value> {
    c.get(&format!("/v1/imports/{id}/errors?limit=1000"))
        .ok(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// A case with a year of 2025 granting helper trainers in hours and payroll administration:
/// (case id, year id, helper post, administration post).
fn family(cw: &Client, r: &str, hours: &str, admin: &str) -> (String, String, String, String) {
    let case = new_case(cw, r, "2016-03-01", "2025-01-06", "2025-02-03");
    let y = new_year(
        cw,
        &case,
        "2025-01-06",
        json!([
            {"category": "helper_trainers", "description": "Hjælpere", "hours": hours, "hourly_rate": "200.00"},
            {"category": "payroll_administration", "description": "Lønadministration", "amount": admin}
        ]),
    );
    let y = y.ok(201).clone();
    (
        case,
        y["id"].as_str().unwrap().to_string(),
        post_id(&y, "helper_trainers"),
        post_id(&y, "payroll_administration"),
    )
}

fn approved(c: &Client, year_id: &str, post: &str) -> (String, String) {
    let p = post_of(&year(c, year_id), post);
    (
        p["approved"].as_str().unwrap().to_string(),
        p["hours_used"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_danish_file_in_windows_1252_books_every_line_and_the_same_file_again_books_nothing() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (case_a, ya, ha, aa) = family(&cw, "SAG-A", "100", "1000.00");
        let (case_b, yb, hb, _) = family(&cw, "SAG-B", "100", "1000.00");
        cw.post(
            &format!("/v1/cases/{case_b}/payee"),
            &json!({"payee": "payroll_firm", "payroll_firm": "test-payroll_firm"}),
        )
        .ok(200);
        // Danish: `;`, decimal comma with `.` thousands, both date forms, Windows-1252 (æ, ø).
        let file = b"Sagsnummer;Periode fra;Periode til;Hj\xe6lper;Timer;Bruttol\xf8n;ATP;Feriepenge;Barselsfond;Forsikring;Gebyr;L\xf8nseddel\r\n\
SAG-A;01-03-2025;31.03.2025;H-7;12,5;2.312,50;94,65;288,13;10,00;0;45,00;LS-1001\r\n\
SAG-B;01.03.2025;31-03-2025;H-8;10;2.000,00;94,65;250,00;10,00;0;0;LS-1002\r\n\
SAG-A;01-04-2025;30-04-2025;H-7;7,5;1.387,50;94,65;172,88;10,00;0;45,00;LS-1003\r\n";
        let v = import(&fin, file, "");
        assert_eq!(v["status"], "booked", "{v}");
        assert_eq!(v["dialect"], "da");
        assert_eq!(v["rows_read"], 3);
        assert_eq!(v["rows_booked"], 3);
        assert_eq!(v["errors_count"], 0);
        // Wage and employer costs on the helper post, with the hours; fees on administration.
        // 2,312.50 + 94.65 + 288.13 + 10.00 and 1,387.50 + 94.65 + 172.88 + 10.00.
        assert_eq!(approved(&cw, &ya, &ha), ("4370.31".into(), "20".into()));
        assert_eq!(approved(&cw, &ya, &aa).0, "90.00");
        assert_eq!(approved(&cw, &yb, &hb), ("2354.65".into(), "10".into()));
        assert_eq!(v["amount_booked"], "6814.96");
        // The totals a firm checks against its own run: lines, hours, wages and fees.
        assert_eq!(v["rows_total"], 3);
        assert_eq!(v["hours_booked"], "30");
        assert_eq!(v["wages_booked"], "6724.96");
        assert_eq!(v["fees_booked"], "90.00");
        // Payees follow the case: the family on A, the firm on B.
        let pays = |case: &str| {
            fin.get(&format!("/v1/payables?case_id={case}&limit=500"))
                .ok(200)["items"]
                .as_array()
                .unwrap()
                .clone()
        };
        let a = pays(&case_a);
        assert_eq!(a.len(), 4);
        assert!(a.iter().all(|p| p["payee"] == "family"));
        let b = pays(&case_b);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0]["payee"], "payroll_firm");
        assert_eq!(b[0]["payroll_firm"], "test-payroll_firm");
        // One decision per case, with its legal reference and figures.
        let decisions = cw.get(&format!("/v1/cases/{case_a}/decisions")).ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let d = decisions
            .iter()
            .find(|d| d["subject"]["type"] == "import")
            .expect("the import's decision on case A");
        assert_eq!(d["kind"], "expense_approved");
        assert!(d["legal_reference"].as_str().unwrap().contains("§ 6"));
        // The same file again: the first import, nothing booked twice.
        let again = send(&fin, file, "");
        assert_eq!(again.ok(200)["id"], v["id"]);
        assert_eq!(approved(&cw, &ya, &aa).0, "90.00");
        s.client("controller", M).verify_clean(M);
        // One imported expense annulled: its own share of the voucher is reversed, the rest
        // stands, and its open payable is cancelled.
        let listed = cw
            .get(&format!("/v1/budget-years/{ya}/expenses?limit=100"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let fee = listed
            .iter()
            .find(|e| e["document_ref"] == "LS-1003#fee")
            .expect("the fee of LS-1003 as an expense");
        assert_eq!(fee["status"], "approved");
        cw.post_idem(
            &format!("/v1/expenses/{}/annul", fee["id"].as_str().unwrap()),
            &common::key(),
            &json!({"decided_on": common::today(), "reason": "Gebyret var opkrævet to gange"}),
        )
        .ok(200);
        assert_eq!(approved(&cw, &ya, &aa).0, "45.00");
        assert_eq!(approved(&cw, &ya, &ha).0, "4370.31");
        let open: Vec<Value> = pays(&case_a)
            .into_iter()
            .filter(|p| p["status"] == "open")
            .collect();
        assert_eq!(open.len(), 3);
        s.client("controller", M).verify_clean(M);
        // A line already booked, in a new file: refused by its payslip.
        let file2 =
            format!("{EN_HEADER}\nSAG-A,2025-05-01,2025-05-31,H-7,1,100.00,0,0,0,0,0,LS-1001\n");
        let v2 = import(&fin, file2.as_bytes(), "");
        assert_eq!(v2["status"], "rejected");
        let e = errors(&fin, v2["id"].as_str().unwrap());
        assert_eq!(e.len(), 1);
        assert_eq!(
            (
                e[0]["line"].clone(),
                e[0]["column"].clone(),
                e[0]["code"].clone()
            ),
            (
                json!(2),
                json!("payslip_ref"),
                json!("payslip_already_booked")
            )
        );
        // The same payslip on another case, written otherwise (lower case, a zero-width space),
        // is the same payslip: refused for the municipality. Twice in one file, across cases:
        // refused as a duplicate.
        let file3 = format!(
            "{EN_HEADER}\nSAG-B,2025-05-01,2025-05-31,H-8,1,100.00,0,0,0,0,0,ls-1002\u{200b}\n\
SAG-A,2025-05-01,2025-05-31,H-7,1,100.00,0,0,0,0,0,LS-2001\n\
SAG-B,2025-05-01,2025-05-31,H-8,1,100.00,0,0,0,0,0,LS-2001\n"
        );
        let v3 = import(&fin, file3.as_bytes(), "");
        assert_eq!(v3["status"], "rejected");
        let codes: Vec<(Value, Value)> = errors(&fin, v3["id"].as_str().unwrap())
            .iter()
            .map(|e| (e["line"].clone(), e["code"].clone()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (json!(2), json!("payslip_already_booked")),
                (json!(4), json!("payslip_duplicate_in_file"))
            ]
        );
    });
}

#[test]
fn an_english_file_with_bom_books_and_a_dry_run_books_nothing() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let firm = s.client("payroll_firm", M);
        let (case, y, h, a) = family(&cw, "SAG-EN", "100", "1000.00");
        cw.post(
            &format!("/v1/cases/{case}/payee"),
            &json!({"payee": "payroll_firm", "payroll_firm": "test-payroll_firm"}),
        )
        .ok(200);
        // Columns in another order, a byte-order mark, thousands with commas (quoted).
        let file = "\u{feff}payslip_ref,case_ref,period_from,period_to,helper_ref,hours,gross_wage,employer_atp,holiday_pay,maternity_fund,insurance,fee\r\n\
E-1,SAG-EN,2025-03-01,2025-03-31,H-1,10,\"1,234.50\",94.65,150.00,10.00,0,45.00\r\n\
E-2,SAG-EN,2025-04-01,2025-04-30,H-1,5,617.25,94.65,75.00,10.00,0,45.00\r\n";
        let dry = import(&firm, file.as_bytes(), "?dry_run=true");
        assert_eq!(dry["status"], "dry_run_ok", "{dry}");
        assert_eq!(dry["dialect"], "en");
        assert_eq!(
            (dry["rows_read"].clone(), dry["rows_booked"].clone()),
            (json!(2), json!(0))
        );
        assert_eq!(approved(&cw, &y, &h).0, "0.00");
        // A dry run is not the file sent: the same file books for real afterwards.
        let v = import(&firm, file.as_bytes(), "");
        assert_eq!(v["status"], "booked", "{v}");
        assert_ne!(v["id"], dry["id"]);
        assert_eq!(approved(&cw, &y, &h), ("2286.05".into(), "15".into()));
        assert_eq!(approved(&cw, &y, &a).0, "90.00");
        // A firm reads its own imports only.
        s.client("finance", M)
            .get(&format!("/v1/imports/{}", v["id"].as_str().unwrap()))
            .ok(200);
        let other = s.client("payroll_firm", M).with_token(&common::jwt(
            &json!({"sub": "another-firm", "role": "payroll_firm", "municipality": M, "exp": chrono::Utc::now().timestamp() + 600}),
            common::SECRET,
        ));
        other
            .get(&format!("/v1/imports/{}", v["id"].as_str().unwrap()))
            .problem(404, "import_not_found");
        // … and books only on the cases whose wages it administers.
        let f = format!("{EN_HEADER}\nSAG-EN,2025-05-01,2025-05-31,H-1,1,100.00,0,0,0,0,0,E-9\n");
        let r = import(&other, f.as_bytes(), "");
        assert_eq!(r["status"], "rejected");
        assert_eq!(
            errors(&other, r["id"].as_str().unwrap())[0]["code"],
            "case_not_found"
        );
        // Another municipality's caller does not see the import at all.
        s.client("finance", common::OTHER)
            .get(&format!("/v1/imports/{}", v["id"].as_str().unwrap()))
            .problem(404, "import_not_found");
        s.client("caseworker", M)
            .get(&format!("/v1/imports/{}", v["id"].as_str().unwrap()))
            .problem(403, "forbidden");
    });
}

#[test]
fn a_file_with_any_bad_line_books_nothing_and_reports_every_bad_line() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        // 10 hours granted (2,000.00), 100.00 for administration.
        let (_, y, h, a) = family(&cw, "SAG-R", "10", "100.00");
        let (_, y2, h2, _) = family(&cw, "SAG-R2", "100", "100.00");
        let lines = [
            // 2: good, 3: good, counted by the lines after them.
            "SAG-R,2025-03-01,2025-03-31,H-1,4,800.00,0,0,0,0,40.00,R-1",
            "SAG-R,2025-04-01,2025-04-30,H-1,4,800.00,0,0,0,0,40.00,R-2",
            // 4: over the post's amount counting lines 2-3 (1,600 + 500 > 2,000).
            "SAG-R,2025-05-01,2025-05-31,H-1,1,500.00,0,0,0,0,0,R-3",
            // 5: over the post's hours counting lines 2-3 (8 + 3 > 10).
            "SAG-R,2025-05-01,2025-05-31,H-1,3,100.00,0,0,0,0,0,R-4",
            // 6: the fee over the administration post (80 + 40 > 100).
            "SAG-R,2025-05-01,2025-05-31,H-1,1,100.00,0,0,0,0,40.00,R-5",
            // 7: no such case.
            "SAG-NONE,2025-05-01,2025-05-31,H-1,1,100.00,0,0,0,0,0,R-6",
            // 8: in no budget year.
            "SAG-R2,2027-05-01,2027-05-31,H-1,1,100.00,0,0,0,0,0,R-7",
            // 9: the same payslip twice in the file.
            "SAG-R,2025-03-01,2025-03-31,H-1,1,10.00,0,0,0,0,0,R-1",
            // 10: a CPR number as the helper, a bad amount, a backwards period.
            "SAG-R2,2025-03-31,2025-03-01,010190-1234,1,=1+1,0,0,0,0,0,R-8",
            // 11: no hours on a post granted in hours.
            "SAG-R2,2025-03-01,2025-03-31,H-1,0,100.00,0,0,0,0,0,R-9",
        ];
        let file = format!("{EN_HEADER}\n{}\n", lines.join("\n"));
        let v = import(&fin, file.as_bytes(), "");
        assert_eq!(v["status"], "rejected", "{v}");
        assert_eq!(v["rows_booked"], 0);
        assert_eq!(v["rows_read"], 10);
        let e = errors(&fin, v["id"].as_str().unwrap());
        let got: Vec<(i64, &str, &str)> = e
            .iter()
            .map(|e| {
                (
                    e["line"].as_i64().unwrap(),
                    e["column"].as_str().unwrap(),
                    e["code"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (4, "gross_wage", "budget_post_exceeded"),
                (5, "hours", "budget_post_hours_exceeded"),
                (6, "fee", "budget_post_exceeded"),
                (7, "case_ref", "case_not_found"),
                (8, "period_from", "expense_outside_budget_year"),
                (9, "payslip_ref", "payslip_duplicate_in_file"),
                (10, "helper_ref", "cpr_number_not_allowed"),
                (10, "period_to", "invalid_service_period"),
                (10, "gross_wage", "invalid_amount"),
                (11, "hours", "invalid_hours"),
            ]
        );
        // The detail names the rule and its legal reference; the value is the file's cell.
        assert!(e[0]["detail"]
            .as_str()
            .unwrap()
            .contains("Copenhagen folder"));
        assert_eq!(e[8]["value"], "=1+1");
        // Nothing booked: not even the good lines.
        assert_eq!(approved(&cw, &y, &h), ("0.00".into(), "0".into()));
        assert_eq!(approved(&cw, &y, &a).0, "0.00");
        assert_eq!(approved(&cw, &y2, &h2).0, "0.00");
        // As CSV for a spreadsheet (Danish), with the formula written as text.
        let csv = fin.request(
            "GET",
            &format!(
                "/v1/imports/{}/errors?dialect=da",
                v["id"].as_str().unwrap()
            ),
            None,
            &[("Accept", "text/csv")],
        );
        assert_eq!(csv.status, 200);
        assert!(csv.content_type.starts_with("text/csv"));
        let text = csv.body.as_str().unwrap();
        assert!(
            text.starts_with("\u{feff}line;column;value;code;detail;severity"),
            "{text}"
        );
        assert!(text.contains(";'=1+1;invalid_amount;"), "{text}");
        assert_eq!(text.lines().count(), 11);
        // The corrected file books whole: lines 2 and 3 only.
        let good = format!("{EN_HEADER}\n{}\n{}\n", lines[0], lines[1]);
        let ok = import(&fin, good.as_bytes(), "");
        assert_eq!(ok["status"], "booked", "{ok}");
        assert_eq!(approved(&cw, &y, &h), ("1600.00".into(), "8".into()));
        s.client("controller", M).verify_clean(M);
    });
}

#[test]
fn a_file_that_is_not_a_payroll_file_is_refused_clearly() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let v = import(&fin, b"Sagsnummer;Timer\nSAG-1;1\n", "");
        assert_eq!(v["status"], "rejected");
        let e = errors(&fin, v["id"].as_str().unwrap());
        assert!(e
            .iter()
            .all(|e| e["line"] == 1 && e["code"] == "missing_column"));
        assert!(e.iter().any(|e| e["column"] == "payslip_ref"));
        send(&fin, b"x", "?dialect=fr").problem(400, "invalid_query");
        // No file at all is a bad request, not an import; an empty file is a rejected import.
        fin.send_bytes("POST", "/v1/imports/helper-payroll", b"", &[])
            .problem(400, "invalid_body");
        let empty = import(&fin, b"", "");
        assert_eq!(empty["status"], "rejected", "{empty}");
        assert!(!errors(&fin, empty["id"].as_str().unwrap()).is_empty());
        fin.send_bytes(
            "POST",
            "/v1/imports/helper-payroll",
            b"{}",
            &[("Content-Type", "application/json")],
        )
        .problem(415, "unsupported_media_type");
        send(&s.client("caseworker", M), b"x", "").problem(403, "forbidden");
        fin.get("/v1/imports/nope").problem(404, "import_not_found");
        fin.get("/v1/imports/nope/errors?limit=0")
            .problem(400, "invalid_query");
    });
}

#[test]
fn insurance_below_the_threshold_is_a_warning_and_books() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (_, y, h, _) = family(&cw, "SAG-I", "100", "100.00");
        let file =
            format!("{EN_HEADER}\nSAG-I,2025-03-01,2025-03-31,H-1,10,1000.00,0,0,0,25.00,0,I-1\n");
        let v = import(&fin, file.as_bytes(), "");
        assert_eq!(v["status"], "booked", "{v}");
        assert_eq!(v["warnings_count"], 1);
        assert_eq!(approved(&cw, &y, &h).0, "1025.00");
        let w = fin
            .get(&format!(
                "/v1/imports/{}/errors?severity=warning",
                v["id"].as_str().unwrap()
            ))
            .ok(200)["items"][0]
            .clone();
        assert_eq!(w["code"], "insurance_below_threshold");
        assert_eq!(w["column"], "insurance");
        assert_eq!(w["severity"], "warning");
        assert!(errors(&fin, v["id"].as_str().unwrap()).is_empty());
    });
}

/// A generated file: `cases` cases (SAG-G0 …) of `per_case` lines of 450.00 each, 1 hour each.
fn generated(cases: usize, per_case: usize, tag: &str) -> Vec<u8> {
    let mut out = String::with_capacity(cases * per_case * 80);
    out.push_str(EN_HEADER);
    out.push('\n');
    for i in 0..per_case {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 2, 3).unwrap()
            + chrono::Days::new((i % 330) as u64);
        for c in 0..cases {
            out.push_str(&format!(
                "SAG-G{c},{day},{day},H-{c},1,400.00,10.00,40.00,0,0,0,{tag}-{c}-{i}\n"
            ));
        }
    }
    out.into_bytes()
}

fn generated_families(cw: &Client, cases: usize) -> Vec<(String, String)> {
    (0..cases)
        .map(|c| {
            let (_, y, h, _) = family(cw, &format!("SAG-G{c}"), "2250", "100.00");
            (y, h)
        })
        .collect()
}

#[test]
fn a_crash_in_the_middle_of_an_import_books_nothing_and_the_file_can_be_sent_again() {
    for db in common::backends() {
        let mut s = Server::start(db);
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let families = generated_families(&cw, 200);
        let file = generated(200, 1000, "K");
        let id = send(&fin, &file, "").ok(202)["id"]
            .as_str()
            .unwrap()
            .to_string();
        // Killed (SIGKILL) once it has read part of the file.
        let start = Instant::now();
        loop {
            let v = fin.get(&format!("/v1/imports/{id}")).ok(200).clone();
            assert_eq!(
                v["status"], "validating",
                "the import ended before the kill: {v}"
            );
            if v["rows_read"].as_i64().unwrap() > 1000 {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(120));
            std::thread::sleep(Duration::from_millis(5));
        }
        s.kill();
        let s2 = s.another_process();
        let fin = s2.client("finance", M);
        let cw = s2.client("caseworker", M);
        let v = fin.get(&format!("/v1/imports/{id}")).ok(200).clone();
        assert_eq!(v["status"], "interrupted", "{v}");
        assert_eq!(v["rows_booked"], 0);
        for (y, h) in &families {
            assert_eq!(approved(&cw, y, h).0, "0.00");
        }
        s2.client("controller", M).verify_clean(M);
        // Sent again, the file books whole.
        let again = import(&fin, &file, "");
        assert_ne!(again["id"].as_str().unwrap(), id);
        assert_eq!(again["status"], "booked", "{again}");
        assert_eq!(again["rows_booked"], 200_000);
        for (y, h) in &families {
            assert_eq!(approved(&cw, y, h), ("450000.00".into(), "1000".into()));
        }
        drop(s);
    }
}

#[test]
fn a_file_of_100_000_lines_books_on_both_databases() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let families = generated_families(&cw, 100);
        let file = generated(100, 1000, "T");
        let start = Instant::now();
        let v = import(&fin, &file, "");
        let took = start.elapsed();
        eprintln!(
            "100,000 lines on {:?}: {:.1} s, {:.0} lines/s (debug build)",
            s.db,
            took.as_secs_f64(),
            100_000.0 / took.as_secs_f64()
        );
        assert_eq!(v["status"], "booked", "{v}");
        assert_eq!(v["rows_booked"], 100_000);
        assert_eq!(v["amount_booked"], "45000000.00");
        for (y, h) in families.iter().take(5) {
            assert_eq!(approved(&cw, y, h), ("450000.00".into(), "1000".into()));
        }
        let tb = s
            .client("controller", M)
            .get("/v1/trial-balance")
            .ok(200)
            .clone();
        assert_eq!(tb["balanced"], true, "{tb}");
        s.client("controller", M).verify_clean(M);
    });
}

/// A refused line after thousands of accepted ones: those were already written in the import's
/// transaction (a thousand at a time), and the refusal throws them all away. Sent again without
/// the bad line, the file books whole: nothing of the first attempt was left to collide with.
#[test]
fn a_bad_last_line_after_thousands_of_good_ones_books_nothing() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let families = generated_families(&cw, 20);
        let good = generated(20, 150, "Z");
        let mut bad = good.clone();
        bad.extend_from_slice(
            b"SAG-NONE,2025-03-01,2025-03-31,H-9,1,400.00,10.00,40.00,0,0,0,Z-x\n",
        );
        let v = import(&fin, &bad, "");
        assert_eq!(v["status"], "rejected", "{v}");
        assert_eq!(
            (v["rows_read"].as_i64(), v["rows_booked"].as_i64()),
            (Some(3001), Some(0))
        );
        let errs = errors(&fin, v["id"].as_str().unwrap());
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            (errs[0]["line"].as_i64(), errs[0]["code"].as_str()),
            (Some(3002), Some("case_not_found"))
        );
        for (y, h) in &families {
            assert_eq!(approved(&cw, y, h), ("0.00".into(), "0".into()));
        }
        s.client("controller", M).verify_clean(M);
        let again = import(&fin, &good, "");
        assert_eq!(again["status"], "booked", "{again}");
        assert_eq!(again["rows_booked"], 3000);
        for (y, h) in &families {
            assert_eq!(approved(&cw, y, h), ("67500.00".into(), "150".into()));
        }
        s.client("controller", M).verify_clean(M);
    });
}
