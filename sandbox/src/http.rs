//! The HTTP door: one dispatcher for every path, so every answer (including unknown routes,
//! wrong methods, bad bodies and panics) is an envelope. Routing of the 12 endpoints is core's
//! [`Endpoint::route`]; bodies are read by hand (size limit, content type, JSON depth) instead
//! of axum's extractors, whose rejections are plain text.
//!
//! Every answer carries what the live server's do (`cache-control: no-cache, private`,
//! `access-control-allow-origin: *`, `content-type: application/json`); API answers also the
//! rate limit's `x-ratelimit-limit` / `x-ratelimit-remaining` ([`crate::ratelimit`]).

use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontdesk_core::endpoint::{BASE_PATH, Endpoint, RouteError};
use frontdesk_core::envelope::{ApiMessage, Envelope, RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING};
use frontdesk_core::json::{JsonError, parse_strict};
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::App;
use crate::api::{self, Call, JsonAnswer};
use crate::faults::{self, ConnHandle, Fault};
use crate::ratelimit::Verdict;

/// Largest request body accepted.
pub const MAX_BODY: usize = 1024 * 1024;

pub fn router(state: Arc<App>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

async fn handle(State(app): State<Arc<App>>, req: Request) -> Response {
    // Run on its own task: a panic anywhere below becomes a 500 envelope, not a dropped
    // connection, and a client that hangs up does not cancel a write half-way.
    let mut r = match tokio::spawn(dispatch(app, req)).await {
        Ok(r) => r,
        Err(_) => respond(JsonAnswer::internal("the request handler failed")),
    };
    laravel_headers(r.headers_mut());
    r
}

/// What every answer of the live server carries (Laravel's default and its CORS middleware).
fn laravel_headers(h: &mut HeaderMap) {
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache, private"));
    h.entry(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .or_insert(HeaderValue::from_static("*"));
}

/// `x-ratelimit-limit` / `x-ratelimit-remaining` of a request that passed (none when off).
fn rate_headers(h: &mut HeaderMap, verdict: Verdict) {
    if let Verdict::Allowed { limit, remaining } = verdict {
        h.insert(RATE_LIMIT_LIMIT, HeaderValue::from(limit));
        h.insert(RATE_LIMIT_REMAINING, HeaderValue::from(remaining));
    }
}

/// Past the limit: Laravel's 429, with when to come back (`Retry-After` seconds and
/// `x-ratelimit-reset`, unix time). Nothing else happens.
fn too_many_requests(limit: u32, retry_after_secs: u64) -> Response {
    let mut r = respond(JsonAnswer::message(ApiMessage::TooManyRequests));
    let h = r.headers_mut();
    h.insert(RATE_LIMIT_LIMIT, HeaderValue::from(limit));
    h.insert(RATE_LIMIT_REMAINING, HeaderValue::from(0u32));
    h.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    let reset = crate::clock::wall_secs().saturating_add_unsigned(retry_after_secs);
    h.insert("x-ratelimit-reset", HeaderValue::from(reset));
    r
}

/// A [`JsonAnswer`] as an HTTP response.
pub fn respond(answer: JsonAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        answer.body,
    )
        .into_response()
}

fn route_error(e: &RouteError) -> Response {
    let mut r = respond(JsonAnswer::envelope(&e.envelope()));
    if let RouteError::MethodNotAllowed { allowed } = e {
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allowed.as_str()));
    }
    r
}

async fn dispatch(app: Arc<App>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if path == "/health" {
        return if req.method() == Method::GET {
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"status":"ok"}"#,
            )
                .into_response()
        } else {
            route_error(&RouteError::MethodNotAllowed {
                allowed: frontdesk_core::endpoint::Method::Get,
            })
        };
    }
    if path == "/openapi.json" {
        // The API's description from core (public, like the provider's docs): no token needed.
        return if req.method() == Method::GET {
            let doc = frontdesk_core::openapi::document_text();
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                doc,
            )
                .into_response()
        } else {
            route_error(&RouteError::MethodNotAllowed {
                allowed: frontdesk_core::endpoint::Method::Get,
            })
        };
    }
    let is_api = path.starts_with(&format!("{BASE_PATH}/"));
    let is_control = path == "/_sandbox" || path.starts_with("/_sandbox/");
    if !is_api && !is_control {
        return respond(JsonAnswer::message(ApiMessage::RouteNotFound));
    }
    if !authorised(&app.config.token, req.headers()) {
        let mut r = respond(JsonAnswer::message(ApiMessage::Unauthenticated));
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return r;
    }
    if is_control {
        return crate::controls::handle(app, req).await;
    }
    // Every authorised API request counts, whatever its answer (Laravel's `throttle` runs
    // after `auth`, before the route's own work).
    let verdict = app.limiter.hit();
    if let Verdict::Limited {
        limit,
        retry_after_secs,
    } = verdict
    {
        return too_many_requests(limit, retry_after_secs);
    }
    let mut r = api_call(app, req).await;
    rate_headers(r.headers_mut(), verdict);
    r
}

/// `Authorization: Bearer <token>`, compared in constant time (on digests, so the length of
/// the token does not leak either).
pub fn authorised(token: &str, headers: &HeaderMap) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
    else {
        return false;
    };
    let a = Sha256::digest(given.trim().as_bytes());
    let b = Sha256::digest(token.as_bytes());
    !token.is_empty() && bool::from(a.ct_eq(&b))
}

