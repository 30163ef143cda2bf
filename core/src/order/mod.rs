//! Orders: the create request shared by the four kinds, and VAT-inclusive line math.

pub mod lines;
pub mod summary;

pub use lines::{LineTotals, MathError, line_totals};
pub use summary::{
    Mismatch, base_by_rate, check_agreement, check_summary, portal_total_tax, product_totals,
    sum_totals, summarize, vat_by_rate,
};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::customer::CustomerDetails;
use crate::dialect::DateFormat;
use crate::money::{Money, Quantity, TaxRate, num, num_opt};
use crate::status::OrderKind;

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

/// Unix seconds; the docs send a string (`"1703040812"`), numbers are accepted too, and so is
/// the recorded server's `d M, Y` (read as the start of that Oslo day).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

/// Largest accepted timestamp: 9999-12-31T23:59:59Z (milliseconds by mistake are refused).
pub const MAX_UNIX_TIME: i64 = 253_402_300_799;

/// Laravel's `M`: English three-letter month names.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

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

    /// Laravel's `d M, Y` exactly as PHP's `DateTime::createFromFormat` takes it from the
    /// recorded server: two-digit day, English month, four-digit year (`05 Dec, 2023`; `5 Dec,
    /// 2023` is refused, as recorded). The start of that day in Oslo.
    pub fn from_dmy(s: &str) -> Option<UnixTime> {
        let b = s.as_bytes();
        if b.len() != 12 || b[2] != b' ' || &b[6..8] != b", " {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| {
            b[r.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| s[r].parse::<u32>().ok())
                .flatten()
        };
        let day = digits(0..2)?;
        let year = digits(8..12)?;
        let month = MONTHS.iter().position(|m| m.as_bytes() == &b[3..6])? as u32 + 1;
        let days = crate::clock::days_from_civil(i64::from(year), month, day);
        if day == 0 || crate::clock::civil_from_days(days) != (i64::from(year), month, day) {
            return None; // 31 Feb and friends
        }
        let t = crate::clock::oslo_day_start(days * 86_400 + 12 * 3600);
        (0..=MAX_UNIX_TIME).contains(&t).then_some(UnixTime(t))
    }

    /// The Oslo calendar day as `d M, Y` (`05 Dec, 2023`).
    pub fn to_dmy(self) -> String {
        let (y, m, d) = crate::clock::oslo_date(self.0);
        let month = MONTHS[(m as usize).saturating_sub(1).min(11)];
        format!("{d:02} {month}, {y:04}")
    }
}

/// An `orderDate` in either dialect's format, and which format it was in.
pub fn parse_order_date(v: &serde_json::Value) -> Option<(UnixTime, DateFormat)> {
    if let Some(t) = UnixTime::from_json(v) {
        return Some((t, DateFormat::Unix));
    }
    let t = UnixTime::from_dmy(v.as_str()?.trim())?;
    Some((t, DateFormat::Dmy))
}

/// Rewrite only the `orderDate` member of a create body into `to` (a Unix timestamp is sent as a
/// string of digits, as the docs show). True when the body changed; a missing or unreadable date
/// is left for validation to name.
pub fn rewrite_order_date(body: &mut serde_json::Value, to: DateFormat) -> bool {
    let Some(slot) = body.get_mut("orderDate") else {
        return false;
    };
    let Some((t, from)) = parse_order_date(slot) else {
        return false;
    };
    if from == to {
        return false;
    }
    *slot = match to {
        DateFormat::Unix => serde_json::Value::String(t.0.to_string()),
        DateFormat::Dmy => serde_json::Value::String(t.to_dmy()),
    };
    true
}

impl Serialize for UnixTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for UnixTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        parse_order_date(&v)
            .map(|(t, _)| t)
            .ok_or_else(|| serde::de::Error::custom("not a unix timestamp or a d M, Y date"))
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

/// An invoice's due date: the Oslo calendar day of its order date plus `maturity_days`
/// (`invoiceMaturity`). For a daily invoice interval that is the day it falls due.
pub fn invoice_due_date(order_date: UnixTime, maturity_days: u16) -> (i64, u32, u32) {
    crate::clock::oslo_date_plus_days(order_date.0, i64::from(maturity_days))
}

