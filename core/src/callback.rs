//! Callback checksums (Front Payment → merchant `GET {callbackUrl}?…&checksum=…`).
//!
//! `checksum = sha256_hex(values of every other query parameter, in URL order, + secret)`.
//! A plain hash, not an HMAC (contract-notes). The sandbox signs with [`checksum`]; the proxy
//! checks with [`verify`], which takes whatever parameters arrived (older revisions of the scheme
//! hashed fewer fields) and compares in constant time.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The path on the proxy that takes Front Payment's callbacks.
pub const CALLBACK_PATH: &str = "/callbacks/frontpayment";

/// The proxy's own callback URL, when it knows its public URL (`PUBLIC_URL`): the one rule for
/// who supplies a create's callback. With it, the proxy adds this URL to every create that has
/// none (see [`fill_missing`]), so the merchant never has to type one; without it, a create
/// goes upstream as sent and the dialect's rule decides (`validate::create::callback_required`).
pub fn proxy_callback_url(public_url: Option<&str>) -> Option<String> {
    let base = public_url?.trim().trim_end_matches('/');
    (!base.is_empty()).then(|| format!("{base}{CALLBACK_PATH}"))
}

/// Does this create body carry a callback URL of its own (non-blank)?
pub fn has_callback(body: &Map<String, Value>) -> bool {
    body.get("callback")
        .and_then(|c| c.get("callbackUrl"))
        .and_then(Value::as_str)
        .is_some_and(|u| !u.trim().is_empty())
}

/// Adds `callback.callbackUrl = own` to a create body that has none; says whether it did.
pub fn fill_missing(body: &mut Map<String, Value>, own: &str) -> bool {
    if has_callback(body) {
        return false;
    }
    let mut cb = Map::new();
    cb.insert("callbackUrl".into(), Value::String(own.to_owned()));
    body.insert("callback".into(), Value::Object(cb));
    true
}

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

    #[test]
    fn the_proxy_supplies_its_callback_only_with_a_public_url() {
        assert_eq!(proxy_callback_url(None), None);
        assert_eq!(proxy_callback_url(Some("  ")), None);
        assert_eq!(
            proxy_callback_url(Some("https://shop.example/")).as_deref(),
            Some("https://shop.example/callbacks/frontpayment")
        );
    }

    #[test]
    fn a_missing_callback_is_filled_and_a_given_one_kept() {
        let own = "https://p.example/callbacks/frontpayment";
        let mut body = serde_json::json!({"callback": {"callbackUrl": " "}});
        let obj = body.as_object_mut().unwrap();
        assert!(fill_missing(obj, own));
        assert_eq!(obj["callback"]["callbackUrl"], own);
        let mut mine = serde_json::json!({"callback": {"callbackUrl": "https://m.example/cb"}});
        let obj = mine.as_object_mut().unwrap();
        assert!(!fill_missing(obj, own));
        assert_eq!(obj["callback"]["callbackUrl"], "https://m.example/cb");
    }

    #[test]
    fn e_faktura_and_ehf_take_their_customer_type_from_the_kind() {
        use crate::customer::CustomerType::{Corporate, Private};
        use crate::status::OrderKind;
        let t = crate::customer::CustomerType::for_kind;
        assert_eq!(t(OrderKind::EFaktura, Some(Corporate)), Some(Private));
        assert_eq!(t(OrderKind::Ehf, None), Some(Corporate));
        assert_eq!(t(OrderKind::Invoice, Some(Corporate)), Some(Corporate));
        assert_eq!(t(OrderKind::PaymentLink, None), None);
    }
}
