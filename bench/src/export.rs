//! Exports of a large book stream in bounded memory: 1,000,000 postings (500,000 sealed entries
//! of two postings) loaded directly, the accounts mapped, then the journal as hledger text and
//! the general ledger as CSV read over HTTP to the end, each timed, with the peak resident set
//! of the process (the service runs in it) measured from before the first request.
use super::import::{reset_peak_rss, rss_kib};
use super::{scratch, serve, setup, Args, M};
use chrono::NaiveDate;
use ledger::context::Role;
use std::io::Read;
use std::time::Instant;

pub fn run(args: &Args) {
    let sc = scratch(args);
    let l = ledger::Ledger::open(&sc.url, 4).unwrap();
    let (bank, ids) = setup(&l, 2);
    let postings = args.postings;
    let started = Instant::now();
    super::as_of::load(
        &l,
        &bank,
        &ids[0],
        postings / 2,
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
    );
    let loaded = started.elapsed().as_secs_f64();
    let (addr, handle, config) = serve(&sc.url);
    let token = config
        .jwt
        .mint("bench", None, Role::Controller, M, 60)
        .unwrap();
    let agent = ureq::AgentBuilder::new().build();
    let auth = format!("Bearer {token}");
    // Map every financial account with postings.
    let tb: serde_json::Value = agent
        .get(&format!("http://{addr}/v1/trial-balance"))
        .set("Authorization", &auth)
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    let mappings: Vec<serde_json::Value> = tb["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] != "budget" && (a["debits"] != "0.00" || a["credits"] != "0.00"))
        .map(|a| serde_json::json!({"account_code": a["code"], "function": "5.28.21", "dranst": "1", "art": "5.2"}))
        .collect();
    agent
        .put(&format!("http://{addr}/v1/account-mappings"))
        .set("Authorization", &auth)
        .set("If-Match", "\"0\"")
        .send_json(serde_json::json!({ "mappings": mappings }))
        .unwrap();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    for (name, path, accept) in [
        (
            "journal (hledger)",
            "/v1/exports/journal?format=hledger",
            "text/plain",
        ),
        (
            "general ledger (CSV)",
            "/v1/exports/general-ledger",
            "text/csv",
        ),
    ] {
        reset_peak_rss();
        let before = rss_kib("VmRSS");
        let t = Instant::now();
        let r = agent
            .get(&format!("http://{addr}{path}"))
            .set("Authorization", &auth)
            .set("Accept", accept)
            .call()
            .expect("export");
        let mut reader = r.into_reader();
        let mut buf = vec![0u8; 1 << 16];
        let (mut bytes, mut lines) = (0usize, 0usize);
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            bytes += n;
            lines += buf[..n].iter().filter(|b| **b == b'\n').count();
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "export {name} db={} postings={postings} cores={cores}   {secs:.1} s   {:.0} MiB in {lines} lines   peak RSS {} MiB (before {} MiB; load {loaded:.0} s, not timed)",
            args.db,
            bytes as f64 / 1_048_576.0,
            rss_kib("VmHWM") / 1024,
            before / 1024,
        );
    }
    actix_web::rt::System::new().block_on(handle.stop(true));
}
