//! The write path's services: [`check`] turns a write's body into plain values by core's rules,
//! [`send`] claims its idempotency key ([`keys`]), forwards it once, records how it ended and,
//! after a success, what it changed. What differs per capability lives in [`create`],
//! [`follow_up`] (resend, cancel, delayed charge) and [`refund`]; the background re-read of an
//! order, used here, by callbacks and by the cron, in [`refresh`].

pub mod create;
pub mod follow_up;
pub mod keys;
pub mod refresh;
pub mod refund;

use frontdesk_core::json::parse_strict;
use frontdesk_core::roles::Role;
use frontdesk_core::validate::Context;
use frontdesk_core::{CreateOrder, Endpoint, Money, OrderId, OrderKind};
use serde_json::Value;
use worker::Method;

use super::upstream::{self as up, Call};
use super::{Ctx, log_error};
use crate::error::{ProxyError, ProxyReply};
use crate::idempotency::store::KeyRef;
use crate::upstream::{Outcome, api_url};
use crate::{db, splice};

/// A write as plain values: who sends which endpoint about which order, under which key.
pub struct Attempt {
    /// [`crate::auth::Principal::id`]: keys are per principal; created orders name their maker.
    pub principal: String,
    /// The principal's role: the customer book's audit rows name it.
    pub role: Role,
    pub endpoint: Endpoint,
    pub order: Option<OrderId>,
    /// The request path: part of the key's fingerprint, and where the write goes upstream.
    pub path: String,
    /// The `Idempotency-Key` header.
    pub key: Option<String>,
    /// `X-Sandbox-Fault` to pass on (only when the sandbox controls are on).
    pub fault: Option<String>,
}

/// A write's body: as sent (the key's fingerprint), as it goes upstream, and as checked.
pub struct Body {
    pub sent: Vec<u8>,
    /// `None` for a write without a body (Delayed Charge).
    pub forward: Option<String>,
    pub checked: Checked,
}

/// The request after the checks: what settling and the index need of it.
pub enum Checked {
    Create(OrderKind, Box<CreateOrder>),
    /// The refund's grand total.
    Refund(Money),
    /// The cancellation note, kept in the index once the cancel went through.
    Cancel(String),
    Other,
}

/// What the write's audit row says beyond who, what and how it ended, gathered on the way.
pub struct Note {
    pub amount_ore: Option<i64>,
    /// Answered from the key's row (a replay, or an earlier attempt settled as done).
    pub replayed: bool,
    /// The order: from the path, or the one a create made.
    pub order: Option<String>,
    /// The audit row's detail (refund lines, resend recipients, cancellation note).
    pub detail: Option<String>,
}

impl Note {
    /// Nothing known yet but the order the path names.
    pub fn new(order: Option<&OrderId>) -> Note {
        Note {
            amount_ore: None,
            replayed: false,
            order: order.map(|o| o.as_str().to_owned()),
            detail: None,
        }
    }
}

/// What every step of one write needs.
pub struct WriteCtx<'a> {
    pub ctx: &'a Ctx,
    pub db: worker::D1Database,
    pub attempt: &'a Attempt,
    pub body: &'a Body,
}

fn internal(e: impl std::fmt::Display) -> ProxyError {
    ProxyError::Internal(e.to_string())
}

/// Run one statement; a D1 failure is ours (500).
async fn run(db: &worker::D1Database, q: &crate::sql::Query) -> Result<usize, ProxyError> {
    db::run(db, q).await.map_err(internal)
}

/// Core's rules as the proxy applies them: clients may send either date format; upstream's
/// dialect decides the other rules.
pub(crate) fn rules(ctx: &Ctx) -> Context {
    Context::new(ctx.now_secs())
        .with_dialect(ctx.cfg.dialect())
        .accepting_any_date_format()
}

/// A write's body checked by core's rules for its endpoint (after the content type): parsed
/// strictly (a duplicate key is refused, 422 naming it, never read last-wins), validated, and
/// what goes upstream is the text as sent with only the members the proxy changes spliced in.
pub fn check(
    ctx: &Ctx,
    endpoint: Endpoint,
    sent: Vec<u8>,
    note: &mut Note,
) -> Result<Body, ProxyError> {
    if !endpoint.has_body() {
        return Ok(Body {
            sent,
            forward: None,
            checked: Checked::Other,
        });
    }
    let mut value = parse_strict(&sent)?;
    let (checked, edits) = match endpoint.kind() {
        Some(kind) => create::check(ctx, kind, &mut value, note)?,
        None if endpoint == Endpoint::Refund => {
            (refund::check(&value, &rules(ctx), note)?, Vec::new())
        }
        None => (
            follow_up::check(endpoint, &value, &rules(ctx), note)?,
            Vec::new(),
        ),
    };
    let forward = forwarded(&sent, &value, &edits)?;
    Ok(Body {
        sent,
        forward: Some(forward),
        checked,
    })
}

