//! Copenhagen folder, 'Udgifter og budget': new needs during the year go through a supplementary application (tillægsansøgning); the decision raises, lowers or adds posts, never below what is spent, within the cap.
use super::grant::{self, Category, Grant, PostSpec, MAX_POSTS};
use super::rigid_posts::{self, PostState};
use super::yearly_cap;
use crate::privacy::no_cpr;
use crate::rates::DatedValue;
use bookkeeping::{
    period, Code, EntryKind, Error, ErrorKind, Money, NewEntry, PostingLine, Result,
};
use chrono::NaiveDate;

pub const LEGAL: &str = "Copenhagen folder, 'Udgifter og budget': new needs during the year go through a supplementary application (tillægsansøgning)";

/// A change decided by an amendment: set an existing post's grant, or add a post.
#[derive(Clone, Debug)]
pub enum Change {
    Set { post_id: String, grant: Grant },
    Add(PostSpec),
}

impl Change {
    /// A change as a request states it: a `post_id` to set an existing post, or a category and
    /// description to add one.
    pub fn from_parts(
        field: &str,
        post_id: Option<String>,
        category: Option<Category>,
        description: Option<String>,
        grant: Grant,
    ) -> Result<Change> {
        match (post_id, category, description) {
            (Some(post_id), None, None) => Ok(Change::Set { post_id, grant }),
            (None, Some(category), Some(description)) => Ok(Change::Add(PostSpec {
                category,
                description,
                grant,
            })),
            _ => Err(Error::field(
                Code::InvalidChange,
                field,
                "a change names either post_id, or category and description for a new post",
            )),
        }
    }
}

/// The request's own shape: a reason, at least one change, no post changed twice, sound grants.
pub fn check_request(reason: &str, changes: &[Change]) -> Result<()> {
    bookkeeping::error::check_text(
        Code::InvalidReason,
        "reason",
        reason,
        500,
        "an amendment needs a reason of 1-500 characters",
    )?;
    no_cpr::reject_in_text("reason", reason)?;
    if changes.is_empty() {
        return Err(Error::field(
            Code::NoChanges,
            "changes",
            "an amendment changes at least one post",
        ));
    }
    let mut named: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Set { post_id, .. } => Some(post_id.as_str()),
            Change::Add(_) => None,
        })
        .collect();
    named.sort_unstable();
    if let Some(w) = named.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::field(
            Code::DuplicateChange,
            "changes",
            format!(
                "post {} is changed twice in one amendment; give its new grant once",
                w[0]
            ),
        ));
    }
    for (i, ch) in changes.iter().enumerate() {
        let field = format!("changes[{i}]");
        match ch {
            Change::Add(p) => {
                grant::check_post(&field, p)?;
            }
            Change::Set {
                grant: Grant::Amount(m),
                ..
            } if *m < Money::ZERO => {
                return Err(Error::field(
                    Code::InvalidAmount,
                    &format!("{field}.amount"),
                    "a post's new amount is 0.00 or more",
                ));
            }
            Change::Set {
                grant: Grant::Amount(_),
                ..
            } => {}
            Change::Set { grant, .. } => {
                let spec = PostSpec {
                    category: Category::HelperTrainers,
                    description: "x".into(),
                    grant: grant.clone(),
                };
                grant::check_post(&field, &spec)?;
            }
        }
    }
    Ok(())
}

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
pub fn decide(
    f: &Facts,
    decided_on: NaiveDate,
    reason: &str,
    changes: &[Change],
) -> Result<Decision> {
    if f.version != f.if_match {
        return Err(version_mismatch(format!(
            "the budget year is at version {}, not {}; read it again and decide on the current version",
            f.version, f.if_match
        )));
    }
    if decided_on < f.application_date || decided_on > f.today {
        return Err(Error::field(
            Code::InvalidDecidedOn,
            "decided_on",
            "a decision is dated between the application date and today",
        ));
    }
    let added = changes
        .iter()
        .filter(|c| matches!(c, Change::Add(_)))
        .count();
    if f.posts.len() + added > MAX_POSTS {
        return Err(grant::too_many_posts("changes"));
    }
    let approp = f.appropriation_account;
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
                let old = p.state.granted;
                d.total = d.total - old + new.granted;
                if new.granted > old {
                    lines.push(PostingLine::debit(approp, new.granted - old));
                    lines.push(PostingLine::credit(&p.account_id, new.granted - old));
                } else if new.granted < old {
                    lines.push(PostingLine::debit(&p.account_id, old - new.granted));
                    lines.push(PostingLine::credit(approp, old - new.granted));
                }
                d.changed.push(new);
            }
            Change::Add(spec) => {
                let (id, account_id) = new_ids
                    .next()
                    .ok_or_else(|| Error::internal("an id for every added post"))?;
                let granted = spec.grant.amount()?;
                d.total += granted;
                lines.push(PostingLine::debit(approp, granted));
                lines.push(PostingLine::credit(account_id, granted));
                d.added.push(AddedPost {
                    id: id.clone(),
                    account_id: account_id.clone(),
                    spec: spec.clone(),
                    granted,
                });
            }
        }
    }
    let cap = yearly_cap::in_force(f.cap_rates, f.start)?;
    yearly_cap::check(d.total, cap, f.start)?;
    if !lines.is_empty() {
        let date = period::first_open_on_or_after(f.closed_through, decided_on);
        let description = format!("Budget amendment v{}: {}", f.version + 1, reason.trim());
        let mut entry = NewEntry::new(EntryKind::BudgetAmendment, date, description)
            .source("budget_year", f.year_id);
        entry.postings = lines;
        d.entry = Some(entry);
    }
    Ok(d)
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
    use rust_decimal::Decimal;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const CAP: [DatedValue; 1] = [DatedValue {
        valid_from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
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
        });
        let changes = [set("a", 600), set("b", 200), add];
        let dec = decide(&facts(&posts, &ids), d("2025-05-01"), "more", &changes).unwrap();
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
        let code = |f: &Facts, on: &str, ch: &[Change]| decide(f, d(on), "r", ch).unwrap_err().code;
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
        assert_eq!(check_request("r", &[]).unwrap_err().code, Code::NoChanges);
        assert_eq!(
            check_request("r", &[set("a", 1), set("a", 2)])
                .unwrap_err()
                .code,
            Code::DuplicateChange
        );
        assert_eq!(
            check_request("r", &[set("a", -1)]).unwrap_err().code,
            Code::InvalidAmount
        );
    }
}
