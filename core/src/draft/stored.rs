//! Reading a stored [`OrderDraft`] of any version: the current shape (the table's plain
//! members by path) and the named members of version 1 and the unversioned drafts before it.
//! What a stored draft lacks is the default; what the table no longer has is dropped; what
//! is read is in the current shape ([`super::DRAFT_VERSION`]).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{LineDraft, OrderDraft};

/// Version 1's names of the table's plain members (frozen: new members only ever have a path).
const NAMED: [(&str, &str); 19] = [
    ("name", "customerDetails.name"),
    ("first_name", "customerDetails.firstName"),
    ("email", "customerDetails.email"),
    ("personal_number", "customerDetails.personalNumber"),
    ("organization_id", "customerDetails.organizationId"),
    ("street", "customerDetails.address.street"),
    ("zip", "customerDetails.address.zip"),
    ("city", "customerDetails.address.city"),
    ("country", "customerDetails.address.country"),
    ("language", "customerDetails.preferredLanguage"),
    ("send_sms", "sendOrderBy.sms"),
    ("send_email", "sendOrderBy.email"),
    ("invoice_as_payment_option", "invoiceAsPaymentOption"),
    ("secure_details", "secureDetails"),
    ("invoice_fee", "invoiceFeeApplicable"),
    ("separate_invoices", "separateInvoices"),
    ("reference_no", "referenceNo"),
    ("customer_reference", "customerReference"),
    ("callback_url", "callback.callbackUrl"),
];

/// A draft as stored, in any version: every member may be missing; the rest of the object
/// (version 1's named members, the version) is kept as it came.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct Stored {
    customer_type: Option<String>,
    phone_country: Option<String>,
    calling_code: Option<String>,
    msisdn: Option<String>,
    invoice_interval: Option<String>,
    invoice_maturity: Option<String>,
    order_date: Option<String>,
    texts: BTreeMap<String, String>,
    flags: BTreeMap<String, bool>,
    lines: Option<Vec<LineDraft>>,
    #[serde(flatten)]
    named: BTreeMap<String, Value>,
}

impl From<Stored> for OrderDraft {
    fn from(s: Stored) -> OrderDraft {
        let mut d = OrderDraft::default();
        let keep = |slot: &mut String, stored: Option<String>| {
            if let Some(v) = stored {
                *slot = v;
            }
        };
        keep(&mut d.customer_type, s.customer_type);
        keep(&mut d.phone_country, s.phone_country);
        keep(&mut d.calling_code, s.calling_code);
        keep(&mut d.msisdn, s.msisdn);
        keep(&mut d.invoice_interval, s.invoice_interval);
        keep(&mut d.invoice_maturity, s.invoice_maturity);
        keep(&mut d.order_date, s.order_date);
        if let Some(lines) = s.lines {
            d.lines = lines;
        }
        for (name, path) in NAMED {
            match s.named.get(name) {
                Some(Value::String(text)) => d.set_text(path, text.as_str()),
                Some(Value::Bool(ticked)) => d.set_flag(path, *ticked),
                _ => {}
            }
        }
        for (path, text) in s.texts {
            d.set_text(&path, text);
        }
        for (path, ticked) in s.flags {
            d.set_flag(&path, ticked);
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::DRAFT_VERSION;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn a_version_1_draft_reads_into_the_tables_members() {
        let stored = json!({
            "version": 1, "customer_type": "corporate", "name": "Nordmann AS", "first_name": "Ola",
            "email": "ola@example.no", "personal_number": "01010012356",
            "organization_id": "998379342", "street": "Gate 1", "zip": "0150", "city": "Oslo",
            "country": "SE", "language": "en", "send_sms": false, "send_email": true,
            "invoice_as_payment_option": false, "secure_details": true, "invoice_fee": false,
            "separate_invoices": false, "reference_no": "R-1", "customer_reference": "PO 7",
            "callback_url": "https://m.example/cb", "msisdn": "46567468",
            "invoice_maturity": "30", "lines": []
        });
        let d: OrderDraft = serde_json::from_value(stored.clone()).unwrap();
        for (name, path) in NAMED {
            match &stored[name] {
                Value::String(text) => assert_eq!(d.text(path), text, "{name}"),
                Value::Bool(ticked) => assert_eq!(d.flag(path), *ticked, "{name}"),
                other => panic!("{name}: {other}"),
            }
        }
        assert_eq!(d.version, DRAFT_VERSION);
        assert_eq!(
            (d.msisdn.as_str(), d.invoice_maturity.as_str()),
            ("46567468", "30")
        );
        assert!(d.lines.is_empty());
        // Written again in the current shape, it reads the same.
        let written = serde_json::to_value(&d).unwrap();
        assert!(written.get("name").is_none() && written["version"] == json!(DRAFT_VERSION));
        assert_eq!(
            written["texts"]["customerDetails.name"],
            json!("Nordmann AS")
        );
        let again: OrderDraft = serde_json::from_value(written).unwrap();
        assert_eq!(again, d);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_current_draft_keeps_only_the_tables_members() {
        let stored = json!({
            "version": 2,
            "texts": {"customerDetails.name": "Ola", "noSuch.member": "x"},
            "flags": {"secureDetails": true, "noSuchChoice": true}
        });
        let d: OrderDraft = serde_json::from_value(stored).unwrap();
        assert_eq!(d.text("customerDetails.name"), "Ola");
        assert!(d.flag("secureDetails"));
        assert!(!d.texts.contains_key("noSuch.member") && !d.flags.contains_key("noSuchChoice"));
        // What was not stored is the default.
        let blank = OrderDraft::default();
        assert_eq!(d.texts.len(), blank.texts.len());
        assert_eq!(d.flag("sendOrderBy.sms"), blank.flag("sendOrderBy.sms"));
        assert_eq!(d.lines, blank.lines);
    }
}