/// The body to send upstream: as the client sent it, with only the `edits` members replaced by
/// their values in `value` (re-serialised whole only if the text cannot be spliced).
fn forwarded(bytes: &[u8], value: &Value, edits: &[&str]) -> Result<String, ProxyError> {
    let sent = std::str::from_utf8(bytes).map_err(|_| ProxyError::MalformedJson)?;
    if edits.is_empty() {
        return Ok(sent.to_owned());
    }
    let members: Vec<(&str, &Value)> = edits
        .iter()
        .filter_map(|name| Some((*name, value.get(*name)?)))
        .collect();
    match splice::set_members(sent, &members) {
        Some(text) => Ok(text),
        None => serde_json::to_string(value).map_err(internal),
    }
}

/// Send a checked write: claim its key (or answer from the earlier attempt), hold the order's
/// refund slot, forward once, record how it ended under the key and, after a 2xx, what it
/// changed.
pub async fn send(
    ctx: &Ctx,
    attempt: &Attempt,
    body: &Body,
    note: &mut Note,
) -> Result<ProxyReply, ProxyError> {
    let w = WriteCtx {
        ctx,
        db: ctx.db()?,
        attempt,
        body,
    };
    let mut claimed = None;
    if let Some(key) = attempt.key.as_deref() {
        let row = KeyRef {
            principal: &attempt.principal,
            key,
        };
        if let Some(answer) = keys::claim(&w, row, note).await? {
            return Ok(answer);
        }
        claimed = Some(row);
    }
    if let (Some(row), Endpoint::Refund, Some(id)) = (claimed, attempt.endpoint, &attempt.order) {
        refund::hold(&w, row, id).await?;
    }
    let out = forward(&w).await;
    let reply = up::reply(ctx, &out);
    let created = created_order(&w, &out);
    // A created order's index row commits with its key's answer: a crash between the two
    // would leave an order that retries replay but the index never learns.
    let index_row = created.as_ref().map(|c| &c.upsert);
    if let Some(row) = claimed {
        keys::record(&w, row, &out, &reply, index_row).await?;
    } else if let Some(q) = index_row
        && let Err(e) = db::run(&w.db, q).await
    {
        log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
    if let Outcome::Json {
        status: 200..=299, ..
    } = &out
    {
        after_success(&w, created, note).await;
    }
    reply
}

/// The index row of an order a 2xx create answer names.
fn created_order(w: &WriteCtx<'_>, out: &Outcome) -> Option<create::Created> {
    let (
        Checked::Create(kind, req),
        Outcome::Json {
            status: 200..=299,
            envelope,
            ..
        },
    ) = (&w.body.checked, out)
    else {
        return None;
    };
    create::index_row(w, *kind, req, envelope.data()?)
}

/// The write upstream, once (writes are never retried blindly).
async fn forward(w: &WriteCtx<'_>) -> Outcome {
    let target = api_url(&w.ctx.cfg.api_base, &w.attempt.path, None);
    let call = Call {
        method: Method::Post,
        url: &target,
        body: w.body.forward.as_deref(),
        fault: w.attempt.fault.as_deref(),
    };
    up::once(w.ctx, &call).await
}

/// After a 2xx: what the write changed goes into the index (a created order's customer into
/// the book, a cancellation note), and the order is re-read after the answer (not for a
/// resend).
async fn after_success(w: &WriteCtx<'_>, created: Option<create::Created>, note: &mut Note) {
    let uuid = match (&w.body.checked, created) {
        (Checked::Create(kind, req), Some(created)) => {
            create::remember(w, *kind, req, &created).await;
            note.order = Some(created.uuid.clone());
            created.uuid
        }
        (Checked::Create(..), None) => return,
        _ => match (w.attempt.endpoint, &w.attempt.order) {
            (Endpoint::Resend, _) | (_, None) => return,
            (_, Some(id)) => id.as_str().to_owned(),
        },
    };
    if let Checked::Cancel(text) = &w.body.checked {
        follow_up::remember_cancel(w, &uuid, text).await;
    }
    refresh::refresh_later(w.ctx, uuid);
}
