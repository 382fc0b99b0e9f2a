//! Group commit of single manual entries. Requests that arrive while a group is being booked
//! wait in a queue; a worker takes everything waiting (up to `MAX_GROUP`) and books it in one
//! database transaction: one BEGIN, one COMMIT (one flush of the log), one lock per hot account
//! for the whole group. Each request keeps its own outcome: it runs in a savepoint of its own,
//! so an entry refused by a rule (a balance constraint, a closed period, a reused key) rolls back
//! alone and is answered with its own refusal while its neighbours are booked. Its idempotency
//! record commits with its entry, as on the single path. Nothing is answered before the group's
//! COMMIT returns, so no caller is ever told "booked" for an entry that is not durable; and if
//! the group as a whole fails on the database (a lost connection, a lock not granted in time),
//! each of its requests is answered with that failure (503 for a database that is unavailable
//! or busy) and nothing of it was booked: the same key sent again books it once.
use crate::commands::post_manual_entry::PostManualEntry;
use crate::context::Ctx;
use crate::error::{Error, Refusal};
use crate::read::journal::JournalEntry;
use crate::service::{first_response, record, Command, IdempotencyKey, Recorded, Replay};
use crate::store::Store;
use diesel::Connection;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

/// The most entries booked in one transaction: enough to amortise the commit over every client
/// of a busy minute, small enough that a group's locks are held for a few milliseconds.
pub const MAX_GROUP: usize = 64;

/// Whether single entries go through group commit on this backend: on SQLite by default (one
/// writer, so a commit per entry was a flush per entry: +70 % measured), on PostgreSQL only with
/// `GROUP_COMMIT=on` (there eight connections posting in parallel outran one worker booking
/// groups on one connection: see the README's benchmark). `GROUP_COMMIT=off` turns it off.
pub fn enabled(backend: crate::store::Backend) -> bool {
    static SETTING: std::sync::OnceLock<Option<bool>> = std::sync::OnceLock::new();
    let setting = *SETTING.get_or_init(|| match std::env::var("GROUP_COMMIT").as_deref() {
        Ok("on") => Some(true),
        Ok("off") => Some(false),
        _ => None,
    });
    setting.unwrap_or(backend == crate::store::Backend::Sqlite)
}

pub(crate) struct Job {
    ctx: Ctx,
    key: IdempotencyKey,
    cmd: PostManualEntry,
    reply: SyncSender<Outcome>,
}

/// What became of one request in its group.
pub(crate) enum Outcome {
    /// Booked (or its key's first response, replayed, or a refusal recorded under the key).
    Done(Box<Replay<JournalEntry>>),
    /// Refused by a rule: its savepoint rolled back, nothing of it was written.
    Refused(Refusal),
    /// Not decided in the group (a twin with its key committed meanwhile): to be run on its
    /// own, where the key finds the twin's answer.
    Alone,
    /// The group's transaction failed (nothing of it was committed): each of its requests is
    /// answered with that failure, as a lone request would be; the same key is safe to send
    /// again.
    Failed(Arc<Error>),
}

pub struct GroupCommit {
    queue: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the threads that book groups on `store`.
    pub fn start(store: Store) -> GroupCommit {
        // SQLite has one writer. On PostgreSQL several groups book at once on their own
        // connections, their locks taken in one global order (see `lock_accounts`).
        let workers = match store.backend() {
            crate::store::Backend::Sqlite => 1,
            crate::store::Backend::Postgres => 4,
        };
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..workers {
            let (store, rx) = (store.clone(), rx.clone());
            std::thread::Builder::new()
                .name(format!("group-commit-{i}"))
                .spawn(move || worker(store, rx))
                .expect("a thread for group commit");
        }
        GroupCommit { queue: tx }
    }

    /// Books one entry in the next group and waits for the group's commit.
    pub(crate) fn submit(&self, ctx: &Ctx, key: &IdempotencyKey, cmd: &PostManualEntry) -> Outcome {
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Job {
            ctx: ctx.clone(),
            key: key.clone(),
            cmd: cmd.clone(),
            reply,
        };
        if self.queue.send(job).is_err() {
            return Outcome::Alone;
        }
        answer.recv().unwrap_or(Outcome::Alone)
    }
}

