//! Forvaltningsloven §§ 22, 24 og 25; retssikkerhedsloven §§ 66-67: what a decision letter tells the family in plain Danish: the outcome, the reasons, the rule and how to appeal.
use super::{DecisionKind, Outcome};
use bookkeeping::Code;

/// The appeal guidance (klagevejledning) every decision letter carries.
pub const APPEAL_GUIDANCE: &str = "Du kan klage over afgørelsen. Klagen skal være modtaget senest 4 uger efter, at du har modtaget afgørelsen. Du klager til kommunen, skriftligt eller mundtligt. Kommunen vurderer afgørelsen igen; fastholder kommunen afgørelsen, sender den klagen videre til Ankestyrelsen inden for 4 uger.";
pub const APPEAL_LEGAL: &str =
    "Retssikkerhedsloven §§ 66-67 (klagefrist 4 uger, genvurdering i kommunen, Ankestyrelsen)";

/// Who signs a decision whose token named no person: the office, never a system's subject.
pub const OFFICE: &str = "kommunens sagsbehandler";

/// The heading of a letter.
pub fn title(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::CaseApproved => "Afgørelse om hjemmetræning",
        DecisionKind::BudgetYearGranted => "Afgørelse om budget for hjemmetræning",
        DecisionKind::BudgetYearAmended => "Afgørelse om ændring af budget",
        DecisionKind::BudgetRefused => "Afgørelse om afslag på budget",
        DecisionKind::ExpenseApproved => "Afgørelse om dækning af udgift",
        DecisionKind::ExpenseRejected | DecisionKind::ExpenseRefused => {
            "Afgørelse om afslag på dækning af udgift"
        }
        DecisionKind::ExpenseAnnulled => "Afgørelse om tilbagekaldelse af bevilling",
        DecisionKind::CaseEnded => "Afgørelse om ophør af hjemmetræning",
        DecisionKind::AgreementMade => "Aftale om udbetaling af et fast beløb",
        DecisionKind::SettlementClaimed => "Afgørelse om tilbagebetaling af uforbrugte midler",
        DecisionKind::SettlementWaived => "Afgørelse om at frafalde tilbagebetaling",
        DecisionKind::SettlementOffset => "Afgørelse om modregning i næste års faste beløb",
        DecisionKind::SettlementReopened => "Afgørelse om genoptagelse af årsopgørelsen",
        DecisionKind::ClawbackClaimed => "Afgørelse om tilbagebetaling",
        DecisionKind::ClawbackWaived => "Afgørelse om at frafalde tilbagebetaling",
        DecisionKind::ClawbackOffset => "Afgørelse om modregning i tabt arbejdsfortjeneste",
        DecisionKind::LostEarningsGranted => {
            "Afgørelse om kompensation for tabt arbejdsfortjeneste"
        }
        DecisionKind::LostEarningsRefused => {
            "Afgørelse om afslag på kompensation for tabt arbejdsfortjeneste"
        }
        DecisionKind::LostEarningsChanged => {
            "Afgørelse om ændring af kompensation for tabt arbejdsfortjeneste"
        }
    }
}

/// The outcome of a decision of `kind`: a set-off is not a demand for payment.
pub fn outcome_of(kind: DecisionKind, o: Outcome) -> &'static str {
    match kind {
        DecisionKind::SettlementOffset | DecisionKind::ClawbackOffset => "Modregning",
        _ => outcome(o),
    }
}

/// The outcome in one Danish word or phrase.
pub fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Granted => "Bevilget",
        Outcome::Refused => "Afslag",
        Outcome::Claimed => "Krav om tilbagebetaling",
        Outcome::Waived => "Frafaldet",
        Outcome::Changed => "Ændret",
        Outcome::Ended => "Ophørt",
    }
}

/// The reason of a refusal in plain Danish, for what was refused and the code the rule gave.
pub fn refusal_reason_of(kind: DecisionKind, code: Code) -> &'static str {
    match (kind, code) {
        (DecisionKind::LostEarningsRefused, Code::CaseEnded) => "Hjemmetræningen er ophørt. Der kan ikke ydes kompensation for tabt arbejdsfortjeneste for tiden efter ophørsdatoen.",
        _ => refusal_reason(code),
    }
}

