//! Restarts keep state; concurrent creates stay distinct.

mod common;

use std::collections::HashSet;

use common::{Sandbox, config, payment_link};
use frontdesk_sandbox::Db;
use serde_json::json;

#[test]
fn restart_keeps_orders_clock_and_invoice_numbers() {
    let dir = std::env::temp_dir().join(format!(
        "frontdesk-sandbox-test-{}-{}",
        std::process::id(),
        common::now()
    ));
    let path = dir.join("nested").join("sandbox.sqlite");
    let sb = Sandbox::with(config(), Db::File(path.clone()));
    let a = sb.create("payment-link", &payment_link(None, false));
    let inv = sb.create("invoice", &common::invoice("http://127.0.0.1:9/cb"));
    assert_eq!(sb.transition(&a, "PAID").0, 200);
    let p1 = sb.details(&a)["productList"][1]["id"].as_i64().unwrap();
    let (s, _) = sb.post(&format!("/api/v1/connect/orders/refund/{a}"), &json!({"type": "regular", "grandTotal": "12.34", "products": [{"id": p1, "amount": "12.34"}]}));
    assert_eq!(s, 202);
    assert_eq!(
        sb.post("/_sandbox/clock", &json!({"advanceSeconds": 3600}))
            .0,
        200
    );
    let before = (sb.details(&a), sb.details(&inv), sb.status_of(&a));
    sb.stop();

    let sb = Sandbox::with(config(), Db::File(path.clone()));
    assert_eq!((sb.details(&a), sb.details(&inv), sb.status_of(&a)), before);
    assert_eq!(sb.status_of(&a)["refundedAmount"], json!(12.34));
    assert_eq!(sb.get("/_sandbox/clock").1["data"]["offsetSeconds"], 3600);
    let inv2 = sb.create("invoice", &common::invoice("http://127.0.0.1:9/cb"));
    let n1: u64 = before.1["invoiceNumber"].as_str().unwrap().parse().unwrap();
    let n2: u64 = sb.details(&inv2)["invoiceNumber"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(n2, n1 + 1);
    sb.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_hundred_concurrent_creates() {
    let sb = Sandbox::start();
    let body = payment_link(None, false);
    let ids: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..200)
            .map(|_| s.spawn(|| sb.create("payment-link", &body)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 200);
    for id in &ids {
        assert!(
            id.starts_with("ODR") && id.len() == 13 && id[3..].bytes().all(|b| b.is_ascii_digit()),
            "{id}"
        );
    }
    let (_, v) = sb.get("/api/v1/connect/orders/status");
    assert_eq!(v["data"].as_array().unwrap().len(), 200);
    sb.stop();
}
