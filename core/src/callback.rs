//! Callback checksums (Front Payment → merchant `GET {callbackUrl}?…&checksum=…`).
//!
//! `checksum = sha256_hex(values of every other query parameter, in URL order, + secret)`.
//! A plain hash, not an HMAC (contract-notes). The sandbox signs with [`checksum`]; the proxy
//! checks with [`verify`], which takes whatever parameters arrived (older revisions of the scheme
//! hashed fewer fields) and compares in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The query parameter that carries the checksum.
pub const CHECKSUM_PARAM: &str = "checksum";

/// `sha256_hex(concat(values in order) + secret)`. Pass the parameters *without* `checksum`
/// (any `checksum` pair given is skipped, so a whole query can be passed as is).
pub fn checksum(params: &[(&str, &str)], secret: &str) -> String {
    let mut h = Sha256::new();
    for (k, v) in params {
        if *k != CHECKSUM_PARAM {
            h.update(v.as_bytes());
        }
    }
    h.update(secret.as_bytes());
    hex::encode(h.finalize())
}

/// Does the (decoded) query carry exactly one `checksum` that matches the others? Constant time
/// in the checksum comparison; case-insensitive hex.
pub fn verify(params: &[(&str, &str)], secret: &str) -> bool {
    let mut given = params.iter().filter(|(k, _)| *k == CHECKSUM_PARAM);
    let (Some((_, given)), None) = (given.next(), given.next()) else {
        return false;
    };
    let want = checksum(params, secret);
    let given = given.to_ascii_lowercase();
    given.len() == want.len() && bool::from(given.as_bytes().ct_eq(want.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn plain_sha256_of_values_then_secret() {
        // sha256("abc")
        assert_eq!(
            checksum(&[("x", "a"), ("y", "b")], "c"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn verify_order_matters_and_checksum_is_skipped() {
        let mut q = vec![
            ("orderUuid", "ODR1000000001"),
            ("status", "PAID"),
            ("timestamp", "1"),
        ];
        let sum = checksum(&q, "s3cret");
        q.push(("checksum", &sum));
        assert!(verify(&q, "s3cret"));
        let upper = sum.to_ascii_uppercase();
        let mut q2 = q.clone();
        q2[3].1 = &upper;
        assert!(verify(&q2, "s3cret"));
        assert!(!verify(&q, "other"));
        let swapped = vec![q[1], q[0], q[2], q[3]];
        assert!(!verify(&swapped, "s3cret"));
        let no_sum = &q[..3];
        assert!(!verify(no_sum, "s3cret"));
        let mut twice = q.clone();
        twice.push(("checksum", &sum));
        assert!(!verify(&twice, "s3cret"));
        let mut tampered = q.clone();
        tampered[1].1 = "REFUNDED";
        assert!(!verify(&tampered, "s3cret"));
    }
}
