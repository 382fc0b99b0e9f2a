//! The columns of a helper-trainer payroll file, found by header name in any order, English or
//! Danish, case-insensitive (the names in API.md and the aliases firms use).
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    CaseRef,
    PeriodFrom,
    PeriodTo,
    HelperRef,
    Hours,
    GrossWage,
    EmployerAtp,
    HolidayPay,
    MaternityFund,
    Insurance,
    Fee,
    PayslipRef,
}

/// Each column with the header names it is known by (compared in lower case, spaces and
/// underscores alike).
pub const ALIASES: &[(Column, &[&str])] = &[
    (
        Column::CaseRef,
        &["case_ref", "case reference", "sagsnummer", "sagsnr", "sag"],
    ),
    (
        Column::PeriodFrom,
        &["period_from", "periode fra", "periode_fra", "fra"],
    ),
    (
        Column::PeriodTo,
        &["period_to", "periode til", "periode_til", "til"],
    ),
    (
        Column::HelperRef,
        &["helper_ref", "helper", "hjælper", "hjaelper", "medarbejder"],
    ),
    (Column::Hours, &["hours", "timer", "antal timer"]),
    (
        Column::GrossWage,
        &["gross_wage", "gross wage", "bruttoløn", "bruttolon", "løn"],
    ),
    (
        Column::EmployerAtp,
        &["employer_atp", "atp", "arbejdsgiver atp"],
    ),
    (
        Column::HolidayPay,
        &["holiday_pay", "feriepenge", "feriegodtgørelse"],
    ),
    (
        Column::MaternityFund,
        &["maternity_fund", "barselsfond", "barsel.dk"],
    ),
    (Column::Insurance, &["insurance", "forsikring"]),
    (Column::Fee, &["fee", "gebyr", "administrationsgebyr"]),
    (
        Column::PayslipRef,
        &["payslip_ref", "lønseddel", "lonseddel", "lønsedler"],
    ),
];

fn normal(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace('_', " ")
}

/// Where each column is; the columns a file lacks, and headers no column knows, otherwise.
pub fn find(headers: &[&str]) -> Result<HashMap<Column, usize>, (Vec<Column>, Vec<String>)> {
    let mut at = HashMap::new();
    let mut unknown = vec![];
    for (i, h) in headers.iter().enumerate() {
        let n = normal(h);
        match ALIASES
            .iter()
            .find(|(_, names)| names.iter().any(|a| normal(a) == n))
        {
            Some((c, _)) => {
                at.entry(*c).or_insert(i);
            }
            None => unknown.push(h.to_string()),
        }
    }
    let missing: Vec<Column> = ALIASES
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !at.contains_key(c))
        .collect();
    if missing.is_empty() {
        Ok(at)
    } else {
        Err((missing, unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_and_english_headers_in_any_order() {
        let en = [
            "payslip_ref",
            "case_ref",
            "period_from",
            "period_to",
            "helper_ref",
            "hours",
            "gross_wage",
            "employer_atp",
            "holiday_pay",
            "maternity_fund",
            "insurance",
            "fee",
        ];
        let at = find(&en).unwrap();
        assert_eq!(at[&Column::PayslipRef], 0);
        assert_eq!(at[&Column::Fee], 11);
        let da = [
            "Sagsnummer",
            "Periode fra",
            "Periode til",
            "Hjælper",
            "Timer",
            "Bruttoløn",
            "ATP",
            "Feriepenge",
            "Barselsfond",
            "Forsikring",
            "Gebyr",
            "Lønseddel",
        ];
        let at = find(&da).unwrap();
        assert_eq!(at[&Column::GrossWage], 5);
        assert_eq!(at[&Column::HelperRef], 3);
        let (missing, unknown) = find(&["Sagsnummer", "Noget andet"]).unwrap_err();
        assert!(missing.contains(&Column::PayslipRef));
        assert_eq!(unknown, vec!["Noget andet".to_string()]);
    }
}
