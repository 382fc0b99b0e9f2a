//! Forvaltningsloven § 22 og § 24, stk. 1: a decision names the rules it applies, in the language of the law: the statute and the executive order by their Danish titles, the municipality's own practice as the municipality's (never another municipality's folder), and the rules of administrative law for claims and set-off.
use super::DecisionKind;

/// The executive order on home training (000), by its title and date.
pub const EXECUTIVE_ORDER: &str = "Bekendtgørelse om hjemmetræning og samarbejdet med forældre til børn og unge, der på grund af betydelig og varigt nedsat fysisk eller psykisk funktionsevne har behov for hjælp eller særlig støtte efter § 82 i barnets lov, af 5. december 2023";

/// The ministry's guidance (001), by its title, before a point number.
pub const GUIDANCE: &str = "Vejledning om særlig støtte til børn og unge og deres familier, pkt.";

/// How a letter names a rule of the municipality's practice.
pub const PRACTICE: &str = "Kommunens praksis";

/// The law a decision of `kind` rests on, in Danish, most specific first.
pub fn law(kind: DecisionKind) -> Vec<String> {
    use DecisionKind::*;
    let home_training = "Barnets lov § 85 (hjemmetræning)".to_string();
    let order = format!("{EXECUTIVE_ORDER}, §§ 5-6");
    let lost_earnings = "Barnets lov § 87 (tabt arbejdsfortjeneste)".to_string();
    let hearing = "Forvaltningsloven § 19 (partshøring)".to_string();
    let revocation = "Forvaltningsrettens almindelige regler om tilbagekaldelse af begunstigende afgørelser og tilbagebetaling af ydelser, der ikke var berettigede".to_string();
    let set_off = "Forvaltningsrettens regler om modregning: kun med familiens skriftlige samtykke"
        .to_string();
    match kind {
        CaseApproved | CaseEnded | BudgetYearGranted | BudgetYearAmended | BudgetRefused
        | ExpenseApproved | ExpenseRejected | ExpenseRefused | AgreementMade
        | SettlementReopened => vec![home_training, order],
        ExpenseAnnulled => vec![home_training, order, revocation],
        SettlementClaimed | SettlementWaived => vec![home_training, order, hearing, revocation],
        SettlementOffset => vec![home_training, order, set_off],
        ClawbackClaimed | ClawbackWaived => vec![hearing, revocation],
        ClawbackOffset => vec![hearing, revocation, set_off],
        LostEarningsGranted | LostEarningsRefused | LostEarningsChanged => vec![
            lost_earnings,
            "ATP-loven § 2 a, stk. 5 (ATP af kompensationen)".to_string(),
            order,
        ],
    }
}

/// A rule's own reference as a letter cites it: the citation without the service's English
/// gloss (what follows the first ": "), and the municipality's practice named as its own.
pub fn citation(legal: &str) -> String {
    let cited = legal.split(": ").next().unwrap_or(legal);
    cited
        .replace("Copenhagen folder", PRACTICE)
        .replace("Copenhagen's folder", PRACTICE)
        .replace("vejledningen pkt.", GUIDANCE)
        .replace("Vejledningen pkt.", GUIDANCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_is_the_municipalitys_own_and_the_gloss_goes() {
        let c = citation("Barnets lov § 85; Copenhagen folder, 'Ophør af hjemmetræning': the municipality stops paying");
        assert_eq!(
            c,
            "Barnets lov § 85; Kommunens praksis, 'Ophør af hjemmetræning'"
        );
        assert!(!citation("Copenhagen folder, 'Udgifter og budget': x").contains("Copenhagen"));
        assert_eq!(
            citation("Bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt. 157 d: no help"),
            "Bekendtgørelse om hjemmetræning § 6, stk. 2; Vejledning om særlig støtte til børn og unge og deres familier, pkt. 157 d"
        );
    }

    #[test]
    fn every_decision_names_danish_law() {
        for kind in [
            DecisionKind::ExpenseApproved,
            DecisionKind::LostEarningsGranted,
            DecisionKind::ClawbackOffset,
        ] {
            let law = law(kind);
            assert!(!law.is_empty());
            assert!(law.iter().all(|l| !l.contains("folder")));
        }
        assert!(law(DecisionKind::ExpenseApproved)[1].contains("5. december 2023"));
    }
}
