//! The service: one transaction per command, at most once per idempotency key.
use crate::context::Ctx;
use crate::error::{Error, Refusal, Result};
use crate::store::{accounts, chain, idempotency, Store, StoreError, Tx};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::{Arc, RwLock};

/// A command: reads its facts, lets the rules decide, posts and records, in the transaction it
/// is given. Its output is the response, recorded with an idempotency key.
pub trait Command {
    type Output: Serialize + DeserializeOwned;
    /// Who may give the command and the request's own shape: checked before anything is read,
    /// so a refused caller never sees a recorded response.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()>;
    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Self::Output>;
    /// A substantive refusal of what a family asked for (`rules::decision`) is a decision: the
    /// command stores it, in a transaction of its own after its own was rolled back, and returns
    /// its id. Commands that refuse nothing a family asked for keep the default.
    fn record_refusal(&self, _tx: &mut Tx, _ctx: &Ctx, _r: &Refusal) -> Result<Option<String>> {
        Ok(None)
    }
}

/// An `Idempotency-Key` and the fingerprint of the request it was sent with.
#[derive(Clone, Debug)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

/// The response of a money-moving request, first time or replayed.
#[derive(Debug)]
pub struct Recorded<T> {
    pub replayed: bool,
    pub value: T,
}

#[derive(Clone)]
pub struct Ledger {
    store: Store,
    known_municipalities: Arc<RwLock<HashSet<String>>>,
    imports: Arc<crate::import::service::Runner>,
    /// Started on the first single manual entry (see `group_commit`).
    group: Arc<std::sync::OnceLock<crate::group_commit::GroupCommit>>,
}

impl Ledger {
    pub fn new(store: Store) -> Self {
        Ledger {
            store,
            known_municipalities: Default::default(),
            imports: Default::default(),
            group: Default::default(),
        }
    }

    /// Opens the database (migrating it) at `url`: a SQLite path or a `postgres://` URL.
    pub fn open(url: &str, pool_size: u32) -> Result<Self> {
        Ok(Ledger::new(Store::open(url, pool_size)?))
    }

    /// The same, with database time-outs just above the requests' own time-out.
    pub fn open_with(
        url: &str,
        pool_size: u32,
        request_timeout: std::time::Duration,
    ) -> Result<Self> {
        let timeouts = crate::store::Timeouts::above(request_timeout);
        Ok(Ledger::new(Store::open_with(url, pool_size, timeouts)?))
    }

    pub fn imports(&self) -> &Arc<crate::import::service::Runner> {
        &self.imports
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn ready(&self) -> Result<()> {
        self.store.ready()
    }

    pub fn backend_name(&self) -> &'static str {
        match self.store.backend() {
            crate::store::Backend::Sqlite => "sqlite",
            crate::store::Backend::Postgres => "postgres",
        }
    }

    /// At start-up: the standard accounts a newer release added, for every municipality.
    pub fn complete_charts(&self) -> Result<usize> {
        self.store.write(|c| Ok(accounts::complete_charts(c)?))
    }

    /// A municipality gets its standard chart of accounts on first use, whatever its first
    /// request is (the one write a read may cause).
    pub fn ensure_municipality(&self, municipality: &str) -> Result<()> {
        let known = self.known_municipalities.read();
        if known.map(|s| s.contains(municipality)).unwrap_or(false) {
            return Ok(());
        }
        self.store
            .write(|c| Ok(accounts::ensure_municipality(c, municipality)?))?;
        if let Ok(mut s) = self.known_municipalities.write() {
            s.insert(municipality.to_string());
        }
        Ok(())
    }

    /// Seals every committed entry that has no voucher number yet, municipality by municipality,
    /// in batches (see `store::chain`); returns how many it sealed. Every service process calls
    /// this a few times a second.
    pub fn seal(&self) -> Result<usize> {
        const BATCH: i64 = 1000;
        let municipalities = self
            .store
            .read(|c| Ok(chain::unsealed_municipalities(c)?))?;
        let mut sealed = 0;
        for m in municipalities {
            loop {
                let n = self.store.write(|c| Ok(chain::seal(c, &m, BATCH)?))?;
                sealed += n;
                if (n as i64) < BATCH {
                    break;
                }
            }
        }
        Ok(sealed)
    }

