//! Accounts with their totals and balance, now or as of a date.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::accounts::{self, AccountRow};
use crate::store::{StoreResult, Tx};
use bookkeeping::{AccountKind, BalanceConstraint, Code, Error, Money};
use chrono::NaiveDate;
use serde::Serialize;

pub use crate::store::accounts::AccountFilter;

/// An account as the API shows it: raw totals and the balance on the account's natural side.
#[derive(Serialize, serde::Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Account {
    #[schema(example = "01936f3e-7c5a-7b1e-9a51-3f1c2d4e5f60")]
    pub id: String,
    #[schema(example = "1000")]
    pub code: String,
    #[schema(example = "Bank")]
    pub name: String,
    pub kind: AccountKind,
    pub constraint: BalanceConstraint,
    /// The id of what the account belongs to (e.g. a budget post), if anything.
    pub owner: Option<String>,
    pub parent_id: Option<String>,
    /// Sum of all debit postings (as of `as_of` when given).
    pub debits: Money,
    /// Sum of all credit postings (as of `as_of` when given).
    pub credits: Money,
    /// debits − credits for asset and expense accounts; credits − debits for liability, equity,
    /// income and budget accounts (for a budget post: what is left of the grant).
    pub balance: Money,
    pub as_of: Option<NaiveDate>,
}

/// The view of a row with the given totals.
pub fn view(
    row: &AccountRow,
    debits: Money,
    credits: Money,
    as_of: Option<NaiveDate>,
) -> StoreResult<Account> {
    let kind = row.kind()?;
    Ok(Account {
        id: row.id.clone(),
        code: row.code.clone(),
        name: row.name.clone(),
        kind,
        constraint: row.constraint()?,
        owner: row.owner.clone(),
        parent_id: row.parent_id.clone(),
        debits,
        credits,
        balance: kind.balance(debits, credits),
        as_of,
    })
}

/// The view with the running totals.
pub fn current(row: &AccountRow) -> StoreResult<Account> {
    view(row, row.debits(), row.credits(), None)
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str, as_of: Option<NaiveDate>) -> Result<Account> {
    let row = accounts::get(tx, &ctx.municipality, id)?
        .ok_or_else(|| Error::missing(Code::AccountNotFound, "account", id))?;
    let a = match as_of {
        None => current(&row)?,
        Some(d) => {
            let (debits, credits) = accounts::totals_as_of(tx, &row, d)?;
            view(&row, debits, credits, Some(d))?
        }
    };
    Ok(for_reader(ctx, a))
}

/// An account as this reader may see it: the owner reference a caller gave is free text that
/// may point at a family, so a payroll firm (which reads the ledger but no family data) does
/// not see it. Names are the chart's or an opener's account name, codes and kinds.
pub fn for_reader(ctx: &Ctx, mut a: Account) -> Account {
    if !ctx.role.reads_family_data() {
        a.owner = None;
    }
    a
}

pub fn list(tx: &mut Tx, ctx: &Ctx, f: &AccountFilter) -> Result<Vec<Account>> {
    Ok(accounts::list(tx, &ctx.municipality, f)?
        .iter()
        .map(|r| current(r).map(|a| for_reader(ctx, a)))
        .collect::<StoreResult<_>>()?)
}
