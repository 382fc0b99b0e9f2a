//! Posting throughput over HTTP against its ceiling: the same rows inserted directly through
//! diesel, one transaction per entry, no HTTP and none of the service's checks. Prints entries/s, p50 and p99 latency and
//! the ratio HTTP ÷ direct, for a uniform workload (many accounts) and a hot one (every entry
//! touches the bank account).
use api::auth::{JwtKeys, JwtPolicy};
use api::config::Config;
use clap::Parser;
use ledger::commands::open_account::{AccountKind, BalanceConstraint, OpenAccount};
use ledger::context::{Ctx, Role};
use ledger::read::accounts::{self, AccountFilter};
use ledger::Ledger;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// posting (throughput, the default), as-of (balance of an account with many postings) or
    /// payroll (one monthly run of lost-earnings compensation over many decisions) or batch
    /// (`POST /v1/journal-entries/batch`) or import (a helper-payroll file over HTTP)
    #[arg(long, default_value = "posting")]
    mode: String,
    /// as-of mode: postings on the measured account
    #[arg(long, default_value_t = 1_000_000)]
    postings: usize,
    /// as-of mode: requests to time
    #[arg(long, default_value_t = 400)]
    requests: usize,
    /// batch mode: entries per request (at most 10,000)
    #[arg(long, default_value_t = 10_000)]
    batch: usize,
    /// import mode: lines in the file
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// import mode: cases the lines are spread over
    #[arg(long, default_value_t = 1000)]
    cases: usize,
    /// payroll mode: active lost-earnings decisions
    #[arg(long, default_value_t = 100_000)]
    decisions: usize,
    /// sqlite or postgres
    #[arg(long, default_value = "sqlite")]
    db: String,
    /// PostgreSQL server to create scratch databases on (default: TEST_DATABASE_URL or DATABASE_URL).
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, default_value_t = 8)]
    clients: usize,
    #[arg(long, default_value_t = 20000)]
    entries: usize,
    /// uniform, hot or both
    #[arg(long, default_value = "both")]
    workload: String,
    #[arg(long, default_value_t = 200)]
    accounts: usize,
    /// posting mode on postgres: a peer's benchmark script (`../shared/peers/pgledger-bench.sh`)
    /// run on the same cluster in the same run, with the same number of clients, for 30 s
    #[arg(long)]
    peer: Option<String>,
}

const SECRET: &str = "bench-secret";
const M: &str = "101";

struct Run {
    secs: f64,
    latencies: Vec<Duration>,
}

