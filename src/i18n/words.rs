//! Words that depend on the language beyond the text table: Norwegian names of the countries
//! core names only in English (for the country selects), alphabetical order per language, and
//! calendar dates.

use super::Lang;

/// Norwegian (bokmål) names, from CLDR, of the countries whose core entry has no Norwegian
/// name and whose English name is not also the Norwegian one. Sorted by alpha-2.
const NB_NAMES: [(&str, &str); 79] = [
    ("AE", "De forente arabiske emirater"),
    ("AG", "Antigua og Barbuda"),
    ("AQ", "Antarktis"),
    ("AS", "Amerikansk Samoa"),
    ("AZ", "Aserbajdsjan"),
    ("BA", "Bosnia-Hercegovina"),
    ("BL", "Saint-Barthélemy"),
    ("BN", "Brunei"),
    ("BQ", "Karibisk Nederland"),
    ("BV", "Bouvetøya"),
    ("CC", "Kokosøyene"),
    ("CD", "Den demokratiske republikken Kongo"),
    ("CF", "Den sentralafrikanske republikk"),
    ("CG", "Kongo-Brazzaville"),
    ("CI", "Elfenbenskysten"),
    ("CK", "Cookøyene"),
    ("CM", "Kamerun"),
    ("CV", "Kapp Verde"),
    ("CX", "Christmasøya"),
    ("DO", "Den dominikanske republikk"),
    ("DZ", "Algerie"),
    ("EH", "Vest-Sahara"),
    ("FK", "Falklandsøyene"),
    ("FM", "Mikronesiaføderasjonen"),
    ("GF", "Fransk Guyana"),
    ("GQ", "Ekvatorial-Guinea"),
    ("GS", "Sør-Georgia og Sør-Sandwichøyene"),
    ("HK", "Hongkong"),
    ("HM", "Heard- og McDonaldøyene"),
    ("IM", "Man"),
    ("IO", "Det britiske territoriet i Indiahavet"),
    ("KG", "Kirgisistan"),
    ("KH", "Kambodsja"),
    ("KM", "Komorene"),
    ("KN", "Saint Kitts og Nevis"),
    ("KP", "Nord-Korea"),
    ("KR", "Sør-Korea"),
    ("KY", "Caymanøyene"),
    ("KZ", "Kasakhstan"),
    ("LB", "Libanon"),
    ("LC", "St. Lucia"),
    ("MF", "Saint-Martin"),
    ("MG", "Madagaskar"),
    ("MH", "Marshalløyene"),
    ("MK", "Nord-Makedonia"),
    ("MM", "Myanmar (Burma)"),
    ("MP", "Nord-Marianene"),
    ("MV", "Maldivene"),
    ("MZ", "Mosambik"),
    ("NC", "Ny-Caledonia"),
    ("NF", "Norfolkøya"),
    ("PF", "Fransk Polynesia"),
    ("PG", "Papua Ny-Guinea"),
    ("PM", "Saint-Pierre-et-Miquelon"),
    ("PN", "Pitcairnøyene"),
    ("PS", "Palestina"),
    ("SA", "Saudi-Arabia"),
    ("SB", "Salomonøyene"),
    ("SC", "Seychellene"),
    ("SH", "St. Helena"),
    ("SR", "Surinam"),
    ("SS", "Sør-Sudan"),
    ("ST", "São Tomé og Príncipe"),
    ("SX", "Sint Maarten"),
    ("TC", "Turks- og Caicosøyene"),
    ("TD", "Tsjad"),
    ("TF", "De franske sørterritorier"),
    ("TJ", "Tadsjikistan"),
    ("TL", "Øst-Timor"),
    ("TT", "Trinidad og Tobago"),
    ("UM", "USAs ytre øyer"),
    ("UZ", "Usbekistan"),
    ("VA", "Vatikanstaten"),
    ("VC", "St. Vincent og Grenadinene"),
    ("VG", "De britiske jomfruøyene"),
    ("VI", "De amerikanske jomfruøyene"),
    ("WF", "Wallis og Futuna"),
    ("YE", "Jemen"),
    ("ZA", "Sør-Afrika"),
];

/// The Norwegian name of a country core names only in English.
pub(super) fn nb_country_name(alpha2: &str) -> Option<&'static str> {
    let i = NB_NAMES.binary_search_by(|(a, _)| (*a).cmp(alpha2)).ok()?;
    NB_NAMES.get(i).map(|(_, name)| *name)
}

