//! Callback delivery: `GET {callbackUrl}?orderUuid&status&createdAt&paymentMethod&amount&timestamp&checksum`
//! with `checksum = sha256_hex(values of the other parameters, in URL order, + secret)`.
//!
//! Deliveries are rows in SQLite, queued in the same transaction as the status change; a
//! background task sends them (a blocking ureq GET on the blocking pool, so a slow receiver
//! never holds an API call), logs every attempt and retries with exponential backoff. Rows
//! still pending at shutdown are resumed at the next start. ureq is built without TLS here:
//! an `https://` callback URL is attempted, fails, and is logged as failed.
//!
//! Only addresses the [`targets::Policy`] allows are called (no loopback, private or metadata
//! address without `--allow-private-callbacks`): a refused delivery is logged once as
//! `refused` and not retried; the order itself is made all the same (a callback is a hint).
//! Redirects are never followed (a 3xx is the receiver's answer, logged and retried like any
//! other non-2xx), and no proxy from the environment is used.

use std::sync::Arc;
use std::time::{Duration, Instant};

use frontdesk_core::callback::{CHECKSUM_PARAM, checksum};
use tokio::sync::{Semaphore, mpsc};

use crate::clock::{wall_millis, wall_secs};
use crate::store::{AttemptLog, CallbackJob, Store};
use crate::targets::{self, Guarded, Policy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// Delay before the second attempt; doubles each time.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Per-attempt timeout (connect + answer).
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            timeout: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Delay after failed attempt number `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// RFC 3986 percent-encoding of a query value (unreserved characters kept).
fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The full callback URL for one attempt: core's [`checksum`] over the raw (decoded) values
/// of every parameter in URL order, those the callbackUrl carries first (a `checksum` it
/// carries is skipped, as the rule says).
pub fn callback_url(job: &CallbackJob, timestamp: i64, secret: &str) -> String {
    let created = job.created_at.to_string();
    let amount = job.amount.to_api_string();
    let ts = timestamp.to_string();
    let params: [(&str, &str); 6] = [
        ("orderUuid", &job.order_uuid),
        ("status", &job.status),
        ("createdAt", &created),
        ("paymentMethod", &job.payment_method),
        ("amount", &amount),
        ("timestamp", &ts),
    ];
    // "Every other query parameter, in URL order": one already in the callbackUrl counts too.
    let existing: Vec<(String, String)> = job
        .url
        .split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (crate::api::percent_decode(k), crate::api::percent_decode(v))
                })
                .collect()
        })
        .unwrap_or_default();
    let all: Vec<(&str, &str)> = existing
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(params.iter().copied())
        .collect();
    let sum = checksum(&all, secret);
    let mut url = job.url.clone();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (k, v) in params
        .iter()
        .copied()
        .chain([(CHECKSUM_PARAM, sum.as_str())])
    {
        url.push(sep);
        url.push_str(k);
        url.push('=');
        url.push_str(&encode(v));
        sep = '&';
    }
    url
}

/// Hands queued callback ids to the delivery task.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    tx: mpsc::UnboundedSender<i64>,
}

impl Dispatcher {
    pub fn send(&self, ids: impl IntoIterator<Item = i64>) {
        for id in ids {
            // Closed only after shutdown; the row stays pending and is resumed on restart.
            let _ = self.tx.send(id);
        }
    }
}

/// What every delivery needs.
#[derive(Clone)]
struct Courier {
    store: Arc<Store>,
    agent: ureq::Agent,
    secret: Arc<str>,
    retry: RetryPolicy,
    targets: Policy,
}

/// The HTTP client: no redirects, no proxy from the environment, and the [`Guarded`] resolver
/// (the addresses it connects to are the checked ones).
fn agent(retry: RetryPolicy, targets: Policy) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(retry.timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .build();
    ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::new(),
        Guarded::new(targets),
    )
}

/// Start the delivery task (needs a tokio runtime) and resume deliveries left pending.
pub fn start(store: Arc<Store>, secret: String, retry: RetryPolicy, targets: Policy) -> Dispatcher {
    let (tx, mut rx) = mpsc::unbounded_channel::<i64>();
    let courier = Courier {
        store: store.clone(),
        agent: agent(retry, targets),
        secret: secret.into(),
        retry,
        targets,
    };
    let limit = Arc::new(Semaphore::new(32));
    let dispatcher = Dispatcher { tx };
    let resume = dispatcher.clone();
    tokio::spawn(async move {
        if let Ok(Ok(ids)) = tokio::task::spawn_blocking(move || store.pending_callbacks()).await {
            resume.send(ids);
        }
    });
    tokio::spawn(async move {
        while let Some(id) = rx.recv().await {
            let (courier, limit) = (courier.clone(), limit.clone());
            tokio::spawn(async move {
                let Ok(_permit) = limit.acquire_owned().await else {
                    return;
                };
                deliver(courier, id).await;
            });
        }
    });
    dispatcher
}

/// Log a delivery the [`targets::Policy`] refuses (one attempt, nothing sent) and end it.
async fn refuse(c: &Courier, job: &CallbackJob, refused: targets::Refused) {
    let log = AttemptLog {
        attempt: job.attempts.saturating_add(1),
        at_ms: wall_millis(),
        url: callback_url(job, wall_secs(), &c.secret),
        http_status: None,
        error: Some(format!("refused: {refused}")),
        duration_ms: 0,
    };
    let (s, id) = (c.store.clone(), job.id);
    let _ = tokio::task::spawn_blocking(move || s.log_attempt(id, &log, Some("refused"))).await;
}

/// One GET: the receiver's status, and what went wrong (`None` for a 2xx).
async fn send(agent: &ureq::Agent, url: &str) -> (Option<i64>, Option<String>) {
    let (a, u) = (agent.clone(), url.to_owned());
    let result =
        tokio::task::spawn_blocking(move || a.get(&u).call().map(|r| r.status().as_u16())).await;
    match result {
        Ok(Ok(code)) if (200..300).contains(&code) => (Some(i64::from(code)), None),
        Ok(Ok(code)) => (
            Some(i64::from(code)),
            Some(format!("receiver answered {code}")),
        ),
        Ok(Err(e)) => (None, Some(e.to_string())),
        Err(e) => (None, Some(format!("delivery task failed: {e}"))),
    }
}

async fn deliver(c: Courier, id: i64) {
    let s = c.store.clone();
    let Ok(Ok(Some(job))) = tokio::task::spawn_blocking(move || s.callback_job(id)).await else {
        return;
    };
    let (url, allowed) = (job.url.clone(), c.targets);
    // DNS is blocking. A failed check task is not a refusal: the resolver still guards.
    if let Ok(Err(refused)) =
        tokio::task::spawn_blocking(move || targets::check_url(&url, allowed)).await
    {
        return refuse(&c, &job, refused).await;
    }
    let (store, agent, secret, policy) = (&c.store, &c.agent, &c.secret, c.retry);
    let mut attempt = u32::try_from(job.attempts).unwrap_or(u32::MAX);
    loop {
        attempt = attempt.saturating_add(1);
        // The timestamp is real time (receivers compare it with their own clock), even when
        // the sandbox clock was moved.
        let url = callback_url(&job, wall_secs(), secret);
        let at_ms = wall_millis();
        let started = Instant::now();
        let (http_status, error) = send(agent, &url).await;
        let done = error.is_none();
        let final_state = if done {
            Some("delivered")
        } else if attempt >= policy.attempts {
            Some("failed")
        } else {
            None
        };
        let log = AttemptLog {
            attempt: i64::from(attempt),
            at_ms,
            url,
            http_status,
            error,
            duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        };
        let s = store.clone();
        let _ = tokio::task::spawn_blocking(move || s.log_attempt(id, &log, final_state)).await;
        if final_state.is_some() {
            return;
        }
        tokio::time::sleep(policy.delay(attempt)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::money::Money;

    #[test]
    fn url_order_and_encoding() {
        let job = CallbackJob {
            id: 1,
            url: "http://127.0.0.1:1/cb?shop=1".into(),
            order_uuid: "ODR1000000001".into(),
            status: "PARTIAL REFUNDED".into(),
            created_at: 1_700_000_000,
            payment_method: "CARD".into(),
            amount: Money(30_100),
            attempts: 0,
        };
        let url = callback_url(&job, 1_700_000_100, "s3cret");
        let want = checksum(
            &[
                ("shop", "1"),
                ("orderUuid", "ODR1000000001"),
                ("status", "PARTIAL REFUNDED"),
                ("createdAt", "1700000000"),
                ("paymentMethod", "CARD"),
                ("amount", "301.00"),
                ("timestamp", "1700000100"),
            ],
            "s3cret",
        );
        assert_eq!(
            url,
            format!(
                "http://127.0.0.1:1/cb?shop=1&orderUuid=ODR1000000001&status=PARTIAL%20REFUNDED&createdAt=1700000000&paymentMethod=CARD&amount=301.00&timestamp=1700000100&checksum={want}"
            )
        );
        // A `checksum` the callbackUrl already carries is not one of the values (core's rule).
        let carried = CallbackJob {
            url: "http://127.0.0.1:1/cb?checksum=old&shop=1".into(),
            ..job
        };
        let url = callback_url(&carried, 1_700_000_100, "s3cret");
        assert!(url.ends_with(&format!("&checksum={want}")), "{url}");
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy {
            attempts: 10,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(5),
            timeout: Duration::from_secs(1),
        };
        assert_eq!(p.delay(1), Duration::from_secs(1));
        assert_eq!(p.delay(2), Duration::from_secs(2));
        assert_eq!(p.delay(3), Duration::from_secs(4));
        assert_eq!(p.delay(4), Duration::from_secs(5));
        assert_eq!(p.delay(99), Duration::from_secs(5));
    }
}
