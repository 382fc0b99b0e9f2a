//! Vejledningen pkt. 157 e: in the annual accounts the real, approved expenses are compared with what was prepaid, in total; if they are lower, the municipality may ask for the unspent money back (it can waive); if higher, the family is owed the difference. The rigid posts decide which expenses are approved; the settlement shows every post, and its result is one net figure.
use bookkeeping::{Code, EntryKind, Error, Money, NewEntry, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const LEGAL: &str = "Vejledningen pkt. 157 e: real expenses against what was prepaid, in total; the municipality may ask for the unspent money back";

/// One covered post's figures going in.
#[derive(Clone, Debug)]
pub struct PostFigures {
    pub post_id: String,
    pub granted: Money,
    pub prepaid: Money,
    pub approved: Money,
}

/// One covered post in the annual accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub post_id: String,
    pub granted: Money,
    pub prepaid: Money,
    pub approved: Money,
    pub unspent: Money,
    pub shortfall: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounts {
    pub lines: Vec<Line>,
    pub total_prepaid: Money,
    pub total_approved: Money,
    pub total_unspent: Money,
    pub total_shortfall: Money,
    /// What the municipality may ask back: max(0, prepaid − approved), in total.
    pub net_unspent: Money,
    /// What the family is owed: max(0, approved − prepaid), in total. Never both.
    pub net_shortfall: Money,
}

/// The annual accounts are settled once the budget year (or the case) has ended.
pub fn check_ended(year_end: NaiveDate, today: NaiveDate) -> Result<()> {
    if today <= year_end {
        return Err(Error::rule(
            Code::SettlementTooEarly,
            format!("the budget year runs until {year_end}; its accounts are settled after it (or the case) has ended"),
        )
        .legal(LEGAL));
    }
    Ok(())
}

/// The accounts are complete before they are settled: no expense on a covered post still awaits
/// its decision (the family would be asked to repay money it spent), and the documentation
/// deadline has passed, or the family has confirmed that its accounts are complete (a date not
/// after today and not before the year's end).
pub fn check_complete(
    pending_on_covered: Money,
    year_end: NaiveDate,
    documentation_due: NaiveDate,
    accounts_complete_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<()> {
    if pending_on_covered.is_positive() {
        return Err(Error::rule(
            Code::ExpensesPending,
            format!("expenses of {pending_on_covered} on the agreement's posts still await a decision; approve or reject them before the accounts are settled"),
        )
        .legal(LEGAL));
    }
    match accounts_complete_on {
        Some(on) if on > today || on <= year_end => Err(Error::field(
            Code::InvalidAccountsCompleteOn,
            "accounts_complete_on",
            format!("the family confirms its accounts after the year has ended ({year_end}) and not after today"),
        )),
        Some(_) => Ok(()),
        None if today <= documentation_due => Err(Error::rule(
            Code::DocumentationDeadlineNotReached,
            format!("the family may document the year's expenses until {documentation_due}; settle after it, or record the family's confirmation that its accounts are complete (accounts_complete_on)"),
        )
        .legal(LEGAL)),
        None => Ok(()),
    }
}

/// The accounts, post by post and in total.
pub fn settle(posts: &[PostFigures]) -> Accounts {
    let pos = |m: Money| if m.is_positive() { m } else { Money::ZERO };
    let lines: Vec<Line> = posts
        .iter()
        .map(|p| Line {
            post_id: p.post_id.clone(),
            granted: p.granted,
            prepaid: p.prepaid,
            approved: p.approved,
            unspent: pos(p.prepaid - p.approved),
            shortfall: pos(p.approved - p.prepaid),
        })
        .collect();
    let total_prepaid: Money = lines.iter().map(|l| l.prepaid).sum();
    let total_approved: Money = lines.iter().map(|l| l.approved).sum();
    Accounts {
        total_unspent: lines.iter().map(|l| l.unspent).sum(),
        total_shortfall: lines.iter().map(|l| l.shortfall).sum(),
        net_unspent: pos(total_prepaid - total_approved),
        net_shortfall: pos(total_approved - total_prepaid),
        lines,
        total_prepaid,
        total_approved,
    }
}

/// The shortfall owed to the family: moved from the overdrawn advance to what is payable.
pub fn shortfall_entry(id: &str, on: NaiveDate, amount: Money, accounts: (&str, &str)) -> NewEntry {
    NewEntry::new(
        EntryKind::Settlement,
        on,
        format!("Settlement {id}: shortfall owed"),
    )
    .source("settlement", id)
    .transfer(accounts.0, accounts.1, amount)
}

bookkeeping::string_enum!(
    /// What the municipality decides on unspent money.
    Decision {
        Claim => "claim",
        Waive => "waive",
        Offset => "offset",
    }
);

/// The entry of a decision on the unspent money: a claim makes it a receivable; a waiver writes
/// it off to waived repayments. An offset needs the family's written consent.
pub fn decision_entry(
    id: &str,
    decision: Decision,
    on: NaiveDate,
    net_unspent: Money,
    consented_on: Option<NaiveDate>,
    accounts: (&str, &str, &str),
) -> Result<Option<NewEntry>> {
    let (receivable, waived, advance) = accounts;
    match decision {
        Decision::Claim if net_unspent.is_positive() => Ok(Some(
            NewEntry::new(EntryKind::ClawbackClaimed, on, format!("Settlement {id}: unspent money claimed"))
                .source("settlement", id)
                .transfer(receivable, advance, net_unspent),
        )),
        Decision::Waive if net_unspent.is_positive() => Ok(Some(
            NewEntry::new(EntryKind::Settlement, on, format!("Settlement {id}: repayment waived"))
                .source("settlement", id)
                .transfer(waived, advance, net_unspent),
        )),
        Decision::Claim | Decision::Waive => Err(Error::rule(
            Code::NothingUnspent,
            "the accounts show no unspent money to claim or waive",
        )),
        // The withholding moves no money now: the unspent advance stays the family's advance,
        // as the first part of next year's fixed amount (see `offset`).
        Decision::Offset if net_unspent.is_positive() => match consented_on {
            None => Err(Error::field(
                Code::FamilyConsentRequired,
                "family_consented_on",
                "withholding from next year's fixed amount is set-off against future support: only with the family's written consent",
            )
            .legal(LEGAL)),
            Some(_) => Ok(None),
        },
        Decision::Offset => Err(Error::rule(
            Code::NothingUnspent,
            "the accounts show no unspent money to withhold",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// prepaid − approved = net_unspent − net_shortfall, never both, and the post lines add up.
        #[test]
        fn one_net_figure(posts in proptest::collection::vec((0i64..1_000_000, 0i64..1_000_000), 1..6)) {
            let figures: Vec<PostFigures> = posts.iter().enumerate().map(|(i, (p, a))| PostFigures {
                post_id: i.to_string(),
                granted: Money::from_ore(*p.max(a)),
                prepaid: Money::from_ore(*p),
                approved: Money::from_ore(*a),
            }).collect();
            let acc = settle(&figures);
            prop_assert_eq!(acc.total_prepaid - acc.total_approved, acc.net_unspent - acc.net_shortfall);
            prop_assert!(acc.net_unspent == Money::ZERO || acc.net_shortfall == Money::ZERO);
            prop_assert_eq!(acc.total_unspent - acc.total_shortfall, acc.net_unspent - acc.net_shortfall);
            for l in &acc.lines {
                prop_assert!(l.approved <= l.granted);
                prop_assert_eq!(l.prepaid - l.approved, l.unspent - l.shortfall);
            }
        }
    }

    fn p(id: &str, prepaid: i64, approved: i64) -> PostFigures {
        PostFigures {
            post_id: id.into(),
            granted: Money::kroner(prepaid),
            prepaid: Money::kroner(prepaid),
            approved: Money::kroner(approved),
        }
    }

    #[test]
    fn post_by_post_and_one_net_figure() {
        let a = settle(&[p("a", 1000, 400), p("b", 500, 700), p("c", 300, 300)]);
        assert_eq!(a.lines[0].unspent, Money::kroner(600));
        assert_eq!(a.lines[1].shortfall, Money::kroner(200));
        assert_eq!(a.net_unspent, Money::kroner(400));
        assert_eq!(a.net_shortfall, Money::ZERO);
        let b = settle(&[p("a", 100, 400)]);
        assert_eq!(
            (b.net_unspent, b.net_shortfall),
            (Money::ZERO, Money::kroner(300))
        );
        let e = decision_entry(
            "s",
            Decision::Offset,
            chrono::NaiveDate::MIN,
            Money::kroner(1),
            None,
            ("1200", "5180", "1100"),
        );
        assert_eq!(e.unwrap_err().code, Code::FamilyConsentRequired);
    }
}
