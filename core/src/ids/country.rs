//! ISO 3166-1 alpha-2: all 249 officially assigned codes, sorted, found by binary search.

/// One country or territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub name_en: &'static str,
    pub name_nb: Option<&'static str>,
    /// E.164 calling code like `"+47"`; `None` for uninhabited territories.
    pub calling_code: Option<&'static str>,
}

include!("country_table.rs");

/// Every country, sorted by alpha-2 code.
pub fn all() -> &'static [Country] {
    &TABLE
}

/// Exact, case-sensitive lookup (`"NO"`, not `"no"`), as the API's `IsoAlpha2Country` rule.
pub fn find(alpha2: &str) -> Option<&'static Country> {
    TABLE
        .binary_search_by(|c| c.alpha2.cmp(alpha2))
        .ok()
        .and_then(|i| TABLE.get(i))
}

pub fn is_alpha2(code: &str) -> bool {
    find(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn table_is_sorted_and_complete() {
        assert_eq!(TABLE.len(), 249);
        assert!(TABLE.windows(2).all(|w| w[0].alpha2 < w[1].alpha2));
        assert!(
            TABLE
                .iter()
                .all(|c| c.alpha2.len() == 2 && c.alpha2.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn lookups() {
        assert_eq!(find("NO").map(|c| c.name_en), Some("Norway"));
        assert_eq!(find("NO").and_then(|c| c.calling_code), Some("+47"));
        assert!(is_alpha2("AX") && is_alpha2("ZW") && is_alpha2("AD") && is_alpha2("SJ"));
        for bad in ["no", "XX", "UK", "EU", "", "NOR", "N"] {
            assert!(!is_alpha2(bad), "{bad}");
        }
    }
}
