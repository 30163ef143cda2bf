//! The create form's data as the merchant typed it ([`OrderDraft`]): what the console edits and
//! keeps in localStorage, and the one conversion to the create payload that is validated and
//! sent ([`OrderDraft::to_payload`]), with its reverse for "create another like this"
//! ([`OrderDraft::from_payload`]). Every member's facts live in one table ([`fields`]); the
//! draft keeps the table's plain members (texts and ticked choices) by their path, so a new
//! row needs no code here.

pub mod fields;
mod payload;
mod stored;

pub use payload::{date_to_unix, discount_kr, maturity_of, parse_entry, percent_of, today_iso};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::customer::CustomerType;
use crate::ids::phone::DEFAULT_CALLING_CODE;
use crate::status::OrderKind;
use fields::{FIELDS, Source};

/// The shape of [`OrderDraft`] as stored. 2: the table's plain members by path (`texts`,
/// `flags`); 1 and the unversioned drafts before it named each member, and still read
/// (`stored`).
pub const DRAFT_VERSION: u32 = 2;

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

/// A line's typed texts by the table's member names (`fields::LINE_FIELDS`), both ways from
/// one list.
macro_rules! line_texts {
    ($($member:literal => $field:ident),* $(,)?) => {
        impl LineDraft {
            /// The text typed for `member` (`quantity`); `None` for a member the line
            /// computes (the amount).
            pub fn text(&self, member: &str) -> Option<&str> {
                match member {
                    $($member => Some(self.$field.as_str()),)*
                    _ => None,
                }
            }
            /// The text of `member`, to write (`None` as for [`LineDraft::text`]).
            pub fn text_mut(&mut self, member: &str) -> Option<&mut String> {
                match member {
                    $($member => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

line_texts! {
    "name" => name,
    "productId" => product_id,
    "quantity" => quantity,
    "rate" => rate,
    "discount" => discount,
    "tax" => tax,
}

/// Everything the create form holds, as typed: strings stay strings until the payload is built,
/// so a half-typed amount survives a reload. The members the conversion writes by code of its
/// own are named; the table's plain members are kept by path. Reading a stored draft of any
/// version fills what is missing with the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "stored::Stored")]
pub struct OrderDraft {
    /// [`DRAFT_VERSION`] when written.
    pub version: u32,
    /// `private` or `corporate` (payment link and invoice; E-Faktura and EHF fix it).
    pub customer_type: String,
    /// The phone's country (ISO alpha-2): the select's value, since calling codes repeat
    /// (+1, +7, +44, +47 …).
    pub phone_country: String,
    /// Its calling code as sent (`+47`).
    pub calling_code: String,
    pub msisdn: String,
    pub invoice_interval: String,
    /// Empty: the kind's default.
    pub invoice_maturity: String,
    /// The order date as a date input gives it (`2026-01-15`); empty: today.
    pub order_date: String,
    /// Every typed text of the table ([`Source::Text`]) by its path
    /// (`customerDetails.address.city`), its default until typed.
    pub texts: BTreeMap<String, String>,
    /// Every ticked choice of the table ([`Source::Flag`]) by its path (`sendOrderBy.sms`).
    pub flags: BTreeMap<String, bool>,
    pub lines: Vec<LineDraft>,
}

impl Default for OrderDraft {
    fn default() -> Self {
        let mut texts = BTreeMap::new();
        let mut flags = BTreeMap::new();
        for f in FIELDS {
            match f.source {
                Source::Text(rule) => {
                    texts.insert(f.path.to_owned(), rule.default.to_owned());
                }
                Source::Flag { default } => {
                    flags.insert(f.path.to_owned(), default);
                }
                Source::Own | Source::Fixed { .. } => {}
            }
        }
        OrderDraft {
            version: DRAFT_VERSION,
            customer_type: CustomerType::Private.as_str().into(),
            phone_country: "NO".into(),
            calling_code: DEFAULT_CALLING_CODE.into(),
            msisdn: String::new(),
            invoice_interval: "0".into(),
            invoice_maturity: String::new(),
            order_date: String::new(),
            texts,
            flags,
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

    /// The text typed for the table's member at `path` (empty for a path that is no text).
    pub fn text(&self, path: &str) -> &str {
        self.texts.get(path).map_or("", String::as_str)
    }

    /// Type `value` into the member at `path`; a path the table keeps no text for is not kept
    /// (the draft holds the table's members only).
    pub fn set_text(&mut self, path: &str, value: impl Into<String>) {
        if let Some(text) = self.texts.get_mut(path) {
            *text = value.into();
        }
    }

    /// The draft with `value` typed at `path` ([`OrderDraft::set_text`]).
    #[must_use]
    pub fn with_text(mut self, path: &str, value: impl Into<String>) -> OrderDraft {
        self.set_text(path, value);
        self
    }

    /// Whether the choice at `path` is ticked (`false` for a path that is no choice).
    pub fn flag(&self, path: &str) -> bool {
        self.flags.get(path).copied().unwrap_or(false)
    }

    /// Tick (or not) the choice at `path`; as [`OrderDraft::set_text`], only the table's.
    pub fn set_flag(&mut self, path: &str, value: bool) {
        if let Some(flag) = self.flags.get_mut(path) {
            *flag = value;
        }
    }

    /// A payment link one could send: a customer with a phone and an email in Sandnes, one
    /// line of 2 × 200 kr less 50. The one starting point of the examples in core's and the
    /// console's tests.
    pub fn example() -> OrderDraft {
        let mut d = OrderDraft {
            msisdn: "465 67 468".into(),
            lines: vec![LineDraft {
                name: "Hair wash".into(),
                quantity: "2".into(),
                rate: "200,00".into(),
                discount: "50".into(),
                tax: "25".into(),
                ..LineDraft::default()
            }],
            ..OrderDraft::default()
        };
        for (path, value) in [
            ("customerDetails.name", "Kari Nordmann"),
            ("customerDetails.email", "kari@example.no"),
            ("customerDetails.address.street", "Luramyrveien 65"),
            ("customerDetails.address.zip", "4313"),
            ("customerDetails.address.city", "Sandnes"),
        ] {
            d.set_text(path, value);
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn every_typed_line_member_has_its_text() {
        let mut l = LineDraft::default();
        for f in fields::LINE_FIELDS {
            let typed = f.input != fields::Input::Computed;
            assert_eq!(l.text(f.member).is_some(), typed, "{}", f.member);
            assert_eq!(l.text_mut(f.member).is_some(), typed, "{}", f.member);
        }
        if let Some(rate) = l.text_mut("rate") {
            *rate = "12,50".into();
        }
        assert_eq!(l.rate, "12,50");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_new_draft_holds_every_plain_member_of_the_table() {
        let d = OrderDraft::default();
        for f in FIELDS {
            match f.source {
                Source::Text(rule) => assert_eq!(d.text(f.path), rule.default, "{}", f.path),
                Source::Flag { default } => assert_eq!(d.flag(f.path), default, "{}", f.path),
                Source::Own | Source::Fixed { .. } => {
                    assert!(!d.texts.contains_key(f.path) && !d.flags.contains_key(f.path));
                }
            }
        }
        // Only the table's members are kept.
        let typed = d.clone().with_text("noSuchMember", "x");
        assert_eq!(typed, d);
        assert_eq!(
            OrderDraft::example().text("customerDetails.address.city"),
            "Sandnes"
        );
    }
}