/// A key that sorts names in the language's alphabetical order: Norwegian puts Æ, Ø and Å
/// after Z (`Østerrike` after `Zimbabwe`); other accents do not count (`Élfenbenskysten` is
/// an E).
pub(super) fn sort_key(lang: Lang, name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match (lang, c) {
            (Lang::Nb, 'æ' | 'ä') => '{',
            (Lang::Nb, 'ø' | 'ö') => '|',
            (Lang::Nb, 'å') => '}',
            (_, 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å') => 'a',
            (_, 'ç') => 'c',
            (_, 'è' | 'é' | 'ê' | 'ë') => 'e',
            (_, 'í' | 'î' | 'ï') => 'i',
            (_, 'ñ') => 'n',
            (_, 'ó' | 'ô' | 'õ' | 'ö' | 'ø') => 'o',
            (_, 'ú' | 'ü') => 'u',
            (_, c) => c,
        })
        .collect()
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date (year, month, day): nb `15.01.2026`, en `15 Jan 2026`.
pub(super) fn date(lang: Lang, (y, m, d): (i64, u32, u32)) -> String {
    match lang {
        Lang::Nb => format!("{d:02}.{m:02}.{y:04}"),
        Lang::En => {
            let month = usize::try_from(m)
                .ok()
                .and_then(|m| m.checked_sub(1))
                .and_then(|i| MONTHS_EN.get(i))
                .copied()
                .unwrap_or("?");
            format!("{d} {month} {y:04}")
        }
    }
}

/// A day on a chart axis: nb `05.01`, en `5 Jan`.
pub(super) fn short_date(lang: Lang, (y, m, d): (i64, u32, u32)) -> String {
    match lang {
        Lang::Nb => format!("{d:02}.{m:02}"),
        Lang::En => date(lang, (y, m, d))
            .rsplit_once(' ')
            .map_or_else(String::new, |(day_month, _)| day_month.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::ids::country;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn norwegian_names_fill_in_what_core_lacks() {
        assert!(NB_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        for (alpha2, name) in NB_NAMES {
            let c = country::find(alpha2);
            assert!(c.is_some_and(|c| c.name_nb.is_none()), "{alpha2}");
            assert!(c.is_some_and(|c| c.name_en != name), "{alpha2}");
        }
        assert_eq!(nb_country_name("AS"), Some("Amerikansk Samoa"));
        assert_eq!(nb_country_name("ZA"), Some("Sør-Afrika"));
        assert_eq!(nb_country_name("NO"), None);
        assert_eq!(nb_country_name("XX"), None);
        // Every country has a name in nb: core's, this table's, or the same as in English.
        let names: Vec<&str> = country::all()
            .iter()
            .map(|c| Lang::Nb.country_name(c))
            .collect();
        assert!(names.contains(&"Amerikansk Samoa"));
        assert!(!names.contains(&"American Samoa"));
        assert_eq!(
            Lang::En.country_name(country::find("AS").unwrap()),
            "American Samoa"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn alphabetical_order_per_language() {
        let mut nb = [
            "Østerrike",
            "Åland",
            "Zimbabwe",
            "Ærø",
            "Élfenbenskysten",
            "Egypt",
        ];
        nb.sort_by_cached_key(|n| sort_key(Lang::Nb, n));
        assert_eq!(
            nb,
            [
                "Egypt",
                "Élfenbenskysten",
                "Zimbabwe",
                "Ærø",
                "Østerrike",
                "Åland"
            ]
        );
        let mut en = ["Åland Islands", "Zambia", "Albania"];
        en.sort_by_cached_key(|n| sort_key(Lang::En, n));
        assert_eq!(en, ["Åland Islands", "Albania", "Zambia"]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn dates_per_language() {
        assert_eq!(date(Lang::Nb, (2026, 1, 5)), "05.01.2026");
        assert_eq!(date(Lang::En, (2026, 1, 5)), "5 Jan 2026");
        assert_eq!(date(Lang::En, (2024, 12, 31)), "31 Dec 2024");
        assert_eq!(short_date(Lang::Nb, (2026, 1, 5)), "05.01");
        assert_eq!(short_date(Lang::En, (2026, 1, 5)), "5 Jan");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn calling_codes_keep_norway_first_then_alphabetical() {
        for lang in [Lang::Nb, Lang::En] {
            let list = lang.calling_codes();
            assert_eq!(list.first().map(|(a, _)| a.as_str()), Some("NO"));
            assert!(
                list[1..]
                    .windows(2)
                    .all(|w| sort_key(lang, &w[0].1) <= sort_key(lang, &w[1].1)),
                "{lang:?}"
            );
        }
    }
}
