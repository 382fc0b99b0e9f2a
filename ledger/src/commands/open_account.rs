//! Open an account by hand (finance, admin). Budget accounts are opened by budget decisions only.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::accounts::{self as view, Account};
use crate::service::Command;
use crate::store::accounts::{self, AccountRow};
use crate::store::Tx;
use bookkeeping::account::{check_new, code_taken, unknown_parent};
use bookkeeping::Role;
pub use bookkeeping::{AccountKind, BalanceConstraint};
use rules::budget::rigid_posts;
use rules::privacy::no_cpr;

#[derive(Clone, Debug)]
pub struct OpenAccount {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub constraint: BalanceConstraint,
    pub owner: Option<String>,
    pub parent_id: Option<String>,
}

impl Command for OpenAccount {
    type Output = Account;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        // The account's own shape first, then who asks (the order this API has always had).
        check_new(&self.code, &self.name)?;
        rigid_posts::check_manual_account(&self.code, self.kind)?;
        no_cpr::reject_in_reference("code", &self.code)?;
        no_cpr::reject_in_text("name", &self.name)?;
        if let Some(owner) = &self.owner {
            no_cpr::reject_in_text("owner", owner)?;
        }
        ctx.require(&[Role::Finance, Role::Admin])?;
        Ok(())
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Account> {
        let m = &ctx.municipality;
        if let Some(parent) = &self.parent_id {
            if accounts::get(tx, m, parent)?.is_none() {
                return Err(unknown_parent(parent).into());
            }
        }
        if accounts::by_code(tx, m, &self.code)?.is_some() {
            return Err(code_taken(&self.code).into());
        }
        let mut row = AccountRow::new(m, &self.code, &self.name, self.kind, self.constraint);
        row.owner = self.owner.clone();
        row.parent_id = self.parent_id.clone();
        accounts::insert(tx, &row)
            .map_err(|e| crate::Error::from(e).or_duplicate(|| code_taken(&self.code)))?;
        Ok(view::current(&row)?)
    }
}
