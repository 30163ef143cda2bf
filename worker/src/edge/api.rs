//! The 12 endpoints at the door: a read is forwarded (and what it says of its order indexed);
//! a write becomes plain values ([`Attempt`], [`orders::check`]) for the write service
//! ([`orders::send`]), and every write attempt is audited.

use frontdesk_core::{Endpoint, OrderId};
use serde_json::Value;
use worker::Request;

use super::auth::audit_entry;
use super::orders::refresh::{status_of, upstream_facts};
use super::orders::{self, Attempt, Note};
use super::upstream as up;
use super::{Ctx, header};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ProxyError, ProxyReply};
use crate::index;
use crate::upstream::{api_url, status_list_filter};

/// One of the 12 endpoints, and the order its path names.
pub struct Target {
    pub endpoint: Endpoint,
    pub order: Option<OrderId>,
}

/// `/api/…`: a read is forwarded; a write is checked, sent by the write service and audited.
pub async fn handle(
    ctx: &Ctx,
    req: Request,
    principal: &Principal,
    target: Target,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    let fault = header(&req, "x-sandbox-fault").filter(|_| ctx.cfg.sandbox_controls);
    if !target.endpoint.is_write() {
        return read(ctx, &target, url, fault.as_deref()).await;
    }
    let attempt = Attempt {
        principal: principal.id(),
        role: principal.role,
        endpoint: target.endpoint,
        order: target.order,
        path: url.path().to_owned(),
        key: header(&req, "idempotency-key"),
        fault,
    };
    let mut note = Note::new(attempt.order.as_ref());
    let result = write(ctx, req, &attempt, &mut note).await;
    let (status, message) = audit::outcome(&result);
    let entry = audit::Entry {
        order_uuid: note.order,
        amount_ore: note.amount_ore,
        idempotency_key: attempt.key.clone(),
        replayed: note.replayed,
        detail: note.detail,
        ..audit_row(ctx, principal, attempt.endpoint, status, message)
    };
    ctx.write_later(entry.insert(), "audit");
    result
}

/// Audit a write refused before it was looked at (role, origin).
pub async fn audit_refusal(
    ctx: &Ctx,
    principal: &Principal,
    endpoint: Endpoint,
    order: Option<&OrderId>,
    e: &ProxyError,
) {
    let entry = audit::Entry {
        order_uuid: order.map(|o| o.as_str().to_owned()),
        ..audit_row(ctx, principal, endpoint, e.status(), e.envelope().message)
    };
    ctx.write_later(entry.insert(), "audit");
}

/// The audit row of a write by `principal` that ended with `status` and `message`, before
/// anything else is known of it.
fn audit_row(
    ctx: &Ctx,
    principal: &Principal,
    endpoint: Endpoint,
    status: u16,
    message: String,
) -> audit::Entry {
    audit::Entry {
        status,
        message,
        ..audit_entry(ctx, principal, endpoint.name())
    }
}

/// A read, forwarded (with retries); the list's filters are checked first.
async fn read(
    ctx: &Ctx,
    target: &Target,
    url: &worker::Url,
    fault: Option<&str>,
) -> Result<ProxyReply, ProxyError> {
    let query = (target.endpoint == Endpoint::StatusAll)
        .then(|| url.query())
        .flatten();
    if query.is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        status_list_filter(&pairs)?;
    }
    let out = up::get(ctx, &api_url(&ctx.cfg.api_base, url.path(), query), fault).await;
    if let (Some(id), Some(data)) = (&target.order, up::data(&out)) {
        remember(ctx, target.endpoint, id, data);
    }
    up::reply(ctx, &out)
}

/// What a read said of its order, written to the index after the answer: the status (only a
/// changed one is a write), the invoice number and refunded amount, each line's rate.
fn remember(ctx: &Ctx, endpoint: Endpoint, id: &OrderId, data: &Value) {
    if let Some(st) = status_of(data) {
        ctx.write_later(index::update_status(id.as_str(), st, ctx.now_ms), "index");
    }
    if let Some(q) = upstream_facts(id, data) {
        ctx.write_later(q, "index");
    }
    // The details name each line's rate: refunds by line id are then reported per rate.
    if endpoint == Endpoint::Details
        && let Some(rates) = crate::report::line_rates_json(data)
    {
        ctx.write_later(crate::report::set_line_rates(id.as_str(), &rates), "index");
    }
}

/// A write's body read (at most [`crate::bounded::API_MAX`] bytes, streamed) and, when it has
/// one, refused unless it says JSON; then checked and sent.
async fn write(
    ctx: &Ctx,
    mut req: Request,
    attempt: &Attempt,
    note: &mut Note,
) -> Result<ProxyReply, ProxyError> {
    let sent = super::body::read(&mut req, crate::bounded::API_MAX).await?;
    if attempt.endpoint.has_body()
        && let Some(ct) = header(&req, "content-type")
        && !ct.to_ascii_lowercase().contains("json")
    {
        return Err(ProxyError::UnsupportedMediaType);
    }
    let body = orders::check(ctx, attempt.endpoint, sent, note)?;
    orders::send(ctx, attempt, &body, note).await
}
