//! `POST /v1/journal-entries/batch` over HTTP: batches of up to 10,000 two-leg entries over many
//! accounts, one request after the other, timed end to end (JSON, checks, one transaction per
//! batch). Prints entries/s and the time per batch.
use super::{check, scratch, serve, setup, Args, M};
use ledger::context::Role;
use std::time::Instant;

pub fn run(args: &Args) {
    let sc = scratch(args);
    let (addr, handle, config) = serve(&sc.url);
    let l = ledger::Ledger::open(&sc.url, 2).unwrap();
    let (_, ids) = setup(&l, args.accounts);
    let token = config
        .jwt
        .mint("bench", None, Role::Finance, M, 600)
        .unwrap();
    let url = format!("http://{addr}/v1/journal-entries/batch");
    let size = args.batch.clamp(1, 10_000);
    let batches = args.entries.div_ceil(size);
    let agent = ureq::AgentBuilder::new().build();
    let started = Instant::now();
    let mut worst = 0f64;
    for b in 0..batches {
        let entries: Vec<_> = (0..size)
            .map(|j| {
                let i = b * size + j;
                let d = &ids[i % ids.len()];
                let c = &ids[(i + 1) % ids.len()];
                serde_json::json!({
                    "effective_date": "2025-06-01",
                    "description": format!("bench {i}"),
                    "postings": [{"account_id": d, "debit": "10.00"}, {"account_id": c, "credit": "10.00"}]
                })
            })
            .collect();
        let t = Instant::now();
        let r = agent
            .post(&url)
            .set("Authorization", &format!("Bearer {token}"))
            .set("Idempotency-Key", &format!("bench-batch-{b}"))
            .send_json(serde_json::json!({ "entries": entries }));
        if let Err(e) = r {
            panic!("batch {b} failed: {e}");
        }
        worst = worst.max(t.elapsed().as_secs_f64());
    }
    let secs = started.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!(
        "batch  db={} entries={} batch={size} cores={cores}   {:.0} entries/s   slowest batch {:.0} ms",
        args.db,
        batches * size,
        (batches * size) as f64 / secs,
        worst * 1000.0
    );
    actix_web::rt::System::new().block_on(handle.stop(true));
    check(&l);
}