impl Run {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.secs
    }
    fn pct(&self, p: f64) -> f64 {
        let mut l = self.latencies.clone();
        l.sort();
        let i = ((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1;
        l[i].as_secs_f64() * 1000.0
    }
}

struct Scratch {
    url: String,
    _dir: Option<tempfile::TempDir>,
}

fn scratch(args: &Args) -> Scratch {
    if args.db == "postgres" {
        let admin = args
            .database_url
            .clone()
            .or_else(|| std::env::var("TEST_DATABASE_URL").ok())
            .or_else(|| std::env::var("DATABASE_URL").ok())
            .expect("--database-url or TEST_DATABASE_URL for postgres");
        let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
        Scratch {
            url: ledger::store::create_postgres_database(&admin, &name).expect("create database"),
            _dir: None,
        }
    } else {
        let dir = tempfile::tempdir().unwrap();
        Scratch {
            url: dir
                .path()
                .join("bench.sqlite")
                .to_string_lossy()
                .to_string(),
            _dir: Some(dir),
        }
    }
}

fn ctx() -> Ctx {
    Ctx::new("bench".into(), Role::Finance, M.into(), "bench".into())
}

/// Opens the accounts the workload posts to; returns (hot account, the many accounts).
fn setup(l: &Ledger, n: usize) -> (String, Vec<String>) {
    let a = ctx();
    let mut ids = vec![];
    for i in 0..n {
        let acc = OpenAccount {
            code: format!("B{i:04}"),
            name: format!("bench {i}"),
            kind: AccountKind::Asset,
            constraint: BalanceConstraint::None,
            owner: None,
            parent_id: None,
        };
        ids.push(l.execute(&a, &acc).unwrap().id);
    }
    let bank_only = AccountFilter {
        code: Some("1000".into()),
        limit: 1,
        ..Default::default()
    };
    let bank = l
        .query(&a, |tx| accounts::list(tx, &a, &bank_only))
        .unwrap();
    (bank[0].id.clone(), ids)
}

/// The pair of accounts entry i touches.
fn pair(hot: bool, bank: &str, ids: &[String], i: usize) -> (String, String) {
    let n = ids.len();
    let a = (i.wrapping_mul(2654435761)) % n;
    let b = (a + 1 + (i % (n - 1))) % n;
    if hot {
        (bank.to_string(), ids[b].clone())
    } else {
        (ids[a].clone(), ids[b].clone())
    }
}

fn run_clients(args: &Args, f: impl Fn(usize) + Sync) -> Run {
    let per = args.entries / args.clients;
    let started = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..args.clients)
            .map(|c| {
                let f = &f;
                s.spawn(move || {
                    (0..per)
                        .map(|j| {
                            let t = Instant::now();
                            f(c * per + j);
                            t.elapsed()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    Run {
        secs: started.elapsed().as_secs_f64(),
        latencies,
    }
}

/// The service on a free port over `url`, in a thread of its own: its address, a handle to stop
/// it, and its configuration (to mint tokens).
fn serve(url: &str) -> (std::net::SocketAddr, actix_web::dev::ServerHandle, Config) {
    let config = Config {
        bind: "127.0.0.1:0".into(),
        database_url: url.to_string(),
        pool_size: 16,
        jwt: JwtKeys::hs256(SECRET, JwtPolicy::default()),
        jwt_secret_file: None,
        log_json: false,
        workers: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2),
        request_timeout: std::time::Duration::from_secs(30),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let cfg = config.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let (srv, addr) = api::start(&cfg).expect("start server");
            tx.send((addr, srv.handle())).unwrap();
            let _ = srv.await;
        })
    });
    let (addr, handle) = rx.recv().unwrap();
    (addr, handle, config)
}

fn http_run(args: &Args, hot: bool) -> (Run, seal_lag::Lag) {
    let sc = scratch(args);
    let (addr, handle, config) = serve(&sc.url);
    let l = Ledger::open(&sc.url, 2).unwrap();
    let (bank, ids) = setup(&l, args.accounts);
    let token = config
        .jwt
        .mint("bench", None, Role::Finance, M, 600)
        .unwrap();
    let agent = ureq::AgentBuilder::new()
        .max_idle_connections_per_host(args.clients * 2)
        .build();
    let url = format!("http://{addr}/v1/journal-entries");
    let (run, lag) = seal_lag::watch(&l, || {
        run_clients(args, |i| {
            let (d, c) = pair(hot, &bank, &ids, i);
            let body = serde_json::json!({
                "effective_date": "2025-06-01",
                "description": format!("bench {i}"),
                "postings": [{"account_id": d, "debit": "10.00"}, {"account_id": c, "credit": "10.00"}]
            });
            let r = agent
                .post(&url)
                .set("Authorization", &format!("Bearer {token}"))
                .set("Idempotency-Key", &format!("bench-{i}"))
                .send_json(body);
            if let Err(e) = r {
                panic!("entry {i} failed: {e}");
            }
        })
    });
    actix_web::rt::System::new().block_on(handle.stop(true));
    check(&l);
    (run, lag)
}

/// The ceiling: the same rows an HTTP posting writes (two running totals, the entry, its two
/// postings, the idempotency record) inserted directly through diesel, one transaction per
/// entry, with none of the service's reads and checks.
fn direct_run(args: &Args, hot: bool) -> Run {
    use diesel::prelude::*;
    use ledger::store::schema::{accounts, idempotency_keys, journal_entries, postings};
    let sc = scratch(args);
    let l = Ledger::open(&sc.url, 16).unwrap();
    let (bank, ids) = setup(&l, args.accounts);
    let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let run = run_clients(args, |i| {
        let (d, c) = pair(hot, &bank, &ids, i);
        l.store()
            .write(|conn| {
                let mut touched = [(d.as_str(), 1000i64, 0i64), (c.as_str(), 0, 1000)];
                touched.sort();
                for (id, debit, credit) in touched {
                    diesel::update(
                        accounts::table
                            .filter(accounts::id.eq(id))
                            .filter(accounts::municipality.eq(M)),
                    )
                    .set((
                        accounts::debits_posted.eq(accounts::debits_posted + debit),
                        accounts::credits_posted.eq(accounts::credits_posted + credit),
                    ))
                    .execute(conn)?;
                }
                let entry_id = ledger::store::new_id();
                let now = ledger::store::now();
                diesel::insert_into(journal_entries::table)
                    .values((
                        journal_entries::id.eq(&entry_id),
                        journal_entries::municipality.eq(M),
                        journal_entries::kind.eq("manual"),
                        journal_entries::effective_date.eq(date),
                        journal_entries::description.eq(format!("bench {i}")),
                        journal_entries::created_by.eq("bench"),
                        journal_entries::created_role.eq("finance"),
                        journal_entries::request_id.eq("bench"),
                        journal_entries::created_at.eq(now),
                    ))
                    .execute(conn)?;
                for (line, (account, debit, credit)) in
                    [(d.as_str(), 1000i64, 0i64), (c.as_str(), 0, 1000)]
                        .into_iter()
                        .enumerate()
                {
                    diesel::insert_into(postings::table)
                        .values((
                            postings::entry_id.eq(&entry_id),
                            postings::line_no.eq(line as i32 + 1),
                            postings::municipality.eq(M),
                            postings::account_id.eq(account),
                            postings::effective_date.eq(date),
                            postings::debit.eq(debit),
                            postings::credit.eq(credit),
                        ))
                        .execute(conn)?;
                }
                diesel::insert_into(idempotency_keys::table)
                    .values((
                        idempotency_keys::municipality.eq(M),
                        idempotency_keys::key.eq(format!("bench-{i}")),
                        idempotency_keys::request_hash.eq(format!("{i:064}")),
                        idempotency_keys::status.eq(201),
                        idempotency_keys::response.eq("{}"),
                        idempotency_keys::created_at.eq(now),
                    ))
                    .execute(conn)?;
                Ok(())
            })
            .expect("direct insert");
    });
    check(&l);
    run
}

fn check(l: &Ledger) {
    let r = ledger::read::verify::verify_books(&mut l.store().pool_conn().unwrap(), M).unwrap();
    assert!(r.ok, "ledger not consistent after the run");
}

mod as_of;
mod batch;
mod export;
mod import;
mod payroll;
mod peer;
mod seal_lag;

fn main() {
    let args = Args::parse();
    if args.mode == "as-of" {
        return as_of::run(&args);
    }
    if args.mode == "batch" {
        return batch::run(&args);
    }
    if args.mode == "export" {
        return export::run(&args);
    }
    if args.mode == "import" {
        return import::run(&args);
    }
    if args.mode == "payroll" {
        return payroll::run(&args);
    }
    assert!(args.clients >= 1 && args.entries >= args.clients && args.accounts >= 2);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!(
        "bench: db={} clients={} entries={} accounts={} cores={cores}",
        args.db, args.clients, args.entries, args.accounts
    );
    let workloads: Vec<bool> = match args.workload.as_str() {
        "uniform" => vec![false],
        "hot" => vec![true],
        _ => vec![false, true],
    };
    for hot in workloads {
        let name = if hot { "hot" } else { "uniform" };
        let direct = direct_run(&args, hot);
        let (http, lag) = http_run(&args, hot);
        for (path, r) in [("direct", &direct), ("http", &http)] {
            println!(
                "{:<8} {:<7} {:>9.0} entries/s   p50 {:>7.2} ms   p99 {:>7.2} ms",
                name,
                path,
                r.rate(),
                r.pct(0.50),
                r.pct(0.99)
            );
        }
        println!(
            "{:<8} ratio   http/direct = {:.2}",
            name,
            http.rate() / direct.rate()
        );
        println!(
            "{:<8} sealer  oldest unsealed entry at most {:.0} ms old during the run; all sealed {:.0} ms after the last answer",
            name, lag.max_ms, lag.drained_ms
        );
    }
    if let Some(script) = &args.peer {
        peer::run(&args, script);
    }
}
