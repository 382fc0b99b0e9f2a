//! The rules of home-training support, pure: no SQL, no HTTP. Each module is named after the
//! rule it holds, with its legal references.
pub mod budget;
pub mod cases;
pub mod expenses;
pub mod legal;
pub mod rates;
pub mod rolling_cap;

use chrono::{Months, NaiveDate};

/// The last day of the 12 months that start on `start` (a budget year, a rolling window).
pub fn twelve_months_from(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}
