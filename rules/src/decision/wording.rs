//! Forvaltningsloven §§ 22 og 24: a decision letter is written for the family, in Danish: every figure and fact it names by a Danish label, every value in words (Ja/Nej, not true/false; what a claim comes from, not an internal code), and no internal ids.

/// Danish names of the figures and facts a decision rests on; an unknown name is shown as it is
/// (the test below keeps every name the service writes covered).
pub fn figure_label(name: &str) -> &str {
    match name {
        "granted" => "Bevilget på posten",
        "approved" => "Allerede godkendt på posten",
        "pending" => "Under behandling på posten",
        "remaining" => "Tilbage på posten",
        "amount_requested" => "Ansøgt beløb",
        "proposed" => "Beløb, der var udbetalt uden at være berettiget",
        "waived" => "Frafaldet",
        "amount_approved" => "Godkendt beløb",
        "amount_refused" => "Afslået beløb",
        "amount" => "Beløb",
        "hours" => "Timer",
        "hours_left" => "Timer tilbage på posten",
        "window_start" => "Tungeste 12-måneders periode fra",
        "window_end" => "Tungeste 12-måneders periode til",
        "window_total" => "Udgifter i perioden med denne udgift",
        "cap" => "Maksimalt beløb",
        "cap_valid_from" => "Maksimalt beløb gældende fra",
        "application_date" => "Ansøgningsdato",
        "case_end" => "Ophørsdato",
        "year_start" => "Budgetårets start",
        "year_end" => "Budgetårets slut",
        "course_country" => "Kursusland",
        "service_from" => "Ydelsesperiode fra",
        "service_to" => "Ydelsesperiode til",
        "paid" => "Udbetalt",
        "claimed" => "Krævet tilbagebetalt",
        "total_granted" => "Bevilget i alt",
        "end_date" => "Ophørsdato",
        "version" => "Budgettets version",
        "expense_id" => "Udgift",
        "budget_year_id" => "Budgetår",
        "post_id" => "Budgetpost",
        "expense_date" => "Fakturadato",
        "description" => "Beskrivelse",
        "supplier" => "Leverandør",
        "document_ref" => "Bilag",
        "rate" => "Sats",
        "total_prepaid" => "Forudbetalt i alt",
        "total_approved" => "Godkendte udgifter i alt",
        "net_unspent" => "Uforbrugt i alt, som kræves tilbage",
        "installments" => "Antal rater",
        "year" => "År",
        "granted_weekly_hours" => "Bevilgede timer om ugen",
        "previous_weekly_hours" => "Tidligere arbejdstid, timer om ugen",
        "normal_week" => "Normal arbejdstid, timer om ugen",
        "home_teaching_weekly_hours" => "Hjemmeundervisning, timer om ugen",
        "valid_from" => "Gælder fra",
        "valid_to" => "Gælder til",
        "asked_valid_to" => "Ansøgt til",
        "cut_reason" => "Perioden er afkortet",
        "last_day_before_18" => "Dagen før barnets 18-års fødselsdag",
        "basis" => "Beregningsgrundlag pr. måned",
        "basis_type" => "Grundlag",
        "payslips" => "Antal lønsedler",
        "payslips_expected" => "Antal lønsedler kommunen bruger",
        "employer_pension_monthly" => "Arbejdsgivers pensionsbidrag pr. måned",
        "monthly_savings" => "Besparelser pr. måned",
        "effective_from" => "Ændret fra",
        "other_weekly_hours" => "Timer om ugen i dine andre bevillinger i perioden",
        "overlapping_decision" => "Bevilling i samme periode",
        "parent_ref" => "Forælder (kommunens reference)",
        "monthly_basis" => "Grundlag pr. måned (dokumenteret tab eller skøn)",
        "previous_employer_pension_monthly" => "Tidligere arbejdsgivers pensionsbidrag pr. måned",
        "home_taught_full_time" => "Barnet hjemmeundervises på fuld tid",
        "exceptional_hours_documented" => "Behov for flere timer er dokumenteret",
        "origin" => "Kravet stammer fra",
        "proposed_amount" => "Beløb udbetalt uden at være berettiget",
        "hearing_sent_on" => "Partshøring sendt",
        "response_received_on" => "Bemærkninger modtaget",
        "knew_or_should_have_known" => "Vidste eller burde vide, at beløbet ikke var berettiget",
        "decision" => "Afgørelse om det uforbrugte beløb",
        "net_shortfall" => "Manglende dækning i alt, som udbetales",
        "frequency" => "Udbetales",
        "first_payment_date" => "Første udbetaling",
        "family_agreed_on" => "Familien har accepteret aftalen",
        "first_month" => "Første måned, der udbetales",
        "month_gross" => "Kompensation før skat (bruttobeløb) i måneden",
        "maximum" => "Maksimalt beløb pr. måned (barnets lov § 87, stk. 3)",
        "hour_share" => "Andel af den tidligere arbejdstid (bevilgede timer ÷ tidligere timer)",
        "pension" => "Pensionsbidrag (10 %, højst arbejdsgiverens tidligere bidrag)",
        "atp_hours" => "Timer i måneden, som ATP beregnes af (alle dine bevillinger)",
        "atp_recipient" => "ATP, din andel (trækkes i kompensationen)",
        "atp_municipality" => "ATP, kommunens andel",
        "savings_deduction" => "Besparelser, som lønsystemet trækker efter skat",
        "pay_before_tax" => "Udbetales før skat",
        "before_month_gross" => "Før ændringen: kompensation før skat (bruttobeløb) i måneden",
        "before_maximum" => "Før ændringen: maksimalt beløb pr. måned (barnets lov § 87, stk. 3)",
        "before_hour_share" => {
            "Før ændringen: andel af den tidligere arbejdstid (bevilgede timer ÷ tidligere timer)"
        }
        "before_pension" => {
            "Før ændringen: pensionsbidrag (10 %, højst arbejdsgiverens tidligere bidrag)"
        }
        "before_atp_hours" => {
            "Før ændringen: timer i måneden, som ATP beregnes af (alle dine bevillinger)"
        }
        "before_atp_recipient" => "Før ændringen: ATP, din andel (trækkes i kompensationen)",
        "before_atp_municipality" => "Før ændringen: ATP, kommunens andel",
        "before_savings_deduction" => {
            "Før ændringen: besparelser, som lønsystemet trækker efter skat"
        }
        "before_pay_before_tax" => "Før ændringen: udbetales før skat",
        "applied_amount" => "Ansøgt beløb",
        "applied_hours" => "Ansøgte timer",
        "documentation_due" => "Frist for at dokumentere årets udgifter (årsregnskab)",
        "family_consented_on" => "Familiens skriftlige samtykke til modregning",
        "set_off_monthly" => "Afdrag pr. måned, som modregnes i tabt arbejdsfortjeneste",
        "start_date" => "Budgetårets start",
        "retroactive_from" => "Med tilbagevirkning fra",
        "posts" => "Ansøgte poster",
        "category" => "Kategori",
        "gross" => "Bruttoløn",
        "from" => "Fra",
        "to" => "Til",
        other => other,
    }
}

