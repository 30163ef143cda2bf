//! The July 2025 recording of Front Payment's demo server (`docs/contract/live-demo-2025-07.json`):
//! core, in the `live-2025-07` dialect, refuses each recorded create with exactly the recorded
//! sentences, in the recorded order; the `docs` dialect refuses the same bodies by the docs' rules;
//! and every sentence names the field core maps it back to.

use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::envelope::{ApiMessage, Envelope, Errors};
use frontdesk_core::validate::{Context, field_of_sentence, validate_create};
use frontdesk_core::{DateFormat, Dialect};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const RECORDING: &str = include_str!("../../docs/contract/live-demo-2025-07.json");
/// When the recording was made (15 Jul 2025): the dates in it are judged as of then.
const RECORDED_AT: i64 = 1_752_608_548;

fn exchanges() -> Vec<Value> {
    let doc: Value = serde_json::from_str(RECORDING).expect("the recording parses");
    doc["exchanges"].as_array().expect("exchanges").clone()
}

fn route(x: &Value) -> Endpoint {
    let path = x["path"].as_str().expect("path");
    Endpoint::route(x["method"].as_str().expect("method"), path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .0
}

fn recorded_sentences(x: &Value) -> Vec<String> {
    x["responseBody"]["errors"]
        .as_array()
        .expect("errors array")
        .iter()
        .map(|s| s.as_str().expect("a sentence").to_owned())
        .collect()
}

#[wasm_bindgen_test(unsupported = test)]
fn live_dialect_refuses_recorded_creates_word_for_word() {
    let ctx = Context::new(RECORDED_AT).with_dialect(Dialect::Live202507);
    let mut creates = 0;
    for x in exchanges() {
        let Some(kind) = route(&x).kind() else {
            continue;
        };
        creates += 1;
        let report = validate_create(kind, &x["requestBody"], &ctx)
            .err()
            .unwrap_or_else(|| panic!("{kind}: accepted, the server refused it"));
        let want = recorded_sentences(&x);
        assert_eq!(report.sentences(), want, "{kind}");
        // The envelope a server sends is the recorded body.
        let env = serde_json::to_value(Envelope::<Value>::validation(&report)).unwrap();
        assert_eq!(env, x["responseBody"], "{kind}");
    }
    assert_eq!(creates, 4);
}

#[wasm_bindgen_test(unsupported = test)]
fn docs_dialect_refuses_the_same_bodies_by_the_docs() {
    let ctx = Context::new(RECORDED_AT);
    for x in exchanges() {
        let Some(kind) = route(&x).kind() else {
            continue;
        };
        let report = validate_create(kind, &x["requestBody"], &ctx)
            .err()
            .unwrap_or_else(|| panic!("{kind}: accepted"));
        let sentences = report.sentences();
        assert_eq!(
            sentences[0], "The order date does not match the format U.",
            "{kind}"
        );
        // What the docs require of invoiced kinds and the recording did not send.
        if kind != frontdesk_core::OrderKind::PaymentLink {
            assert!(
                sentences.contains(&"The invoice fee applicable field is required.".to_owned()),
                "{kind}: {sentences:?}"
            );
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn every_recorded_sentence_names_a_known_field() {
    for x in exchanges() {
        if x["status"] != 417 {
            continue;
        }
        for s in recorded_sentences(&x) {
            let field = field_of_sentence(&s).unwrap_or_else(|| panic!("{s}: no field"));
            assert!(
                s.contains(&frontdesk_core::validate::display_field(&field)),
                "{s} → {field}"
            );
        }
    }
    assert_eq!(
        field_of_sentence("The customer details.preferred language field is required."),
        Some("customerDetails.preferredLanguage".into())
    );
    assert_eq!(
        field_of_sentence("The products.12.tax must be a number."),
        Some("products.12.tax".into())
    );
    assert_eq!(
        field_of_sentence("The selected customer details.type is invalid."),
        Some("customerDetails.type".into())
    );
    assert_eq!(
        field_of_sentence("The send order by.sms field is required."),
        Some("sendOrderBy.sms".into())
    );
    assert_eq!(field_of_sentence("Something else went wrong."), None);
    assert_eq!(field_of_sentence("The moon must be a number."), None);
}

#[wasm_bindgen_test(unsupported = test)]
fn recorded_answers_read_tolerantly() {
    for x in exchanges() {
        let env: Envelope<Value> =
            serde_json::from_value(x["responseBody"].clone()).expect("an envelope");
        match x["status"].as_u64() {
            Some(404) => {
                assert_eq!(env.api_message(), Some(ApiMessage::OrderNotFound));
                // And a server words it per endpoint as recorded.
                let ours = serde_json::to_value(Envelope::<Value>::not_found_for(route(&x)))
                    .expect("serialises");
                assert_eq!(ours, x["responseBody"], "{}", x["path"]);
            }
            Some(417) => assert!(matches!(env.errors(), Some(Errors::List(l)) if !l.is_empty())),
            _ => {
                let status: frontdesk_core::OrderStatusDetail =
                    serde_json::from_value(env.data().cloned().expect("data")).expect("status");
                assert_eq!(status.order_amount, None);
            }
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn the_proxy_rewrites_only_the_date() {
    for x in exchanges() {
        if route(&x).kind().is_none() {
            continue;
        }
        let mut body = x["requestBody"].clone();
        body["orderDate"] = Value::String("05 Dec, 2023".into());
        let before = body.clone();
        assert!(frontdesk_core::order::rewrite_order_date(
            &mut body,
            DateFormat::Unix
        ));
        assert_eq!(body["orderDate"], Value::String("1701730800".into()));
        body["orderDate"] = before["orderDate"].clone();
        assert_eq!(body, before);
    }
}
