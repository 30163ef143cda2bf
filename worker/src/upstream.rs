//! Talking to Front Payment (or the sandbox): URLs, what an answer means, when a GET may be
//! retried, and scrubbing the token from anything that could leave the proxy.

use frontdesk_core::OrderStatus;
use frontdesk_core::envelope::{ApiMessage, Envelope, RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING};
use serde_json::Value;

use crate::error::ProxyError;

/// Retries for GETs on 5xx / timeout / network errors.
pub const MAX_GET_RETRIES: u32 = 2;

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

/// The `type` filter of Get All Order Status (decoded query pairs), checked before it goes
/// upstream: absent, empty, or one of core's statuses as the provider reads it
/// (case-insensitive). Anything else, a second `type` (PHP would read the last, we the first)
/// or a PHP array (`type[]=`), is 400 `invalidQueryParameter` naming `type`.
pub fn status_list_filter(pairs: &[(String, String)]) -> Result<Option<OrderStatus>, ProxyError> {
    let mut types = pairs
        .iter()
        .filter(|(k, _)| k == "type" || k.starts_with("type["));
    let Some((key, value)) = types.next() else {
        return Ok(None);
    };
    if key != "type" || types.next().is_some() {
        return Err(ProxyError::BadQuery("type"));
    }
    if value.trim().is_empty() {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| ProxyError::BadQuery("type"))
}

/// The sandbox root: the API base without `/api/v1`.
pub fn sandbox_root(base: &str) -> &str {
    base.strip_suffix(frontdesk_core::endpoint::BASE_PATH)
        .unwrap_or(base)
}

/// `Retry-After` of our 429 when upstream's is missing or not a number of seconds.
pub const DEFAULT_RETRY_AFTER_SECS: u64 = 60;

/// Upstream's rate-limit headers as it sent them: passed on to API clients and read by the
/// pacing of background work ([`crate::ratelimit`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateHeaders {
    pub limit: Option<String>,
    pub remaining: Option<String>,
}

impl RateHeaders {
    /// The headers to pass on: only those upstream sent, and only plain counts (nothing else
    /// upstream might put there reaches a client).
    pub fn pairs(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            (RATE_LIMIT_LIMIT, &self.limit),
            (RATE_LIMIT_REMAINING, &self.remaining),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            let v = value.as_deref()?.trim();
            let count = !v.is_empty() && v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit());
            count.then_some((name, v))
        })
    }
}

/// Seconds to wait from a `Retry-After` value (delta-seconds; an HTTP date or nothing → 60).
pub fn retry_after_secs(value: Option<&str>) -> u64 {
    value
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_RETRY_AFTER_SECS)
}

