//! Norwegian fødselsnummer (11 digits: DDMMYY + individual number + two mod-11 control digits),
//! including D-numbers (day + 40), H-numbers (month + 40) and synthetic test numbers
//! (month + 80, Skatteetaten's Tenor test ids).

use super::{digits, mod11};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fodselsnummer,
    DNumber,
    HNumber,
    Synthetic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FnrError {
    #[error("must be exactly 11 digits")]
    Format,
    #[error("not a valid date of birth")]
    Date,
    #[error("control digits do not match")]
    Checksum,
}

const K1: [u8; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2: [u8; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// Check shape, date part and both control digits; tells which kind of number it is.
pub fn check(s: &str) -> Result<Kind, FnrError> {
    let d = digits(s)
        .filter(|d| d.len() == 11)
        .ok_or(FnrError::Format)?;
    let mut day = d[0] * 10 + d[1];
    let mut month = d[2] * 10 + d[3];
    let mut kind = Kind::Fodselsnummer;
    if day > 40 {
        day -= 40;
        kind = Kind::DNumber;
    }
    if month > 80 {
        month -= 80;
        kind = Kind::Synthetic;
    } else if month > 40 {
        month -= 40;
        kind = Kind::HNumber;
    }
    // The century is not needed: Feb 29 is accepted and the year decides nothing else here.
    let max_day = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return Err(FnrError::Date),
    };
    if day == 0 || day > max_day {
        return Err(FnrError::Date);
    }
    let ok = mod11(&d[..9], &K1) == Some(d[9]) && mod11(&d[..10], &K2) == Some(d[10]);
    if ok {
        Ok(kind)
    } else {
        Err(FnrError::Checksum)
    }
}

pub fn is_valid(s: &str) -> bool {
    check(s).is_ok()
}

/// A personal number for people who may not see it whole: the date part (first six
/// characters) and `*` for the rest (`010100*****`). Already masked text stays as it is.
pub fn mask(s: &str) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < 6 { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// A valid number for a 6-digit date part: the first individual number whose control
    /// digits both exist.
    fn complete(date: &str) -> String {
        (0..1000)
            .find_map(|ind| {
                let nine = format!("{date}{ind:03}");
                let mut d = digits(&nine)?;
                let k1 = mod11(&d, &K1)?;
                d.push(k1);
                let k2 = mod11(&d, &K2)?;
                Some(format!("{nine}{k1}{k2}"))
            })
            .unwrap()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn valid_numbers() {
        assert_eq!(check("01010012356"), Ok(Kind::Fodselsnummer));
        assert_eq!(check(&complete("410100")), Ok(Kind::DNumber));
        assert_eq!(check(&complete("014100")), Ok(Kind::HNumber));
        assert_eq!(check(&complete("018100")), Ok(Kind::Synthetic));
        assert_eq!(check(&complete("290280")), Ok(Kind::Fodselsnummer));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn masked_numbers_keep_the_date_only() {
        assert_eq!(mask("01010012356"), "010100*****");
        assert_eq!(mask("010100*****"), "010100*****");
        assert_eq!(mask("0101"), "0101");
        assert_eq!(mask(""), "");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn invalid_numbers() {
        assert_eq!(check("12345678901"), Err(FnrError::Date)); // the docs' example: month 34
        assert_eq!(check("01010012357"), Err(FnrError::Checksum));
        assert_eq!(check("0101001235"), Err(FnrError::Format));
        assert_eq!(check("0101001235a"), Err(FnrError::Format));
        assert_eq!(check("32010012356"), Err(FnrError::Date));
        assert_eq!(check("31040012356"), Err(FnrError::Date));
        assert_eq!(check("01130012356"), Err(FnrError::Date));
        assert!(!is_valid("00000000000"));
    }
}
