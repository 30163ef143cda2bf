//! `/_sandbox/…`: simulation controls (same bearer token as the API).
//!
//! - `POST /_sandbox/orders/{uuid}/transition` `{"to": "PAID"}` → 200, or 409 when the lifecycle
//!   has no such edge.
//! - `GET|POST /_sandbox/clock` (`{"advanceSeconds": N}`, N ≥ 0) → the offset and sandbox time.
//! - `GET /_sandbox/orders/{uuid}/callbacks` → the delivery log.
//! - `POST /_sandbox/orders/{uuid}/rename` `{"uuid": "ODR1649249709"}` → the order answers to
//!   that id from now on (tests replaying recorded exchanges).
//! - `GET|POST /_sandbox/rate-limit` (`{"perMinute": N}`, 0 = off) → the limit and what the API
//!   has seen: `{perMinute, windowRequests, totalRequests, limitedRequests}`.
//! - `POST /_sandbox/reset` → everything forgotten (not the rate limit).
//!
//! Bodies over [`MAX_CONTROL_BODY`] (16 KiB) are 413.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use frontdesk_core::envelope::{ApiMessage, Envelope, Errors};
use frontdesk_core::ids::OrderId;
use frontdesk_core::status::OrderStatus;
use serde_json::{Value, json};

use crate::App;
use crate::api::{ApiError, JsonAnswer};
use crate::http::{json_body_within, respond};
use crate::store::{CallbackLog, StoreError};
use frontdesk_core::lifecycle::{self, Shape};

/// Ten years: far enough for any test, small enough never to overflow.
const MAX_ADVANCE: i64 = 10 * 366 * 86_400;
/// Largest control body: they take one or two members (the API's 1 MiB is for orders).
pub const MAX_CONTROL_BODY: usize = 16 * 1024;

fn method_not_allowed(allowed: frontdesk_core::endpoint::Method) -> Response {
    let mut r = respond(JsonAnswer::message(ApiMessage::MethodNotAllowed));
    if let Ok(v) = axum::http::HeaderValue::from_str(allowed.as_str()) {
        r.headers_mut().insert(axum::http::header::ALLOW, v);
    }
    r
}

pub async fn handle(app: Arc<App>, req: Request) -> Response {
    use frontdesk_core::endpoint::Method as M;
    let path = req.uri().path().to_owned();
    let segments: Vec<&str> = path
        .trim_start_matches("/_sandbox")
        .split('/')
        .skip(1)
        .collect();
    let method = req.method().clone();
    let want = |m: M| {
        if m == M::Get {
            Method::GET
        } else {
            Method::POST
        }
    };
    let (parts, body) = req.into_parts();
    let read = |needs_body: bool| async move {
        if needs_body {
            json_body_within(&parts.headers, body, MAX_CONTROL_BODY).await
        } else {
            Ok(Value::Null)
        }
    };
    let route: (M, Op) = match segments.as_slice() {
        ["orders", id, "transition"] => (M::Post, Op::Transition(id.to_string())),
        ["orders", id, "callbacks"] => (M::Get, Op::Callbacks(id.to_string())),
        ["orders", id, "rename"] => (M::Post, Op::Rename(id.to_string())),
        ["rate-limit"] if method == Method::GET => (M::Get, Op::RateLimitGet),
        ["rate-limit"] => (M::Post, Op::RateLimit),
        ["clock"] if method == Method::GET => (M::Get, Op::ClockGet),
        ["clock"] => (M::Post, Op::Clock),
        ["reset"] => (M::Post, Op::Reset),
        _ => return respond(JsonAnswer::message(ApiMessage::RouteNotFound)),
    };
    if method != want(route.0) {
        return method_not_allowed(route.0);
    }
    let needs_body = matches!(
        route.1,
        Op::Transition(_) | Op::Clock | Op::Rename(_) | Op::RateLimit
    );
    let body = match read(needs_body).await {
        Ok(v) => v,
        Err(e) => return respond(e.answer()),
    };
    let answer = tokio::task::spawn_blocking(move || run(&app, route.1, &body))
        .await
        .unwrap_or_else(|_| JsonAnswer::internal("the control failed"));
    respond(answer)
}

enum Op {
    Transition(String),
    Callbacks(String),
    Rename(String),
    Clock,
    ClockGet,
    RateLimit,
    RateLimitGet,
    Reset,
}

fn run(app: &App, op: Op, body: &Value) -> JsonAnswer {
    let out = match op {
        Op::Transition(id) => transition(app, &id, body),
        Op::Callbacks(id) => callbacks(app, &id),
        Op::Rename(id) => rename(app, &id, body),
        Op::Clock => clock(app, body),
        Op::ClockGet => Ok(clock_answer(app)),
        Op::RateLimit => rate_limit(app, body),
        Op::RateLimitGet => Ok(rate_limit_answer(app)),
        Op::Reset => reset(app),
    };
    out.unwrap_or_else(|e| e.answer())
}

fn valid_id(id: &str) -> Result<(), ApiError> {
    id.parse::<OrderId>()
        .map(|_| ())
        .map_err(|_| ApiError::NotFound)
}

