//! A home-training case: approved, running, and ended by decision (ophør) or by the child's 18th birthday.
use super::legal;
use crate::book::string_enum;
use crate::error::{Error, Result};
use chrono::{Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

string_enum!(
    /// Full home training instead of a municipal offer, or partial beside one.
    Scope {
        Full => "full",
        Partial => "partial",
    }
);

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct Case {
    pub id: String,
    /// The case system's reference, unique per municipality. Never a CPR number.
    #[schema(example = "SAG-2025-0042")]
    pub external_ref: String,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: Scope,
    /// The decided end (ophør), if any.
    pub end_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// The day before the child's 18th birthday: the scheme ends then at the latest.
    pub ends_at_18: NaiveDate,
    /// The last day anything may be booked on the case: the earlier of `end_date` and `ends_at_18`.
    pub effective_end: NaiveDate,
    pub created_by: String,
    #[serde(serialize_with = "crate::utc::ser")]
    pub created_at: NaiveDateTime,
}

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

use chrono::Datelike;

pub fn effective_end(end_date: Option<NaiveDate>, birth: NaiveDate) -> NaiveDate {
    let at18 = day_before_18th_birthday(birth);
    end_date.map_or(at18, |e| e.min(at18))
}

/// Digits as ASCII whatever script they are written in (full-width digits keep their value;
/// other scripts' digits count as digits), so "０１０１９０１２３４" is seen for what it is.
fn ascii_digits(s: &str, drop_spaces: bool) -> String {
    s.chars()
        .filter(|c| !(drop_spaces && c.is_whitespace()))
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            c if c.is_numeric() && !c.is_ascii_digit() => '0',
            c => c,
        })
        .collect()
}

/// True when a reference holds something shaped like a CPR number: ten digits, optionally with
/// a dash after the sixth, not part of a longer run of digits. Spaces are ignored, so
/// "010190 1234" and "01 01 90 1234" are caught too.
pub fn looks_like_cpr(s: &str) -> bool {
    cpr_candidates(&ascii_digits(s, true), |b: u8| b.is_ascii_digit())
        .next()
        .is_some()
}

/// True when free text mentions a CPR number: the same shape, standing apart from letters and
/// digits, and starting with a real day and month (DDMMYY), so that ids and invoice numbers
/// inside text are not mistaken for one.
pub fn mentions_cpr(s: &str) -> bool {
    cpr_candidates(&ascii_digits(s, false), |b: u8| b.is_ascii_alphanumeric()).any(|d| {
        let day = (d[0] - b'0') * 10 + (d[1] - b'0');
        let month = (d[2] - b'0') * 10 + (d[3] - b'0');
        (1..=31).contains(&day) && (1..=12).contains(&month)
    })
}

/// The first six digits of every CPR-shaped run whose neighbours fail `joins`.
fn cpr_candidates<F: Fn(u8) -> bool>(
    s: &str,
    joins: F,
) -> impl Iterator<Item = [u8; 6]> + use<'_, F> {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    (0..b.len()).filter_map(move |i| {
        if !digit(i) || (i > 0 && joins(b[i - 1])) || !(i..i + 6).all(digit) {
            return None;
        }
        let rest = if b.get(i + 6) == Some(&b'-') {
            i + 7
        } else {
            i + 6
        };
        let after = b.get(rest + 4).copied();
        ((rest..rest + 4).all(digit) && !after.is_some_and(&joins))
            .then(|| [b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5]])
    })
}

fn cpr_error(field: &str) -> Error {
    Error::field(
        "cpr_number_not_allowed",
        field,
        format!("{field} looks like it holds a CPR number; the ledger never stores personal identification numbers: use the case system's reference"),
    )
    .legal(legal::NO_CPR)
}

/// A reference field: anything CPR-shaped is refused.
pub fn reject_cpr(field: &str, value: &str) -> Result<()> {
    if looks_like_cpr(value) {
        return Err(cpr_error(field));
    }
    Ok(())
}

