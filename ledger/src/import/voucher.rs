//! An import books its lines as vouchers (samlebilag): one entry per booking day, with the four
//! lines of an approval (`approval::lines`) per expense summed per account (each post has its
//! own account, so a post's consumption stays its own line). A million payslips make thousands
//! of entries, not millions; each expense names its voucher, which is how it is traced. Accounts
//! are held as small numbers while the file is read (a voucher line is a few bytes), and the
//! vouchers become entries a chunk at a time, so a big file's booking stays in bounded memory.
use crate::store::{accounts, new_id, DbConnection, StoreResult};
use bookkeeping::{chart, entry, EntryKind, Money, NewEntry, PostingLine};
use chrono::NaiveDate;
use rules::budget::grant::Category;
use rules::expense::approval::{self, Accounts};
use std::collections::{BTreeMap, HashMap};

/// An expense's share of its voucher.
#[derive(Clone, Debug)]
pub struct Share {
    pub category: Category,
    /// The chart code of what is owed: the payee's payables, or the family's advance.
    pub credit_account: &'static str,
    pub post_account: String,
    pub amount: Money,
}

struct Voucher {
    id: String,
    date: NaiveDate,
    /// (account number, debit side) → amount.
    lines: BTreeMap<(u32, bool), Money>,
}

#[derive(Default)]
pub struct Vouchers {
    /// Per day, its vouchers: a new one once the last would pass an entry's posting limit.
    by_day: BTreeMap<NaiveDate, Vec<Voucher>>,
    /// Standard accounts' ids by chart code, looked up once.
    standard: HashMap<&'static str, String>,
    /// Every account a voucher names, by number, and the numbers by id.
    ids: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Vouchers {
    fn standard(
        &mut self,
        conn: &mut DbConnection,
        m: &str,
        code: &'static str,
    ) -> StoreResult<u32> {
        let id = match self.standard.get(code) {
            Some(id) => id.clone(),
            None => {
                let id = accounts::id_of(conn, m, code)?;
                self.standard.insert(code, id.clone());
                id
            }
        };
        Ok(self.number(&id))
    }

    fn number(&mut self, id: &str) -> u32 {
        if let Some(n) = self.numbers.get(id) {
            return *n;
        }
        let n = self.ids.len() as u32;
        self.ids.push(id.to_string());
        self.numbers.insert(id.to_string(), n);
        n
    }

    /// Adds a line's shares to the voucher of its day; returns the voucher's id.
    pub fn add(
        &mut self,
        conn: &mut DbConnection,
        m: &str,
        date: NaiveDate,
        shares: &[Share],
    ) -> StoreResult<String> {
        let appropriation = self.standard(conn, m, chart::BUDGET_APPROPRIATION)?;
        let mut keys: Vec<((u32, bool), Money)> = Vec::with_capacity(shares.len() * 4);
        for s in shares {
            let expense = self.standard(
                conn,
                m,
                chart::expense_account_for_category(s.category.as_str()),
            )?;
            let owed = self.standard(conn, m, s.credit_account)?;
            let post = self.number(&s.post_account);
            // The four lines of an approval, by number (their order and sides as `lines`).
            let names = [expense, owed, post, appropriation].map(|n| n.to_string());
            let a = Accounts {
                expense: &names[0],
                payable_to_family: &names[1],
                post: &names[2],
                appropriation: &names[3],
            };
            for l in approval::lines(&a, s.amount) {
                let n: u32 = l.account_id.parse().expect("a number written above");
                let debit = l.debit.is_positive();
                keys.push(((n, debit), if debit { l.debit } else { l.credit }));
            }
        }
        let day = self.by_day.entry(date).or_default();
        let fits = day.last().is_some_and(|v| {
            let new = keys
                .iter()
                .filter(|(k, _)| !v.lines.contains_key(k))
                .count();
            v.lines.len() + new <= entry::MAX_POSTINGS
        });
        if !fits {
            day.push(Voucher {
                id: new_id(),
                date,
                lines: BTreeMap::new(),
            });
        }
        let v = day.last_mut().expect("a voucher of the day");
        for (k, amount) in keys {
            *v.lines.entry(k).or_insert(Money::ZERO) += amount;
        }
        Ok(v.id.clone())
    }

    /// The vouchers as entries, `chunk` at a time, with their ids (chosen when their first line
    /// was added). The text names the import only: no family data in the ledger.
    pub fn entries(
        self,
        import_id: &str,
        chunk: usize,
    ) -> impl Iterator<Item = (Vec<NewEntry>, Vec<String>)> + '_ {
        let ids = self.ids;
        let mut all = self.by_day.into_values().flatten().peekable();
        std::iter::from_fn(move || {
            all.peek()?;
            let taken: Vec<Voucher> = all.by_ref().take(chunk).collect();
            Some(
                taken
                    .into_iter()
                    .map(|v| {
                        let lines = v.lines.into_iter().map(|((n, debit), amount)| {
                            let account = ids[n as usize].clone();
                            if debit {
                                PostingLine::debit(account, amount)
                            } else {
                                PostingLine::credit(account, amount)
                            }
                        });
                        let e = NewEntry::new(
                            EntryKind::ExpenseApproved,
                            v.date,
                            format!(
                                "Payroll import {import_id}: helper-trainer wages and fees approved"
                            ),
                        )
                        .source("import", import_id)
                        .lines(lines);
                        (e, v.id)
                    })
                    .unzip(),
            )
        })
    }
}
