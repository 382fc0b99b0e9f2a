//! Stores a decision (afgørelse) with the command that makes it: who, when, what was asked, the
//! outcome, the rule, its legal reference and the figures. Shared by every deciding command.
use crate::context::Ctx;
use crate::error::{Refusal, Result};
use crate::store::decisions::{self, DecisionRow};
use crate::store::{new_id, now, StoreError, Tx};
use bookkeeping::{Code, Figure, Money};
use chrono::NaiveDate;
use rules::decision::{DecisionKind, Outcome};
use serde_json::Value;

/// A decision to store.
pub struct NewDecision<'a> {
    pub case_id: &'a str,
    pub kind: DecisionKind,
    pub outcome: Outcome,
    pub decided_on: NaiveDate,
    /// What the decision is about: ("expense", id), ("budget_year", id), ("case", id) …
    pub subject: (&'a str, &'a str),
    pub amount: Option<Money>,
    pub code: Option<Code>,
    pub legal_reference: Option<&'a str>,
    pub reason: String,
    pub asked: Value,
    pub figures: Vec<Figure>,
}

impl<'a> NewDecision<'a> {
    /// A grant or change with its reason.
    pub fn new(
        case_id: &'a str,
        kind: DecisionKind,
        outcome: Outcome,
        decided_on: NaiveDate,
        subject: (&'a str, &'a str),
        reason: String,
    ) -> Self {
        NewDecision {
            case_id,
            kind,
            outcome,
            decided_on,
            subject,
            amount: None,
            code: None,
            legal_reference: None,
            reason,
            asked: Value::Object(Default::default()),
            figures: vec![],
        }
    }

    /// The refusal a rule gave, as a decision: its code, legal reference, detail and figures.
    pub fn refusal(
        case_id: &'a str,
        decided_on: NaiveDate,
        subject: (&'a str, &'a str),
        r: &'a Refusal,
    ) -> Self {
        NewDecision {
            code: Some(r.code),
            legal_reference: r.legal_reference.as_deref(),
            figures: r.figures.clone(),
            ..Self::new(
                case_id,
                DecisionKind::ExpenseRefused,
                Outcome::Refused,
                decided_on,
                subject,
                r.detail.clone(),
            )
        }
    }

    /// The kind of decision a refusal is (an expense's by default).
    pub fn kind(mut self, k: DecisionKind) -> Self {
        self.kind = k;
        self
    }
    pub fn amount(mut self, a: Money) -> Self {
        self.amount = Some(a);
        self
    }
    pub fn asked(mut self, v: Value) -> Self {
        self.asked = v;
        self
    }
    pub fn legal(mut self, reference: &'a str) -> Self {
        self.legal_reference = Some(reference);
        self
    }
    pub fn figure(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.figures.push(Figure {
            name: name.to_string(),
            value: value.to_string(),
        });
        self
    }
}

/// Stores the decision; returns its id.
pub fn record(tx: &mut Tx, ctx: &Ctx, d: NewDecision) -> Result<String> {
    let row = DecisionRow {
        id: new_id(),
        municipality: ctx.municipality.clone(),
        case_id: d.case_id.to_string(),
        kind: d.kind.as_str().to_string(),
        decided_on: d.decided_on,
        outcome: d.outcome.as_str().to_string(),
        subject_type: d.subject.0.to_string(),
        subject_id: d.subject.1.to_string(),
        amount: d.amount.map(|a| a.ore()),
        code: d.code.map(|c| c.as_str().to_string()),
        legal_reference: d.legal_reference.map(str::to_string),
        reason: d.reason,
        asked: to_json(&d.asked)?,
        figures: to_json(&d.figures)?,
        decided_by: ctx.sub.clone(),
        created_at: now(),
        decided_by_name: ctx.name.clone(),
        municipality_name: Some(crate::store::settings::name_of(tx, &ctx.municipality)?),
    };
    decisions::insert(tx, &row)?;
    Ok(row.id)
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("decision: {e}")))?)
}
