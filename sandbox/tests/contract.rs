//! The public contract cases of the repository's `docs/contract/cases.json`, against a sandbox in
//! each dialect. The cases are written for the docs; what the recorded live server
//! (`live-2025-07`) answers differently is derived from two recorded facts, rule by rule
//! ([`expectation`]), never listed per case.

mod common;

use common::{Sandbox, config_in, contract_file, named_fields, now, order_date_in};
use frontdesk_core::dialect::Dialect;
use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::status::OrderKind;
use frontdesk_sandbox::Db;
use serde_json::{Value, json};

/// What the recorded server required of an EHF beyond the docs
/// (`Dialect::ehf_requires_link_members`), as JSON pointers and the dotted fields they are.
const LIVE_EHF_MEMBERS: [(&str, &str); 6] = [
    ("/sendOrderBy/sms", "sendOrderBy.sms"),
    ("/sendOrderBy/email", "sendOrderBy.email"),
    ("/sendOrderBy/invoice", "sendOrderBy.invoice"),
    ("/isCreditCheckAvailable", "isCreditCheckAvailable"),
    ("/invoiceAsPaymentOption", "invoiceAsPaymentOption"),
    (
        "/customerDetails/preferredLanguage",
        "customerDetails.preferredLanguage",
    ),
];

/// What one case must get.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expect {
    status: u64,
    message: String,
    /// Fields some 417 sentence must name.
    keys: Vec<String>,
    /// Fields no sentence may name (docs-only rules, in the live dialect).
    not_named: Vec<String>,
}

fn kind_of(case: &Value) -> Option<OrderKind> {
    let method = case["method"].as_str()?;
    let path = case["path"].as_str()?;
    Endpoint::route(method, path).ok()?.0.kind()
}

/// A rule of the docs' tables that the recorded server did not run
/// (`Dialect::docs_table_rules`): `invoiceFeeApplicable` required for the invoiced kinds, and a
/// `callbackUrl` for E-Faktura and EHF.
fn docs_only(kind: Option<OrderKind>, key: &str) -> bool {
    match key {
        "invoiceFeeApplicable" => kind.is_some_and(OrderKind::is_invoice),
        "callback.callbackUrl" => matches!(kind, Some(OrderKind::EFaktura | OrderKind::Ehf)),
        _ => false,
    }
}

