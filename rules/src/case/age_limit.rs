//! Barnets lov § 85; Copenhagen folder, 'Ophør af hjemmetræning': home training is for children under 18, so a case ends the day before the 18th birthday at the latest.
use bookkeeping::{Code, Error, Result};
use chrono::{Datelike, Months, NaiveDate};

pub const LEGAL: &str = "Barnets lov § 85; Copenhagen folder, 'Ophør af hjemmetræning': payments stop at the end date, at the latest when the child turns 18";

/// The last day before the 18th birthday. A child born 29 February turns 18 on 1 March in a
/// non-leap year, so the last day is 28 February.
pub fn day_before_18th_birthday(birth: NaiveDate) -> NaiveDate {
    let birthday = match birth.checked_add_months(Months::new(18 * 12)) {
        Some(d) if d.day0() != birth.day0() => d.succ_opt().unwrap_or(d),
        Some(d) => d,
        None => NaiveDate::MAX,
    };
    birthday.pred_opt().unwrap_or(birthday)
}

/// The last day anything may be booked on a case: its decided end or the day before the 18th
/// birthday, whichever comes first.
pub fn effective_end(end_date: Option<NaiveDate>, birth: NaiveDate) -> NaiveDate {
    let at18 = day_before_18th_birthday(birth);
    end_date.map_or(at18, |e| e.min(at18))
}

/// A case applied for on or after the 18th birthday is refused.
pub fn check_under_18(birth: NaiveDate, application_date: NaiveDate) -> Result<()> {
    if application_date > day_before_18th_birthday(birth) {
        return Err(Error::field(
            Code::ChildOver18,
            "application_date",
            "home training is for children under 18; the child is 18 on the application date",
        )
        .legal(LEGAL));
    }
    Ok(())
}

/// Nothing is booked for a date after the case ended.
pub fn check_not_after_end(field: &str, date: NaiveDate, case_end: NaiveDate) -> Result<()> {
    if date > case_end {
        return Err(Error::field(
            Code::CaseEnded,
            field,
            format!("the case ended on {case_end}; nothing can be booked for {date}"),
        )
        .legal(LEGAL)
        .figure("case_end", case_end));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn eighteenth_birthday() {
        assert_eq!(day_before_18th_birthday(d("2010-05-17")), d("2028-05-16"));
        assert_eq!(day_before_18th_birthday(d("2008-02-29")), d("2026-02-28"));
        assert_eq!(
            effective_end(Some(d("2027-01-01")), d("2010-05-17")),
            d("2027-01-01")
        );
        assert_eq!(
            effective_end(Some(d("2030-01-01")), d("2010-05-17")),
            d("2028-05-16")
        );
    }

    #[test]
    fn refusals() {
        assert!(check_under_18(d("2010-05-17"), d("2028-05-16")).is_ok());
        assert_eq!(
            check_under_18(d("2010-05-17"), d("2028-05-17"))
                .unwrap_err()
                .code,
            Code::ChildOver18
        );
        assert!(check_not_after_end("expense_date", d("2025-01-01"), d("2025-01-01")).is_ok());
        assert_eq!(
            check_not_after_end("expense_date", d("2025-01-02"), d("2025-01-01"))
                .unwrap_err()
                .code,
            Code::CaseEnded
        );
    }
}
