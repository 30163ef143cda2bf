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
    /// (product id, øre) per request line.
    pub lines: Vec<(i64, i64)>,
    pub total: i64,
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
        order_amount: Money(order.amount),
        products: lines
            .iter()
            .map(|l| RefundableProduct {
                id: l.id,
                amount: Money(l.amount),
                refunded: Money(l.refunded),
            })
            .collect(),
    };
    check_refund(&refundable, req, limits)?;
    let total = req.grand_total.ore();
    Ok(RefundBooking {
        lines: req
            .products
            .iter()
            .map(|p| (p.id, p.amount.ore()))
            .collect(),
        total,
        new_status: lifecycle::after_refund(order.refunded.saturating_add(total), order.amount),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::requests::RefundProduct;
    use frontdesk_core::status::OrderKind;

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
            amount: 30_100,
            refunded,
            callback_url: None,
            request: "{}".into(),
        }
    }

    fn req(items: &[(i64, i64)]) -> RefundRequest {
        RefundRequest {
            refund_type: RefundType::Regular,
            grand_total: Money(items.iter().map(|i| i.1).sum()),
            products: items
                .iter()
                .map(|&(id, a)| RefundProduct {
                    id,
                    amount: Money(a),
                })
                .collect(),
        }
    }

    #[test]
    fn partial_then_full() {
        let lines = [
            LineRow {
                id: 7,
                amount: 5_100,
                refunded: 0,
            },
            LineRow {
                id: 8,
                amount: 25_000,
                refunded: 0,
            },
        ];
        let none = MerchantLimits::default();
        let p = plan(&order(0), &lines, &req(&[(8, 1_001)]), &none).unwrap();
        assert_eq!(
            (p.total, p.new_status),
            (1_001, OrderStatus::PartialRefunded)
        );
        let lines = [
            LineRow {
                id: 7,
                amount: 5_100,
                refunded: 0,
            },
            LineRow {
                id: 8,
                amount: 25_000,
                refunded: 1_001,
            },
        ];
        let p = plan(
            &order(1_001),
            &lines,
            &req(&[(7, 5_100), (8, 23_999)]),
            &none,
        )
        .unwrap();
        assert_eq!((p.total, p.new_status), (29_099, OrderStatus::Refunded));
        assert_eq!(
            plan(&order(1_001), &lines, &req(&[(9, 1)]), &none),
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
