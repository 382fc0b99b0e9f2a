//! The standard chart of accounts every municipality gets on first use.
use crate::account::{AccountKind, BalanceConstraint};

pub struct StandardAccount {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: AccountKind,
    pub constraint: BalanceConstraint,
    pub purpose: &'static str,
}

const fn acc(
    code: &'static str,
    name: &'static str,
    kind: AccountKind,
    purpose: &'static str,
) -> StandardAccount {
    StandardAccount {
        code,
        name,
        kind,
        constraint: BalanceConstraint::None,
        purpose,
    }
}

pub const BANK: &str = "1000";
pub const ADVANCES_TO_FAMILIES: &str = "1100";
pub const CLAWBACK_RECEIVABLES: &str = "1200";
pub const OVERPAYMENTS_UNDER_REVIEW: &str = "1250";
pub const PAYABLES_TO_FAMILIES: &str = "2000";
pub const PAYABLES_TO_PAYROLL_FIRMS: &str = "2100";
pub const PENSION_PAYABLE: &str = "2200";
pub const ATP_PAYABLE: &str = "2300";
pub const TAX_WITHHELD_PAYABLE: &str = "2400";
pub const EQUITY: &str = "3000";
pub const RECOVERED_EXPENSES: &str = "4000";
pub const WAIVED_REPAYMENTS: &str = "5180";
pub const LOST_EARNINGS_EXPENSE: &str = "5500";
pub const PENSION_EXPENSE: &str = "5510";
pub const ATP_EXPENSE: &str = "5520";
pub const BUDGET_APPROPRIATION: &str = "9000";

/// Accounts whose balance mirrors a sub-ledger (payables): only the decisions that keep that
/// sub-ledger post to them, never a manual entry.
pub const MANAGED_BY_DECISIONS: &[&str] = &[PAYABLES_TO_FAMILIES];

/// The expense account that a budget post's category books to.
pub fn expense_account_for_category(category: &str) -> &'static str {
    match category {
        "helper_trainers" => "5100",
        "equipment" => "5110",
        "courses" => "5120",
        "supervision" => "5130",
        "supplements" => "5140",
        "transport" => "5150",
        "insurance" => "5160",
        "payroll_administration" => "5170",
        _ => "5190",
    }
}

pub const STANDARD_CHART: &[StandardAccount] = &[
    acc(
        BANK,
        "Bank",
        AccountKind::Asset,
        "The municipality's bank account: every payment out and every repayment in.",
    ),
    acc(
        ADVANCES_TO_FAMILIES,
        "Advances to families (fixed-amount agreements)",
        AccountKind::Asset,
        "Prepaid fixed amounts not yet documented by the family's annual accounts.",
    ),
    acc(
        CLAWBACK_RECEIVABLES,
        "Clawback receivables",
        AccountKind::Asset,
        "Unspent prepaid money the municipality has claimed back and not yet received.",
    ),
    acc(
        OVERPAYMENTS_UNDER_REVIEW,
        "Overpayments under review",
        AccountKind::Asset,
        "Money paid that a later decision showed was not due, while the family is heard: nobody owes it until a claim or a waiver is decided.",
    ),
    acc(
        PAYABLES_TO_FAMILIES,
        "Payables to families",
        AccountKind::Liability,
        "Approved expenses and benefits owed to families, until paid.",
    ),
    acc(
        PAYABLES_TO_PAYROLL_FIRMS,
        "Payables to payroll-administration firms",
        AccountKind::Liability,
        "Helper-trainer wages owed to the firms that pay them, until paid.",
    ),
    acc(
        PENSION_PAYABLE,
        "Pension contributions payable",
        AccountKind::Liability,
        "Pension on lost-earnings compensation, until paid to the pension fund.",
    ),
    acc(
        ATP_PAYABLE,
        "ATP contributions payable",
        AccountKind::Liability,
        "ATP (recipient's and municipality's shares) until paid to ATP.",
    ),
    acc(
        TAX_WITHHELD_PAYABLE,
        "A-tax withheld payable",
        AccountKind::Liability,
        "Income tax withheld on benefits, until paid to the tax authority.",
    ),
    acc(
        EQUITY,
        "Municipal funding (equity)",
        AccountKind::Equity,
        "Opening balances and funding; the counterpart of manual funding entries.",
    ),
    acc(
        RECOVERED_EXPENSES,
        "Recovered home-training expenses",
        AccountKind::Income,
        "Clawbacks of unspent prepaid money.",
    ),
    acc(
        "5100",
        "Training expenses: helper trainers",
        AccountKind::Expense,
        "Wages and employer costs of helper trainers (Barnets lov § 85, bek. § 6).",
    ),
    acc(
        "5110",
        "Training expenses: equipment",
        AccountKind::Expense,
        "Training equipment.",
    ),
    acc(
        "5120",
        "Training expenses: courses",
        AccountKind::Expense,
        "Courses held in Denmark: fee, lodging, transport, per diem.",
    ),
    acc(
        "5130",
        "Training expenses: supervision",
        AccountKind::Expense,
        "Supervisors of the training.",
    ),
    acc(
        "5140",
        "Training expenses: supplements",
        AccountKind::Expense,
        "Dietary supplements that are part of the method.",
    ),
    acc(
        "5150",
        "Training expenses: transport",
        AccountKind::Expense,
        "Transport for the training.",
    ),
    acc(
        "5160",
        "Training expenses: insurance",
        AccountKind::Expense,
        "Insurance of helper trainers.",
    ),
    acc(
        "5170",
        "Training expenses: payroll administration",
        AccountKind::Expense,
        "A payroll-administration firm's fee.",
    ),
    acc(
        WAIVED_REPAYMENTS,
        "Waived repayments of prepaid fixed amounts",
        AccountKind::Expense,
        "Unspent prepaid money the municipality decided not to ask back (vejledningen pkt. 157 e).",
    ),
    acc(
        "5190",
        "Training expenses: other",
        AccountKind::Expense,
        "Other necessary training expenses.",
    ),
    acc(
        LOST_EARNINGS_EXPENSE,
        "Compensation for lost earnings",
        AccountKind::Expense,
        "Gross lost-earnings compensation (bek. § 5).",
    ),
    acc(
        PENSION_EXPENSE,
        "Pension on lost earnings",
        AccountKind::Expense,
        "Municipality's pension contribution on compensation.",
    ),
    acc(
        ATP_EXPENSE,
        "ATP, municipality's share",
        AccountKind::Expense,
        "The municipality's 2/3 of ATP on compensation.",
    ),
    acc(
        BUDGET_APPROPRIATION,
        "Budget appropriation (memo)",
        AccountKind::Budget,
        "Memo counterpart of every budget post account: what decisions granted.",
    ),
];
