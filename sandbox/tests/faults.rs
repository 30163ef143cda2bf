//! Every fault mode, and whether the write happened.

mod common;

use std::time::{Duration, Instant};

use common::{Sandbox, payment_link};
use serde_json::{Value, json};

const CREATE: &str = "/api/v1/connect/orders/payment-link/create";

fn count(sb: &Sandbox) -> usize {
    sb.order_count()
}

fn create_with(sb: &Sandbox, fault: &str) -> Result<(u16, Value), ureq::Error> {
    sb.send(
        "POST",
        CREATE,
        Some(&payment_link(None, false)),
        &[("X-Sandbox-Fault", fault)],
    )
}

#[test]
fn server_errors_before_and_after_commit() {
    let sb = Sandbox::start();
    let (s, v) = create_with(&sb, "500").unwrap();
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (500, "internalErrorOccurredPleaseTryAgainLater")
    );
    assert_eq!(v["status_message"], "Internal Dependency Error");
    assert!(
        v["errors"]["happenedAt"].is_string() && v["errors"]["internalErrorDetails"].is_array()
    );
    assert_eq!(count(&sb), 1, "500 is answered after the commit");
    let (s, v) = create_with(&sb, "510").unwrap();
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (510, "somethingWentWrong")
    );
    assert_eq!(v["status_message"], "Execution Exception Occurred");
    assert_eq!(count(&sb), 1, "510 does nothing");
    assert_eq!(create_with(&sb, "500;before").unwrap().0, 500);
    assert_eq!(count(&sb), 1);
    assert_eq!(create_with(&sb, "510;after").unwrap().0, 510);
    assert_eq!(count(&sb), 2);
    // Faults apply to reads too, and to state changes (cancel after the 500 did happen).
    let id = sb.get("/api/v1/connect/orders/status").1["data"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, _) = sb
        .send(
            "POST",
            &format!("/api/v1/connect/orders/cancel/{id}"),
            Some(&json!({"cancellationNote": "x"})),
            &[("X-Sandbox-Fault", "500")],
        )
        .unwrap();
    assert_eq!(s, 500);
    assert_eq!(sb.status_of(&id)["status"], "CANCELLED");
    sb.stop();
}

#[test]
fn drop_and_timeout_do_nothing() {
    let sb = Sandbox::start(); // fault_timeout = 2 s in tests
    let started = Instant::now();
    let r = create_with(&sb, "drop");
    assert!(r.is_err(), "drop answers nothing: {r:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(count(&sb), 0);

    let started = Instant::now();
    let r = create_with(&sb, "timeout");
    assert!(r.is_err(), "timeout answers nothing: {r:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "held {:?}",
        started.elapsed()
    );
    assert_eq!(count(&sb), 0);

    // A client that gives up first: the request still does nothing.
    let impatient = common::agent(Duration::from_millis(300));
    let req = axum::http::Request::post(format!("{}{CREATE}", sb.base))
        .header("Authorization", format!("Bearer {}", common::TOKEN))
        .header("Content-Type", "application/json")
        .header("X-Sandbox-Fault", "timeout")
        .body(payment_link(None, false).to_string())
        .unwrap();
    assert!(impatient.run(req).is_err());
    std::thread::sleep(Duration::from_millis(2200));
    assert_eq!(count(&sb), 0);
    sb.stop();
}

#[test]
fn slow_and_badjson_do_the_work() {
    let sb = Sandbox::start();
    let started = Instant::now();
    let (s, v) = create_with(&sb, "slow=400").unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (201, "orderAddedSuccessfully")
    );
    assert_eq!(count(&sb), 1);

    let (s, v) = create_with(&sb, "badjson").unwrap();
    assert_eq!(s, 201);
    let text = v.as_str().expect("not JSON");
    assert!(serde_json::from_str::<Value>(text).is_err());
    assert!(text.starts_with("{"));
    assert_eq!(count(&sb), 2);
    sb.stop();
}

#[test]
fn random_faults_at_full_rate() {
    let mut c = common::config();
    c.fault_rate = 1.0;
    c.fault_timeout = Duration::from_millis(200);
    let sb = Sandbox::with(c, frontdesk_sandbox::Db::Memory);
    let mut outcomes = std::collections::HashSet::new();
    for _ in 0..40 {
        match sb.send("GET", "/api/v1/connect/orders/status", None, &[]) {
            Ok((s, v)) if v.is_string() => outcomes.insert(format!("{s} text")),
            Ok((s, _)) => outcomes.insert(s.to_string()),
            Err(_) => outcomes.insert("no answer".into()),
        };
    }
    assert!(outcomes.len() >= 3, "{outcomes:?}");
    // Controls and health are never faulted.
    assert_eq!(sb.get("/_sandbox/clock").0, 200);
    sb.stop();
}
