//! Bekendtgørelse om kommunernes budget- og regnskabsvæsen, revision m.v. (bogføring og
//! afstemning): the municipality's bank account is reconciled with the bank's statement. A bank
//! line is matched to the ledger's movements on account 1000 by four rules, tried in this order
//! over every line before the next rule is tried, each exact to the øre: (1) `reference`: the
//! line's end-to-end id or bank reference is the reference recorded with one movement of the
//! same amount; (2) `reference_in_text`: that reference appears in the line's text, same amount;
//! (3) `amount_and_date`: the same amount within the window of days, when exactly one candidate
//! exists on each side; (4) `one_to_many`: the line equals the sum of several movements made
//! together (the same day, and the same reference when they have one): a payment run paid as
//! one transfer. No movement and no line is ever in two matches.
use bookkeeping::Money;
use chrono::NaiveDate;

pub const LEGAL: &str = "Bekendtgørelse om kommunernes budget- og regnskabsvæsen, revision m.v.: the bank account is reconciled with the bank's statement";

/// A line of the bank's statement; `amount` in øre, money in positive, money out negative.
#[derive(Clone, Debug)]
pub struct Line {
    pub no: i32,
    pub date: NaiveDate,
    pub amount: i64,
    pub text: String,
    /// The end-to-end id and the bank's reference, where the statement has them.
    pub references: Vec<String>,
}

/// A movement on the ledger's bank account (one journal entry, its postings on 1000 netted):
/// `amount` in øre, debit (money in) positive.
#[derive(Clone, Debug)]
pub struct Movement {
    pub key: String,
    pub date: NaiveDate,
    pub amount: i64,
    /// The bank reference recorded with the payment, installment or repayment.
    pub reference: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Reference,
    ReferenceInText,
    AmountAndDate,
    OneToMany,
    Manual,
}

impl Rule {
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::Reference => "reference",
            Rule::ReferenceInText => "reference_in_text",
            Rule::AmountAndDate => "amount_and_date",
            Rule::OneToMany => "one_to_many",
            Rule::Manual => "manual",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub line: i32,
    pub movements: Vec<String>,
    pub rule: Rule,
}

/// A reference shorter than this is too common to be found in a line's free text.
const MIN_REFERENCE_IN_TEXT: usize = 4;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

fn within(a: NaiveDate, b: NaiveDate, days: i64) -> bool {
    (a - b).num_days().abs() <= days
}

/// What is still free on each side while the rules run.
struct Free<'a> {
    lines: &'a [Line],
    movements: &'a [Movement],
    line_done: Vec<bool>,
    used: Vec<bool>,
    out: Vec<Match>,
}

impl Free<'_> {
    fn take(&mut self, line: usize, ms: &[usize], rule: Rule) {
        self.line_done[line] = true;
        for m in ms {
            self.used[*m] = true;
        }
        self.out.push(Match {
            line: self.lines[line].no,
            movements: ms.iter().map(|m| self.movements[*m].key.clone()).collect(),
            rule,
        });
    }

    /// The free movements `keep` accepts.
    fn movements_where(&self, keep: impl Fn(&Movement) -> bool) -> Vec<usize> {
        (0..self.movements.len())
            .filter(|i| !self.used[*i] && keep(&self.movements[*i]))
            .collect()
    }

    fn free_lines(&self) -> Vec<usize> {
        (0..self.lines.len())
            .filter(|i| !self.line_done[*i])
            .collect()
    }
}

