//! What the proxy keeps beside the API and the console reads back (`/console/...`, audit
//! `detail`s): one type each, so both sides write and read the same JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{Money, TaxRate};
use crate::order::{CreateOrder, MathError, Product, vat_by_rate};
use crate::requests::ResendRequest;
use crate::roles::Role;
use crate::status::OrderKind;

/// The audit `detail` of a resend: to whom the link went,
/// `{"to": {"countryCode": "+47", "msisdn": "91234567", "email": "…"}}` (members as sent,
/// normalised by validation; absent ones left out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResendDetail {
    pub to: ResendRequest,
}

/// The body of `PUT /console/orders/{uuid}/note`, and the audit `detail` of that write:
/// `{"note": "…"}`; `null` or blank clears the note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRequest {
    #[serde(default)]
    pub note: Option<String>,
}

/// VAT due per rate (after the discount), as JSON `{"2500": 18000}`: rate in basis points →
/// øre. Only rates that the order's lines use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VatByRate(pub BTreeMap<TaxRate, Money>);

impl VatByRate {
    /// Core's VAT per rate of these lines.
    pub fn of(products: &[Product]) -> Result<VatByRate, MathError> {
        vat_by_rate(products).map(VatByRate)
    }
}

impl Serialize for VatByRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .iter()
                .map(|(rate, vat)| (rate.basis_points().to_string(), vat.0)),
        )
    }
}

impl<'de> Deserialize<'de> for VatByRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, i64>::deserialize(d)?;
        raw.into_iter()
            .map(|(bp, ore)| {
                bp.parse::<i64>()
                    .map(|bp| (TaxRate(bp), Money(ore)))
                    .map_err(|_| serde::de::Error::custom("a VAT rate in basis points"))
            })
            .collect::<Result<_, _>>()
            .map(VatByRate)
    }
}

/// `GET /console/orders/{uuid}` (and the answer of a note write): what the proxy knows of an
/// order beyond the API's details. Everything is optional: an order known from a sync has a
/// status and little else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrderRecord {
    pub uuid: String,
    /// `proxy` (created through Frontdesk), `sync` or `callback` (known by status only).
    pub source: String,
    pub kind: Option<OrderKind>,
    pub created_by: Option<String>,
    /// Unix milliseconds.
    pub created_at: Option<i64>,
    /// From the request, for the order page (the API's details leave these out).
    pub first_name: Option<String>,
    /// First name and name as a person reads them ([`crate::CustomerDetails::full_name`]).
    pub full_name: Option<String>,
    pub reference_no: Option<String>,
    pub customer_reference: Option<String>,
    /// The note sent with a cancel through Frontdesk.
    pub cancellation_note: Option<String>,
    /// The internal note: kept by the proxy, never sent upstream.
    pub note: Option<String>,
    /// Who wrote the note (`user:alice`) and when (Unix milliseconds).
    pub note_by: Option<String>,
    pub note_at: Option<i64>,
    pub vat: Option<VatByRate>,
    pub invoice_number: Option<String>,
    /// Refunded so far, øre: as the API last said, else the refunds made through Frontdesk.
    pub refunded_ore: Option<i64>,
    /// The create request as validated: every field the order was sent with (address,
    /// maturity, sending choices, lines, …).
    pub request: Option<CreateOrder>,
}

impl OrderRecord {
    /// Fill the request's own members (first name, references) from `request`.
    pub fn with_request(mut self, request: CreateOrder) -> OrderRecord {
        let nonblank = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        self.first_name = nonblank(&request.customer_details.first_name);
        self.reference_no = nonblank(&request.reference_no);
        self.customer_reference = nonblank(&request.customer_reference);
        self.request = Some(request);
        self
    }
}

/// Whether a console user may sign in. Disabling ends the user's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserStatus {
    Active,
    Disabled,
}

impl UserStatus {
    /// The wire (and stored) name: `active` | `disabled`.
    pub const fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }
}

/// One console user, as `GET /console/users` lists them. Times are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub username: String,
    pub role: Role,
    pub status: UserStatus,
    pub created_at: i64,
    #[serde(default)]
    pub last_sign_in_at: Option<i64>,
}

/// The body of `POST /console/users`: the proxy generates the password (answered once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    pub username: String,
    pub role: Role,
}

