//! The balance of an account as of a date, on an account with many postings: the running totals
//! less the postings after the date, summed in SQL. Loads the postings directly (sealed, so the
//! sealer has nothing to do), then times `GET /v1/accounts/{id}?as_of=` over HTTP for dates
//! spread over the account's history, and prints p50 and p99.
use super::{scratch, serve, setup, Args, M};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;
use ledger::context::Role;
use ledger::store::schema::{accounts, chain_heads, journal_entries, postings};
use std::time::{Duration, Instant};

const BATCH: usize = 2_000;

/// Loads `entries` sealed manual entries of two postings each (bank debit, `other` credit),
/// 500 a day from `first`, directly through diesel, and sets the accounts' running totals.
pub fn load(l: &ledger::Ledger, bank: &str, other: &str, entries: usize, first: NaiveDate) {
    let (bank, other) = (bank.to_string(), other.to_string());
    let mut conn = l.store().pool_conn().unwrap();
    let now = ledger::store::now();
    for chunk in 0..entries.div_ceil(BATCH) {
        let range = chunk * BATCH..((chunk + 1) * BATCH).min(entries);
        let rows: Vec<_> = range
            .clone()
            .map(|i| {
                (
                    journal_entries::id.eq(format!("bench-{i:09}")),
                    journal_entries::municipality.eq(M),
                    journal_entries::kind.eq("manual"),
                    journal_entries::effective_date.eq(first + Days::new((i / 500) as u64)),
                    journal_entries::description.eq("bench"),
                    journal_entries::created_by.eq("bench"),
                    journal_entries::created_role.eq("finance"),
                    journal_entries::request_id.eq("bench"),
                    journal_entries::created_at.eq(now),
                    journal_entries::seq.eq(Some(i as i64 + 1)),
                    journal_entries::hash.eq(Some("bench")),
                )
            })
            .collect();
        let lines: Vec<_> = range
            .flat_map(|i| {
                let date = first + Days::new((i / 500) as u64);
                [(1, &bank, 100i64, 0i64), (2, &other, 0, 100)].map(|(n, acc, d, c)| {
                    (
                        postings::entry_id.eq(format!("bench-{i:09}")),
                        postings::line_no.eq(n),
                        postings::municipality.eq(M),
                        postings::account_id.eq(acc.clone()),
                        postings::effective_date.eq(date),
                        postings::debit.eq(d),
                        postings::credit.eq(c),
                    )
                })
            })
            .collect();
        match &mut *conn {
            ledger::store::DbConnection::Pg(c) => {
                diesel::insert_into(journal_entries::table)
                    .values(&rows)
                    .execute(c)
                    .unwrap();
                diesel::insert_into(postings::table)
                    .values(&lines)
                    .execute(c)
                    .unwrap();
            }
            ledger::store::DbConnection::Sqlite(c) => c
                .transaction::<_, diesel::result::Error, _>(|c| {
                    for part in rows.chunks(500) {
                        diesel::insert_into(journal_entries::table)
                            .values(part)
                            .execute(c)?;
                    }
                    for part in lines.chunks(500) {
                        diesel::insert_into(postings::table)
                            .values(part)
                            .execute(c)?;
                    }
                    Ok(())
                })
                .unwrap(),
        };
    }
    let total = entries as i64 * 100;
    diesel::update(accounts::table.filter(accounts::id.eq(&bank)))
        .set(accounts::debits_posted.eq(total))
        .execute(&mut *conn)
        .unwrap();
    diesel::update(accounts::table.filter(accounts::id.eq(&other)))
        .set(accounts::credits_posted.eq(total))
        .execute(&mut *conn)
        .unwrap();
    diesel::insert_into(chain_heads::table)
        .values((
            chain_heads::municipality.eq(M),
            chain_heads::seq.eq(entries as i64),
            chain_heads::hash.eq("bench"),
        ))
        .execute(&mut *conn)
        .unwrap();
    if let ledger::store::DbConnection::Pg(c) = &mut *conn {
        // What autovacuum does on a live database soon after a bulk load: the visibility map
        // lets the sum read the covering index alone.
        use diesel::connection::SimpleConnection;
        c.batch_execute("VACUUM (ANALYZE) postings").unwrap();
    }
    drop(conn);
}

pub fn run(args: &Args) {
    let sc = scratch(args);
    let l = ledger::Ledger::open(&sc.url, 4).unwrap();
    let (bank, ids) = setup(&l, 2);
    let other = ids[0].clone();
    let entries = args.postings;
    let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let started = Instant::now();
    load(&l, &bank, &other, entries, first);
    println!(
        "as-of: loaded {entries} postings on the account in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let (addr, handle, config) = serve(&sc.url);
    let token = config
        .jwt
        .mint("bench", None, Role::Finance, M, 600)
        .unwrap();
    let agent = ureq::AgentBuilder::new().build();
    let days = (entries / 500) as u64 + 1;
    let mut latencies: Vec<Duration> = (0..args.requests)
        .map(|i| {
            // Dates spread over the history: early ones leave the most later postings to sum.
            let as_of = first + Days::new((i as u64 * 7919) % days);
            let t = Instant::now();
            let r = agent
                .get(&format!("http://{addr}/v1/accounts/{bank}?as_of={as_of}"))
                .set("Authorization", &format!("Bearer {token}"))
                .call()
                .expect("as_of request");
            let body: serde_json::Value = r.into_json().unwrap();
            let elapsed = t.elapsed();
            let expected = ((as_of - first).num_days() + 1).min(days as i64) * 500;
            let expected = (expected.min(entries as i64) * 100) as f64 / 100.0;
            assert_eq!(body["debits"], format!("{expected:.2}"), "as_of {as_of}");
            elapsed
        })
        .collect();
    actix_web::rt::System::new().block_on(handle.stop(true));
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1000.0
    };
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!(
        "as-of  db={} postings={entries} requests={} cores={cores}   p50 {:.2} ms   p99 {:.2} ms",
        args.db,
        args.requests,
        pct(0.50),
        pct(0.99)
    );
}