/// A free-text field: a CPR number mentioned in it is refused.
pub fn reject_cpr_in_text(field: &str, value: &str) -> Result<()> {
    if mentions_cpr(value) {
        return Err(cpr_error(field));
    }
    Ok(())
}

#[derive(Clone, Debug, Deserialize)]
pub struct NewCase {
    pub external_ref: String,
    pub child_birth_date: NaiveDate,
    pub application_date: NaiveDate,
    pub approval_date: NaiveDate,
    pub scope: Scope,
}

pub fn validate_new_case(c: &NewCase) -> Result<()> {
    let r = c.external_ref.trim();
    if r.is_empty() || r.chars().count() > 64 {
        return Err(Error::field(
            "invalid_external_ref",
            "external_ref",
            "the case reference is 1-64 characters",
        ));
    }
    reject_cpr("external_ref", r)?;
    if c.child_birth_date > c.application_date {
        return Err(Error::field(
            "invalid_birth_date",
            "child_birth_date",
            "the child's birth date cannot be after the application date",
        ));
    }
    if c.application_date > day_before_18th_birthday(c.child_birth_date) {
        return Err(Error::field(
            "child_over_18",
            "application_date",
            "home training is for children under 18; the child is 18 on the application date",
        )
        .legal(legal::CASE_END));
    }
    if c.approval_date > chrono::Utc::now().date_naive() {
        return Err(Error::field(
            "approval_in_future",
            "approval_date",
            "a case is registered once approved; the approval date cannot be in the future",
        ));
    }
    if c.approval_date < c.application_date {
        return Err(Error::field(
            "invalid_approval_date",
            "approval_date",
            "the approval date cannot be before the application date",
        ));
    }
    Ok(())
}

/// Ending a case (ophør): not before it began, not twice, not before what is already booked.
pub fn validate_end(
    case: &Case,
    end_date: NaiveDate,
    reason: &str,
    last_booked: Option<NaiveDate>,
) -> Result<()> {
    if reason.trim().is_empty() || reason.chars().count() > 500 {
        return Err(Error::field(
            "invalid_reason",
            "reason",
            "an end needs a reason of 1-500 characters",
        ));
    }
    reject_cpr_in_text("reason", reason)?;
    if case.end_date.is_some() {
        return Err(Error::conflict(
            "case_already_ended",
            format!(
                "case {} already ended on {}",
                case.external_ref, case.effective_end
            ),
        ));
    }
    if end_date < case.application_date {
        return Err(Error::field(
            "invalid_end_date",
            "end_date",
            "a case cannot end before its application date",
        ));
    }
    if let Some(last) = last_booked {
        if last > end_date {
            return Err(Error::field(
                "case_has_later_bookings",
                "end_date",
                format!("expenses dated up to {last} are already approved or pending on the case; reject or reverse them before ending it earlier"),
            )
            .legal(legal::CASE_END));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpr_shapes() {
        assert!(looks_like_cpr("0101901234"));
        assert!(looks_like_cpr("010190-1234"));
        assert!(looks_like_cpr("ref 010190-1234 x"));
        assert!(!looks_like_cpr("SAG-2025-0042"));
        assert!(!looks_like_cpr("01019012345"));
        assert!(!looks_like_cpr("123456789"));
        assert!(looks_like_cpr("1234567890"));
        assert!(mentions_cpr("child 010190-1234 trains"));
        assert!(!mentions_cpr("id a0101901234b"));
        assert!(!mentions_cpr("invoice 9999901234"));
        assert!(looks_like_cpr("01 01 90 1234"));
        assert!(looks_like_cpr("010190 1234"));
        assert!(looks_like_cpr("０１０１９０１２３４"));
        assert!(mentions_cpr("barn ０１０１９０-１２３４"));
    }

    #[test]
    fn eighteenth_birthday() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
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
}