/// What a finished upstream exchange looked like (before it becomes our answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    Answer {
        status: u16,
        content_type: Option<String>,
        body: String,
        retry_after: Option<String>,
        rate: RateHeaders,
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
        rate: RateHeaders,
    },
    /// Upstream's rate limit (429, whatever its body: Laravel's own throttle answer is not the
    /// API's envelope). Upstream did nothing, and nobody retries it before `Retry-After`.
    RateLimited {
        retry_after: Option<String>,
        rate: RateHeaders,
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
                status: 429,
                retry_after,
                rate,
                ..
            } => Outcome::RateLimited { retry_after, rate },
            Exchange::Answer {
                status,
                body,
                retry_after,
                rate,
                ..
            } => match serde_json::from_str::<Envelope<Value>>(&body) {
                Ok(envelope) => Outcome::Json {
                    status,
                    body,
                    envelope,
                    retry_after,
                    rate,
                },
                Err(_) => Outcome::NotJson { status },
            },
        }
    }

    /// Did upstream certainly do the work, certainly not, or can't we tell?
    pub fn certainty(&self) -> Certainty {
        match self {
            Outcome::Json { status, .. } if *status < 500 && *status != 408 => {
                Certainty::Definitive
            }
            // Rate limited: upstream refused before doing anything.
            Outcome::RateLimited { .. } => Certainty::NotDone,
            // 5xx (the documented 500 can come after the work was committed), a timeout, a
            // dropped connection, a garbled answer: the work may or may not have happened.
            _ => Certainty::Unknown,
        }
    }

    /// Upstream's rate-limit headers, when it answered at all.
    pub fn rate(&self) -> Option<&RateHeaders> {
        match self {
            Outcome::Json { rate, .. } | Outcome::RateLimited { rate, .. } => Some(rate),
            _ => None,
        }
    }

    /// Our error for an answer that is not the success the caller needed (the answer itself is
    /// passed on to API clients; this is for the proxy's own routes and background work).
    pub fn failure(&self) -> ProxyError {
        match self {
            Outcome::RateLimited { retry_after, .. } => ProxyError::UpstreamBusy {
                retry_after: retry_after_secs(retry_after.as_deref()),
            },
            Outcome::Timeout => ProxyError::UpstreamTimeout,
            Outcome::Network => ProxyError::UpstreamUnreachable,
            Outcome::Json { .. } | Outcome::NotJson { .. } => ProxyError::UpstreamBadResponse,
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

/// The orders of a Get All Order Status answer. The live server answers a list without orders
/// (an empty account, or no order of the `?type=`) with 404 `Order Not Found`: zero orders,
/// never an error.
pub fn listed_orders(out: &Outcome) -> Option<&[Value]> {
    match out {
        Outcome::Json {
            status: 200..=299,
            envelope,
            ..
        } => envelope.data().and_then(Value::as_array).map(Vec::as_slice),
        Outcome::Json {
            status: 404,
            envelope,
            ..
        } if envelope.api_message() == Some(ApiMessage::OrderNotFound) => Some(Default::default()),
        _ => None,
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

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_status_list_filter_is_one_of_cores_statuses() {
        let ok = |p: &[(&str, &str)]| status_list_filter(&query(p));
        assert_eq!(ok(&[]), Ok(None));
        assert_eq!(ok(&[("page", "2")]), Ok(None));
        assert_eq!(ok(&[("type", "")]), Ok(None));
        assert_eq!(ok(&[("type", "Paid")]), Ok(Some(OrderStatus::Paid)));
        assert_eq!(
            ok(&[("type", "partial refunded")]),
            Ok(Some(OrderStatus::PartialRefunded))
        );
        let refused = Err(ProxyError::BadQuery("type"));
        assert_eq!(ok(&[("type", "NOPE")]), refused);
        assert_eq!(ok(&[("type", "PAID' OR 1=1")]), refused);
        assert_eq!(ok(&[("type", "PAID"), ("type", "SENT")]), refused);
        assert_eq!(ok(&[("type[]", "PAID")]), refused);
        assert_eq!(ok(&[("type[0]", "PAID")]), refused);
    }

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
            rate: RateHeaders::default(),
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
        // A 429 is "not done" and never retried, as an envelope or as Laravel's own body.
        for body in [
            r#"{"status_code":429,"message":"tooManyRequests","is_error":true}"#,
            r#"{"message":"Too Many Attempts."}"#,
            "",
        ] {
            let busy = answer(429, body);
            assert!(matches!(busy, Outcome::RateLimited { .. }), "{body}");
            assert_eq!(busy.certainty(), Certainty::NotDone);
            assert!(!busy.retryable());
            assert_eq!(
                busy.failure(),
                ProxyError::UpstreamBusy {
                    retry_after: DEFAULT_RETRY_AFTER_SECS
                }
            );
        }
        assert_eq!(answer(417, r#"{"status_code":417,"message":"payloadValidationErrors","is_error":true,"errors":{}}"#).certainty(), Certainty::Definitive);
        assert_eq!(
            Outcome::from_exchange(Exchange::Timeout).certainty(),
            Certainty::Unknown
        );
        assert!(Outcome::Network.retryable());
    }

    #[test]
    fn rate_headers_and_retry_after() {
        let x = Outcome::from_exchange(Exchange::Answer {
            status: 429,
            content_type: None,
            body: String::new(),
            retry_after: Some(" 17 ".into()),
            rate: RateHeaders {
                limit: Some("240".into()),
                remaining: Some("0".into()),
            },
        });
        assert_eq!(x.failure(), ProxyError::UpstreamBusy { retry_after: 17 });
        let pairs: Vec<_> = x.rate().map(|r| r.pairs().collect()).unwrap_or_default();
        assert_eq!(
            pairs,
            [("x-ratelimit-limit", "240"), ("x-ratelimit-remaining", "0")]
        );
        let odd = RateHeaders {
            limit: Some("240\r\nset-cookie: a".into()),
            remaining: None,
        };
        assert_eq!(odd.pairs().count(), 0);
        assert_eq!(retry_after_secs(Some("Wed, 21 Oct 2015 07:28:00 GMT")), 60);
        assert_eq!(retry_after_secs(None), 60);
        assert!(Outcome::Timeout.rate().is_none());
        assert_eq!(Outcome::Timeout.failure(), ProxyError::UpstreamTimeout);
    }

    #[test]
    fn an_empty_status_list_is_a_404() {
        let list = answer(
            200,
            r#"{"status_code":200,"message":"Order Status Retrieved Successfully","is_data":true,"data":[{"uuid":"ODR1000000001","status":"SENT"}]}"#,
        );
        assert_eq!(listed_orders(&list).map(<[Value]>::len), Some(1));
        // As recorded (July 2025), and as the docs' spelling of not found.
        for message in ["Order Not Found", "orderNotFound"] {
            let none = answer(
                404,
                &format!(
                    r#"{{"status_code":404,"status_message":"Not Found","message":"{message}","is_data":false,"data":null}}"#
                ),
            );
            assert_eq!(
                listed_orders(&none).map(<[Value]>::len),
                Some(0),
                "{message}"
            );
        }
        let route = answer(
            404,
            r#"{"status_code":404,"message":"routeNotFound","is_error":true,"errors":null}"#,
        );
        assert_eq!(listed_orders(&route), None);
        assert_eq!(listed_orders(&Outcome::Timeout), None);
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
