//! Map the ledger's accounts to the authorised municipal chart of accounts (controller or
//! admin, `If-Match`): a whole new version, with who and when; the ERP export uses the version
//! in force.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::mappings::{self as view, Mappings};
use crate::service::Command;
use crate::store::mappings::{self, MappingRow, VersionRow};
use crate::store::{accounts, now, Tx};
use bookkeeping::Role;
use rules::budget::amendment::version_mismatch;
pub use rules::erp::Mapping;

#[derive(Clone, Debug)]
pub struct ChangeMappings {
    pub mappings: Vec<Mapping>,
    pub if_match: i32,
}

impl Command for ChangeMappings {
    type Output = Mappings;

    /// The role and the request's form, before the version or anything else is read: a
    /// malformed mapping is refused as such whatever its `If-Match`.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Controller, Role::Admin])?;
        rules::erp::check_form(&self.mappings)
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Mappings> {
        let m = &ctx.municipality;
        // Load: the version in force and the municipality's accounts.
        let version = mappings::current_version(tx, m)?;
        if version != self.if_match {
            return Err(mismatch(version, self.if_match).into());
        }
        let all = accounts::all(tx, m)?;
        let kinds: Vec<(String, bookkeeping::AccountKind)> = all
            .iter()
            .map(|a| Ok((a.code.clone(), a.kind()?)))
            .collect::<crate::store::StoreResult<_>>()?;
        // Decide.
        rules::erp::check(&self.mappings, |code| {
            kinds.iter().find(|(c, _)| c == code).map(|(_, k)| *k)
        })?;
        // Record: a racing change of the same version collides on the version's key.
        let v = VersionRow {
            municipality: m.clone(),
            version: version + 1,
            changed_by: ctx.sub.clone(),
            changed_at: now(),
        };
        let rows: Vec<MappingRow> = self
            .mappings
            .iter()
            .map(|x| MappingRow {
                municipality: m.clone(),
                version: version + 1,
                account_code: x.account_code.clone(),
                function: x.function.clone(),
                dranst: x.dranst.clone(),
                art: x.art.clone(),
            })
            .collect();
        mappings::insert(tx, &v, &rows).map_err(|e| {
            crate::Error::from(e).or_duplicate(|| mismatch(version + 1, self.if_match))
        })?;
        view::get(tx, ctx)
    }
}

fn mismatch(version: i32, if_match: i32) -> bookkeeping::Error {
    version_mismatch(format!(
        "the account mapping is at version {version}, not {if_match}; read it again and change the current version"
    ))
}
