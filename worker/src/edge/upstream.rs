//! One upstream exchange with a timeout (AbortController + Delay), and GET retries.

use std::time::Duration;

use frontdesk_core::envelope::{RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING};
use futures_util::future::{Either, select};
use wasm_bindgen::JsValue;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

use super::{Ctx, now_ms};
use crate::error::{ProxyError, ProxyReply};
use crate::ratelimit;
use crate::upstream::{Exchange, Outcome, RateHeaders, redact, retry_delay_ms};

pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    pub body: Option<&'a str>,
    /// `X-Sandbox-Fault` to pass on (only when the sandbox controls are on).
    pub fault: Option<&'a str>,
}

async fn exchange(ctx: &Ctx, call: &Call<'_>) -> Exchange {
    let headers = Headers::new();
    let _ = headers.set("authorization", &format!("Bearer {}", ctx.cfg.token));
    let _ = headers.set("accept", "application/json");
    if call.body.is_some() {
        let _ = headers.set("content-type", "application/json");
    }
    if let (Some(f), true) = (call.fault, ctx.cfg.sandbox_controls) {
        let _ = headers.set("x-sandbox-fault", f);
    }
    let mut init = RequestInit::new();
    init.with_method(call.method.clone()).with_headers(headers);
    if let Some(b) = call.body {
        init.with_body(Some(JsValue::from_str(b)));
    }
    let Ok(request) = Request::new_with_init(call.url, &init) else {
        return Exchange::Network;
    };
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let work = async {
        let mut r = fetch.send_with_signal(&signal).await?;
        let status = r.status_code();
        let header = |name: &str| r.headers().get(name).ok().flatten();
        let content_type = header("content-type");
        let retry_after = header("retry-after");
        let rate = RateHeaders {
            limit: header(RATE_LIMIT_LIMIT),
            remaining: header(RATE_LIMIT_REMAINING),
        };
        let body = r.text().await?;
        Ok::<_, worker::Error>(Exchange::Answer {
            status,
            content_type,
            body,
            retry_after,
            rate,
        })
    };
    let timer = Delay::from(Duration::from_millis(ctx.cfg.upstream_timeout_ms));
    match select(Box::pin(work), Box::pin(timer)).await {
        Either::Left((Ok(x), _)) => x,
        Either::Left((Err(_), _)) => Exchange::Network,
        Either::Right(_) => {
            controller.abort();
            Exchange::Timeout
        }
    }
}

/// One attempt (writes are never retried blindly). Every answer updates the isolate's rate
/// budget, so background work sees what people spent.
pub async fn once(ctx: &Ctx, call: &Call<'_>) -> Outcome {
    let out = Outcome::from_exchange(exchange(ctx, call).await);
    ratelimit::observe(&out, now_ms());
    out
}

/// A GET with up to two retries on 5xx / timeout / network / garbled answers.
pub async fn get(ctx: &Ctx, url: &str, fault: Option<&str>) -> Outcome {
    let call = Call {
        method: Method::Get,
        url,
        body: None,
        fault,
    };
    let mut attempt = 0;
    loop {
        let out = once(ctx, &call).await;
        attempt += 1;
        if !out.retryable() {
            return out;
        }
        match retry_delay_ms(attempt) {
            Some(ms) => Delay::from(Duration::from_millis(ms)).await,
            None => return out,
        }
    }
}

/// Our answer for an upstream outcome: its JSON envelope with its status (and Retry-After),
/// a 429 envelope with `Retry-After` for upstream's rate limit, else 502 / 504. Upstream's
/// rate-limit headers go along. The token is scrubbed from anything passed on.
pub fn reply(ctx: &Ctx, out: &Outcome) -> Result<ProxyReply, ProxyError> {
    match out {
        Outcome::Json {
            status,
            body,
            retry_after,
            rate,
            ..
        } => {
            let mut r = ProxyReply {
                status: *status,
                body: redact(body, &ctx.cfg.token),
                headers: vec![("content-type".into(), "application/json".into())],
            };
            if let (Some(ra), 503) = (retry_after, *status) {
                r = r.with_header("retry-after", ra.clone());
            }
            Ok(with_rate(r, rate))
        }
        Outcome::RateLimited { rate, .. } => Ok(with_rate(out.failure().reply(), rate)),
        Outcome::NotJson { .. } | Outcome::Timeout | Outcome::Network => Err(out.failure()),
    }
}

fn with_rate(mut reply: ProxyReply, rate: &RateHeaders) -> ProxyReply {
    for (name, value) in rate.pairs() {
        reply = reply.with_header(name, value);
    }
    reply
}

/// `data` of a successful JSON answer.
pub fn data(out: &Outcome) -> Option<&serde_json::Value> {
    match out {
        Outcome::Json {
            status: 200..=299,
            envelope,
            ..
        } => envelope.data(),
        _ => None,
    }
}
