//! Settling a write whose outcome was unknown, from what upstream shows now. Front Payment has
//! no idempotency of its own, so this is how a retry avoids a second order / refund / charge.
//!
//! - Creates: the order, if it was made, is an upstream order the index does not know (or
//!   learnt only from a sync since the attempt). Their details are compared with the request
//!   (customer name, email, phone, grand total, product lines); exactly one match → that order
//!   is adopted as the answer; none → send again; several → 409, a person must look.
//! - Cancel / Delayed charge: the order's status says whether it happened.
//! - Refund: the order's `refundedAmount` against the value recorded before the attempt.
//! - Resend: sending the link twice is harmless; it is simply sent again.

use frontdesk_core::{CreateOrder, Endpoint, Money, OrderStatus};
use serde_json::Value;

/// How to settle an endpoint's unknown outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// A create: look for an order upstream that the index does not know and that matches.
    FindCreated,
    /// Cancel, delayed charge, refund: the order's status (and refunded amount) says.
    ByStatus,
    /// Resend: harmless twice, so it is sent again.
    Resend,
}

/// The settlement for `endpoint`'s writes; `None` for reads.
pub const fn settlement(endpoint: Endpoint) -> Option<Settlement> {
    match endpoint {
        Endpoint::CreatePaymentLink
        | Endpoint::CreateInvoice
        | Endpoint::CreateEFaktura
        | Endpoint::CreateEhf => Some(Settlement::FindCreated),
        Endpoint::Cancel | Endpoint::DelayedCharge | Endpoint::Refund => Some(Settlement::ByStatus),
        Endpoint::Resend => Some(Settlement::Resend),
        _ => None,
    }
}

/// At most this many candidate orders are read in detail.
pub const MAX_CANDIDATES: usize = 25;

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    match cur {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn money(v: &Value, path: &[&str]) -> Option<Money> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    Money::from_json(cur).ok()
}

/// Does an order's details (`data` of Get Order Details) look like this create request?
pub fn details_match(request: &CreateOrder, details: &Value) -> bool {
    let c = &request.customer_details;
    let same = |want: Option<&str>, got: Option<String>| match want {
        Some(w) if !w.trim().is_empty() => got.is_some_and(|g| g.eq_ignore_ascii_case(w.trim())),
        _ => true,
    };
    let name_ok = same(
        Some(c.name.as_str()),
        text(details, &["customerDetails", "name"]),
    );
    let email_ok = same(
        c.email.as_deref(),
        text(details, &["customerDetails", "email"]),
    );
    let msisdn_ok = same(
        c.msisdn.as_deref(),
        text(details, &["customerDetails", "msisdn"]),
    );
    let total_ok =
        money(details, &["orderSummary", "grandTotal"]) == Some(request.order_summary.grand_total);
    let lines = details.get("productList").and_then(Value::as_array);
    let lines_ok = lines.is_some_and(|l| {
        l.len() == request.products.len()
            && l.iter().zip(&request.products).all(|(d, p)| {
                text(d, &["name"]).is_some_and(|n| n == p.name.trim())
                    && money(d, &["amount"]) == Some(p.amount)
            })
    });
    name_ok && email_ok && msisdn_ok && total_ok && lines_ok
}

/// The settled outcome of a create: the matching order ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    One {
        uuid: String,
        customer_uuid: Option<String>,
    },
    None,
    Ambiguous,
}

pub fn pick(matches: Vec<(String, Option<String>)>) -> Found {
    match matches.len() {
        0 => Found::None,
        1 => matches
            .into_iter()
            .next()
            .map_or(Found::None, |(uuid, customer_uuid)| Found::One {
                uuid,
                customer_uuid,
            }),
        _ => Found::Ambiguous,
    }
}

/// What a status-settled write looked like before the attempt (kept in the idempotency row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Baseline {
    pub refunded_ore: i64,
}

/// How a refund with an unknown outcome settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundOutcome {
    Done,
    NotDone,
    /// Cannot tell (another refund of the same order may explain the change): a person checks.
    Unresolved,
}

/// Settle a refund from `refundedAmount` now against the value read just before the attempt.
/// `others` says whether another refund of the same order went through the proxy since the
/// attempt (then a grown amount cannot be attributed to this one). Only an order whose refunds
/// grew by exactly this refund, with nobody else refunding it meanwhile, counts as done; an
/// amount that did not move means nothing happened.
pub fn refund_outcome(
    refunded_now: Money,
    baseline: Option<Baseline>,
    refund_total: Money,
    others: bool,
) -> RefundOutcome {
    let Some(b) = baseline else {
        return RefundOutcome::Unresolved;
    };
    let grew = refunded_now.ore().saturating_sub(b.refunded_ore);
    if grew <= 0 {
        RefundOutcome::NotDone
    } else if others {
        RefundOutcome::Unresolved
    } else if grew == refund_total.ore() {
        RefundOutcome::Done
    } else if grew < refund_total.ore() {
        // Someone else refunded less than ours, outside the proxy: ours did not happen.
        RefundOutcome::NotDone
    } else {
        RefundOutcome::Unresolved
    }
}

