//! Forvaltningsloven § 19 (partshøring): before money is claimed back, the family is heard: the facts, the amount and a date to answer by; its answer is recorded once, and no claim is decided until it is recorded or the date has passed.
use super::claim::{decided, Status, LEGAL};
use bookkeeping::error::check_text;
use bookkeeping::{Code, Error, Result};
use chrono::NaiveDate;

/// A hearing as sent, and the family's answer if it came.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hearing {
    pub sent_on: Option<NaiveDate>,
    pub respond_by: Option<NaiveDate>,
    pub response_received_on: Option<NaiveDate>,
}

/// A hearing: sent once, on a proposed claim, not in the future; the family answers by
/// `respond_by` (default `sent_on` + the municipality's `hearing_days`), which lies after
/// `sent_on`.
pub fn hearing(
    status: Status,
    h: Hearing,
    sent_on: NaiveDate,
    respond_by: Option<NaiveDate>,
    today: NaiveDate,
    hearing_days: i32,
) -> Result<NaiveDate> {
    if status != Status::Proposed {
        return Err(decided(status));
    }
    if h.sent_on.is_some() {
        return Err(Error::conflict(
            Code::HearingAlreadySent,
            "the family has been heard on this claim already; record its answer, or decide once the answer date has passed",
        ));
    }
    if sent_on > today {
        return Err(Error::field(
            Code::InvalidValue,
            "sent_on",
            format!("a hearing is not sent in the future (today is {today})"),
        ));
    }
    let by = respond_by.unwrap_or(sent_on + chrono::Duration::days(hearing_days.into()));
    if by <= sent_on {
        return Err(Error::field(
            Code::InvalidRespondBy,
            "respond_by",
            "the family answers after the hearing is sent: respond_by lies after sent_on",
        ));
    }
    Ok(by)
}

/// The family's answer: once, to a hearing that was sent, received on or after it and not in
/// the future, with a summary of what it said.
pub fn response(
    status: Status,
    h: Hearing,
    received_on: NaiveDate,
    summary: &str,
    today: NaiveDate,
) -> Result<()> {
    if status != Status::Proposed {
        return Err(decided(status));
    }
    let Some(sent_on) = h.sent_on else {
        return Err(Error::conflict(
            Code::NoHearing,
            "no hearing was sent on this claim: send one first",
        ));
    };
    if h.response_received_on.is_some() {
        return Err(Error::conflict(
            Code::ResponseAlreadyRecorded,
            "the family's answer is recorded already",
        ));
    }
    if received_on < sent_on || received_on > today {
        return Err(Error::field(
            Code::InvalidReceivedOn,
            "received_on",
            format!(
                "the answer is received on or after the hearing ({sent_on}) and not after today"
            ),
        ));
    }
    check_text(
        Code::InvalidSummary,
        "summary",
        summary,
        2000,
        "the summary of the family's answer is 1-2000 characters",
    )?;
    crate::privacy::no_cpr::reject_in_text("summary", summary)
}

/// The family has been heard: a hearing was sent, and its answer is recorded or its date to
/// answer by has passed. Until then no money is claimed (`hearing_required`).
pub fn check_heard(h: Hearing, today: NaiveDate) -> Result<()> {
    let heard = match (h.sent_on, h.respond_by, h.response_received_on) {
        (Some(_), _, Some(_)) => true,
        (Some(_), Some(by), None) => today > by,
        _ => false,
    };
    if heard {
        return Ok(());
    }
    Err(Error::conflict(
        Code::HearingRequired,
        match h.respond_by {
            Some(by) => format!("the family may answer the hearing until {by}: decide after that date, or once its answer is recorded"),
            None => "the family is heard before money is claimed back from it: send a hearing first".to_string(),
        },
    )
    .legal(LEGAL))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    fn heard() -> Hearing {
        Hearing {
            sent_on: Some(d("2025-03-01")),
            respond_by: Some(d("2025-03-15")),
            response_received_on: None,
        }
    }

    #[test]
    fn a_hearing_is_sent_once_and_answered_once() {
        let by = hearing(
            Status::Proposed,
            Hearing::default(),
            d("2025-03-01"),
            None,
            d("2025-03-01"),
            14,
        )
        .unwrap();
        assert_eq!(by, d("2025-03-15"));
        assert_eq!(
            hearing(
                Status::Proposed,
                heard(),
                d("2025-03-01"),
                None,
                d("2025-03-01"),
                14
            )
            .unwrap_err()
            .code,
            Code::HearingAlreadySent
        );
        assert_eq!(
            hearing(
                Status::Proposed,
                Hearing::default(),
                d("2025-03-01"),
                Some(d("2025-03-01")),
                d("2025-03-01"),
                14
            )
            .unwrap_err()
            .code,
            Code::InvalidRespondBy
        );
        assert_eq!(
            response(
                Status::Proposed,
                Hearing::default(),
                d("2025-03-02"),
                "ok",
                d("2025-03-02")
            )
            .unwrap_err()
            .code,
            Code::NoHearing
        );
        assert!(response(
            Status::Proposed,
            heard(),
            d("2025-03-02"),
            "Familien mener, udgiften var nødvendig",
            d("2025-03-02")
        )
        .is_ok());
    }
}
