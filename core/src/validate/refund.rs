//! Refund: the payload rules, and the pure business rules the sandbox answers with.

use serde_json::Value;

use super::{
    Code, Context, Field, FieldValue, Issue, Item, MAX_LINES, Report, Validated, Walker, get,
};
use crate::envelope::ApiMessage;
use crate::money::Money;
use crate::requests::{RefundProduct, RefundRequest, RefundType};

pub fn validate_refund(
    payload: &Value,
    _ctx: &Context,
) -> Result<Validated<RefundRequest>, Report> {
    let root = payload.as_object();
    let mut w = Walker::default();

    let t = w.str_in(get(root, "type"), "type", &RefundType::CODES);
    if t.is_absent() {
        w.required("type");
    }
    let grand_total = positive(&mut w, get(root, "grandTotal"), "grandTotal");

    let mut products = Vec::new();
    let mut all_ok = true;
    match get(root, "products").map(|v| (v, super::create::product_items(v))) {
        None => {
            w.required("products");
            all_ok = false;
        }
        Some((_, Some(items))) if items.len() > MAX_LINES => {
            w.error(Issue::new("products", Code::MaxItems).max(MAX_LINES));
            all_ok = false;
        }
        Some((_, Some(items))) => {
            for (i, item) in items {
                let o = item.as_object();
                let id_f = Item("products", i, "id");
                let id = match w.integer(get(o, "id"), id_f) {
                    FieldValue::Absent => {
                        w.required(id_f);
                        None
                    }
                    FieldValue::Ok(n) if n <= 0 => {
                        w.error(Issue::new(id_f.name(), Code::Gt).min(0));
                        None
                    }
                    f => f.ok(),
                };
                let amount = positive(&mut w, get(o, "amount"), Item("products", i, "amount"));
                match (id, amount) {
                    (Some(id), Some(amount)) => products.push(RefundProduct { id, amount }),
                    _ => all_ok = false,
                }
            }
        }
        Some((_, None)) => {
            w.error(Issue::new("products", Code::Array));
            all_ok = false;
        }
    }

    if let (Some(total), true) = (grand_total, all_ok) {
        let sum: i128 = products.iter().map(|p| i128::from(p.amount.0)).sum();
        if sum != i128::from(total.0) {
            let expected = i64::try_from(sum)
                .map(|s| Money(s).to_api_string())
                .unwrap_or_default();
            w.error(Issue::new("grandTotal", Code::SumMismatch).expected(expected));
        }
    }

    w.finish(RefundRequest {
        refund_type: t
            .ok()
            .and_then(|s| RefundType::parse(&s))
            .unwrap_or(RefundType::Regular),
        grand_total: grand_total.unwrap_or_default(),
        products,
    })
}

/// Required numeric > 0.
fn positive(w: &mut Walker, v: Option<&Value>, field: impl Field) -> Option<Money> {
    match w.req_numeric(v, field) {
        FieldValue::Ok(n) if n <= 0 => {
            w.error(Issue::new(field.name(), Code::Gt).min(0));
            None
        }
        f => f.ok().map(Money),
    }
}

/// One line of the order as the refund rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundableProduct {
    /// `productList[].id`.
    pub id: i64,
    /// The line's `amount`.
    pub amount: Money,
    /// Refunded on this line so far.
    pub refunded: Money,
}

