//! Lost-earnings decisions and their versions: written once; a change is a new version.
use super::schema::{lost_earnings, lost_earnings_versions};
use super::{DbConnection, StoreError, StoreResult};
use bookkeeping::Money;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::lost_earnings::calculation::Inputs;
use rules::lost_earnings::grant::BasisType;
use rules::lost_earnings::terms::Payslip;
use rules::lost_earnings::versions::Version;
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = lost_earnings)]
pub struct LostEarningsRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub parent_ref: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = lost_earnings_versions)]
// NULL for None, not DEFAULT: SQLite can then take many rows in one INSERT (diesel inserts rows
// one by one when a row may hold DEFAULT).
#[diesel(treat_none_as_default_value = false)]
pub struct VersionRow {
    pub lost_earnings_id: String,
    pub version: i32,
    pub municipality: String,
    pub effective_from: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub granted_weekly_hours: String,
    pub previous_weekly_hours: Option<String>,
    pub basis_type: String,
    pub payslips: String,
    pub basis: i64,
    pub basis_from: NaiveDate,
    pub employer_pension_monthly: i64,
    pub monthly_savings: i64,
    pub home_teaching_weekly_hours: String,
    pub home_taught_full_time: bool,
    pub exceptional_hours_documented: bool,
    pub cut_reason: Option<String>,
    pub decision_id: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

fn hours(column: &str, s: &str) -> StoreResult<Decimal> {
    Decimal::from_str(s).map_err(|_| StoreError::Corrupt(format!("{column} = {s:?}")))
}

impl VersionRow {
    pub fn granted(&self) -> StoreResult<Decimal> {
        hours(
            "lost_earnings_versions.granted_weekly_hours",
            &self.granted_weekly_hours,
        )
    }
    pub fn previous(&self) -> StoreResult<Option<Decimal>> {
        self.previous_weekly_hours
            .as_deref()
            .map(|h| hours("lost_earnings_versions.previous_weekly_hours", h))
            .transpose()
    }
    pub fn home_teaching(&self) -> StoreResult<Decimal> {
        hours(
            "lost_earnings_versions.home_teaching_weekly_hours",
            &self.home_teaching_weekly_hours,
        )
    }
    pub fn basis_type(&self) -> StoreResult<BasisType> {
        super::known(
            BasisType::parse(&self.basis_type),
            "lost_earnings_versions.basis_type",
            &self.basis_type,
        )
    }
    pub fn payslips(&self) -> StoreResult<Vec<Payslip>> {
        let stored: Vec<StoredPayslip> = serde_json::from_str(&self.payslips)
            .map_err(|e| StoreError::Corrupt(format!("lost_earnings_versions.payslips: {e}")))?;
        Ok(stored.into_iter().map(StoredPayslip::payslip).collect())
    }
    /// The version as the calculation reads it.
    pub fn to_version(&self) -> StoreResult<Version> {
        // The basis is not regulated up to the start: regulation counts from when it was set.
        Ok(Version {
            effective_from: self.effective_from,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            inputs: Inputs {
                basis: Money::from_ore(self.basis),
                granted_weekly_hours: self.granted()?,
                previous_weekly_hours: self.previous()?,
                employer_pension_monthly: Money::from_ore(self.employer_pension_monthly),
                monthly_savings: Money::from_ore(self.monthly_savings),
                started_on: self.basis_from,
                covered_from: self.valid_from,
                covered_to: self.valid_to,
                documented_loss: self.basis_type()?
                    == rules::lost_earnings::terms::BasisType::SelfEmployed,
            },
        })
    }
}

/// A payslip as a version keeps it: øre for a month's payslip (what every version before
/// payslip periods holds), or the gross in øre with its period.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum StoredPayslip {
    Monthly(i64),
    Period {
        gross: i64,
        from: NaiveDate,
        to: NaiveDate,
    },
}

impl StoredPayslip {
    fn payslip(self) -> Payslip {
        match self {
            StoredPayslip::Monthly(ore) => Payslip::monthly(Money::from_ore(ore)),
            StoredPayslip::Period { gross, from, to } => Payslip {
                gross: Money::from_ore(gross),
                period: Some((from, to)),
            },
        }
    }
}

/// The payslips as a version's `payslips` column keeps them.
pub fn encode_payslips(p: &[Payslip]) -> StoreResult<String> {
    let stored: Vec<StoredPayslip> = p
        .iter()
        .map(|p| match p.period {
            None => StoredPayslip::Monthly(p.gross.ore()),
            Some((from, to)) => StoredPayslip::Period {
                gross: p.gross.ore(),
                from,
                to,
            },
        })
        .collect();
    serde_json::to_string(&stored).map_err(|e| StoreError::Corrupt(format!("payslips: {e}")))
}

