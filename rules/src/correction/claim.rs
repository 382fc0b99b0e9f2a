//! Forvaltningsloven § 19 (partshøring), §§ 22-24 (reasons) and the rules on revoking a favourable decision: money paid that a later decision showed was not due is first a proposed claim that nobody owes; the family is heard (the facts, the amount and a date to answer by); then a decision claims all of it, part of it (the rest waived) or waives it, each with reasons and appeal guidance.
use bookkeeping::{Code, EntryKind, Error, Money, NewEntry, Result};
use chrono::NaiveDate;

pub use super::hearing::{check_heard, hearing, response, Hearing};

pub const LEGAL: &str = "Forvaltningsloven § 19 (partshøring før en afgørelse om tilbagebetaling), §§ 22-24 (begrundelse); forvaltningsrettens almindelige regler om tilbagekaldelse af begunstigende afgørelser: the municipality may claim back what was paid and not due, in whole or in part, or waive it";

/// Where a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Found, not decided: nobody owes it.
    Proposed,
    /// Claimed: owed until repaid.
    Open,
    Settled,
    Waived,
    /// Its settlement was reopened before anything was repaid on it.
    Cancelled,
}

impl Status {
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "proposed" => Some(Status::Proposed),
            "open" => Some(Status::Open),
            "settled" => Some(Status::Settled),
            "waived" => Some(Status::Waived),
            "cancelled" => Some(Status::Cancelled),
            _ => None,
        }
    }
}

pub(super) fn decided(status: Status) -> Error {
    Error::conflict(
        Code::ClaimDecided,
        format!("the claim is decided already ({status:?}); a decision is changed by appeal, not by a second decision"),
    )
}

/// What the decision books: the claimed amount (a receivable) and the rest waived (a loss).
#[derive(Debug)]
pub struct Decided {
    pub claimed: Money,
    pub waived: Money,
    pub entries: Vec<NewEntry>,
}

/// The accounts a decided claim moves: from the overpayment under review to the receivable
/// (claimed) or to the loss (waived).
pub struct Accounts<'a> {
    pub under_review: &'a str,
    pub receivable: &'a str,
    pub waived: &'a str,
}

/// A decision on a proposed claim: not before the family was heard (the hearing sent, and its
/// answer recorded or its date passed); `claim` takes all, or `amount` of it (the rest
/// waived in the same decision); `waive` writes it off.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    clawback_id: &str,
    status: Status,
    h: Hearing,
    proposed: Money,
    claim: bool,
    amount: Option<Money>,
    decided_on: NaiveDate,
    today: NaiveDate,
    accounts: &Accounts,
) -> Result<Decided> {
    if status != Status::Proposed {
        return Err(decided(status));
    }
    check_heard(h, today)?;
    if decided_on > today || h.sent_on.is_some_and(|s| decided_on < s) {
        return Err(Error::field(
            Code::InvalidDecidedOn,
            "decided_on",
            format!(
                "the decision is dated after the hearing was sent and not after today ({today})"
            ),
        ));
    }
    let claimed = match (claim, amount) {
        (false, Some(_)) => {
            return Err(Error::field(
                Code::InvalidValue,
                "amount",
                "an amount is given with `claim` (the part claimed); `waive` waives all of it",
            ))
        }
        (false, None) => Money::ZERO,
        (true, None) => proposed,
        (true, Some(a)) if a.is_positive() && a <= proposed => a,
        (true, Some(_)) => {
            return Err(Error::field(
                Code::InvalidAmount,
                "amount",
                format!(
                    "the amount claimed is above 0.00 and at most the {proposed} that was not due"
                ),
            ))
        }
    };
    let waived = proposed - claimed;
    let mut entries = vec![];
    if claimed.is_positive() {
        entries.push(
            NewEntry::new(
                EntryKind::ClawbackClaimed,
                decided_on,
                format!("Repayment claimed: claim {clawback_id}"),
            )
            .source("clawback", clawback_id)
            .transfer(accounts.receivable, accounts.under_review, claimed),
        );
    }
    if waived.is_positive() {
        entries.push(
            NewEntry::new(
                EntryKind::ClawbackWaived,
                decided_on,
                format!("Repayment waived: claim {clawback_id}"),
            )
            .source("clawback", clawback_id)
            .transfer(accounts.waived, accounts.under_review, waived),
        );
    }
    Ok(Decided {
        claimed,
        waived,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    const ACC: Accounts = Accounts {
        under_review: "1250",
        receivable: "1200",
        waived: "5180",
    };

    fn heard() -> Hearing {
        Hearing {
            sent_on: Some(d("2025-03-01")),
            respond_by: Some(d("2025-03-15")),
            response_received_on: None,
        }
    }

    #[test]
    fn nothing_is_decided_before_the_family_is_heard() {
        let k = |h, today| {
            decide(
                "c",
                Status::Proposed,
                h,
                Money::kroner(100),
                true,
                None,
                d("2025-03-10"),
                d(today),
                &ACC,
            )
            .map(|x| x.claimed)
        };
        assert_eq!(
            k(Hearing::default(), "2025-03-10").unwrap_err().code,
            Code::HearingRequired
        );
        assert_eq!(
            k(heard(), "2025-03-15").unwrap_err().code,
            Code::HearingRequired
        );
        assert_eq!(k(heard(), "2025-03-16").unwrap(), Money::kroner(100));
        let answered = Hearing {
            response_received_on: Some(d("2025-03-05")),
            ..heard()
        };
        assert_eq!(k(answered, "2025-03-10").unwrap(), Money::kroner(100));
    }

    #[test]
    fn a_part_is_claimed_and_the_rest_waived_in_one_decision() {
        let x = decide(
            "c",
            Status::Proposed,
            heard(),
            Money::kroner(100),
            true,
            Some(Money::kroner(60)),
            d("2025-03-20"),
            d("2025-03-20"),
            &ACC,
        )
        .unwrap();
        assert_eq!(
            (x.claimed, x.waived),
            (Money::kroner(60), Money::kroner(40))
        );
        assert_eq!(x.entries.len(), 2);
        let over = decide(
            "c",
            Status::Proposed,
            heard(),
            Money::kroner(100),
            true,
            Some(Money::kroner(101)),
            d("2025-03-20"),
            d("2025-03-20"),
            &ACC,
        );
        assert_eq!(over.unwrap_err().code, Code::InvalidAmount);
        let w = decide(
            "c",
            Status::Proposed,
            heard(),
            Money::kroner(100),
            false,
            None,
            d("2025-03-20"),
            d("2025-03-20"),
            &ACC,
        )
        .unwrap();
        assert_eq!(
            (w.claimed, w.waived, w.entries.len()),
            (Money::ZERO, Money::kroner(100), 1)
        );
        let again = decide(
            "c",
            Status::Open,
            heard(),
            Money::kroner(100),
            false,
            None,
            d("2025-03-20"),
            d("2025-03-20"),
            &ACC,
        );
        assert_eq!(again.unwrap_err().code, Code::ClaimDecided);
    }
}
