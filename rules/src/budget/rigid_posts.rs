//! Copenhagen folder, 'Udgifter og budget': each post is tied to an expense and an amount cannot be moved from one post to another; only a decision changes a post.
use super::grant::Category;
use bookkeeping::account::Locked;
use bookkeeping::{chart, AccountKind, BalanceConstraint, Code, Error, Money, Result};
use rust_decimal::Decimal;

pub const LEGAL: &str = "Copenhagen folder, 'Udgifter og budget': each post is tied to an expense; an amount cannot be moved from one post to another";

/// Budget-post accounts are coded `BP-<post id>`: only budget decisions open them.
pub const POST_ACCOUNT_PREFIX: &str = "BP-";

/// The budget account of a new post: credited by grants, debited by approved expenses, and never
/// debited beyond its credits. There is no entry kind that moves money between two posts. Its name
/// holds the category and the post's id only: no family data in the ledger.
pub fn post_account(post_id: &str, category: Category) -> (String, String, BalanceConstraint) {
    (
        format!("{POST_ACCOUNT_PREFIX}{post_id}"),
        format!("Budget post {category} {post_id}"),
        BalanceConstraint::DebitsMustNotExceedCredits,
    )
}

/// What a post holds now.
#[derive(Clone, Debug)]
pub struct PostState {
    pub label: String,
    pub category: Category,
    pub granted: Money,
    pub approved: Money,
    pub pending: Money,
    pub hours_granted: Option<Decimal>,
    pub hours_used: Decimal,
    pub hours_pending: Decimal,
}

impl PostState {
    pub fn remaining(&self) -> Money {
        self.granted - self.approved
    }
}

/// A post cannot pay more than it has left, whatever other posts hold. `count_pending` counts
/// submissions not yet decided, so that a post is not promised twice.
pub fn check_left(
    post: &PostState,
    amount: Money,
    hours: Option<Decimal>,
    count_pending: bool,
) -> Result<()> {
    let pending = if count_pending {
        post.pending
    } else {
        Money::ZERO
    };
    let left = post.granted - post.approved - pending;
    if amount > left {
        let pending_note = if count_pending {
            format!(", pending {}", post.pending)
        } else {
            String::new()
        };
        return Err(Error::rule(
            Code::BudgetPostExceeded,
            format!(
                "post {} has {left} left (granted {}, approved {}{pending_note}); the expense of {amount} exceeds it. Money cannot be moved from another post: a supplementary decision must raise this one",
                post.label, post.granted, post.approved
            ),
        )
        .legal(LEGAL)
        .with_field("amount", format!("post has {left} left"))
        .figure("granted", post.granted)
        .figure("approved", post.approved)
        .figure("pending", pending)
        .figure("remaining", left)
        .figure("amount", amount));
    }
    if let (Some(granted), Some(h)) = (post.hours_granted, hours) {
        let pending = if count_pending {
            post.hours_pending
        } else {
            Decimal::ZERO
        };
        let used = post.hours_used + pending;
        if used + h > granted {
            return Err(Error::rule(
                Code::BudgetPostHoursExceeded,
                format!(
                    "post {} has {} of {granted} hours left; the expense uses {h}",
                    post.label,
                    granted - used
                ),
            )
            .legal(LEGAL)
            .with_field("hours", "exceeds the hours granted")
            .figure("hours_left", granted - used)
            .figure("hours", h));
        }
    }
    Ok(())
}

/// A post cannot be lowered below what is already approved on it (amount or hours).
pub fn check_lowering(
    post: &PostState,
    new_amount: Money,
    new_hours: Option<Decimal>,
) -> Result<()> {
    if new_amount < post.approved {
        return Err(Error::rule(
            Code::PostBelowApproved,
            format!(
                "post {} cannot be lowered to {new_amount}: {} is already approved on it",
                post.label, post.approved
            ),
        )
        .legal(LEGAL));
    }
    if let Some(h) = new_hours.filter(|h| *h < post.hours_used) {
        return Err(Error::rule(
            Code::PostBelowApproved,
            format!(
                "post {} cannot be lowered to {h} hours: {} hours are already used",
                post.label, post.hours_used
            ),
        ));
    }
    Ok(())
}

