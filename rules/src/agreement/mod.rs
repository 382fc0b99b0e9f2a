//! Bekendtgørelse om hjemmetræning § 6, stk. 4; vejledningen pkt. 157 e: the municipality and the family may agree that a fixed amount is paid in advance, monthly, half-yearly or yearly, for the predictable expenses, instead of reimbursing each documented one.
pub mod offset;
pub mod payment;
pub mod reopening;
pub mod replan;
pub mod schedule;
pub mod settlement;
pub mod terms;

use bookkeeping::string_enum;

pub const LEGAL: &str = "Bekendtgørelse om hjemmetræning § 6, stk. 4; vejledningen pkt. 157 e: a fixed amount paid in advance, monthly, half-yearly or yearly, by agreement with the family";

string_enum!(
    /// How often the fixed amount is paid.
    Frequency {
        Monthly => "monthly",
        HalfYearly => "half_yearly",
        Yearly => "yearly",
    }
);

impl Frequency {
    /// Months between two installments.
    pub fn months(self) -> u32 {
        match self {
            Frequency::Monthly => 1,
            Frequency::HalfYearly => 6,
            Frequency::Yearly => 12,
        }
    }
}
