//! Copenhagen folder, 'Udgifter og budget': new needs during the year go through a supplementary application (tillægsansøgning); the decision raises, lowers or adds posts, never below what is spent, within the cap.
use super::grant::{self, Category, Grant, PostSpec, MAX_POSTS};
use super::rigid_posts::{self, PostState};
use super::yearly_cap;
use crate::rates::DatedValue;

pub use super::supplementary_application::{check_request, Change};
use bookkeeping::{
    period, Code, EntryKind, Error, ErrorKind, Money, NewEntry, PostingLine, Result,
};
use chrono::NaiveDate;

pub const LEGAL: &str = "Copenhagen folder, 'Udgifter og budget': new needs during the year go through a supplementary application (tillægsansøgning)";

/// An existing post as the amendment sees it.
#[derive(Clone, Debug)]
pub struct Post {
    pub id: String,
    pub account_id: String,
    pub grant: Grant,
    pub state: PostState,
}

/// What the amendment is judged against.
pub struct Facts<'a> {
    pub year_id: &'a str,
    pub version: i32,
    pub if_match: i32,
    pub application_date: NaiveDate,
    pub today: NaiveDate,
    pub start: NaiveDate,
    pub cap_rates: &'a [DatedValue],
    pub closed_through: Option<NaiveDate>,
    pub posts: &'a [Post],
    pub appropriation_account: &'a str,
    /// Ids for the posts this amendment adds, and their budget accounts, in order of the changes.
    pub new_ids: &'a [(String, String)],
}

/// A post's new grant: what it is granted, and the hours that limit it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewGrant {
    pub post_id: String,
    pub granted: Money,
    pub hours: Option<rust_decimal::Decimal>,
    pub hourly_rate: Option<Money>,
}

/// A post the amendment adds, with its ids.
#[derive(Clone, Debug)]
pub struct AddedPost {
    pub id: String,
    pub account_id: String,
    pub spec: PostSpec,
    pub granted: Money,
}

#[derive(Clone, Debug)]
pub struct Decision {
    pub changed: Vec<NewGrant>,
    pub added: Vec<AddedPost>,
    /// Each post account credited by what it gains, debited by what it loses, against the
    /// appropriation, dated on the decision or the first open date; none when no amount changed.
    pub entry: Option<NewEntry>,
    pub total: Money,
}

/// Decides an amendment: the version is the one decided on, the date is sound, every named post
/// exists, none falls below what is spent, and the new total is within the cap.
pub fn decide(f: &Facts, decided_on: NaiveDate, changes: &[Change]) -> Result<Decision> {
    check_decision(f, decided_on, changes)?;
    let mut d = Decision {
        changed: vec![],
        added: vec![],
        entry: None,
        total: f.posts.iter().map(|p| p.state.granted).sum(),
    };
    let mut lines = vec![];
    let mut new_ids = f.new_ids.iter();
    for (i, ch) in changes.iter().enumerate() {
        match ch {
            Change::Set { post_id, grant } => {
                let p = f.posts.iter().find(|p| &p.id == post_id).ok_or_else(|| {
                    Error::field(
                        Code::PostNotGranted,
                        &format!("changes[{i}].post_id"),
                        format!("post {post_id} is not a post of this budget year"),
                    )
                })?;
                let new = set_grant(i, p, grant)?;
                d.total = d.total - p.state.granted + new.granted;
                lines.extend(regrant_lines(f.appropriation_account, p, new.granted));
                d.changed.push(new);
            }
            Change::Add(spec) => {
                let (id, account_id) = new_ids
                    .next()
                    .ok_or_else(|| Error::internal("an id for every added post"))?;
                let granted = spec.grant.amount()?;
                d.total += granted;
                lines.push(PostingLine::debit(f.appropriation_account, granted));
                lines.push(PostingLine::credit(account_id, granted));
                let (id, account_id, spec) = (id.clone(), account_id.clone(), spec.clone());
                d.added.push(AddedPost {
                    id,
                    account_id,
                    spec,
                    granted,
                });
            }
        }
    }
    let cap = yearly_cap::in_force(f.cap_rates, f.start)?;
    yearly_cap::check(d.total, cap, f.start)?;
    d.entry = (!lines.is_empty()).then(|| {
        let date = period::first_open_on_or_after(f.closed_through, decided_on);
        // The reason is the caseworker's free text about a family: it stays in the decision,
        // out of the ledger.
        let description = format!(
            "Budget year {} amended to version {}",
            f.year_id,
            f.version + 1
        );
        let mut entry = NewEntry::new(EntryKind::BudgetAmendment, date, description)
            .source("budget_year", f.year_id);
        entry.postings = lines;
        entry
    });
    Ok(d)
}

/// The decision is made on the current version, dated between the application and today, and
/// leaves the year with at most `MAX_POSTS` posts.
fn check_decision(f: &Facts, decided_on: NaiveDate, changes: &[Change]) -> Result<()> {
    if f.version != f.if_match {
        return Err(version_mismatch(format!(
            "the budget year is at version {}, not {}; read it again and decide on the current version",
            f.version, f.if_match
        )));
    }
    check_decided_on(decided_on, f.application_date, f.today)?;
    let added = changes
        .iter()
        .filter(|c| matches!(c, Change::Add(_)))
        .count();
    if f.posts.len() + added > MAX_POSTS {
        return Err(grant::too_many_posts("changes"));
    }
    Ok(())
}

