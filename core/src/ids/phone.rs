//! E.164 calling codes and MSISDN plausibility, and the one normaliser of a typed number.
//!
//! The server wants digits only, so what a person types is first normalised
//! ([`normalize_msisdn`]: spaces, `-`, `.`, `(`, `)` go). Hard errors: anything else that is not
//! a digit, or more than 15 digits together with the calling code (E.164).
//! Everything else (unusual length for a known country, a Norwegian number that is not a mobile
//! number) is a warning: numbering plans change and the provider does not check them.

use super::country::{self, Country};

/// Countries that have a calling code, in phone-select order: Norway first (the default),
/// then by English name.
pub fn select_list() -> impl Iterator<Item = &'static Country> {
    country::PHONE_ORDER
        .iter()
        .filter_map(|&i| country::all().get(usize::from(i)))
}

/// The select's default entry.
pub const DEFAULT_CALLING_CODE: &str = "+47";

/// Normalise `"+47"`, `"47"`, `"0047"` or the JSON number `47` to `"+47"`; `None` when it is
/// not 1–3 digits (after an optional `+` or `00`).
pub fn normalize_calling_code(raw: &str) -> Option<String> {
    let s = raw.trim();
    let digits = s
        .strip_prefix('+')
        .or_else(|| s.strip_prefix("00"))
        .unwrap_or(s);
    let ok = (1..=3).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    ok.then(|| format!("+{digits}"))
}

/// Is `"+47"` (normalised form) a calling code of some country in the list?
pub fn is_known_calling_code(code: &str) -> bool {
    country::all().iter().any(|c| c.calling_code == Some(code))
}

/// Expected national number lengths for the countries we know well; the Nordics first.
/// (calling code, ISO code, min, max)
const LENGTHS: &[(&str, &str, usize, usize)] = &[
    ("+47", "NO", 8, 8),
    ("+46", "SE", 7, 9),
    ("+45", "DK", 8, 8),
    ("+358", "FI", 5, 12),
    ("+354", "IS", 7, 7),
    ("+49", "DE", 10, 11),
    ("+44", "GB", 10, 10),
    ("+1", "US", 10, 10),
    ("+48", "PL", 9, 9),
    ("+370", "LT", 8, 8),
];

/// The known length range for a calling code.
pub fn expected_length(code: &str) -> Option<(usize, usize)> {
    LENGTHS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|&(_, _, lo, hi)| (lo, hi))
}

/// Separators a person types inside a phone number (`912 34 567`, `(0)46-56.74`), beside
/// whitespace.
const SEPARATORS: [char; 4] = ['-', '.', '(', ')'];