impl CreateOrder {
    /// Days until an order of `kind` falls due: `invoiceMaturity` as sent, else the
    /// provider's default. Invoice kinds only.
    pub fn maturity_days(&self, kind: OrderKind) -> Option<u16> {
        if !kind.is_invoice() {
            return None;
        }
        let customer = match kind {
            OrderKind::EFaktura => Some(crate::customer::CustomerType::Private),
            OrderKind::Ehf => Some(crate::customer::CustomerType::Corporate),
            _ => self.customer_details.customer_type,
        };
        self.invoice_maturity
            .or_else(|| crate::validate::default_maturity(kind, customer))
    }

    /// The due date of an order of `kind` as sent (invoice kinds only).
    pub fn due_date(&self, kind: OrderKind) -> Option<(i64, u32, u32)> {
        let days = self.maturity_days(kind)?;
        Some(invoice_due_date(self.order_date, days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn invoices_fall_due_maturity_days_after_the_order_date() {
        // 2023-12-20 03:53 Oslo + 14 days.
        assert_eq!(invoice_due_date(UnixTime(1_703_040_812), 14), (2024, 1, 3));
        assert_eq!(
            invoice_due_date(UnixTime(1_703_040_812), 10),
            (2023, 12, 30)
        );
        let mut order: CreateOrder = serde_json::from_value(json!({
            "products": [], "orderDate": "1703040812",
            "orderSummary": {"subTotal": "0", "totalTax": "0", "totalDiscount": "0", "grandTotal": "0"},
            "customerDetails": {"type": "private", "name": "Kari",
                "address": {"street": "s", "zip": "0155", "city": "Oslo", "country": "NO"}}
        }))
        .unwrap();
        assert_eq!(order.maturity_days(OrderKind::PaymentLink), None);
        assert_eq!(order.maturity_days(OrderKind::Invoice), Some(10));
        assert_eq!(order.maturity_days(OrderKind::Ehf), Some(14));
        assert_eq!(order.due_date(OrderKind::EFaktura), Some((2023, 12, 30)));
        order.invoice_maturity = Some(30);
        assert_eq!(order.due_date(OrderKind::Invoice), Some((2024, 1, 19)));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn dmy_dates_as_recorded() {
        // 2023-12-05 00:00 CET = 2023-12-04 23:00 UTC.
        assert_eq!(
            UnixTime::from_dmy("05 Dec, 2023"),
            Some(UnixTime(1_701_730_800))
        );
        assert_eq!(UnixTime(1_701_730_800).to_dmy(), "05 Dec, 2023");
        // The recording: `d` needs two digits.
        for bad in [
            "5 Dec, 2023",
            "05 dec, 2023",
            "05 Dec 2023",
            "31 Feb, 2024",
            "00 Jan, 2024",
            "05 Dec, 23",
            "2023-12-05",
        ] {
            assert_eq!(UnixTime::from_dmy(bad), None, "{bad}");
        }
        // Summer: 2024-06-16 00:00 CEST = 2024-06-15 22:00 UTC.
        assert_eq!(
            UnixTime::from_dmy("16 Jun, 2024"),
            Some(UnixTime(1_718_488_800))
        );
        // Late evening UTC is already the next day in Oslo.
        assert_eq!(UnixTime(1_718_494_200).to_dmy(), "16 Jun, 2024");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn order_dates_in_either_format() {
        assert_eq!(
            parse_order_date(&json!("1703040812")),
            Some((UnixTime(1_703_040_812), DateFormat::Unix))
        );
        assert_eq!(
            parse_order_date(&json!(1_703_040_812)),
            Some((UnixTime(1_703_040_812), DateFormat::Unix))
        );
        assert_eq!(
            parse_order_date(&json!("20 Dec, 2023")),
            Some((UnixTime(1_703_026_800), DateFormat::Dmy))
        );
        assert_eq!(parse_order_date(&json!("5 Dec, 2023")), None);
        assert_eq!(parse_order_date(&json!(null)), None);

        let mut body = json!({"orderDate": "1703040812", "products": {"0": {"name": "x"}}});
        assert!(rewrite_order_date(&mut body, DateFormat::Dmy));
        assert_eq!(
            body,
            json!({"orderDate": "20 Dec, 2023", "products": {"0": {"name": "x"}}})
        );
        assert!(!rewrite_order_date(&mut body, DateFormat::Dmy));
        assert!(rewrite_order_date(&mut body, DateFormat::Unix));
        assert_eq!(body["orderDate"], json!("1703026800"));
        let mut bad = json!({"orderDate": "5 Dec, 2023"});
        assert!(!rewrite_order_date(&mut bad, DateFormat::Unix));
        assert_eq!(bad["orderDate"], json!("5 Dec, 2023"));
    }
}
