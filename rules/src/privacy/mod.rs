//! Data protection rules.
pub mod no_cpr;
pub mod normal_form;
