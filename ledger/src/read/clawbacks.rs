//! What families owe back, and what they repaid.
use crate::context::Ctx;
use crate::error::Result;
use crate::store::clawbacks::{self, ClawbackRow};
use crate::store::Tx;
use bookkeeping::{Code, Error, Money, Role};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub const CLAWBACK_READERS: &[Role] = &[
    Role::Caseworker,
    Role::Finance,
    Role::Controller,
    Role::Admin,
];

/// The hearing on a claim: when it was sent, the date to answer by, and the answer.
#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct HearingView {
    pub sent_on: NaiveDate,
    pub respond_by: NaiveDate,
    pub response_received_on: Option<NaiveDate>,
    pub response_summary: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct ClawbackView {
    pub id: String,
    pub case_id: String,
    /// `annulled_expense`, `settlement` or `lost_earnings`.
    #[schema(example = "annulled_expense")]
    pub origin: String,
    pub settlement_id: Option<String>,
    pub expense_id: Option<String>,
    pub lost_earnings_id: Option<String>,
    /// The decision that claimed or waived it; null while proposed.
    pub decision_id: Option<String>,
    /// What was found paid and not due.
    pub proposed_amount: Money,
    /// What a decision claimed (0.00 while proposed, or when waived).
    pub amount: Money,
    pub repaid: Money,
    /// What is owed now: 0.00 while proposed (nothing is owed before a decision).
    pub outstanding: Money,
    /// `proposed` (found, the family to be heard), `open` (claimed), `settled`, `waived` or
    /// `cancelled` (its settlement was reopened before anything was repaid).
    #[schema(example = "proposed")]
    pub status: String,
    pub hearing: Option<HearingView>,
    /// The entry that booked the overpayment (while proposed) or the claim.
    pub entry_id: Option<String>,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
    /// Lost earnings: what showed the months were not due (`case_ended` or `changed`) and that
    /// decision.
    #[schema(example = "case_ended")]
    pub cause: Option<String>,
    pub cause_decision_id: Option<String>,
    /// Lost earnings: the months paid and not due, each with the gross (what is claimed), and
    /// the pension and ATP paid for it to the funds (listed, not claimed from the family).
    pub months: Vec<OverpaidMonth>,
    /// Set off against later lost earnings with the family's written consent: none otherwise.
    pub set_off: Option<SetOffView>,
}

/// A claim set off against later lost earnings: each payroll run withholds the monthly
/// installment from the parent's line for that decision (a repayment on the claim).
#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct SetOffView {
    pub family_consented_on: NaiveDate,
    pub monthly_amount: Money,
    pub lost_earnings_id: String,
}

/// A month of lost earnings paid and not due.
#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct OverpaidMonth {
    #[schema(example = "2024-04")]
    pub month: String,
    pub gross: Money,
    pub pension: Money,
    pub atp_recipient: Money,
    pub atp_municipality: Money,
    /// The payroll run whose information line records it.
    pub payroll_run_id: String,
}

fn months_of(tx: &mut Tx, c: &ClawbackRow) -> Result<Vec<OverpaidMonth>> {
    if c.origin != "lost_earnings" {
        return Ok(vec![]);
    }
    Ok(crate::store::payroll::lines_of_claim(tx, &c.id)?
        .into_iter()
        .map(|l| OverpaidMonth {
            month: l
                .corrects_month
                .unwrap_or(l.month)
                .format("%Y-%m")
                .to_string(),
            gross: Money::ZERO - Money::from_ore(l.gross),
            pension: Money::ZERO - Money::from_ore(l.pension),
            atp_recipient: Money::ZERO - Money::from_ore(l.atp_recipient),
            atp_municipality: Money::ZERO - Money::from_ore(l.atp_municipality),
            payroll_run_id: l.run_id,
        })
        .collect())
}

/// A claim with the months it comes from.
fn full(tx: &mut Tx, c: ClawbackRow) -> Result<ClawbackView> {
    let months = months_of(tx, &c)?;
    Ok(view(c, months))
}

pub fn view(c: ClawbackRow, months: Vec<OverpaidMonth>) -> ClawbackView {
    let amount = Money::from_ore(c.amount);
    let repaid = Money::from_ore(c.repaid);
    ClawbackView {
        id: c.id,
        case_id: c.case_id,
        origin: c.origin,
        settlement_id: c.settlement_id,
        expense_id: c.expense_id,
        lost_earnings_id: c.lost_earnings_id,
        decision_id: c.decision_id,
        proposed_amount: Money::from_ore(c.proposed_amount),
        hearing: match (c.hearing_sent_on, c.respond_by) {
            (Some(sent_on), Some(respond_by)) => Some(HearingView {
                sent_on,
                respond_by,
                response_received_on: c.response_received_on,
                response_summary: c.response_summary,
            }),
            _ => None,
        },
        amount,
        repaid,
        outstanding: amount - repaid,
        status: c.status,
        entry_id: c.entry_id,
        created_at: c.created_at,
        cause: c.cause,
        cause_decision_id: c.cause_decision_id,
        months,
        set_off: match (
            c.offset_consented_on,
            c.offset_monthly,
            c.offset_lost_earnings_id,
        ) {
            (Some(on), Some(monthly), Some(id)) => Some(SetOffView {
                family_consented_on: on,
                monthly_amount: Money::from_ore(monthly),
                lost_earnings_id: id,
            }),
            _ => None,
        },
    }
}

pub fn not_found(id: &str) -> Error {
    Error::missing(Code::ClawbackNotFound, "clawback", id)
}

