//! Lifecycle through the API and the controls: each transition and each refusal.

mod common;

use common::{Sandbox, ehf, invoice, names, payment_link};
use serde_json::json;

const CB: &str = "http://127.0.0.1:9/cb";

fn msg(v: &serde_json::Value) -> &str {
    v["message"].as_str().unwrap_or_default()
}

#[test]
fn payment_link_paths() {
    let sb = Sandbox::start();
    let link = || sb.create("payment-link", &payment_link(None, false));

    // SENT → PAID; then cancel/resend/delayed charge refused as paid.
    let a = link();
    assert_eq!(sb.status_of(&a)["status"], "SENT");
    let (s, v) = sb.transition(&a, "PAID");
    assert_eq!(
        (s, v["data"]["status"].clone(), v["data"]["from"].clone()),
        (200, json!("PAID"), json!("SENT"))
    );
    for (path, body) in [
        ("cancel", json!({"cancellationNote": "x"})),
        ("resend", json!({"email": "a@b.no"})),
    ] {
        let (s, v) = sb.post(&format!("/api/v1/connect/orders/{path}/{a}"), &body);
        assert_eq!((s, msg(&v)), (400, "orderStatusAlreadyPaid"), "{path}");
    }
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/delayed/charge/{a}"),
        &json!({}),
    );
    assert_eq!((s, msg(&v)), (400, "orderStatusAlreadyPaid"));

    // SENT → resend ok → CANCELLED; then the cancelled refusals.
    let b = link();
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/resend/{b}"),
        &json!({"countryCode": "+47", "msisdn": "46567468"}),
    );
    assert_eq!((s, msg(&v)), (202, "resentOrderSuccessfully"));
    let (s, v) = sb.post(&format!("/api/v1/connect/orders/resend/{b}"), &json!({}));
    assert_eq!((s, msg(&v)), (417, "payloadValidationErrors"));
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/cancel/{b}"),
        &json!({"cancellationNote": "changed mind"}),
    );
    assert_eq!((s, msg(&v)), (202, "cancelledOrderSuccessfully"));
    assert_eq!(sb.status_of(&b)["status"], "CANCELLED");
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/cancel/{b}"),
        &json!({"cancellationNote": "again"}),
    );
    assert_eq!((s, msg(&v)), (400, "orderStatusAlreadyCancelled"));
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/resend/{b}"),
        &json!({"email": "a@b.no"}),
    );
    assert_eq!((s, msg(&v)), (400, "orderStatusAlreadyCancelled"));
    let (s, v) = sb.transition(&b, "PAID");
    assert_eq!((s, msg(&v)), (409, "transitionNotAllowed"));

    // SENT → RESERVED → delayed charge → PAID.
    let c = link();
    assert_eq!(sb.transition(&c, "RESERVED").0, 200);
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/resend/{c}"),
        &json!({"email": "a@b.no"}),
    );
    assert_eq!((s, msg(&v)), (400, "orderStatusNotAllowed"));
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/delayed/charge/{c}"),
        &json!({}),
    );
    assert_eq!((s, msg(&v)), (200, "orderDelayedChargedSuccessfully"));
    assert_eq!(sb.status_of(&c)["status"], "PAID");
    // Delayed charge of a SENT link is refused.
    let d = link();
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/delayed/charge/{d}"),
        &json!({}),
    );
    assert_eq!((s, msg(&v)), (400, "orderStatusNotAllowed"));
    // RESERVED → CANCELLED.
    assert_eq!(sb.transition(&d, "RESERVED").0, 200);
    let (s, _) = sb.post(
        &format!("/api/v1/connect/orders/cancel/{d}"),
        &json!({"cancellationNote": "release"}),
    );
    assert_eq!(s, 202);

    // SENT → INVOICED only with invoiceAsPaymentOption; it then has an invoice number.
    let e = link();
    assert_eq!(sb.transition(&e, "INVOICED").0, 409);
    let (s, v) = sb.get(&format!("/api/v1/connect/orders/invoice-number/{e}"));
    assert_eq!((s, msg(&v)), (400, "orderStatusNotAllowed"));
    let f = sb.create("payment-link", &payment_link(None, true));
    let (s, v) = sb.transition(&f, "INVOICED");
    assert_eq!(s, 200, "{v}");
    let (s, v) = sb.get(&format!("/api/v1/connect/orders/invoice-number/{f}"));
    assert_eq!((s, msg(&v)), (200, "orderInvoiceNoRetrievedSuccessfully"));
    assert_eq!(v["data"]["invoiceNumber"].as_str().unwrap().len(), 8);

    // Illegal jumps.
    let g = link();
    for to in [
        "REFUNDED",
        "PARTIAL REFUNDED",
        "REMINDER",
        "DEBT COLLECTION",
        "SENT",
        "COMPLETED",
    ] {
        assert_eq!(sb.transition(&g, to).0, 409, "SENT → {to}");
    }
    assert_eq!(sb.transition(&g, "bogus").0, 417);
    assert_eq!(sb.transition("ODR1000000001", "PAID").0, 404);
    sb.stop();
}