fn transition(app: &App, id: &str, body: &Value) -> Result<JsonAnswer, ApiError> {
    valid_id(id)?;
    let to: OrderStatus = match body.get("to").and_then(Value::as_str) {
        None => {
            return Err(ApiError::Sentence(
                "The to field is required (an order status).".into(),
            ));
        }
        Some(s) => s
            .parse()
            .map_err(|_| ApiError::Sentence("The selected to is invalid.".into()))?,
    };
    app.sweep()?;
    let now = app.clock.now();
    let (outcome, cbs) = app.store.with_order(id, now, |tx| {
        let from = tx.order.status;
        let shape = Shape {
            kind: tx.order.kind,
            invoice_option: tx.order.invoice_option,
        };
        // PARTIAL REFUNDED needs amounts: only the refund endpoint goes there.
        if to == OrderStatus::PartialRefunded || !lifecycle::allowed(shape, from, to) {
            return Ok::<_, ApiError>(Err(from));
        }
        if to == OrderStatus::Refunded {
            tx.refund_everything()?;
        }
        tx.set_status(to, "simulated", None)?;
        Ok(Ok((from, tx.order.invoice_number.clone())))
    })?;
    app.callbacks.send(cbs);
    Ok(match outcome {
        Ok((from, invoice_number)) => JsonAnswer::envelope(&Envelope::ok(
            ApiMessage::TransitionApplied,
            json!({"uuid": id, "from": from, "status": to, "invoiceNumber": invoice_number}),
        )),
        Err(from) => {
            let why = if to == OrderStatus::PartialRefunded {
                format!("{from} → {to}: use the refund endpoint, which knows the amounts")
            } else {
                format!("the lifecycle has no transition {from} → {to} for this order")
            };
            JsonAnswer::envelope(&Envelope::<Value>::error(
                ApiMessage::TransitionNotAllowed,
                Errors::List(vec![why]),
            ))
        }
    })
}

fn callbacks(app: &App, id: &str) -> Result<JsonAnswer, ApiError> {
    valid_id(id)?;
    let logs = app.store.callback_log(id)?.ok_or(ApiError::NotFound)?;
    let data: Vec<Value> = logs.iter().map(log_json).collect();
    Ok(JsonAnswer::envelope(&Envelope::ok(
        ApiMessage::CallbackLogRetrieved,
        Value::Array(data),
    )))
}

fn log_json(l: &CallbackLog) -> Value {
    json!({
        "id": l.id,
        "url": l.url,
        "status": l.status,
        "paymentMethod": l.payment_method,
        "eventAt": l.event_at,
        "state": l.state,
        "attempts": l.attempts.iter().map(|a| json!({
            "attempt": a.attempt,
            "at": a.at_ms,
            "url": a.url,
            "httpStatus": a.http_status,
            "error": a.error,
            "durationMs": a.duration_ms,
        })).collect::<Vec<_>>(),
    })
}

fn clock_answer(app: &App) -> JsonAnswer {
    JsonAnswer::envelope(&Envelope::ok(
        ApiMessage::ClockRetrieved,
        json!({"offsetSeconds": app.clock.offset(), "now": app.clock.now()}),
    ))
}

fn clock(app: &App, body: &Value) -> Result<JsonAnswer, ApiError> {
    let n = body
        .get("advanceSeconds")
        .and_then(Value::as_i64)
        .filter(|n| (0..=MAX_ADVANCE).contains(n))
        .ok_or_else(|| {
            ApiError::Sentence(format!(
                "The advance seconds field must be an integer from 0 to {MAX_ADVANCE}."
            ))
        })?;
    let offset = app.clock.offset().saturating_add(n);
    app.store.set_clock_offset(offset)?;
    app.clock.set_offset(offset);
    app.sweep()?;
    Ok(clock_answer(app))
}

/// A control's own success answer. Its `message` is the sandbox's, not one of the API's.
fn control_ok(message: &str, data: Value) -> JsonAnswer {
    let mut env = Envelope::ok(ApiMessage::TransitionApplied, data);
    env.message = message.to_owned();
    JsonAnswer::envelope(&env)
}

fn rename(app: &App, id: &str, body: &Value) -> Result<JsonAnswer, ApiError> {
    valid_id(id)?;
    let to: OrderId = body
        .get("uuid")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            ApiError::Sentence("The uuid must be an order id (ODR and 9 or 10 digits).".into())
        })?;
    if !app.store.rename(id, to.as_str())? {
        return Err(ApiError::Sentence(
            "The uuid has already been taken.".into(),
        ));
    }
    Ok(control_ok(
        "orderRenamed",
        json!({"from": id, "uuid": to.as_str()}),
    ))
}

fn rate_limit_answer(app: &App) -> JsonAnswer {
    let stats = app.limiter.stats();
    control_ok(
        "rateLimitRetrieved",
        serde_json::to_value(stats).unwrap_or(Value::Null),
    )
}

fn rate_limit(app: &App, body: &Value) -> Result<JsonAnswer, ApiError> {
    let n = body
        .get("perMinute")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            ApiError::Sentence("The per minute field must be an integer of 0 or more.".into())
        })?;
    app.limiter.set_limit(n);
    Ok(rate_limit_answer(app))
}

fn reset(app: &App) -> Result<JsonAnswer, ApiError> {
    app.store
        .reset()
        .map_err(|e: StoreError| ApiError::Store(e))?;
    app.clock.set_offset(0);
    Ok(JsonAnswer::message(ApiMessage::SandboxReset))
}