pub fn list(
    tx: &mut Tx,
    ctx: &Ctx,
    status: Option<&str>,
    case_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ClawbackView>> {
    ctx.require(CLAWBACK_READERS)?;
    clawbacks::list(tx, &ctx.municipality, status, case_id, after, limit)?
        .into_iter()
        .map(|c| full(tx, c))
        .collect()
}

pub fn get(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<ClawbackView> {
    ctx.require(CLAWBACK_READERS)?;
    let c = clawbacks::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    full(tx, c)
}

/// A claim as a command answers with it (the caller's role was checked by the command).
pub fn current(tx: &mut Tx, municipality: &str, id: &str) -> Result<ClawbackView> {
    let c = clawbacks::get(tx, municipality, id)?.ok_or_else(|| not_found(id))?;
    full(tx, c)
}

/// Everything a hearing letter prints, in Danish; the template only lays it out.
#[derive(Serialize, Clone, Debug)]
pub struct HearingLetter {
    pub municipality: String,
    pub case_ref: String,
    pub sent_on: NaiveDate,
    pub respond_by: NaiveDate,
    pub amount: String,
    pub facts: String,
    pub legal: String,
    /// Lost earnings: the months paid and not due (month, gross, pension, ATP).
    pub months: Vec<LetterMonth>,
    /// What the decision will turn on, where the law sets a condition (lost earnings).
    pub condition: Option<String>,
}

/// A month in a hearing letter, the amounts as text.
#[derive(Serialize, Clone, Debug)]
pub struct LetterMonth {
    pub month: String,
    pub gross: String,
    pub pension: String,
    pub atp: String,
}

/// The hearing letter of a claim whose hearing was sent (caseworkers and controllers: it holds
/// the family's case).
pub fn hearing_letter(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<HearingLetter> {
    ctx.require(crate::context::DECISION_READERS)?;
    let c = clawbacks::get(tx, &ctx.municipality, id)?.ok_or_else(|| not_found(id))?;
    let months = months_of(tx, &c)?;
    let mut letter = letter_of(
        tx,
        ctx,
        &c.case_id,
        &c.origin,
        (c.hearing_sent_on, c.respond_by),
        c.proposed_amount,
    )?;
    if c.origin == "lost_earnings" {
        letter.facts = match c.cause.as_deref() {
            Some("case_ended") => "Sagen om hjemmetræning er afsluttet med virkning fra en dato, der ligger før de måneder, du har fået udbetalt kompensation for tabt arbejdsfortjeneste for. Kompensationen for tiden efter afslutningen er derfor udbetalt, uden at der var ret til den.",
            _ => "Kommunen har ændret afgørelsen om kompensation for tabt arbejdsfortjeneste med virkning for måneder, der allerede er udbetalt. Der er derfor udbetalt mere, end der var ret til.",
        }
        .to_string();
        letter.condition = Some("Kommunen kan kun kræve beløbet tilbage, hvis du vidste eller burde vide, at du ikke havde ret til pengene, for eksempel fordi du ikke gav kommunen besked om en ændring. Ellers frafalder kommunen kravet. Skriv gerne, om og hvornår du vidste det. Pension og ATP er betalt til pensionsselskabet og ATP og kræves ikke tilbage fra dig.".into());
        letter.months = months
            .into_iter()
            .map(|m| LetterMonth {
                month: m.month,
                gross: m.gross.to_string(),
                pension: m.pension.to_string(),
                atp: (m.atp_recipient + m.atp_municipality).to_string(),
            })
            .collect();
    }
    Ok(letter)
}

/// The hearing letter of a settlement's unspent money.
pub fn settlement_hearing_letter(tx: &mut Tx, ctx: &Ctx, id: &str) -> Result<HearingLetter> {
    ctx.require(crate::context::DECISION_READERS)?;
    let s = crate::store::settlements::get(tx, &ctx.municipality, id)?
        .ok_or_else(|| crate::read::settlements::not_found(id))?;
    letter_of(
        tx,
        ctx,
        &s.case_id,
        "settlement",
        (s.hearing_sent_on, s.respond_by),
        s.net_unspent,
    )
}

fn letter_of(
    tx: &mut Tx,
    ctx: &Ctx,
    case_id: &str,
    origin: &str,
    hearing: (Option<NaiveDate>, Option<NaiveDate>),
    amount: i64,
) -> Result<HearingLetter> {
    let (Some(sent_on), Some(respond_by)) = hearing else {
        return Err(Error::conflict(
            Code::NoHearing,
            "no hearing was sent on this claim: send one first",
        )
        .into());
    };
    let case = crate::store::cases::get(tx, &ctx.municipality, case_id)?
        .ok_or_else(|| crate::read::cases::not_found(case_id))?;
    let facts = match origin {
        "annulled_expense" => "Kommunen har tilbagekaldt sin godkendelse af en udgift, som allerede var udbetalt. Beløbet er derfor udbetalt, uden at der var ret til det.".to_string(),
        "settlement" => "Årsregnskabet for det faste beløb viser, at der er udbetalt mere forud, end der er brugt på de aftalte poster.".to_string(),
        _ => "Der er udbetalt kompensation for måneder, som en senere afgørelse viser, at der ikke var ret til.".to_string(),
    };
    Ok(HearingLetter {
        municipality: crate::store::settings::name_of(tx, &ctx.municipality)?,
        case_ref: case.external_ref,
        sent_on,
        respond_by,
        amount: Money::from_ore(amount).to_string(),
        facts,
        months: vec![],
        condition: None,
        legal: "Partshøringen sker efter forvaltningslovens § 19: du har ret til at se og kommentere de oplysninger, kommunen vil bruge, før der træffes afgørelse.".into(),
    })
}
