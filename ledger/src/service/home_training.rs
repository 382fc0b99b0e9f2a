//! Use cases of the home-training scheme: rates, cases, budget years, expenses, payments.
use super::{IdempotencyKey, Ledger, Recorded};
use crate::book::chart::{self, expense_account_for_category, BUDGET_APPROPRIATION};
use crate::book::{AccountKind, Actor, BalanceConstraint, EntryKind, NewEntry, PostingLine, Role};
use crate::domain::budget::{self, Category, Grant, PostSnapshot, PostSpec};
use crate::domain::cases::{self as case_rules, Case, NewCase};
use crate::domain::expenses::{self as expense_rules, Facts, NewExpense, PostState};
use crate::domain::rates::{self, Rate, TRAINING_EXPENSE_CAP};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::store::accounts::{self, NewAccount};
use crate::store::home_training::*;
use crate::store::{journal, new_id, now, periods, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;

/// Who may read cases and their budgets and expenses: they hold the child's birth date and the
/// family's spending, which a payroll-administration firm has no need to see.
pub const CASE_READERS: &[Role] = &[
    Role::Caseworker,
    Role::Finance,
    Role::Controller,
    Role::Admin,
];

/// Posts per budget year: far above any real budget, and it keeps one grant entry small.
pub const MAX_POSTS: usize = 50;

// ---- views ----

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct PostView {
    pub id: String,
    pub category: Category,
    pub description: String,
    pub granted: Money,
    /// Approved expenses booked on the post.
    pub approved: Money,
    /// Submitted expenses not yet decided.
    pub pending: Money,
    /// granted − approved.
    pub remaining: Money,
    #[schema(value_type = Option<String>, example = "400")]
    pub hours_granted: Option<Decimal>,
    pub hourly_rate: Option<Money>,
    #[schema(value_type = String, example = "12.5")]
    pub hours_used: Decimal,
    #[schema(value_type = String, example = "0")]
    pub hours_pending: Decimal,
    #[schema(value_type = Option<String>)]
    pub hours_remaining: Option<Decimal>,
    /// The budget account of the post: its constraint forbids spending more than granted.
    pub account_id: String,
    /// How the granted amount was computed.
    pub explanation: String,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct BudgetYearView {
    pub id: String,
    pub case_id: String,
    pub start_date: NaiveDate,
    /// 12 months from the start less a day, or the case's end if earlier.
    pub end_date: NaiveDate,
    /// The version of the budget decision; the ETag.
    pub version: i32,
    pub posts: Vec<PostView>,
    pub total_granted: Money,
    pub total_approved: Money,
    pub total_pending: Money,
    pub total_remaining: Money,
    /// The yearly cap in force on the start date.
    pub cap: Money,
    /// cap − total_granted.
    pub cap_headroom: Money,
    pub cap_rate: Rate,
    pub created_by: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct BudgetVersion {
    pub version: i32,
    pub decided_on: NaiveDate,
    pub reason: String,
    pub posts: Vec<PostSnapshot>,
    pub total_granted: Money,
    /// The journal entry that booked this version's change.
    pub entry_id: Option<String>,
    pub created_by: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct ExpenseView {
    pub id: String,
    #[schema(example = "pending")]
    pub status: String,
    pub case_id: String,
    pub budget_year_id: String,
    pub post_id: String,
    pub expense_date: NaiveDate,
    pub amount: Money,
    #[schema(value_type = Option<String>)]
    pub hours: Option<Decimal>,
    pub description: String,
    pub supplier: String,
    pub document_ref: String,
    pub course_country: Option<String>,
    pub decided_by: Option<String>,
    #[serde(serialize_with = "crate::utc::ser_opt")]
    pub decided_at: Option<NaiveDateTime>,
    pub reject_reason: Option<String>,
    /// The journal entry that booked the approval.
    pub entry_id: Option<String>,
    /// The payable to the family created by the approval.
    pub payable_id: Option<String>,
    pub created_by: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct PayableView {
    pub id: String,
    pub case_id: String,
    /// The case system's reference, for the finance system's payment text.
    pub external_ref: String,
    pub amount: Money,
    pub expense_ids: Vec<String>,
    #[schema(example = "open")]
    pub status: String,
    pub payment_id: Option<String>,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

/// What the municipality owes one family: its payables summed, ready for one bank transfer.
#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct FamilyPayable {
    pub case_id: String,
    pub external_ref: String,
    pub amount: Money,
    /// Pay these with `POST /v1/payments`.
    pub payable_ids: Vec<String>,
    pub expense_ids: Vec<String>,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct PaymentView {
    pub id: String,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
    pub amount: Money,
    pub payable_ids: Vec<String>,
    pub entry_id: String,
    pub created_by: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

fn expense_view(e: ExpenseRow, payable_id: Option<String>) -> ExpenseView {
    ExpenseView {
        hours: e.hours(),
        id: e.id,
        status: e.status,
        case_id: e.case_id,
        budget_year_id: e.budget_year_id,
        post_id: e.post_id,
        expense_date: e.expense_date,
        amount: Money::from_ore(e.amount),
        description: e.description,
        supplier: e.supplier,
        document_ref: e.document_ref,
        course_country: e.course_country,
        decided_by: e.decided_by,
        decided_at: e.decided_at,
        reject_reason: e.reject_reason,
        entry_id: e.entry_id,
        payable_id,
        created_by: e.created_by,
        created_at: e.created_at,
    }
}

/// A new rate as an administrator enters it.
#[derive(Clone, Debug)]
pub struct NewRate {
    pub name: String,
    pub valid_from: NaiveDate,
    pub value: Decimal,
    pub unit: String,
    pub source: String,
}

/// A change decided by an amendment: set an existing post's grant, or add a post.
#[derive(Clone, Debug)]
pub enum Change {
    Set { post_id: String, grant: Grant },
    Add(PostSpec),
}

fn cap_on(conn: &mut DbConnection, date: NaiveDate) -> Result<(Money, Rate)> {
    let all = rates_named(conn, Some(TRAINING_EXPENSE_CAP))?;
    let r = rates::in_force(&all, TRAINING_EXPENSE_CAP, date).cloned().ok_or_else(|| {
        Error::rule("rate_missing", format!("no {TRAINING_EXPENSE_CAP} rate is in force on {date}; an administrator must add it"))
            .legal(crate::domain::legal::CAP)
    })?;
    let cap = Money::from_decimal_exact(r.value).map_err(|e| {
        Error::rule(
            "rate_invalid",
            format!(
                "the {TRAINING_EXPENSE_CAP} rate valid from {} is not an amount: {e}",
                r.valid_from
            ),
        )
    })?;
    Ok((cap, r))
}

/// What an expense on `date` is judged against: the case's dates, the budget year, the child's
/// approved spending across budget years and the cap in force on the date.
fn expense_facts(c: &mut DbConnection, case: &Case, y: &YearRow, date: NaiveDate) -> Result<Facts> {
    let (cap, cap_rate) = cap_on(c, date)?;
    Ok(Facts {
        application_date: case.application_date,
        case_end: case.effective_end,
        year_start: y.start_date,
        year_end: y.nominal_end_date.min(case.effective_end),
        approved_spending: approved_spending(c, &y.municipality, &case.id)?,
        cap,
        cap_valid_from: cap_rate.valid_from,
    })
}

/// Each post's state from its expenses.
fn post_states(posts: &[PostRow], expenses: &[ExpenseRow]) -> Vec<PostState> {
    posts
        .iter()
        .map(|p| {
            let mine = expenses.iter().filter(|e| e.post_id == p.id);
            let (mut approved, mut pending, mut hu, mut hp) =
                (Money::ZERO, Money::ZERO, Decimal::ZERO, Decimal::ZERO);
            for e in mine {
                match e.status.as_str() {
                    "approved" => {
                        approved += Money::from_ore(e.amount);
                        hu += e.hours().unwrap_or_default();
                    }
                    "pending" => {
                        pending += Money::from_ore(e.amount);
                        hp += e.hours().unwrap_or_default();
                    }
                    _ => {}
                }
            }
            PostState {
                label: p.label(),
                category: p.category(),
                granted: Money::from_ore(p.granted),
                approved,
                pending,
                hours_granted: p.hours(),
                hours_used: hu,
                hours_pending: hp,
            }
        })
        .collect()
}

fn year_view(conn: &mut DbConnection, municipality: &str, y: &YearRow) -> Result<BudgetYearView> {
    let case = get_case(conn, municipality, &y.case_id)?.view();
    let posts = posts_of_year(conn, municipality, &y.id)?;
    let exps = expenses_of_year(conn, municipality, &y.id)?;
    let states = post_states(&posts, &exps);
    let (cap, cap_rate) = cap_on(conn, y.start_date)?;
    let views: Vec<PostView> = posts
        .iter()
        .zip(states)
        .map(|(p, s)| {
            let grant = match (p.hours(), p.hourly_rate) {
                (Some(h), Some(r)) => Grant::Hours {
                    hours: h,
                    hourly_rate: Money::from_ore(r),
                },
                _ => Grant::Amount(Money::from_ore(p.granted)),
            };
            PostView {
                id: p.id.clone(),
                category: p.category(),
                description: p.description.clone(),
                granted: s.granted,
                approved: s.approved,
                pending: s.pending,
                remaining: s.remaining(),
                hours_granted: s.hours_granted,
                hourly_rate: p.hourly_rate.map(Money::from_ore),
                hours_used: s.hours_used,
                hours_pending: s.hours_pending,
                hours_remaining: s.hours_granted.map(|h| h - s.hours_used),
                account_id: p.account_id.clone(),
                explanation: grant.explain(),
            }
        })
        .collect();
    let total_granted: Money = views.iter().map(|p| p.granted).sum();
    let total_approved: Money = views.iter().map(|p| p.approved).sum();
    Ok(BudgetYearView {
        id: y.id.clone(),
        case_id: y.case_id.clone(),
        start_date: y.start_date,
        end_date: y.nominal_end_date.min(case.effective_end),
        version: y.version,
        total_pending: views.iter().map(|p| p.pending).sum(),
        total_remaining: total_granted - total_approved,
        posts: views,
        total_granted,
        total_approved,
        cap,
        cap_headroom: cap - total_granted,
        cap_rate,
        created_by: y.created_by.clone(),
        created_at: y.created_at,
    })
}

fn snapshot(conn: &mut DbConnection, municipality: &str, year_id: &str) -> Result<String> {
    let posts: Vec<PostSnapshot> = posts_of_year(conn, municipality, year_id)?
        .iter()
        .map(PostRow::snapshot)
        .collect();
    serde_json::to_string(&posts).map_err(|e| Error::internal(e.to_string()))
}

/// Opens the budget account of a post: credited by grants, debited by approved expenses, and
/// never debited beyond its credits. There is no entry kind that moves money between two posts.
fn open_post_account(
    conn: &mut DbConnection,
    municipality: &str,
    post_id: &str,
    label: &str,
    case_ref: &str,
) -> Result<String> {
    let row = accounts::create(
        conn,
        municipality,
        &NewAccount {
            code: format!("BP-{post_id}"),
            name: format!("Budget post {label} (case {case_ref})"),
            kind: AccountKind::Budget,
            constraint: BalanceConstraint::DebitsMustNotExceedCredits,
            owner: Some(post_id.to_string()),
            parent_id: None,
        },
    )?;
    Ok(row.id)
}

/// A new post of a budget year with its own budget account; the caller books its grant.
fn grant_new_post(
    c: &mut DbConnection,
    m: &str,
    year_id: &str,
    line_no: i32,
    spec: &PostSpec,
    case_ref: &str,
) -> Result<PostRow> {
    let id = new_id();
    let label = format!("{} \"{}\"", spec.category, spec.description.trim());
    let account_id = open_post_account(c, m, &id, &label, case_ref)?;
    let (hours, rate) = match &spec.grant {
        Grant::Hours { hours, hourly_rate } => {
            (Some(hours.normalize().to_string()), Some(hourly_rate.ore()))
        }
        Grant::Amount(_) => (None, None),
    };
    let row = PostRow {
        id,
        municipality: m.to_string(),
        budget_year_id: year_id.to_string(),
        line_no,
        category: spec.category.as_str().to_string(),
        description: spec.description.trim().to_string(),
        granted: spec.grant.amount()?.ore(),
        hours_granted: hours,
        hourly_rate: rate,
        account_id,
        created_at: now(),
    };
    insert_posts(c, std::slice::from_ref(&row))?;
    Ok(row)
}

fn appropriation(conn: &mut DbConnection, municipality: &str) -> Result<String> {
    Ok(accounts::by_code(conn, municipality, BUDGET_APPROPRIATION)?.id)
}

impl Ledger {
    // ---- rates ----

    pub fn rates(&self, actor: &Actor, name: Option<&str>) -> Result<Vec<Rate>> {
        self.read(actor, |c| rates_named(c, name))
    }

    pub fn add_rate(&self, actor: &Actor, r: &NewRate) -> Result<Rate> {
        actor.require(&[Role::Admin])?;
        if r.name.is_empty()
            || r.name.len() > 64
            || !r
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(Error::field(
                "invalid_rate_name",
                "name",
                "a rate name is 1-64 lowercase letters, digits and _",
            ));
        }
        if !rates::UNITS.contains(&r.unit.as_str()) {
            return Err(Error::field(
                "invalid_unit",
                "unit",
                format!("unit is one of {}", rates::UNITS.join(", ")),
            ));
        }
        if r.value < Decimal::ZERO {
            return Err(Error::field(
                "invalid_value",
                "value",
                "a rate is not negative",
            ));
        }
        if rates::is_money_rate(&r.name) && r.unit != "DKK" {
            return Err(Error::field(
                "invalid_unit",
                "unit",
                format!("{} is an amount in DKK", r.name),
            ));
        }
        if r.unit == "DKK" {
            Money::from_decimal_exact(r.value)
                .map_err(|e| Error::field("invalid_amount", "value", e.to_string()))?;
        }
        if rates::is_money_rate(&r.name) && r.value <= Decimal::ZERO {
            return Err(Error::field(
                "invalid_value",
                "value",
                format!("{} is a positive amount", r.name),
            ));
        }
        if r.source.trim().is_empty() {
            return Err(Error::field(
                "invalid_source",
                "source",
                "a rate needs its source (the order, circular or publication)",
            ));
        }
        let value = if r.unit == "DKK" {
            Money::from_decimal_exact(r.value)
                .map(|m| m.to_decimal())
                .unwrap_or(r.value)
        } else {
            r.value.normalize()
        };
        let row = RateRow {
            id: new_id(),
            name: r.name.clone(),
            valid_from: r.valid_from,
            value: value.to_string(),
            unit: r.unit.clone(),
            source: r.source.clone(),
            created_by: actor.sub.clone(),
            created_at: now(),
        };
        self.write(actor, |c| {
            if rates::is_money_rate(&row.name) {
                let all = rates_named(c, Some(&row.name))?;
                let before = row.valid_from.pred_opt().and_then(|d| rates::in_force(&all, &row.name, d));
                if let Some(prev) = before.filter(|p| value < p.value) {
                    return Err(Error::field(
                        "rate_decrease",
                        "value",
                        format!(
                            "{} is regulated upward every 1 January by the satsreguleringsprocent (bek. § 6, stk. 5); {value} is below the {} in force from {}",
                            row.name, prev.value, prev.valid_from
                        ),
                    )
                    .legal(crate::domain::legal::CAP));
                }
            }
            insert_rate(c, &row)
        })?;
        Ok(row.view())
    }

    // ---- cases ----

    pub fn create_case(&self, actor: &Actor, c: &NewCase) -> Result<Case> {
        actor.require(&[Role::Caseworker])?;
        case_rules::validate_new_case(c)?;
        let row = CaseRow {
            id: new_id(),
            municipality: actor.municipality.clone(),
            external_ref: c.external_ref.trim().to_string(),
            child_birth_date: c.child_birth_date,
            application_date: c.application_date,
            approval_date: c.approval_date,
            scope: c.scope.as_str().to_string(),
            end_date: None,
            end_reason: None,
            created_by: actor.sub.clone(),
            created_at: now(),
            lock_version: 0,
        };
        self.write(actor, |conn| insert_case(conn, &row))?;
        Ok(row.view())
    }

    pub fn case(&self, actor: &Actor, id: &str) -> Result<Case> {
        actor.require(CASE_READERS)?;
        self.read(actor, |c| Ok(get_case(c, &actor.municipality, id)?.view()))
    }

    pub fn cases(
        &self,
        actor: &Actor,
        external_ref: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Case>> {
        actor.require(CASE_READERS)?;
        self.read(actor, |c| {
            Ok(
                list_cases(c, &actor.municipality, external_ref, after, limit)?
                    .iter()
                    .map(CaseRow::view)
                    .collect(),
            )
        })
    }

    pub fn end_case(
        &self,
        actor: &Actor,
        id: &str,
        end_date: NaiveDate,
        reason: &str,
    ) -> Result<Case> {
        actor.require(&[Role::Caseworker])?;
        self.write(actor, |c| {
            let case = lock_case(c, &actor.municipality, id)?;
            let last = last_live_expense(c, &actor.municipality, id)?;
            case_rules::validate_end(&case.view(), end_date, reason, last)?;
            set_case_end(c, &actor.municipality, id, end_date, reason.trim())?;
            Ok(get_case(c, &actor.municipality, id)?.view())
        })
    }

    // ---- budget years ----

    pub fn create_budget_year(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        case_id: &str,
        start: NaiveDate,
        decided_on: Option<NaiveDate>,
        posts: &[PostSpec],
    ) -> Result<Recorded> {
        actor.require(&[Role::Caseworker])?;
        if posts.is_empty() {
            return Err(Error::field(
                "no_posts",
                "posts",
                "a budget year grants at least one post",
            ));
        }
        if posts.len() > MAX_POSTS {
            return Err(Error::field(
                "too_many_posts",
                "posts",
                format!("a budget year has at most {MAX_POSTS} posts"),
            ));
        }
        let mut total = Money::ZERO;
        for (i, p) in posts.iter().enumerate() {
            total += budget::validate_post(&format!("posts[{i}]"), p)?;
        }
        self.idempotent(actor, key, 201, |c| {
            let m = &actor.municipality;
            let case = lock_case(c, m, case_id)?;
            let cv = case.view();
            let others: Vec<(NaiveDate, NaiveDate)> =
                years_of_case(c, &actor.municipality, case_id)?
                    .iter()
                    .map(|y| (y.start_date, y.nominal_end_date.min(cv.effective_end)))
                    .collect();
            budget::validate_start(start, cv.application_date, cv.effective_end, &others)?;
            let (cap, cap_rate) = cap_on(c, start)?;
            budget::check_cap(total, cap, cap_rate.valid_from, start)?;
            let year = YearRow {
                id: new_id(),
                municipality: m.clone(),
                case_id: case_id.to_string(),
                start_date: start,
                nominal_end_date: crate::domain::twelve_months_from(start),
                version: 1,
                created_by: actor.sub.clone(),
                created_at: now(),
            };
            insert_year(c, &year)?;
            let approp = appropriation(c, m)?;
            let date = periods::first_open_on_or_after(c, m, start)?;
            let mut entry = NewEntry::new(
                EntryKind::BudgetGrant,
                date,
                format!("Budget year {start} granted, case {}", cv.external_ref),
            )
            .source("budget_year", &year.id);
            for (i, p) in posts.iter().enumerate() {
                let row = grant_new_post(c, m, &year.id, i as i32 + 1, p, &cv.external_ref)?;
                let amount = Money::from_ore(row.granted);
                entry = entry
                    .line(PostingLine::debit(&approp, amount))
                    .line(PostingLine::credit(&row.account_id, amount));
            }
            let posted = journal::post(c, actor, &entry)?;
            let snap = snapshot(c, &actor.municipality, &year.id)?;
            insert_version(
                c,
                &VersionRow {
                    budget_year_id: year.id.clone(),
                    version: 1,
                    decided_on: decided_on.unwrap_or(case.approval_date.max(start)),
                    reason: "budget granted".into(),
                    snapshot: snap,
                    entry_id: Some(posted.id),
                    created_by: actor.sub.clone(),
                    created_at: now(),
                },
            )?;
            year_view(c, m, &year)
        })
    }

    pub fn budget_year(&self, actor: &Actor, id: &str) -> Result<BudgetYearView> {
        actor.require(CASE_READERS)?;
        self.read(actor, |c| {
            let y = get_year(c, &actor.municipality, id)?;
            year_view(c, &actor.municipality, &y)
        })
    }

    pub fn budget_years_of_case(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<Vec<BudgetYearView>> {
        actor.require(CASE_READERS)?;
        self.read(actor, |c| {
            get_case(c, &actor.municipality, case_id)?;
            let ys = years_of_case(c, &actor.municipality, case_id)?;
            ys.iter()
                .map(|y| year_view(c, &actor.municipality, y))
                .collect()
        })
    }

    pub fn budget_versions(&self, actor: &Actor, id: &str) -> Result<Vec<BudgetVersion>> {
        actor.require(CASE_READERS)?;
        self.read(actor, |c| {
            get_year(c, &actor.municipality, id)?;
            versions_of_year(c, id)?
                .into_iter()
                .map(|v| {
                    let posts: Vec<PostSnapshot> = serde_json::from_str(&v.snapshot)
                        .map_err(|e| Error::internal(e.to_string()))?;
                    Ok(BudgetVersion {
                        version: v.version,
                        decided_on: v.decided_on,
                        reason: v.reason,
                        total_granted: posts.iter().map(|p| p.granted).sum(),
                        posts,
                        entry_id: v.entry_id,
                        created_by: v.created_by,
                        created_at: v.created_at,
                    })
                })
                .collect()
        })
    }

    /// A supplementary decision (tillægsbevilling): raise, lower or add posts, checked against
    /// the cap again; optimistic concurrency on the budget year's version.
    pub fn amend_budget_year(
        &self,
        actor: &Actor,
        id: &str,
        if_match: i32,
        decided_on: NaiveDate,
        reason: &str,
        changes: &[Change],
    ) -> Result<BudgetYearView> {
        actor.require(&[Role::Caseworker])?;
        if reason.trim().is_empty() || reason.chars().count() > 500 {
            return Err(Error::field(
                "invalid_reason",
                "reason",
                "an amendment needs a reason of 1-500 characters",
            ));
        }
        case_rules::reject_cpr_in_text("reason", reason)?;
        if changes.is_empty() {
            return Err(Error::field(
                "no_changes",
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
                "duplicate_change",
                "changes",
                format!(
                    "post {} is changed twice in one amendment; give its new grant once",
                    w[0]
                ),
            ));
        }
        for (i, ch) in changes.iter().enumerate() {
            match ch {
                Change::Add(p) => {
                    budget::validate_post(&format!("changes[{i}]"), p)?;
                }
                Change::Set { grant, .. } => {
                    let spec = PostSpec {
                        category: Category::HelperTrainers,
                        description: "x".into(),
                        grant: grant.clone(),
                    };
                    if let Grant::Amount(m) = grant {
                        if !m.is_positive() && *m != Money::ZERO {
                            return Err(Error::field(
                                "invalid_amount",
                                &format!("changes[{i}].amount"),
                                "a post's new amount is 0.00 or more",
                            ));
                        }
                    } else {
                        budget::validate_post(&format!("changes[{i}]"), &spec)?;
                    }
                }
            }
        }
        self.write(actor, |c| {
            let m = &actor.municipality;
            let y = get_year(c, m, id)?;
            let case = lock_case(c, m, &y.case_id)?.view();
            if y.version != if_match {
                return Err(Error::new(
                    ErrorKind::PreconditionFailed,
                    "version_mismatch",
                    format!("the budget year is at version {}, not {if_match}; read it again and decide on the current version", y.version),
                ));
            }
            if decided_on < case.application_date || decided_on > chrono::Utc::now().date_naive() {
                return Err(Error::field(
                    "invalid_decided_on",
                    "decided_on",
                    "a decision is dated between the application date and today",
                ));
            }
            let added = changes.iter().filter(|ch| matches!(ch, Change::Add(_))).count();
            if posts_of_year(c, &actor.municipality, id)?.len() + added > MAX_POSTS {
                return Err(Error::field("too_many_posts", "changes", format!("a budget year has at most {MAX_POSTS} posts")));
            }
            let posts = posts_of_year(c, &actor.municipality, id)?;
            let exps = expenses_of_year(c, &actor.municipality, id)?;
            let states = post_states(&posts, &exps);
            let approp = appropriation(c, m)?;
            let date = periods::first_open_on_or_after(c, m, decided_on)?;
            let mut entry = NewEntry::new(EntryKind::BudgetAmendment, date, format!("Budget amendment v{}: {}", y.version + 1, reason.trim())).source("budget_year", id);
            let mut total: Money = posts.iter().map(|p| Money::from_ore(p.granted)).sum();
            let mut next_line = posts.len() as i32 + 1;
            for (i, ch) in changes.iter().enumerate() {
                match ch {
                    Change::Set { post_id, grant } => {
                        let (idx, p) = posts.iter().enumerate().find(|(_, p)| &p.id == post_id).ok_or_else(|| {
                            Error::field("post_not_granted", &format!("changes[{i}].post_id"), format!("post {post_id} is not a post of this budget year"))
                        })?;
                        if matches!(grant, Grant::Hours { .. }) && p.category() != Category::HelperTrainers {
                            return Err(Error::field("hours_only_for_helper_trainers", &format!("changes[{i}].hours"), "only a helper-trainer post is granted in hours"));
                        }
                        let new_amount = grant.amount()?;
                        let s = &states[idx];
                        budget::check_lowering(&p.label(), new_amount, s.approved, grant.hours(), s.hours_used)?;
                        let old = Money::from_ore(p.granted);
                        total = total - old + new_amount;
                        if new_amount > old {
                            entry = entry.line(PostingLine::debit(&approp, new_amount - old)).line(PostingLine::credit(&p.account_id, new_amount - old));
                        } else if new_amount < old {
                            entry = entry.line(PostingLine::debit(&p.account_id, old - new_amount)).line(PostingLine::credit(&approp, old - new_amount));
                        }
                        let rate = match grant {
                            Grant::Hours { hourly_rate, .. } => Some(*hourly_rate),
                            Grant::Amount(_) => None,
                        };
                        // An amount-only change to an hour post keeps its hours as the limit.
                        let (hours, rate) = match grant {
                            Grant::Amount(_) if p.hours().is_some() => (p.hours(), p.hourly_rate.map(Money::from_ore)),
                            _ => (grant.hours(), rate),
                        };
                        update_post_grant(c, &actor.municipality, &p.id, new_amount, hours, rate)?;
                    }
                    Change::Add(spec) => {
                        let row = grant_new_post(c, m, id, next_line, spec, &case.external_ref)?;
                        let amount = Money::from_ore(row.granted);
                        total += amount;
                        entry = entry.line(PostingLine::debit(&approp, amount)).line(PostingLine::credit(&row.account_id, amount));
                        next_line += 1;
                    }
                }
            }
            let (cap, cap_rate) = cap_on(c, y.start_date)?;
            budget::check_cap(total, cap, cap_rate.valid_from, y.start_date)?;
            if !bump_version(c, &actor.municipality, id, if_match)? {
                return Err(Error::new(ErrorKind::PreconditionFailed, "version_mismatch", "the budget year changed meanwhile; read it again"));
            }
            let entry_id = if entry.postings.is_empty() { None } else { Some(journal::post(c, actor, &entry)?.id) };
            let snap = snapshot(c, &actor.municipality, id)?;
            insert_version(
                c,
                &VersionRow {
                    budget_year_id: id.to_string(),
                    version: if_match + 1,
                    decided_on,
                    reason: reason.trim().to_string(),
                    snapshot: snap,
                    entry_id,
                    created_by: actor.sub.clone(),
                    created_at: now(),
                },
            )?;
            let y = get_year(c, m, id)?;
            year_view(c, m, &y)
        })
    }

    // ---- expenses ----

    pub fn submit_expense(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        year_id: &str,
        e: &NewExpense,
    ) -> Result<Recorded> {
        actor.require(&[Role::Caseworker])?;
        expense_rules::validate_shape(e)?;
        self.idempotent(actor, key, 201, |c| {
            let m = &actor.municipality;
            let y = get_year(c, m, year_id)?;
            let case = lock_case(c, m, &y.case_id)?.view();
            let posts = posts_of_year(c, &actor.municipality, year_id)?;
            let Some(idx) = posts.iter().position(|p| p.id == e.post_id) else {
                return Err(Error::field(
                    "post_not_granted",
                    "post_id",
                    format!("post {} was not granted in this budget year; an expense on a post that was not granted is at the family's risk until a decision covers it", e.post_id),
                )
                .legal(crate::domain::legal::POST_NOT_GRANTED));
            };
            let post = &posts[idx];
            expense_rules::check_hours_use(&post.label(), post.hours(), e.hours)?;
            let facts = expense_facts(c, &case, &y, e.expense_date)?;
            expense_rules::check_dates(e.expense_date, &facts)?;
            expense_rules::check_course(post.category(), e.course_country.as_deref())?;
            let states = post_states(&posts, &expenses_of_year(c, &actor.municipality, year_id)?);
            expense_rules::check_post_left(&states[idx], e.amount, e.hours, true)?;
            expense_rules::check_rolling_cap(e.expense_date, e.amount, &facts)?;
            let row = ExpenseRow {
                id: new_id(),
                municipality: m.clone(),
                case_id: y.case_id.clone(),
                budget_year_id: year_id.to_string(),
                post_id: post.id.clone(),
                expense_date: e.expense_date,
                amount: e.amount.ore(),
                hours: e.hours.map(|h| h.normalize().to_string()),
                description: e.description.trim().to_string(),
                supplier: e.supplier.trim().to_string(),
                document_ref: e.document_ref.trim().to_string(),
                course_country: e.course_country.clone(),
                status: "pending".into(),
                decided_by: None,
                decided_at: None,
                reject_reason: None,
                entry_id: None,
                created_by: actor.sub.clone(),
                created_at: now(),
            };
            insert_expense(c, &row)?;
            Ok(expense_view(row, None))
        })
    }

    pub fn expense(&self, actor: &Actor, id: &str) -> Result<ExpenseView> {
        actor.require(CASE_READERS)?;
        self.read(actor, |c| {
            let e = get_expense(c, &actor.municipality, id)?;
            let p = payable_of_expense(c, &actor.municipality, &e.id)?.map(|p| p.id);
            Ok(expense_view(e, p))
        })
    }

    pub fn expenses_of_year(&self, actor: &Actor, year_id: &str) -> Result<Vec<ExpenseView>> {
        actor.require(CASE_READERS)?;
        self.read(actor, |c| {
            get_year(c, &actor.municipality, year_id)?;
            let rows = expenses_of_year(c, &actor.municipality, year_id)?;
            rows.into_iter()
                .map(|e| {
                    let p = payable_of_expense(c, &actor.municipality, &e.id)?.map(|p| p.id);
                    Ok(expense_view(e, p))
                })
                .collect()
        })
    }

    /// Approving books the expense (expense account of the post's category against the payable
    /// to the family) and consumes the post's budget account, in one transaction.
    /// With an Idempotency-Key a retried approval answers with the first one's result instead of
    /// `expense_not_pending`.
    pub fn approve_expense(
        &self,
        actor: &Actor,
        id: &str,
        key: Option<&IdempotencyKey>,
    ) -> Result<Recorded> {
        actor.require(&[Role::Caseworker])?;
        let approve = |c: &mut DbConnection| -> Result<ExpenseView> {
            let m = &actor.municipality;
            let e = get_expense(c, m, id)?;
            let case = lock_case(c, m, &e.case_id)?.view();
            let e = get_expense(c, m, id)?;
            if e.status != "pending" {
                return Err(Error::conflict(
                    "expense_not_pending",
                    format!("expense {id} is already {}", e.status),
                ));
            }
            let y = get_year(c, m, &e.budget_year_id)?;
            let posts = posts_of_year(c, &actor.municipality, &y.id)?;
            let idx = posts
                .iter()
                .position(|p| p.id == e.post_id)
                .ok_or_else(|| Error::internal("expense without its post"))?;
            let post = &posts[idx];
            let amount = Money::from_ore(e.amount);
            let facts = expense_facts(c, &case, &y, e.expense_date)?;
            expense_rules::check_dates(e.expense_date, &facts)?;
            let states = post_states(&posts, &expenses_of_year(c, &actor.municipality, &y.id)?);
            expense_rules::check_post_left(&states[idx], amount, e.hours(), false)?;
            expense_rules::check_rolling_cap(e.expense_date, amount, &facts)?;
            let expense_acc =
                accounts::by_code(c, m, expense_account_for_category(&post.category))?.id;
            let payable_acc = accounts::by_code(c, m, chart::PAYABLES_TO_FAMILIES)?.id;
            let approp = appropriation(c, m)?;
            let date = periods::first_open_on_or_after(c, m, e.expense_date)?;
            let entry = NewEntry::new(
                EntryKind::ExpenseApproved,
                date,
                format!(
                    "Expense {} approved: {} ({}), case {}",
                    e.document_ref,
                    e.description,
                    post.label(),
                    case.external_ref
                ),
            )
            .source("expense", &e.id)
            .line(PostingLine::debit(&expense_acc, amount))
            .line(PostingLine::credit(&payable_acc, amount))
            .line(PostingLine::debit(&post.account_id, amount))
            .line(PostingLine::credit(&approp, amount));
            let posted = journal::post(c, actor, &entry).map_err(|err| {
                // The post's budget account is the last word on overspending, even under a race.
                if err.code == "balance_constraint_violated" {
                    Error::rule("budget_post_exceeded", format!("post {} has not enough left for {amount}; money cannot be moved between posts", post.label()))
                        .legal(crate::domain::legal::RIGID_POSTS)
                } else {
                    err
                }
            })?;
            let at = now();
            let d = Decision {
                status: "approved",
                by: &actor.sub,
                at,
                reason: None,
                entry_id: Some(&posted.id),
            };
            if !decide_expense(c, &actor.municipality, id, &d)? {
                return Err(Error::conflict(
                    "expense_not_pending",
                    format!("expense {id} was decided meanwhile"),
                ));
            }
            let payable = PayableRow {
                id: new_id(),
                municipality: m.clone(),
                case_id: case.id.clone(),
                expense_id: e.id.clone(),
                amount: e.amount,
                status: "open".into(),
                payment_id: None,
                created_at: at,
            };
            insert_payable(c, &payable)?;
            Ok(expense_view(get_expense(c, m, id)?, Some(payable.id)))
        };
        match key {
            Some(k) => self.idempotent(actor, k, 200, approve),
            None => {
                let v = self.write(actor, approve)?;
                let body = serde_json::to_string(&v).map_err(|e| Error::internal(e.to_string()))?;
                Ok(Recorded {
                    replayed: false,
                    status: 200,
                    body,
                })
            }
        }
    }

    pub fn reject_expense(&self, actor: &Actor, id: &str, reason: &str) -> Result<ExpenseView> {
        actor.require(&[Role::Caseworker])?;
        if reason.trim().is_empty() || reason.chars().count() > 500 {
            return Err(Error::field(
                "invalid_reason",
                "reason",
                "a rejection needs a reason of 1-500 characters",
            ));
        }
        case_rules::reject_cpr_in_text("reason", reason)?;
        self.write(actor, |c| {
            let e = get_expense(c, &actor.municipality, id)?;
            let d = Decision {
                status: "rejected",
                by: &actor.sub,
                at: now(),
                reason: Some(reason.trim()),
                entry_id: None,
            };
            if !decide_expense(c, &actor.municipality, id, &d)? {
                return Err(Error::conflict(
                    "expense_not_pending",
                    format!("expense {id} is already {}", e.status),
                ));
            }
            Ok(expense_view(get_expense(c, &actor.municipality, id)?, None))
        })
    }

    // ---- payables and payments ----

    pub fn payables(
        &self,
        actor: &Actor,
        status: Option<&str>,
        case_id: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PayableView>> {
        actor.require(&[Role::Finance, Role::Controller, Role::Admin])?;
        self.read(actor, |c| {
            Ok(
                list_payables(c, &actor.municipality, status, case_id, after, limit)?
                    .into_iter()
                    .map(|(p, external_ref)| PayableView {
                        id: p.id,
                        case_id: p.case_id,
                        external_ref,
                        amount: Money::from_ore(p.amount),
                        expense_ids: vec![p.expense_id],
                        status: p.status,
                        payment_id: p.payment_id,
                        created_at: p.created_at,
                    })
                    .collect(),
            )
        })
    }

    /// Open payables summed per family (case), for a finance system that pays each family once.
    pub fn payables_by_family(&self, actor: &Actor) -> Result<Vec<FamilyPayable>> {
        let all = self.payables(actor, Some("open"), None, None, i64::MAX)?;
        let mut out: Vec<FamilyPayable> = vec![];
        for p in all {
            match out.iter_mut().find(|f| f.case_id == p.case_id) {
                Some(f) => {
                    f.amount += p.amount;
                    f.payable_ids.push(p.id);
                    f.expense_ids.extend(p.expense_ids);
                }
                None => out.push(FamilyPayable {
                    case_id: p.case_id,
                    external_ref: p.external_ref,
                    amount: p.amount,
                    payable_ids: vec![p.id],
                    expense_ids: p.expense_ids,
                }),
            }
        }
        out.sort_by(|a, b| a.external_ref.cmp(&b.external_ref));
        Ok(out)
    }

    /// Pays payables: books them against the bank in one entry; a payable is paid once.
    pub fn pay(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        payable_ids: &[String],
        paid_on: NaiveDate,
        bank_reference: &str,
    ) -> Result<Recorded> {
        actor.require(&[Role::Finance])?;
        if payable_ids.is_empty() || payable_ids.len() > 1000 {
            return Err(Error::field(
                "invalid_payables",
                "payable_ids",
                "a payment covers 1-1000 payables",
            ));
        }
        let mut uniq = payable_ids.to_vec();
        uniq.sort();
        uniq.dedup();
        if uniq.len() != payable_ids.len() {
            return Err(Error::field(
                "duplicate_payables",
                "payable_ids",
                "a payable is listed twice",
            ));
        }
        if bank_reference.trim().is_empty() || bank_reference.chars().count() > 100 {
            return Err(Error::field(
                "invalid_bank_reference",
                "bank_reference",
                "the bank reference is 1-100 characters",
            ));
        }
        case_rules::reject_cpr_in_text("bank_reference", bank_reference)?;
        self.idempotent(actor, key, 201, |c| {
            let m = &actor.municipality;
            let payment_id = new_id();
            let mut total = Money::ZERO;
            for (i, pid) in payable_ids.iter().enumerate() {
                let p = get_payable(c, m, pid)?.ok_or_else(|| {
                    Error::field(
                        "payable_not_found",
                        &format!("payable_ids[{i}]"),
                        format!("payable {pid} does not exist"),
                    )
                    .with_kind(ErrorKind::NotFound)
                })?;
                total += Money::from_ore(p.amount);
                let e = get_expense(c, m, &p.expense_id)?;
                if paid_on < e.expense_date {
                    return Err(Error::field(
                        "payment_before_expense",
                        "paid_on",
                        format!(
                            "payable {pid} covers an expense of {}; it cannot be paid before that",
                            e.expense_date
                        ),
                    ));
                }
            }
            let bank = accounts::by_code(c, m, chart::BANK)?.id;
            let payable_acc = accounts::by_code(c, m, chart::PAYABLES_TO_FAMILIES)?.id;
            let date = paid_on;
            let entry = NewEntry::new(
                EntryKind::Payment,
                date,
                format!(
                    "Payment {} of {} payable(s)",
                    bank_reference.trim(),
                    payable_ids.len()
                ),
            )
            .source("payment", &payment_id)
            .line(PostingLine::debit(&payable_acc, total))
            .line(PostingLine::credit(&bank, total));
            let posted = journal::post(c, actor, &entry)?;
            insert_payment(
                c,
                &PaymentRow {
                    id: payment_id.clone(),
                    municipality: m.clone(),
                    paid_on,
                    bank_reference: bank_reference.trim().to_string(),
                    amount: total.ore(),
                    entry_id: posted.id.clone(),
                    created_by: actor.sub.clone(),
                    created_at: now(),
                },
            )?;
            for (i, pid) in payable_ids.iter().enumerate() {
                if !mark_paid(c, &actor.municipality, pid, &payment_id)? {
                    return Err(Error::conflict(
                        "payable_already_paid",
                        format!("payable {pid} is already paid; a payable is paid once"),
                    )
                    .with_field(&format!("payable_ids[{i}]"), "already paid"));
                }
            }
            Ok(PaymentView {
                id: payment_id.clone(),
                paid_on,
                bank_reference: bank_reference.trim().to_string(),
                amount: total,
                payable_ids: payable_ids.to_vec(),
                entry_id: posted.id,
                created_by: actor.sub.clone(),
                created_at: now(),
            })
        })
    }
}
