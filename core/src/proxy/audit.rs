//! The proxy's audit log as the console reads it (`GET /console/audit`), and the `detail`s
//! the proxy writes into it.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::requests::ResendRequest;
use crate::roles::Role;

use super::users::UserStatus;

/// The audit `detail` of a resend: to whom the link went,
/// `{"to": {"countryCode": "+47", "msisdn": "91234567", "email": "…"}}` (members as sent,
/// normalised by validation; absent ones left out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResendDetail {
    pub to: ResendRequest,
}

/// The audit `detail` of a sign-in, session, user or API key change: whom and what it
/// touched (absent members left out), e.g. `{"username": "kari", "role": "clerk"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountDetail {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// A session's short handle (enough to match the sessions list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// An API key's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// How many sessions the change ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked: Option<usize>,
}

/// One audit row: a write attempt through the proxy, a callback, or (admins only) a sign-in or
/// account change. `at` is Unix milliseconds; every member is present on the wire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    /// `user:kari`, `key:ci`, `callback` or `unknown`.
    pub actor: String,
    /// The actor's role (`viewer` | `clerk` | `admin`), or `system` / `none`.
    pub role: String,
    /// The endpoint's or account action's name (`refundOrder`, `orderNote`, `signIn`, …).
    pub action: String,
    pub order_uuid: Option<String>,
    pub amount_ore: Option<i64>,
    /// The HTTP status the attempt was answered with.
    pub status: u16,
    /// The answer's `message` (or a refusal's reason, or a callback's status).
    pub message: String,
    pub idempotency_key: Option<String>,
    /// Answered from the idempotency store (no second write upstream).
    pub replayed: bool,
    /// What the write carried, as JSON text: refunds `{"<product id>": øre}`, resends
    /// [`ResendDetail`], cancels `{"cancellationNote": …}`, notes `{"note": …}`.
    pub detail: Option<String>,
    /// The client's address (account rows only).
    pub address: Option<String>,
}

impl AuditRow {
    /// The attempt succeeded (a 2xx answer).
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The amount the write carried, as money.
    pub fn amount(&self) -> Option<Money> {
        self.amount_ore.map(Money)
    }
}

/// A page of `GET /console/audit`, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuditPage {
    pub items: Vec<AuditRow>,
    /// The cursor of the next (older) page; `None` on the last.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn audit_shapes() {
        let to = ResendDetail {
            to: ResendRequest {
                country_code: Some("+47".into()),
                msisdn: Some("91234567".into()),
                email: None,
            },
        };
        assert_eq!(
            serde_json::to_value(&to).unwrap(),
            json!({"to": {"countryCode": "+47", "msisdn": "91234567"}})
        );
        let row = AuditRow {
            id: 7,
            at: 1,
            actor: "user:kari".into(),
            role: "admin".into(),
            action: "refundOrder".into(),
            amount_ore: Some(2000),
            status: 202,
            replayed: true,
            detail: Some(r#"{"1":2000}"#.into()),
            ..AuditRow::default()
        };
        let j = serde_json::to_value(&row).unwrap();
        for member in ["orderUuid", "amountOre", "idempotencyKey", "address"] {
            assert!(j.get(member).is_some(), "{member}");
        }
        assert_eq!(
            (j["replayed"].clone(), j["detail"].clone()),
            (json!(true), json!(r#"{"1":2000}"#))
        );
        assert_eq!(serde_json::from_value::<AuditRow>(j).unwrap(), row);
        assert!(
            row.succeeded()
                && !AuditRow {
                    status: 417,
                    ..row.clone()
                }
                .succeeded()
        );
        assert_eq!(row.amount(), Some(Money(2000)));
        let created = AccountDetail {
            username: Some("kari".into()),
            role: Some(Role::Clerk),
            ..AccountDetail::default()
        };
        assert_eq!(
            serde_json::to_value(&created).unwrap(),
            json!({"username": "kari", "role": "clerk"})
        );
        let page: AuditPage =
            serde_json::from_value(json!({"items": [], "nextCursor": "x"})).unwrap();
        assert_eq!(page.next_cursor.as_deref(), Some("x"));
    }
}
