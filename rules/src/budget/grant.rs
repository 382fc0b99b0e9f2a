//! Bekendtgørelse om hjemmetræning § 6, stk. 1-2; Copenhagen folder, 'Udgifter og budget': a budget grants posts, each tied to one kind of expense, as an amount or, for helper trainers, hours × an hourly rate.
use crate::privacy::no_cpr;
use bookkeeping::{string_enum, Code, Error, Money, Result};
use rust_decimal::{Decimal, RoundingStrategy};

string_enum!(
    /// What a post is for; each category books to its own expense account.
    Category {
        HelperTrainers => "helper_trainers",
        Equipment => "equipment",
        Courses => "courses",
        Supervision => "supervision",
        Supplements => "supplements",
        Transport => "transport",
        Insurance => "insurance",
        PayrollAdministration => "payroll_administration",
        Other => "other",
    }
);

/// Posts per budget year: far above any real budget, and it keeps one grant entry small.
pub const MAX_POSTS: usize = 50;

/// What a decision grants for one post: an amount, or for helper trainers hours × hourly rate
/// (then the hours are a limit too).
#[derive(Clone, Debug, PartialEq)]
pub enum Grant {
    Amount(Money),
    Hours { hours: Decimal, hourly_rate: Money },
}

impl Grant {
    /// The granted amount: hours × rate, rounded once to the øre, half away from zero.
    pub fn amount(&self) -> Result<Money> {
        match self {
            Grant::Amount(m) => Ok(*m),
            Grant::Hours { hours, hourly_rate } => {
                let exact = hours.checked_mul(hourly_rate.to_decimal()).ok_or_else(|| {
                    Error::field(
                        Code::InvalidAmount,
                        "hours",
                        "hours × hourly rate is too large",
                    )
                })?;
                Money::round(exact)
                    .map_err(|e| Error::field(Code::InvalidAmount, "hours", e.to_string()))
            }
        }
    }

    pub fn explain(&self) -> String {
        match self {
            Grant::Amount(m) => format!("granted as an amount: {m}"),
            Grant::Hours { hours, hourly_rate } => {
                let exact = *hours * hourly_rate.to_decimal();
                format!(
                    "granted as {hours} hours × {hourly_rate} per hour = {} (rounded once to the øre, half away from zero: {})",
                    exact.normalize(),
                    exact.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                )
            }
        }
    }

    pub fn hours(&self) -> Option<Decimal> {
        match self {
            Grant::Hours { hours, .. } => Some(*hours),
            Grant::Amount(_) => None,
        }
    }

    pub fn hourly_rate(&self) -> Option<Money> {
        match self {
            Grant::Hours { hourly_rate, .. } => Some(*hourly_rate),
            Grant::Amount(_) => None,
        }
    }
}

/// A grant as a request states it: an amount, or hours and an hourly rate, never a mix.
pub fn grant_from_parts(
    field: &str,
    amount: Option<Money>,
    hours: Option<Decimal>,
    hourly_rate: Option<Money>,
) -> Result<Grant> {
    match (amount, hours, hourly_rate) {
        (Some(a), None, None) => Ok(Grant::Amount(a)),
        (None, Some(hours), Some(hourly_rate)) => Ok(Grant::Hours { hours, hourly_rate }),
        _ => Err(Error::field(
            Code::InvalidPost,
            field,
            "a post is granted either an amount, or (helper trainers) hours and an hourly rate",
        )),
    }
}

/// A post as a decision grants it, and what the family applied for on it.
#[derive(Clone, Debug)]
pub struct PostSpec {
    pub category: Category,
    pub description: String,
    pub grant: Grant,
    pub applied: super::itemised::Applied,
}

impl PostSpec {
    pub fn label(&self) -> String {
        format!("{} \"{}\"", self.category, self.description.trim())
    }
}

pub const HOURS_RULE: &str =
    "hours are a positive number of at most 10000 with at most two decimals";

/// Hours: positive, at most two decimals, and at most 10,000 (a year has 8,760).
pub fn valid_hours(h: Decimal) -> bool {
    h > Decimal::ZERO && h.normalize().scale() <= 2 && h <= Decimal::from(10_000)
}

