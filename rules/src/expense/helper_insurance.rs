//! Copenhagen folder, 'Forsikring' (003): insurance of helper trainers is mandatory once the family employs helpers for more than the threshold in hours a year (400 in Copenhagen, a setting); below it an insurance charged on a payslip is unusual and worth a second look, not a refusal.
use bookkeeping::{Code, Error, Money};
use rust_decimal::Decimal;

pub const LEGAL: &str = "Københavns Kommune, 'Økonomi og hjemmetræning' (003), 'Forsikring': when the helpers' hours pass 400 a year, insurances must be taken out (the threshold is the municipality's setting)";

/// A warning when `insurance` is charged while the helpers' hours in the calendar year, this
/// payslip's included, have not passed `threshold`.
pub fn check(hours_in_year: Decimal, insurance: Money, threshold: i32) -> Option<Error> {
    if !insurance.is_positive() || hours_in_year > Decimal::from(threshold) {
        return None;
    }
    Some(
        Error::rule(
            Code::InsuranceBelowThreshold,
            format!(
                "insurance of {insurance} is charged while the family's helpers have {hours_in_year} hours in the calendar year, not above the threshold of {threshold}; insurance is mandatory only above it (booked all the same: check the payslip)"
            ),
        )
        .legal(LEGAL)
        .figure("hours_in_year", hours_in_year)
        .figure("threshold", threshold)
        .figure("insurance", insurance),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_below_the_threshold() {
        let ins = Money::kroner(50);
        assert!(check(Decimal::from(400), ins, 400).is_some());
        assert!(check(Decimal::new(4001, 1), ins, 400).is_none());
        assert!(check(Decimal::from(10), Money::ZERO, 400).is_none());
        let w = check(Decimal::from(10), ins, 400).unwrap();
        assert_eq!(w.code, Code::InsuranceBelowThreshold);
    }
}
