//! Lov om revision af den kommunale inddeling (lov nr. 537 af 24. juni 2005) and Danmarks Statistik's kommunekoder: the 98 municipalities since 1 January 2007, each by its official name.
//! The table is the default of a municipality's `municipality_name` setting, so a letter names
//! "Aarhus Kommune" and never "Kommune 751".

/// (kommunekode, official name), in code order.
pub const MUNICIPALITIES: [(&str, &str); 98] = [
    ("101", "Københavns Kommune"),
    ("147", "Frederiksberg Kommune"),
    ("151", "Ballerup Kommune"),
    ("153", "Brøndby Kommune"),
    ("155", "Dragør Kommune"),
    ("157", "Gentofte Kommune"),
    ("159", "Gladsaxe Kommune"),
    ("161", "Glostrup Kommune"),
    ("163", "Herlev Kommune"),
    ("165", "Albertslund Kommune"),
    ("167", "Hvidovre Kommune"),
    ("169", "Høje-Taastrup Kommune"),
    ("173", "Lyngby-Taarbæk Kommune"),
    ("175", "Rødovre Kommune"),
    ("183", "Ishøj Kommune"),
    ("185", "Tårnby Kommune"),
    ("187", "Vallensbæk Kommune"),
    ("190", "Furesø Kommune"),
    ("201", "Allerød Kommune"),
    ("210", "Fredensborg Kommune"),
    ("217", "Helsingør Kommune"),
    ("219", "Hillerød Kommune"),
    ("223", "Hørsholm Kommune"),
    ("230", "Rudersdal Kommune"),
    ("240", "Egedal Kommune"),
    ("250", "Frederikssund Kommune"),
    ("253", "Greve Kommune"),
    ("259", "Køge Kommune"),
    ("260", "Halsnæs Kommune"),
    ("265", "Roskilde Kommune"),
    ("269", "Solrød Kommune"),
    ("270", "Gribskov Kommune"),
    ("306", "Odsherred Kommune"),
    ("316", "Holbæk Kommune"),
    ("320", "Faxe Kommune"),
    ("326", "Kalundborg Kommune"),
    ("329", "Ringsted Kommune"),
    ("330", "Slagelse Kommune"),
    ("336", "Stevns Kommune"),
    ("340", "Sorø Kommune"),
    ("350", "Lejre Kommune"),
    ("360", "Lolland Kommune"),
    ("370", "Næstved Kommune"),
    ("376", "Guldborgsund Kommune"),
    ("390", "Vordingborg Kommune"),
    ("400", "Bornholms Regionskommune"),
    ("410", "Middelfart Kommune"),
    ("420", "Assens Kommune"),
    ("430", "Faaborg-Midtfyn Kommune"),
    ("440", "Kerteminde Kommune"),
    ("450", "Nyborg Kommune"),
    ("461", "Odense Kommune"),
    ("479", "Svendborg Kommune"),
    ("480", "Nordfyns Kommune"),
    ("482", "Langeland Kommune"),
    ("492", "Ærø Kommune"),
    ("510", "Haderslev Kommune"),
    ("530", "Billund Kommune"),
    ("540", "Sønderborg Kommune"),
    ("550", "Tønder Kommune"),
    ("561", "Esbjerg Kommune"),
    ("563", "Fanø Kommune"),
    ("573", "Varde Kommune"),
    ("575", "Vejen Kommune"),
    ("580", "Aabenraa Kommune"),
    ("607", "Fredericia Kommune"),
    ("615", "Horsens Kommune"),
    ("621", "Kolding Kommune"),
    ("630", "Vejle Kommune"),
    ("657", "Herning Kommune"),
    ("661", "Holstebro Kommune"),
    ("665", "Lemvig Kommune"),
    ("671", "Struer Kommune"),
    ("706", "Syddjurs Kommune"),
    ("707", "Norddjurs Kommune"),
    ("710", "Favrskov Kommune"),
    ("727", "Odder Kommune"),
    ("730", "Randers Kommune"),
    ("740", "Silkeborg Kommune"),
    ("741", "Samsø Kommune"),
    ("746", "Skanderborg Kommune"),
    ("751", "Aarhus Kommune"),
    ("756", "Ikast-Brande Kommune"),
    ("760", "Ringkøbing-Skjern Kommune"),
    ("766", "Hedensted Kommune"),
    ("773", "Morsø Kommune"),
    ("779", "Skive Kommune"),
    ("787", "Thisted Kommune"),
    ("791", "Viborg Kommune"),
    ("810", "Brønderslev Kommune"),
    ("813", "Frederikshavn Kommune"),
    ("820", "Vesthimmerlands Kommune"),
    ("825", "Læsø Kommune"),
    ("840", "Rebild Kommune"),
    ("846", "Mariagerfjord Kommune"),
    ("849", "Jammerbugt Kommune"),
    ("851", "Aalborg Kommune"),
    ("860", "Hjørring Kommune"),
];

/// The official name of the municipality with `code`; a code outside the table (a test
/// installation's) is named by its code.
pub fn official_name(code: &str) -> String {
    MUNICIPALITIES
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .map(|i| MUNICIPALITIES[i].1.to_string())
        .unwrap_or_else(|_| format!("Kommune {code}"))
}

/// How a letter names the municipality's own practice: "Aarhus Kommunes praksis".
pub fn practice_of(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}' praksis")
    } else {
        format!("{name}s praksis")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_municipality_by_its_code() {
        assert!(MUNICIPALITIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(official_name("101"), "Københavns Kommune");
        assert_eq!(official_name("751"), "Aarhus Kommune");
        assert_eq!(official_name("400"), "Bornholms Regionskommune");
        assert_eq!(official_name("999"), "Kommune 999");
        assert_eq!(practice_of("Aarhus Kommune"), "Aarhus Kommunes praksis");
    }
}
