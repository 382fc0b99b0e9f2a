//! What the municipality owes families, and the payments that settled it.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::payables;
pub use crate::store::payables::PayableFilter;
use crate::store::{StoreResult, Tx};
use bookkeeping::{Money, Role};
use chrono::{NaiveDate, NaiveDateTime};
pub use rules::payment::{PayableStatus, Payee};
use serde::{Deserialize, Serialize};

/// Who may read what families are owed. A payroll firm reads only what is addressed to it.
pub const PAYABLE_READERS: &[Role] = &[
    Role::Finance,
    Role::Controller,
    Role::Admin,
    Role::PayrollFirm,
];

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct PayableView {
    pub id: String,
    pub case_id: String,
    /// The case system's reference, for the finance system's payment text.
    pub external_ref: String,
    pub amount: Money,
    pub expense_ids: Vec<String>,
    /// The settlement whose shortfall it pays (a fixed-amount agreement's annual accounts).
    #[serde(default)]
    pub settlement_id: Option<String>,
    /// Who is paid: the family, or the payroll-administration firm named in `payroll_firm`.
    pub payee: Payee,
    pub payroll_firm: Option<String>,
    #[schema(value_type = String, example = "open")]
    pub status: PayableStatus,
    pub payment_id: Option<String>,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

/// What the municipality owes on one case to one payee (the family, or the payroll firm paying
/// its helpers): the payables summed, ready for one bank transfer.
#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct FamilyPayable {
    pub case_id: String,
    pub external_ref: String,
    /// Who the transfer goes to.
    pub payee: Payee,
    pub payroll_firm: Option<String>,
    pub amount: Money,
    /// Pay these with `POST /v1/payments`.
    pub payable_ids: Vec<String>,
    pub expense_ids: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct PaymentView {
    pub id: String,
    pub paid_on: NaiveDate,
    pub bank_reference: String,
    pub amount: Money,
    pub payable_ids: Vec<String>,
    pub entry_id: String,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
    /// When the bank returned the transfer, why, and the reversing entry.
    #[serde(default)]
    pub returned_on: Option<NaiveDate>,
    #[serde(default)]
    pub return_reason: Option<String>,
    #[serde(default)]
    pub return_entry_id: Option<String>,
}

pub fn list(tx: &mut Tx, ctx: &Ctx, f: &PayableFilter) -> Result<Vec<PayableView>> {
    ctx.require(PAYABLE_READERS)?;
    let mut f = PayableFilter { ..*f };
    if ctx.role == Role::PayrollFirm {
        f.payroll_firm = Some(&ctx.sub);
    }
    Ok(payables::list(tx, &ctx.municipality, &f)?
        .into_iter()
        .map(|(p, external_ref)| {
            Ok(PayableView {
                status: p.status()?,
                payee: p.payee()?,
                payroll_firm: p.payroll_firm,
                id: p.id,
                case_id: p.case_id,
                external_ref,
                amount: Money::from_ore(p.amount),
                expense_ids: p.expense_id.into_iter().collect(),
                settlement_id: p.settlement_id,
                payment_id: p.payment_id,
                created_at: p.created_at,
            })
        })
        .collect::<StoreResult<_>>()?)
}

/// Open payables summed per family (case), for a finance system that pays each family once.
pub fn by_family(tx: &mut Tx, ctx: &Ctx) -> Result<Vec<FamilyPayable>> {
    let open = PayableFilter {
        status: Some(PayableStatus::Open),
        limit: i64::MAX,
        ..Default::default()
    };
    let mut out: Vec<FamilyPayable> = vec![];
    for p in list(tx, ctx, &open)? {
        let same = |f: &&mut FamilyPayable| {
            f.case_id == p.case_id && f.payee == p.payee && f.payroll_firm == p.payroll_firm
        };
        match out.iter_mut().find(same) {
            Some(f) => {
                f.amount += p.amount;
                f.payable_ids.push(p.id);
                f.expense_ids.extend(p.expense_ids);
            }
            None => out.push(FamilyPayable {
                case_id: p.case_id,
                external_ref: p.external_ref,
                payee: p.payee,
                payroll_firm: p.payroll_firm,
                amount: p.amount,
                payable_ids: vec![p.id],
                expense_ids: p.expense_ids,
            }),
        }
    }
    out.sort_by(|a, b| {
        (&a.external_ref, a.payee.as_str()).cmp(&(&b.external_ref, b.payee.as_str()))
    });
    Ok(out)
}
