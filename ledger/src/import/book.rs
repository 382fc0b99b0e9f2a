//! What an import knows of each case it meets, read once (under the case's lock) and then kept
//! up to date in memory row by row, so that every line is judged with the lines before it in the
//! same file counted: the posts' amounts and hours, the rolling cap, the payslips, the hours.
use crate::store::budgets::{self, PostRow, YearRow};
use crate::store::cases::{self, CaseRow};
use crate::store::{expenses, settlements, DbConnection, StoreResult};
use bookkeeping::Money;
use chrono::{Datelike, NaiveDate};
use rules::budget::grant::Category;
use rules::budget::rigid_posts::PostState;
use rules::expense::rolling_cap::Spending;
use rules::expense::Facts;
use rules::payment::Payee;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};

/// One budget year of a case, as an import judges against it.
pub struct YearBook {
    pub row: YearRow,
    /// Its judging facts, without the spending (kept once per case, in `CaseBook::spending`).
    pub facts: Facts,
    pub posts: Vec<PostRow>,
    pub states: Vec<PostState>,
    /// Per post: covered by the year's fixed-amount agreement (paid from the advance).
    pub covered: Vec<bool>,
    /// The year's annual accounts are settled: its covered posts take no more expenses.
    pub settled: bool,
}

impl YearBook {
    /// The first post of a category (a budget year grants helper trainers on one post).
    pub fn post_of(&self, category: Category) -> Option<usize> {
        self.states.iter().position(|s| s.category == category)
    }

    /// Whether a day lies in the year (its retroactive lead-in included).
    pub fn holds(&self, day: NaiveDate) -> bool {
        self.facts.year_start <= day && day <= self.row.nominal_end_date
    }
}

/// A case an import books on.
pub struct CaseBook {
    pub case: CaseRow,
    /// Who the case's helper-trainer wages are paid to.
    pub payee: Payee,
    pub years: Vec<YearBook>,
    /// The child's approved spending across budget years, the file's lines so far included.
    pub spending: Spending,
    /// Document references of the case's live expenses in the database.
    pub booked_docs: HashSet<String>,
    /// The helpers' hours per calendar year (approved ones, and the file's so far).
    pub hours: BTreeMap<i32, Decimal>,
    /// The file's lines on the case, and what they book.
    pub payslips: u64,
    pub amount: Money,
    /// Of `amount`: wages with the employer's costs, and fees; and the helpers' hours booked.
    pub wages: Money,
    pub fees: Money,
    pub hours_booked: Decimal,
}

impl CaseBook {
    /// The case with `case_ref`, locked (so no approval or amendment on it runs beside the
    /// import), with its years, posts, expenses and hours; `None` when there is none.
    pub fn load(conn: &mut DbConnection, m: &str, case_ref: &str) -> StoreResult<Option<CaseBook>> {
        let Some(found) = cases::by_ref(conn, m, case_ref)? else {
            return Ok(None);
        };
        let Some(case) = cases::lock(conn, m, &found.id)? else {
            return Ok(None);
        };
        let mut years = vec![];
        let mut spending = Spending::default();
        let mut helper_posts = vec![];
        for row in budgets::years_of_case(conn, m, &case.id)? {
            let mut facts = expenses::judging_facts(conn, &case, &row)?;
            // The spending is the child's, the same for every year: kept once.
            spending = std::mem::take(&mut facts.approved_spending);
            let posts = budgets::posts_of_year(conn, m, &row.id)?;
            let states = expenses::post_states(conn, m, &row.id, &posts)?;
            let covered = posts
                .iter()
                .map(|p| facts.covered_posts.contains(&p.id))
                .collect();
            helper_posts.extend(
                posts
                    .iter()
                    .filter(|p| p.category == Category::HelperTrainers.as_str())
                    .map(|p| p.id.clone()),
            );
            let settled = settlements::of_year(conn, m, &row.id)?.is_some();
            years.push(YearBook {
                row,
                facts,
                posts,
                states,
                covered,
                settled,
            });
        }
        let mut hours = BTreeMap::new();
        for (day, h) in expenses::approved_hours(conn, m, &helper_posts)? {
            *hours.entry(day.year()).or_default() += h;
        }
        Ok(Some(CaseBook {
            payee: case.payee()?,
            booked_docs: expenses::live_documents(conn, m, &case.id)?
                .into_iter()
                .collect(),
            case,
            years,
            spending,
            hours,
            payslips: 0,
            amount: Money::ZERO,
            wages: Money::ZERO,
            fees: Money::ZERO,
            hours_booked: Decimal::ZERO,
        }))
    }

    /// The year whose period holds `day`.
    pub fn year_of(&self, day: NaiveDate) -> Option<usize> {
        self.years.iter().position(|y| y.holds(day))
    }
}
