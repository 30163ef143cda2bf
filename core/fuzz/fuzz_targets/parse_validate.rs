//! Any bytes: parse as JSON, run every validator and the router; none may panic.
#![no_main]

use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::status::OrderKind;
use frontdesk_core::validate::{
    Context, validate_cancel, validate_create, validate_refund, validate_resend,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Endpoint::route("GET", text);
        let _ = Endpoint::route("POST", text);
        let _ = frontdesk_core::money::parse_hundredths(text);
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let ctx = Context::new(1_703_040_812);
    for kind in OrderKind::ALL {
        if let Err(report) = validate_create(kind, &value, &ctx) {
            let _ = report.to_error_map();
        }
    }
    let _ = validate_resend(&value, &ctx);
    let _ = validate_cancel(&value, &ctx);
    let _ = validate_refund(&value, &ctx);
    let _ = serde_json::from_value::<frontdesk_core::Envelope>(value);
});
