//! Drafts: the form's plain data, one per order kind in localStorage, with the idempotency key
//! of its next submit and the exact body of an attempt whose outcome is unknown.

use frontdesk_core::ids::phone::DEFAULT_CALLING_CODE;
use frontdesk_core::status::OrderKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::storage;

const KIND_KEY: &str = "frontdesk.draft.kind";
const CREATED_KEY: &str = "frontdesk.created";

/// One product line as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineData {
    pub name: String,
    pub product_id: String,
    pub quantity: String,
    pub rate: String,
    /// In kr, or in percent of the line's gross when `discount_percent`.
    pub discount: String,
    /// The discount was typed in percent; it is sent in kr (see `form::discount_kr`).
    pub discount_percent: bool,
    pub tax: String,
}

impl Default for LineData {
    fn default() -> Self {
        LineData {
            name: String::new(),
            product_id: String::new(),
            quantity: "1".into(),
            rate: String::new(),
            discount: String::new(),
            discount_percent: false,
            tax: "25".into(),
        }
    }
}

/// Everything the form holds, as typed (strings stay strings until the payload is built).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftData {
    /// `private` or `corporate` (payment link and invoice; E-Faktura/EHF fix it).
    pub customer_type: String,
    pub name: String,
    pub first_name: String,
    /// The phone's country (ISO alpha-2): the select's value, since calling codes repeat
    /// (+1, +7, +44, +47 …).
    pub phone_country: String,
    /// Its calling code as sent (`+47`).
    pub calling_code: String,
    pub msisdn: String,
    pub email: String,
    pub personal_number: String,
    pub organization_id: String,
    pub street: String,
    pub zip: String,
    pub city: String,
    pub country: String,
    pub language: String,
    pub send_sms: bool,
    pub send_email: bool,
    pub invoice_as_payment_option: bool,
    pub secure_details: bool,
    pub invoice_interval: String,
    /// Empty: the kind's default.
    pub invoice_maturity: String,
    pub invoice_fee: bool,
    pub separate_invoices: bool,
    pub reference_no: String,
    pub customer_reference: String,
    pub callback_url: String,
    /// The order date as the date input gives it (`2026-01-15`); empty: today.
    pub order_date: String,
    pub lines: Vec<LineData>,
}

impl Default for DraftData {
    fn default() -> Self {
        DraftData {
            customer_type: "private".into(),
            name: String::new(),
            first_name: String::new(),
            phone_country: "NO".into(),
            calling_code: DEFAULT_CALLING_CODE.into(),
            msisdn: String::new(),
            email: String::new(),
            personal_number: String::new(),
            organization_id: String::new(),
            street: String::new(),
            zip: String::new(),
            city: String::new(),
            country: "NO".into(),
            language: "no".into(),
            send_sms: true,
            send_email: false,
            invoice_as_payment_option: true,
            secure_details: false,
            invoice_interval: "0".into(),
            invoice_maturity: String::new(),
            invoice_fee: true,
            separate_invoices: true,
            reference_no: String::new(),
            customer_reference: String::new(),
            callback_url: String::new(),
            order_date: String::new(),
            lines: vec![LineData::default()],
        }
    }
}

