//! Console sessions: a signed cookie that names a session row in D1.
//!
//! The cookie is `base64url(json payload) "." base64url(hmac)`, HMAC-SHA256 keyed with
//! `SESSION_SECRET`; the payload carries the session id (`sid`, 128 random bits in hex), the
//! user name and the absolute expiry. The signature stops forged ids before any D1 read; the
//! row decides the rest on every request: signed out ([`SessionRow::revoked_at`]), idle for
//! [`IDLE_MS`], older than [`LIFETIME_MS`], or a user who is disabled. `last_seen_at` is
//! written at most once per [`TOUCH_EVERY_MS`], so a busy console costs one indexed read per
//! request and about one write a minute.
//!
//! The cookie is `__Host-fd_session` (`Secure`, `Path=/`, no `Domain`: no sibling subdomain
//! can set or shadow it) off the local development hosts, `fd_session` on them (plain HTTP).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::headers::is_local_host;

/// The cookie's name on the local development hosts (plain HTTP).
pub const COOKIE_NAME: &str = "fd_session";
/// The cookie's name everywhere else: the `__Host-` prefix makes browsers insist on
/// `Secure`, `Path=/` and no `Domain`.
pub const SECURE_COOKIE_NAME: &str = "__Host-fd_session";
/// Absolute lifetime: eight hours after sign-in, however busy.
pub const LIFETIME_MS: i64 = 8 * 3600 * 1000;
/// Idle timeout: thirty minutes without a request (give or take [`TOUCH_EVERY_MS`]: the last
/// request is remembered to the minute).
pub const IDLE_MS: i64 = 30 * 60 * 1000;
/// `last_seen_at` is rewritten when it is at least this old.
pub const TOUCH_EVERY_MS: i64 = 60 * 1000;
/// Shortest `SESSION_SECRET` accepted.
pub const MIN_SECRET_LEN: usize = 16;
/// Random bytes in a session id (128 bits; 32 hex digits).
pub const ID_BYTES: usize = 16;
/// Allowed clock skew for `iat` in the future.
const SKEW_MS: i64 = 60_000;
const DOMAIN: &[u8] = b"frontdesk-session-v1.";

/// The signed cookie payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The session id: the key of its D1 row. Empty in cookies from before sessions were
    /// stored (refused as `sessionInvalid`).
    #[serde(default)]
    pub sid: String,
    /// The username.
    pub sub: String,
    /// Issued at, Unix ms.
    pub iat: i64,
    /// Expires at, Unix ms.
    pub exp: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("malformed session")]
    Malformed,
    #[error("bad session signature")]
    BadSignature,
    #[error("session expired")]
    Expired,
    #[error("session idle too long")]
    Idle,
    /// Signed out, signed out everywhere, ended by an admin, or its user was disabled.
    #[error("session revoked")]
    Revoked,
}

impl SessionError {
    /// The reason code in the 401 envelope.
    pub const fn code(self) -> &'static str {
        match self {
            SessionError::Malformed | SessionError::BadSignature => "sessionInvalid",
            SessionError::Expired | SessionError::Idle => "sessionExpired",
            SessionError::Revoked => "sessionRevoked",
        }
    }
}

impl Session {
    pub fn new(sid: &str, sub: &str, now_ms: i64) -> Session {
        Session {
            sid: sid.to_owned(),
            sub: sub.to_owned(),
            iat: now_ms,
            exp: now_ms.saturating_add(LIFETIME_MS),
        }
    }
}

/// A session id as we issue them: 32 lowercase hex digits.
pub fn is_session_id(id: &str) -> bool {
    id.len() == ID_BYTES * 2 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
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

/// Check signature (constant time), expiry, and the id's shape. The row check
/// ([`SessionRow::check`]) comes after.
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
    if !is_session_id(&s.sid) {
        return Err(SessionError::Malformed);
    }
    Ok(s)
}

/// A session's row in D1 (`sessions` joined with its user's role and status).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SessionRow {
    pub username: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    #[serde(default)]
    pub revoked_at: Option<i64>,
    pub role: frontdesk_core::roles::Role,
    pub status: frontdesk_core::proxy::UserStatus,
}