impl RefundableProduct {
    /// What can still be refunded on this line (never negative).
    pub fn left(&self) -> Money {
        Money(self.amount.0.saturating_sub(self.refunded.0).max(0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundableOrder {
    pub order_amount: Money,
    pub products: Vec<RefundableProduct>,
}

impl RefundableOrder {
    pub fn refunded(&self) -> i128 {
        self.products.iter().map(|p| i128::from(p.refunded.0)).sum()
    }
}

/// The merchant's refund limits; `None` is no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MerchantLimits {
    pub per_request: Option<Money>,
    pub weekly: Option<Money>,
    pub refunded_this_week: Money,
}

/// Why a refund is refused (HTTP 400 "Conflict of Business Logic").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefundRejection {
    #[error("refund exceeds what is left of the order amount")]
    GreaterThanOrderAmount,
    #[error("product id {0} is not in this order")]
    ProductIdNotAvailable(i64),
    #[error("refunds of product id {0} would exceed its amount")]
    ProductAmountExceed(i64),
    #[error("refund exceeds the per-request limit")]
    RequestAmountThresholdExceed,
    #[error("refund exceeds the weekly limit")]
    WeeklyThresholdExceed,
}

impl RefundRejection {
    pub const fn message(self) -> ApiMessage {
        match self {
            RefundRejection::GreaterThanOrderAmount => {
                ApiMessage::RefundRejectionForRefundRequestGreaterThanOrderAmount
            }
            RefundRejection::ProductIdNotAvailable(_) => ApiMessage::RequestProductIdNotAvailable,
            RefundRejection::ProductAmountExceed(_) => {
                ApiMessage::RefundRejectionForProductAmountExceed
            }
            RefundRejection::RequestAmountThresholdExceed => {
                ApiMessage::RefundRejectionForRequestAmountThresholdExceed
            }
            RefundRejection::WeeklyThresholdExceed => {
                ApiMessage::RefundRejectionForWeeklyThresholdExceed
            }
        }
    }
}

/// The first rejection in the documented order: order level, then per product (in request
/// order: unknown id, then line amount exceeded), then per-request limit, then weekly limit.
pub fn check_refund(
    order: &RefundableOrder,
    req: &RefundRequest,
    limits: &MerchantLimits,
) -> Result<(), RefundRejection> {
    let total = i128::from(req.grand_total.0);
    if total > i128::from(order.order_amount.0) - order.refunded() {
        return Err(RefundRejection::GreaterThanOrderAmount);
    }
    for (i, p) in req.products.iter().enumerate() {
        let Some(line) = order.products.iter().find(|l| l.id == p.id) else {
            return Err(RefundRejection::ProductIdNotAvailable(p.id));
        };
        // The same id may appear more than once in a request: count this and earlier entries.
        let requested: i128 = req.products[..=i]
            .iter()
            .filter(|q| q.id == p.id)
            .map(|q| i128::from(q.amount.0))
            .sum();
        if i128::from(line.refunded.0) + requested > i128::from(line.amount.0) {
            return Err(RefundRejection::ProductAmountExceed(p.id));
        }
    }
    if limits.per_request.is_some_and(|l| total > i128::from(l.0)) {
        return Err(RefundRejection::RequestAmountThresholdExceed);
    }
    if limits
        .weekly
        .is_some_and(|l| i128::from(limits.refunded_this_week.0) + total > i128::from(l.0))
    {
        return Err(RefundRejection::WeeklyThresholdExceed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn ctx() -> Context {
        Context::new(0)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn payload_ok() {
        let v = validate_refund(
            &json!({"type": "regular", "grandTotal": 10, "products": [{"id": 5410, "amount": 10}]}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(
            v.value,
            RefundRequest {
                refund_type: RefundType::Regular,
                grand_total: Money(1000),
                products: vec![RefundProduct {
                    id: 5410,
                    amount: Money(1000)
                }]
            }
        );
        let v = validate_refund(&json!({"type": "invoiced", "grandTotal": "15.50", "products": [{"id": "1", "amount": "10,25"}, {"id": 2, "amount": 5.25}]}), &ctx()).unwrap();
        assert_eq!(v.value.grand_total, Money(1550));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn payload_errors() {
        let r = validate_refund(&json!({}), &ctx()).unwrap_err();
        for f in ["type", "grandTotal", "products"] {
            assert_eq!(r.error_codes(f), [Code::Required], "{f}");
        }
        let r = validate_refund(
            &json!({"type": "full", "grandTotal": 0, "products": [{"id": 1.5, "amount": -1}, {}]}),
            &ctx(),
        )
        .unwrap_err();
        assert_eq!(r.error_codes("type"), [Code::In]);
        assert_eq!(r.error_codes("grandTotal"), [Code::Gt]);
        assert_eq!(r.error_codes("products.0.id"), [Code::Integer]);
        assert_eq!(r.error_codes("products.0.amount"), [Code::Gt]);
        assert_eq!(r.error_codes("products.1.id"), [Code::Required]);
        assert_eq!(r.error_codes("products.1.amount"), [Code::Required]);
        let r = validate_refund(
            &json!({"type": "regular", "grandTotal": 11, "products": [{"id": 1, "amount": 10}]}),
            &ctx(),
        )
        .unwrap_err();
        assert_eq!(r.error_codes("grandTotal"), [Code::SumMismatch]);
        assert_eq!(r.errors[0].params.expected.as_deref(), Some("10.00"));
        let r = validate_refund(
            &json!({"type": "regular", "grandTotal": 1, "products": []}),
            &ctx(),
        )
        .unwrap_err();
        assert_eq!(r.error_codes("products"), [Code::Required]);
        let r = validate_refund(
            &json!({"type": "regular", "grandTotal": 1, "products": {"id": 1}}),
            &ctx(),
        )
        .unwrap_err();
        assert_eq!(r.error_codes("products"), [Code::Array]);
    }

    fn order() -> RefundableOrder {
        RefundableOrder {
            order_amount: Money(30_100),
            products: vec![
                RefundableProduct {
                    id: 1,
                    amount: Money(5_100),
                    refunded: Money(0),
                },
                RefundableProduct {
                    id: 2,
                    amount: Money(25_000),
                    refunded: Money(20_000),
                },
            ],
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

    #[wasm_bindgen_test(unsupported = test)]
    fn what_is_left_and_what_a_request_refunds_per_line() {
        let line = RefundableProduct {
            id: 7,
            amount: Money(10_000),
            refunded: Money(2_550),
        };
        assert_eq!(line.left(), Money(7_450));
        let over = RefundableProduct {
            refunded: Money(12_000),
            ..line
        };
        assert_eq!(over.left(), Money::ZERO);
        let r = req(&[(2, 100), (1, 200), (2, 300)]);
        assert_eq!(
            r.by_line().into_iter().collect::<Vec<_>>(),
            [(1, 200), (2, 400)]
        );
        assert_eq!(
            serde_json::to_string(&r.by_line()).unwrap_or_default(),
            r#"{"1":200,"2":400}"#
        );
        let status: crate::OrderStatusDetail = serde_json::from_value(json!({
            "uuid": "ODR1000000001", "status": "PARTIAL REFUNDED",
            "orderAmount": "500.00", "refundedAmount": "150.25"
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status.left_to_refund(), Some(Money(34_975)));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn rules_in_order() {
        let none = MerchantLimits::default();
        assert_eq!(
            check_refund(&order(), &req(&[(1, 5_100), (2, 5_000)]), &none),
            Ok(())
        );
        // Left to refund: 101.00.
        assert_eq!(
            check_refund(&order(), &req(&[(1, 5_100), (2, 5_001)]), &none),
            Err(RefundRejection::GreaterThanOrderAmount)
        );
        // Order-level beats unknown id.
        assert_eq!(
            check_refund(&order(), &req(&[(9, 20_000)]), &none),
            Err(RefundRejection::GreaterThanOrderAmount)
        );
        assert_eq!(
            check_refund(&order(), &req(&[(9, 100)]), &none),
            Err(RefundRejection::ProductIdNotAvailable(9))
        );
        assert_eq!(
            check_refund(&order(), &req(&[(2, 5_001)]), &none),
            Err(RefundRejection::ProductAmountExceed(2))
        );
        assert_eq!(
            check_refund(&order(), &req(&[(1, 3_000), (1, 3_000)]), &none),
            Err(RefundRejection::ProductAmountExceed(1))
        );
        // Per product beats the merchant limits.
        let tight = MerchantLimits {
            per_request: Some(Money(1_000)),
            weekly: Some(Money(2_000)),
            refunded_this_week: Money(1_500),
        };
        assert_eq!(
            check_refund(&order(), &req(&[(2, 5_001)]), &tight),
            Err(RefundRejection::ProductAmountExceed(2))
        );
        assert_eq!(
            check_refund(&order(), &req(&[(1, 1_001)]), &tight),
            Err(RefundRejection::RequestAmountThresholdExceed)
        );
        assert_eq!(
            check_refund(&order(), &req(&[(1, 501)]), &tight),
            Err(RefundRejection::WeeklyThresholdExceed)
        );
        assert_eq!(check_refund(&order(), &req(&[(1, 500)]), &tight), Ok(()));
        assert_eq!(
            RefundRejection::WeeklyThresholdExceed
                .message()
                .status_code(),
            400
        );
    }
}
