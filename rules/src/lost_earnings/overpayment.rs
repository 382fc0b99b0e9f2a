//! Barnets lov § 87; forvaltningsloven § 19; the repayment rule for social benefits received in bad faith (formerly serviceloven § 164), collected under BEK nr. 1367 af 28/11/2023: compensation paid for months that a later end or change shows were not due is never netted against the parent's current pay. The months become one proposed claim per decision; the parent is heard, and the money is claimed only when the parent knew or should have known it was not due, otherwise it is waived.
use super::payroll::{Amounts, Line};
use bookkeeping::{Code, EntryKind, Error, Money, NewEntry, Result};
use chrono::NaiveDate;

pub const LEGAL: &str = "Barnets lov § 87; forvaltningsloven § 19; tilbagebetaling kræves kun, hvis modtageren vidste eller burde vide, at ydelsen ikke var berettiget (tidligere servicelovens § 164); opkrævning efter bekendtgørelse nr. 1367 af 28. november 2023";

/// A correction that takes gross compensation back for a month already paid: the parent was
/// paid for time that was not due. Such a line is information in the run and a proposed claim,
/// never a deduction from the parent's current pay. (A correction that only moves the ATP
/// bracket while the gross stands is a correction of a deduction, not money paid in error.)
pub fn is_overpaid(l: &Line) -> bool {
    l.corrects.is_some() && l.amounts.gross.is_negative()
}

/// The months of one decision found overpaid in a run, and their sum (as positive amounts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overpaid {
    pub months: Vec<(NaiveDate, Amounts)>,
    pub total: Amounts,
}

impl Overpaid {
    /// What is proposed claimed: the gross compensation paid for the months not due. Pension and
    /// ATP were paid to the funds, not to the parent; they are listed beside it.
    pub fn amount(&self) -> Money {
        self.total.gross
    }
}

/// The overpaid months among one decision's lines in a run; `None` when there are none.
pub fn overpaid(lines: &[Line]) -> Option<Overpaid> {
    let months: Vec<(NaiveDate, Amounts)> = lines
        .iter()
        .filter(|l| is_overpaid(l))
        .filter_map(|l| l.corrects.map(|m| (m, Amounts::default().minus(l.amounts))))
        .collect();
    if months.is_empty() {
        return None;
    }
    let total = months
        .iter()
        .fold(Amounts::default(), |s, (_, a)| s.plus(*a));
    Some(Overpaid { months, total })
}

/// The entry of a proposed claim: the gross paid in error leaves the compensation expense for
/// the overpayments under review, where a decision later claims or waives it. It is owed by
/// nobody yet. The text names the claim, never the family.
pub fn entry(
    claim_id: &str,
    amount: Money,
    date: NaiveDate,
    under_review: &str,
    expense: &str,
) -> NewEntry {
    NewEntry::new(
        EntryKind::Overpayment,
        date,
        format!("Tabt arbejdsfortjeneste udbetalt uden ret, til afgørelse: krav {claim_id}"),
    )
    .source("clawback", claim_id)
    .transfer(under_review, expense, amount)
}

/// Lost earnings are claimed back only on the caseworker's assessment that the parent knew or
/// should have known the money was not due; without it the only decision is to waive.
pub fn require_knowledge(claim: bool, knew_or_should_have_known: Option<bool>) -> Result<()> {
    if claim && knew_or_should_have_known != Some(true) {
        return Err(Error::field(
            Code::KnowledgeNotEstablished,
            "knew_or_should_have_known",
            "lost earnings paid in error are claimed back only when the parent knew or should have known that they were not due (`knew_or_should_have_known: true`, with the reasons in `reason`); otherwise the decision is `waive`",
        )
        .legal(LEGAL));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;
    use rust_decimal::Decimal;

    fn line(corrects: Option<&str>, gross: i64, atp: i64) -> Line {
        Line {
            month: d("2024-05-01"),
            corrects: corrects.map(d),
            amounts: Amounts {
                hours: Decimal::ZERO,
                gross: Money::from_ore(gross),
                atp_recipient: Money::from_ore(atp),
                pay_before_tax: Money::from_ore(gross - atp),
                ..Amounts::default()
            },
        }
    }

    #[test]
    fn only_corrections_that_take_gross_back_are_overpaid() {
        let ls = [
            line(None, 100_000, 0),
            line(Some("2024-03-01"), -711_421, 0),
            line(Some("2024-04-01"), -1_378_378, -3_300),
            line(Some("2024-02-01"), 5_000, 0),
            line(Some("2024-01-01"), 0, 3_300),
        ];
        let o = overpaid(&ls).unwrap();
        assert_eq!(o.months.len(), 2);
        assert_eq!(o.amount(), Money::from_ore(711_421 + 1_378_378));
        assert_eq!(o.total.atp_recipient, Money::from_ore(3_300));
        assert!(overpaid(&ls[3..]).is_none());
    }

    #[test]
    fn a_claim_needs_the_knowledge_assessment_and_a_waiver_does_not() {
        let code = |c, k| require_knowledge(c, k).map_err(|e| e.code);
        assert_eq!(code(true, None), Err(Code::KnowledgeNotEstablished));
        assert_eq!(code(true, Some(false)), Err(Code::KnowledgeNotEstablished));
        assert_eq!(code(true, Some(true)), Ok(()));
        assert_eq!(code(false, None), Ok(()));
    }

    #[test]
    fn the_entry_moves_the_gross_to_review_and_balances() {
        let e = entry("c1", Money::kroner(100), d("2024-05-31"), "1250", "5500");
        assert_eq!(e.kind, EntryKind::Overpayment);
        assert_eq!(e.postings.len(), 2);
        assert!(!e.description.contains("parent"));
    }
}