/// The matches the four rules find between `lines` and `movements` (neither already matched),
/// `window_days` apart at most for the rules by date.
pub fn auto_match(lines: &[Line], movements: &[Movement], window_days: i64) -> Vec<Match> {
    let mut f = Free {
        lines,
        movements,
        line_done: vec![false; lines.len()],
        used: vec![false; movements.len()],
        out: vec![],
    };
    // Rule 1: the reference recorded with the movement is the line's end-to-end id or bank
    // reference, and the amount is the same.
    for li in f.free_lines() {
        let l = &lines[li];
        let refs: Vec<String> = l
            .references
            .iter()
            .map(|r| norm(r))
            .filter(|r| !r.is_empty())
            .collect();
        let c = f.movements_where(|m| {
            m.amount == l.amount
                && m.reference
                    .as_deref()
                    .is_some_and(|r| refs.contains(&norm(r)))
        });
        if c.len() == 1 {
            f.take(li, &c, Rule::Reference);
        }
    }
    // Rule 2: that reference written in the line's text, and the amount the same.
    for li in f.free_lines() {
        let l = &lines[li];
        let text = norm(&l.text);
        let c = f.movements_where(|m| {
            m.amount == l.amount
                && m.reference.as_deref().is_some_and(|r| {
                    let r = norm(r);
                    r.chars().count() >= MIN_REFERENCE_IN_TEXT && text.contains(&r)
                })
        });
        if c.len() == 1 {
            f.take(li, &c, Rule::ReferenceInText);
        }
    }
    // Rule 3: the same amount within the window, one candidate on each side.
    for li in f.free_lines() {
        let l = &lines[li];
        let c = f.movements_where(|m| m.amount == l.amount && within(m.date, l.date, window_days));
        if c.len() != 1 {
            continue;
        }
        let m = &movements[c[0]];
        let rivals = f
            .free_lines()
            .into_iter()
            .filter(|o| lines[*o].amount == m.amount && within(lines[*o].date, m.date, window_days))
            .count();
        if rivals == 1 {
            f.take(li, &c, Rule::AmountAndDate);
        }
    }
    // Rule 4: one line, the sum of several movements made together (same day and reference,
    // or failing that the same day), exactly one such group within the window.
    for li in f.free_lines() {
        let l = &lines[li];
        let near = f.movements_where(|m| {
            within(m.date, l.date, window_days) && m.amount.signum() == l.amount.signum()
        });
        let mut groups: Vec<Vec<usize>> = vec![];
        for by_reference in [true, false] {
            let mut keys: Vec<(NaiveDate, Option<String>)> = near
                .iter()
                .map(|i| {
                    let m = &movements[*i];
                    (
                        m.date,
                        by_reference
                            .then(|| m.reference.as_deref().map(norm))
                            .flatten(),
                    )
                })
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let g: Vec<usize> = near
                    .iter()
                    .copied()
                    .filter(|i| {
                        let m = &movements[*i];
                        m.date == k.0 && (!by_reference || m.reference.as_deref().map(norm) == k.1)
                    })
                    .collect();
                let sum: i64 = g.iter().map(|i| movements[*i].amount).sum();
                if g.len() >= 2 && sum == l.amount && !groups.contains(&g) {
                    groups.push(g);
                }
            }
            if !groups.is_empty() {
                break;
            }
        }
        if groups.len() == 1 {
            f.take(li, &groups[0], Rule::OneToMany);
        }
    }
    f.out.sort_by_key(|m| m.line);
    f.out
}

/// A match made by hand holds only when its movements add up to the line, to the øre.
pub fn check_manual(line: i64, movements: &[i64]) -> bookkeeping::Result<()> {
    let sum: i64 = movements.iter().sum();
    if sum == line {
        return Ok(());
    }
    let (sum, line) = (Money::from_ore(sum), Money::from_ore(line));
    Err(bookkeeping::Error::rule(
        bookkeeping::Code::MatchAmountsDiffer,
        format!("the movements add up to {sum} and the bank line is {line}: a match is exact to the øre"),
    )
    .legal(LEGAL)
    .figure("movements", sum)
    .figure("line", line))
}

