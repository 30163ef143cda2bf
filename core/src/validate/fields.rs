//! Every request member core validates, by its dotted path: what a Laravel sentence from the
//! server can be mapped back to ([`super::field_of_sentence`]). The create members come from
//! the one field table ([`crate::draft::fields`]); the other requests' few are listed here.

use crate::draft::fields::{FIELDS, LINE_FIELDS};

/// Members of a refund's lines (`products.N.<member>`) that a create line does not have.
const REFUND_LINE_FIELDS: [&str; 1] = ["id"];

/// The top-level members of the resend, cancel and refund requests.
const OTHER_REQUEST_FIELDS: [&str; 6] = [
    "cancellationNote",
    "grandTotal",
    "countryCode",
    "msisdn",
    "email",
    "type",
];

/// The members of a product line (`products.N.<member>`): a create line's, then a refund's.
pub fn product_fields() -> impl Iterator<Item = &'static str> {
    LINE_FIELDS
        .iter()
        .map(|f| f.member)
        .chain(REFUND_LINE_FIELDS)
}

/// Every other path of the create, resend, cancel and refund requests.
pub fn known_fields() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|f| f.path).chain(OTHER_REQUEST_FIELDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn the_create_members_come_from_the_table() {
        let known: Vec<&str> = known_fields().collect();
        for path in [
            "customerDetails.address.city",
            "customerReference",
            "sendOrderBy.invoice",
            "orderSummary.grandTotal",
            "cancellationNote",
        ] {
            assert!(known.contains(&path), "{path}");
        }
        let line: Vec<&str> = product_fields().collect();
        assert_eq!(
            line,
            [
                "name",
                "productId",
                "quantity",
                "rate",
                "discount",
                "tax",
                "amount",
                "id"
            ]
        );
    }
}
