//! Imports of payroll-administration firms' files (issue 11, first part): reading the formats
//! the firms actually emit. The encoding is decoded by `encoding_rs`, the CSV split by the `csv`
//! crate; this module only chooses between them and names the columns.
pub mod columns;
pub mod dialect;
pub mod rows;