/// The case's expectation in `dialect`. In the docs dialect: the case as written. In
/// live-2025-07: the docs-only refusals drop out (and must not be named), an EHF missing a
/// member the recorded server required is refused naming it; a case left with no refusal is
/// created, one that gained a refusal is a 417.
fn expectation(case: &Value, dialect: Dialect) -> Expect {
    let want = &case["expect"];
    let docs = Expect {
        status: want["status"].as_u64().expect("expect.status"),
        message: want["message"].as_str().expect("expect.message").to_owned(),
        keys: want["errorKeys"]
            .as_array()
            .map(|k| {
                k.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        not_named: Vec::new(),
    };
    if dialect == Dialect::Docs || docs.status == 404 {
        return docs;
    }
    let kind = kind_of(case);
    let (not_named, mut keys): (Vec<String>, Vec<String>) =
        docs.keys.into_iter().partition(|k| docs_only(kind, k));
    if kind == Some(OrderKind::Ehf) {
        let body = &case["body"];
        let missing = LIVE_EHF_MEMBERS
            .iter()
            .filter(|(ptr, _)| body.pointer(ptr).is_none_or(Value::is_null))
            .map(|(_, key)| (*key).to_owned());
        keys.extend(missing);
    }
    let (status, message) = if keys.is_empty() {
        (201, "orderAddedSuccessfully")
    } else {
        (417, "payloadValidationErrors")
    };
    Expect {
        status,
        message: message.to_owned(),
        keys,
        not_named,
    }
}

/// Each EHF case once more with the members the recorded server required added, as the console
/// sends them: the union of both dialects' rules is accepted by both.
fn with_live_ehf_members(cases: &[Value]) -> Vec<Value> {
    cases
        .iter()
        .filter(|c| kind_of(c) == Some(OrderKind::Ehf))
        .map(|c| {
            let mut c = c.clone();
            let name = format!("{} (+ live EHF members)", c["name"].as_str().unwrap_or(""));
            c["name"] = json!(name);
            let body = &mut c["body"];
            body["sendOrderBy"] = json!({"sms": false, "email": false, "invoice": true});
            body["isCreditCheckAvailable"] = json!(false);
            body["invoiceAsPaymentOption"] = json!(false);
            c
        })
        .collect()
}

/// The cases with `{{now}}` (a minute from now) in `dialect`'s date format.
fn cases_in(dialect: Dialect) -> Vec<Value> {
    let text = contract_file("cases.json")
        .to_string()
        .replace("{{now}}", &order_date_in(dialect, now() + 60));
    let cases: Vec<Value> = serde_json::from_str(&text).expect("cases.json is a list");
    assert!(cases.len() >= 18, "cases.json shrank: {}", cases.len());
    let extra = with_live_ehf_members(&cases);
    assert!(!extra.is_empty(), "cases.json has no EHF case");
    cases.into_iter().chain(extra).collect()
}

fn check_case(sb: &Sandbox, case: &Value, dialect: Dialect) {
    let name = format!("{dialect}: {}", case["name"].as_str().unwrap_or("?"));
    let method = case["method"].as_str().unwrap();
    let path = case["path"].as_str().unwrap();
    let body = (!case["body"].is_null()).then_some(&case["body"]);
    let (status, v) = sb
        .send(method, path, body, &[])
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let want = expectation(case, dialect);
    assert_eq!(u64::from(status), want.status, "{name}: {v}");
    assert_eq!(v["status_code"], want.status, "{name}: {v}");
    assert_eq!(v["message"], want.message.as_str(), "{name}: {v}");
    if status == 201 {
        let id = v["data"]["uuid"].as_str().unwrap();
        assert!(id.starts_with("ODR") && id.len() == 13, "{name}: {id}");
        let customer = v["data"]["customerUuid"].as_str().unwrap();
        assert!(customer.starts_with("CSRT"), "{name}: {customer}");
    }
    if status == 417 {
        assert_eq!(v["is_error"], true, "{name}: {v}");
        assert!(
            v["errors"]
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string)),
            "{name}: errors must be a list of sentences: {v}"
        );
    }
    let named = named_fields(&v);
    for k in &want.keys {
        assert!(named.contains(k), "{name}: no sentence names {k}: {v}");
    }
    for k in &want.not_named {
        assert!(!named.contains(k), "{name}: {k} is a docs-only rule: {v}");
    }
}

#[test]
fn every_contract_case_in_both_dialects() {
    for dialect in Dialect::ALL {
        let sb = Sandbox::with(config_in(dialect), Db::Memory);
        for case in &cases_in(dialect) {
            check_case(&sb, case, dialect);
        }
        sb.stop();
    }
}

/// The derivation itself, on the cases it changes: the answers above are only as good as it.
#[test]
fn live_expectations_follow_the_recorded_rules() {
    let cases = cases_in(Dialect::Live202507);
    let by_name = |n: &str| {
        cases
            .iter()
            .find(|c| c["name"] == n)
            .unwrap_or_else(|| panic!("no case {n:?}"))
    };
    let live = |n: &str| expectation(by_name(n), Dialect::Live202507);
    let link_members: Vec<String> = LIVE_EHF_MEMBERS[..5]
        .iter()
        .map(|(_, k)| (*k).to_owned())
        .collect();
    let corporate = live("ehf, corporate");
    assert_eq!((corporate.status, &corporate.keys), (417, &link_members));
    let no_callback = live("ehf, no callback");
    assert_eq!(no_callback.keys, link_members);
    assert_eq!(no_callback.not_named, ["callback.callbackUrl"]);
    assert_eq!(live("ehf, no callback (+ live EHF members)").status, 201);
    assert_eq!(live("ehf, corporate (+ live EHF members)").status, 201);
    let maturity = live("ehf, maturity 10 (+ live EHF members)");
    assert_eq!(maturity.status, 417);
    assert_eq!(maturity.keys, ["invoiceMaturity"]);
    // Cases no recorded rule touches are the same in both dialects.
    for n in [
        "invoice, private maturity 30",
        "payment link, no customer address city",
        "unknown order status",
    ] {
        assert_eq!(live(n), expectation(by_name(n), Dialect::Docs), "{n}");
    }
}
