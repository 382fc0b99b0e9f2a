//! The service: one transaction per command, at most once per idempotency key.
use crate::context::Ctx;
use crate::error::{Error, Result};
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
}

impl Ledger {
    pub fn new(store: Store) -> Self {
        Ledger {
            store,
            known_municipalities: Default::default(),
        }
    }

    /// Opens the database (migrating it) at `url`: a SQLite path or a `postgres://` URL.
    pub fn open(url: &str, pool_size: u32) -> Result<Self> {
        Ok(Ledger::new(Store::open(url, pool_size)?))
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
        cmd.check(ctx)?;
        self.ensure_municipality(&ctx.municipality)?;
        self.store.write(|tx| cmd.run(tx, ctx))
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
        match key {
            Some(key) => self.execute_once(ctx, key, status, cmd),
            None => self.execute(ctx, cmd).map(|value| Recorded {
                replayed: false,
                value,
            }),
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
                let body = serde_json::to_string(&value)
                    .map_err(|e| StoreError::Corrupt(format!("response: {e}")))?;
                let r = idempotency::Recorded {
                    request_hash: key.request_hash.clone(),
                    status,
                    body,
                };
                idempotency::record(tx, m, &key.key, &r)?;
                Ok(Recorded {
                    replayed: false,
                    value,
                })
            });
            match res {
                // A concurrent twin with the same key won; the next round finds its record.
                Err(e) if attempt <= 3 && e.is_unique_violation() => continue,
                // A twin that committed first may also be why this attempt was refused (it took
                // what this one needed): answer with its response, not with the refusal.
                Err(Error::Refused(refusal)) => {
                    let first = self.store.read(|tx| first_response(tx, m, key))?;
                    return first.ok_or(Error::Refused(refusal));
                }
                other => return other,
            }
        }
    }
}

/// The response recorded under the key, if any; the same key with another request is refused.
fn first_response<T: DeserializeOwned>(
    tx: &mut Tx,
    municipality: &str,
    key: &IdempotencyKey,
) -> Result<Option<Recorded<T>>> {
    let Some(first) = idempotency::lookup(tx, municipality, &key.key)? else {
        return Ok(None);
    };
    if first.request_hash != key.request_hash {
        return Err(bookkeeping::error::idempotency_key_reused(&key.key).into());
    }
    let value = serde_json::from_str(&first.body)
        .map_err(|e| StoreError::Corrupt(format!("recorded response: {e}")))?;
    Ok(Some(Recorded {
        replayed: true,
        value,
    }))
}
