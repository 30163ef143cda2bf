//! The merchant's rate limit (Laravel's `throttle:N,1`) and the headers every API answer carries.

mod common;

use common::{Answer, Sandbox, config, config_in, payment_link, payment_link_in};
use frontdesk_core::dialect::Dialect;
use frontdesk_core::envelope::{
    ApiMessage, DEFAULT_RATE_LIMIT, RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING,
};
use frontdesk_sandbox::Db;
use serde_json::json;

const STATUS: &str = "/api/v1/connect/orders/status";
const CREATE: &str = "/api/v1/connect/orders/payment-link/create";

fn get(sb: &Sandbox, path: &str) -> Answer {
    sb.exchange("GET", path, None, &[], true).expect("answered")
}

fn post(sb: &Sandbox, path: &str, body: String) -> Answer {
    sb.exchange("POST", path, Some(body), &[], true)
        .expect("answered")
}

#[test]
fn past_the_limit_is_429_until_the_window_closes() {
    let mut c = config();
    c.rate_limit = 3;
    let sb = Sandbox::with(c, Db::Memory);
    for left in ["2", "1", "0"] {
        let a = get(&sb, STATUS);
        assert_eq!(a.status, 404, "{}", a.body); // no orders yet
        assert_eq!(a.header(RATE_LIMIT_LIMIT), Some("3"));
        assert_eq!(a.header(RATE_LIMIT_REMAINING), Some(left));
        // Controls, health and refused tokens do not count.
        assert_eq!(sb.get("/_sandbox/clock").0, 200);
        assert_eq!(sb.raw("GET", "/health", None, &[], false).unwrap().0, 200);
        assert_eq!(sb.raw("GET", STATUS, None, &[], false).unwrap().0, 401);
    }
    let a = post(&sb, CREATE, payment_link(None, false).to_string());
    assert_eq!(a.status, 429, "{}", a.body);
    assert_eq!(a.body["status_code"], 429);
    assert_eq!(a.body["status_message"], "Too Many Requests");
    assert_eq!(a.body["message"], ApiMessage::TooManyRequests.as_str());
    assert_eq!(a.header(RATE_LIMIT_LIMIT), Some("3"));
    assert_eq!(a.header(RATE_LIMIT_REMAINING), Some("0"));
    let retry: u64 = a
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(a.header("cache-control"), Some("no-cache, private"));
    // Any API request is refused now, a malformed one too.
    assert_eq!(post(&sb, CREATE, "{".into()).status, 429);
    assert_eq!(
        sb.rate_limit(None),
        json!({"perMinute": 3, "windowRequests": 3, "totalRequests": 5, "limitedRequests": 2})
    );
    // The refused create did nothing.
    sb.rate_limit(Some(0));
    assert_eq!(sb.order_count(), 0);
    // Off: no rate headers, never a 429.
    let a = get(&sb, STATUS);
    assert_eq!((a.status, a.header(RATE_LIMIT_LIMIT)), (404, None));
    // Turned on at run time: a fresh window.
    sb.rate_limit(Some(2));
    let a = get(&sb, STATUS);
    assert_eq!(a.header(RATE_LIMIT_REMAINING), Some("1"));
    assert_eq!(sb.rate_limit(None)["windowRequests"], 1);
    sb.stop();
}

#[test]
fn every_api_answer_carries_the_live_headers() {
    for dialect in Dialect::ALL {
        let mut c = config_in(dialect);
        c.rate_limit = DEFAULT_RATE_LIMIT;
        let sb = Sandbox::with(c, Db::Memory);
        let created = post(&sb, CREATE, payment_link_in(dialect).to_string());
        assert_eq!(created.status, 201, "{dialect}: {}", created.body);
        let id = created.body["data"]["uuid"].as_str().unwrap().to_owned();
        // 201, 417, 422, 200 (list), 200 (one), 404 (order), 404 (route), 405.
        let answers = [
            created,
            post(&sb, CREATE, "{}".into()),
            post(&sb, CREATE, "{".into()),
            get(&sb, STATUS),
            get(&sb, &format!("{STATUS}/{id}")),
            get(&sb, "/api/v1/connect/orders/details/ODR1000000001"),
            get(&sb, "/api/v1/connect/orders/nope"),
            get(&sb, CREATE),
        ];
        let mut last = DEFAULT_RATE_LIMIT;
        for a in &answers {
            let at = format!("{dialect} {}: {}", a.status, a.body);
            assert_eq!(a.header("content-type"), Some("application/json"), "{at}");
            assert_eq!(a.header("cache-control"), Some("no-cache, private"), "{at}");
            assert_eq!(a.header("access-control-allow-origin"), Some("*"), "{at}");
            assert_eq!(a.header(RATE_LIMIT_LIMIT), Some("240"), "{at}");
            let left: u32 = a.header(RATE_LIMIT_REMAINING).unwrap().parse().unwrap();
            assert_eq!(left, last - 1, "{at}: counts down by one");
            last = left;
        }
        let stats = sb.rate_limit(None);
        assert_eq!(stats["totalRequests"], answers.len());
        sb.stop();
    }
}