impl DraftData {
    /// Prefill from a payload that was sent ("create another like this").
    pub fn from_payload(kind: OrderKind, body: &Value) -> DraftData {
        let s = |v: Option<&Value>| match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let b = |v: Option<&Value>, d: bool| v.and_then(Value::as_bool).unwrap_or(d);
        let cd = body.get("customerDetails");
        let c = |k: &str| s(cd.and_then(|c| c.get(k)));
        let a = |k: &str| s(cd.and_then(|c| c.get("address")).and_then(|a| a.get(k)));
        let d = DraftData::default();
        let lines = body
            .get("products")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .map(|p| {
                        let discount = s(p.get("discount"));
                        LineData {
                            name: s(p.get("name")),
                            product_id: s(p.get("productId")),
                            quantity: s(p.get("quantity")),
                            rate: s(p.get("rate")),
                            discount: if discount == "0" {
                                String::new()
                            } else {
                                discount
                            },
                            discount_percent: false,
                            tax: s(p.get("tax")),
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| d.lines.clone());
        let customer_type = match kind {
            OrderKind::EFaktura => "private".into(),
            OrderKind::Ehf => "corporate".into(),
            _ => Some(c("type"))
                .filter(|t| !t.is_empty())
                .unwrap_or(d.customer_type.clone()),
        };
        let send = body.get("sendOrderBy");
        let calling_code = Some(c("countryCode"))
            .filter(|t| !t.is_empty())
            .unwrap_or(d.calling_code.clone());
        let address_country = a("country");
        let phone_country = frontdesk_core::ids::country::find(&address_country)
            .filter(|c| c.calling_code == Some(calling_code.as_str()))
            .or_else(|| {
                frontdesk_core::ids::phone::select_list()
                    .find(|c| c.calling_code == Some(calling_code.as_str()))
            })
            .map_or(d.phone_country.clone(), |c| c.alpha2.to_owned());
        DraftData {
            customer_type,
            name: c("name"),
            first_name: c("firstName"),
            phone_country,
            calling_code,
            msisdn: c("msisdn"),
            email: c("email"),
            personal_number: c("personalNumber"),
            organization_id: c("organizationId"),
            street: a("street"),
            zip: a("zip"),
            city: a("city"),
            country: Some(a("country"))
                .filter(|t| !t.is_empty())
                .unwrap_or(d.country.clone()),
            language: Some(c("preferredLanguage"))
                .filter(|t| !t.is_empty())
                .unwrap_or(d.language.clone()),
            send_sms: b(send.and_then(|x| x.get("sms")), false),
            send_email: b(send.and_then(|x| x.get("email")), false),
            invoice_as_payment_option: b(
                body.get("invoiceAsPaymentOption"),
                d.invoice_as_payment_option,
            ),
            secure_details: b(body.get("secureDetails"), false),
            invoice_interval: Some(s(body.get("invoiceInterval")))
                .filter(|t| !t.is_empty())
                .unwrap_or(d.invoice_interval.clone()),
            invoice_maturity: s(body.get("invoiceMaturity")),
            invoice_fee: b(body.get("invoiceFeeApplicable"), true),
            separate_invoices: b(body.get("separateInvoices"), true),
            reference_no: s(body.get("referenceNo")),
            customer_reference: s(body.get("customerReference")),
            callback_url: s(body.get("callback").and_then(|c| c.get("callbackUrl"))),
            // Another like this is made today.
            order_date: String::new(),
            lines,
        }
    }
}

/// What is kept per kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDraft {
    pub data: DraftData,
    /// The Idempotency-Key of this draft's submit: new only after success or discard.
    pub key: String,
    /// The exact body sent under `key` whose outcome is unknown (network error, 5xx, reload
    /// mid-submit): a retry sends it again byte for byte.
    #[serde(default)]
    pub pending: Option<String>,
    /// When it was saved (ms since the epoch).
    #[serde(default)]
    pub saved_at: f64,
}

pub fn kind_code(kind: OrderKind) -> &'static str {
    kind.as_str()
}

pub fn parse_kind(s: &str) -> Option<OrderKind> {
    OrderKind::ALL.into_iter().find(|k| k.as_str() == s)
}

fn draft_key(kind: OrderKind) -> String {
    format!("frontdesk.draft.{}", kind_code(kind))
}

pub fn load(kind: OrderKind) -> Option<StoredDraft> {
    storage::get(&draft_key(kind)).and_then(|s| serde_json::from_str(&s).ok())
}

pub fn save(kind: OrderKind, draft: &StoredDraft) {
    if let Ok(text) = serde_json::to_string(draft) {
        storage::set(&draft_key(kind), &text);
    }
}

pub fn remove(kind: OrderKind) {
    storage::remove(&draft_key(kind));
}

/// The kind last worked on.
pub fn last_kind() -> OrderKind {
    storage::get(KIND_KEY)
        .and_then(|s| parse_kind(&s))
        .unwrap_or(OrderKind::PaymentLink)
}

pub fn set_last_kind(kind: OrderKind) {
    storage::set(KIND_KEY, kind_code(kind));
}

/// A created order as the success screen shows it (kept for reloads of that screen).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedRecord {
    pub uuid: String,
    pub customer_uuid: String,
    pub kind: OrderKind,
    /// The body that was sent.
    pub body: Value,
    pub at: f64,
    #[serde(default)]
    pub replayed: bool,
}

pub fn created_records() -> Vec<CreatedRecord> {
    storage::get(CREATED_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

pub fn remember_created(record: CreatedRecord) {
    let mut all = created_records();
    all.retain(|r| r.uuid != record.uuid);
    all.insert(0, record);
    all.truncate(20);
    if let Ok(text) = serde_json::to_string(&all) {
        storage::set(CREATED_KEY, &text);
    }
}

pub fn find_created(uuid: &str) -> Option<CreatedRecord> {
    created_records().into_iter().find(|r| r.uuid == uuid)
}
