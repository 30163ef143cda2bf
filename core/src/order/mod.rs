//! Orders: the create request shared by the four kinds, and VAT-inclusive line math.

pub mod lines;
pub mod summary;

pub use lines::{LineTotals, MathError, line_totals};
pub use summary::{
    Mismatch, check_agreement, check_summary, product_totals, sum_totals, summarize,
};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::customer::CustomerDetails;
use crate::money::{Money, Quantity, TaxRate, num, num_opt};

/// One `products[]` line as the docs show it: `quantity` and `tax` as strings, `rate`,
/// `discount` and `amount` as numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    pub quantity: Quantity,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub rate: Money,
    #[serde(default, with = "num_opt", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(with = "Option<Money>"))]
    pub discount: Option<Money>,
    pub tax: TaxRate,
    #[serde(with = "num")]
    #[cfg_attr(feature = "openapi", schemars(with = "Money"))]
    pub amount: Money,
}

/// `orderSummary` of a create request; amounts as strings (`"51.00"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderSummary {
    pub sub_total: Money,
    pub total_tax: Money,
    pub total_discount: Money,
    pub grand_total: Money,
}

/// `sendOrderBy` (payment link): nullable booleans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SendOrderBy {
    #[serde(default)]
    pub sms: Option<bool>,
    #[serde(default)]
    pub email: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Callback {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

/// Unix seconds; the docs send a string (`"1703040812"`), numbers are accepted too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

/// Largest accepted timestamp: 9999-12-31T23:59:59Z (milliseconds by mistake are refused).
pub const MAX_UNIX_TIME: i64 = 253_402_300_799;

impl UnixTime {
    /// Digits only (or a JSON integer), 0 ..= [`MAX_UNIX_TIME`].
    pub fn from_json(v: &serde_json::Value) -> Option<UnixTime> {
        let n = match v {
            serde_json::Value::Number(n) => n.as_i64()?,
            serde_json::Value::String(s) => {
                let s = s.trim();
                if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                s.parse().ok()?
            }
            _ => return None,
        };
        (0..=MAX_UNIX_TIME).contains(&n).then_some(UnixTime(n))
    }
}

impl Serialize for UnixTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for UnixTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        UnixTime::from_json(&v).ok_or_else(|| serde::de::Error::custom("not a unix timestamp"))
    }
}

#[cfg(feature = "openapi")]
impl schemars::JsonSchema for UnixTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UnixTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Unix timestamp in seconds, as a string of digits or an integer",
            "anyOf": [{"type": "string", "pattern": "^[0-9]{1,12}$"}, {"type": "integer", "minimum": 0}]
        })
    }
}

/// A create request of any of the four kinds. Kind-specific fields are `None` when the kind
/// does not use them and are then left out of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateOrder {
    pub products: Vec<Product>,
    pub order_summary: OrderSummary,
    /// Payment link only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_order_by: Option<SendOrderBy>,
    pub order_date: UnixTime,
    pub customer_details: CustomerDetails,
    /// Payment link only (required there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_as_payment_option: Option<bool>,
    /// Payment link only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_details: Option<bool>,
    /// Invoice kinds: 0 daily, 1 monthly, 2 twice a month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_interval: Option<u8>,
    /// Invoice kinds: days until due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_maturity: Option<u16>,
    /// Invoice kinds (required there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_fee_applicable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separate_invoices: Option<bool>,
    #[serde(default)]
    pub reference_no: Option<String>,
    #[serde(default)]
    pub customer_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<Callback>,
}