#[test]
fn expiry_by_clock() {
    let sb = Sandbox::start();
    let a = sb.create("payment-link", &payment_link(None, false));
    let inv = sb.create("invoice", &invoice(CB));
    let d = sb.details(&a);
    let due: i64 = d["paymentLinkDueDate"].as_str().unwrap().parse().unwrap();
    let date: i64 = d["orderDate"].as_str().unwrap().parse().unwrap();
    assert_eq!(due - date, 7 * 86_400);
    assert!(sb.details(&inv)["paymentLinkDueDate"].is_null());
    let (s, _) = sb.post("/_sandbox/clock", &json!({"advanceSeconds": 6 * 86_400}));
    assert_eq!(s, 200);
    assert_eq!(sb.status_of(&a)["status"], "SENT");
    let (s, v) = sb.post("/_sandbox/clock", &json!({"advanceSeconds": 2 * 86_400}));
    assert_eq!(s, 200);
    assert_eq!(v["data"]["offsetSeconds"], 8 * 86_400);
    assert_eq!(sb.status_of(&a)["status"], "EXPIRED");
    assert_eq!(sb.status_of(&inv)["status"], "INVOICED");
    let (s, v) = sb.transition(&a, "PAID");
    assert_eq!((s, msg(&v)), (409, "transitionNotAllowed"));
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/cancel/{a}"),
        &json!({"cancellationNote": "x"}),
    );
    assert_eq!((s, msg(&v)), (400, "orderStatusNotAllowed"));
    assert_eq!(
        sb.post("/_sandbox/clock", &json!({"advanceSeconds": -5})).0,
        417
    );
    // Reset forgets orders and the clock.
    assert_eq!(sb.post("/_sandbox/reset", &json!({})).0, 200);
    assert_eq!(sb.get(&format!("/api/v1/connect/orders/status/{a}")).0, 404);
    assert_eq!(sb.get("/_sandbox/clock").1["data"]["offsetSeconds"], 0);
    sb.stop();
}