/// Did a cancel / delayed charge / refund take effect, judging by the order's status now?
pub fn took_effect(
    endpoint: Endpoint,
    status_now: OrderStatus,
    refunded_now: Money,
    baseline: Option<Baseline>,
    refund_total: Option<Money>,
) -> bool {
    match endpoint {
        Endpoint::Cancel => status_now == OrderStatus::Cancelled,
        Endpoint::DelayedCharge => matches!(
            status_now,
            OrderStatus::Paid | OrderStatus::PartialRefunded | OrderStatus::Refunded
        ),
        Endpoint::Refund => match (baseline, refund_total) {
            (Some(b), Some(t)) => refunded_now.ore() >= b.refunded_ore.saturating_add(t.ore()),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::OrderKind;
    use frontdesk_core::validate::{Context, validate_create};
    use serde_json::json;

    fn request() -> CreateOrder {
        let body = json!({
            "products": [{"name": "Hair Wash", "quantity": "1", "rate": 51, "discount": 0, "tax": "0", "amount": 51}],
            "orderSummary": {"subTotal": "51.00", "totalTax": "0.00", "totalDiscount": "0.00", "grandTotal": "51.00"},
            "orderDate": "1703040812",
            "customerDetails": {"type": "private", "countryCode": "+47", "msisdn": "46567468", "email": "kari@example.com",
                "name": "Kari Nordmann", "address": {"street": "Gate 1", "zip": "4313", "city": "Sandnes", "country": "NO"}},
            "invoiceAsPaymentOption": false,
        });
        match validate_create(OrderKind::PaymentLink, &body, &Context::new(1_703_040_000)) {
            Ok(v) => v.value,
            Err(r) => panic!("{:?}", r.to_error_map()),
        }
    }

    fn details(name: &str, total: &str) -> Value {
        json!({"orderId": "ODR1000000001", "status": "SENT",
            "productList": [{"id": 1, "name": "Hair Wash", "amount": 51.0}],
            "orderSummary": {"grandTotal": total},
            "customerDetails": {"uuid": "CSRT1000000001", "name": name, "email": "KARI@example.com", "msisdn": "46567468"}})
    }

    #[test]
    fn matching_creates() {
        let r = request();
        assert!(details_match(&r, &details("Kari Nordmann", "51.00")));
        assert!(!details_match(&r, &details("Ola Nordmann", "51.00")));
        assert!(!details_match(&r, &details("Kari Nordmann", "52.00")));
        assert!(!details_match(&r, &json!({})));
        assert_eq!(pick(vec![]), Found::None);
        assert_eq!(
            pick(vec![("a".into(), None)]),
            Found::One {
                uuid: "a".into(),
                customer_uuid: None
            }
        );
        assert_eq!(
            pick(vec![("a".into(), None), ("b".into(), None)]),
            Found::Ambiguous
        );
        assert_eq!(
            settlement(Endpoint::CreateEhf),
            Some(Settlement::FindCreated)
        );
        assert_eq!(settlement(Endpoint::Status), None);
    }

    #[test]
    fn refund_settling_never_credits_someone_elses_refund() {
        let b = Some(Baseline { refunded_ore: 1000 });
        let seven = Money(700);
        assert_eq!(
            refund_outcome(Money(1700), b, seven, false),
            RefundOutcome::Done
        );
        assert_eq!(
            refund_outcome(Money(1000), b, seven, true),
            RefundOutcome::NotDone
        );
        // Regression (reliability load test): 200 concurrent 7 kr refunds on one order with
        // faults; a refund that never happened was answered "done" because another one of the
        // same amount grew refundedAmount meanwhile.
        assert_eq!(
            refund_outcome(Money(1700), b, seven, true),
            RefundOutcome::Unresolved
        );
        assert_eq!(
            refund_outcome(Money(2400), b, seven, false),
            RefundOutcome::Unresolved
        );
        assert_eq!(
            refund_outcome(Money(1300), b, seven, false),
            RefundOutcome::NotDone
        );
        assert_eq!(
            refund_outcome(Money(1700), None, seven, false),
            RefundOutcome::Unresolved
        );
    }

    #[test]
    fn status_settling() {
        let z = Money::ZERO;
        assert!(took_effect(
            Endpoint::Cancel,
            OrderStatus::Cancelled,
            z,
            None,
            None
        ));
        assert!(!took_effect(
            Endpoint::Cancel,
            OrderStatus::Sent,
            z,
            None,
            None
        ));
        assert!(took_effect(
            Endpoint::DelayedCharge,
            OrderStatus::Paid,
            z,
            None,
            None
        ));
        assert!(!took_effect(
            Endpoint::DelayedCharge,
            OrderStatus::Reserved,
            z,
            None,
            None
        ));
        let b = Some(Baseline { refunded_ore: 1000 });
        assert!(took_effect(
            Endpoint::Refund,
            OrderStatus::PartialRefunded,
            Money(3000),
            b,
            Some(Money(2000))
        ));
        assert!(!took_effect(
            Endpoint::Refund,
            OrderStatus::Paid,
            Money(1000),
            b,
            Some(Money(2000))
        ));
        assert!(!took_effect(
            Endpoint::Refund,
            OrderStatus::Paid,
            Money(5000),
            None,
            Some(Money(2000))
        ));
    }
}
