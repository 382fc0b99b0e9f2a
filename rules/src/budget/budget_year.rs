//! Copenhagen folder, 'Udgifter og budget': expenses are granted per budget year of 12 months from the approval; budget years of a case never overlap and start no earlier than the application.
use crate::case::age_limit;
use crate::expense::retroactive;
use bookkeeping::{Code, Error, Result};
use chrono::{Months, NaiveDate};

pub const LEGAL: &str = "Copenhagen folder, 'Udgifter og budget': expenses are granted per budget year of 12 months from the approval";

/// The last day of the 12 months that start on `start` (a budget year, a rolling window).
pub fn twelve_months_from(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// A budget year is 12 months from its start, cut short by the case's end.
pub fn end(start: NaiveDate, case_end: NaiveDate) -> NaiveDate {
    twelve_months_from(start).min(case_end)
}

/// A new budget year: starts on or after the application date, within the case, and overlaps
/// no other budget year of the case (`others` as start and end). Returns its end.
pub fn check_start(
    start: NaiveDate,
    application_date: NaiveDate,
    case_end: NaiveDate,
    others: &[(NaiveDate, NaiveDate)],
) -> Result<NaiveDate> {
    if start < application_date {
        return Err(Error::field(
            Code::BudgetYearBeforeApplication,
            "start_date",
            format!("a budget year cannot start before the application date {application_date}"),
        )
        .legal(retroactive::LEGAL));
    }
    if start > case_end {
        return Err(Error::field(
            Code::CaseEnded,
            "start_date",
            format!("the case ends on {case_end}; no budget year can start after that"),
        )
        .legal(age_limit::LEGAL));
    }
    let end = end(start, case_end);
    if let Some((s, e)) = others.iter().find(|(s, e)| start <= *e && *s <= end) {
        return Err(Error::conflict(
            Code::BudgetYearOverlap,
            format!("the budget year {start}..{end} overlaps the existing budget year {s}..{e}; budget years of a case never overlap"),
        )
        .with_field("start_date", "overlaps another budget year"));
    }
    Ok(end)
}

/// An expense belongs to the budget year its date falls in.
pub fn check_within(date: NaiveDate, year_start: NaiveDate, year_end: NaiveDate) -> Result<()> {
    if date < year_start || date > year_end {
        return Err(Error::field(
            Code::ExpenseOutsideBudgetYear,
            "expense_date",
            format!(
                "the expense is dated {date}, outside the budget year {year_start}..{year_end}"
            ),
        )
        .legal(LEGAL));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn overlap_and_start() {
        let end = check_start(d("2025-03-01"), d("2025-01-01"), d("2030-01-01"), &[]).unwrap();
        assert_eq!(end, d("2026-02-28"));
        assert_eq!(
            check_start(d("2024-12-01"), d("2025-01-01"), d("2030-01-01"), &[])
                .unwrap_err()
                .code,
            Code::BudgetYearBeforeApplication
        );
        let e = check_start(
            d("2026-02-28"),
            d("2025-01-01"),
            d("2030-01-01"),
            &[(d("2025-03-01"), d("2026-02-28"))],
        );
        assert_eq!(e.unwrap_err().code, Code::BudgetYearOverlap);
        assert!(check_start(
            d("2026-03-01"),
            d("2025-01-01"),
            d("2030-01-01"),
            &[(d("2025-03-01"), d("2026-02-28"))]
        )
        .is_ok());
        // Cut short by the case's end.
        assert_eq!(
            check_start(d("2025-03-01"), d("2025-01-01"), d("2025-06-30"), &[]).unwrap(),
            d("2025-06-30")
        );
        assert_eq!(
            check_start(d("2025-07-01"), d("2025-01-01"), d("2025-06-30"), &[])
                .unwrap_err()
                .code,
            Code::CaseEnded
        );
    }

    #[test]
    fn expenses_inside_the_year() {
        assert!(check_within(d("2025-03-01"), d("2025-03-01"), d("2026-02-28")).is_ok());
        assert_eq!(
            check_within(d("2026-03-01"), d("2025-03-01"), d("2026-02-28"))
                .unwrap_err()
                .code,
            Code::ExpenseOutsideBudgetYear
        );
    }
}
