//! The create form's data as the merchant typed it ([`OrderDraft`]): what the console edits and
//! keeps in localStorage, and the one conversion to the create payload that is validated and
//! sent ([`OrderDraft::to_payload`]), with its reverse for "create another like this"
//! ([`OrderDraft::from_payload`]). Every member's facts live in one table ([`fields`]).

pub mod fields;
mod payload;

pub use payload::{date_to_unix, discount_kr, maturity_of, parse_entry, percent_of, today_iso};

use serde::{Deserialize, Serialize};

use crate::customer::CustomerType;
use crate::ids::phone::DEFAULT_CALLING_CODE;
use crate::status::OrderKind;

/// The shape of [`OrderDraft`] as stored. Drafts stored before it had a version read as this
/// one (the shape is the same); a change of shape bumps it and reads older ones on purpose.
pub const DRAFT_VERSION: u32 = 1;

/// One product line as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineDraft {
    pub name: String,
    pub product_id: String,
    pub quantity: String,
    pub rate: String,
    /// In kr, or in percent of the line's gross when `discount_percent`.
    pub discount: String,
    /// The discount was typed in percent; it is sent in kr ([`discount_kr`]).
    pub discount_percent: bool,
    pub tax: String,
}

impl Default for LineDraft {
    fn default() -> Self {
        LineDraft {
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

/// Everything the create form holds, as typed: strings stay strings until the payload is built,
/// so a half-typed amount survives a reload. Missing members read as their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderDraft {
    /// [`DRAFT_VERSION`] when written.
    pub version: u32,
    /// `private` or `corporate` (payment link and invoice; E-Faktura and EHF fix it).
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
    /// The order date as a date input gives it (`2026-01-15`); empty: today.
    pub order_date: String,
    pub lines: Vec<LineDraft>,
}

impl Default for OrderDraft {
    fn default() -> Self {
        OrderDraft {
            version: DRAFT_VERSION,
            customer_type: CustomerType::Private.as_str().into(),
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
            language: crate::customer::Language::No.as_str().into(),
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
            lines: vec![LineDraft::default()],
        }
    }
}

impl OrderDraft {
    /// The customer type the rules go by for `kind` ([`CustomerType::for_kind`]); private until
    /// one is chosen.
    pub fn customer_type(&self, kind: OrderKind) -> CustomerType {
        self.case(kind).customer
    }

    /// The table's column this draft is in for `kind`.
    pub fn case(&self, kind: OrderKind) -> fields::Case {
        fields::Case::new(kind, CustomerType::parse(&self.customer_type))
    }

    /// Nothing typed: not worth keeping or asking about.
    pub fn is_blank(&self) -> bool {
        *self == OrderDraft::default()
    }
}
