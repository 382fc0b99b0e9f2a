//! Forvaltningsloven § 22 og § 24, stk. 1: a decision names the rules it applies, in the language of the law: the statute and the executive order by their Danish titles, the municipality's own practice as the municipality's (never another municipality's folder), and the rules of administrative law for claims and set-off.
use super::DecisionKind;

/// The executive order on home training (000), by its title and date.
pub const EXECUTIVE_ORDER: &str = "Bekendtgørelse om hjemmetræning og samarbejdet med forældre til børn og unge, der på grund af betydelig og varigt nedsat fysisk eller psykisk funktionsevne har behov for hjælp eller særlig støtte efter § 82 i barnets lov, af 5. december 2023";

/// The ministry's guidance (001), by its title, before a point number.
pub const GUIDANCE: &str = "Vejledning om særlig støtte til børn og unge og deres familier, pkt.";

/// The law a decision of `kind` rests on, in Danish, most specific first; for a claim, the law
/// of the money it claims back (`origin`: `lost_earnings`, else home training).
pub fn law(kind: DecisionKind, origin: Option<&str>) -> Vec<String> {
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
        ClawbackClaimed | ClawbackWaived | ClawbackOffset => {
            let mut basis = match origin {
                Some("lost_earnings") => vec![lost_earnings],
                _ => vec![home_training, order],
            };
            basis.extend([hearing, revocation]);
            if kind == ClawbackOffset {
                basis.push(set_off);
            }
            basis
        }
        LostEarningsGranted | LostEarningsRefused | LostEarningsChanged => vec![
            lost_earnings,
            "ATP-loven § 2 a, stk. 5 (ATP af kompensationen)".to_string(),
            order,
        ],
    }
}

/// A rule's own reference as a letter cites it: the citation without the service's English
/// gloss (what follows the first ": "), and the municipality's practice named as its own
/// (`practice`, e.g. "Aarhus Kommunes praksis"), never as Copenhagen's folder.
pub fn citation(legal: &str, practice: &str) -> String {
    let cited = legal.split(": ").next().unwrap_or(legal);
    cited
        .replace("Copenhagen folder", practice)
        .replace("Copenhagen's folder", practice)
        .replace("vejledningen pkt.", GUIDANCE)
        .replace("Vejledningen pkt.", GUIDANCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_is_the_municipalitys_own_and_the_gloss_goes() {
        let p = "Aarhus Kommunes praksis";
        let c = citation("Barnets lov § 85; Copenhagen folder, 'Ophør af hjemmetræning': the municipality stops paying", p);
        assert_eq!(
            c,
            "Barnets lov § 85; Aarhus Kommunes praksis, 'Ophør af hjemmetræning'"
        );
        assert!(!citation("Copenhagen folder, 'Udgifter og budget': x", p).contains("Copenhagen"));
        assert_eq!(
            citation("Bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt. 157 d: no help", p),
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
            let law = law(kind, None);
            assert!(!law.is_empty());
            assert!(law.iter().all(|l| !l.contains("folder")));
        }
        assert!(law(DecisionKind::ExpenseApproved, None)[1].contains("5. december 2023"));
        // A claim names the law of the money it claims back.
        let le = law(DecisionKind::ClawbackClaimed, Some("lost_earnings"));
        assert!(le[0].contains("§ 87") && !le.iter().any(|l| l.contains("§ 85")));
        let exp = law(DecisionKind::ClawbackOffset, Some("annulled_expense"));
        assert!(exp[0].contains("§ 85") && exp[1].contains("5. december 2023"));
        assert!(exp.last().unwrap().contains("modregning"));
    }
}
