//! The 13 exchanges recorded with Front Payment's demo API in July 2025
//! (`docs/contract/live-demo-2025-07.json`), replayed against the sandbox. In `live-2025-07`
//! every answer is the recorded one: status, the whole body (message, the error sentences in
//! their order, the envelope members) and the headers. In `docs` the same requests get what the
//! endpoint text says.

mod common;

use common::{Answer, Sandbox, config_in, contract_file, named_fields, now, payment_link_in};
use frontdesk_core::dialect::Dialect;
use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::envelope::{DEFAULT_RATE_LIMIT, RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING};
use frontdesk_core::status::OrderKind;
use frontdesk_core::validate::{Context, EHF_RECORDED_EXTRA, validate_create};
use frontdesk_sandbox::Db;
use serde_json::{Value, json};

/// Headers whose recorded value the sandbox must send as is.
const SAME_HEADERS: [&str; 4] = [
    "content-type",
    "cache-control",
    "access-control-allow-origin",
    RATE_LIMIT_LIMIT,
];

fn exchanges() -> Vec<Value> {
    let all = contract_file("live-demo-2025-07.json")["exchanges"]
        .as_array()
        .cloned()
        .expect("exchanges");
    assert_eq!(all.len(), 13, "the recording has 13 exchanges");
    all
}

/// A sandbox in `dialect` with the recorded server's limit (240 a minute).
fn sandbox(dialect: Dialect) -> Sandbox {
    let mut c = config_in(dialect);
    c.rate_limit = DEFAULT_RATE_LIMIT;
    Sandbox::with(c, Db::Memory)
}

fn label(ex: &Value) -> String {
    format!(
        "{} {}",
        ex["method"].as_str().unwrap_or("?"),
        ex["path"].as_str().unwrap_or("?")
    )
}

fn endpoint(ex: &Value) -> Endpoint {
    let (method, path) = (ex["method"].as_str().unwrap(), ex["path"].as_str().unwrap());
    Endpoint::route(method, path)
        .unwrap_or_else(|e| panic!("{}: not routed: {e}", label(ex)))
        .0
}

/// The account as the exchange found it: no orders (an empty status list is the recorded 404),
/// except the order a recorded `200` status by uuid names, created in SENT, given the recorded
/// id and moved to the recorded status.
fn prepare(sb: &Sandbox, dialect: Dialect, ex: &Value) {
    let (s, v) = sb.post("/_sandbox/reset", &json!({}));
    assert_eq!(s, 200, "{v}");
    let data = &ex["responseBody"]["data"];
    let (Some(uuid), Some(status)) = (data["uuid"].as_str(), data["status"].as_str()) else {
        return;
    };
    let id = sb.create("payment-link", &payment_link_in(dialect));
    sb.rename(&id, uuid);
    if status != "SENT" {
        let (s, v) = sb.transition(uuid, status);
        assert_eq!(s, 200, "{v}");
    }
}

fn replay(sb: &Sandbox, ex: &Value) -> Answer {
    let method = ex["method"].as_str().unwrap();
    let path = ex["path"].as_str().unwrap();
    let body = (!ex["requestBody"].is_null()).then(|| ex["requestBody"].to_string());
    sb.exchange(method, path, body, &[], true)
        .unwrap_or_else(|e| panic!("{}: {e}", label(ex)))
}

/// The recorded headers, and a remaining count that is a number within the limit.
fn check_headers(a: &Answer, ex: &Value) {
    let recorded = &ex["responseHeaders"];
    for name in SAME_HEADERS {
        assert_eq!(
            a.header(name),
            recorded[name].as_str(),
            "{}: header {name}",
            label(ex)
        );
    }
    let remaining: u32 = a
        .header(RATE_LIMIT_REMAINING)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{}: no {RATE_LIMIT_REMAINING}", label(ex)));
    assert!(
        remaining <= DEFAULT_RATE_LIMIT,
        "{}: {remaining}",
        label(ex)
    );
}

#[test]
fn live_dialect_answers_every_exchange_as_recorded() {
    let sb = sandbox(Dialect::Live202507);
    for ex in &exchanges() {
        prepare(&sb, Dialect::Live202507, ex);
        let a = replay(&sb, ex);
        assert_eq!(
            u64::from(a.status),
            ex["status"].as_u64().unwrap(),
            "{}: {}",
            label(ex),
            a.body
        );
        assert_eq!(a.body, ex["responseBody"], "{}", label(ex));
        check_headers(&a, ex);
    }
    sb.stop();
}

/// What the docs refuse in each recorded create beyond the date format, by kind: the docs'
/// tables require `invoiceFeeApplicable` for the invoiced kinds and a `callbackUrl` for
/// E-Faktura and EHF, and an EHF's organisation number must pass the checksum (the recorded
/// `123456789` does not).
fn docs_refusals(kind: OrderKind) -> &'static [&'static str] {
    match kind {
        OrderKind::PaymentLink => &["orderDate"],
        OrderKind::Invoice => &["orderDate", "invoiceFeeApplicable"],
        OrderKind::EFaktura => &["orderDate", "invoiceFeeApplicable", "callback.callbackUrl"],
        OrderKind::Ehf => &[
            "orderDate",
            "invoiceFeeApplicable",
            "callback.callbackUrl",
            "customerDetails.organizationId",
        ],
    }
}

fn check_docs_create(kind: OrderKind, ex: &Value, a: &Answer) {
    let at = label(ex);
    assert_eq!(a.status, 417, "{at}: {}", a.body);
    assert_eq!(a.body["message"], "payloadValidationErrors", "{at}");
    let got = common::sentences(&a.body);
    assert!(
        got.iter()
            .any(|s| s == "The order date does not match the format U."),
        "{at}: {got:?}"
    );
    let named = named_fields(&a.body);
    for field in docs_refusals(kind) {
        assert!(
            named.iter().any(|n| n == field),
            "{at}: {field} not named in {got:?}"
        );
    }
    for field in EHF_RECORDED_EXTRA {
        assert!(
            !named.iter().any(|n| n == field),
            "{at}: {field} is live-only: {got:?}"
        );
    }
    // And exactly the sentences core's docs rules give, in their order.
    let ctx = Context::new(now()).with_dialect(Dialect::Docs);
    let report = validate_create(kind, &ex["requestBody"], &ctx)
        .expect_err("the docs refuse every recorded create");
    assert_eq!(got, report.sentences(), "{at}");
}

#[test]
fn docs_dialect_answers_the_same_requests_as_the_docs_say() {
    let sb = sandbox(Dialect::Docs);
    let mut creates = 0;
    for ex in &exchanges() {
        prepare(&sb, Dialect::Docs, ex);
        let a = replay(&sb, ex);
        check_headers(&a, ex);
        let recorded = &ex["responseBody"];
        if let Some(kind) = endpoint(ex).kind() {
            check_docs_create(kind, ex, &a);
            creates += 1;
        } else if ex["status"] == 200 {
            // Status by uuid: the docs add the amounts (the seeded order is 301 kr, no refunds).
            let mut want = recorded.clone();
            want["data"]["orderAmount"] = json!(301);
            want["data"]["refundedAmount"] = json!(0);
            assert_eq!(a.body, want, "{}", label(ex));
        } else {
            // Not found is worded the same in both dialects.
            assert_eq!(a.status, 404, "{}: {}", label(ex), a.body);
            assert_eq!(a.body, *recorded, "{}", label(ex));
        }
    }
    assert_eq!(creates, 4, "the recording has the four creates");
    sb.stop();
}
