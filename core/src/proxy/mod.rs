//! The proxy's own API beside Front Payment's (`/health`, `/auth/*`, `/console/*`, and the
//! keyed detail of its 417s): one type per request and answer, serialised by the worker and
//! read by the console, so both sides write and read the same JSON. Ids, amounts (øre) and
//! times (Unix milliseconds) are integers.
//!
//! - [`auth`]: sign-in, who is calling, sign-out, the own password.
//! - [`orders`]: the order index, what the proxy keeps of one order, its note, the sync.
//! - [`audit`]: the audit log and the details written into it.
//! - [`users`]: users, their sessions and API keys.
//!
//! The overview and the VAT report are [`crate::report`]'s.

pub mod audit;
pub mod auth;
pub mod orders;
pub mod users;

use serde::{Deserialize, Serialize};

use crate::validate::{FieldErrors, Issue};

pub use audit::{AccountDetail, AuditPage, AuditRow, ResendDetail};
pub use auth::{Credentials, Me, PasswordChange, SignedOut, Via};
pub use orders::{IndexedOrder, NoteRequest, OrderRecord, OrdersPage, Synced, VatByRate};
pub use users::{
    ApiKeyInfo, IssuedPassword, NewUser, SessionInfo, UserChange, UserStatus, UserSummary,
};

/// Which upstream a proxy forwards to, without saying where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Upstream {
    /// The built-in sandbox (its controls are on).
    Sandbox,
    Frontpayment,
}

/// `GET /health`: liveness, the upstream's kind, and whether the proxy supplies a create's
/// callback URL itself (it knows its `PUBLIC_URL`; see [`crate::callback::proxy_callback_url`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: String,
    pub upstream: Upstream,
    #[serde(default)]
    pub proxy_callback: bool,
}

impl Health {
    /// A live proxy's answer.
    pub fn ok(sandbox_controls: bool, proxy_callback: bool) -> Health {
        Health {
            status: "ok".into(),
            upstream: if sandbox_controls {
                Upstream::Sandbox
            } else {
                Upstream::Frontpayment
            },
            proxy_callback,
        }
    }

    /// The proxy forwards to the built-in sandbox (its controls are on).
    pub fn is_sandbox(&self) -> bool {
        self.upstream == Upstream::Sandbox
    }
}

/// The proxy's extra 417 detail (`fields`: path → code + params, beside the sentences) read
/// back as core's issues, in path order.
pub fn field_issues(fields: &FieldErrors) -> Vec<Issue> {
    fields
        .iter()
        .flat_map(|(path, failed)| {
            failed.iter().map(move |f| Issue {
                field: path.clone(),
                code: f.code,
                params: f.params.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Report;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn health_names_the_upstream_kind_and_the_callback_supply() {
        assert_eq!(
            serde_json::to_value(Health::ok(false, true)).unwrap(),
            json!({"status": "ok", "upstream": "frontpayment", "proxyCallback": true})
        );
        let h: Health =
            serde_json::from_value(json!({"status": "ok", "upstream": "sandbox"})).unwrap();
        assert!(h.is_sandbox() && !h.proxy_callback);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_417_detail_reads_back_as_the_issues_it_was_made_of() {
        let report: Report = serde_json::from_value(json!({
            "errors": [
                {"field": "referenceNo", "code": "required", "params": {}},
                {"field": "customerDetails.email", "code": "email", "params": {}}
            ],
            "warnings": []
        }))
        .unwrap();
        let mut expected = report.errors.clone();
        expected.sort_by(|a, b| a.field.cmp(&b.field));
        assert_eq!(field_issues(&report.fields()), expected);
    }
}
