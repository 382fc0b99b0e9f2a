//! Forvaltningsloven §§ 22 og 24; Københavns Kommunes folder (003): "skriftlig afgørelse med begrundelse for alle bevilgede og ikke-bevilgede udgiftsposter": a budget decision lists every post applied for with what was granted, and a post granted less than applied for, or refused, carries its reason (and, where a rule decided it, the rule's code). A budget over the cap is granted up to the cap on the posts the caseworker chooses, each cut with its reason.
use super::grant::{Grant, PostSpec};
use bookkeeping::{Code, Error, Money, Result};
use rust_decimal::Decimal;

pub const LEGAL: &str = "Forvaltningsloven §§ 22 og 24: every post applied for, granted or not, is in the decision with its reasons";

/// What the family applied for on a post, and why less was granted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    pub amount: Option<Money>,
    pub hours: Option<Decimal>,
    pub refusal_reason: Option<String>,
    /// The rule that decided the cut, when one did (for example `training_cap_exceeded`).
    pub code: Option<Code>,
}

/// Whether the post was granted less than applied for.
pub fn cut(p: &PostSpec, granted: Money) -> bool {
    let hours_cut = match (&p.grant, p.applied.hours) {
        (Grant::Hours { hours, .. }, Some(asked)) => *hours < asked,
        _ => false,
    };
    p.applied.amount.is_some_and(|a| granted < a) || hours_cut
}

/// A post applied for and refused whole: granted 0.00 against an amount applied for, with its
/// reason.
pub fn refused_whole(p: &PostSpec, granted: Money) -> bool {
    granted.is_zero()
        && p.applied.amount.is_some_and(|a| a.is_positive())
        && p.applied.refusal_reason.is_some()
}

/// What was applied for is sound; never less than what is granted; a cut carries its reason;
/// a reason without a cut, or a code without a reason, is refused.
pub fn check(field: &str, p: &PostSpec, granted: Money) -> Result<()> {
    let a = &p.applied;
    if let Some(amount) = a.amount {
        if !amount.is_positive() {
            return Err(Error::field(
                Code::InvalidAmount,
                &format!("{field}.applied_amount"),
                "what was applied for is greater than 0.00",
            ));
        }
        if granted > amount {
            return Err(Error::field(
                Code::InvalidAmount,
                &format!("{field}.amount"),
                format!("the post is granted {granted}, more than the {amount} applied for"),
            ));
        }
    }
    if let Some(h) = a.hours {
        match &p.grant {
            Grant::Hours { hours, .. } if h > Decimal::ZERO && *hours <= h => {}
            Grant::Hours { .. } => {
                return Err(Error::field(
                    Code::InvalidHours,
                    &format!("{field}.applied_hours"),
                    "the hours applied for are above 0 and not below the hours granted",
                ))
            }
            Grant::Amount(_) => {
                return Err(Error::field(
                    Code::InvalidHours,
                    &format!("{field}.applied_hours"),
                    "hours applied for go with a post granted as hours × hourly rate",
                ))
            }
        }
    }
    if let Some(r) = &a.refusal_reason {
        bookkeeping::error::check_text(
            Code::InvalidReason,
            &format!("{field}.refusal_reason"),
            r,
            500,
            "a refusal reason is 1-500 characters",
        )?;
        crate::privacy::no_cpr::reject_in_text(&format!("{field}.refusal_reason"), r)?;
    }
    match (cut(p, granted), &a.refusal_reason) {
        (true, None) => Err(Error::field(
            Code::RefusalReasonRequired,
            &format!("{field}.refusal_reason"),
            "a post granted less than applied for, or refused, carries the reason (forvaltningsloven § 22: every post applied for, granted or not, with its reasons)",
        )
        .legal(LEGAL)),
        (false, Some(_)) => Err(Error::field(
            Code::InvalidValue,
            &format!("{field}.refusal_reason"),
            "a refusal reason goes with a post granted less than the amount or hours applied for (give applied_amount or applied_hours)",
        )),
        _ if a.code.is_some() && a.refusal_reason.is_none() => Err(Error::field(
            Code::InvalidValue,
            &format!("{field}.code"),
            "a rule's code goes with a refusal reason",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::grant::Category;

    fn post(granted: i64, applied: Option<i64>, reason: Option<&str>) -> PostSpec {
        PostSpec {
            category: Category::Equipment,
            description: "Måtter".into(),
            grant: Grant::Amount(Money::kroner(granted)),
            applied: Applied {
                amount: applied.map(Money::kroner),
                refusal_reason: reason.map(str::to_string),
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_cut_carries_its_reason() {
        let k = Money::kroner;
        assert!(check("p", &post(100, Some(100), None), k(100)).is_ok());
        assert!(check("p", &post(100, None, None), k(100)).is_ok());
        assert_eq!(
            check("p", &post(80, Some(100), None), k(80))
                .unwrap_err()
                .code,
            Code::RefusalReasonRequired
        );
        assert!(check("p", &post(80, Some(100), Some("Loftet")), k(80)).is_ok());
        assert_eq!(
            check("p", &post(120, Some(100), None), k(120))
                .unwrap_err()
                .code,
            Code::InvalidAmount
        );
        assert_eq!(
            check("p", &post(100, Some(100), Some("x")), k(100))
                .unwrap_err()
                .code,
            Code::InvalidValue
        );
        assert!(refused_whole(
            &post(0, Some(100), Some("Ikke træning")),
            Money::ZERO
        ));
    }
}
