//! Norwegian organisasjonsnummer: 9 digits, mod-11 control digit with weights 3 2 7 6 5 4 3 2.

use super::{digits, mod11};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrgnrError {
    #[error("must be 9 digits")]
    Format,
    #[error("control digit does not match")]
    Checksum,
}

const WEIGHTS: [u8; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

pub fn check(s: &str) -> Result<(), OrgnrError> {
    let d = digits(s)
        .filter(|d| d.len() == 9)
        .ok_or(OrgnrError::Format)?;
    match mod11(&d[..8], &WEIGHTS) {
        Some(k) if k == d[8] => Ok(()),
        _ => Err(OrgnrError::Checksum),
    }
}

pub fn is_valid(s: &str) -> bool {
    check(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn orgnr() {
        assert_eq!(check("998379342"), Ok(()));
        assert_eq!(check("974760673"), Ok(())); // Brønnøysundregistrene
        assert_eq!(check("123456789"), Err(OrgnrError::Checksum));
        assert_eq!(check("998379343"), Err(OrgnrError::Checksum));
        assert_eq!(check("99837934"), Err(OrgnrError::Format));
        assert_eq!(check("99837934a"), Err(OrgnrError::Format));
        assert_eq!(check(""), Err(OrgnrError::Format));
    }
}
