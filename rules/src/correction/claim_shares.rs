//! Barnets lov § 85, stk. 2, and the guidance's annual accounts (001 157 e): a settlement claims
//! the unspent prepaid money of the year's posts as one amount; the annual statement shows each
//! post's share of what was claimed, waived and repaid, so a controller can follow a post from
//! its grant to the money that came back. The shares are in proportion to each post's unspent
//! amount, exact to the øre (the remaining øre to the largest remainders); an annulled expense's
//! claim belongs to the expense's post alone.
use crate::agreement::schedule::split;

/// One claim's figures, in øre, and where it belongs.
#[derive(Clone, Debug)]
pub struct ClaimFigures {
    pub claimed: i64,
    pub waived: i64,
    pub repaid: i64,
    /// `None` for a settlement's claim (shared by unspent); `Some(i)` for the post at index `i`.
    pub post: Option<usize>,
}

/// Per post (in the order of `unspent`): claimed, waived, repaid. Every øre of every claim lands
/// on exactly one post. With nothing unspent anywhere (a settlement reopened and redone), a
/// settlement's claim is shared by `granted` instead, and failing that put on the first post.
pub fn by_post(claims: &[ClaimFigures], unspent: &[i64], granted: &[i64]) -> Vec<[i64; 3]> {
    let n = unspent.len();
    let mut out = vec![[0i64; 3]; n];
    if n == 0 {
        return out;
    }
    let weights: Vec<i64> = if unspent.iter().any(|u| *u > 0) {
        unspent.iter().map(|u| (*u).max(0)).collect()
    } else if granted.iter().any(|g| *g > 0) {
        granted.iter().map(|g| (*g).max(0)).collect()
    } else {
        let mut w = vec![0; n];
        w[0] = 1;
        w
    };
    for c in claims {
        let figures = [c.claimed, c.waived, c.repaid];
        match c.post {
            Some(i) if i < n => {
                for (k, v) in figures.iter().enumerate() {
                    out[i][k] += v;
                }
            }
            _ => {
                for (k, v) in figures.iter().enumerate() {
                    for (i, s) in split(*v, &weights).into_iter().enumerate() {
                        out[i][k] += s;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_settlement_claim_follows_the_unspent_and_an_expense_claim_its_post() {
        let claims = [
            ClaimFigures {
                claimed: 1_500,
                waived: 500,
                repaid: 1_000,
                post: None,
            },
            ClaimFigures {
                claimed: 700,
                waived: 0,
                repaid: 0,
                post: Some(1),
            },
        ];
        // Unspent 15.00 and 5.00: three quarters and one quarter.
        let got = by_post(&claims, &[1_500, 500], &[10_000, 10_000]);
        assert_eq!(got, vec![[1_125, 375, 750], [375 + 700, 125, 250]]);
    }

    #[test]
    fn nothing_unspent_shares_by_granted() {
        let claims = [ClaimFigures {
            claimed: 100,
            waived: 0,
            repaid: 0,
            post: None,
        }];
        assert_eq!(
            by_post(&claims, &[0, 0], &[300, 100]),
            vec![[75, 0, 0], [25, 0, 0]]
        );
    }

    proptest! {
        #[test]
        fn every_ore_lands_on_one_post(
            unspent in proptest::collection::vec(0i64..1_000_000, 1..6),
            claimed in 0i64..10_000_000,
            waived in 0i64..10_000_000,
            repaid in 0i64..10_000_000,
        ) {
            let granted = vec![0; unspent.len()];
            let c = [ClaimFigures { claimed, waived, repaid, post: None }];
            let got = by_post(&c, &unspent, &granted);
            prop_assert_eq!(got.iter().map(|p| p[0]).sum::<i64>(), claimed);
            prop_assert_eq!(got.iter().map(|p| p[1]).sum::<i64>(), waived);
            prop_assert_eq!(got.iter().map(|p| p[2]).sum::<i64>(), repaid);
            prop_assert!(got.iter().all(|p| p.iter().all(|v| *v >= 0)));
        }
    }
}
