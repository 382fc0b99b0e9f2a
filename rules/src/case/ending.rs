//! Barnets lov § 85; Copenhagen folder, 'Ophør af hjemmetræning': a case ends by decision (ophør), not before it began, once, and not before what is already booked on it.
use super::age_limit;
use crate::privacy::no_cpr;
use bookkeeping::{Code, Error, Result};
use chrono::NaiveDate;

pub const LEGAL: &str = "Barnets lov § 85; Copenhagen folder, 'Ophør af hjemmetræning': the municipality stops paying for what happens after the end date";

/// What an end is judged against.
pub struct Facts<'a> {
    pub external_ref: &'a str,
    pub application_date: NaiveDate,
    /// The end already decided, if any.
    pub end_date: Option<NaiveDate>,
    pub effective_end: NaiveDate,
    /// The latest date of an approved or pending expense on the case.
    pub last_booked: Option<NaiveDate>,
}

pub fn check(f: &Facts, end_date: NaiveDate, reason: &str) -> Result<()> {
    bookkeeping::error::check_text(
        Code::InvalidReason,
        "reason",
        reason,
        500,
        "an end needs a reason of 1-500 characters",
    )?;
    no_cpr::reject_in_text("reason", reason)?;
    if f.end_date.is_some() {
        return Err(Error::conflict(
            Code::CaseAlreadyEnded,
            format!(
                "case {} already ended on {}",
                f.external_ref, f.effective_end
            ),
        ));
    }
    if end_date < f.application_date {
        return Err(Error::field(
            Code::InvalidEndDate,
            "end_date",
            "a case cannot end before its application date",
        ));
    }
    if let Some(last) = f.last_booked.filter(|last| *last > end_date) {
        return Err(Error::field(
            Code::CaseHasLaterBookings,
            "end_date",
            format!("expenses dated up to {last} are already approved or pending on the case; reject or reverse them before ending it earlier"),
        )
        .legal(age_limit::LEGAL));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn accepts_and_refuses() {
        let f = Facts {
            external_ref: "SAG-1",
            application_date: d("2025-01-01"),
            end_date: None,
            effective_end: d("2030-01-01"),
            last_booked: Some(d("2025-05-01")),
        };
        assert!(check(&f, d("2025-06-30"), "ophør").is_ok());
        let code = |f: &Facts, end: &str, reason: &str| check(f, d(end), reason).unwrap_err().code;
        assert_eq!(code(&f, "2025-06-30", " "), Code::InvalidReason);
        assert_eq!(code(&f, "2024-12-31", "x"), Code::InvalidEndDate);
        assert_eq!(code(&f, "2025-04-30", "x"), Code::CaseHasLaterBookings);
        let ended = Facts {
            end_date: Some(d("2025-06-30")),
            ..f
        };
        assert_eq!(code(&ended, "2025-07-30", "x"), Code::CaseAlreadyEnded);
    }
}
