//! Use cases: each opens one transaction, lets the domain decide, books, commits.
pub mod home_training;

use crate::book::{Actor, NewEntry, Role};
use crate::error::{Error, Result};
use crate::money::Money;
use crate::store::accounts::{self, Account, AccountFilter, NewAccount};
use crate::store::journal::{self, EntryFilter, JournalEntry};
use crate::store::periods::{self, PeriodClose};
use crate::store::{idempotency, is_unique_violation, DbConnection, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::{Arc, RwLock};

#[derive(Clone)]
pub struct Ledger {
    pub store: Store,
    known_municipalities: Arc<RwLock<HashSet<String>>>,
}

/// An `Idempotency-Key` and the fingerprint of the request it was sent with.
#[derive(Clone, Debug)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

impl From<idempotency::Recorded> for Recorded {
    fn from(r: idempotency::Recorded) -> Self {
        let idempotency::Recorded::Replay { status, body } = r;
        Recorded {
            replayed: true,
            status,
            body,
        }
    }
}

/// The response of a money-moving request, first time or replayed.
#[derive(Debug)]
pub struct Recorded {
    pub replayed: bool,
    pub status: u16,
    /// The JSON response body as first sent.
    pub body: String,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct TrialBalanceLine {
    pub account_id: String,
    pub code: String,
    pub name: String,
    pub kind: crate::book::AccountKind,
    pub debits: Money,
    pub credits: Money,
    pub balance: Money,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct TrialBalance {
    /// The date the balance is taken at; null means all postings.
    pub as_of: Option<NaiveDate>,
    pub accounts: Vec<TrialBalanceLine>,
    pub total_debits: Money,
    pub total_credits: Money,
    /// True when Σ debits = Σ credits (always, in a sound ledger).
    pub balanced: bool,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct Mismatch {
    pub account_id: String,
    pub code: String,
    /// Totals kept on the account row.
    pub recorded_debits: Money,
    pub recorded_credits: Money,
    /// Totals recomputed from the postings.
    pub computed_debits: Money,
    pub computed_credits: Money,
    /// Whether the account's balance constraint holds on the recomputed totals.
    pub constraint_holds: bool,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct VerifyReport {
    /// True when every running total equals its postings, every entry balances and every constraint holds.
    pub ok: bool,
    pub accounts_checked: usize,
    pub mismatches: Vec<Mismatch>,
    /// Ids of journal entries whose postings do not balance.
    pub unbalanced_entries: Vec<String>,
    pub total_debits: Money,
    pub total_credits: Money,
}

impl Ledger {
    pub fn new(store: Store) -> Self {
        Ledger {
            store,
            known_municipalities: Default::default(),
        }
    }

    /// A municipality gets its standard chart of accounts on first use.
    pub fn ensure_municipality(&self, municipality: &str) -> Result<()> {
        if self
            .known_municipalities
            .read()
            .map(|s| s.contains(municipality))
            .unwrap_or(false)
        {
            return Ok(());
        }
        self.store
            .write(|c| accounts::ensure_municipality(c, municipality))?;
        if let Ok(mut s) = self.known_municipalities.write() {
            s.insert(municipality.to_string());
        }
        Ok(())
    }

    pub fn read<T>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&mut DbConnection) -> Result<T>,
    ) -> Result<T> {
        self.ensure_municipality(&actor.municipality)?;
        self.store.read(f)
    }

    pub fn write<T>(
        &self,
        actor: &Actor,
        f: impl FnMut(&mut DbConnection) -> Result<T>,
    ) -> Result<T> {
        self.ensure_municipality(&actor.municipality)?;
        self.store.write(f)
    }

    /// Runs a money-moving write at most once per key: the response is recorded in the same
    /// transaction as the effect, and a replay of the same request returns it unchanged.
    pub fn idempotent<T: Serialize>(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        status: u16,
        mut f: impl FnMut(&mut DbConnection) -> Result<T>,
    ) -> Result<Recorded> {
        let m = actor.municipality.clone();
        for attempt in 0.. {
            let res = self.write(actor, |c| {
                if let Some(first) = idempotency::lookup(c, &m, &key.key, &key.request_hash)? {
                    return Ok(first.into());
                }
                let v = f(c)?;
                let body = serde_json::to_string(&v).map_err(|e| Error::internal(e.to_string()))?;
                idempotency::record(c, &m, &key.key, &key.request_hash, status, &body)?;
                Ok(Recorded {
                    replayed: false,
                    status,
                    body,
                })
            });
            match res {
                // A concurrent twin with the same key won; the next round finds its record.
                Err(e) if attempt < 3 && is_unique_violation(&e) => continue,
                // A twin that committed first may also be why this attempt was refused (it took
                // what this one needed): answer with its response, not with the refusal.
                Err(e) if e.kind != crate::error::ErrorKind::Internal => {
                    let found = self
                        .store
                        .read(|c| idempotency::lookup(c, &m, &key.key, &key.request_hash));
                    return match found {
                        Ok(Some(first)) => Ok(first.into()),
                        Err(reused) => Err(reused),
                        Ok(None) => Err(e),
                    };
                }
                other => return other,
            }
        }
        unreachable!()
    }

    pub fn create_account(&self, actor: &Actor, a: &NewAccount) -> Result<Account> {
        actor.require(&[Role::Finance, Role::Admin])?;
        self.write(actor, |c| {
            accounts::create(c, &actor.municipality, a).map(|r| r.view())
        })
    }

    pub fn account(&self, actor: &Actor, id: &str, as_of: Option<NaiveDate>) -> Result<Account> {
        self.read(actor, |c| {
            let row = accounts::get(c, &actor.municipality, id)?;
            Ok(match as_of {
                None => row.view(),
                Some(d) => {
                    let (debits, credits) = accounts::totals_as_of(c, &row.id, d)?;
                    row.view_with(debits, credits, Some(d))
                }
            })
        })
    }

    pub fn accounts(&self, actor: &Actor, f: &AccountFilter) -> Result<Vec<Account>> {
        self.read(actor, |c| {
            Ok(accounts::list(c, &actor.municipality, f)?
                .iter()
                .map(|r| r.view())
                .collect())
        })
    }

    pub fn post_manual(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        entry: &NewEntry,
    ) -> Result<Recorded> {
        actor.require(&[Role::Finance, Role::Admin])?;
        crate::book::validate_entry(entry)?;
        crate::domain::cases::reject_cpr_in_text("description", &entry.description)?;
        self.idempotent(actor, key, 201, |c| {
            journal::post_guarded(c, actor, entry, journal::manual_guard)
        })
    }

    pub fn reverse(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        id: &str,
        date: Option<NaiveDate>,
        description: Option<String>,
    ) -> Result<Recorded> {
        actor.require(&[Role::Finance, Role::Admin])?;
        if let Some(d) = &description {
            crate::domain::cases::reject_cpr_in_text("description", d)?;
        }
        self.idempotent(actor, key, 201, |c| {
            journal::reverse(c, actor, id, date, description.clone())
        })
    }

    pub fn entry(&self, actor: &Actor, id: &str) -> Result<JournalEntry> {
        self.read(actor, |c| journal::get(c, &actor.municipality, id))
    }

    pub fn entries(&self, actor: &Actor, f: &EntryFilter) -> Result<Vec<JournalEntry>> {
        self.read(actor, |c| journal::list(c, &actor.municipality, f))
    }

    pub fn close_period(&self, actor: &Actor, through: NaiveDate) -> Result<PeriodClose> {
        actor.require(&[Role::Controller])?;
        self.write(actor, |c| {
            periods::close(c, &actor.municipality, through, &actor.sub)
        })
    }

    pub fn periods(&self, actor: &Actor) -> Result<Vec<PeriodClose>> {
        self.read(actor, |c| periods::list(c, &actor.municipality))
    }

    pub fn trial_balance(&self, actor: &Actor, as_of: Option<NaiveDate>) -> Result<TrialBalance> {
        self.read(actor, |c| {
            let rows = accounts::all(c, &actor.municipality)?;
            let sums = match as_of {
                Some(_) => Some(journal::sums_by_account(c, &actor.municipality, as_of)?),
                None => None,
            };
            let by_account = sums.as_deref().map(journal::sums_map);
            let lines: Vec<TrialBalanceLine> = rows
                .iter()
                .map(|r| {
                    let (d, cr) = match &by_account {
                        None => (
                            Money::from_ore(r.debits_posted),
                            Money::from_ore(r.credits_posted),
                        ),
                        Some(m) => m.get(r.id.as_str()).copied().unwrap_or_default(),
                    };
                    TrialBalanceLine {
                        account_id: r.id.clone(),
                        code: r.code.clone(),
                        name: r.name.clone(),
                        kind: r.kind(),
                        debits: d,
                        credits: cr,
                        balance: r.kind().balance(d, cr),
                    }
                })
                .collect();
            let total_debits: Money = lines.iter().map(|l| l.debits).sum();
            let total_credits: Money = lines.iter().map(|l| l.credits).sum();
            Ok(TrialBalance {
                as_of,
                accounts: lines,
                total_debits,
                total_credits,
                balanced: total_debits == total_credits,
            })
        })
    }

    pub fn verify(&self, actor: &Actor) -> Result<VerifyReport> {
        actor.require(&[Role::Controller])?;
        self.read(actor, |c| verify_books(c, &actor.municipality))
    }
}

/// Recomputes every running total from the postings and checks every entry balances.
pub fn verify_books(c: &mut DbConnection, municipality: &str) -> Result<VerifyReport> {
    let rows = accounts::all(c, municipality)?;
    let sums = journal::sums_by_account(c, municipality, None)?;
    let by_account = journal::sums_map(&sums);
    let mut mismatches = vec![];
    let (mut td, mut tc) = (Money::ZERO, Money::ZERO);
    for r in &rows {
        let (d, cr) = by_account.get(r.id.as_str()).copied().unwrap_or_default();
        td += d;
        tc += cr;
        let holds = r.constraint().holds(d, cr);
        if d.ore() != r.debits_posted || cr.ore() != r.credits_posted || !holds {
            mismatches.push(Mismatch {
                account_id: r.id.clone(),
                code: r.code.clone(),
                recorded_debits: Money::from_ore(r.debits_posted),
                recorded_credits: Money::from_ore(r.credits_posted),
                computed_debits: d,
                computed_credits: cr,
                constraint_holds: holds,
            });
        }
    }
    let unbalanced = journal::unbalanced_entries(c, municipality)?;
    Ok(VerifyReport {
        ok: mismatches.is_empty() && unbalanced.is_empty() && td == tc,
        accounts_checked: rows.len(),
        mismatches,
        unbalanced_entries: unbalanced,
        total_debits: td,
        total_credits: tc,
    })
}
