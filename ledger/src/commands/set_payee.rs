//! Who helper-trainer wages on a case are paid to (caseworker): the family, or the
//! payroll-administration firm that pays the helpers (Copenhagen folder, 'Lønadministration').
//! Payables created from then on carry it; those already created keep theirs.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::cases::{self as view, Case};
use crate::service::Command;
use crate::store::{cases, Tx};
use bookkeeping::{Code, Error, Role};
pub use rules::payment::Payee;

#[derive(Clone, Debug)]
pub struct SetPayee {
    pub case_id: String,
    pub payee: Payee,
    /// The firm's identity: the subject of its token, so the firm can read what it is owed.
    pub payroll_firm: Option<String>,
}

impl Command for SetPayee {
    type Output = Case;

    /// The role and the request itself, before anything is read or replayed.
    fn check(&self, ctx: &Ctx) -> bookkeeping::Result<()> {
        ctx.require(&[Role::Caseworker])?;
        match (self.payee, self.payroll_firm.as_deref()) {
            (Payee::Family, None) => Ok(()),
            (Payee::PayrollFirm, Some(f)) => {
                bookkeeping::error::check_text(
                    Code::InvalidPayee,
                    "payroll_firm",
                    f,
                    100,
                    "the payroll firm is 1-100 characters",
                )?;
                rules::privacy::no_cpr::reject_in_text("payroll_firm", f)
            }
            (Payee::Family, Some(_)) => Err(Error::field(
                Code::InvalidPayee,
                "payroll_firm",
                "a payroll firm is named only when it is the payee",
            )),
            (Payee::PayrollFirm, None) => Err(Error::field(
                Code::InvalidPayee,
                "payroll_firm",
                "name the payroll-administration firm that is paid",
            )),
        }
    }

    fn run(&self, tx: &mut Tx, ctx: &Ctx) -> Result<Case> {
        let m = &ctx.municipality;
        let case =
            cases::lock(tx, m, &self.case_id)?.ok_or_else(|| view::not_found(&self.case_id))?;
        let firm = self.payroll_firm.as_deref().map(str::trim);
        cases::set_payee(tx, m, &case.id, self.payee.as_str(), firm)?;
        view::get(tx, ctx, &case.id)
    }
}
