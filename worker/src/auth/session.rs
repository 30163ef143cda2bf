//! Console sessions: a signed, expiring cookie. `base64url(json payload) "." base64url(hmac)`,
//! HMAC-SHA256 keyed with `SESSION_SECRET`. Stateless: the role is looked up in `USERS` on every
//! request, and `pwv` (a fingerprint of the user's password hash) ends every session of a user
//! whose password changed. Logout clears the cookie; a copied cookie stays valid until `exp`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const COOKIE_NAME: &str = "fd_session";
/// Eight hours.
pub const LIFETIME_MS: i64 = 8 * 3600 * 1000;
/// Shortest `SESSION_SECRET` accepted.
pub const MIN_SECRET_LEN: usize = 16;
/// Allowed clock skew for `iat` in the future.
const SKEW_MS: i64 = 60_000;
const DOMAIN: &[u8] = b"frontdesk-session-v1.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The username.
    pub sub: String,
    /// Issued at, Unix ms.
    pub iat: i64,
    /// Expires at, Unix ms.
    pub exp: i64,
    /// Fingerprint of the password hash the session was opened with.
    pub pwv: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("malformed session")]
    Malformed,
    #[error("bad session signature")]
    BadSignature,
    #[error("session expired")]
    Expired,
}

impl SessionError {
    /// The reason code in the 401 envelope.
    pub const fn code(self) -> &'static str {
        match self {
            SessionError::Malformed | SessionError::BadSignature => "sessionInvalid",
            SessionError::Expired => "sessionExpired",
        }
    }
}

impl Session {
    pub fn new(sub: &str, pwv: &str, now_ms: i64) -> Session {
        Session {
            sub: sub.to_owned(),
            iat: now_ms,
            exp: now_ms.saturating_add(LIFETIME_MS),
            pwv: pwv.to_owned(),
        }
    }
}

fn mac(secret: &str, payload_b64: &str) -> Option<Hmac<Sha256>> {
    // HMAC takes keys of any length: this never fails in practice.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).ok()?;
    m.update(DOMAIN);
    m.update(payload_b64.as_bytes());
    Some(m)
}

/// The cookie value for `session`.
pub fn encode(session: &Session, secret: &str) -> String {
    let json = serde_json::to_vec(session).unwrap_or_default();
    let payload = URL_SAFE_NO_PAD.encode(json);
    let Some(m) = mac(secret, &payload) else {
        return String::new();
    };
    format!(
        "{payload}.{}",
        URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
    )
}

/// Check signature (constant time) and expiry.
pub fn verify(value: &str, secret: &str, now_ms: i64) -> Result<Session, SessionError> {
    let (payload, tag) = value.split_once('.').ok_or(SessionError::Malformed)?;
    if payload.len() > 2048 {
        return Err(SessionError::Malformed);
    }
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| SessionError::Malformed)?;
    mac(secret, payload)
        .ok_or(SessionError::BadSignature)?
        .verify_slice(&tag)
        .map_err(|_| SessionError::BadSignature)?;
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| SessionError::Malformed)?;
    let s: Session = serde_json::from_slice(&json).map_err(|_| SessionError::Malformed)?;
    if now_ms >= s.exp || s.iat > now_ms.saturating_add(SKEW_MS) || s.exp - s.iat > LIFETIME_MS {
        return Err(SessionError::Expired);
    }
    Ok(s)
}

/// Our cookie's value in a `Cookie` header.
pub fn from_cookie_header(header: &str) -> Option<&str> {
    header.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k.trim() == COOKIE_NAME && !v.trim().is_empty()).then(|| v.trim())
    })
}

/// Cookies are `Secure` except on plain-HTTP local development hosts.
pub fn secure_for_host(host: &str) -> bool {
    let h = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    !matches!(
        h.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(value: &str, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        LIFETIME_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` that removes the session.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip_and_expiry() {
        let now = 1_700_000_000_000;
        let s = Session::new("alice", "abcd", now);
        let v = encode(&s, SECRET);
        assert_eq!(verify(&v, SECRET, now + 1000), Ok(s.clone()));
        assert_eq!(
            verify(&v, SECRET, now + LIFETIME_MS - 1).map(|s| s.sub),
            Ok("alice".into())
        );
        assert_eq!(
            verify(&v, SECRET, now + LIFETIME_MS),
            Err(SessionError::Expired)
        );
        assert_eq!(
            verify(&v, SECRET, now - 120_000),
            Err(SessionError::Expired)
        );
        assert_eq!(
            verify(&v, "another secret of sixteen+", now),
            Err(SessionError::BadSignature)
        );
    }

    #[test]
    fn tampering_is_refused() {
        let now = 1_700_000_000_000;
        let v = encode(&Session::new("viewer", "x", now), SECRET);
        let (p, t) = v.split_once('.').unwrap_or_default();
        // A forged payload with the old tag.
        let forged = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&Session {
                exp: now + LIFETIME_MS * 10,
                ..Session::new("admin", "x", now)
            })
            .unwrap_or_default(),
        );
        assert_eq!(
            verify(&format!("{forged}.{t}"), SECRET, now),
            Err(SessionError::BadSignature)
        );
        assert_eq!(verify(p, SECRET, now), Err(SessionError::Malformed));
        assert_eq!(
            verify(&format!("{p}.!!"), SECRET, now),
            Err(SessionError::Malformed)
        );
        assert_eq!(verify("", SECRET, now), Err(SessionError::Malformed));
        // A validly signed session that claims more than 8 h.
        let long = Session {
            exp: now + LIFETIME_MS * 2,
            ..Session::new("a", "x", now)
        };
        assert_eq!(
            verify(&encode(&long, SECRET), SECRET, now),
            Err(SessionError::Expired)
        );
    }

    #[test]
    fn cookies() {
        assert_eq!(from_cookie_header("fd_session=abc.def"), Some("abc.def"));
        assert_eq!(
            from_cookie_header("x=1;  fd_session=abc ; y=2"),
            Some("abc")
        );
        assert_eq!(from_cookie_header("fd_sessionx=abc"), None);
        assert_eq!(from_cookie_header("fd_session="), None);
        assert!(!secure_for_host("localhost:8787"));
        assert!(!secure_for_host("127.0.0.1"));
        assert!(!secure_for_host("[::1]:8787"));
        assert!(secure_for_host("desk.example.com"));
        assert!(secure_for_host("127.0.0.2:80"));
        let c = set_cookie("v", true);
        for part in [
            "fd_session=v",
            "Path=/",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=28800",
            "Secure",
        ] {
            assert!(c.contains(part), "{c}");
        }
        assert!(!set_cookie("v", false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }
}
