//! The proxy's sign-in routes (`/auth/login`, `/auth/me`, `/auth/logout`,
//! `/auth/logout-everywhere`, `/auth/password`): who is calling, and how they proved it.

use serde::{Deserialize, Serialize};

use crate::roles::{Action, Role};

/// The body of `POST /auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// How a caller proved who they are: the console's session cookie or an API key (bearer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Via {
    Session,
    ApiKey,
}

/// The signed-in caller: the answer of `GET /auth/me` (with `via`) and of a sign-in (without:
/// a sign-in always starts a session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Via>,
}

impl Me {
    /// Whether core's role table (the one the proxy enforces) lets this caller do `action`.
    pub fn may(&self, action: Action) -> bool {
        self.role.allows(action)
    }
}

/// The answer of `POST /auth/logout` and `/auth/logout-everywhere` (the latter with how many
/// sessions it ended).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedOut {
    pub logged_out: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<usize>,
}

/// The body of `POST /auth/password`: the signed-in user's own password. Rule failures of
/// `new` come back keyed `new` ([`crate::validate::validate_new_password`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn sign_in_shapes() {
        let me = Me {
            username: "kari".into(),
            role: Role::Clerk,
            via: Some(Via::ApiKey),
        };
        assert_eq!(
            serde_json::to_value(&me).unwrap(),
            json!({"username": "kari", "role": "clerk", "via": "apiKey"})
        );
        let signed_in = Me { via: None, ..me };
        assert_eq!(
            serde_json::to_value(&signed_in).unwrap(),
            json!({"username": "kari", "role": "clerk"})
        );
        assert!(signed_in.may(Action::Create) && !signed_in.may(Action::Refund));
        assert!(serde_json::from_value::<Me>(json!({"username": "a", "role": "root"})).is_err());
        assert_eq!(
            serde_json::to_value(SignedOut {
                logged_out: true,
                revoked: None
            })
            .unwrap(),
            json!({"loggedOut": true})
        );
        assert_eq!(
            serde_json::to_value(SignedOut {
                logged_out: true,
                revoked: Some(2)
            })
            .unwrap(),
            json!({"loggedOut": true, "revoked": 2})
        );
        let c: Credentials =
            serde_json::from_value(json!({"username": "a", "password": "b"})).unwrap();
        assert_eq!(c.password, "b");
        let p: PasswordChange =
            serde_json::from_value(json!({"current": "a", "new": "b"})).unwrap();
        assert_eq!(p.new, "b");
    }
}
