//! Refund arithmetic to the øre and every rejection, in the documented order.

mod common;

use common::{Sandbox, config, invoice, names, payment_link};
use frontdesk_core::money::Money;
use frontdesk_sandbox::Db;
use serde_json::{Value, json};

fn paid_link(sb: &Sandbox) -> (String, i64, i64) {
    let id = sb.create("payment-link", &payment_link(None, false));
    assert_eq!(sb.transition(&id, "PAID").0, 200);
    let d = sb.details(&id);
    (
        id,
        d["productList"][0]["id"].as_i64().unwrap(),
        d["productList"][1]["id"].as_i64().unwrap(),
    )
}

fn refund(sb: &Sandbox, id: &str, kind: &str, lines: &[(i64, &str)]) -> (u16, Value) {
    let total: i64 = lines
        .iter()
        .map(|l| Money::parse_non_negative(l.1).unwrap().ore())
        .sum();
    let body = json!({
        "type": kind,
        "grandTotal": Money(total).to_api_string(),
        "products": lines.iter().map(|(pid, a)| json!({"id": pid, "amount": a})).collect::<Vec<_>>(),
    });
    sb.post(&format!("/api/v1/connect/orders/refund/{id}"), &body)
}

#[test]
fn partial_refunds_to_the_ore() {
    let sb = Sandbox::start();
    let (id, p0, p1) = paid_link(&sb);
    let (s, v) = refund(&sb, &id, "regular", &[(p1, "0.01")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (202, "orderRefundedSuccessfully")
    );
    assert_eq!(
        sb.status_of(&id),
        json!({"uuid": id, "status": "PARTIAL REFUNDED", "orderAmount": 301, "refundedAmount": 0.01})
    );
    assert_eq!(
        refund(&sb, &id, "regular", &[(p0, "10.10"), (p1, "99.99")]).0,
        202
    );
    assert_eq!(sb.status_of(&id)["refundedAmount"], json!(110.1));
    assert_eq!(
        refund(&sb, &id, "regular", &[(p1, "0.33"), (p1, "0.33")]).0,
        202
    );
    assert_eq!(sb.status_of(&id)["refundedAmount"], json!(110.76));
    // Left: line 0 40.90, line 1 149.34 → 190.24; one øre too much on line 1 is refused.
    let (s, v) = refund(&sb, &id, "regular", &[(p1, "149.35")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForProductAmountExceed")
    );
    let (s, v) = refund(&sb, &id, "regular", &[(p0, "40.90"), (p1, "149.35")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForRefundRequestGreaterThanOrderAmount")
    );
    assert_eq!(
        sb.status_of(&id)["refundedAmount"],
        json!(110.76),
        "a refused refund books nothing"
    );
    assert_eq!(
        refund(&sb, &id, "regular", &[(p0, "40.90"), (p1, "149.34")]).0,
        202
    );
    assert_eq!(
        sb.status_of(&id),
        json!({"uuid": id, "status": "REFUNDED", "orderAmount": 301, "refundedAmount": 301})
    );
    let (s, v) = refund(&sb, &id, "regular", &[(p0, "0.01")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForRefundRequestGreaterThanOrderAmount")
    );
    let (_, v) = sb.get("/api/v1/connect/orders/status?type=REFUNDED");
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    sb.stop();
}

#[test]
fn rejections() {
    let sb = Sandbox::start();
    let (id, p0, _) = paid_link(&sb);
    let (s, v) = refund(&sb, &id, "regular", &[(999_999, "1")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "requestProductIdNotAvailable")
    );
    // Order level comes first, even with an unknown id.
    let (s, v) = refund(&sb, &id, "regular", &[(999_999, "400")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForRefundRequestGreaterThanOrderAmount")
    );
    let (s, v) = refund(&sb, &id, "regular", &[(p0, "51.01")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForProductAmountExceed")
    );
    // Wrong type for a payment link.
    let (s, v) = refund(&sb, &id, "invoiced", &[(p0, "1")]);
    assert_eq!(s, 417);
    assert!(names(&v, "type"), "{v}");
    // Payload rules: grandTotal must be the sum.
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/refund/{id}"),
        &json!({"type": "regular", "grandTotal": 5, "products": [{"id": p0, "amount": 4}]}),
    );
    assert_eq!(s, 417);
    assert!(names(&v, "grandTotal"), "{v}");
    // Not refundable yet: SENT; cancelled.
    let sent = sb.create("payment-link", &payment_link(None, false));
    let d = sb.details(&sent);
    let sp = d["productList"][0]["id"].as_i64().unwrap();
    let (s, v) = refund(&sb, &sent, "regular", &[(sp, "1")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "orderStatusNotAllowed")
    );
    sb.post(
        &format!("/api/v1/connect/orders/cancel/{sent}"),
        &json!({"cancellationNote": "x"}),
    );
    let (s, v) = refund(&sb, &sent, "regular", &[(sp, "1")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "orderStatusAlreadyCancelled")
    );
    assert_eq!(refund(&sb, "ODR1000000001", "regular", &[(1, "1")]).0, 404);
    // Invoices refund with type invoiced once paid.
    let inv = sb.create("invoice", &invoice("http://127.0.0.1:9/cb"));
    let ip = sb.details(&inv)["productList"][1]["id"].as_i64().unwrap();
    let (s, v) = refund(&sb, &inv, "invoiced", &[(ip, "1")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "orderStatusNotAllowed")
    );
    assert_eq!(sb.transition(&inv, "PAID").0, 200);
    assert_eq!(refund(&sb, &inv, "regular", &[(ip, "1")]).0, 417);
    assert_eq!(refund(&sb, &inv, "invoiced", &[(ip, "1")]).0, 202);
    assert_eq!(
        sb.get(&format!("/api/v1/connect/orders/invoice-number/{inv}"))
            .1["data"]["status"],
        "PARTIAL REFUNDED"
    );
    sb.stop();
}

#[test]
fn merchant_thresholds() {
    let mut c = config();
    c.refund_limit = Some(Money::from_kroner(100));
    c.weekly_refund_limit = Some(Money::from_kroner(150));
    let sb = Sandbox::with(c, Db::Memory);
    let (a, _, a1) = paid_link(&sb);
    let (b, _, b1) = paid_link(&sb);
    let (s, v) = refund(&sb, &a, "regular", &[(a1, "100.01")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForRequestAmountThresholdExceed")
    );
    // Per product beats the limits.
    let (s, v) = refund(&sb, &a, "regular", &[(a1, "250.01")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForProductAmountExceed")
    );
    assert_eq!(refund(&sb, &a, "regular", &[(a1, "100")]).0, 202);
    let (s, v) = refund(&sb, &b, "regular", &[(b1, "50.01")]);
    assert_eq!(
        (s, v["message"].as_str().unwrap()),
        (400, "refundRejectionForWeeklyThresholdExceed")
    );
    assert_eq!(refund(&sb, &b, "regular", &[(b1, "50")]).0, 202);
    // A week later the window is empty again.
    assert_eq!(
        sb.post(
            "/_sandbox/clock",
            &json!({"advanceSeconds": 7 * 86_400 + 1})
        )
        .0,
        200
    );
    assert_eq!(refund(&sb, &b, "regular", &[(b1, "100")]).0, 202);
    assert_eq!(sb.status_of(&b)["refundedAmount"], 150);
    sb.stop();
}
