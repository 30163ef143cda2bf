//! The proxy's batch routes as types, for the worker (serialises) and the console (reads):
//! `POST /console/batches` ([`BatchRequest`] → [`BatchPreview`]), `GET /console/batches`
//! ([`BatchList`]), `GET /console/batches/{id}` ([`BatchDetail`]), and the audit detail of an
//! order a batch sent ([`BatchAuditDetail`]). Ids, amounts (øre) and times (Unix ms) are
//! integers.

use serde::{Deserialize, Serialize};

use crate::status::OrderKind;
use crate::validate::{Code, Issue, Params, has_control_characters};

use super::BatchInput;
use super::job::{JobState, Progress, RowState};

/// Longest batch name, in characters.
pub const MAX_NAME: usize = 100;

/// `POST /console/batches`: preview a batch and keep it as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRequest {
    /// What people call it ("Kontingent 2026"): in the list, the orders' audit rows.
    pub name: String,
    pub kind: OrderKind,
    pub input: BatchInput,
}

impl BatchRequest {
    /// The name, trimmed, when it is one: 1 to [`MAX_NAME`] characters, no control characters.
    pub fn checked_name(&self) -> Result<String, Box<Issue>> {
        let name = self.name.trim();
        let issue = |code| Box::new(Issue::new("name", code));
        if name.is_empty() {
            return Err(issue(Code::Required));
        }
        if name.chars().count() > MAX_NAME {
            return Err(Box::new(Issue {
                params: Params {
                    max: Some(MAX_NAME.to_string()),
                    ..Params::default()
                },
                ..*issue(Code::MaxLength)
            }));
        }
        if has_control_characters(name) {
            return Err(issue(Code::ControlCharacters));
        }
        Ok(name.to_owned())
    }
}

/// A validation issue of one order, placed in the file: the column and line to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowIssue {
    #[serde(flatten)]
    pub issue: Issue,
    /// The column's key ([`super::columns::Column::key`]); `None` for a member no column
    /// fills (an option from the form).
    pub column: Option<String>,
    /// The file's line.
    pub line: Option<u64>,
}

/// One order of a preview: its total by core's math and what stops it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub row: u32,
    pub label: String,
    pub amount_ore: i64,
    /// Empty: the order is sent on confirm. Otherwise it is left out.
    pub issues: Vec<RowIssue>,
}

impl PreviewRow {
    /// Validation let it through.
    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }
}

/// A preview's totals: orders, those that will be sent, and their amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Totals {
    pub orders: u32,
    pub valid: u32,
    /// The valid orders' grand totals added up.
    pub amount_ore: i64,
}

/// One batch as the list and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchSummary {
    pub id: i64,
    pub name: String,
    pub kind: OrderKind,
    pub state: JobState,
    pub created_by: String,
    pub created_at: i64,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// What the orders to send add up to.
    pub amount_ore: i64,
    pub progress: Progress,
    /// The estimated finish while it runs ([`Progress::eta_ms`]).
    pub eta_at: Option<i64>,
}

/// `POST /console/batches`: the stored draft and every order's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchPreview {
    pub batch: BatchSummary,
    pub totals: Totals,
    pub rows: Vec<PreviewRow>,
}

/// `GET /console/batches`: newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BatchList {
    pub items: Vec<BatchSummary>,
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowResult {
    pub row: u32,
    pub label: String,
    pub state: RowState,
    pub amount_ore: i64,
    pub order_uuid: Option<String>,
    /// Why it failed (upstream's message, or the proxy's), or why it was invalid.
    pub error: Option<String>,
}

/// `GET /console/batches/{id}`: the batch and each row's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchDetail {
    pub batch: BatchSummary,
    pub rows: Vec<RowResult>,
}

/// The audit `detail` of an order a batch sent: `{"batch": {"id": 3, "name": "…", "row": 7}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchAuditDetail {
    pub batch: BatchRef,
}

/// Which batch, and which of its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRef {
    pub id: i64,
    pub name: String,
    pub row: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::OrderDraft;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn request_shape_and_name() {
        let r: BatchRequest = serde_json::from_value(json!({
            "name": "  Kontingent 2026 ",
            "kind": "INVOICE",
            "input": {"way": "toCustomers", "template": {}, "customers": "navn\nKari\n"}
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            &r.input,
            BatchInput::ToCustomers { template, customers: super::super::Customers::Csv(_) }
                if *template == OrderDraft::default()
        ));
        assert_eq!(r.checked_name(), Ok("Kontingent 2026".into()));
        let long = BatchRequest {
            name: "x".repeat(MAX_NAME + 1),
            ..r.clone()
        };
        assert_eq!(
            long.checked_name().map_err(|i| i.code),
            Err(Code::MaxLength)
        );
        let blank = BatchRequest {
            name: " ".into(),
            ..r.clone()
        };
        assert_eq!(
            blank.checked_name().map_err(|i| i.code),
            Err(Code::Required)
        );
        let ctl = BatchRequest {
            name: "a\u{7}".into(),
            ..r
        };
        assert_eq!(
            ctl.checked_name().map_err(|i| i.code),
            Err(Code::ControlCharacters)
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn row_issues_are_flat() {
        let i = RowIssue {
            issue: Issue::new("customerDetails.msisdn", Code::Required),
            column: Some("phone".into()),
            line: Some(3),
        };
        let v = serde_json::to_value(&i).unwrap_or_default();
        assert_eq!(v["field"], json!("customerDetails.msisdn"));
        assert_eq!(v["code"], json!("required"));
        assert_eq!(
            (v["column"].clone(), v["line"].clone()),
            (json!("phone"), json!(3))
        );
        let detail = BatchAuditDetail {
            batch: BatchRef {
                id: 3,
                name: "K".into(),
                row: 7,
            },
        };
        assert_eq!(
            serde_json::to_value(&detail).unwrap_or_default(),
            json!({"batch": {"id": 3, "name": "K", "row": 7}})
        );
    }
}