fn worker(store: Store, rx: Arc<Mutex<Receiver<Job>>>) {
    loop {
        // Everything already waiting joins the group: under load the queue fills while the
        // previous group commits, so groups grow with the load and a lone request waits for
        // nobody.
        let jobs = {
            let Ok(rx) = rx.lock() else { return };
            let Ok(first) = rx.recv() else { return };
            let mut jobs = vec![first];
            while jobs.len() < MAX_GROUP {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            jobs
        };
        let outcomes = book(&store, &jobs);
        for (job, outcome) in jobs.into_iter().zip(outcomes) {
            let _ = job.reply.send(outcome);
        }
    }
}

/// One transaction for the group, a savepoint for each entry in it.
fn book(store: &Store, jobs: &[Job]) -> Vec<Outcome> {
    let res = store.write(|tx| {
        lock_accounts(tx, jobs)?;
        let mut out = Vec::with_capacity(jobs.len());
        for j in jobs {
            let m = j.ctx.municipality.as_str();
            let one = tx.transaction(|sp| -> crate::Result<Replay<JournalEntry>> {
                if let Some(first) = first_response::<JournalEntry>(sp, m, Some(&j.key))? {
                    return Ok(first);
                }
                let value = j.cmd.run(sp, &j.ctx)?;
                record(sp, m, &j.key, 201, &value)?;
                Ok(Ok(Recorded {
                    replayed: false,
                    value,
                }))
            });
            out.push(match one {
                Ok(r) => Outcome::Done(Box::new(r)),
                Err(Error::Refused(r)) => Outcome::Refused(r),
                Err(e) if e.is_unique_violation() => Outcome::Alone,
                // Its savepoint rolled back: it fails alone, as it would on its own.
                Err(e) => Outcome::Failed(Arc::new(e)),
            });
        }
        seal_before_commit(tx, jobs);
        Ok(out)
    });
    match res {
        Ok(out) => out,
        Err(e) => {
            tracing::warn!(error = %e, entries = jobs.len(), "group commit failed: nothing of it was booked");
            let e = Arc::new(e);
            jobs.iter().map(|_| Outcome::Failed(e.clone())).collect()
        }
    }
}

/// On SQLite the group already holds the database's one write lock: its entries (and any
/// committed before that still wait) are numbered and hashed in its own transaction, so they
/// commit sealed, and the sealer has no write transaction of its own to queue for behind the
/// next groups (where the oldest unsealed entry's age reached a second under load). Numbers still
/// follow commit order: SQLite commits one writer at a time. A failure to seal leaves the entries
/// to the sealer, as before: it never costs a booking. On PostgreSQL groups book in parallel and
/// the sealer lock would make them queue, so the sealer seals them.
fn seal_before_commit(tx: &mut crate::store::Tx, jobs: &[Job]) {
    if !matches!(tx, crate::store::DbConnection::Sqlite(_)) {
        return;
    }
    let municipalities: std::collections::BTreeSet<&str> =
        jobs.iter().map(|j| j.ctx.municipality.as_str()).collect();
    for m in municipalities {
        let sealed = tx.transaction(|sp| crate::store::chain::seal(sp, m, i64::MAX));
        if let Err(e) = sealed {
            tracing::warn!(error = %e, municipality = m, "a group's entries are left to the sealer");
        }
    }
}

/// Every account of every entry in the group, locked before any entry is booked, in id order per
/// municipality (the order every writer uses): the constrained accounts' rows, and the stripe
/// of this connection of each unconstrained one (touched with a zero). Entries of a group then
/// lock nothing new, so two groups, or a group and a single writer, never wait in a circle.
fn lock_accounts(tx: &mut crate::store::Tx, jobs: &[Job]) -> crate::Result<()> {
    // SQLite's write transaction already holds the database's one write lock.
    if matches!(tx, crate::store::DbConnection::Sqlite(_)) {
        return Ok(());
    }
    let mut by_municipality: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for j in jobs {
        let ids = by_municipality
            .entry(j.ctx.municipality.as_str())
            .or_default();
        ids.extend(j.cmd.entry.postings.iter().map(|p| p.account_id.as_str()));
    }
    for (m, mut ids) in by_municipality {
        ids.sort_unstable();
        ids.dedup();
        let rows = crate::store::accounts::lock_for_posting(tx, m, &ids)?;
        let mut striped: Vec<&str> = rows
            .iter()
            .filter(|r| r.balance_constraint == bookkeeping::BalanceConstraint::None.as_str())
            .map(|r| r.id.as_str())
            .collect();
        striped.sort_unstable();
        let zero = bookkeeping::Money::ZERO;
        let touch: Vec<(&str, bookkeeping::Money, bookkeeping::Money)> =
            striped.iter().map(|id| (*id, zero, zero)).collect();
        crate::store::stripes::add(tx, m, &touch)?;
    }
    Ok(())
}

/// The failure of a group, as each of its requests answers it (the store's errors are not
/// `Clone`: a database error is carried by its message, with its kind).
pub(crate) fn replica(e: &Error) -> Error {
    use crate::error::StoreError as S;
    match e {
        Error::Refused(r) => Error::Refused(r.clone()),
        Error::Store(S::UniqueViolation(m)) => S::UniqueViolation(m.clone()).into(),
        Error::Store(S::SerializationFailure(m)) => S::SerializationFailure(m.clone()).into(),
        Error::Store(S::Corrupt(m)) => S::Corrupt(m.clone()).into(),
        Error::Store(S::Unavailable(m)) => S::Unavailable(m.clone()).into(),
        Error::Store(S::Database(d)) => S::Database(diesel::result::Error::QueryBuilderError(
            d.to_string().into(),
        ))
        .into(),
    }
}
