//! Who is calling and what they may do: sessions (console users), API keys (machines), roles,
//! the same-origin rule for cookie writes, the sign-in throttle, and the D1 rows of users,
//! sessions and revoked keys. All pure.

pub mod accounts;
pub mod client;
pub mod keys;
pub mod password;
pub use frontdesk_core::roles;
pub mod session;
pub mod throttle;
pub mod users;

pub use roles::{Action, Role};

use frontdesk_core::proxy::Me;

use crate::error::ProxyError;

/// How the caller proved who they are (core's, as `GET /auth/me` says it).
pub use frontdesk_core::proxy::Via;

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub role: Role,
    pub via: Via,
    /// The session id, when signed in with the cookie.
    pub session: Option<String>,
}

impl Principal {
    /// A stable id for audit rows and idempotency scopes: `user:alice`, `key:ci`.
    pub fn id(&self) -> String {
        match self.via {
            Via::Session => format!("user:{}", self.name),
            Via::ApiKey => format!("key:{}", self.name),
        }
    }

    /// Who is calling, as `GET /auth/me` answers.
    pub fn me(&self) -> Me {
        Me {
            username: self.name.clone(),
            role: self.role,
            via: Some(self.via),
        }
    }
}

/// The credential a request carries. A bearer header wins over a cookie (and is never
/// silently replaced by it when wrong).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential<'a> {
    None,
    Bearer(&'a str),
    /// An `Authorization` header that is not `Bearer <token>`.
    Malformed,
    Session(&'a str),
}

/// The credential of a request on `host` (whose cookie name [`session::cookie_name`] reads).
pub fn credential<'a>(
    authorization: Option<&'a str>,
    cookie: Option<&'a str>,
    host: &str,
) -> Credential<'a> {
    if let Some(h) = authorization {
        return match bearer(h) {
            Some(t) => Credential::Bearer(t),
            None => Credential::Malformed,
        };
    }
    match cookie.and_then(|c| session::from_cookie_header(c, host)) {
        Some(v) => Credential::Session(v),
        None => Credential::None,
    }
}

/// `Bearer <token>` (scheme case-insensitive).
pub fn bearer(header: &str) -> Option<&str> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(' ')?;
    let token = rest.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// May `principal` do `action`? 401 when nobody, 403 when the role is short.
pub fn authorize(principal: Option<&Principal>, action: Action) -> Result<(), ProxyError> {
    match principal {
        None => Err(ProxyError::Unauthenticated("noCredentials")),
        Some(p) if p.role.allows(action) => Ok(()),
        Some(_) => Err(ProxyError::Forbidden("roleNotAllowed")),
    }
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let end = rest
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + i);
    Some(&url[..end])
}

/// The CSRF rule for cookie-authenticated writes: the browser must say the request comes from
/// this origin (`Origin` equal to ours, or `Sec-Fetch-Site: same-origin`). Bearer-key clients
/// are not browsers riding on ambient credentials and skip this.
pub fn same_origin(own_origin: &str, origin: Option<&str>, sec_fetch_site: Option<&str>) -> bool {
    origin.is_some_and(|o| o.eq_ignore_ascii_case(own_origin))
        || sec_fetch_site.is_some_and(|s| s.eq_ignore_ascii_case("same-origin"))
}

/// For `POST /auth/login` (no session yet): refuse what a browser marks as cross-site, accept
/// clients that send neither header (scripts, curl).
pub fn login_origin_ok(
    own_origin: &str,
    origin: Option<&str>,
    sec_fetch_site: Option<&str>,
) -> bool {
    if let Some(o) = origin {
        if o != "null" || sec_fetch_site.is_some() {
            return o.eq_ignore_ascii_case(own_origin)
                || sec_fetch_site.is_some_and(|s| s.eq_ignore_ascii_case("same-origin"));
        }
        return false;
    }
    sec_fetch_site
        .is_none_or(|s| s.eq_ignore_ascii_case("same-origin") || s.eq_ignore_ascii_case("none"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials() {
        let local = "127.0.0.1:8787";
        assert_eq!(
            credential(Some("Bearer abc"), None, local),
            Credential::Bearer("abc")
        );
        assert_eq!(
            credential(Some("bearer  abc "), Some("fd_session=x"), local),
            Credential::Bearer("abc")
        );
        assert_eq!(
            credential(Some("Basic abc"), Some("fd_session=x"), local),
            Credential::Malformed
        );
        assert_eq!(
            credential(Some("Bearer "), None, local),
            Credential::Malformed
        );
        assert_eq!(
            credential(None, Some("a=1; fd_session=tok; b=2"), local),
            Credential::Session("tok")
        );
        assert_eq!(
            credential(None, Some("__Host-fd_session=tok"), "desk.example"),
            Credential::Session("tok")
        );
        assert_eq!(
            credential(None, Some("fd_session=tok"), "desk.example"),
            Credential::None
        );
        assert_eq!(credential(None, Some("a=1"), local), Credential::None);
        assert_eq!(credential(None, None, local), Credential::None);
    }

    #[test]
    fn authorize_answers_401_then_403() {
        let viewer = Principal {
            name: "v".into(),
            role: Role::Viewer,
            via: Via::Session,
            session: None,
        };
        assert_eq!(
            authorize(None, Action::Read),
            Err(ProxyError::Unauthenticated("noCredentials"))
        );
        assert_eq!(authorize(Some(&viewer), Action::Read), Ok(()));
        assert_eq!(
            authorize(Some(&viewer), Action::Create),
            Err(ProxyError::Forbidden("roleNotAllowed"))
        );
        assert_eq!(viewer.id(), "user:v");
        let key = Principal {
            name: "ci".into(),
            role: Role::Admin,
            via: Via::ApiKey,
            session: None,
        };
        assert_eq!(key.id(), "key:ci");
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:8787/api/v1/x?y"),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(origin_of("https://a.example"), Some("https://a.example"));
        assert_eq!(origin_of("nope"), None);
        let own = "https://desk.example";
        assert!(same_origin(own, Some("https://desk.example"), None));
        assert!(same_origin(own, None, Some("same-origin")));
        assert!(!same_origin(own, Some("https://evil.example"), None));
        assert!(!same_origin(own, None, Some("cross-site")));
        assert!(!same_origin(own, None, None));
        assert!(!same_origin(own, Some("null"), None));
        assert!(login_origin_ok(own, None, None));
        assert!(login_origin_ok(own, Some(own), Some("same-origin")));
        assert!(!login_origin_ok(own, Some("https://evil.example"), None));
        assert!(!login_origin_ok(own, None, Some("cross-site")));
        assert!(!login_origin_ok(own, Some("null"), None));
    }
}
