//! A home-training case: registered once approved, ended by decision or by the child's 18th birthday.
pub mod age_limit;
pub mod ending;
pub mod registration;
