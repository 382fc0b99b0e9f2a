//! Budget years, their posts and the versions of their decisions.
use super::schema::{budget_posts, budget_versions, budget_years};
use super::{known, DbConnection, StoreError, StoreResult};
use bookkeeping::Money;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::budget::grant::{Category, Grant};
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = budget_years)]
pub struct YearRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub start_date: NaiveDate,
    pub nominal_end_date: NaiveDate,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// The first day a retroactive lead-in covers, before the start.
    pub retroactive_from: Option<NaiveDate>,
    /// The version of the municipality's settings it was granted under (0: the defaults).
    pub settings_version: i32,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = budget_posts)]
pub struct PostRow {
    pub id: String,
    pub municipality: String,
    pub budget_year_id: String,
    pub line_no: i32,
    pub category: String,
    pub description: String,
    pub granted: i64,
    pub hours_granted: Option<String>,
    pub hourly_rate: Option<i64>,
    pub account_id: String,
    pub created_at: NaiveDateTime,
}

/// Hours as stored (a decimal string); one that does not parse is an error.
pub fn parse_hours(column: &str, h: Option<&str>) -> StoreResult<Option<Decimal>> {
    h.map(|s| Decimal::from_str(s).map_err(|_| StoreError::Corrupt(format!("{column} = {s:?}"))))
        .transpose()
}

impl PostRow {
    pub fn category(&self) -> StoreResult<Category> {
        known(
            Category::parse(&self.category),
            "budget_posts.category",
            &self.category,
        )
    }
    pub fn hours(&self) -> StoreResult<Option<Decimal>> {
        parse_hours("budget_posts.hours_granted", self.hours_granted.as_deref())
    }
    pub fn granted(&self) -> Money {
        Money::from_ore(self.granted)
    }
    pub fn label(&self) -> StoreResult<String> {
        Ok(format!("{} \"{}\"", self.category()?, self.description))
    }
    /// What the decision granted: hours × rate when both are stored, else the amount.
    pub fn grant(&self) -> StoreResult<Grant> {
        Ok(match (self.hours()?, self.hourly_rate) {
            (Some(hours), Some(r)) => Grant::Hours {
                hours,
                hourly_rate: Money::from_ore(r),
            },
            _ => Grant::Amount(self.granted()),
        })
    }
}

pub fn insert_year(conn: &mut DbConnection, row: &YearRow) -> StoreResult<()> {
    diesel::insert_into(budget_years::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get_year(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<YearRow>> {
    Ok(budget_years::table
        .filter(budget_years::id.eq(id))
        .filter(budget_years::municipality.eq(municipality))
        .select(YearRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn years_of_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Vec<YearRow>> {
    Ok(budget_years::table
        .filter(budget_years::municipality.eq(municipality))
        .filter(budget_years::case_id.eq(case_id))
        .select(YearRow::as_select())
        .order(budget_years::start_date.asc())
        .load(conn)?)
}

/// Every budget year of the municipality, by case and start.
pub fn all_years(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<YearRow>> {
    Ok(budget_years::table
        .filter(budget_years::municipality.eq(municipality))
        .select(YearRow::as_select())
        .order((budget_years::case_id.asc(), budget_years::start_date.asc()))
        .load(conn)?)
}

/// Moves the budget year to its next version only if nobody else did first.
pub fn bump_version(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    expected: i32,
) -> StoreResult<bool> {
    let n = diesel::update(
        budget_years::table
            .filter(budget_years::municipality.eq(municipality))
            .filter(budget_years::id.eq(id))
            .filter(budget_years::version.eq(expected)),
    )
    .set(budget_years::version.eq(expected + 1))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_posts(conn: &mut DbConnection, rows: &[PostRow]) -> StoreResult<()> {
    for r in rows {
        diesel::insert_into(budget_posts::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

pub fn posts_of_year(
    conn: &mut DbConnection,
    municipality: &str,
    year_id: &str,
) -> StoreResult<Vec<PostRow>> {
    Ok(budget_posts::table
        .filter(budget_posts::municipality.eq(municipality))
        .filter(budget_posts::budget_year_id.eq(year_id))
        .select(PostRow::as_select())
        .order(budget_posts::line_no.asc())
        .load(conn)?)
}

pub fn update_post_grant(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    granted: Money,
    hours: Option<Decimal>,
    rate: Option<Money>,
) -> StoreResult<()> {
    diesel::update(
        budget_posts::table
            .filter(budget_posts::municipality.eq(municipality))
            .filter(budget_posts::id.eq(id)),
    )
    .set((
        budget_posts::granted.eq(granted.ore()),
        budget_posts::hours_granted.eq(hours.map(|h| h.normalize().to_string())),
        budget_posts::hourly_rate.eq(rate.map(|r| r.ore())),
    ))
    .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = budget_versions)]
pub struct VersionRow {
    pub budget_year_id: String,
    pub version: i32,
    pub decided_on: NaiveDate,
    pub reason: String,
    pub snapshot: String,
    pub entry_id: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_version(conn: &mut DbConnection, row: &VersionRow) -> StoreResult<()> {
    diesel::insert_into(budget_versions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn versions_of_year(conn: &mut DbConnection, year_id: &str) -> StoreResult<Vec<VersionRow>> {
    Ok(budget_versions::table
        .filter(budget_versions::budget_year_id.eq(year_id))
        .select(VersionRow::as_select())
        .order(budget_versions::version.asc())
        .load(conn)?)
}
