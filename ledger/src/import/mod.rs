//! Imports of payroll-administration firms' files (issue 11): reading the formats the firms
//! actually emit, judging each line by the expense rules and booking the file all or nothing. The encoding is decoded by `encoding_rs`, the CSV split by the `csv`
//! crate; this module only chooses between them and names the columns.
pub mod book;
pub mod columns;
pub mod dialect;
pub mod judge;
pub mod payslip_key;
pub mod report;
pub mod rows;
pub mod run;
pub mod service;
pub mod voucher;
