//! Copenhagen folder, 'Udgifter og budget' (municipal practice, a setting): the proposal for the next budget year is due some weeks before a year ends, the documentation some weeks after; informational deadlines, never a bar to a booking.
use chrono::{Duration, NaiveDate};

pub const SOURCE: &str = "Copenhagen folder, 'Udgifter og budget': proposal 8 weeks before the end, documentation 8 weeks after (municipal settings)";

/// When the next year's proposal and this year's documentation are due.
pub fn due(end: NaiveDate, weeks_before: i32, weeks_after: i32) -> (NaiveDate, NaiveDate) {
    (
        end - Duration::weeks(weeks_before as i64),
        end + Duration::weeks(weeks_after as i64),
    )
}

/// A proposal is overdue when its day has passed and no next budget year was granted (and the
/// case goes on past this year); documentation when its day has passed and the year's accounts
/// are still to be settled.
pub fn overdue(due_on: NaiveDate, today: NaiveDate, done: bool) -> bool {
    due_on < today && !done
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn eight_weeks_either_side() {
        assert_eq!(
            due(d("2026-02-02"), 8, 8),
            (d("2025-12-08"), d("2026-03-30"))
        );
        assert!(overdue(d("2025-12-08"), d("2025-12-09"), false));
        assert!(!overdue(d("2025-12-08"), d("2025-12-09"), true));
        assert!(!overdue(d("2025-12-08"), d("2025-12-08"), false));
    }
}
