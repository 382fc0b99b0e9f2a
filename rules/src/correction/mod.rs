//! Corrections of decisions and payments: nothing is edited or deleted; each correction is a new decision or a linked reversal.
pub mod annulment;
pub mod claim;
pub mod claim_shares;
pub mod hearing;
pub mod payment_return;
pub mod repayment;
pub mod set_off;

use bookkeeping::entry::{self, Booked};
use bookkeeping::{period, NewEntry, Result};
use chrono::NaiveDate;

/// The mirror of a booked entry, linked to it, dated `on` (never before the original, dated
/// `original_date`) or on the first open date after a closed period. Corrections reverse
/// decision entries, which a manual reversal may not.
pub fn linked_reversal(
    original: &Booked,
    original_date: NaiveDate,
    on: NaiveDate,
    closed_through: Option<NaiveDate>,
    description: String,
) -> Result<NewEntry> {
    if original.reversed_by.is_some() {
        return Err(entry::already_reversed(original.id));
    }
    let date = period::first_open_on_or_after(closed_through, on.max(original_date));
    Ok(entry::mirror(original, date, description))
}