/// The body of `PATCH /console/users/{username}`: what to change (absent members stay). A
/// role change or a disable ends the user's sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
}

/// A generated password, answered once by a create or a reset (never stored in clear, never
/// shown again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedPassword {
    pub username: String,
    pub password: String,
}

/// The body of `POST /auth/password`: the signed-in user's own password. Rule failures of
/// `new` come back keyed `new` ([`crate::validate::validate_new_password`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// One live console session (`GET /console/users/{username}/sessions`); `current` marks the
/// caller's own. Times are Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub id: String,
    pub username: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    #[serde(default)]
    pub user_agent: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub current: bool,
}

/// One API key of the `API_KEYS` secret (`GET /console/users/{username}/keys`): its name is
/// its id; `revoked` once `DELETE /console/keys/{id}` ended it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyInfo {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub revoked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn wire_shapes() {
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
        let vat = VatByRate([(TaxRate(2500), Money(18_000)), (TaxRate(0), Money(0))].into());
        let j = serde_json::to_value(&vat).unwrap();
        assert_eq!(j, json!({"0": 0, "2500": 18000}));
        assert_eq!(serde_json::from_value::<VatByRate>(j).unwrap(), vat);
        assert!(serde_json::from_value::<VatByRate>(json!({"x": 1})).is_err());
        let r: OrderRecord =
            serde_json::from_value(json!({"uuid": "ODR1000000001", "source": "sync"})).unwrap();
        assert_eq!((r.request, r.note, r.vat), (None, None, None));
        let j = serde_json::to_value(OrderRecord {
            note: Some("Call after 16".into()),
            ..OrderRecord::default()
        })
        .unwrap();
        for member in [
            "firstName",
            "fullName",
            "referenceNo",
            "customerReference",
            "cancellationNote",
            "note",
            "noteBy",
            "noteAt",
            "vat",
            "invoiceNumber",
            "refundedOre",
            "request",
        ] {
            assert!(j.get(member).is_some(), "{member}");
        }
        let n: NoteRequest = serde_json::from_value(json!({"note": null})).unwrap();
        assert_eq!(n.note, None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn user_management_shapes() {
        let u = UserSummary {
            username: "kari".into(),
            role: Role::Clerk,
            status: UserStatus::Disabled,
            created_at: 1,
            last_sign_in_at: None,
        };
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            json!({"username": "kari", "role": "clerk", "status": "disabled", "createdAt": 1, "lastSignInAt": null})
        );
        assert_eq!(UserStatus::Active.as_str(), "active");
        let change: UserChange = serde_json::from_value(json!({"status": "active"})).unwrap();
        assert_eq!(
            (change.role, change.status),
            (None, Some(UserStatus::Active))
        );
        assert_eq!(
            serde_json::to_value(UserChange {
                role: Some(Role::Admin),
                status: None
            })
            .unwrap(),
            json!({"role": "admin"})
        );
        assert!(serde_json::from_value::<UserChange>(json!({"status": "gone"})).is_err());
        assert!(
            serde_json::from_value::<NewUser>(json!({"username": "a", "role": "root"})).is_err()
        );
        let s: SessionInfo = serde_json::from_value(json!({
            "id": "ab", "username": "kari", "createdAt": 1, "lastSeenAt": 2, "userAgent": "UA",
            "address": null, "current": true
        }))
        .unwrap();
        assert_eq!(
            (s.user_agent.as_deref(), s.address, s.current),
            (Some("UA"), None, true)
        );
        let k = ApiKeyInfo {
            id: "ci".into(),
            username: "kari".into(),
            role: Role::Viewer,
            revoked: true,
        };
        assert_eq!(
            serde_json::to_value(&k).unwrap(),
            json!({"id": "ci", "username": "kari", "role": "viewer", "revoked": true})
        );
        let p: PasswordChange =
            serde_json::from_value(json!({"current": "a", "new": "b"})).unwrap();
        assert_eq!(p.new, "b");
        let i = IssuedPassword {
            username: "kari".into(),
            password: "x".into(),
        };
        assert_eq!(
            serde_json::to_value(&i).unwrap(),
            json!({"username": "kari", "password": "x"})
        );
    }
}
