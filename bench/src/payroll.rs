//! One monthly payroll run of lost-earnings compensation over many active decisions: the
//! decisions are loaded directly (bulk inserts, not timed), then `RunPayroll` is timed as the
//! service runs it: every decision computed, one entry per line booked through the batch path,
//! the run and its lines recorded, in one transaction. Prints the seconds, lines/s and the peak
//! resident memory of the run itself (the high-water mark is reset before it).
use super::{scratch, Args, M};
use chrono::NaiveDate;
use diesel::prelude::*;
use ledger::commands::run_payroll::RunPayroll;
use ledger::context::{Ctx, Role};
use ledger::store::cases::{self, CaseRow};
use ledger::store::lost_earnings::{insert_many, LostEarningsRow, VersionRow};
use ledger::store::schema::decisions;
use ledger::IdempotencyKey;
use std::time::Instant;

const CASES: usize = 1_000;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|v| v.parse().unwrap_or(0)))
        })
        .unwrap_or(0)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn run(args: &Args) {
    let n = args.decisions;
    let sc = scratch(args);
    let l = ledger::Ledger::open(&sc.url, 4).unwrap();
    l.ensure_municipality(M).unwrap();
    let now = ledger::store::now();
    let loading = Instant::now();
    let mut conn = l.store().pool_conn().unwrap();
    for c in 0..CASES {
        cases::insert(
            &mut conn,
            &CaseRow {
                id: format!("case-{c:06}"),
                municipality: M.into(),
                external_ref: format!("B-{c:06}"),
                external_key: Some(format!("b-{c:06}")),
                child_birth_date: d("2015-01-01"),
                application_date: d("2024-01-02"),
                approval_date: d("2024-02-01"),
                scope: "full".into(),
                end_date: None,
                end_reason: None,
                created_by: "bench".into(),
                created_at: now,
                lock_version: 0,
                ended_by: None,
                ended_at: None,
                payee: "family".into(),
                payroll_firm: None,
            },
        )
        .unwrap();
    }
    for chunk in (0..n).collect::<Vec<_>>().chunks(2_000) {
        let ds: Vec<_> = chunk
            .iter()
            .map(|i| {
                (
                    decisions::id.eq(format!("dec-{i:07}")),
                    decisions::municipality.eq(M),
                    decisions::case_id.eq(format!("case-{:06}", i % CASES)),
                    decisions::kind.eq("lost_earnings_granted"),
                    decisions::decided_on.eq(d("2024-02-15")),
                    decisions::outcome.eq("granted"),
                    decisions::subject_type.eq("lost_earnings"),
                    decisions::subject_id.eq(format!("le-{i:07}")),
                    decisions::reason.eq("bench"),
                    decisions::asked.eq("{}"),
                    decisions::figures.eq("[]"),
                    decisions::decided_by.eq("bench"),
                    decisions::created_at.eq(now),
                )
            })
            .collect();
        match &mut *conn {
            ledger::store::DbConnection::Pg(c) => {
                diesel::insert_into(decisions::table).values(&ds).execute(c)
            }
            ledger::store::DbConnection::Sqlite(c) => {
                diesel::insert_into(decisions::table).values(&ds).execute(c)
            }
        }
        .unwrap();
        let les: Vec<LostEarningsRow> = chunk
            .iter()
            .map(|i| LostEarningsRow {
                id: format!("le-{i:07}"),
                municipality: M.into(),
                case_id: format!("case-{:06}", i % CASES),
                parent_ref: format!("parent-{i:07}"),
                created_by: "bench".into(),
                created_at: now,
            })
            .collect();
        // A spread of the shapes the calculation meets: full and part time, above and under
        // the maximum, starts mid-month.
        let vs: Vec<VersionRow> = chunk
            .iter()
            .map(|i| {
                let from = if i % 7 == 0 {
                    d("2024-05-16")
                } else {
                    d("2024-03-01")
                };
                VersionRow {
                    lost_earnings_id: format!("le-{i:07}"),
                    version: 1,
                    municipality: M.into(),
                    effective_from: from,
                    valid_from: from,
                    valid_to: d("2024-12-31"),
                    granted_weekly_hours: ["37", "20", "30", "12.5"][i % 4].into(),
                    previous_weekly_hours: Some("37".into()),
                    basis_type: "employee".into(),
                    payslips: "[]".into(),
                    basis: 2_000_000 + (*i as i64 % 3_000) * 1_000,
                    basis_from: from,
                    employer_pension_monthly: (*i as i64 % 4) * 100_000,
                    monthly_savings: (*i as i64 % 5) * 10_000,
                    home_teaching_weekly_hours: "0".into(),
                    home_taught_full_time: false,
                    exceptional_hours_documented: false,
                    cut_reason: None,
                    decision_id: format!("dec-{i:07}"),
                    created_by: "bench".into(),
                    created_at: now,
                }
            })
            .collect();
        insert_many(&mut conn, &les, &vs).unwrap();
    }
    drop(conn);
    let load_secs = loading.elapsed().as_secs_f64();
    // The run's own peak: reset the high-water mark first.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = peak_rss_kib();
    let ctx = Ctx::new("bench".into(), Role::Finance, M.into(), "bench".into());
    let key = IdempotencyKey {
        key: "bench-run".into(),
        request_hash: "bench".into(),
    };
    let started = Instant::now();
    let r = l
        .execute_once(
            &ctx,
            &key,
            201,
            &RunPayroll {
                month: d("2024-05-01"),
            },
        )
        .unwrap()
        .value;
    let secs = started.elapsed().as_secs_f64();
    let peak = peak_rss_kib();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    assert_eq!(r.lines_count as usize, n, "one line per decision");
    println!(
        "payroll db={} decisions={n} cores={cores}   load {load_secs:.1} s (not timed)   run {secs:.2} s   {:.0} lines/s   total gross {}   peak RSS {:.0} MiB (before the run {:.0} MiB)",
        args.db,
        n as f64 / secs,
        r.total_gross,
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
    );
    // Sealing the 100,000 entries happens after commit; the ledger must verify clean.
    while l.seal().unwrap() > 0 {}
    let v = ledger::read::verify::verify_books(&mut l.store().pool_conn().unwrap(), M).unwrap();
    assert!(v.ok, "ledger not consistent after the run");
}
