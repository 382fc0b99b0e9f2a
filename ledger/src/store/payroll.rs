//! Payroll runs of lost-earnings compensation and their lines: written once; a later change is a
//! correction line in a later run.
use super::schema::{payroll_lines, payroll_runs};
use super::{DbConnection, StoreError, StoreResult};
use bookkeeping::Money;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::lost_earnings::payroll::Amounts;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = payroll_runs)]
pub struct RunRow {
    pub id: String,
    pub municipality: String,
    pub month: NaiveDate,
    pub entry_id: Option<String>,
    pub lines_count: i32,
    pub corrections_count: i32,
    pub total_gross: i64,
    pub total_pension: i64,
    pub total_atp_recipient: i64,
    pub total_atp_municipality: i64,
    pub total_savings_deduction: i64,
    pub total_pay_before_tax: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = payroll_lines)]
// NULL for None, not DEFAULT: SQLite can then take many rows in one INSERT (diesel inserts rows
// one by one when a row may hold DEFAULT).
#[diesel(treat_none_as_default_value = false)]
pub struct LineRow {
    pub id: String,
    pub run_id: String,
    pub line_no: i32,
    pub municipality: String,
    pub lost_earnings_id: String,
    pub version: i32,
    pub case_id: String,
    pub parent_ref: String,
    pub month: NaiveDate,
    pub kind: String,
    pub corrects_month: Option<NaiveDate>,
    pub hours: String,
    pub gross: i64,
    pub pension: i64,
    pub atp_recipient: i64,
    pub atp_municipality: i64,
    pub savings_deduction: i64,
    pub pay_before_tax: i64,
    /// The run's voucher; none for a month found overpaid, which is not booked against the
    /// parent's pay but claimed (`clawback_id`) by a decision the parent is heard on.
    pub entry_id: Option<String>,
    pub clawback_id: Option<String>,
    /// An installment on a claim the family consented to have set off against this pay
    /// (`set_off_clawback_id`), withheld by the payroll system after tax, like savings.
    pub set_off: i64,
    pub set_off_clawback_id: Option<String>,
}

impl LineRow {
    pub fn amounts(&self) -> StoreResult<Amounts> {
        Ok(Amounts {
            hours: Decimal::from_str(&self.hours).map_err(|_| {
                StoreError::Corrupt(format!("payroll_lines.hours = {:?}", self.hours))
            })?,
            gross: Money::from_ore(self.gross),
            pension: Money::from_ore(self.pension),
            atp_recipient: Money::from_ore(self.atp_recipient),
            atp_municipality: Money::from_ore(self.atp_municipality),
            savings_deduction: Money::from_ore(self.savings_deduction),
            pay_before_tax: Money::from_ore(self.pay_before_tax),
        })
    }
}

