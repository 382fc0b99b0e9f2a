//! The period rule: books closed through a date stay closed; nothing is booked on a closed date.
use crate::code::Code;
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// Refuses a booking dated in a closed period.
pub fn ensure_open(closed_through: Option<NaiveDate>, date: NaiveDate) -> Result<()> {
    match closed_through {
        Some(closed) if date <= closed => Err(Error::field(
            Code::PeriodClosed,
            "effective_date",
            format!("the period through {closed} is closed; nothing can be booked on {date}"),
        )),
        _ => Ok(()),
    }
}

/// The first date on or after `date` that is not in a closed period: where a decision about a
/// closed date is booked.
pub fn first_open_on_or_after(closed_through: Option<NaiveDate>, date: NaiveDate) -> NaiveDate {
    match closed_through {
        Some(c) if date <= c => c.succ_opt().unwrap_or(c),
        _ => date,
    }
}

/// A close: only of past dates, only forward, never reopened.
pub fn check_close(through: NaiveDate, today: NaiveDate, current: Option<NaiveDate>) -> Result<()> {
    if through >= today {
        return Err(Error::field(
            Code::PeriodCloseInFuture,
            "through",
            format!("only past dates can be closed; {through} is not before today ({today})"),
        ));
    }
    if let Some(c) = current.filter(|c| through <= *c) {
        return Err(Error::conflict(
            Code::PeriodAlreadyClosed,
            format!("the books are already closed through {c}; a closed period cannot be reopened or closed again"),
        )
        .with_field("through", "must be after the current close"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    #[test]
    fn closed_dates() {
        let c = Some(d("2025-03-31"));
        assert_eq!(
            ensure_open(c, d("2025-03-31")).unwrap_err().code,
            Code::PeriodClosed
        );
        assert!(ensure_open(c, d("2025-04-01")).is_ok());
        assert_eq!(first_open_on_or_after(c, d("2025-01-01")), d("2025-04-01"));
        assert_eq!(
            first_open_on_or_after(None, d("2025-01-01")),
            d("2025-01-01")
        );
        assert_eq!(
            check_close(d("2025-04-30"), d("2025-04-30"), None)
                .unwrap_err()
                .code,
            Code::PeriodCloseInFuture
        );
        assert_eq!(
            check_close(d("2025-03-01"), d("2025-05-01"), c)
                .unwrap_err()
                .code,
            Code::PeriodAlreadyClosed
        );
        assert!(check_close(d("2025-04-30"), d("2025-05-01"), c).is_ok());
    }
}