/// Why a body was refused.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("body larger than 1 MiB")]
    TooLarge,
    #[error("content type must be application/json")]
    UnsupportedMediaType,
    /// Bad syntax, too deep, or a duplicate key (named in the answer).
    #[error("malformed JSON: {0}")]
    Malformed(#[from] JsonError),
    #[error("could not read the body")]
    Read,
}

impl BodyError {
    pub fn answer(&self) -> JsonAnswer {
        match self {
            BodyError::TooLarge => JsonAnswer::message(ApiMessage::PayloadTooLarge),
            BodyError::UnsupportedMediaType => {
                JsonAnswer::message(ApiMessage::UnsupportedMediaType)
            }
            BodyError::Malformed(detail) => {
                let mut env = Envelope::<Value>::of(ApiMessage::MalformedJson);
                if let frontdesk_core::envelope::Body::Error { errors, .. } = &mut env.body {
                    *errors = frontdesk_core::envelope::Errors::List(vec![detail.to_string()]);
                }
                JsonAnswer::envelope(&env)
            }
            BodyError::Read => JsonAnswer::message(ApiMessage::MalformedJson),
        }
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| {
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

/// Read a JSON body: at most [`MAX_BODY`] bytes, `application/json`, nesting within
/// serde_json's limit (128), no object naming a member twice (core's strict parse). An empty
/// body reads as `{}` (so validation names what is missing).
pub async fn json_body(headers: &HeaderMap, body: Body) -> Result<Value, BodyError> {
    json_body_within(headers, body, MAX_BODY).await
}

/// [`json_body`] with a cap of `max` bytes (the controls take a few members).
pub async fn json_body_within(
    headers: &HeaderMap,
    body: Body,
    max: usize,
) -> Result<Value, BodyError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > drain_limit(max) as u64) {
        return Err(BodyError::TooLarge);
    }
    let bytes = read_limited(body, max).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    if !is_json(headers) {
        return Err(BodyError::UnsupportedMediaType);
    }
    Ok(parse_strict(&bytes)?)
}

/// Bodies a little over the limit are read to the end (and dropped) before the 413, so a
/// client still writing its body gets the answer instead of a broken pipe.
const fn drain_limit(max: usize) -> usize {
    max.saturating_mul(16)
}

async fn read_limited(mut body: Body, max: usize) -> Result<Vec<u8>, BodyError> {
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|_| BodyError::Read)?;
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen > drain_limit(max) {
                return Err(BodyError::TooLarge);
            }
            if seen <= max {
                buf.extend_from_slice(&data);
            }
        }
    }
    if seen > max {
        Err(BodyError::TooLarge)
    } else {
        Ok(buf)
    }
}

async fn api_call(app: Arc<App>, req: Request) -> Response {
    let (endpoint, order_id) = match Endpoint::route(req.method().as_str(), req.uri().path()) {
        Ok(r) => r,
        Err(e) => return route_error(&e),
    };
    let fault = match req
        .headers()
        .get(faults::HEADER)
        .map(|v| v.to_str().unwrap_or("?").parse::<Fault>())
    {
        Some(Ok(f)) => Some(f),
        Some(Err(e)) => {
            return respond(JsonAnswer::invalid(format!(
                "The X-Sandbox-Fault header is invalid: {e}."
            )));
        }
        None => faults::roll(app.config.fault_rate),
    };
    let conn = req
        .extensions()
        .get::<ConnectInfo<ConnHandle>>()
        .map(|c| c.0.clone());
    match fault {
        Some(Fault::Drop) => return drop_connection(conn),
        Some(Fault::Timeout) => {
            tokio::time::sleep(app.config.fault_timeout).await;
            return drop_connection(conn);
        }
        Some(f @ (Fault::E500 { after: false } | Fault::E510 { after: false })) => {
            return fault_answer(f);
        }
        Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
        _ => {}
    }
    let query = req.uri().query().map(str::to_owned);
    let (parts, body) = req.into_parts();
    let body = if endpoint.has_body() {
        match json_body(&parts.headers, body).await {
            Ok(v) => v,
            Err(e) => return respond(e.answer()),
        }
    } else {
        Value::Null
    };
    let a = app.clone();
    let answer = tokio::task::spawn_blocking(move || {
        api::call(
            &a,
            Call {
                endpoint,
                order_id: order_id.as_ref(),
                query: query.as_deref(),
                body: &body,
            },
        )
    })
    .await
    .unwrap_or_else(|_| JsonAnswer::internal("the operation failed"));
    match fault {
        Some(f @ (Fault::E500 { after: true } | Fault::E510 { after: true })) => fault_answer(f),
        Some(Fault::BadJson) => respond(JsonAnswer {
            status: answer.status,
            body: faults::mangle(&answer.body),
        }),
        _ => respond(answer),
    }
}

fn fault_answer(f: Fault) -> Response {
    match f {
        Fault::E500 { .. } => respond(JsonAnswer::internal("X-Sandbox-Fault: 500")),
        _ => respond(JsonAnswer::message(ApiMessage::SomethingWentWrong)),
    }
}

/// Close the connection without an answer. Without a [`ConnHandle`] (router served some
/// other way) the best left is a 510.
fn drop_connection(conn: Option<ConnHandle>) -> Response {
    match conn {
        Some(c) => {
            c.kill();
            // Never written: the stream refuses every byte from now on.
            StatusCode::NO_CONTENT.into_response()
        }
        None => respond(JsonAnswer::message(ApiMessage::SomethingWentWrong)),
    }
}