#[cfg(test)]
#[allow(clippy::inconsistent_digit_grouping)] // øre written as kroner_øre
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    fn line(no: i32, date: &str, amount: i64, text: &str, refs: &[&str]) -> Line {
        Line {
            no,
            date: d(date),
            amount,
            text: text.into(),
            references: refs.iter().map(|r| r.to_string()).collect(),
        }
    }

    fn mv(key: &str, date: &str, amount: i64, reference: Option<&str>) -> Movement {
        Movement {
            key: key.into(),
            date: d(date),
            amount,
            reference: reference.map(Into::into),
        }
    }

    fn rule_of(ms: &[Match], line: i32) -> Option<(Rule, Vec<String>)> {
        ms.iter()
            .find(|m| m.line == line)
            .map(|m| (m.rule, m.movements.clone()))
    }

    #[test]
    fn each_rule_in_its_order() {
        let lines = [
            line(1, "2026-03-02", -100_00, "Overførsel", &["E2E-1"]),
            line(2, "2026-03-02", -250_00, "Hjemmetræning REF-22", &[]),
            line(3, "2026-03-05", -333_00, "Betaling", &[]),
            line(4, "2026-03-03", -900_00, "Lønkørsel", &[]),
            line(5, "2026-03-03", 77_00, "Ukendt", &[]),
        ];
        let movements = [
            mv("p1", "2026-03-01", -100_00, Some("e2e-1")),
            mv("p2", "2026-03-01", -250_00, Some("REF-22")),
            mv("p3", "2026-03-03", -333_00, Some("X")),
            mv("r1", "2026-03-02", -400_00, Some("RUN-7")),
            mv("r2", "2026-03-02", -500_00, Some("RUN-7")),
            mv("lonely", "2026-03-02", -1_00, None),
        ];
        let got = auto_match(&lines, &movements, 3);
        assert_eq!(rule_of(&got, 1), Some((Rule::Reference, vec!["p1".into()])));
        assert_eq!(
            rule_of(&got, 2),
            Some((Rule::ReferenceInText, vec!["p2".into()]))
        );
        assert_eq!(
            rule_of(&got, 3),
            Some((Rule::AmountAndDate, vec!["p3".into()]))
        );
        assert_eq!(
            rule_of(&got, 4),
            Some((Rule::OneToMany, vec!["r1".into(), "r2".into()]))
        );
        assert_eq!(rule_of(&got, 5), None);
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn a_reference_with_another_amount_is_no_match_and_two_candidates_are_none() {
        let lines = [
            line(1, "2026-03-02", -99_00, "", &["E2E-1"]),
            line(2, "2026-03-02", -50_00, "", &[]),
        ];
        let movements = [
            mv("p1", "2026-03-02", -100_00, Some("E2E-1")),
            mv("a", "2026-03-01", -50_00, None),
            mv("b", "2026-03-03", -50_00, None),
        ];
        assert!(auto_match(&lines, &movements, 3).is_empty());
    }

    #[test]
    fn outside_the_window_is_no_match_and_the_window_is_a_setting() {
        let lines = [line(1, "2026-03-10", -50_00, "", &[])];
        let movements = [mv("a", "2026-03-05", -50_00, None)];
        assert!(auto_match(&lines, &movements, 3).is_empty());
        assert_eq!(auto_match(&lines, &movements, 5).len(), 1);
    }

    #[test]
    fn a_returned_payment_matches_its_return_not_the_payment() {
        let lines = [
            line(1, "2026-03-02", -100_00, "", &["E2E-9"]),
            line(2, "2026-03-09", 100_00, "Retur", &["E2E-9"]),
        ];
        let movements = [
            mv("pay", "2026-03-02", -100_00, Some("E2E-9")),
            mv("return", "2026-03-09", 100_00, Some("E2E-9")),
        ];
        let got = auto_match(&lines, &movements, 3);
        assert_eq!(rule_of(&got, 1).unwrap().1, vec!["pay".to_string()]);
        assert_eq!(rule_of(&got, 2).unwrap().1, vec!["return".to_string()]);
    }

    #[test]
    fn a_manual_match_adds_up_to_the_line_or_is_refused() {
        assert!(check_manual(-900_00, &[-400_00, -500_00]).is_ok());
        let e = check_manual(-900_00, &[-400_00, -499_99]).unwrap_err();
        assert_eq!(e.code, bookkeeping::Code::MatchAmountsDiffer);
        assert_eq!(e.figures.len(), 2);
    }

    #[test]
    fn never_two_matches_for_one_movement() {
        let lines = [
            line(1, "2026-03-02", -100_00, "", &["R"]),
            line(2, "2026-03-02", -100_00, "", &["R"]),
        ];
        let movements = [mv("p", "2026-03-02", -100_00, Some("R"))];
        let got = auto_match(&lines, &movements, 3);
        assert_eq!(got.len(), 1);
    }
}
