//! Decisions (afgørelser): written once, listed per case.
use super::schema::decisions;
use super::{known, DbConnection, StoreError, StoreResult};
use bookkeeping::{Figure, Money};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rules::decision::{DecisionKind, Outcome};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub id: String,
    pub municipality: String,
    pub case_id: String,
    pub kind: String,
    pub decided_on: NaiveDate,
    pub outcome: String,
    pub subject_type: String,
    pub subject_id: String,
    pub amount: Option<i64>,
    pub code: Option<String>,
    pub legal_reference: Option<String>,
    pub reason: String,
    /// What was asked, as a JSON object.
    pub asked: String,
    /// The figures the decision rests on, as a JSON array of `{name, value}`.
    pub figures: String,
    pub decided_by: String,
    pub created_at: NaiveDateTime,
    /// The token's `name` claim of who decided, when it carried one.
    pub decided_by_name: Option<String>,
    /// The municipality's name when it was decided (its letter prints it).
    pub municipality_name: Option<String>,
}

impl DecisionRow {
    pub fn kind(&self) -> StoreResult<DecisionKind> {
        known(
            DecisionKind::parse(&self.kind),
            "decisions.kind",
            &self.kind,
        )
    }
    pub fn outcome(&self) -> StoreResult<Outcome> {
        known(
            Outcome::parse(&self.outcome),
            "decisions.outcome",
            &self.outcome,
        )
    }
    pub fn amount(&self) -> Option<Money> {
        self.amount.map(Money::from_ore)
    }
    pub fn figures(&self) -> StoreResult<Vec<Figure>> {
        serde_json::from_str(&self.figures)
            .map_err(|e| StoreError::Corrupt(format!("decisions.figures: {e}")))
    }
    pub fn asked(&self) -> StoreResult<serde_json::Value> {
        serde_json::from_str(&self.asked)
            .map_err(|e| StoreError::Corrupt(format!("decisions.asked: {e}")))
    }
}

pub fn insert(conn: &mut DbConnection, row: &DecisionRow) -> StoreResult<()> {
    diesel::insert_into(decisions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
) -> StoreResult<Option<DecisionRow>> {
    Ok(decisions::table
        .filter(decisions::municipality.eq(municipality))
        .filter(decisions::id.eq(id))
        .select(DecisionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The decisions of a case, oldest first (ids are time-ordered).
pub fn of_case(
    conn: &mut DbConnection,
    municipality: &str,
    case_id: &str,
) -> StoreResult<Vec<DecisionRow>> {
    Ok(decisions::table
        .filter(decisions::municipality.eq(municipality))
        .filter(decisions::case_id.eq(case_id))
        .select(DecisionRow::as_select())
        .order(decisions::id.asc())
        .load(conn)?)
}

/// The latest decision on each of `ids` of one subject type: (subject id, decision id).
pub fn latest_for(
    conn: &mut DbConnection,
    municipality: &str,
    subject_type: &str,
    ids: &[String],
) -> StoreResult<Vec<(String, String)>> {
    let mut rows: Vec<(String, String)> = decisions::table
        .filter(decisions::municipality.eq(municipality))
        .filter(decisions::subject_type.eq(subject_type))
        .filter(decisions::subject_id.eq_any(ids))
        .select((decisions::subject_id, decisions::id))
        .order(decisions::id.asc())
        .load(conn)?;
    // Ids are time-ordered: the last one per subject is the latest.
    rows.reverse();
    let mut seen = std::collections::HashSet::new();
    rows.retain(|(s, _)| seen.insert(s.clone()));
    Ok(rows)
}
