//! Copenhagen folder, 'Udgifter og budget': new needs during the year go through a supplementary application (tillægsansøgning); it names the posts to change or add and gives its reason.
use super::grant::{self, Category, Grant, PostSpec};
use crate::privacy::no_cpr;
use bookkeeping::{Code, Error, Money, Result};

/// A change decided by an amendment: set an existing post's grant, or add a post.
#[derive(Clone, Debug)]
pub enum Change {
    Set { post_id: String, grant: Grant },
    Add(PostSpec),
}

impl Change {
    /// A change as a request states it: a `post_id` to set an existing post, or a category and
    /// description to add one.
    pub fn from_parts(
        field: &str,
        post_id: Option<String>,
        category: Option<Category>,
        description: Option<String>,
        grant: Grant,
    ) -> Result<Change> {
        match (post_id, category, description) {
            (Some(post_id), None, None) => Ok(Change::Set { post_id, grant }),
            (None, Some(category), Some(description)) => Ok(Change::Add(PostSpec {
                category,
                description,
                grant,
                applied: Default::default(),
            })),
            _ => Err(Error::field(
                Code::InvalidChange,
                field,
                "a change names either post_id, or category and description for a new post",
            )),
        }
    }
}

/// The request's own shape: a reason, at least one change, no post changed twice, sound grants.
pub fn check_request(reason: &str, changes: &[Change]) -> Result<()> {
    bookkeeping::error::check_text(
        Code::InvalidReason,
        "reason",
        reason,
        500,
        "an amendment needs a reason of 1-500 characters",
    )?;
    no_cpr::reject_in_text("reason", reason)?;
    if changes.is_empty() {
        return Err(Error::field(
            Code::NoChanges,
            "changes",
            "an amendment changes at least one post",
        ));
    }
    let mut named: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Set { post_id, .. } => Some(post_id.as_str()),
            Change::Add(_) => None,
        })
        .collect();
    named.sort_unstable();
    if let Some(w) = named.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::field(
            Code::DuplicateChange,
            "changes",
            format!(
                "post {} is changed twice in one amendment; give its new grant once",
                w[0]
            ),
        ));
    }
    for (i, ch) in changes.iter().enumerate() {
        let field = format!("changes[{i}]");
        match ch {
            Change::Add(p) => {
                grant::check_post(&field, p)?;
            }
            Change::Set {
                grant: Grant::Amount(m),
                ..
            } if *m < Money::ZERO => {
                return Err(Error::field(
                    Code::InvalidAmount,
                    &format!("{field}.amount"),
                    "a post's new amount is 0.00 or more",
                ));
            }
            Change::Set {
                grant: Grant::Amount(_),
                ..
            } => {}
            Change::Set { grant, .. } => {
                let spec = PostSpec {
                    category: Category::HelperTrainers,
                    description: "x".into(),
                    grant: grant.clone(),
                    applied: Default::default(),
                };
                grant::check_post(&field, &spec)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(id: &str, kr: i64) -> Change {
        Change::Set {
            post_id: id.into(),
            grant: Grant::Amount(Money::kroner(kr)),
        }
    }

    #[test]
    fn request_shape() {
        assert!(check_request("new mat", &[set("a", 1)]).is_ok());
        assert_eq!(check_request("r", &[]).unwrap_err().code, Code::NoChanges);
        assert_eq!(
            check_request("r", &[set("a", 1), set("a", 2)])
                .unwrap_err()
                .code,
            Code::DuplicateChange
        );
        assert_eq!(
            check_request("r", &[set("a", -1)]).unwrap_err().code,
            Code::InvalidAmount
        );
        assert_eq!(
            check_request(" ", &[set("a", 1)]).unwrap_err().code,
            Code::InvalidReason
        );
        let bad = Change::from_parts("changes[0]", None, None, None, Grant::Amount(Money::ZERO));
        assert_eq!(bad.unwrap_err().code, Code::InvalidChange);
    }
}
