//! Order statuses (wire strings, with spaces) and order kinds.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An order's status as the API writes it (`"PARTIAL REFUNDED"` with a space).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrderStatus {
    Sent,
    Paid,
    Invoiced,
    Cancelled,
    Expired,
    Refunded,
    PartialRefunded,
    Reserved,
    /// Purring.
    Reminder,
    /// Inkasso.
    DebtCollection,
    RefundPending,
    Completed,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order status {0:?}")]
pub struct UnknownStatus(pub String);

impl OrderStatus {
    pub const ALL: [OrderStatus; 12] = [
        OrderStatus::Sent,
        OrderStatus::Paid,
        OrderStatus::Invoiced,
        OrderStatus::Cancelled,
        OrderStatus::Expired,
        OrderStatus::Refunded,
        OrderStatus::PartialRefunded,
        OrderStatus::Reserved,
        OrderStatus::Reminder,
        OrderStatus::DebtCollection,
        OrderStatus::RefundPending,
        OrderStatus::Completed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Sent => "SENT",
            OrderStatus::Paid => "PAID",
            OrderStatus::Invoiced => "INVOICED",
            OrderStatus::Cancelled => "CANCELLED",
            OrderStatus::Expired => "EXPIRED",
            OrderStatus::Refunded => "REFUNDED",
            OrderStatus::PartialRefunded => "PARTIAL REFUNDED",
            OrderStatus::Reserved => "RESERVED",
            OrderStatus::Reminder => "REMINDER",
            OrderStatus::DebtCollection => "DEBT COLLECTION",
            OrderStatus::RefundPending => "REFUND PENDING",
            OrderStatus::Completed => "COMPLETED",
        }
    }

    /// Statuses the lifecycle of contract-notes never leaves: nothing will change them, so
    /// nobody needs to re-read them (the proxy's cron) or offer actions on them.
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            OrderStatus::Cancelled
                | OrderStatus::Expired
                | OrderStatus::Refunded
                | OrderStatus::Completed
        )
    }

    /// Statuses in which an invoiced-type order has an invoice number (contract-notes).
    pub const fn has_invoice_number(self) -> bool {
        matches!(
            self,
            OrderStatus::Invoiced
                | OrderStatus::Reminder
                | OrderStatus::DebtCollection
                | OrderStatus::Paid
                | OrderStatus::Refunded
                | OrderStatus::PartialRefunded
        )
    }
}

impl FromStr for OrderStatus {
    type Err = UnknownStatus;
    /// Case-insensitive; `_`, `-` and `+` count as the space (`?type=partial_refunded`).
    fn from_str(s: &str) -> Result<Self, UnknownStatus> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '_' | '-' | '+' => ' ',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == norm)
            .ok_or_else(|| UnknownStatus(s.chars().take(40).collect()))
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for OrderStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for OrderStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The four ways to create an order. In the details response `type` is our decision:
/// `"PAYMENT_LINK"`, `"INVOICE"`, `"E_FAKTURA"`, `"EHF"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderKind {
    PaymentLink,
    Invoice,
    EFaktura,
    Ehf,
}

impl OrderKind {
    pub const ALL: [OrderKind; 4] = [
        OrderKind::PaymentLink,
        OrderKind::Invoice,
        OrderKind::EFaktura,
        OrderKind::Ehf,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            OrderKind::PaymentLink => "PAYMENT_LINK",
            OrderKind::Invoice => "INVOICE",
            OrderKind::EFaktura => "E_FAKTURA",
            OrderKind::Ehf => "EHF",
        }
    }

    /// The endpoint that creates this kind.
    pub const fn create_endpoint(self) -> crate::endpoint::Endpoint {
        use crate::endpoint::Endpoint;
        match self {
            OrderKind::PaymentLink => Endpoint::CreatePaymentLink,
            OrderKind::Invoice => Endpoint::CreateInvoice,
            OrderKind::EFaktura => Endpoint::CreateEFaktura,
            OrderKind::Ehf => Endpoint::CreateEhf,
        }
    }

    /// Invoice, E-Faktura and EHF share the invoice fields.
    pub const fn is_invoice(self) -> bool {
        !matches!(self, OrderKind::PaymentLink)
    }
}

impl fmt::Display for OrderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "openapi")]
impl schemars::JsonSchema for OrderStatus {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OrderStatus".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let all: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
        schemars::json_schema!({ "type": "string", "enum": all })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn statuses_round_trip() {
        for st in OrderStatus::ALL {
            assert_eq!(st.as_str().parse::<OrderStatus>(), Ok(st));
            let j = serde_json::to_string(&st).unwrap();
            assert_eq!(serde_json::from_str::<OrderStatus>(&j).unwrap(), st);
        }
        assert_eq!(
            serde_json::to_string(&OrderStatus::PartialRefunded).unwrap(),
            "\"PARTIAL REFUNDED\""
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn statuses_parse_loosely() {
        assert_eq!("Paid".parse(), Ok(OrderStatus::Paid));
        assert_eq!("partial refunded".parse(), Ok(OrderStatus::PartialRefunded));
        assert_eq!("debt_collection".parse(), Ok(OrderStatus::DebtCollection));
        assert!("PAIDX".parse::<OrderStatus>().is_err());
        assert!("".parse::<OrderStatus>().is_err());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn kinds() {
        assert_eq!(
            serde_json::to_string(&OrderKind::EFaktura).unwrap(),
            "\"E_FAKTURA\""
        );
        assert_eq!(
            serde_json::from_str::<OrderKind>("\"PAYMENT_LINK\"").unwrap(),
            OrderKind::PaymentLink
        );
        for k in OrderKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
            assert_eq!(k.create_endpoint().kind(), Some(k));
        }
    }
}
