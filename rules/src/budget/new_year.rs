//! Bekendtgørelse om hjemmetræning § 6, stk. 1-2; Copenhagen folder, 'Udgifter og budget': a budget decision grants a year of posts, each credited to its own budget account, within the cap in force on the year's start.
use super::budget_year;
use super::grant::PostSpec;
use super::yearly_cap;
use crate::rates::DatedValue;
use bookkeeping::{period, EntryKind, NewEntry, Result};
use chrono::NaiveDate;

/// What a new budget year is decided on.
pub struct Facts<'a> {
    pub year_id: &'a str,
    pub application_date: NaiveDate,
    /// Today in Denmark: a decision is not dated in the future.
    pub today: NaiveDate,
    pub case_end: NaiveDate,
    /// The case's other budget years (start, end).
    pub others: &'a [(NaiveDate, NaiveDate)],
    pub cap_rates: &'a [DatedValue],
    pub closed_through: Option<NaiveDate>,
    pub appropriation_account: &'a str,
    /// The budget account each post will have, in the order of the posts.
    pub post_accounts: &'a [String],
}

/// Decides a new budget year of `posts` (already checked, totalling `total`) from `start`: its
/// end, and the entry crediting each post's account against the appropriation, dated on the
/// start or the first open date.
pub fn decide(
    f: &Facts,
    span: budget_year::Span,
    decided_on: Option<NaiveDate>,
    posts: &[PostSpec],
    total: bookkeeping::Money,
) -> Result<(NaiveDate, NewEntry)> {
    let start = span.start;
    if let Some(on) = decided_on {
        super::amendment::check_decided_on(on, f.application_date, f.today)?;
    }
    let end = budget_year::check_span(span, f.application_date, f.case_end, f.others)?;
    let cap = yearly_cap::in_force(f.cap_rates, start)?;
    yearly_cap::check(total, cap, start)?;
    // A retroactive lead-in is funded from its first day: expenses booked in it never consume
    // the post before the grant that funds it.
    let from = span.retroactive_from.unwrap_or(start);
    let date = period::first_open_on_or_after(f.closed_through, from);
    let mut entry = NewEntry::new(
        EntryKind::BudgetGrant,
        date,
        format!("Budget year {} granted from {start}", f.year_id),
    )
    .source("budget_year", f.year_id);
    for (p, account) in posts.iter().zip(f.post_accounts) {
        entry = entry.transfer(f.appropriation_account, account, p.grant.amount()?);
    }
    Ok((end, entry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::grant::{Category, Grant};
    use bookkeeping::testing::d;
    use bookkeeping::{Code, Money, PostingLine};
    use rust_decimal::Decimal;

    #[test]
    fn grants_each_post_or_refuses() {
        let rates = [DatedValue {
            valid_from: d("2025-01-01"),
            value: Decimal::from(706_600),
        }];
        let accounts = ["BP-a".to_string(), "BP-b".to_string()];
        let f = Facts {
            year_id: "y",
            application_date: d("2025-01-01"),
            today: d("2025-06-01"),
            case_end: d("2030-01-01"),
            others: &[],
            cap_rates: &rates,
            closed_through: Some(d("2025-02-28")),
            appropriation_account: "9000",
            post_accounts: &accounts,
        };
        let post = |kr| PostSpec {
            category: Category::Equipment,
            description: "x".into(),
            grant: Grant::Amount(Money::kroner(kr)),
            applied: Default::default(),
        };
        let span = |s: &str| budget_year::Span {
            start: d(s),
            end: None,
            retroactive_from: None,
            months: 12,
        };
        let posts = [post(100), post(200)];
        let (end, entry) =
            decide(&f, span("2025-02-01"), None, &posts, Money::kroner(300)).unwrap();
        assert_eq!(end, d("2026-01-31"));
        assert_eq!(entry.effective_date, d("2025-03-01"));
        assert_eq!(
            entry.postings[3],
            PostingLine::credit("BP-b", Money::kroner(200))
        );
        let over = decide(&f, span("2025-02-01"), None, &posts, Money::kroner(706_601));
        assert_eq!(over.unwrap_err().code, Code::TrainingCapExceeded);
    }
}
