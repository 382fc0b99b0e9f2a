//! A helper-payroll file imported over HTTP, end to end: the file generated on disk (never in
//! memory), sent streaming with `POST /v1/imports/helper-payroll`, polled until booked. Prints
//! lines/s and the process's peak memory during the import (the service runs in this process;
//! the peak is reset after the set-up, so it is the import's).
use super::{check, scratch, serve, Args, M};
use ledger::context::Role;
use serde_json::json;
use std::io::Write;
use std::time::{Duration, Instant};

pub fn run(args: &Args) {
    let sc = scratch(args);
    let (addr, handle, config) = serve(&sc.url);
    let base = format!("http://{addr}");
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(600))
        .build();
    let token = |sub: &str, role| config.jwt.mint(sub, None, role, M, 600).unwrap();
    let (op, cw, fin) = (
        token("bench-operator", Role::Operator),
        token("bench-caseworker", Role::Caseworker),
        token("bench-finance", Role::Finance),
    );
    let post = |t: &str, path: &str, body: serde_json::Value, key: Option<String>| {
        let mut r = agent
            .post(&format!("{base}{path}"))
            .set("Authorization", &format!("Bearer {t}"));
        if let Some(k) = key {
            r = r.set("Idempotency-Key", &k);
        }
        r.send_json(body)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .into_json::<serde_json::Value>()
            .unwrap()
    };
    post(
        &op,
        "/v1/rates",
        json!({"name": "training_expense_cap", "valid_from": "2025-01-01", "value": "706600.00", "source": "bench: the 2024 level"}),
        None,
    );
    let cases = args.cases.max(1);
    let per_case = args.rows.div_ceil(cases);
    let t = Instant::now();
    std::thread::scope(|s| {
        for w in 0..4 {
            let post = &post;
            let cw = &cw;
            s.spawn(move || {
                for c in (w..cases).step_by(4) {
                    let case = post(
                        cw,
                        "/v1/cases",
                        json!({"external_ref": format!("SAG-{c}"), "child_birth_date": "2016-03-01", "application_date": "2025-01-06", "approval_date": "2025-02-03", "scope": "full"}),
                        None,
                    );
                    let id = case["id"].as_str().unwrap();
                    // 1,000 lines of 450.00 and one hour each fit the post and the cap.
                    post(
                        cw,
                        &format!("/v1/cases/{id}/budget-years"),
                        json!({"start_date": "2025-01-06", "posts": [
                            {"category": "helper_trainers", "description": "Hjælpere", "hours": format!("{}", per_case.max(1) * 3 / 2), "hourly_rate": "300.00"},
                            {"category": "payroll_administration", "description": "Lønadministration", "amount": "50000.00"}
                        ]}),
                        Some(format!("bench-year-{c}")),
                    );
                }
            });
        }
    });
    let setup = t.elapsed().as_secs_f64();
    let file = tempfile::NamedTempFile::new().unwrap();
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file.as_file());
        writeln!(w, "Sagsnummer;Periode fra;Periode til;Hjælper;Timer;Bruttoløn;ATP;Feriepenge;Barselsfond;Forsikring;Gebyr;Lønseddel").unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2025, 2, 3).unwrap();
        for i in 0..per_case {
            let day = (start + chrono::Days::new((i % 330) as u64)).format("%d-%m-%Y");
            for c in 0..cases {
                writeln!(
                    w,
                    "SAG-{c};{day};{day};H-{c};1;390,00;10,00;40,00;0;0;10,00;LS-{c}-{i}"
                )
                .unwrap();
            }
        }
        w.flush().unwrap();
    }
    let bytes = file.as_file().metadata().unwrap().len();
    let lines = per_case * cases;
    reset_peak_rss();
    let rss_before = rss_kib("VmRSS");
    let started = Instant::now();
    let r = agent
        .post(&format!("{base}/v1/imports/helper-payroll"))
        .set("Authorization", &format!("Bearer {fin}"))
        .set("Content-Type", "text/csv")
        .send(std::fs::File::open(file.path()).unwrap())
        .unwrap_or_else(|e| panic!("import: {e}"))
        .into_json::<serde_json::Value>()
        .unwrap();
    let uploaded = started.elapsed().as_secs_f64();
    let id = r["id"].as_str().unwrap().to_string();
    let v = loop {
        let v: serde_json::Value = agent
            .get(&format!("{base}/v1/imports/{id}"))
            .set("Authorization", &format!("Bearer {fin}"))
            .call()
            .unwrap()
            .into_json()
            .unwrap();
        if !["validating", "booking"].contains(&v["status"].as_str().unwrap()) {
            break v;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(v["status"], "booked", "{v}");
    assert_eq!(v["rows_booked"], lines as u64);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!(
        "import db={} lines={lines} cases={cases} bytes={bytes} cores={cores}   {:.0} lines/s end to end ({secs:.1} s, upload {uploaded:.1} s; set-up {setup:.0} s)   vouchers {}   peak RSS {} MiB (before {} MiB)",
        args.db,
        lines as f64 / secs,
        v["entries_booked"],
        rss_kib("VmHWM") / 1024,
        rss_before / 1024,
    );
    actix_web::rt::System::new().block_on(handle.stop(true));
    let l = ledger::Ledger::open(&sc.url, 2).unwrap();
    check(&l);
}

/// Resets the process's peak resident set (Linux: `clear_refs` 5), so that `VmHWM` measures
/// from here.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
