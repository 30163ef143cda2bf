//! Auth, hostile bodies and paths: always a 4xx envelope, and the server keeps answering.

mod common;

use common::{Sandbox, names, payment_link};
use serde_json::{Value, json};

fn assert_envelope(v: &Value, status: u16, message: &str) {
    assert_eq!(v["status_code"], status, "{v}");
    assert_eq!(v["message"], message, "{v}");
    assert!(
        v.get("is_error").is_some() || v.get("is_data").is_some(),
        "{v}"
    );
}

fn still_alive(sb: &Sandbox) {
    let (s, v) = sb.raw("GET", "/health", None, &[], false).unwrap();
    assert_eq!((s, v), (200, json!({"status": "ok"})));
    sb.order_count(); // 200, or 404 `Order Not Found` when there are none
}

#[test]
fn auth() {
    let sb = Sandbox::start();
    let (s, v) = sb
        .raw("GET", "/api/v1/connect/orders/status", None, &[], false)
        .unwrap();
    assert_eq!(s, 401);
    assert_envelope(&v, 401, "unauthenticated");
    for bad in [
        "Bearer wrong",
        "Bearer test-toke",
        "Bearer test-token2",
        "Basic dGVzdA==",
        "test-token",
        "Bearer ",
    ] {
        let (s, v) = sb
            .raw(
                "GET",
                "/api/v1/connect/orders/status",
                None,
                &[("Authorization", bad)],
                false,
            )
            .unwrap();
        assert_eq!(s, 401, "{bad}: {v}");
    }
    let (s, _) = sb.raw("POST", "/_sandbox/reset", None, &[], false).unwrap();
    assert_eq!(s, 401);
    // No auth needed for health or the OpenAPI document.
    let (s, v) = sb.raw("GET", "/openapi.json", None, &[], false).unwrap();
    assert_eq!(s, 200);
    assert!(
        v["paths"]
            .as_object()
            .is_some_and(|p| p.keys().any(|k| k.contains("/connect/orders/"))),
        "{v}"
    );
    still_alive(&sb);
    sb.stop();
}

#[test]
fn hostile_bodies() {
    let sb = Sandbox::start();
    let create = "/api/v1/connect/orders/payment-link/create";
    let body = payment_link(None, false).to_string();

    let (s, v) = sb
        .raw(
            "POST",
            create,
            Some(body.clone()),
            &[("Content-Type", "text/plain")],
            true,
        )
        .unwrap();
    assert_eq!(s, 415);
    assert_envelope(&v, 415, "unsupportedMediaType");

    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let (s, v) = sb.raw("POST", create, Some(big), &[], true).unwrap();
    assert_eq!(s, 413);
    assert_envelope(&v, 413, "payloadTooLarge");

    for bad in ["{", "{\"products\": [}", "nul", "\u{1}"] {
        let (s, v) = sb
            .raw("POST", create, Some(bad.to_owned()), &[], true)
            .unwrap();
        assert_eq!(s, 422, "{bad:?}: {v}");
        assert_envelope(&v, 422, "malformedJson");
    }

    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (s, v) = sb.raw("POST", create, Some(deep), &[], true).unwrap();
    assert_eq!(s, 422, "{v}");
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    let (s, _) = sb
        .raw(
            "POST",
            "/api/v1/connect/orders/cancel/ODR1000000001",
            Some(deep_obj),
            &[],
            true,
        )
        .unwrap();
    assert_eq!(s, 422);

    // JSON that is not an object: validation names what is missing.
    let (s, v) = sb
        .raw("POST", create, Some("[1,2]".into()), &[], true)
        .unwrap();
    assert_eq!(s, 417, "{v}");
    assert!(names(&v, "products"), "{v}");
    // Empty body reads as {}.
    let (s, v) = sb
        .raw(
            "POST",
            "/api/v1/connect/orders/cancel/ODR1000000001",
            Some(String::new()),
            &[],
            true,
        )
        .unwrap();
    assert_eq!(s, 417, "{v}");
    assert!(names(&v, "cancellationNote"), "{v}");
    still_alive(&sb);
    sb.stop();
}

