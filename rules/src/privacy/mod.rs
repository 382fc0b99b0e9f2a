//! Data protection rules.
pub mod no_cpr;
