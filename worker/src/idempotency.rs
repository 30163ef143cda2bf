//! Idempotency keys, Stripe's semantics, as a pure state machine over the stored row.
//!
//! A POST with `Idempotency-Key` claims `(principal, key)` atomically (`INSERT … ON CONFLICT DO
//! NOTHING`, then `changes`). The claim stores a fingerprint of (method, path, body).
//! - Definitive upstream answers (2xx, 4xx) are stored and replayed with `Idempotent-Replayed`.
//! - Upstream 429 means nothing happened: the claim is released so the key can be used again.
//! - An unknown outcome (timeout, network, 5xx, garbled answer) marks the row `unknown`; the
//!   next try with the same key first *settles* it ([`crate::reconcile`]) and only sends again
//!   when upstream shows the first attempt did not take effect.
//! - A row stuck `in_flight` (the Worker died mid-request) counts as unknown after
//!   [`STALE_IN_FLIGHT_MS`].
//!
//! The statements on the `idempotency_keys` table live in [`store`].

pub mod store;

use sha2::{Digest, Sha256};

use crate::error::ProxyError;

/// Longer than any upstream attempt (timeout ≤ 120 s) can take.
pub const STALE_IN_FLIGHT_MS: i64 = 150_000;
/// Keys are kept at least this long…
pub const KEEP_MS: i64 = 24 * 3600 * 1000;
/// …and purged by the cron after this.
pub const PURGE_AFTER_MS: i64 = 48 * 3600 * 1000;

pub fn validate_key(key: &str) -> Result<(), ProxyError> {
    if (1..=255).contains(&key.len()) && key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        Ok(())
    } else {
        Err(ProxyError::BadIdempotencyKey)
    }
}

/// sha256 of method, path and body (length-prefixed, so no two requests share an encoding).
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    for part in [method.as_bytes(), path.as_bytes(), body] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    hex::encode(h.finalize())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    InFlight,
    Done,
    Unknown,
}

impl State {
    pub const fn as_str(self) -> &'static str {
        match self {
            State::InFlight => "in_flight",
            State::Done => "done",
            State::Unknown => "unknown",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        [State::InFlight, State::Done, State::Unknown]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// The stored row, as far as the decision needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub state: State,
    pub fingerprint: String,
    pub status: Option<u16>,
    pub body: Option<String>,
    pub updated_at: i64,
}

/// What to do when the key already exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Replay {
        status: u16,
        body: String,
    },
    Mismatch,
    InFlight,
    /// The earlier attempt's outcome is unknown: settle it before anything is sent again.
    Settle,
}

pub fn on_existing(stored: &Stored, fingerprint: &str, now_ms: i64) -> Decision {
    if stored.fingerprint != fingerprint {
        return Decision::Mismatch;
    }
    match (stored.state, stored.status, &stored.body) {
        (State::Done, Some(status), Some(body)) => Decision::Replay {
            status,
            body: body.clone(),
        },
        (State::InFlight, ..) if now_ms - stored.updated_at < STALE_IN_FLIGHT_MS => {
            Decision::InFlight
        }
        _ => Decision::Settle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: State, fp: &str, at: i64) -> Stored {
        Stored {
            state,
            fingerprint: fp.into(),
            status: (state == State::Done).then_some(201),
            body: (state == State::Done).then(|| "{}".into()),
            updated_at: at,
        }
    }

    #[test]
    fn keys() {
        assert!(validate_key("a").is_ok());
        assert!(validate_key(&"k".repeat(255)).is_ok());
        assert_eq!(validate_key(""), Err(ProxyError::BadIdempotencyKey));
        assert_eq!(
            validate_key(&"k".repeat(256)),
            Err(ProxyError::BadIdempotencyKey)
        );
        assert_eq!(
            validate_key("has space"),
            Err(ProxyError::BadIdempotencyKey)
        );
        assert_eq!(validate_key("ø"), Err(ProxyError::BadIdempotencyKey));
    }

    #[test]
    fn fingerprints_differ() {
        let a = fingerprint("POST", "/p", b"{}");
        assert_eq!(a, fingerprint("POST", "/p", b"{}"));
        assert_ne!(a, fingerprint("POST", "/p", b"{} "));
        assert_ne!(a, fingerprint("POST", "/q", b"{}"));
        assert_ne!(
            fingerprint("POST", "/p", b"x"),
            fingerprint("POST", "/px", b"")
        );
    }

    #[test]
    fn decisions() {
        let now = 1_000_000_000;
        assert_eq!(
            on_existing(&row(State::Done, "f", now), "f", now),
            Decision::Replay {
                status: 201,
                body: "{}".into()
            }
        );
        assert_eq!(
            on_existing(&row(State::Done, "f", now), "g", now),
            Decision::Mismatch
        );
        assert_eq!(
            on_existing(&row(State::InFlight, "f", now), "g", now),
            Decision::Mismatch
        );
        assert_eq!(
            on_existing(&row(State::InFlight, "f", now - 1000), "f", now),
            Decision::InFlight
        );
        assert_eq!(
            on_existing(
                &row(State::InFlight, "f", now - STALE_IN_FLIGHT_MS),
                "f",
                now
            ),
            Decision::Settle
        );
        assert_eq!(
            on_existing(&row(State::Unknown, "f", now), "f", now),
            Decision::Settle
        );
        assert_eq!(State::parse("done"), Some(State::Done));
        assert_eq!(State::parse("x"), None);
    }
}