/// An hours grant: on a helper-trainer post only, sensible hours, a positive rate.
pub fn check_hours_grant(field: &str, category: Category, grant: &Grant) -> Result<()> {
    let Grant::Hours { hours, hourly_rate } = grant else {
        return Ok(());
    };
    if category != Category::HelperTrainers {
        return Err(Error::field(
            Code::HoursOnlyForHelperTrainers,
            &format!("{field}.hours"),
            "only a helper-trainer post may be granted as hours × hourly rate",
        ));
    }
    if !valid_hours(*hours) {
        return Err(Error::field(
            Code::InvalidHours,
            &format!("{field}.hours"),
            HOURS_RULE,
        ));
    }
    if !hourly_rate.is_positive() {
        return Err(Error::field(
            Code::InvalidAmount,
            &format!("{field}.hourly_rate"),
            "the hourly rate must be greater than 0.00",
        ));
    }
    Ok(())
}

/// One post: a description, a sensible grant, an amount above zero. Returns the amount.
pub fn check_post(field: &str, p: &PostSpec) -> Result<Money> {
    bookkeeping::error::check_text(
        Code::InvalidDescription,
        &format!("{field}.description"),
        &p.description,
        500,
        "a post needs a description of 1-500 characters",
    )?;
    no_cpr::reject_in_text(&format!("{field}.description"), &p.description)?;
    check_hours_grant(field, p.category, &p.grant)?;
    let amount = p.grant.amount()?;
    super::itemised::check(field, p, amount)?;
    // A post applied for and refused whole is granted 0.00, with its reason.
    if amount.is_zero() && super::itemised::refused_whole(p, amount) {
        return Ok(amount);
    }
    if !amount.is_positive() {
        return Err(Error::field(
            Code::InvalidAmount,
            &format!("{field}.amount"),
            "a post is granted an amount greater than 0.00",
        ));
    }
    Ok(amount)
}

/// The posts of a new budget year: at least one, at most `MAX_POSTS`, each sound. Returns their total.
pub fn check_posts(posts: &[PostSpec]) -> Result<Money> {
    if posts.is_empty() {
        return Err(Error::field(
            Code::NoPosts,
            "posts",
            "a budget year grants at least one post",
        ));
    }
    if posts.len() > MAX_POSTS {
        return Err(too_many_posts("posts"));
    }
    let total = posts
        .iter()
        .enumerate()
        .try_fold(Money::ZERO, |total, (i, p)| {
            Ok::<_, Error>(total + check_post(&format!("posts[{i}]"), p)?)
        })?;
    if !total.is_positive() {
        return Err(Error::field(
            Code::NoPosts,
            "posts",
            "a budget year grants at least one post; a budget refused whole is refused, not granted",
        ));
    }
    Ok(total)
}

pub fn too_many_posts(field: &str) -> Error {
    Error::field(
        Code::TooManyPosts,
        field,
        format!("a budget year has at most {MAX_POSTS} posts"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_times_rate_rounds_once() {
        let g = Grant::Hours {
            hours: Decimal::new(3333, 2),
            hourly_rate: Money::from_ore(15_015),
        };
        // 33.33 × 150.15 = 5004.4995 → 5004.50
        assert_eq!(g.amount().unwrap(), Money::from_ore(500_450));
        assert!(g.explain().contains("5004.4995"));
    }

    #[test]
    fn posts_are_checked() {
        let post = |category, grant| PostSpec {
            category,
            description: "x".into(),
            grant,
            applied: Default::default(),
        };
        let hours = Grant::Hours {
            hours: Decimal::from(10),
            hourly_rate: Money::kroner(150),
        };
        assert_eq!(
            check_posts(&[post(Category::HelperTrainers, hours.clone())]).unwrap(),
            Money::kroner(1500)
        );
        assert_eq!(check_posts(&[]).unwrap_err().code, Code::NoPosts);
        assert_eq!(
            check_posts(&[post(Category::Equipment, hours)])
                .unwrap_err()
                .code,
            Code::HoursOnlyForHelperTrainers
        );
        assert_eq!(
            check_posts(&[post(Category::Equipment, Grant::Amount(Money::ZERO))])
                .unwrap_err()
                .code,
            Code::InvalidAmount
        );
    }
}
