//! One file per command. Each reads top to bottom: check the role and the request → load facts
//! (store) → decide (rules, pure) → post (store::journal) → record (store) → answer (read).
pub mod add_rate;
mod agreement_replan;
pub mod amend_budget_year;
pub mod annul_expense;
pub mod approve_expense;
mod budget_posts;
pub mod change_lost_earnings;
pub mod change_mappings;
pub mod change_settings;
pub mod claim_hearing;
pub mod close_period;
pub mod decide_claim;
pub mod decide_settlement;
pub mod decision;
pub mod end_case;
pub mod grant_budget_year;
pub mod grant_lost_earnings;
pub mod lost_earnings_letter;
pub mod make_agreement;
pub mod open_account;
pub mod pay_installment;
pub mod pay_payables;
pub mod post_entries;
pub mod post_manual_entry;
pub mod record_repayment;
pub mod register_case;
pub mod reject_expense;
pub mod reopen_settlement;
pub mod return_payment;
pub mod reverse_entry;
pub mod run_payroll;
pub mod set_payee;
pub mod settle_year;
pub mod settlement_hearing;
pub mod submit_expense;

pub use crate::service::Command;