/// The run and its lines, in multi-row inserts.
pub fn insert(conn: &mut DbConnection, run: &RunRow, lines: &[LineRow]) -> StoreResult<()> {
    diesel::insert_into(payroll_runs::table)
        .values(run)
        .execute(conn)?;
    for chunk in lines.chunks(1000) {
        on_backend!(conn, c => diesel::insert_into(payroll_lines::table).values(chunk).execute(c))?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConnection, municipality: &str, id: &str) -> StoreResult<Option<RunRow>> {
    Ok(payroll_runs::table
        .filter(payroll_runs::municipality.eq(municipality))
        .filter(payroll_runs::id.eq(id))
        .select(RunRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn of_month(
    conn: &mut DbConnection,
    municipality: &str,
    month: NaiveDate,
) -> StoreResult<Option<RunRow>> {
    Ok(payroll_runs::table
        .filter(payroll_runs::municipality.eq(municipality))
        .filter(payroll_runs::month.eq(month))
        .select(RunRow::as_select())
        .first(conn)
        .optional()?)
}

/// The months that have been run, oldest first.
pub fn months_run(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<NaiveDate>> {
    Ok(payroll_runs::table
        .filter(payroll_runs::municipality.eq(municipality))
        .select(payroll_runs::month)
        .order(payroll_runs::month.asc())
        .load(conn)?)
}

pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<RunRow>> {
    let mut q = payroll_runs::table
        .filter(payroll_runs::municipality.eq(municipality))
        .select(RunRow::as_select())
        .order(payroll_runs::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(payroll_runs::id.gt(a.to_string()));
    }
    Ok(q.load(conn)?)
}

/// A run's lines in line order, a page at a time.
pub fn lines(
    conn: &mut DbConnection,
    run_id: &str,
    after_line: i32,
    limit: i64,
) -> StoreResult<Vec<LineRow>> {
    Ok(payroll_lines::table
        .filter(payroll_lines::run_id.eq(run_id))
        .filter(payroll_lines::line_no.gt(after_line))
        .select(LineRow::as_select())
        .order(payroll_lines::line_no.asc())
        .limit(limit)
        .load(conn)?)
}

/// For each decision with lines: the latest version its lines were computed from.
pub fn booked_versions(
    conn: &mut DbConnection,
    municipality: &str,
) -> StoreResult<HashMap<String, i32>> {
    let rows: Vec<(String, Option<i32>)> = payroll_lines::table
        .filter(payroll_lines::municipality.eq(municipality))
        .group_by(payroll_lines::lost_earnings_id)
        .select((
            payroll_lines::lost_earnings_id,
            diesel::dsl::max(payroll_lines::version),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, v)| (id, v.unwrap_or(0)))
        .collect())
}

/// What is booked for a decision, per month the amounts belong to (a correction counts for the
/// month it corrects).
pub fn booked_by_month(
    conn: &mut DbConnection,
    lost_earnings_id: &str,
) -> StoreResult<BTreeMap<NaiveDate, Amounts>> {
    let rows: Vec<LineRow> = payroll_lines::table
        .filter(payroll_lines::lost_earnings_id.eq(lost_earnings_id))
        .select(LineRow::as_select())
        .load(conn)?;
    let mut out: BTreeMap<NaiveDate, Amounts> = BTreeMap::new();
    for r in rows {
        let m = r.corrects_month.unwrap_or(r.month);
        let a = r.amounts()?;
        let sum = out.entry(m).or_default();
        *sum = sum.plus(a);
    }
    Ok(out)
}

/// The information lines of a lost-earnings claim: the months paid and not due.
pub fn lines_of_claim(conn: &mut DbConnection, clawback_id: &str) -> StoreResult<Vec<LineRow>> {
    Ok(payroll_lines::table
        .filter(payroll_lines::clawback_id.eq(clawback_id))
        .select(LineRow::as_select())
        .order((
            payroll_lines::corrects_month.asc(),
            payroll_lines::line_no.asc(),
        ))
        .load(conn)?)
}

/// Every line of a run, in order.
pub fn all_lines(conn: &mut DbConnection, run_id: &str) -> StoreResult<Vec<LineRow>> {
    lines(conn, run_id, 0, i64::MAX)
}

/// What was paid for a month: gross, pension, ATP (both shares), pay before tax, in øre.
pub type MonthPaid = (i64, i64, i64, i64);

/// Lost earnings paid on a case for the months `from`..`to` (a correction counts for the month
/// it corrects; months found overpaid and claimed are not paid): per month, gross, pension,
/// ATP (both shares) and pay before tax, in øre.
pub fn paid_by_month_of_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(NaiveDate, MonthPaid)>> {
    let rows: Vec<LineRow> = payroll_lines::table
        .filter(payroll_lines::municipality.eq(municipality))
        .filter(payroll_lines::case_id.eq(case_id))
        .filter(payroll_lines::clawback_id.is_null())
        .select(LineRow::as_select())
        .load(conn)?;
    let first = chrono::Datelike::with_day(&from, 1).unwrap_or(from);
    let mut by: std::collections::BTreeMap<NaiveDate, (i64, i64, i64, i64)> = Default::default();
    for l in rows {
        let month = l.corrects_month.unwrap_or(l.month);
        if month < first || month > to {
            continue;
        }
        let e = by.entry(month).or_default();
        e.0 += l.gross;
        e.1 += l.pension;
        e.2 += l.atp_recipient + l.atp_municipality;
        e.3 += l.pay_before_tax;
    }
    Ok(by.into_iter().collect())
}