/// The race guard's refusal, named by this rule: when a post's budget account refuses a debit
/// (its constraint `debits_must_not_exceed_credits`), the post has not enough left.
pub fn explain_overspend(post_label: &str, amount: Money, err: Error) -> Error {
    if err.code == Code::BalanceConstraintViolated {
        return Error::rule(
            Code::BudgetPostExceeded,
            format!("post {post_label} has not enough left for {amount}; money cannot be moved between posts"),
        )
        .legal(LEGAL);
    }
    err
}

/// Budget-post accounts move only by decisions (grants, amendments, approvals), and the payables
/// to families only by approvals and payments: a manual entry may touch neither, so money can
/// never be moved from one post to another by hand.
pub fn check_manual_entry(touched: &[Locked]) -> Result<()> {
    if let Some(r) = touched
        .iter()
        .find(|r| chart::MANAGED_BY_DECISIONS.contains(&r.code.as_str()))
    {
        return Err(Error::rule(
            Code::AccountManagedByDecisions,
            format!("account {} is kept by approvals and payments (its sub-ledger is the payables); a manual entry may not post to it", r.code),
        )
        .with_field("postings", "use the decision that owns the account"));
    }
    if let Some(r) = touched.iter().find(|r| r.kind == AccountKind::Budget) {
        return Err(Error::rule(
            Code::BudgetAccountsNotManual,
            format!("account {} is a budget account; budget posts change only by a decision (grant or amendment) and money cannot be moved between posts", r.code),
        )
        .legal(LEGAL)
        .with_field("postings", "a manual entry may not post to budget accounts"));
    }
    Ok(())
}

/// Budget accounts are opened by budget decisions, never by hand.
pub fn check_manual_account(code: &str, kind: AccountKind) -> Result<()> {
    if kind == AccountKind::Budget || code.to_ascii_uppercase().starts_with(POST_ACCOUNT_PREFIX) {
        return Err(Error::field(
            Code::BudgetAccountsByDecision,
            "kind",
            "budget accounts (and the BP- codes) are opened by budget decisions, not by hand",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(granted: i64, approved: i64, pending: i64) -> PostState {
        PostState {
            label: "equipment \"mats\"".into(),
            category: Category::Equipment,
            granted: Money::kroner(granted),
            approved: Money::kroner(approved),
            pending: Money::kroner(pending),
            hours_granted: None,
            hours_used: Decimal::ZERO,
            hours_pending: Decimal::ZERO,
        }
    }

    #[test]
    fn a_post_pays_what_it_has_left() {
        let p = post(100, 60, 30);
        assert!(check_left(&p, Money::kroner(10), None, true).is_ok());
        let e = check_left(&p, Money::kroner(11), None, true).unwrap_err();
        assert_eq!(e.code, Code::BudgetPostExceeded);
        assert!(e.detail.contains("10.00 left"));
        assert!(check_left(&p, Money::kroner(40), None, false).is_ok());
        let hours = PostState {
            hours_granted: Some(Decimal::from(10)),
            hours_used: Decimal::from(8),
            ..post(1000, 0, 0)
        };
        assert_eq!(
            check_left(&hours, Money::kroner(1), Some(Decimal::from(3)), false)
                .unwrap_err()
                .code,
            Code::BudgetPostHoursExceeded
        );
    }

    #[test]
    fn lowering_and_manual_entries() {
        let p = post(100, 60, 0);
        assert!(check_lowering(&p, Money::kroner(60), None).is_ok());
        assert_eq!(
            check_lowering(&p, Money::kroner(59), None)
                .unwrap_err()
                .code,
            Code::PostBelowApproved
        );
        let locked = |code: &str, kind| Locked {
            id: "a".into(),
            code: code.into(),
            name: "x".into(),
            kind,
            constraint: BalanceConstraint::None,
            debits: Money::ZERO,
            credits: Money::ZERO,
        };
        assert!(check_manual_entry(&[locked("1000", AccountKind::Asset)]).is_ok());
        assert_eq!(
            check_manual_entry(&[locked("BP-1", AccountKind::Budget)])
                .unwrap_err()
                .code,
            Code::BudgetAccountsNotManual
        );
        assert_eq!(
            check_manual_entry(&[locked(chart::PAYABLES_TO_FAMILIES, AccountKind::Liability)])
                .unwrap_err()
                .code,
            Code::AccountManagedByDecisions
        );
        assert_eq!(
            check_manual_account("bp-x", AccountKind::Asset)
                .unwrap_err()
                .code,
            Code::BudgetAccountsByDecision
        );
    }
}