    /// A read model, in one consistent snapshot.
    pub fn query<T>(&self, ctx: &Ctx, f: impl FnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        self.ensure_municipality(&ctx.municipality)?;
        self.store.read(f)
    }

    /// A command in one write transaction.
    pub fn execute<C: Command>(&self, ctx: &Ctx, cmd: &C) -> Result<C::Output> {
        self.execute_keyed(ctx, None, 200, cmd).map(|r| r.value)
    }

    /// A command that records its response when the caller gives an `Idempotency-Key`, and
    /// simply runs without one (a decision that is not itself a payment).
    pub fn execute_keyed<C: Command>(
        &self,
        ctx: &Ctx,
        key: Option<&IdempotencyKey>,
        status: u16,
        cmd: &C,
    ) -> Result<Recorded<C::Output>> {
        cmd.check(ctx)?;
        self.ensure_municipality(&ctx.municipality)?;
        let m = ctx.municipality.as_str();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let res = self.store.write(|tx| {
                if let Some(first) = first_response::<C::Output>(tx, m, key)? {
                    return Ok(first);
                }
                let value = cmd.run(tx, ctx)?;
                if let Some(key) = key {
                    record(tx, m, key, status, &value)?;
                }
                Ok(Ok(Recorded {
                    replayed: false,
                    value,
                }))
            });
            match res {
                // A concurrent twin with the same key won; the next round finds its record.
                Err(e) if key.is_some() && attempt <= 3 && e.is_unique_violation() => continue,
                Err(Error::Refused(refusal)) => return self.refused(ctx, key, cmd, refusal),
                Ok(Err(recorded_refusal)) => return Err(recorded_refusal.into()),
                Ok(Ok(r)) => return Ok(r),
                Err(e) => return Err(e),
            }
        }
    }

    /// A manual entry booked with the entries that arrive with it, in one transaction (see
    /// `group_commit`): the same answers as `execute_once`, each entry refused or booked alone.
    pub fn post_entry_grouped(
        &self,
        ctx: &Ctx,
        key: &IdempotencyKey,
        cmd: &crate::commands::post_manual_entry::PostManualEntry,
    ) -> Result<Recorded<crate::read::journal::JournalEntry>> {
        use crate::group_commit::{GroupCommit, Outcome};
        if !crate::group_commit::enabled(self.store.backend()) {
            return self.execute_once(ctx, key, 201, cmd);
        }
        cmd.check(ctx)?;
        self.ensure_municipality(&ctx.municipality)?;
        let group = self
            .group
            .get_or_init(|| GroupCommit::start(self.store.clone()));
        match group.submit(ctx, key, cmd) {
            Outcome::Done(done) => match *done {
                Ok(r) => Ok(r),
                Err(refusal) => Err(refusal.into()),
            },
            Outcome::Refused(refusal) => self.refused(ctx, Some(key), cmd, refusal),
            Outcome::Alone => self.execute_once(ctx, key, 201, cmd),
            Outcome::Failed(e) => Err(crate::group_commit::replica(&e)),
        }
    }

    /// A money-moving command at most once per key: the response is recorded in the same
    /// transaction as the effect, and a replay of the same request returns it unchanged.
    pub fn execute_once<C: Command>(
        &self,
        ctx: &Ctx,
        key: &IdempotencyKey,
        status: u16,
        cmd: &C,
    ) -> Result<Recorded<C::Output>> {
        self.execute_keyed(ctx, Some(key), status, cmd)
    }

    /// After a refusal (its transaction rolled back, nothing moved): a substantive refusal of
    /// what a family asked for is a decision, stored in a transaction of its own and recorded
    /// under the key, so a retry answers with the same decision. A twin that committed first may
    /// also be why this attempt was refused (it took what this one needed): answer with its
    /// response, not with the refusal.
    fn refused<C: Command>(
        &self,
        ctx: &Ctx,
        key: Option<&IdempotencyKey>,
        cmd: &C,
        refusal: Refusal,
    ) -> Result<Recorded<C::Output>> {
        let m = ctx.municipality.as_str();
        let decided = rules::decision::is_refusal_decision(refusal.code);
        let res = self.store.write(|tx| {
            if let Some(first) = first_response::<C::Output>(tx, m, key)? {
                return Ok(first);
            }
            if !decided {
                return Ok(Err(refusal.clone()));
            }
            let mut r = refusal.clone();
            r.decision_id = cmd.record_refusal(tx, ctx, &refusal)?.map(Into::into);
            if let (Some(key), Some(_)) = (key, &r.decision_id) {
                let body = serde_json::to_string(&StoredRefusal::from(&r))
                    .map_err(|e| StoreError::Corrupt(format!("refusal: {e}")))?;
                let rec = idempotency::Recorded {
                    request_hash: key.request_hash.clone(),
                    status: REFUSED,
                    body,
                };
                idempotency::record(tx, m, &key.key, &rec)?;
            }
            Ok(Err(r))
        });
        match res {
            Ok(Ok(first)) => Ok(first),
            Ok(Err(r)) => Err(r.into()),
            // A twin recorded the same key meanwhile: its answer is the answer.
            Err(e) if e.is_unique_violation() => {
                let first = self
                    .store
                    .read(|tx| first_response::<C::Output>(tx, m, key))?;
                match first {
                    Some(Ok(r)) => Ok(r),
                    Some(Err(r)) => Err(r.into()),
                    None => Err(refusal.into()),
                }
            }
            Err(e) => Err(e),
        }
    }
}