#[test]
fn invoiced_kinds() {
    let sb = Sandbox::start();
    let a = sb.create("invoice", &invoice(CB));
    let b = sb.create("ehf", &ehf(CB));
    let na: u64 = sb.details(&a)["invoiceNumber"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let nb: u64 = sb.details(&b)["invoiceNumber"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(nb, na + 1, "sequential");
    assert_eq!(sb.details(&b)["type"], "EHF");
    assert_eq!(sb.details(&b)["customerDetails"]["type"], "corporate");
    let (s, v) = sb.post(
        &format!("/api/v1/connect/orders/resend/{a}"),
        &json!({"email": "a@b.no"}),
    );
    assert_eq!((s, msg(&v)), (400, "orderStatusNotAllowed"));
    // INVOICED → REMINDER → DEBT COLLECTION → PAID, invoice number throughout.
    for to in ["REMINDER", "DEBT COLLECTION", "PAID"] {
        let (s, v) = sb.transition(&a, to);
        assert_eq!(s, 200, "{to}: {v}");
        let (s, v) = sb.get(&format!("/api/v1/connect/orders/invoice-number/{a}"));
        assert_eq!((s, v["data"]["status"].as_str().unwrap()), (200, to));
        assert_eq!(v["data"]["invoiceNumber"], format!("{na:08}"));
    }
    // INVOICED → CANCELLED (credit note); then no invoice number.
    let (s, _) = sb.post(
        &format!("/api/v1/connect/orders/cancel/{b}"),
        &json!({"cancellationNote": "credit note"}),
    );
    assert_eq!(s, 202);
    let (s, v) = sb.get(&format!("/api/v1/connect/orders/invoice-number/{b}"));
    assert_eq!((s, msg(&v)), (400, "orderStatusNotAllowed"));
    let (s, v) = sb.get("/api/v1/connect/orders/invoice-number/ODR1000000001");
    assert_eq!((s, msg(&v)), (404, "orderNotFound"));

    // Filters.
    let (_, v) = sb.get("/api/v1/connect/orders/status?type=paid");
    assert_eq!(v["data"], json!([{"uuid": a, "status": "PAID"}]));
    let (_, v) = sb.get("/api/v1/connect/orders/status?type=Cancelled");
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    let (_, v) = sb.get("/api/v1/connect/orders/status");
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(v["message"], "Order Status Retrieved Successfully");
    let (s, v) = sb.get("/api/v1/connect/orders/status?type=WHATEVER");
    assert_eq!((s, names(&v, "type")), (417, true), "{v}");
    // A filter no order matches is 404 `Order Not Found`, as recorded, never 200 [].
    let (s, v) = sb.get("/api/v1/connect/orders/status?type=expired");
    assert_eq!((s, msg(&v)), (404, "Order Not Found"), "{v}");
    sb.stop();
}

#[test]
fn details_echo() {
    let sb = Sandbox::start();
    let a = sb.create("payment-link", &payment_link(Some(CB), false));
    let (s, v) = sb.get(&format!("/api/v1/connect/orders/details/{a}"));
    assert_eq!((s, msg(&v)), (200, "orderRetrievedSuccessfully"));
    let d = &v["data"];
    assert_eq!(d["type"], "PAYMENT_LINK");
    assert_eq!(d["orderId"], a.as_str());
    assert!(d["invoiceNumber"].is_null());
    assert_eq!(d["status"], "SENT");
    // The request sent the portal's 60.00; the details say the VAT due, after the discount
    // (core's summary: 25 % of 250.00).
    assert_eq!(
        d["orderSummary"],
        json!({"subTotal": 291, "tax": 50, "discount": 50, "grandTotal": 301})
    );
    let p = &d["productList"];
    assert_eq!(p.as_array().unwrap().len(), 2);
    assert!(p[0]["id"].is_i64() && p[1]["id"].as_i64() > p[0]["id"].as_i64());
    assert_eq!(p[1]["amount"], 250);
    assert_eq!(p[1]["tax"], 25);
    assert_eq!(p[1]["productId"], "COL2");
    let c = &d["customerDetails"];
    assert!(c["uuid"].as_str().unwrap().starts_with("CSRT"));
    assert_eq!(c["name"], "Ola Nordmann");
    assert_eq!(c["address"]["city"], "Oslo");
    // Same customer → same CSRT.
    let b = sb.create("payment-link", &payment_link(None, false));
    assert_eq!(sb.details(&b)["customerDetails"]["uuid"], c["uuid"]);
    assert_ne!(a, b);
    let st = sb.status_of(&a);
    assert_eq!(
        st,
        json!({"uuid": a, "status": "SENT", "orderAmount": 301, "refundedAmount": 0})
    );
    sb.stop();
}

#[test]
fn remaining_edges_through_the_controls() {
    let sb = Sandbox::start();
    // INVOICED → PAID → REFUNDED (the control refunds what is left).
    let a = sb.create("invoice", &invoice(CB));
    assert_eq!(sb.transition(&a, "PAID").0, 200);
    let (s, v) = sb.transition(&a, "REFUNDED");
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        sb.status_of(&a),
        json!({"uuid": a, "status": "REFUNDED", "orderAmount": 301, "refundedAmount": 301})
    );
    assert_eq!(sb.transition(&a, "PAID").0, 409);
    // REMINDER → CANCELLED; REMINDER → PAID; DEBT COLLECTION → CANCELLED.
    for path in [
        ["REMINDER", "CANCELLED"],
        ["REMINDER", "PAID"],
        ["REMINDER", "DEBT COLLECTION"],
    ] {
        let id = sb.create("invoice", &invoice(CB));
        for to in path {
            assert_eq!(sb.transition(&id, to).0, 200, "{path:?}");
        }
        assert_eq!(sb.status_of(&id)["status"], path[1]);
    }
    let (_, v) = sb.get("/api/v1/connect/orders/status?type=DEBT+COLLECTION");
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
    let id = v["data"][0]["uuid"].as_str().unwrap().to_owned();
    let (s, _) = sb.post(
        &format!("/api/v1/connect/orders/cancel/{id}"),
        &json!({"cancellationNote": "written off"}),
    );
    assert_eq!(s, 202);
    // Invoices never expire, reserve or go back to SENT.
    let b = sb.create("invoice", &invoice(CB));
    for to in ["EXPIRED", "RESERVED", "SENT", "DEBT COLLECTION"] {
        assert_eq!(sb.transition(&b, to).0, 409, "INVOICED → {to}");
    }
    sb.stop();
}
