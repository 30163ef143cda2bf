//! The public contract cases (`docs/contract/cases.json`): every case whose answer is a
//! validation verdict must get that verdict from `frontdesk_core::validate`. 404 cases need an
//! order store and belong to the sandbox's tests.

use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::validate::{
    Context, Report, validate_cancel, validate_create, validate_refund, validate_resend,
};
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("../../docs/contract/cases.json");

/// "Now" for the cases. The crate takes time as input, so a fixed instant is as good as the
/// clock in the browser (where `SystemTime` is unavailable).
fn now() -> i64 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(1_767_225_600)
    }
    #[cfg(target_arch = "wasm32")]
    {
        1_767_225_600
    }
}

/// Validate a body for an endpoint; `None` for endpoints without a body to validate.
fn verdict(ep: Endpoint, body: &Value, ctx: &Context) -> Option<Result<(), Report>> {
    Some(match ep {
        Endpoint::Resend => validate_resend(body, ctx).map(drop),
        Endpoint::Cancel => validate_cancel(body, ctx).map(drop),
        Endpoint::Refund => validate_refund(body, ctx).map(drop),
        _ => validate_create(ep.kind()?, body, ctx).map(drop),
    })
}

#[wasm_bindgen_test(unsupported = test)]
fn contract_cases_validate_as_required() {
    let now = now();
    let text = CASES.replace("{{now}}", &(now + 60).to_string());
    let cases: Vec<Value> = serde_json::from_str(&text).expect("cases.json parses");
    let ctx = Context::new(now);
    let (mut checked, mut skipped) = (0, 0);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let method = case["method"].as_str().expect("method");
        let path = case["path"].as_str().expect("path");
        let status = case["expect"]["status"].as_u64().expect("status");
        let (ep, _) = Endpoint::route(method, path)
            .unwrap_or_else(|e| panic!("{name}: {path} does not route: {e}"));
        if status == 404 {
            skipped += 1;
            continue;
        }
        let Some(result) = verdict(ep, &case["body"], &ctx) else {
            skipped += 1;
            continue;
        };
        match status {
            201 | 202 => {
                if let Err(r) = &result {
                    panic!("{name}: expected success, got {:?}", r.to_error_map());
                }
                assert_eq!(
                    case["expect"]["message"].as_str(),
                    Some(ep.success().as_str()),
                    "{name}"
                );
            }
            417 => {
                let report = result
                    .err()
                    .unwrap_or_else(|| panic!("{name}: expected 417, was accepted"));
                for key in case["expect"]["errorKeys"].as_array().expect("errorKeys") {
                    let key = key.as_str().expect("key");
                    assert!(
                        report.has_error(key),
                        "{name}: missing error {key}; got {:?}",
                        report.to_error_map()
                    );
                }
                let envelope = frontdesk_core::Envelope::<Value>::validation(&report);
                assert_eq!(
                    Some(envelope.message.as_str()),
                    case["expect"]["message"].as_str(),
                    "{name}"
                );
                assert_eq!(u64::from(envelope.status_code), status, "{name}");
            }
            _ => {
                skipped += 1;
                continue;
            }
        }
        checked += 1;
    }
    println!("contract cases: {checked} checked, {skipped} skipped (sandbox-only)");
    assert!(checked >= 15, "only {checked} cases checked");
}
