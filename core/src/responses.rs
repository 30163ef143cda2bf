//! `data` of the success answers.

use serde::{Deserialize, Serialize};

use crate::customer::{Address, CustomerType, Language};
use crate::ids::{CustomerId, OrderId};
use crate::money::{Money, Quantity, TaxRate, num, num_opt};
use crate::status::{OrderKind, OrderStatus};

/// 201 of the four creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedOrder {
    pub uuid: OrderId,
    pub customer_uuid: CustomerId,
}

/// One item of Get All Order Status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OrderStatusItem {
    pub uuid: OrderId,
    pub status: OrderStatus,
}

/// Get Order Status By UUID; amounts as numbers (`40`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderStatusDetail {
    pub uuid: OrderId,
    pub status: OrderStatus,
    /// In the docs; absent from the recorded live server's answer.
    #[serde(default, with = "num_opt", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Money>"))]
    pub order_amount: Option<Money>,
    /// In the docs; absent from the recorded live server's answer.
    #[serde(default, with = "num_opt", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Money>"))]
    pub refunded_amount: Option<Money>,
}

impl OrderStatusDetail {
    /// What can still be refunded on the order (never negative), when the answer said the
    /// order's amount; a missing refunded amount counts as nothing refunded.
    pub fn left_to_refund(&self) -> Option<Money> {
        let total = self.order_amount?;
        let refunded = self.refunded_amount.unwrap_or_default();
        Some(Money(total.0.saturating_sub(refunded.0).max(0)))
    }
}

/// A `productList` item. `id` is not in the docs but the refund endpoint needs it
/// (contract-notes). The docs type quantity as Integer and the rest as Float: numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DetailProduct {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Quantity"))]
    pub quantity: Quantity,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub rate: Money,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub discount: Money,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "TaxRate"))]
    pub tax: TaxRate,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub amount: Money,
}

/// The details' `orderSummary`: note `tax` and `discount`, not `totalTax`/`totalDiscount`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DetailSummary {
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub sub_total: Money,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub tax: Money,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub discount: Money,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub grand_total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DetailCustomer {
    #[serde(rename = "type")]
    pub customer_type: CustomerType,
    pub uuid: CustomerId,
    #[serde(default)]
    pub country_code: Option<String>,
    #[serde(default)]
    pub msisdn: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    pub name: String,
    #[serde(default)]
    pub preferred_language: Language,
    #[serde(default)]
    pub personal_number: Option<String>,
    #[serde(default)]
    pub organization_id: Option<String>,
    pub address: Address,
}

/// Get Order Details By UUID. `type` is one of `PAYMENT_LINK`, `INVOICE`, `E_FAKTURA`, `EHF`
/// (our decision; the docs say only "String"). `orderDate` is unix seconds as a string, like
/// the request; `paymentLinkDueDate` likewise, null for invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderDetails {
    #[serde(rename = "type")]
    pub kind: OrderKind,
    pub order_id: OrderId,
    #[serde(default)]
    pub invoice_number: Option<String>,
    pub status: OrderStatus,
    pub order_date: String,
    #[serde(default)]
    pub payment_link_due_date: Option<String>,
    pub product_list: Vec<DetailProduct>,
    pub order_summary: DetailSummary,
    pub customer_details: DetailCustomer,
}

/// Get Invoice Number By UUID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvoiceNumber {
    pub order_id: OrderId,
    pub invoice_number: String,
    pub status: OrderStatus,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn documented_examples_parse() {
        let c: CreatedOrder = serde_json::from_value(
            json!({"uuid": "ODR3506777330", "customerUuid": "CSRT3463048878"}),
        )
        .unwrap();
        assert_eq!(c.uuid.as_str(), "ODR3506777330");
        let i: InvoiceNumber = serde_json::from_value(
            json!({"orderId": "ODR2005869234", "invoiceNumber": "99900753", "status": "REFUNDED"}),
        )
        .unwrap();
        assert_eq!(i.status, OrderStatus::Refunded);
        let s: OrderStatusDetail = serde_json::from_value(json!({"uuid": "ODR2005869234", "status": "PAID", "orderAmount": 40, "refundedAmount": "0"})).unwrap();
        assert_eq!(s.order_amount, Some(Money(4000)));
        assert_eq!(s.left_to_refund(), Some(Money(4000)));
        assert_eq!(
            serde_json::to_value(&s).unwrap()["refundedAmount"],
            json!(0)
        );
        // The recorded live server's answer: no amounts.
        let live: OrderStatusDetail =
            serde_json::from_value(json!({"uuid": "ODR1649249709", "status": "SENT"})).unwrap();
        assert_eq!((live.order_amount, live.left_to_refund()), (None, None));
        assert_eq!(
            serde_json::to_value(&live).unwrap(),
            json!({"uuid": "ODR1649249709", "status": "SENT"})
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn details_round_trip() {
        let d = json!({
            "type": "INVOICE", "orderId": "ODR2005869234", "invoiceNumber": "99900753", "status": "PARTIAL REFUNDED",
            "orderDate": "1703040812", "paymentLinkDueDate": null,
            "productList": [{"id": 5410, "name": "Hair Wash", "productId": "VFDDF", "quantity": 1, "rate": 51, "discount": 0, "tax": 12.5, "amount": 51}],
            "orderSummary": {"subTotal": 45.33, "tax": 5.67, "discount": 0, "grandTotal": 51},
            "customerDetails": {"type": "private", "uuid": "CSRT3463048878", "countryCode": "+47", "msisdn": "46567468",
                "email": "a@b.no", "name": "Kari", "preferredLanguage": "en", "personalNumber": null, "organizationId": null,
                "address": {"street": "s", "zip": "4313", "city": "Sandnes", "country": "NO"}}
        });
        let parsed: OrderDetails = serde_json::from_value(d.clone()).unwrap();
        assert_eq!(parsed.product_list[0].tax, TaxRate(1250));
        assert_eq!(parsed.order_summary.sub_total, Money(4533));
        assert_eq!(serde_json::to_value(&parsed).unwrap(), d);
    }
}
