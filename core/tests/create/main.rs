//! Create validation (`frontdesk_core::validate::validate_create`) from the outside: the docs'
//! example and every rule, one table per part of the payload, through the public API only.
//! Fixtures here; the tables by part in [`products`], [`customer`] and [`options`].

use frontdesk_core::clock::oslo_day_start;
use frontdesk_core::money::{Money, TaxRate};
use frontdesk_core::order::SendOrderBy;
use frontdesk_core::validate::{
    Code, Context, Issue, Report, callback_required, default_maturity, validate_create,
};
use frontdesk_core::{CustomerType, Language, OrderKind};
use serde_json::{Value, json};
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod customer;
mod options;
mod products;

const NOW: i64 = 1_703_040_812; // 2023-12-20 03:53 Oslo

fn ctx() -> Context {
    Context::new(NOW)
}

fn lines() -> Value {
    json!([
        {"name": "Hair Wash", "productId": "VFDDF", "quantity": "1", "rate": 51, "discount": 0, "tax": "0", "amount": 51},
        {"name": "Colour", "productId": "COL2", "quantity": "1", "rate": 300, "discount": 50, "tax": "25", "amount": 250}
    ])
}

fn payment_link() -> Value {
    json!({
        "products": lines(),
        "orderSummary": {"subTotal": "291.00", "totalTax": "60.00", "totalDiscount": "50.00", "grandTotal": "301.00"},
        "sendOrderBy": {"sms": true, "email": null},
        "orderDate": NOW.to_string(),
        "customerDetails": {
            "type": "private", "countryCode": "+47", "msisdn": "46567468", "email": "test@yopmail.com", "firstName": "",
            "name": "Kari Nordmann", "preferredLanguage": "en", "personalNumber": "12345678901",
            "address": {"street": "Luramyrveien 65", "zip": "4313", "city": "Sandnes", "country": "NO"}
        },
        "invoiceAsPaymentOption": true, "referenceNo": null, "customerReference": null, "secureDetails": true,
        "callback": {"callbackUrl": "https://example.com/callback-url"}
    })
}

fn invoice(kind: OrderKind) -> Value {
    let mut v = payment_link();
    let o = v.as_object_mut().unwrap();
    for k in ["sendOrderBy", "invoiceAsPaymentOption", "secureDetails"] {
        o.remove(k);
    }
    o.insert("invoiceInterval".into(), json!(0));
    o.insert("invoiceFeeApplicable".into(), json!(true));
    o.insert("separateInvoices".into(), json!(true));
    let details = o["customerDetails"].as_object_mut().unwrap();
    match kind {
        OrderKind::EFaktura => {
            details.remove("type");
            details.insert("personalNumber".into(), json!("01010012356"));
        }
        OrderKind::Ehf => {
            details.remove("type");
            details.remove("personalNumber");
            details.insert("organizationId".into(), json!("998379342"));
        }
        _ => {}
    }
    v
}

fn with(mut v: Value, pointer: &str, new: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match v.pointer_mut(parent).unwrap() {
        Value::Object(o) => {
            o.insert(key.to_owned(), new);
        }
        other => other[key.parse::<usize>().unwrap()] = new,
    }
    v
}

fn without(mut v: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key);
    v
}

fn errors(kind: OrderKind, v: &Value) -> Report {
    validate_create(kind, v, &ctx()).expect_err("should be refused")
}

