//! The annual statement of a budget year (caseworker, controller): per post what was granted in
//! every version, approved, prepaid, unspent and short; the claims of the year (claimed, waived,
//! repaid); the documented expenses outside an agreement; the lost earnings paid on the case in
//! the year's months; the decisions taken in the year; and the deadlines met or missed. One
//! account of the year that a controller reconciles against the ledger.
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::read::budget_years::{self, PostView};
use crate::read::settlements;
use crate::store::{budgets, cases, clawbacks, decisions, expenses, payroll, Tx};
use bookkeeping::Money;
use chrono::NaiveDate;
use rules::correction::claim_shares::{self, ClaimFigures};
use serde::Serialize;

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct GrantedVersion {
    pub version: i32,
    pub decided_on: NaiveDate,
    pub granted: Money,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct StatementPost {
    pub post_id: String,
    #[schema(example = "equipment")]
    pub category: String,
    /// The category as the family and the printed statement name it.
    #[schema(example = "Udstyr og materialer")]
    pub category_name: String,
    pub description: String,
    /// What each version of the budget granted the post.
    pub granted_versions: Vec<GrantedVersion>,
    pub granted: Money,
    pub approved: Money,
    /// Its share of the installments paid (0.00 outside an agreement).
    pub prepaid: Money,
    pub unspent: Money,
    pub shortfall: Money,
    /// The post's share of the year's claims: a settlement's in proportion to each post's
    /// unspent amount (to the øre, the remaining øre to the largest remainders), an annulled
    /// expense's on its own post. The posts add up to the year's `claimed`, `waived`, `repaid`.
    pub claimed: Money,
    pub waived: Money,
    pub repaid: Money,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct StatementExpense {
    pub expense_id: String,
    pub date: NaiveDate,
    #[schema(example = "equipment")]
    pub category: String,
    pub description: String,
    pub amount: Money,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct StatementMonth {
    #[schema(example = "2025-03")]
    pub month: String,
    pub gross: Money,
    pub pension: Money,
    pub atp: Money,
    pub pay_before_tax: Money,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct StatementDecision {
    pub id: String,
    #[schema(example = "expense_approved")]
    pub kind: String,
    /// The decision's title in Danish, as its letter has it.
    #[schema(example = "Afgørelse om dækning af udgift")]
    pub title: String,
    pub decided_on: NaiveDate,
    #[schema(example = "granted")]
    pub outcome: String,
    pub amount: Option<Money>,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct Deadline {
    pub due: NaiveDate,
    /// When it was met (the next year granted, the accounts settled); null while not.
    pub met_on: Option<NaiveDate>,
    /// `met`, `missed` (passed without being met, or met late) or `open`.
    #[schema(example = "met")]
    pub status: String,
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct Statement {
    /// The municipality's name (its setting, else the official name for its code).
    #[schema(example = "Københavns Kommune")]
    pub municipality_name: String,
    pub budget_year_id: String,
    pub case_id: String,
    pub case_ref: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub posts: Vec<StatementPost>,
    pub total_granted: Money,
    pub total_approved: Money,
    pub total_prepaid: Money,
    pub total_unspent: Money,
    pub total_shortfall: Money,
    /// The year's claims (its settlement's and its annulled expenses'): claimed, waived, repaid.
    pub claimed: Money,
    pub waived: Money,
    pub repaid: Money,
    /// Approved expenses paid on documentation (not from an advance).
    pub documented_expenses: Vec<StatementExpense>,
    /// Lost earnings paid on the case in the year's months, per month.
    pub lost_earnings: Vec<StatementMonth>,
    pub decisions: Vec<StatementDecision>,
    /// The proposal for the next year, and the documentation of this one.
    pub proposal: Deadline,
    pub documentation: Deadline,
}

fn deadline(due: NaiveDate, met_on: Option<NaiveDate>, today: NaiveDate) -> Deadline {
    let status = match met_on {
        Some(d) if d <= due => "met",
        Some(_) => "missed",
        None if today > due => "missed",
        None => "open",
    };
    Deadline {
        due,
        met_on,
        status: status.into(),
    }
}

pub fn statement(tx: &mut Tx, ctx: &Ctx, year_id: &str) -> Result<Statement> {
    ctx.require(CASE_READERS)?;
    let m = &ctx.municipality;
    let y = budget_years::get(tx, ctx, year_id)?;
    let case = cases::get(tx, m, &y.case_id)?.ok_or_else(|| super::cases::not_found(&y.case_id))?;
    let versions = budget_years::versions(tx, ctx, year_id)?;
    // The settlement in force, read once: its posts here, its dates for the deadline below.
    let settled = crate::store::settlements::of_year(tx, m, year_id)?;
    let documented = settled.as_ref().map(|s| {
        s.accounts_complete_on
            .unwrap_or(crate::context::date_in_denmark(s.created_at))
    });
    let settlement = match settled {
        Some(r) => Some(settlements::view(tx, r)?),
        None => None,
    };
    let share = |p: &PostView| {
        settlement
            .as_ref()
            .and_then(|s| s.posts.iter().find(|x| x.post_id == p.id))
            .map(|x| (x.prepaid, x.unspent, x.shortfall))
            .unwrap_or((Money::ZERO, Money::ZERO, Money::ZERO))
    };
    let mut posts: Vec<StatementPost> = y
        .posts
        .iter()
        .map(|p| {
            let (prepaid, unspent, shortfall) = share(p);
            StatementPost {
                post_id: p.id.clone(),
                category: p.category.as_str().to_string(),
                category_name: rules::decision::wording::category(p.category.as_str()).to_string(),
                description: p.description.clone(),
                granted_versions: versions
                    .iter()
                    .filter_map(|v| {
                        let g = v.posts.iter().find(|s| s.post_id == p.id)?;
                        Some(GrantedVersion {
                            version: v.version,
                            decided_on: v.decided_on,
                            granted: g.granted,
                        })
                    })
                    .collect(),
                granted: p.granted,
                approved: p.approved,
                prepaid,
                unspent,
                shortfall,
                claimed: Money::ZERO,
                waived: Money::ZERO,
                repaid: Money::ZERO,
            }
        })
        .collect();
    // The year's claims: its settlement's, and those of expenses of the year annulled after
    // being paid.
    let year_expenses = expenses::of_year(tx, m, year_id)?;
    let ids: Vec<String> = year_expenses.iter().map(|e| e.id.clone()).collect();
    let claims =
        clawbacks::of_year_claims(tx, m, &ids, settlement.as_ref().map(|s| s.id.as_str()))?;
    let claimed: Money = claims.iter().map(|c| Money::from_ore(c.amount)).sum();
    let waived: Money = claims
        .iter()
        .filter(|c| c.status != "proposed" && c.status != "cancelled")
        .map(|c| Money::from_ore(c.proposed_amount - c.amount))
        .sum();
    let repaid: Money = claims.iter().map(|c| Money::from_ore(c.repaid)).sum();
    let figures: Vec<ClaimFigures> = claims
        .iter()
        .map(|c| {
            let decided = c.status != "proposed" && c.status != "cancelled";
            ClaimFigures {
                claimed: c.amount,
                waived: if decided {
                    c.proposed_amount - c.amount
                } else {
                    0
                },
                repaid: c.repaid,
                post: c.expense_id.as_ref().and_then(|e| {
                    let post = &year_expenses.iter().find(|x| &x.id == e)?.post_id;
                    posts.iter().position(|p| &p.post_id == post)
                }),
            }
        })
        .collect();
    let ore =
        |f: fn(&StatementPost) -> Money| -> Vec<i64> { posts.iter().map(|p| f(p).ore()).collect() };
    let shares = claim_shares::by_post(&figures, &ore(|p| p.unspent), &ore(|p| p.granted));
    for (p, [c, w, r]) in posts.iter_mut().zip(shares) {
        p.claimed = Money::from_ore(c);
        p.waived = Money::from_ore(w);
        p.repaid = Money::from_ore(r);
    }
    let sum = |f: fn(&StatementPost) -> Money| posts.iter().map(f).sum::<Money>();
    let from = y.retroactive_from.unwrap_or(y.start_date);
    let rows = budgets::posts_of_year(tx, m, year_id)?;
    let documented_expenses = year_expenses
        .into_iter()
        .filter(|e| e.status == "approved" && !e.against_advance)
        .map(|e| {
            let post = rows.iter().find(|r| r.id == e.post_id);
            StatementExpense {
                date: e.service_from,
                category: post.map(|p| p.category.clone()).unwrap_or_default(),
                description: e.description,
                amount: Money::from_ore(e.amount),
                expense_id: e.id,
            }
        })
        .collect();
    let lost_earnings = payroll::paid_by_month_of_case(tx, m, &y.case_id, from, y.end_date)?
        .into_iter()
        .map(|(month, (gross, pension, atp, pay))| StatementMonth {
            month: month.format("%Y-%m").to_string(),
            gross: Money::from_ore(gross),
            pension: Money::from_ore(pension),
            atp: Money::from_ore(atp),
            pay_before_tax: Money::from_ore(pay),
        })
        .collect();
    // The decisions about the year (its budget, expenses, settlement and claims), whenever
    // taken, and any other decision on the case taken in the year.
    let mut about_year: std::collections::HashSet<String> = ids.iter().cloned().collect();
    about_year.insert(year_id.to_string());
    about_year.extend(claims.iter().map(|c| c.id.clone()));
    if let Some(s) = &settlement {
        about_year.insert(s.id.clone());
    }
    let decisions = decisions::of_case(tx, m, &y.case_id)?
        .into_iter()
        .filter(|d| {
            (d.decided_on >= from && d.decided_on <= y.end_date)
                || about_year.contains(&d.subject_id)
        })
        .map(|d| StatementDecision {
            id: d.id,
            title: rules::decision::DecisionKind::parse(&d.kind)
                .map(rules::decision::letter::title)
                .unwrap_or("Afgørelse")
                .to_string(),
            kind: d.kind,
            decided_on: d.decided_on,
            outcome: d.outcome,
            amount: d.amount.map(Money::from_ore),
        })
        .collect();
    let next = budgets::years_of_case(tx, m, &y.case_id)?
        .into_iter()
        .find(|n| n.start_date > y.start_date)
        .map(|n| crate::context::date_in_denmark(n.created_at));
    Ok(Statement {
        municipality_name: crate::store::settings::name_of(tx, m)?,
        budget_year_id: y.id.clone(),
        case_id: y.case_id.clone(),
        case_ref: case.external_ref,
        start_date: from,
        end_date: y.end_date,
        total_granted: sum(|p| p.granted),
        total_approved: sum(|p| p.approved),
        total_prepaid: sum(|p| p.prepaid),
        total_unspent: sum(|p| p.unspent),
        total_shortfall: sum(|p| p.shortfall),
        posts,
        claimed,
        waived,
        repaid,
        documented_expenses,
        lost_earnings,
        decisions,
        proposal: deadline(y.proposal_due, next, ctx.today),
        documentation: deadline(y.documentation_due, documented, ctx.today),
    })
}

/// The posts as CSV, a line each with its category as in the API and a total line;
/// `danish`: `;`, decimal commas and a UTF-8 byte-order mark. Text cells a spreadsheet would
/// take for a formula are prefixed with `'`.
pub fn csv(st: &Statement, danish: bool) -> crate::store::StoreResult<Vec<u8>> {
    use crate::read::spreadsheet::{text_cell, Sheet};
    let mut w = Sheet::new(danish, true);
    w.row([
        "post_id",
        "category",
        "description",
        "granted",
        "approved",
        "prepaid",
        "unspent",
        "shortfall",
        "claimed",
        "waived",
        "repaid",
    ])?;
    for p in &st.posts {
        w.row([
            p.post_id.clone(),
            p.category.clone(),
            text_cell(&p.description),
            w.money(p.granted),
            w.money(p.approved),
            w.money(p.prepaid),
            w.money(p.unspent),
            w.money(p.shortfall),
            w.money(p.claimed),
            w.money(p.waived),
            w.money(p.repaid),
        ])?;
    }
    w.row([
        "total".to_string(),
        String::new(),
        String::new(),
        w.money(st.total_granted),
        w.money(st.total_approved),
        w.money(st.total_prepaid),
        w.money(st.total_unspent),
        w.money(st.total_shortfall),
        w.money(st.claimed),
        w.money(st.waived),
        w.money(st.repaid),
    ])?;
    w.finish()
}