/// The reason of a refusal in plain Danish, for the code the rule gave.
pub fn refusal_reason(code: Code) -> &'static str {
    match code {
        Code::PostNotGranted => "Udgiften hører til en budgetpost, som ikke er bevilget i budgetåret. Udgifter på poster, der ikke er bevilget, afholder familien selv, indtil en afgørelse dækker dem. Nye behov søges med en tillægsansøgning.",
        Code::TrainingCapExceeded => "Budgettets poster overstiger tilsammen det maksimale beløb, kommunen kan dække om året til barnets træning.",
        Code::BudgetPostExceeded => "Der er ikke penge nok tilbage på budgetposten. Penge kan ikke flyttes fra en budgetpost til en anden; en større udgift kræver en tillægsansøgning.",
        Code::BudgetPostHoursExceeded => "Der er ikke timer nok tilbage på budgetposten til hjælpetrænere.",
        Code::ExpenseBeforeApplication => "Udgiften ligger før ansøgningsdatoen. Udgifter kan dækkes med tilbagevirkende kraft fra ansøgningsdatoen, ikke før.",
        Code::ExpenseOutsideBudgetYear => "Udgiften ligger uden for budgetåret.",
        Code::CaseEnded => "Hjemmetræningen er ophørt. Kommunen dækker ikke udgifter til ydelser efter ophørsdatoen.",
        Code::CourseAbroadNotCovered => "Kurset afholdes i udlandet. Kun kurser, der afholdes i Danmark, kan dækkes.",
        Code::RollingCapExceeded => "Med udgiften ville kommunens udgifter til barnets træning inden for en sammenhængende periode på 12 måneder overstige det maksimale beløb.",
        Code::YearSettled => "Budgetårets regnskab for det faste beløb er allerede opgjort. Udgiften blev ikke godkendt, da regnskabet blev lavet, og kan ikke betales af forskuddet bagefter. Du kan bede kommunen om at genåbne opgørelsen, så udgiften kan komme med.",
        Code::HoursAboveNormalWeek => "Der kan højst ydes kompensation for 37 timer om ugen. Flere timer forudsætter, at din arbejdstid varigt og dokumenteret har ligget væsentligt over normal arbejdstid (Ankestyrelsens principafgørelse 15-09).",
        Code::HoursAbovePrevious => "Kompensationen dækker den indtægt, du mister. Der kan ikke ydes kompensation for flere timer om ugen, end du arbejdede før.",
        Code::HomeTeachingFullTime => "Der ydes ikke kompensation for timer, hvor barnet undervises i hjemmet. Når barnet både undervises og trænes i hjemmet på fuld tid, kan den forælder, der underviser, ikke samtidig få fuld kompensation for tabt arbejdsfortjeneste.",
        Code::LostEarningsAfter18 => "Kompensationen ophører, når barnet fylder 18 år. Perioden ligger efter dagen før barnets 18-års fødselsdag.",
        Code::LostEarningsBeforeApplication => "Kompensationen kan ydes fra ansøgningsdatoen, ikke for tiden før.",
        Code::LostEarningsOverlap => "Der er allerede bevilget kompensation til dig i den samme periode på sagen. En ændring af den bevilling er vejen til flere timer.",
        _ => "Udgiften opfylder ikke betingelserne for dækning.",
    }
}

pub use super::wording::figure_label;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_decision_has_its_own_reason() {
        let generic = refusal_reason(Code::InvalidAmount);
        for c in Code::ALL
            .iter()
            .filter(|c| super::super::is_refusal_decision(**c))
        {
            assert_ne!(refusal_reason(*c), generic, "{c}");
        }
        assert!(APPEAL_GUIDANCE.contains("4 uger") && APPEAL_GUIDANCE.contains("Ankestyrelsen"));
    }
}