/// The national number as the server wants it: typed separators and whitespace removed, nothing
/// else touched (letters and `+` stay, for validation to refuse). The console sends this, and
/// validation checks it, in the order form and the resend dialog alike.
pub fn normalize_msisdn(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && !SEPARATORS.contains(c))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MsisdnError {
    #[error("must contain only digits")]
    NotDigits,
    #[error("longer than the 15 digits E.164 allows with the calling code")]
    TooLong,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsisdnWarning {
    /// Length outside the country's usual range (min, max).
    UnusualLength { min: usize, max: usize },
    /// A Norwegian number that does not start with 4 or 9 is not a mobile number.
    NotNorwegianMobile,
}

/// Check a national number against a normalised calling code (`"+47"`).
pub fn check_msisdn(calling_code: &str, msisdn: &str) -> Result<Vec<MsisdnWarning>, MsisdnError> {
    if msisdn.is_empty() || !msisdn.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MsisdnError::NotDigits);
    }
    let cc_len = calling_code.trim_start_matches('+').len();
    if cc_len + msisdn.len() > 15 {
        return Err(MsisdnError::TooLong);
    }
    let mut warnings = Vec::new();
    // Swedish numbers are written without the trunk 0 in international form.
    let national = if calling_code == "+46" {
        msisdn.strip_prefix('0').unwrap_or(msisdn)
    } else {
        msisdn
    };
    if let Some((min, max)) = expected_length(calling_code)
        && (national.len() < min || national.len() > max || national.len() != msisdn.len())
    {
        warnings.push(MsisdnWarning::UnusualLength { min, max });
    }
    if calling_code == "+47" && !(msisdn.starts_with('4') || msisdn.starts_with('9')) {
        warnings.push(MsisdnWarning::NotNorwegianMobile);
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn select_starts_with_norway() {
        let list: Vec<_> = select_list().collect();
        assert_eq!(list.first().map(|c| c.alpha2), Some("NO"));
        assert_eq!(list.len(), 246);
        assert!(list.iter().all(|c| c.calling_code.is_some()));
        assert!(list[1..].windows(2).all(|w| w[0].name_en <= w[1].name_en));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn calling_codes() {
        assert_eq!(normalize_calling_code("+47").as_deref(), Some("+47"));
        assert_eq!(normalize_calling_code("47").as_deref(), Some("+47"));
        assert_eq!(normalize_calling_code("0046").as_deref(), Some("+46"));
        assert_eq!(normalize_calling_code("+358").as_deref(), Some("+358"));
        for bad in ["", "+", "+4a", "+1234", "++47", "+047", "NO"] {
            assert_eq!(normalize_calling_code(bad), None, "{bad}");
        }
        assert!(is_known_calling_code("+47") && is_known_calling_code("+1"));
        assert!(!is_known_calling_code("+999"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn typed_numbers_are_normalised() {
        for typed in [
            "912 34 567",
            " 91234567 ",
            "912-34-567",
            "912.34.567",
            "(912) 34 567",
            "912\u{a0}34\u{a0}567",
            "912\t34567",
        ] {
            assert_eq!(normalize_msisdn(typed), "91234567", "{typed:?}");
        }
        // Only separators go: letters and a calling code stay for validation to refuse.
        assert_eq!(normalize_msisdn("912 34 56x"), "9123456x");
        assert_eq!(normalize_msisdn("+47 912 34 567"), "+4791234567");
        assert_eq!(normalize_msisdn(" - "), "");
        assert_eq!(
            check_msisdn("+47", &normalize_msisdn("912 34 567")),
            Ok(vec![])
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn msisdns() {
        assert_eq!(check_msisdn("+47", "46567468"), Ok(vec![]));
        assert_eq!(check_msisdn("+47", "96567468"), Ok(vec![]));
        assert_eq!(
            check_msisdn("+47", "22334455"),
            Ok(vec![MsisdnWarning::NotNorwegianMobile])
        );
        assert_eq!(
            check_msisdn("+47", "4656746"),
            Ok(vec![MsisdnWarning::UnusualLength { min: 8, max: 8 }])
        );
        assert_eq!(check_msisdn("+46", "701234567"), Ok(vec![]));
        assert_eq!(
            check_msisdn("+46", "0701234567"),
            Ok(vec![MsisdnWarning::UnusualLength { min: 7, max: 9 }])
        );
        assert_eq!(check_msisdn("+45", "12345678"), Ok(vec![]));
        assert_eq!(check_msisdn("+358", "401234567"), Ok(vec![]));
        assert_eq!(check_msisdn("+49", "15112345678"), Ok(vec![]));
        assert_eq!(check_msisdn("+44", "7400123456"), Ok(vec![]));
        assert_eq!(check_msisdn("+262", "123"), Ok(vec![]));
        assert_eq!(
            check_msisdn("+47", "4656 7468"),
            Err(MsisdnError::NotDigits)
        );
        assert_eq!(check_msisdn("+47", ""), Err(MsisdnError::NotDigits));
        assert_eq!(
            check_msisdn("+47", "4656746812345"),
            Ok(vec![MsisdnWarning::UnusualLength { min: 8, max: 8 }])
        );
        assert_eq!(
            check_msisdn("+47", "46567468123456"),
            Err(MsisdnError::TooLong)
        );
        assert_eq!(
            check_msisdn("+358", "1234567890123"),
            Err(MsisdnError::TooLong)
        );
    }
}
