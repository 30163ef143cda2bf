//! The proxy's user management (`/console/users…`, `/console/sessions/{id}`,
//! `/console/keys/{id}`): who may sign in with which role, their live sessions and API keys.

use serde::{Deserialize, Serialize};

use crate::roles::Role;

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
