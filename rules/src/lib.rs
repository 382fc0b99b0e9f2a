//! The rules of Danish home-training support (Barnets lov § 85), pure: one file per rule, named
//! after it, its legal reference (or the municipal practice and its source) in its first doc
//! line and its tests below. No database, no HTTP, no clock: `today` comes in as an argument.
pub mod agreement;
pub mod bank;
pub mod budget;
pub mod case;
pub mod correction;
pub mod decision;
pub mod erp;
pub mod expense;
pub mod lost_earnings;
pub mod municipalities;
pub mod payment;
pub mod privacy;
pub mod rates;
pub mod settings;
