//! How far the sealer is behind while single entries are posted: issue 25 asks that at peak load
//! every entry has its `seq` and `hash` within a second of commit. A watcher samples, every
//! 20 ms, the age of the oldest entry not yet sealed (counted from its creation, so at least the
//! time since its commit); after the run, how long until the last one is sealed.
use diesel::prelude::*;
use ledger::store::schema::journal_entries;
use ledger::Ledger;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Lag {
    /// The oldest unsealed entry's age, at its largest while the clients posted.
    pub max_ms: f64,
    /// From the last answer until every entry was sealed.
    pub drained_ms: f64,
}

/// The age of the oldest entry of the municipality not yet sealed; `None` when all are.
fn oldest_unsealed(l: &Ledger) -> Option<Duration> {
    let mut conn = l
        .store()
        .pool_conn()
        .expect("a connection to watch the sealer");
    let oldest: Option<chrono::NaiveDateTime> = journal_entries::table
        .filter(journal_entries::municipality.eq(super::M))
        .filter(journal_entries::seq.is_null())
        .select(diesel::dsl::min(journal_entries::created_at))
        .first(&mut *conn)
        .expect("the oldest unsealed entry");
    oldest.map(|t| {
        (chrono::Utc::now().naive_utc() - t)
            .to_std()
            .unwrap_or_default()
    })
}

/// Runs `work` (the clients posting) while watching the sealer; returns its result and the lag.
pub fn watch<T>(l: &Ledger, work: impl FnOnce() -> T) -> (T, Lag) {
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut max = Duration::ZERO;
            while !done.load(Ordering::Relaxed) {
                max = max.max(oldest_unsealed(l).unwrap_or_default());
                std::thread::sleep(Duration::from_millis(20));
            }
            max
        });
        let out = work();
        done.store(true, Ordering::Relaxed);
        let max = watcher.join().expect("the watcher");
        let t = Instant::now();
        while oldest_unsealed(l).is_some() {
            assert!(
                t.elapsed() < Duration::from_secs(60),
                "entries were left unsealed for a minute"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let lag = Lag {
            max_ms: max.as_secs_f64() * 1000.0,
            drained_ms: t.elapsed().as_secs_f64() * 1000.0,
        };
        (out, lag)
    })
}
