//! Request bodies of resend, cancel and refund (the create body is [`crate::order::CreateOrder`]).

use serde::{Deserialize, Serialize};

use crate::money::{Money, num};

/// Resend a payment link by SMS (`countryCode` + `msisdn`) and/or email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResendRequest {
    /// Normalised to `"+47"`; the docs' example sends the bare number `+47`, read as 47.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msisdn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CancelRequest {
    pub cancellation_note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum RefundType {
    Regular,
    Invoiced,
}

impl RefundType {
    pub const ALL: [RefundType; 2] = [RefundType::Regular, RefundType::Invoiced];
    /// The wire names, for Laravel's `in:` rule.
    pub const CODES: [&'static str; 2] = ["regular", "invoiced"];

    /// The wire name (`"regular"`, `"invoiced"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            RefundType::Regular => "regular",
            RefundType::Invoiced => "invoiced",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The type a refund of an order takes: `invoiced` once it has an invoice number (invoice
    /// kinds, and payment links whose customer chose invoice), else `regular`.
    pub const fn for_order(has_invoice_number: bool) -> RefundType {
        if has_invoice_number {
            RefundType::Invoiced
        } else {
            RefundType::Regular
        }
    }
}

/// One refunded line: `id` is the `productList[].id` of the order details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RefundProduct {
    pub id: i64,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    #[serde(rename = "type")]
    pub refund_type: RefundType,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub grand_total: Money,
    pub products: Vec<RefundProduct>,
}

/// Øre refunded per product id (`productList[].id`). As JSON `{"<id>": øre}`: the proxy keeps
/// one with each refund it forwards, the console sums them into what is left per line.
pub type RefundedByLine = std::collections::BTreeMap<i64, i64>;

impl RefundRequest {
    /// What this request refunds per line (an id named twice is summed).
    pub fn by_line(&self) -> RefundedByLine {
        let mut lines = RefundedByLine::new();
        for p in &self.products {
            *lines.entry(p.id).or_default() += p.amount.0;
        }
        lines
    }
}