/// A decision is dated between the application and today (in Denmark).
pub fn check_decided_on(
    decided_on: NaiveDate,
    application_date: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    if decided_on < application_date || decided_on > today {
        return Err(Error::field(
            Code::InvalidDecidedOn,
            "decided_on",
            format!("a decision is dated between the application date {application_date} and today {today}"),
        ));
    }
    Ok(())
}

/// A raised post's account is credited by what it gains, a lowered one debited by what it loses,
/// against the appropriation.
fn regrant_lines(appropriation: &str, p: &Post, new: Money) -> Vec<PostingLine> {
    let old = p.state.granted;
    if new > old {
        vec![
            PostingLine::debit(appropriation, new - old),
            PostingLine::credit(&p.account_id, new - old),
        ]
    } else if new < old {
        vec![
            PostingLine::debit(&p.account_id, old - new),
            PostingLine::credit(appropriation, old - new),
        ]
    } else {
        vec![]
    }
}

/// One post's new grant. An amount-only change to an hour post keeps its hours as the limit.
fn set_grant(i: usize, p: &Post, grant: &Grant) -> Result<NewGrant> {
    if matches!(grant, Grant::Hours { .. }) && p.state.category != Category::HelperTrainers {
        return Err(Error::field(
            Code::HoursOnlyForHelperTrainers,
            &format!("changes[{i}].hours"),
            "only a helper-trainer post is granted in hours",
        ));
    }
    let granted = grant.amount()?;
    rigid_posts::check_lowering(&p.state, granted, grant.hours())?;
    let (hours, hourly_rate) = match grant {
        Grant::Amount(_) if p.grant.hours().is_some() => (p.grant.hours(), p.grant.hourly_rate()),
        _ => (grant.hours(), grant.hourly_rate()),
    };
    Ok(NewGrant {
        post_id: p.id.clone(),
        granted,
        hours,
        hourly_rate,
    })
}

/// The budget year moved on since the caller read it.
pub fn version_mismatch(detail: impl Into<String>) -> Error {
    Error::new(ErrorKind::PreconditionFailed, Code::VersionMismatch, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use rust_decimal::Decimal;

    const CAP: [DatedValue; 1] = [DatedValue {
        valid_from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        value: Decimal::from_parts(1000, 0, 0, false, 0),
    }];

    fn post(id: &str, granted: i64, approved: i64) -> Post {
        Post {
            id: id.into(),
            account_id: format!("acc-{id}"),
            grant: Grant::Amount(Money::kroner(granted)),
            state: PostState {
                label: id.into(),
                category: Category::Equipment,
                granted: Money::kroner(granted),
                approved: Money::kroner(approved),
                pending: Money::ZERO,
                hours_granted: None,
                hours_used: Decimal::ZERO,
                hours_pending: Decimal::ZERO,
            },
        }
    }

    fn facts<'a>(posts: &'a [Post], new_ids: &'a [(String, String)]) -> Facts<'a> {
        Facts {
            year_id: "y",
            version: 1,
            if_match: 1,
            application_date: d("2025-01-01"),
            today: d("2025-06-01"),
            start: d("2025-02-01"),
            cap_rates: &CAP,
            closed_through: None,
            posts,
            appropriation_account: "9000",
            new_ids,
        }
    }

    fn set(id: &str, kr: i64) -> Change {
        Change::Set {
            post_id: id.into(),
            grant: Grant::Amount(Money::kroner(kr)),
        }
    }

    #[test]
    fn raises_lowers_and_adds() {
        let posts = [post("a", 500, 100), post("b", 300, 0)];
        let ids = [("c".to_string(), "acc-c".to_string())];
        let add = Change::Add(PostSpec {
            category: Category::Supervision,
            description: "visits".into(),
            grant: Grant::Amount(Money::kroner(100)),
            applied: Default::default(),
        });
        let changes = [set("a", 600), set("b", 200), add];
        let dec = decide(&facts(&posts, &ids), d("2025-05-01"), &changes).unwrap();
        assert_eq!(dec.total, Money::kroner(900));
        let lines = dec.entry.unwrap().postings;
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[1], PostingLine::credit("acc-a", Money::kroner(100)));
        assert_eq!(lines[2], PostingLine::debit("acc-b", Money::kroner(100)));
        assert_eq!(dec.added[0].account_id, "acc-c");
    }

    #[test]
    fn refusals() {
        let posts = [post("a", 500, 100)];
        let code = |f: &Facts, on: &str, ch: &[Change]| decide(f, d(on), ch).unwrap_err().code;
        let f = facts(&posts, &[]);
        assert_eq!(
            code(&f, "2025-05-01", &[set("a", 99)]),
            Code::PostBelowApproved
        );
        assert_eq!(
            code(&f, "2025-05-01", &[set("a", 1001)]),
            Code::TrainingCapExceeded
        );
        assert_eq!(code(&f, "2025-05-01", &[set("x", 1)]), Code::PostNotGranted);
        assert_eq!(
            code(&f, "2025-07-01", &[set("a", 600)]),
            Code::InvalidDecidedOn
        );
        let stale = Facts {
            if_match: 2,
            ..facts(&posts, &[])
        };
        assert_eq!(
            code(&stale, "2025-05-01", &[set("a", 600)]),
            Code::VersionMismatch
        );
    }
}
