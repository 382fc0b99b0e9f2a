//! Property tests of the ledger core on a real (SQLite) store: random sequences of valid and
//! invalid entries and reversals keep the books balanced, every running balance equal to its
//! postings, every constraint unbroken, and rejected entries change nothing.
use chrono::NaiveDate;
use ledger::book::{
    self, AccountKind, Actor, BalanceConstraint, EntryKind, NewEntry, PostingLine, Role,
};
use ledger::service::verify_books;
use ledger::store::accounts::{self, NewAccount};
use ledger::store::{journal, Store};
use ledger::Money;
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

fn actor() -> Actor {
    Actor {
        sub: "prop".into(),
        role: Role::Finance,
        municipality: M.into(),
        request_id: "prop".into(),
    }
}

fn setup() -> (Store, tempfile::TempDir, Vec<(String, BalanceConstraint)>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("p.sqlite").to_str().unwrap(), 2).unwrap();
    store
        .write(|c| accounts::ensure_municipality(c, M))
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
            let a = NewAccount {
                code: format!("P{i}"),
                name: format!("prop {i}"),
                kind: *kind,
                constraint: *constraint,
                owner: None,
                parent_id: None,
            };
            (
                store.write(|c| accounts::create(c, M, &a)).unwrap().id,
                *constraint,
            )
        })
        .collect();
    (store, dir, ids)
}

fn totals(store: &Store) -> HashMap<String, (i64, i64)> {
    store
        .read(|c| accounts::all(c, M))
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
        let a = actor();
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
                    let original = store.read(|c| journal::get(c, M, id)).unwrap();
                    original.reversed_by.is_none().then(|| {
                        let mut e = NewEntry::new(EntryKind::Reversal, original.effective_date, "rev");
                        e.postings = book::reversed_postings(&original.lines());
                        e.reverses = Some(original.id.clone());
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
                c.holds(Money::from_ore(d), Money::from_ore(cr))
            });
            let expect_ok = book::validate_entry(&entry).is_ok() && constraints_hold;
            let before = totals(&store);
            let res = store.write(|c| journal::post(c, &a, &entry));
            prop_assert_eq!(res.is_ok(), expect_ok, "entry {:?} gave {:?}", entry, res.as_ref().err());
            let after = totals(&store);
            match res {
                Ok(e) => {
                    booked.push(e.id);
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
                prop_assert!(c.holds(Money::from_ore(d), Money::from_ore(cr)));
            }
        }
    }
}