/// A live session: is `last_seen_at` worth rewriting now?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    /// Seen more than [`TOUCH_EVERY_MS`] ago: write `last_seen_at = now`.
    Touch,
}

impl SessionRow {
    /// Is the session (for the cookie's user `sub`) still good at `now_ms`?
    pub fn check(&self, sub: &str, now_ms: i64) -> Result<Freshness, SessionError> {
        if self.username != sub {
            return Err(SessionError::Malformed);
        }
        if self.revoked_at.is_some() || self.status == frontdesk_core::proxy::UserStatus::Disabled {
            return Err(SessionError::Revoked);
        }
        if now_ms.saturating_sub(self.created_at) >= LIFETIME_MS {
            return Err(SessionError::Expired);
        }
        if now_ms.saturating_sub(self.last_seen_at) >= IDLE_MS {
            return Err(SessionError::Idle);
        }
        Ok(
            if now_ms.saturating_sub(self.last_seen_at) >= TOUCH_EVERY_MS {
                Freshness::Touch
            } else {
                Freshness::Fresh
            },
        )
    }
}

/// Is a session seen at `last_seen_at` and made at `created_at` still live at `now_ms`
/// (for listing a user's sessions)?
pub fn live(created_at: i64, last_seen_at: i64, now_ms: i64) -> bool {
    now_ms.saturating_sub(created_at) < LIFETIME_MS && now_ms.saturating_sub(last_seen_at) < IDLE_MS
}

/// The cookie's name for a request on `host`.
pub fn cookie_name(host: &str) -> &'static str {
    if is_local_host(host) {
        COOKIE_NAME
    } else {
        SECURE_COOKIE_NAME
    }
}

/// Our cookie's value in a `Cookie` header, by the name the host uses (off localhost only the
/// `__Host-` one counts: an unprefixed cookie may have been planted by a sibling subdomain).
pub fn from_cookie_header<'a>(header: &'a str, host: &str) -> Option<&'a str> {
    let name = cookie_name(host);
    header.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k.trim() == name && !v.trim().is_empty()).then(|| v.trim())
    })
}

/// `Set-Cookie` for a new session on `host`. Max-Age is the absolute lifetime; the idle
/// timeout is the server's.
pub fn set_cookie(value: &str, host: &str) -> String {
    cookie(value, host, LIFETIME_MS / 1000)
}

/// `Set-Cookie` that removes the session's cookie on `host`.
pub fn clear_cookie(host: &str) -> String {
    cookie("", host, 0)
}