pub fn insert(conn: &mut DbConnection, d: &LostEarningsRow) -> StoreResult<()> {
    diesel::insert_into(lost_earnings::table)
        .values(d)
        .execute(conn)?;
    Ok(())
}

pub fn insert_version(conn: &mut DbConnection, v: &VersionRow) -> StoreResult<()> {
    diesel::insert_into(lost_earnings_versions::table)
        .values(v)
        .execute(conn)?;
    Ok(())
}

/// Many decisions and their first versions at once (the benchmark's bulk load).
pub fn insert_many(
    conn: &mut DbConnection,
    ds: &[LostEarningsRow],
    vs: &[VersionRow],
) -> StoreResult<()> {
    for chunk in ds.chunks(1000) {
        on_backend!(conn, c => diesel::insert_into(lost_earnings::table).values(chunk).execute(c))?;
    }
    for chunk in vs.chunks(1000) {
        on_backend!(conn, c => diesel::insert_into(lost_earnings_versions::table).values(chunk).execute(c))?;
    }
    Ok(())
}

pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<LostEarningsRow>> {
    Ok(lost_earnings::table
        .filter(lost_earnings::municipality.eq(municipality))
        .filter(lost_earnings::id.eq(id))
        .select(LostEarningsRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn of_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Vec<LostEarningsRow>> {
    Ok(lost_earnings::table
        .filter(lost_earnings::municipality.eq(municipality))
        .filter(lost_earnings::case_id.eq(case_id))
        .select(LostEarningsRow::as_select())
        .order(lost_earnings::id.asc())
        .load(conn)?)
}

/// A decision's versions, oldest first.
pub fn versions(conn: &mut DbConnection, id: &str) -> StoreResult<Vec<VersionRow>> {
    Ok(lost_earnings_versions::table
        .filter(lost_earnings_versions::lost_earnings_id.eq(id))
        .select(VersionRow::as_select())
        .order(lost_earnings_versions::version.asc())
        .load(conn)?)
}

/// Every decision of the municipality with its versions (oldest first), for a run.
pub fn all_with_versions(
    conn: &mut DbConnection,
    municipality: &str,
) -> StoreResult<Vec<(LostEarningsRow, Vec<VersionRow>)>> {
    let ds: Vec<LostEarningsRow> = lost_earnings::table
        .filter(lost_earnings::municipality.eq(municipality))
        .select(LostEarningsRow::as_select())
        .order(lost_earnings::id.asc())
        .load(conn)?;
    let vs: Vec<VersionRow> = lost_earnings_versions::table
        .filter(lost_earnings_versions::municipality.eq(municipality))
        .select(VersionRow::as_select())
        .order((
            lost_earnings_versions::lost_earnings_id.asc(),
            lost_earnings_versions::version.asc(),
        ))
        .load(conn)?;
    let mut by_id: std::collections::HashMap<String, Vec<VersionRow>> =
        std::collections::HashMap::with_capacity(ds.len());
    for v in vs {
        by_id.entry(v.lost_earnings_id.clone()).or_default().push(v);
    }
    Ok(ds
        .into_iter()
        .map(|d| {
            let mine = by_id.remove(&d.id).unwrap_or_default();
            (d, mine)
        })
        .collect())
}

/// The parent's decisions in the municipality with their latest versions (for the hours a parent
/// is granted across the children's cases).
pub fn of_parent(
    conn: &mut DbConnection,
    municipality: &str,
    parent_ref: &str,
) -> StoreResult<Vec<(LostEarningsRow, VersionRow)>> {
    let ds: Vec<LostEarningsRow> = lost_earnings::table
        .filter(lost_earnings::municipality.eq(municipality))
        .filter(lost_earnings::parent_ref.eq(parent_ref))
        .select(LostEarningsRow::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(ds.len());
    for d in ds {
        if let Some(v) = versions(conn, &d.id)?.pop() {
            out.push((d, v));
        }
    }
    Ok(out)
}

/// Serializes decisions for one parent (PostgreSQL; SQLite has one writer at a time): two grants
/// for the same parent on two children's cases at once would each miss the other's hours.
pub fn lock_parent(
    conn: &mut DbConnection,
    municipality: &str,
    parent_ref: &str,
) -> StoreResult<()> {
    if let DbConnection::Pg(pg) = conn {
        // A key of its own: "le-parent" keeps it apart from the period fence's keys.
        let key = super::periods::fence_key(&format!("le-parent/{municipality}/{parent_ref}"));
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(key)
            .execute(pg)?;
    }
    Ok(())
}
