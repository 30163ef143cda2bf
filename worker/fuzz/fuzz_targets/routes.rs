//! Any bytes as (method, path, headers): the proxy's routing and request-door decisions.
//! None may panic, and a request that routes to upstream must stay inside the API base.
#![no_main]

use frontdesk_worker::auth::{client, session};
use frontdesk_worker::routes::{Route, route};
use frontdesk_worker::{callbacks, headers, idempotency, upstream};
use libfuzzer_sys::fuzz_target;

const METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get",
];
const BASE: &str = "http://127.0.0.1:9/api/v1";

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let method = METHODS[usize::from(selector) % METHODS.len()];
    // The path is the text up to the first newline; the rest plays header values.
    let (path, extra) = text.split_once('\n').unwrap_or((text, ""));

    match route(method, path) {
        Ok(Route::Api { endpoint, order }) => {
            // Only the 12 shapes reach upstream: no escapes, no dot segments, no empty segments.
            assert!(!path.contains(['%', '\\', '#']), "{path:?}");
            assert!(
                !path
                    .split('/')
                    .skip(1)
                    .any(|s| s.is_empty() || s == "." || s == "..")
            );
            assert_eq!(method, endpoint.method().as_str());
            assert_eq!(order.is_some(), endpoint.takes_order_id());
            let url = upstream::api_url(BASE, path, Some(extra));
            assert!(
                url.starts_with("http://127.0.0.1:9/api/v1/connect/orders/"),
                "{url}"
            );
            let route = Route::Api { endpoint, order };
            assert_eq!(route.is_write(method), endpoint.is_write());
            assert!(route.action().is_some());
        }
        Ok(Route::Sandbox) => {
            assert!(path == "/_sandbox" || path.starts_with("/_sandbox/"));
            assert!(!path.contains(['%', '\\']));
            assert!(!path.split('/').any(|s| s == ".." || s == "."));
            assert!(Route::Sandbox.action().is_some());
        }
        Ok(Route::Assets) => {
            assert!(method == "GET" || method == "HEAD");
            assert!(!path.starts_with("/api/") && !path.starts_with("/console/"));
            assert!(!path.starts_with("/auth/") && !path.starts_with("/_sandbox/"));
        }
        Ok(other) => {
            let _ = other.action();
            let _ = other.is_write(method);
        }
        Err(error) => {
            let status = error.status();
            assert!((400..500).contains(&status), "{error:?} -> {status}");
            let _ = error.reply();
        }
    }

    // The other doors a request passes: cookie, idempotency key, callback query, host.
    if let Some(value) = session::from_cookie_header(extra, "127.0.0.1") {
        let _ = session::verify(value, "fuzz-session-secret-0123456789", 1_700_000_000_000);
    }
    let _ = session::verify(extra, "fuzz-session-secret-0123456789", 1_700_000_000_000);
    if idempotency::validate_key(extra).is_ok() {
        assert!(!extra.is_empty() && extra.len() <= 255);
    }
    let _ = headers::is_local_host(extra);
    let _ = client::address(client::Trust::Header, Some(extra));
    let pairs: Vec<(String, String)> = extra
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    let _ = callbacks::check(&pairs, Some("fuzz-callback-secret"), 1_700_000_000);
    let _ = upstream::redact(extra, "tok");
});
