//! The ledger's side of a bank reconciliation: the movements on the bank account (account 1000),
//! one per journal entry with its postings there netted, and what each is (a payment, a returned
//! payment, an installment, a claim's repayment, or any other entry).
use super::schema::{clawback_repayments, installments, payments, postings};
use super::{DbConnection, StoreResult};
use chrono::NaiveDate;
use diesel::prelude::*;

/// One movement on the bank account: a journal entry's postings on it, netted (money in
/// positive), with what the entry is.
#[derive(Clone, Debug)]
pub struct MovementRow {
    pub entry_id: String,
    pub date: NaiveDate,
    pub amount: i64,
    /// `payment`, `installment`, `repayment` or `entry`.
    pub kind: &'static str,
    /// The payment's, installment's or repayment's id; the entry's own id for any other entry.
    pub id: String,
    pub bank_reference: Option<String>,
}

/// The movements on the bank account `account_id` dated `from..=to`, or those of `entry_ids`
/// when given; what each is, from the payments, installments and repayments that booked them.
pub fn movements(
    conn: &mut DbConnection,
    municipality: &str,
    account_id: &str,
    span: Option<(NaiveDate, NaiveDate)>,
    entry_ids: Option<&[String]>,
) -> StoreResult<Vec<MovementRow>> {
    let mut rows: Vec<(String, NaiveDate, i64, i64)> = vec![];
    let base = || {
        postings::table
            .filter(postings::municipality.eq(municipality))
            .filter(postings::account_id.eq(account_id))
            .into_boxed()
    };
    let pick = (
        postings::entry_id,
        postings::effective_date,
        postings::debit,
        postings::credit,
    );
    match (span, entry_ids) {
        (_, Some(ids)) => {
            for chunk in ids.chunks(500) {
                rows.extend(
                    base()
                        .filter(postings::entry_id.eq_any(chunk))
                        .select(pick)
                        .load::<(String, NaiveDate, i64, i64)>(conn)?,
                );
            }
        }
        (Some((from, to)), None) => {
            rows = base()
                .filter(postings::effective_date.ge(from))
                .filter(postings::effective_date.le(to))
                .select(pick)
                .load(conn)?;
        }
        (None, None) => {}
    }
    // An entry's postings on the account, netted: one movement per entry.
    let mut by_entry: std::collections::HashMap<String, (NaiveDate, i64)> = Default::default();
    for (e, d, dr, cr) in rows {
        by_entry.entry(e).or_insert((d, 0)).1 += dr - cr;
    }
    let mut net: Vec<(String, NaiveDate, i64)> =
        by_entry.into_iter().map(|(e, (d, a))| (e, d, a)).collect();
    net.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let ids: Vec<String> = net.iter().map(|n| n.0.clone()).collect();
    let mut known: Vec<(String, &'static str, String, Option<String>)> = vec![];
    // (entry, type, id, reference), looked up by entry below.
    for chunk in ids.chunks(500) {
        for (e, id, r) in payments::table
            .filter(payments::municipality.eq(municipality))
            .filter(payments::entry_id.eq_any(chunk))
            .select((payments::entry_id, payments::id, payments::bank_reference))
            .load::<(String, String, String)>(conn)?
        {
            known.push((e, "payment", id, Some(r)));
        }
        // A returned payment comes back with the payment's reference.
        for (e, r) in payments::table
            .filter(payments::municipality.eq(municipality))
            .filter(payments::return_entry_id.eq_any(chunk))
            .select((
                payments::return_entry_id.assume_not_null(),
                payments::bank_reference,
            ))
            .load::<(String, String)>(conn)?
        {
            known.push((e.clone(), "entry", e, Some(r)));
        }
        for (e, id, r) in installments::table
            .filter(installments::municipality.eq(municipality))
            .filter(installments::entry_id.eq_any(chunk))
            .select((
                installments::entry_id.assume_not_null(),
                installments::id,
                installments::bank_reference,
            ))
            .load::<(String, String, Option<String>)>(conn)?
        {
            known.push((e, "installment", id, r));
        }
        for (e, id, r) in clawback_repayments::table
            .filter(clawback_repayments::municipality.eq(municipality))
            .filter(clawback_repayments::entry_id.eq_any(chunk))
            .select((
                clawback_repayments::entry_id,
                clawback_repayments::id,
                clawback_repayments::bank_reference,
            ))
            .load::<(String, String, String)>(conn)?
        {
            known.push((e, "repayment", id, Some(r)));
        }
    }
    let known: std::collections::HashMap<String, (&'static str, String, Option<String>)> = known
        .into_iter()
        .map(|(e, kind, id, r)| (e, (kind, id, r)))
        .collect();
    Ok(net
        .into_iter()
        .filter(|n| n.2 != 0)
        .map(|(e, date, amount)| {
            let k = known.get(&e);
            MovementRow {
                date,
                amount,
                kind: k.map(|k| k.0).unwrap_or("entry"),
                id: k.map(|k| k.1.clone()).unwrap_or_else(|| e.clone()),
                bank_reference: k.and_then(|k| k.2.clone()),
                entry_id: e,
            }
        })
        .collect())
}

/// The entry of a movement named by its type and id, if it is the municipality's.
pub fn entry_of(
    conn: &mut DbConnection,
    municipality: &str,
    kind: &str,
    id: &str,
) -> StoreResult<Option<String>> {
    Ok(match kind {
        "payment" => payments::table
            .filter(payments::municipality.eq(municipality))
            .filter(payments::id.eq(id))
            .select(payments::entry_id)
            .first(conn)
            .optional()?,
        "installment" => installments::table
            .filter(installments::municipality.eq(municipality))
            .filter(installments::id.eq(id))
            .select(installments::entry_id)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten(),
        "repayment" => clawback_repayments::table
            .filter(clawback_repayments::municipality.eq(municipality))
            .filter(clawback_repayments::id.eq(id))
            .select(clawback_repayments::entry_id)
            .first(conn)
            .optional()?,
        _ => Some(id.to_string()),
    })
}