/// An expected answer (status, message) and the (method, path) requests that get it.
type Expected<'a> = (u16, &'a str, &'a [(&'a str, &'a str)]);

#[test]
fn hostile_paths_and_methods() {
    let sb = Sandbox::start();
    // The answer, and the requests that get it. Not an order id: not found, in the endpoint's
    // own words.
    let cases: [Expected; 4] = [
        (
            404,
            "Order Not Found",
            &[("GET", "/api/v1/connect/orders/status/ODR12")],
        ),
        (
            404,
            "orderNotFound",
            &[
                ("GET", "/api/v1/connect/orders/details/odr1000000001"),
                ("POST", "/_sandbox/orders/ODR12/transition"),
                ("GET", "/_sandbox/orders/ODR12/callbacks"),
            ],
        ),
        (
            404,
            "routeNotFound",
            &[
                ("GET", "/api/v1/connect/orders/status/..%2F"),
                (
                    "GET",
                    "/api/v1/connect/orders/status/..%2F..%2Fetc%2Fpasswd",
                ),
                ("POST", "/api/v1/connect/orders/cancel/ODR1000000001%00"),
                ("GET", "/api/v1/connect/orders/status/ODR1000000001/x"),
                ("GET", "/api/v1/connect/orders/nope"),
                ("GET", "/nope"),
                ("GET", "/"),
                ("GET", "/_sandbox/nope"),
            ],
        ),
        (
            405,
            "methodNotAllowed",
            &[
                ("GET", "/api/v1/connect/orders/payment-link/create"),
                ("DELETE", "/api/v1/connect/orders/status"),
                ("PUT", "/api/v1/connect/orders/cancel/ODR1000000001"),
                ("POST", "/health"),
                ("GET", "/_sandbox/reset"),
            ],
        ),
    ];
    for (status, message, requests) in cases {
        for &(method, path) in requests {
            let body = (method == "POST").then(|| "{}".to_owned());
            let (s, v) = sb
                .raw(method, path, body, &[], true)
                .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
            assert_eq!(s, status, "{method} {path}: {v}");
            assert_envelope(&v, status, message);
        }
    }
    // An unknown fault header value is refused, not ignored.
    let (s, v) = sb
        .send(
            "GET",
            "/api/v1/connect/orders/status",
            None,
            &[("X-Sandbox-Fault", "explode")],
        )
        .unwrap();
    assert_eq!(s, 417, "{v}");
    still_alive(&sb);
    sb.stop();
}

#[test]
fn duplicate_keys_are_refused_and_create_nothing() {
    let sb = Sandbox::start();
    let create = "/api/v1/connect/orders/payment-link/create";
    let count = Sandbox::order_count;
    let before = count(&sb);
    let body = payment_link(None, false).to_string();
    let name = r#""name":"Ola Nordmann""#;
    assert!(
        body.contains(r#""products":["#) && body.contains(name),
        "{body}"
    );
    for (text, key) in [
        (
            body.replacen(r#""products":["#, r#""products":"x","products":["#, 1),
            "products",
        ),
        (
            body.replacen(name, &format!(r#"{name},"name":"Kari Nordmann""#), 1),
            "name",
        ),
    ] {
        let (s, v) = sb
            .raw("POST", create, Some(text.clone()), &[], true)
            .unwrap();
        assert_eq!(s, 422, "{text}: {v}");
        assert_envelope(&v, 422, "malformedJson");
        assert_eq!(v["is_error"], true, "{v}");
        let detail = v["errors"][0].as_str().unwrap_or_default();
        assert!(
            detail.contains(&format!("duplicate key \"{key}\"")),
            "{detail}"
        );
    }
    assert_eq!(count(&sb), before, "nothing was created");
    // The same name in different objects (every product line and the customer have a `name`)
    // is not a duplicate.
    let (s, v) = sb.raw("POST", create, Some(body), &[], true).unwrap();
    assert_eq!(s, 201, "{v}");
    assert_eq!(count(&sb), before + 1);
    still_alive(&sb);
    sb.stop();
}
