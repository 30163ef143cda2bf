//! Identifiers: order and customer ids, Norwegian national and organisation numbers,
//! ISO countries and E.164 calling codes.

pub mod country;
pub mod fnr;
pub mod order_id;
pub mod orgnr;
pub mod phone;

pub use order_id::{CustomerId, IdError, OrderId};

/// Weighted mod-11 control digit; `None` when the remainder makes the number invalid (10).
pub(crate) fn mod11(digits: &[u8], weights: &[u8]) -> Option<u8> {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * u32::from(*w))
        .sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        k => u8::try_from(k).ok(),
    }
}

/// The digits of `s` as numbers, or `None` if any char is not an ASCII digit.
pub(crate) fn digits(s: &str) -> Option<Vec<u8>> {
    s.bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}