/// The status a recorded substantive refusal answers with.
const REFUSED: u16 = 422;

/// A refusal as recorded under an idempotency key, to answer a retry with the same decision.
#[derive(Serialize, serde::Deserialize)]
struct StoredRefusal {
    code: String,
    detail: String,
    legal_reference: Option<String>,
    errors: Vec<(String, String, String)>,
    figures: Vec<bookkeeping::Figure>,
    decision_id: Option<String>,
}

impl From<&Refusal> for StoredRefusal {
    fn from(r: &Refusal) -> Self {
        StoredRefusal {
            code: r.code.as_str().to_string(),
            detail: r.detail.clone(),
            legal_reference: r.legal_reference.as_deref().map(str::to_string),
            errors: r
                .errors
                .iter()
                .map(|f| {
                    (
                        f.field.clone(),
                        f.code.as_str().to_string(),
                        f.message.clone(),
                    )
                })
                .collect(),
            figures: r.figures.clone(),
            decision_id: r.decision_id.as_deref().map(str::to_string),
        }
    }
}

impl StoredRefusal {
    fn refusal(self) -> Result<Refusal> {
        let code = |c: &str| {
            bookkeeping::Code::parse(c)
                .ok_or_else(|| StoreError::Corrupt(format!("recorded refusal code {c:?}")))
        };
        let mut r = Refusal::rule(code(&self.code)?, self.detail);
        r.legal_reference = self.legal_reference.map(std::borrow::Cow::Owned);
        for (field, c, message) in self.errors {
            r.errors.push(bookkeeping::FieldError {
                field,
                code: code(&c)?,
                message,
            });
        }
        r.figures = self.figures;
        r.decision_id = self.decision_id.map(Into::into);
        Ok(r)
    }
}

pub(crate) fn record<T: Serialize>(
    tx: &mut Tx,
    m: &str,
    key: &IdempotencyKey,
    status: u16,
    value: &T,
) -> Result<()> {
    let body =
        serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("response: {e}")))?;
    let r = idempotency::Recorded {
        request_hash: key.request_hash.clone(),
        status,
        body,
    };
    Ok(idempotency::record(tx, m, &key.key, &r)?)
}

/// A response, or a recorded refusal, as a replay answers.
pub(crate) type Replay<T> = std::result::Result<Recorded<T>, Refusal>;

/// The response recorded under the key, if any; the same key with another request is refused.
pub(crate) fn first_response<T: DeserializeOwned>(
    tx: &mut Tx,
    municipality: &str,
    key: Option<&IdempotencyKey>,
) -> Result<Option<Replay<T>>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let Some(first) = idempotency::lookup(tx, municipality, &key.key)? else {
        return Ok(None);
    };
    if first.request_hash != key.request_hash {
        return Err(bookkeeping::error::idempotency_key_reused(&key.key).into());
    }
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("recorded response: {e}"));
    if first.status == REFUSED {
        let stored: StoredRefusal = serde_json::from_str(&first.body).map_err(corrupt)?;
        return Ok(Some(Err(stored.refusal()?)));
    }
    let value = serde_json::from_str(&first.body).map_err(corrupt)?;
    Ok(Some(Ok(Recorded {
        replayed: true,
        value,
    })))
}
