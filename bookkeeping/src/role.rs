//! Who may act: the roles a token carries, and the one check every command starts with.
use crate::error::{Error, Result};
use crate::string_enum;

string_enum!(
    /// The roles a token may carry. `operator` is the national operator of the service: it writes
    /// the national rates; the others act for their municipality.
    Role {
        Caseworker => "caseworker",
        Finance => "finance",
        PayrollFirm => "payroll_firm",
        Controller => "controller",
        Admin => "admin",
        Operator => "operator",
    }
);

impl Role {
    /// Whether the role may see what identifies a family or what it bought: a payroll firm
    /// reads the ledger (account codes, amounts, dates, ids) and nothing more; the operator
    /// reads no municipality's data at all.
    pub fn reads_family_data(self) -> bool {
        !matches!(self, Role::PayrollFirm | Role::Operator)
    }

    /// Refuses a role that is not among `allowed`, naming the ones that are.
    pub fn require(self, allowed: &[Role]) -> Result<()> {
        if allowed.contains(&self) {
            return Ok(());
        }
        let names: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
        Err(Error::forbidden(format!(
            "role {self} may not do this; it needs one of: {}",
            names.join(", ")
        )))
    }
}
