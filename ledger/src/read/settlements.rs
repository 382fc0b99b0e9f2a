//! The annual accounts of a fixed-amount agreement, post by post and in total.
use crate::context::{Ctx, CASE_READERS};
use crate::error::Result;
use crate::store::settlements::{self, SettlementRow};
use crate::store::{budgets, payables, StoreResult, Tx};
use bookkeeping::{Code, Error, Money};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct SettlementPost {
    pub post_id: String,
    pub granted: Money,
    /// Its share of the installments paid.
    pub prepaid: Money,
    pub approved: Money,
    /// max(0, prepaid − approved)
    pub unspent: Money,
    /// max(0, approved − prepaid)
    pub shortfall: Money,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct SettlementView {
    pub id: String,
    pub budget_year_id: String,
    pub case_id: String,
    pub posts: Vec<SettlementPost>,
    pub total_prepaid: Money,
    pub total_approved: Money,
    pub total_unspent: Money,
    pub total_shortfall: Money,
    /// What the municipality may ask back, in total (vejledningen pkt. 157 e).
    pub net_unspent: Money,
    /// What the family is owed, in total: a payable.
    pub net_shortfall: Money,
    /// `claim`, `waive` or `offset`, once decided.
    #[schema(example = "claim")]
    pub decision: Option<String>,
    pub decision_id: Option<String>,
    /// The payable of a shortfall.
    pub payable_id: Option<String>,
    /// The family's confirmation that its accounts were complete, when they were settled
    /// before the documentation deadline.
    pub accounts_complete_on: Option<chrono::NaiveDate>,
    /// The hearing on the unspent money (a claim is decided only after it).
    pub hearing: Option<crate::read::clawbacks::HearingView>,
    /// The decision that reopened it: its entries are reversed, its claim cancelled, and the
    /// year may be settled again. Null while it is in force.
    pub reopened_by_decision: Option<String>,
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::SettlementNotFound, "settlement", id)
}

pub fn view(tx: &mut Tx, r: SettlementRow) -> StoreResult<SettlementView> {
    let lines = r.lines()?;
    let payable_id = payables::of_settlement(tx, &r.municipality, &r.id)?;
    Ok(SettlementView {
        accounts_complete_on: r.accounts_complete_on,
        hearing: match (r.hearing_sent_on, r.respond_by) {
            (Some(sent_on), Some(respond_by)) => Some(crate::read::clawbacks::HearingView {
                sent_on,
                respond_by,
                response_received_on: r.response_received_on,
                response_summary: r.response_summary.clone(),
            }),
            _ => None,
        },
        total_unspent: lines.iter().map(|l| l.unspent).sum(),
        total_shortfall: lines.iter().map(|l| l.shortfall).sum(),
        posts: lines
            .into_iter()
            .map(|l| SettlementPost {
                post_id: l.post_id,
                granted: l.granted,
                prepaid: l.prepaid,
                approved: l.approved,
                unspent: l.unspent,
                shortfall: l.shortfall,
            })
            .collect(),
        total_prepaid: Money::from_ore(r.total_prepaid),
        total_approved: Money::from_ore(r.total_approved),
        net_unspent: Money::from_ore(r.net_unspent),
        net_shortfall: Money::from_ore(r.net_shortfall),
        id: r.id,
        budget_year_id: r.budget_year_id,
        case_id: r.case_id,
        decision: r.decision,
        decision_id: r.decision_id,
        reopened_by_decision: r.reopened_by_decision,
        payable_id,
    })
}

pub fn of_year(tx: &mut Tx, ctx: &Ctx, year_id: &str) -> Result<SettlementView> {
    ctx.require(CASE_READERS)?;
    let m = &ctx.municipality;
    budgets::get_year(tx, m, year_id)?.ok_or_else(|| super::budget_years::not_found(year_id))?;
    let r = settlements::of_year(tx, m, year_id)?.ok_or_else(|| {
        Error::not_found(
            Code::SettlementNotFound,
            format!("budget year {year_id} has no settlement yet"),
        )
    })?;
    Ok(view(tx, r)?)
}

/// The accounts as CSV, one line per post and a total line; `da`: `;` and decimal commas.
pub fn csv(v: &SettlementView, danish: bool) -> crate::store::StoreResult<Vec<u8>> {
    use crate::read::spreadsheet::Sheet;
    let mut w = Sheet::new(danish, false);
    w.row([
        "post_id",
        "granted",
        "prepaid",
        "approved",
        "unspent",
        "shortfall",
    ])?;
    for p in &v.posts {
        w.row([
            p.post_id.clone(),
            w.money(p.granted),
            w.money(p.prepaid),
            w.money(p.approved),
            w.money(p.unspent),
            w.money(p.shortfall),
        ])?;
    }
    let granted: Money = v.posts.iter().map(|p| p.granted).sum();
    w.row([
        "total".to_string(),
        w.money(granted),
        w.money(v.total_prepaid),
        w.money(v.total_approved),
        w.money(v.total_unspent),
        w.money(v.total_shortfall),
    ])?;
    for (name, value) in [
        ("net_unspent", v.net_unspent),
        ("net_shortfall", v.net_shortfall),
    ] {
        let mut cells = vec![name.to_string()];
        cells.extend(vec![String::new(); 4]);
        cells.push(w.money(value));
        w.row(cells)?;
    }
    w.finish()
}