fn cookie(value: &str, host: &str, max_age_secs: i64) -> String {
    let secure = if is_local_host(host) { "" } else { "; Secure" };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}",
        cookie_name(host)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::proxy::UserStatus;
    use frontdesk_core::roles::Role;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";
    const SID: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip_and_expiry() {
        let now = 1_700_000_000_000;
        let s = Session::new(SID, "alice", now);
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
        // A signed cookie without a well-formed id (one from before sessions were stored).
        let old = encode(&Session::new("", "alice", now), SECRET);
        assert_eq!(verify(&old, SECRET, now), Err(SessionError::Malformed));
        let upper = encode(&Session::new(&SID.to_uppercase(), "alice", now), SECRET);
        assert_eq!(verify(&upper, SECRET, now), Err(SessionError::Malformed));
    }

    #[test]
    fn tampering_is_refused() {
        let now = 1_700_000_000_000;
        let v = encode(&Session::new(SID, "viewer", now), SECRET);
        let (p, t) = v.split_once('.').unwrap_or_default();
        // A forged payload with the old tag.
        let forged = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&Session {
                exp: now + LIFETIME_MS * 10,
                ..Session::new(SID, "admin", now)
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
            ..Session::new(SID, "a", now)
        };
        assert_eq!(
            verify(&encode(&long, SECRET), SECRET, now),
            Err(SessionError::Expired)
        );
    }

    fn row(created_at: i64, last_seen_at: i64) -> SessionRow {
        SessionRow {
            username: "alice".into(),
            created_at,
            last_seen_at,
            revoked_at: None,
            role: Role::Clerk,
            status: UserStatus::Active,
        }
    }

    #[test]
    fn the_row_decides() {
        let t0 = 1_700_000_000_000;
        let r = row(t0, t0);
        assert_eq!(r.check("alice", t0), Ok(Freshness::Fresh));
        assert_eq!(
            r.check("alice", t0 + TOUCH_EVERY_MS - 1),
            Ok(Freshness::Fresh)
        );
        assert_eq!(r.check("alice", t0 + TOUCH_EVERY_MS), Ok(Freshness::Touch));
        // Idle: thirty minutes since the last request.
        assert_eq!(r.check("alice", t0 + IDLE_MS - 1), Ok(Freshness::Touch));
        assert_eq!(r.check("alice", t0 + IDLE_MS), Err(SessionError::Idle));
        // Busy all day: still ends eight hours after sign-in.
        let busy = row(t0, t0 + LIFETIME_MS - 1000);
        assert_eq!(
            busy.check("alice", t0 + LIFETIME_MS - 1),
            Ok(Freshness::Fresh)
        );
        assert_eq!(
            busy.check("alice", t0 + LIFETIME_MS),
            Err(SessionError::Expired)
        );
        let revoked = SessionRow {
            revoked_at: Some(t0),
            ..row(t0, t0)
        };
        assert_eq!(revoked.check("alice", t0), Err(SessionError::Revoked));
        let disabled = SessionRow {
            status: UserStatus::Disabled,
            ..row(t0, t0)
        };
        assert_eq!(disabled.check("alice", t0), Err(SessionError::Revoked));
        // A cookie for another user than its row (cannot be signed without the secret).
        assert_eq!(r.check("bob", t0), Err(SessionError::Malformed));
        assert_eq!(SessionError::Idle.code(), "sessionExpired");
        assert_eq!(SessionError::Revoked.code(), "sessionRevoked");
        assert!(live(t0, t0, t0 + IDLE_MS - 1));
        assert!(!live(t0, t0, t0 + IDLE_MS));
        assert!(!live(t0, t0 + LIFETIME_MS, t0 + LIFETIME_MS));
    }

    #[test]
    fn ids() {
        assert!(is_session_id(SID));
        assert!(!is_session_id(&SID[1..]));
        assert!(!is_session_id(&SID.replace('a', "g")));
        assert!(!is_session_id(""));
    }

    #[test]
    fn cookies() {
        let local = "127.0.0.1:8787";
        let remote = "desk.example.com";
        assert_eq!(
            from_cookie_header("fd_session=abc.def", local),
            Some("abc.def")
        );
        assert_eq!(
            from_cookie_header("x=1;  fd_session=abc ; y=2", "localhost"),
            Some("abc")
        );
        assert_eq!(from_cookie_header("fd_sessionx=abc", local), None);
        assert_eq!(from_cookie_header("fd_session=", local), None);
        // Off localhost only the prefixed name counts.
        assert_eq!(from_cookie_header("fd_session=abc", remote), None);
        assert_eq!(
            from_cookie_header("fd_session=planted; __Host-fd_session=real", remote),
            Some("real")
        );
        assert_eq!(from_cookie_header("__Host-fd_session=x", local), None);
        let c = set_cookie("v", remote);
        for part in [
            "__Host-fd_session=v",
            "Path=/",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=28800",
            "; Secure",
        ] {
            assert!(c.contains(part), "{c}");
        }
        assert!(!c.contains("Domain"), "{c}");
        let l = set_cookie("v", local);
        assert!(
            l.starts_with("fd_session=v;") && !l.contains("Secure"),
            "{l}"
        );
        assert!(clear_cookie(local).contains("Max-Age=0"));
        assert!(clear_cookie(remote).starts_with("__Host-fd_session=;"));
        assert!(clear_cookie(remote).contains("; Secure"));
    }
}
