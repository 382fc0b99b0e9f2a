//! Bekendtgørelse om hjemmetræning § 6, stk. 4; vejledningen pkt. 157 e: an installment of the fixed amount is paid to the family in advance, once; it is the family's advance (account 1100) until its annual accounts document what it was spent on.
use bookkeeping::{Code, EntryKind, Error, Money, NewEntry, Result};
use chrono::NaiveDate;

/// Decides paying an installment: still due, and paid on a day that has come.
pub fn decide(
    id: &str,
    status: &str,
    amount: Money,
    paid_on: NaiveDate,
    today: NaiveDate,
    accounts: (&str, &str),
) -> Result<NewEntry> {
    if status != "due" {
        return Err(Error::conflict(
            Code::InstallmentNotDue,
            format!("installment {id} is {status}; an installment is paid once"),
        ));
    }
    if paid_on > today {
        return Err(Error::field(
            Code::InvalidValue,
            "paid_on",
            format!("a payment is recorded when it is made (today is {today})"),
        ));
    }
    let (advances, bank) = accounts;
    Ok(NewEntry::new(
        EntryKind::Installment,
        paid_on,
        format!("Installment {id} paid"),
    )
    .source("installment", id)
    .transfer(advances, bank, amount))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bookkeeping::testing::d;

    #[test]
    fn paid_once_not_in_the_future() {
        let e = decide(
            "i",
            "due",
            Money::kroner(5),
            d("2025-03-01"),
            d("2025-03-02"),
            ("1100", "1000"),
        )
        .unwrap();
        assert_eq!(e.postings.len(), 2);
        let code = |s, on| {
            decide(
                "i",
                s,
                Money::kroner(5),
                d(on),
                d("2025-03-02"),
                ("1100", "1000"),
            )
            .unwrap_err()
            .code
        };
        assert_eq!(code("paid", "2025-03-01"), Code::InstallmentNotDue);
        assert_eq!(code("due", "2025-03-03"), Code::InvalidValue);
    }
}
