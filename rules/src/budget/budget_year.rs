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

/// The last day of `months` months from `start` (the municipality's budget-year length).
pub fn months_from(start: NaiveDate, months: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// What a budget decision asks for: the start, an explicit end (a municipality that budgets per
/// calendar year gives a short first year), a retroactive lead-in back towards the application,
/// and the municipality's budget-year length in months (used when no end is given).
#[derive(Clone, Copy, Debug)]
pub struct Span {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub retroactive_from: Option<NaiveDate>,
    pub months: u32,
}

/// Checks a new budget year's span against the case and its other years (`others` as the first
/// day covered and the end). Returns the nominal end (before the case's end cuts it short).
pub fn check_span(
    s: Span,
    application_date: NaiveDate,
    case_end: NaiveDate,
    others: &[(NaiveDate, NaiveDate)],
) -> Result<NaiveDate> {
    let nominal = match s.end {
        Some(e) if e < s.start => {
            return Err(Error::field(
                Code::InvalidEndDate,
                "end_date",
                format!("a budget year ends on or after its start {}", s.start),
            ))
        }
        Some(e) if e > twelve_months_from(s.start) => {
            return Err(Error::field(
                Code::BudgetYearTooLong,
                "end_date",
                format!(
                    "a budget year is at most 12 months: from {} it ends on {} at the latest",
                    s.start,
                    twelve_months_from(s.start)
                ),
            )
            .legal(LEGAL))
        }
        Some(e) => e,
        None => months_from(s.start, s.months.clamp(1, 12)),
    };
    if let Some(rf) = s.retroactive_from {
        if rf < application_date || rf > s.start {
            return Err(Error::field(
                Code::InvalidRetroactiveFrom,
                "retroactive_from",
                format!("a retroactive lead-in reaches back from the start {} at most to the application date {application_date}", s.start),
            )
            .legal(retroactive::LEGAL));
        }
        if others.iter().any(|(o, _)| *o < s.start) {
            return Err(Error::field(
                Code::InvalidRetroactiveFrom,
                "retroactive_from",
                "only the first budget year of a case reaches back to the application date",
            )
            .legal(retroactive::LEGAL));
        }
    }
    let end = check_start(s.start, application_date, case_end, &[])?;
    let end = end.min(nominal);
    let from = s.retroactive_from.unwrap_or(s.start);
    if let Some((o, e)) = others.iter().find(|(o, e)| from <= *e && *o <= end) {
        return Err(Error::conflict(
            Code::BudgetYearOverlap,
            format!("the budget year {from}..{end} overlaps the existing budget year {o}..{e}; budget years of a case never overlap"),
        )
        .with_field("start_date", "overlaps another budget year"));
    }
    Ok(nominal)
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
    check_period_within("expense_date", date, date, year_start, year_end)
}

/// A service period belongs to one budget year: it lies wholly inside it.
pub fn check_period_within(
    field: &str,
    from: NaiveDate,
    to: NaiveDate,
    year_start: NaiveDate,
    year_end: NaiveDate,
) -> Result<()> {
    if from < year_start || to > year_end {
        let what = if from == to {
            format!("the expense is for {from}")
        } else {
            format!("the service period {from}..{to} is")
        };
        return Err(Error::field(
            Code::ExpenseOutsideBudgetYear,
            field,
            format!("{what} outside the budget year {year_start}..{year_end}"),
        )
        .legal(LEGAL)
        .figure("year_start", year_start)
        .figure("year_end", year_end));
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
    fn short_years_and_retroactive_lead_in() {
        let span = |start: &str, end: Option<&str>, rf: Option<&str>| Span {
            start: d(start),
            end: end.map(d),
            retroactive_from: rf.map(d),
            months: 12,
        };
        let app = d("2025-01-06");
        let far = d("2030-01-01");
        // A calendar-year municipality: a short first year.
        let s = span("2025-03-01", Some("2025-12-31"), None);
        assert_eq!(check_span(s, app, far, &[]).unwrap(), d("2025-12-31"));
        let s = span("2025-03-01", Some("2026-03-01"), None);
        assert_eq!(
            check_span(s, app, far, &[]).unwrap_err().code,
            Code::BudgetYearTooLong
        );
        // Months from the setting.
        let s = Span {
            months: 6,
            ..span("2025-03-01", None, None)
        };
        assert_eq!(check_span(s, app, far, &[]).unwrap(), d("2025-08-31"));
        // A lead-in back to the application, not before; only on the first year.
        let s = span("2025-03-01", None, Some("2025-01-06"));
        assert!(check_span(s, app, far, &[]).is_ok());
        let s = span("2025-03-01", None, Some("2025-01-05"));
        assert_eq!(
            check_span(s, app, far, &[]).unwrap_err().code,
            Code::InvalidRetroactiveFrom
        );
        let s = span("2026-03-01", None, Some("2026-02-01"));
        let others = [(d("2025-03-01"), d("2026-02-28"))];
        assert_eq!(
            check_span(s, app, far, &others).unwrap_err().code,
            Code::InvalidRetroactiveFrom
        );
        // The lead-in counts for overlaps.
        let s = span("2026-03-01", None, None);
        assert!(check_span(s, app, far, &others).is_ok());
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
