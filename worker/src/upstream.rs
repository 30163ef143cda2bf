//! Talking to Front Payment (or the sandbox): URLs, what an answer means, when a GET may be
//! retried, and scrubbing the token from anything that could leave the proxy.

use frontdesk_core::Envelope;
use serde_json::Value;

/// Retries for GETs on 5xx / timeout / network errors.
pub const MAX_GET_RETRIES: u32 = 2;
/// The largest request body forwarded: 256 KiB.
pub const MAX_BODY: usize = 256 * 1024;

/// `{base}{path after /api/v1}{?query}`. `path` must be an API path (`/api/v1/…`).
pub fn api_url(base: &str, path: &str, query: Option<&str>) -> String {
    let rest = path
        .strip_prefix(frontdesk_core::endpoint::BASE_PATH)
        .unwrap_or(path);
    match query.filter(|q| !q.is_empty()) {
        Some(q) => format!("{base}{rest}?{q}"),
        None => format!("{base}{rest}"),
    }
}

/// The sandbox root: the API base without `/api/v1`.
pub fn sandbox_root(base: &str) -> &str {
    base.strip_suffix(frontdesk_core::endpoint::BASE_PATH)
        .unwrap_or(base)
}

/// What a finished upstream exchange looked like (before it becomes our answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    Answer {
        status: u16,
        content_type: Option<String>,
        body: String,
        retry_after: Option<String>,
    },
    Timeout,
    /// Connection refused, reset, dropped.
    Network,
}

/// What it means for us.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A JSON envelope from upstream: pass it on with its status.
    Json {
        status: u16,
        body: String,
        envelope: Envelope<Value>,
        retry_after: Option<String>,
    },
    /// Upstream answered something that is not the API's JSON: 502.
    NotJson {
        status: u16,
    },
    Timeout,
    Network,
}

impl Outcome {
    pub fn from_exchange(x: Exchange) -> Outcome {
        match x {
            Exchange::Timeout => Outcome::Timeout,
            Exchange::Network => Outcome::Network,
            Exchange::Answer {
                status,
                body,
                retry_after,
                ..
            } => match serde_json::from_str::<Envelope<Value>>(&body) {
                Ok(envelope) => Outcome::Json {
                    status,
                    body,
                    envelope,
                    retry_after,
                },
                Err(_) => Outcome::NotJson { status },
            },
        }
    }

    /// Did upstream certainly do the work, certainly not, or can't we tell?
    pub fn certainty(&self) -> Certainty {
        match self {
            Outcome::Json { status, .. } if *status < 500 && *status != 429 && *status != 408 => {
                Certainty::Definitive
            }
            // Rate limited: upstream refused before doing anything.
            Outcome::Json { status: 429, .. } => Certainty::NotDone,
            // 5xx (the documented 500 can come after the work was committed), a timeout, a
            // dropped connection, a garbled answer: the work may or may not have happened.
            _ => Certainty::Unknown,
        }
    }

    /// Is this worth another try for a GET?
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Outcome::Timeout | Outcome::Network | Outcome::NotJson { .. }
        ) || matches!(self, Outcome::Json { status, .. } if *status >= 500)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    Definitive,
    NotDone,
    Unknown,
}

/// Delay before GET retry `attempt` (1-based), or `None` when retries are used up.
pub fn retry_delay_ms(attempt: u32) -> Option<u64> {
    (attempt <= MAX_GET_RETRIES).then(|| 100u64 << (attempt - 1).min(4))
}

/// Replace every occurrence of `secret` in `text` (the token must never leave the proxy).
pub fn redact(text: &str, secret: &str) -> String {
    if secret.len() < 4 || !text.contains(secret) {
        return text.to_owned();
    }
    text.replace(secret, "[redacted]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            api_url(
                "http://h:1/api/v1",
                "/api/v1/connect/orders/status",
                Some("type=Paid")
            ),
            "http://h:1/api/v1/connect/orders/status?type=Paid"
        );
        assert_eq!(
            api_url(
                "https://demo-api.frontpayment.no/api/v1",
                "/api/v1/connect/orders/cancel/ODR1000000001",
                None
            ),
            "https://demo-api.frontpayment.no/api/v1/connect/orders/cancel/ODR1000000001"
        );
        assert_eq!(
            sandbox_root("http://127.0.0.1:9090/api/v1"),
            "http://127.0.0.1:9090"
        );
    }

    fn answer(status: u16, body: &str) -> Outcome {
        Outcome::from_exchange(Exchange::Answer {
            status,
            content_type: Some("application/json".into()),
            body: body.into(),
            retry_after: None,
        })
    }

    #[test]
    fn outcomes() {
        let ok = answer(
            201,
            r#"{"status_code":201,"status_message":"OK","message":"orderAddedSuccessfully","is_data":false,"data":{"uuid":"ODR1000000001"}}"#,
        );
        assert!(matches!(ok, Outcome::Json { status: 201, .. }));
        assert_eq!(ok.certainty(), Certainty::Definitive);
        assert!(!ok.retryable());
        let e500 = answer(
            500,
            r#"{"status_code":500,"message":"x","is_error":true,"errors":null}"#,
        );
        assert_eq!(e500.certainty(), Certainty::Unknown);
        assert!(e500.retryable());
        let bad = answer(200, "{\"status_code\":20\n<!-- upstream hiccup -->");
        assert_eq!(bad, Outcome::NotJson { status: 200 });
        assert_eq!(bad.certainty(), Certainty::Unknown);
        assert_eq!(
            answer(
                429,
                r#"{"status_code":429,"message":"tooManyRequests","is_error":true}"#
            )
            .certainty(),
            Certainty::NotDone
        );
        assert_eq!(answer(417, r#"{"status_code":417,"message":"payloadValidationErrors","is_error":true,"errors":{}}"#).certainty(), Certainty::Definitive);
        assert_eq!(
            Outcome::from_exchange(Exchange::Timeout).certainty(),
            Certainty::Unknown
        );
        assert!(Outcome::Network.retryable());
    }

    #[test]
    fn retries_and_redaction() {
        assert_eq!(retry_delay_ms(1), Some(100));
        assert_eq!(retry_delay_ms(2), Some(200));
        assert_eq!(retry_delay_ms(3), None);
        assert_eq!(
            redact("Bearer sbx_abcdef here sbx_abcdef", "sbx_abcdef"),
            "Bearer [redacted] here [redacted]"
        );
        assert_eq!(redact("nothing", "sbx_abcdef"), "nothing");
    }
}
