//! Copenhagen folder, 'Udgifter og budget': expenses may be granted retroactively back to the application date, not before.
use bookkeeping::{Code, Error, Result};
use chrono::NaiveDate;

pub const LEGAL: &str = "Copenhagen folder, 'Udgifter og budget': expenses may be granted retroactively back to the application date, not before";

/// An expense dated before the application is not covered; one between application and
/// approval is.
pub fn check(date: NaiveDate, application_date: NaiveDate) -> Result<()> {
    check_field("expense_date", date, application_date)
}

/// The same, naming the field the date came from (`service_from` when a service period is given).
pub fn check_field(field: &str, date: NaiveDate, application_date: NaiveDate) -> Result<()> {
    if date < application_date {
        return Err(Error::field(
            Code::ExpenseBeforeApplication,
            field,
            format!("the expense is for {date}, before the application date {application_date}; only expenses from the application date on can be covered"),
        )
        .legal(LEGAL)
        .figure("application_date", application_date));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_to_the_application_not_before() {
        let app = "2025-01-06".parse().unwrap();
        assert!(check(app, app).is_ok());
        let e = check("2025-01-05".parse().unwrap(), app).unwrap_err();
        assert_eq!(e.code, Code::ExpenseBeforeApplication);
        assert_eq!(e.legal_reference.as_deref(), Some(LEGAL));
    }
}
