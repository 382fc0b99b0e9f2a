//! Opening the posts a budget decision grants: each with its own budget account.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::accounts::{self, AccountRow};
use crate::store::budgets::{self, PostRow};
use crate::store::{new_id, now, Tx};
use bookkeeping::AccountKind;
use rules::budget::grant::PostSpec;
use rules::budget::rigid_posts;

/// Ids for posts about to be granted and for their budget accounts, so that the rules can decide
/// the whole grant entry before anything is written.
pub fn new_ids(n: usize) -> Vec<(String, String)> {
    (0..n).map(|_| (new_id(), new_id())).collect()
}

/// A granted post: its id, budget account id, the year's line number and what it grants.
pub struct NewPost<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub line_no: i32,
    pub spec: &'a PostSpec,
}

/// Records a post and opens its budget account; the grant entry credits the account.
pub fn open(tx: &mut Tx, ctx: &Ctx, year_id: &str, p: &NewPost) -> Result<()> {
    let m = &ctx.municipality;
    let (code, name, constraint) = rigid_posts::post_account(p.id, p.spec.category);
    let mut account = AccountRow::new(m, &code, &name, AccountKind::Budget, constraint);
    account.id = p.account_id.to_string();
    account.owner = Some(p.id.to_string());
    accounts::insert(tx, &account)?;
    let post = PostRow {
        id: p.id.to_string(),
        municipality: m.clone(),
        budget_year_id: year_id.to_string(),
        line_no: p.line_no,
        category: p.spec.category.as_str().to_string(),
        description: p.spec.description.trim().to_string(),
        granted: p.spec.grant.amount()?.ore(),
        hours_granted: p.spec.grant.hours().map(|h| h.normalize().to_string()),
        hourly_rate: p.spec.grant.hourly_rate().map(|r| r.ore()),
        account_id: p.account_id.to_string(),
        created_at: now(),
    };
    budgets::insert_posts(tx, std::slice::from_ref(&post))?;
    Ok(())
}
