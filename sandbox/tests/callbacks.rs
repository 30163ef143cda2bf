//! Callbacks checked by an independent receiver that recomputes the checksum itself.

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{SECRET, Sandbox, payment_link};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A receiver at `/hook?shop=7` (a query of the merchant's own) answering `status`.
fn receiver(status: u16) -> (String, mpsc::Receiver<String>) {
    common::receiver("/hook?shop=7", format!("HTTP/1.1 {status} X"))
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Verify like a merchant would: every parameter but `checksum`, in URL order, then the secret.
fn verify(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').unwrap().1;
    let params: Vec<(String, String)> = query
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_owned(), decode(v))
        })
        .collect();
    let mut h = Sha256::new();
    for (k, v) in &params {
        if k != "checksum" {
            h.update(v.as_bytes());
        }
    }
    h.update(SECRET.as_bytes());
    let want: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let got = &params.iter().find(|p| p.0 == "checksum").unwrap().1;
    assert_eq!(got, &want, "checksum of {target}");
    params
}

fn wait_log(sb: &Sandbox, id: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (s, v) = sb.get(&format!("/_sandbox/orders/{id}/callbacks"));
        assert_eq!(s, 200);
        if pred(&v["data"]) {
            return v["data"].clone();
        }
        assert!(Instant::now() < deadline, "callback log never matched: {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn delivered_with_a_valid_checksum() {
    let (url, rx) = receiver(200);
    let sb = Sandbox::start();
    let id = sb.create("payment-link", &payment_link(Some(&url), false));
    // Creation is not a change: nothing is sent.
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    assert_eq!(sb.transition(&id, "PAID").0, 200);
    let p1 = sb.details(&id)["productList"][1]["id"].as_i64().unwrap();
    let (s, _) = sb.post(
        &format!("/api/v1/connect/orders/refund/{id}"),
        &json!({"type": "regular", "grandTotal": 1, "products": [{"id": p1, "amount": 1}]}),
    );
    assert_eq!(s, 202);
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let target = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("callback arrives");
        assert!(target.starts_with("/hook?shop=7&orderUuid="), "{target}");
        let params = verify(&target);
        let names: Vec<&str> = params.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "shop",
                "orderUuid",
                "status",
                "createdAt",
                "paymentMethod",
                "amount",
                "timestamp",
                "checksum"
            ]
        );
        assert_eq!(params[0].1, "7");
        assert_eq!(params[1].1, id);
        assert_eq!(params[4].1, "CARD");
        assert_eq!(params[5].1, "301.00");
        let ts: i64 = params[6].1.parse().unwrap();
        assert!((ts - common::now()).abs() < 30);
        statuses.push(params[2].1.clone());
    }
    statuses.sort();
    assert_eq!(statuses, ["PAID", "PARTIAL REFUNDED"]);
    let log = wait_log(&sb, &id, |d| {
        d.as_array()
            .is_some_and(|a| a.len() == 2 && a.iter().all(|c| c["state"] == "delivered"))
    });
    assert_eq!(log[0]["attempts"][0]["httpStatus"], 200);
    sb.stop();
}

#[test]
fn retries_then_fails_and_logs_each_attempt() {
    let (url, rx) = receiver(503);
    let sb = Sandbox::start(); // 3 attempts, 50 ms base backoff
    let id = sb.create("payment-link", &payment_link(Some(&url), false));
    let started = Instant::now();
    assert_eq!(sb.transition(&id, "CANCELLED").0, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a failing receiver must not slow the API"
    );
    let log = wait_log(&sb, &id, |d| d[0]["state"] == "failed");
    let attempts = log[0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    for (i, a) in attempts.iter().enumerate() {
        assert_eq!(a["attempt"], i as i64 + 1);
        assert_eq!(a["httpStatus"], 503);
        assert!(a["error"].as_str().unwrap().contains("503"));
    }
    assert!(attempts[2]["at"].as_i64() > attempts[0]["at"].as_i64());
    assert_eq!(rx.try_iter().count(), 3);
    // https cannot be delivered without TLS: attempted and logged as failed.
    let tls = sb.create(
        "payment-link",
        &payment_link(Some("https://127.0.0.1:1/cb"), false),
    );
    assert_eq!(sb.transition(&tls, "PAID").0, 200);
    let log = wait_log(&sb, &tls, |d| d[0]["state"] == "failed");
    assert!(log[0]["attempts"][0]["error"].as_str().is_some());
    assert!(log[0]["attempts"][0]["httpStatus"].is_null());
    sb.stop();
}
