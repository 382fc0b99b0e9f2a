//! Property tests of the ledger core on a real (SQLite) store: random sequences of valid and
//! invalid entries and reversals keep the books balanced, every running balance equal to its
//! postings, every constraint unbroken, and rejected entries change nothing. Whether an entry
//! should be accepted is decided by an oracle of the test's own, not by the code under test.
use bookkeeping::{AccountKind, BalanceConstraint, EntryKind, Money, NewEntry, PostingLine, Role};
use chrono::NaiveDate;
use ledger::context::Ctx;
use ledger::read::verify::verify_books;
use ledger::store::accounts::{self, AccountRow};
use ledger::store::{journal, Store};
use proptest::prelude::*;
use std::collections::HashMap;

const M: &str = "101";

#[derive(Clone, Debug)]
enum Op {
    Entry {
        lines: Vec<(usize, bool, i64)>,
        day: u32,
    },
    Reverse {
        which: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (prop::collection::vec((0usize..6, any::<bool>(), 0i64..5_000), 1..5), 1u32..28)
            .prop_map(|(lines, day)| Op::Entry { lines, day }),
        // Balanced two-leg entries, the common case, so that constraints are actually exercised.
        4 => (0usize..6, 0usize..6, 1i64..5_000, 1u32..28).prop_map(|(a, b, amt, day)| Op::Entry {
            lines: vec![(a, true, amt), (b, false, amt)],
            day
        }),
        1 => (0usize..50).prop_map(|which| Op::Reverse { which }),
    ]
}

fn ctx() -> Ctx {
    Ctx::new("prop".into(), Role::Finance, M.into(), "prop".into())
}

/// The oracle's own reading of the double-entry rules: at least two lines, every amount above
/// zero, debits equal credits.
fn shape_ok(entry: &NewEntry) -> bool {
    let (mut debits, mut credits) = (0i64, 0i64);
    for p in &entry.postings {
        let (d, c) = (p.debit.ore(), p.credit.ore());
        if (d > 0) == (c > 0) || d < 0 || c < 0 {
            return false;
        }
        debits += d;
        credits += c;
    }
    entry.postings.len() >= 2 && debits == credits
}

/// The oracle's own reading of a balance constraint on running totals in øre.
fn constraint_ok(c: BalanceConstraint, debits: i64, credits: i64) -> bool {
    match c {
        BalanceConstraint::None => true,
        BalanceConstraint::DebitsMustNotExceedCredits => debits <= credits,
        BalanceConstraint::CreditsMustNotExceedDebits => credits <= debits,
    }
}

fn setup() -> (Store, tempfile::TempDir, Vec<(String, BalanceConstraint)>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("p.sqlite").to_str().unwrap(), 2).unwrap();
    store
        .write(|c| Ok(accounts::ensure_municipality(c, M)?))
        .unwrap();
    let specs = [
        (AccountKind::Asset, BalanceConstraint::None),
        (
            AccountKind::Asset,
            BalanceConstraint::CreditsMustNotExceedDebits,
        ),
        (
            AccountKind::Budget,
            BalanceConstraint::DebitsMustNotExceedCredits,
        ),
        (
            AccountKind::Liability,
            BalanceConstraint::DebitsMustNotExceedCredits,
        ),
        (AccountKind::Expense, BalanceConstraint::None),
        (AccountKind::Equity, BalanceConstraint::None),
    ];
    let ids = specs
        .iter()
        .enumerate()
        .map(|(i, (kind, constraint))| {
            let a = AccountRow::new(
                M,
                &format!("P{i}"),
                &format!("prop {i}"),
                *kind,
                *constraint,
            );
            store.write(|c| Ok(accounts::insert(c, &a)?)).unwrap();
            (a.id, *constraint)
        })
        .collect();
    (store, dir, ids)
}

fn totals(store: &Store) -> HashMap<String, (i64, i64)> {
    store
        .read(|c| Ok(accounts::all(c, M)?))
        .unwrap()
        .into_iter()
        .map(|r| (r.id, (r.debits_posted, r.credits_posted)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_entries_keep_the_books_sound(ops in prop::collection::vec(op(), 1..30)) {
        let (store, _dir, ids) = setup();
        let a = ctx();
        let mut booked: Vec<String> = vec![];
        let mut model: HashMap<String, (i64, i64)> = totals(&store);
        for op in ops {
            let entry = match &op {
                Op::Entry { lines, day } => {
                    let mut e = NewEntry::new(EntryKind::Manual, NaiveDate::from_ymd_opt(2025, 1, *day).unwrap(), "p");
                    for (acc, debit, amt) in lines {
                        let id = ids[*acc].0.clone();
                        e = e.line(if *debit { PostingLine::debit(id, Money::from_ore(*amt)) } else { PostingLine::credit(id, Money::from_ore(*amt)) });
                    }
                    Some(e)
                }
                Op::Reverse { which } => booked.get(*which).and_then(|id| {
                    let original = store.read(|c| Ok(journal::get(c, M, id)?)).unwrap().unwrap();
                    original.reversed_by.is_none().then(|| {
                        let mut e = NewEntry::new(EntryKind::Reversal, original.entry.effective_date, "rev");
                        // The mirror, built here rather than by the code under test.
                        e.postings = original.lines().into_iter().map(|p| PostingLine {
                            account_id: p.account_id,
                            debit: p.credit,
                            credit: p.debit,
                        }).collect();
                        e.reverses = Some(original.entry.id.clone());
                        e
                    })
                }),
            };
            let Some(entry) = entry else { continue };
            // What the model predicts: shape valid and every constraint holds afterwards.
            let mut next = model.clone();
            for p in &entry.postings {
                let t = next.get_mut(&p.account_id).unwrap();
                t.0 += p.debit.ore();
                t.1 += p.credit.ore();
            }
            let constraints_hold = ids.iter().all(|(id, c)| {
                let (d, cr) = next[id];
                constraint_ok(*c, d, cr)
            });
            let expect_ok = shape_ok(&entry) && constraints_hold;
            let before = totals(&store);
            let res = store.write(|c| journal::post(c, &a, &entry));
            prop_assert_eq!(res.is_ok(), expect_ok, "entry {:?} gave {:?}", entry, res.as_ref().err());
            let after = totals(&store);
            match res {
                Ok(e) => {
                    booked.push(e.entry.id);
                    model = next;
                    prop_assert_eq!(&after, &model);
                }
                Err(_) => prop_assert_eq!(&after, &before, "a rejected entry changed the totals"),
            }
            let report = store.read(|c| verify_books(c, M)).unwrap();
            prop_assert!(report.ok, "verify: {:?}", report);
            prop_assert_eq!(report.total_debits, report.total_credits);
            for (id, c) in &ids {
                let (d, cr) = after[id];
                prop_assert!(constraint_ok(*c, d, cr));
            }
        }
    }
}
