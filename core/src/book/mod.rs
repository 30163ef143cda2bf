//! The customer book and the product catalogue (issue 18): what the proxy keeps of the
//! merchant's customers and products so that the order form need not be typed twice.
//!
//! - [`customers`]: a [`Customer`] (the order form's customer block, Front Payment's
//!   `customerUuid`, notes, who changed it when) and the body that creates or changes one.
//! - [`products`]: a catalogue [`Product`] (name, product id, unit price incl. VAT, a
//!   configured VAT rate, default discount, unit) and its body.
//! - [`matching`]: who is the same customer (number, else email, else phone; never the name).
//! - [`csv`]: the book's columns, its exports in either layout and its imports, each row
//!   validated for a preview (on [`crate::csv`], the one CSV reader and writer).
//!
//! The rules are the order form's, in [`crate::validate`] (`validate_book_customer`,
//! `validate_book_product`); nothing here checks a field itself.

pub mod csv;
pub mod customers;
pub mod matching;
pub mod products;

use serde::{Deserialize, Serialize};

use crate::validate::FieldErrors;

pub use customers::{Customer, CustomerExport, CustomerInput, Erasure};
pub use matching::{Basis, Keys, Match, match_customer};
pub use products::{Product, ProductInput};

/// One page of `GET /console/customers` or `GET /console/products`, keyset-paged like the
/// orders list: `nextCursor` asks for the page after this one (none after the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// The body of `POST /console/{customers,products}/{id}/archive`: archived entries are never
/// offered in the order form and kept (orders may name them); `false` brings one back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveRequest {
    pub archived: bool,
}

/// The most rows one import takes: as many as one file may have ([`crate::csv::MAX_ROWS`]).
pub const MAX_IMPORT_ROWS: usize = crate::csv::MAX_ROWS;

/// One data row of an import preview: its line in the file (the header is line 1) and what
/// core's rules made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow<T> {
    pub line: usize,
    pub outcome: ImportOutcome<T>,
}

/// A row the rules accept (with its warnings: mod-11, unusual phone, postcode) or refuse
/// (keyed by the same field paths as the API's 417 `fields`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportOutcome<T> {
    Ok {
        value: T,
        warnings: FieldErrors,
    },
    Err {
        errors: FieldErrors,
        warnings: FieldErrors,
    },
}

impl<T> ImportOutcome<T> {
    /// The accepted value, if the rules accepted it.
    pub fn value(&self) -> Option<&T> {
        match self {
            ImportOutcome::Ok { value, .. } => Some(value),
            ImportOutcome::Err { .. } => None,
        }
    }
}

/// The body of `POST /console/{customers,products}/import`: the rows of a preview the merchant
/// accepted, as values (checked again; one refused row refuses the whole import, so nothing
/// is half-imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRequest<T> {
    pub rows: Vec<ImportLine<T>>,
}

/// One accepted row: its line in the file and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine<T> {
    pub line: usize,
    pub value: T,
}

/// What an import did with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportDone {
    pub line: usize,
    pub action: ImportAction,
}

/// A new entry, an existing one brought up to date (the same customer by [`matching`], the
/// same product id), or nothing because several entries could be meant (a person decides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportAction {
    Created { id: String },
    Updated { id: String },
    Ambiguous { candidates: Vec<String> },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn wire_shapes() {
        let row = ImportRow {
            line: 3,
            outcome: ImportOutcome::<u8>::Err {
                errors: FieldErrors::new(),
                warnings: FieldErrors::new(),
            },
        };
        assert_eq!(
            serde_json::to_value(&row).unwrap(),
            json!({"line": 3, "outcome": {"err": {"errors": {}, "warnings": {}}}})
        );
        assert_eq!(row.outcome.value(), None);
        let done = ImportDone {
            line: 2,
            action: ImportAction::Ambiguous {
                candidates: vec!["cus_1".into()],
            },
        };
        assert_eq!(
            serde_json::to_value(&done).unwrap(),
            json!({"line": 2, "action": {"ambiguous": {"candidates": ["cus_1"]}}})
        );
        let req: ImportRequest<serde_json::Value> =
            serde_json::from_value(json!({"rows": [{"line": 2, "value": {"name": "A"}}]})).unwrap();
        assert_eq!(req.rows[0].line, 2);
        let page: Page<u8> = serde_json::from_value(json!({"items": [1]})).unwrap();
        assert_eq!(page.next_cursor, None);
    }
}
