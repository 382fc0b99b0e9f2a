//! The facts an expense is judged against, read together: the case's dates, the year, every
//! krone of the child's spending the rolling cap counts (approved expenses, installments of
//! fixed amounts, less what was repaid) and the dated values of the cap.
use super::{DbConnection, StoreResult};
use bookkeeping::Money;

/// What an expense of a case's budget year is judged against: the case's dates, the year, the
/// child's approved spending across budget years and the dated values of the cap.
pub fn judging_facts(
    conn: &mut DbConnection,
    case: &super::cases::CaseRow,
    year: &super::budgets::YearRow,
) -> StoreResult<rules::expense::Facts> {
    let case_end = case.effective_end();
    Ok(rules::expense::Facts {
        application_date: case.application_date,
        case_end,
        year_start: year.retroactive_from.unwrap_or(year.start_date),
        year_end: year.nominal_end_date.min(case_end),
        approved_spending: {
            // Installments of fixed-amount agreements are the municipality's expenses too, by due
            // date (bek. § 6, stk. 2 and 4).
            let mut s: rules::expense::rolling_cap::Spending =
                super::expenses::approved_spending(conn, &case.municipality, &case.id)?
                    .into_iter()
                    .collect();
            s.extend(
                super::agreements::spending_of_case(conn, &case.municipality, &case.id)?
                    .into_iter()
                    .map(|(d, a)| (d, Money::from_ore(a))),
            );
            // Unspent money repaid on a settlement claim leaves the count on the day received.
            s.extend(
                super::clawbacks::settlement_repayments_of_case(
                    conn,
                    &case.municipality,
                    &case.id,
                )?
                .into_iter()
                .map(|(d, a)| (d, Money::from_ore(-a))),
            );
            s
        },
        cap_rates: super::rates::values_of(conn, rules::rates::TRAINING_EXPENSE_CAP)?,
        covered_posts: match super::agreements::of_year(conn, &case.municipality, &year.id)? {
            Some(a) => super::agreements::covered_posts(conn, &a.id)?,
            None => vec![],
        },
    })
}