#[wasm_bindgen_test(unsupported = test)]
fn docs_example_is_valid_with_fnr_warning() {
    let ok = validate_create(OrderKind::PaymentLink, &payment_link(), &ctx()).unwrap();
    assert_eq!(ok.warnings.len(), 1);
    assert_eq!(ok.warnings[0].field, "customerDetails.personalNumber");
    assert_eq!(ok.warnings[0].code, Code::FnrChecksum);
    let o = ok.value;
    assert_eq!(o.order_summary.grand_total, Money(30_100));
    assert_eq!(o.products[1].discount, Some(Money(5_000)));
    assert_eq!(o.customer_details.first_name, None);
    assert_eq!(o.customer_details.preferred_language, Some(Language::En));
    assert_eq!(
        o.send_order_by,
        Some(SendOrderBy {
            sms: Some(true),
            email: None
        })
    );
    assert_eq!(o.invoice_as_payment_option, Some(true));
    assert_eq!(
        o.callback.and_then(|c| c.callback_url).as_deref(),
        Some("https://example.com/callback-url")
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn all_kinds_accept_their_documented_shape() {
    for kind in [OrderKind::Invoice, OrderKind::EFaktura, OrderKind::Ehf] {
        let r = validate_create(kind, &invoice(kind), &ctx());
        assert!(r.is_ok(), "{kind}: {:?}", r.err().map(|r| r.to_error_map()));
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn empty_payload_reports_everything() {
    let r = errors(OrderKind::PaymentLink, &json!({}));
    for f in [
        "products",
        "orderSummary.subTotal",
        "orderSummary.totalTax",
        "orderSummary.totalDiscount",
        "orderSummary.grandTotal",
        "orderDate",
        "customerDetails.type",
        "customerDetails.name",
        "customerDetails.address.street",
        "customerDetails.address.zip",
        "customerDetails.address.city",
        "customerDetails.address.country",
        "invoiceAsPaymentOption",
    ] {
        assert_eq!(r.error_codes(f), [Code::Required], "{f}");
    }
    assert_eq!(
        r.error_codes("customerDetails.email"),
        [Code::RequiredWithout]
    );
    assert_eq!(
        r.error_codes("customerDetails.msisdn"),
        [Code::RequiredWithout]
    );
    assert_eq!(
        r.error_codes("customerDetails.countryCode"),
        [Code::RequiredWithout]
    );
    assert!(!r.has_error("callback.callbackUrl"));
    assert!(errors(OrderKind::Ehf, &json!([])).has_error("callback.callbackUrl"));
    let through_proxy = Context::new(NOW).with_proxy_callback(true);
    assert!(!callback_required(OrderKind::Ehf, &through_proxy));
    assert!(callback_required(OrderKind::Ehf, &Context::new(NOW)));
    assert!(!callback_required(OrderKind::Invoice, &Context::new(NOW)));
    assert!(errors(OrderKind::Invoice, &json!(null)).has_error("invoiceFeeApplicable"));
}

#[wasm_bindgen_test(unsupported = test)]
fn control_characters_are_refused_in_every_free_text_field() {
    for (pointer, field) in [
        ("/customerDetails/name", "customerDetails.name"),
        (
            "/customerDetails/address/street",
            "customerDetails.address.street",
        ),
        (
            "/customerDetails/address/city",
            "customerDetails.address.city",
        ),
        ("/products/0/name", "products.0.name"),
        ("/referenceNo", "referenceNo"),
    ] {
        for bad in ["Kari\u{0}", "\u{1b}[31mX", "a\r\nb", "x\u{7f}", "x\u{85}"] {
            let r = errors(
                OrderKind::PaymentLink,
                &with(payment_link(), pointer, json!(bad)),
            );
            assert_eq!(
                r.error_codes(field),
                [Code::ControlCharacters],
                "{field} {bad:?}"
            );
        }
    }
    for good in [
        "مرحبا שלום \u{202E}evil",
        "Kari 👩\u{200d}👩\u{200d}👧 Nordmann 🇳🇴",
    ] {
        let v = with(payment_link(), "/customerDetails/name", json!(good));
        let ok = validate_create(OrderKind::PaymentLink, &v, &ctx()).unwrap();
        assert_eq!(ok.value.customer_details.name, good);
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn english_messages_in_error_map() {
    let r = errors(
        OrderKind::PaymentLink,
        &without(
            without(payment_link(), "/customerDetails/msisdn"),
            "/customerDetails/email",
        ),
    );
    let m = r.to_error_map();
    assert_eq!(
        m["customerDetails.msisdn"],
        [
            "The customer details.msisdn field is required when customer details.email is not present."
        ]
    );
    assert_eq!(
        m["customerDetails.email"],
        [
            "The customer details.email field is required when customer details.msisdn is not present."
        ]
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn typed_value_serializes_like_the_docs() {
    let ok = validate_create(OrderKind::PaymentLink, &payment_link(), &ctx())
        .unwrap()
        .value;
    let j = serde_json::to_value(&ok).unwrap();
    assert_eq!(
        j["products"][0],
        json!({"name": "Hair Wash", "productId": "VFDDF", "quantity": "1", "rate": 51, "discount": 0, "tax": "0", "amount": 51})
    );
    assert_eq!(
        j["orderSummary"],
        json!({"subTotal": "291.00", "totalTax": "60.00", "totalDiscount": "50.00", "grandTotal": "301.00"})
    );
    assert_eq!(j["orderDate"], json!(NOW.to_string()));
    assert_eq!(j["referenceNo"], Value::Null);
    // What we forward validates again, to the same value.
    assert_eq!(
        validate_create(OrderKind::PaymentLink, &j, &ctx())
            .unwrap()
            .value,
        ok
    );
}
