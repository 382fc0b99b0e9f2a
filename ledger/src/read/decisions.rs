//! Decisions (afgørelser) as the case file and the family's letter show them.
use crate::context::{Ctx, DECISION_READERS};
use crate::error::Result;
use crate::store::decisions::{self, DecisionRow};
use crate::store::{cases, StoreResult, Tx};
use bookkeeping::{Code, Error, Figure, Money};
use chrono::{NaiveDate, NaiveDateTime};
use rules::decision::{danish, legal_basis, letter, wording, DecisionKind, Outcome};
use serde::{Deserialize, Serialize};

/// What a decision is about.
#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Subject {
    /// `case`, `budget_year`, `expense` …
    #[serde(rename = "type")]
    #[schema(example = "expense")]
    pub type_: String,
    pub id: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct DecisionView {
    pub id: String,
    pub case_id: String,
    #[schema(value_type = String, example = "expense_refused")]
    pub kind: DecisionKind,
    pub decided_on: NaiveDate,
    #[schema(value_type = String, example = "refused")]
    pub outcome: Outcome,
    pub subject: Subject,
    /// The amount asked for, granted, refused or claimed.
    pub amount: Option<Money>,
    /// The refusal code, for a refusal a rule gave.
    #[schema(example = "budget_post_exceeded")]
    pub code: Option<String>,
    pub legal_reference: Option<String>,
    /// The reasons: the caseworker's, or the rule's.
    pub reason: String,
    /// What was asked.
    #[schema(value_type = Object)]
    pub asked: serde_json::Value,
    /// The figures the decision rests on.
    pub figures: Vec<Figure>,
    pub decided_by: String,
    /// The name or title of who decided (the token's `name` claim), when it carried one.
    pub decided_by_name: Option<String>,
    /// The municipality's name when it was decided, as its letter prints it.
    pub municipality_name: Option<String>,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
}

pub fn view(r: DecisionRow) -> StoreResult<DecisionView> {
    Ok(DecisionView {
        kind: r.kind()?,
        outcome: r.outcome()?,
        amount: r.amount(),
        figures: r.figures()?,
        asked: r.asked()?,
        id: r.id,
        case_id: r.case_id,
        decided_on: r.decided_on,
        subject: Subject {
            type_: r.subject_type,
            id: r.subject_id,
        },
        code: r.code,
        legal_reference: r.legal_reference,
        reason: r.reason,
        decided_by: r.decided_by,
        decided_by_name: r.decided_by_name,
        municipality_name: r.municipality_name,
        created_at: r.created_at,
    })
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::DecisionNotFound, "decision", id)
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<DecisionView> {
    ctx.require(DECISION_READERS)?;
    let r = decisions::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    Ok(view(r)?)
}

pub fn of_case(tx: &mut Tx, ctx: &Ctx, case_id: &str) -> Result<Vec<DecisionView>> {
    ctx.require(DECISION_READERS)?;
    let m = &ctx.municipality;
    cases::get(tx, m, case_id)?.ok_or_else(|| super::cases::not_found(case_id))?;
    Ok(decisions::of_case(tx, m, case_id)?
        .into_iter()
        .map(view)
        .collect::<StoreResult<_>>()?)
}

/// A figure with its Danish label, for the letter.
#[derive(Serialize, Clone, Debug)]
pub struct LetterFigure {
    pub label: String,
    pub value: String,
}

/// Everything a decision letter prints, in Danish; the template only lays it out.
#[derive(Serialize, Clone, Debug)]
pub struct Letter {
    pub decision: DecisionView,
    /// The municipality's name (its setting, else the official name for its code).
    pub municipality: String,
    /// Who decided, as the family reads it: the name or title the token carried, else the
    /// office; never the token's subject.
    pub signed_by: String,
    pub case_ref: String,
    pub title: &'static str,
    pub outcome: &'static str,
    /// The reasons in plain Danish (for a rule's refusal), then the rule's own words.
    pub plain_reason: Option<&'static str>,
    pub asked: Vec<LetterFigure>,
    pub figures: Vec<LetterFigure>,
    pub appeal_guidance: &'static str,
    pub appeal_legal: &'static str,
    pub decision_legal: String,
    /// The law the decision rests on, in Danish (statute, executive order and guidance by
    /// their titles), then the rule's own reference with the municipality's practice named as
    /// its own.
    pub legal_basis: Vec<String>,
}

/// A fact's value as the family reads it: codes in Danish words, lists joined, no JSON.
fn in_words(name: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => danish::value(wording::value_text(name, s)),
        Value::Bool(b) => wording::value_text(name, if *b { "true" } else { "false" }).to_string(),
        Value::Array(items) => items
            .iter()
            .map(|i| in_words(name, i))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(o) => o
            .iter()
            .filter(|(k, v)| !v.is_null() && wording::shown(k))
            .map(|(k, v)| format!("{} {}", wording::figure_label(k), in_words(k, v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

pub fn letter(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<Letter> {
    let d = get(tx, ctx, id)?;
    let case = cases::get(tx, &ctx.municipality, &d.case_id)?
        .ok_or_else(|| super::cases::not_found(&d.case_id))?;
    let label = |name: &str, value: String| LetterFigure {
        label: letter::figure_label(name).to_string(),
        value,
    };
    let asked = match &d.asked {
        serde_json::Value::Object(o) => o
            .iter()
            .filter(|(k, v)| !v.is_null() && wording::shown(k))
            .map(|(k, v)| label(k, in_words(k, v)))
            .collect(),
        _ => vec![],
    };
    // The name it was decided under (a letter printed again reads as it was sent); a decision
    // older than the setting takes the name in force.
    let name = match &d.municipality_name {
        Some(n) => n.clone(),
        None => crate::store::settings::name_of(tx, &ctx.municipality)?,
    };
    let practice = rules::municipalities::practice_of(&name);
    // A claim rests on the law of the money it claims: home training's (§ 85) for an expense
    // or a settlement, lost earnings' (§ 87) for compensation paid and not due.
    let origin = d
        .asked
        .get("origin")
        .and_then(|o| o.as_str())
        .map(str::to_string);
    Ok(Letter {
        signed_by: d
            .decided_by_name
            .clone()
            .unwrap_or_else(|| letter::OFFICE.to_string()),
        municipality: name,
        case_ref: case.external_ref,
        title: letter::title(d.kind),
        outcome: letter::outcome_of(d.kind, d.outcome),
        plain_reason: d
            .code
            .as_deref()
            .and_then(Code::parse)
            .map(|c| letter::refusal_reason_of(d.kind, c)),
        asked,
        figures: d
            .figures
            .iter()
            .map(|f| {
                label(
                    &f.name,
                    danish::value(wording::value_text(&f.name, &f.value)),
                )
            })
            .collect(),
        appeal_guidance: letter::APPEAL_GUIDANCE,
        appeal_legal: letter::APPEAL_LEGAL,
        decision_legal: legal_basis::citation(rules::decision::LEGAL, &practice),
        legal_basis: {
            let mut basis = legal_basis::law(d.kind, origin.as_deref());
            if let Some(own) = d
                .legal_reference
                .as_deref()
                .map(|l| legal_basis::citation(l, &practice))
            {
                if !basis.contains(&own) {
                    basis.push(own);
                }
            }
            basis
        },
        decision: d,
    })
}