/// A budget post's category as the family reads it.
pub fn category(code: &str) -> &str {
    match code {
        "helper_trainers" => "Hjælpetrænere",
        "equipment" => "Udstyr og materialer",
        "courses" => "Kurser",
        "supervision" => "Supervision",
        "supplements" => "Kosttilskud",
        "transport" => "Transport",
        "insurance" => "Forsikring af hjælpetrænere",
        "payroll_administration" => "Lønadministration",
        "other" => "Andre udgifter",
        other => other,
    }
}

/// Whether a fact is shown in a letter: ids are references for systems (the decision's JSON
/// keeps them), not facts for the family.
pub fn shown(name: &str) -> bool {
    !name.ends_with("_id") && !name.ends_with("_ids") && name != "id" && name != "code"
}

/// A fact's value in Danish words, where the service stores a code.
pub fn value_text<'a>(name: &str, value: &'a str) -> &'a str {
    match (name, value) {
        ("origin", "annulled_expense") => "en godkendt udgift, som er tilbagekaldt",
        ("origin", "settlement") => "årsopgørelsen af det faste beløb",
        ("origin", "lost_earnings") => "kompensation for tabt arbejdsfortjeneste",
        ("decision", "claim") => "Krav om tilbagebetaling",
        ("decision", "waive") => "Tilbagebetaling frafaldet",
        ("decision", "offset") => "Modregning i næste års faste beløb",
        ("basis_type", "employee") => "Lønmodtager",
        ("basis_type", "self_employed") => "Selvstændig erhvervsdrivende",
        ("basis_type", "estimated") => "Skønnet indtægt",
        ("frequency", "monthly") => "hver måned",
        ("frequency", "half_yearly") => "hvert halve år",
        ("frequency", "yearly") => "en gang om året",
        ("category", c) => category(c),
        (_, "true") => "Ja",
        (_, "false") => "Nej",
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words_and_ids_are_not_shown() {
        assert_eq!(
            value_text("origin", "lost_earnings"),
            "kompensation for tabt arbejdsfortjeneste"
        );
        assert_eq!(value_text("knew_or_should_have_known", "true"), "Ja");
        assert_eq!(value_text("description", "Måtter"), "Måtter");
        assert!(!shown("clawback_id") && !shown("post_ids") && shown("amount"));
    }

    #[test]
    fn every_fact_the_service_writes_has_a_danish_label() {
        for name in [
            "parent_ref",
            "valid_from",
            "valid_to",
            "granted_weekly_hours",
            "previous_weekly_hours",
            "basis_type",
            "payslips",
            "monthly_basis",
            "previous_employer_pension_monthly",
            "monthly_savings",
            "home_teaching_weekly_hours",
            "home_taught_full_time",
            "exceptional_hours_documented",
            "origin",
            "proposed_amount",
            "hearing_sent_on",
            "response_received_on",
            "knew_or_should_have_known",
            "decision",
            "net_shortfall",
            "claimed",
            "waived",
            "proposed",
            "total_prepaid",
            "total_approved",
            "net_unspent",
            "effective_from",
            "frequency",
            "first_payment_date",
            "family_agreed_on",
            "family_consented_on",
            "set_off_monthly",
            "documentation_due",
            "month_gross",
            "before_month_gross",
            "maximum",
            "before_maximum",
            "hour_share",
            "before_hour_share",
            "pension",
            "before_pension",
            "atp_hours",
            "before_atp_hours",
            "atp_recipient",
            "before_atp_recipient",
            "atp_municipality",
            "before_atp_municipality",
            "savings_deduction",
            "before_savings_deduction",
            "pay_before_tax",
            "before_pay_before_tax",
            "first_month",
        ] {
            assert_ne!(figure_label(name), name, "{name} has no Danish label");
        }
    }
}
