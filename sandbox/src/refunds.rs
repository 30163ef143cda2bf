//! Applies core's refund rules ([`frontdesk_core::refund::check_refund`]) to a stored order.

use frontdesk_core::money::Money;
use frontdesk_core::refund::{
    MerchantLimits, RefundRejection, RefundableOrder, RefundableProduct, check_refund,
};
use frontdesk_core::requests::{RefundRequest, RefundType};
use frontdesk_core::status::OrderStatus;

use crate::store::{LineRow, OrderRow};
use frontdesk_core::lifecycle;

/// The refund `type` this stored order takes (core's rule).
pub fn expected_type(order: &OrderRow) -> RefundType {
    RefundType::for_order(order.invoice_number.is_some())
}

/// What a refund that passed the rules books: the amount per line, the total, and the
/// status the order moves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundBooking {
    /// (product id, amount) per request line.
    pub lines: Vec<(i64, Money)>,
    pub total: Money,
    pub new_status: OrderStatus,
}

/// Check `req` against the order's lines and the merchant limits, in the documented order.
pub fn plan(
    order: &OrderRow,
    lines: &[LineRow],
    req: &RefundRequest,
    limits: &MerchantLimits,
) -> Result<RefundBooking, RefundRejection> {
    let refundable = RefundableOrder {
        order_amount: order.amount,
        products: lines
            .iter()
            .map(|l| RefundableProduct {
                id: l.id,
                amount: l.amount,
                refunded: l.refunded,
            })
            .collect(),
    };
    check_refund(&refundable, req, limits)?;
    let total = req.grand_total;
    Ok(RefundBooking {
        lines: req.products.iter().map(|p| (p.id, p.amount)).collect(),
        total,
        new_status: lifecycle::after_refund(
            order.refunded.ore().saturating_add(total.ore()),
            order.amount.ore(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::status::OrderKind;
    use frontdesk_core::validate::{Context, validate_refund};
    use serde_json::json;

    fn order(refunded: i64) -> OrderRow {
        OrderRow {
            seq: 1,
            uuid: "ODR1000000001".into(),
            kind: OrderKind::PaymentLink,
            status: OrderStatus::Paid,
            customer_uuid: "CSRT1000000001".into(),
            invoice_number: None,
            invoice_option: false,
            order_date: 0,
            due_at: None,
            created_at: 0,
            amount: Money(30_100),
            refunded: Money(refunded),
            callback_url: None,
            request: "{}".into(),
        }
    }

    /// The order's two lines (ids 7 and 8), with what is refunded on each so far.
    fn lines(refunded: [i64; 2]) -> [LineRow; 2] {
        let line = |id, ore, done| LineRow {
            id,
            amount: Money(ore),
            refunded: Money(done),
        };
        [line(7, 5_100, refunded[0]), line(8, 25_000, refunded[1])]
    }

    /// A regular refund of `items` (product id, øre) as a client sends it, read by core's
    /// validation like every refund the sandbox books.
    fn req(items: &[(i64, i64)]) -> RefundRequest {
        let products: Vec<_> = items
            .iter()
            .map(|&(id, ore)| json!({"id": id, "amount": Money(ore)}))
            .collect();
        let total = Money(items.iter().map(|i| i.1).sum());
        let body = json!({"type": "regular", "grandTotal": total, "products": products});
        validate_refund(&body, &Context::new(0))
            .expect("a valid refund request")
            .value
    }

    #[test]
    fn partial_then_full() {
        let none = MerchantLimits::default();
        let p = plan(&order(0), &lines([0, 0]), &req(&[(8, 1_001)]), &none).unwrap();
        assert_eq!(
            (p.total, p.new_status),
            (Money(1_001), OrderStatus::PartialRefunded)
        );
        assert_eq!(p.lines, [(8, Money(1_001))]);
        let after_one = lines([0, 1_001]);
        let p = plan(
            &order(1_001),
            &after_one,
            &req(&[(7, 5_100), (8, 23_999)]),
            &none,
        )
        .unwrap();
        assert_eq!(
            (p.total, p.new_status),
            (Money(29_099), OrderStatus::Refunded)
        );
        assert_eq!(
            plan(&order(1_001), &after_one, &req(&[(9, 1)]), &none),
            Err(RefundRejection::ProductIdNotAvailable(9))
        );
    }

    #[test]
    fn types() {
        let mut o = order(0);
        assert_eq!(expected_type(&o), RefundType::Regular);
        o.invoice_number = Some("10000001".into());
        assert_eq!(expected_type(&o), RefundType::Invoiced);
    }
}
