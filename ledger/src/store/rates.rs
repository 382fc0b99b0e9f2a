//! Rates: national dated parameters (no municipality).
use super::schema::rates;
use super::{DbConnection, StoreError, StoreResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::rates::DatedValue;
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = rates)]
pub struct RateRow {
    pub id: String,
    pub name: String,
    pub valid_from: NaiveDate,
    pub value: String,
    pub unit: String,
    pub source: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl RateRow {
    /// The stored value: a rate that does not parse is an error, never zero.
    pub fn value(&self) -> StoreResult<Decimal> {
        Decimal::from_str(&self.value)
            .map_err(|_| StoreError::Corrupt(format!("rates.value = {:?}", self.value)))
    }

    pub fn dated(&self) -> StoreResult<DatedValue> {
        Ok(DatedValue {
            valid_from: self.valid_from,
            value: self.value()?,
        })
    }
}

pub fn named(conn: &mut DbConnection, name: Option<&str>) -> StoreResult<Vec<RateRow>> {
    let mut q = rates::table
        .select(RateRow::as_select())
        .order((rates::name.asc(), rates::valid_from.asc()))
        .into_boxed();
    if let Some(n) = name {
        q = q.filter(rates::name.eq(n.to_string()));
    }
    Ok(q.load(conn)?)
}

/// Every value of one rate, as the rules read them.
pub fn values_of(conn: &mut DbConnection, name: &str) -> StoreResult<Vec<DatedValue>> {
    named(conn, Some(name))?
        .iter()
        .map(RateRow::dated)
        .collect()
}

pub fn insert(conn: &mut DbConnection, row: &RateRow) -> StoreResult<()> {
    diesel::insert_into(rates::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}
