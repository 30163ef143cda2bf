//! The 12 endpoints: check, claim the idempotency key, forward, remember (audit, index).

use frontdesk_core::callback;
use frontdesk_core::envelope::{ApiMessage, Envelope};
use frontdesk_core::json::parse_strict;
use frontdesk_core::order::rewrite_order_date;
use frontdesk_core::validate::{
    Context, validate_cancel, validate_create, validate_refund, validate_resend,
};
use frontdesk_core::{CreateOrder, Endpoint, Money, OrderId, OrderKind, OrderStatus};
use serde_json::{Value, json};
use worker::{Method, Request};

use super::upstream::{self as up, Call};
use super::{Ctx, header};
use crate::audit;
use crate::auth::Principal;
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::idempotency::{self, Decision, State, Stored};
use crate::index::{self, NewOrder};
use crate::ratelimit;
use crate::reconcile::{self, Baseline, Found, RefundOutcome, Settlement};
use crate::splice;
use crate::sql::Query;
use crate::upstream::{Certainty, Outcome, api_url, listed_orders, status_list_filter};

fn internal(e: impl std::fmt::Display) -> ProxyError {
    ProxyError::Internal(e.to_string())
}

pub async fn handle(
    ctx: &Ctx,
    req: Request,
    principal: &Principal,
    endpoint: Endpoint,
    order: Option<OrderId>,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    let fault = header(&req, "x-sandbox-fault").filter(|_| ctx.cfg.sandbox_controls);
    if !endpoint.is_write() {
        let query = (endpoint == Endpoint::StatusAll)
            .then(|| url.query())
            .flatten();
        if query.is_some() {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            status_list_filter(&pairs)?;
        }
        let target = api_url(&ctx.cfg.api_base, url.path(), query);
        let out = up::get(ctx, &target, fault.as_deref()).await;
        if let (Some(id), Some(st)) = (&order, up::data(&out).and_then(status_of)) {
            ctx.write_later(index::update_status(id.as_str(), st, ctx.now_ms), "index");
        }
        if let (Some(id), Some(data)) = (&order, up::data(&out))
            && let Some(q) = upstream_facts(id, data)
        {
            ctx.write_later(q, "index");
        }
        // The details name each line's rate: refunds by line id are then reported per rate.
        if let (Endpoint::Details, Some(id), Some(data)) = (endpoint, &order, up::data(&out))
            && let Some(rates) = crate::report::line_rates_json(data)
        {
            ctx.write_later(crate::report::set_line_rates(id.as_str(), &rates), "index");
        }
        return up::reply(ctx, &out);
    }
    let key = header(&req, "idempotency-key");
    let mut note = Note {
        amount_ore: None,
        replayed: false,
        order: order.as_ref().map(|o| o.as_str().to_owned()),
        detail: None,
    };
    let result = write(
        ctx,
        req,
        principal,
        endpoint,
        order.as_ref(),
        url,
        fault.as_deref(),
        key.as_deref(),
        &mut note,
    )
    .await;
    let (status, message) = match &result {
        Ok(r) => (r.status, audit::message_of(&r.body)),
        Err(e) => (e.status(), e.envelope().message),
    };
    let entry = audit::Entry {
        at: ctx.now_ms,
        actor: principal.id(),
        role: principal.role.as_str().to_owned(),
        action: endpoint.name().to_owned(),
        order_uuid: note.order.clone(),
        amount_ore: note.amount_ore,
        status,
        message,
        idempotency_key: key.clone(),
        replayed: note.replayed,
        detail: note.detail.clone(),
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
        at: ctx.now_ms,
        actor: principal.id(),
        role: principal.role.as_str().to_owned(),
        action: endpoint.name().to_owned(),
        order_uuid: order.map(|o| o.as_str().to_owned()),
        amount_ore: None,
        status: e.status(),
        message: e.envelope().message,
        idempotency_key: None,
        replayed: false,
        detail: None,
    };
    ctx.write_later(entry.insert(), "audit");
}

struct Note {
    amount_ore: Option<i64>,
    replayed: bool,
    order: Option<String>,
    /// The audit row's detail (refund lines).
    detail: Option<String>,
}

fn status_of(data: &Value) -> Option<OrderStatus> {
    data.get("status")?.as_str()?.parse().ok()
}

/// What an answer about one order says beyond its status (invoice number, refunded amount), as
/// an index write when it says any of it.
fn upstream_facts(id: &OrderId, data: &Value) -> Option<Query> {
    let invoice = data
        .get("invoiceNumber")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let refunded = data
        .get("refundedAmount")
        .and_then(|v| Money::from_json(v).ok())
        .map(Money::ore);
    index::set_upstream_facts(id.as_str(), invoice, refunded)
}

/// The request after the checks.
enum Checked {
    Create(OrderKind, Box<CreateOrder>),
    Refund(Money),
    /// The cancellation note, kept in the index once the cancel went through.
    Cancel(String),
    Other,
}

/// An API body, at most [`crate::bounded::API_MAX`] bytes (streamed: [`super::body::read`]).
pub(super) async fn read_body(req: &mut Request) -> Result<Vec<u8>, ProxyError> {
    super::body::read(req, crate::bounded::API_MAX).await
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

#[allow(clippy::too_many_arguments)]
async fn write(
    ctx: &Ctx,
    mut req: Request,
    principal: &Principal,
    endpoint: Endpoint,
    order: Option<&OrderId>,
    url: &worker::Url,
    fault: Option<&str>,
    key: Option<&str>,
    note: &mut Note,
) -> Result<ProxyReply, ProxyError> {
    let path = url.path().to_owned();
    let bytes = read_body(&mut req).await?;
    // The body, checked by core's rules (with our callback URL added to creates that lack one).
    let (forward, checked) = if endpoint.has_body() {
        if let Some(ct) = header(&req, "content-type")
            && !ct.to_ascii_lowercase().contains("json")
        {
            return Err(ProxyError::UnsupportedMediaType);
        }
        // Core's strict parse: a duplicate key is refused (422 naming it), never read last-wins.
        let mut value = parse_strict(&bytes)?;
        // Top-level members the proxy changes; everything else goes upstream as sent.
        let mut edits: Vec<&str> = Vec::new();
        if let (Some(_), Some(own), Some(obj)) = (
            endpoint.kind(),
            ctx.cfg.own_callback_url(),
            value.as_object_mut(),
        ) && callback::fill_missing(obj, &own)
        {
            edits.push("callback");
        }
        // Clients may send either date format; upstream's dialect decides the other rules.
        let vctx = Context::new(ctx.now_secs())
            .with_dialect(ctx.cfg.dialect())
            .accepting_any_date_format();
        let checked = match endpoint {
            e if e.kind().is_some() => {
                let kind = e.kind().unwrap_or(OrderKind::PaymentLink);
                let v = validate_create(kind, &value, &vctx).map_err(ProxyError::Validation)?;
                note.amount_ore = Some(v.value.order_summary.grand_total.ore());
                Checked::Create(kind, Box::new(v.value))
            }
            Endpoint::Resend => {
                let v = validate_resend(&value, &vctx).map_err(ProxyError::Validation)?;
                // To whom, for the order's timeline.
                note.detail = Some(audit::resend_detail(&v.value));
                Checked::Other
            }
            Endpoint::Cancel => {
                let v = validate_cancel(&value, &vctx).map_err(ProxyError::Validation)?;
                note.detail = Some(audit::detail_of(&v.value));
                Checked::Cancel(v.value.cancellation_note)
            }
            Endpoint::Refund => {
                let v = validate_refund(&value, &vctx).map_err(ProxyError::Validation)?;
                note.amount_ore = Some(v.value.grand_total.ore());
                note.detail = Some(audit::refund_lines(&v.value));
                Checked::Refund(v.value.grand_total)
            }
            _ => Checked::Other,
        };
        if endpoint.kind().is_some() && rewrite_order_date(&mut value, ctx.cfg.order_date_format) {
            edits.push("orderDate");
        }
        (Some(forwarded(&bytes, &value, &edits)?), checked)
    } else {
        (None, Checked::Other)
    };

    let db = ctx.db()?;
    let principal_id = principal.id();
    let mut claimed = None;
    if let Some(key) = key {
        idempotency::validate_key(key)?;
        let fp = idempotency::fingerprint("POST", &path, &bytes);
        let mut q = Query::new("");
        let p = [
            q.bind(principal_id.as_str()),
            q.bind(key),
            q.bind(fp.as_str()),
            q.bind(endpoint.name()),
            q.bind(order.map(|o| o.as_str().to_owned())),
            q.bind(ctx.now_ms),
        ];
        q.sql = format!(
            "INSERT INTO idempotency_keys (principal, key, fingerprint, endpoint, order_uuid, state, created_at, updated_at) \
             VALUES ({}, {}, {}, {}, {}, 'in_flight', {5}, {5}) ON CONFLICT DO NOTHING",
            p[0], p[1], p[2], p[3], p[4], p[5]
        );
        let changes = db::run(&db, &q).await.map_err(internal)?;
        if changes == 0 {
            let row = load(&db, &principal_id, key).await?;
            match idempotency::on_existing(&row.stored, &fp, ctx.now_ms) {
                Decision::Replay { status, body } => {
                    note.replayed = true;
                    return Ok(ProxyReply {
                        status,
                        body,
                        headers: vec![("content-type".into(), "application/json".into())],
                    }
                    .with_header("idempotent-replayed", "true"));
                }
                Decision::Mismatch => return Err(ProxyError::IdempotencyMismatch),
                Decision::InFlight => return Err(ProxyError::IdempotencyInFlight),
                Decision::Settle => {
                    // Take the row over atomically, so two retries never settle at once.
                    let mut q = Query::new("");
                    let (now, pr, k, was) = (
                        q.bind(ctx.now_ms),
                        q.bind(principal_id.as_str()),
                        q.bind(key),
                        q.bind(row.stored.updated_at),
                    );
                    q.sql = format!(
                        "UPDATE idempotency_keys SET state = 'in_flight', updated_at = {now} WHERE principal = {pr} AND key = {k} AND updated_at = {was} AND state <> 'done'"
                    );
                    if db::run(&db, &q).await.map_err(internal)? != 1 {
                        return Err(ProxyError::IdempotencyInFlight);
                    }
                    match settle(
                        ctx,
                        &db,
                        endpoint,
                        order,
                        &checked,
                        row.baseline,
                        row.created_at,
                        &principal_id,
                        key,
                    )
                    .await
                    {
                        Settled::Done(reply) => {
                            note.replayed = true;
                            finish(
                                &db,
                                &principal_id,
                                key,
                                ctx.now_ms,
                                State::Done,
                                Some(&reply),
                            )
                            .await?;
                            return Ok(reply.with_header("idempotent-replayed", "true"));
                        }
                        Settled::NotDone => {}
                        Settled::Unresolved => {
                            finish(&db, &principal_id, key, ctx.now_ms, State::Unknown, None)
                                .await?;
                            return Err(ProxyError::IdempotencyUnresolved);
                        }
                    }
                }
            }
        }
        claimed = Some(key);
    }

    // Refunds: remember what was refunded before, to settle an unknown outcome later.
    if let (Some(key), Endpoint::Refund, Some(id)) = (claimed, endpoint, order) {
        // One keyed refund per order at a time, so that the change of refundedAmount is this
        // refund's alone: another waits (409 in flight, its key released) while one is in
        // flight or of unknown outcome.
        if !hold_refund(&db, id, &principal_id, key, ctx.now_ms).await? {
            let mut q = Query::new("");
            let (pr, k) = (q.bind(principal_id.as_str()), q.bind(key));
            q.sql = format!("DELETE FROM idempotency_keys WHERE principal = {pr} AND key = {k}");
            db::run(&db, &q).await.map_err(internal)?;
            return Err(ProxyError::IdempotencyInFlight);
        }
        let target = api_url(
            &ctx.cfg.api_base,
            &Endpoint::Status.path(Some(id)).unwrap_or_default(),
            None,
        );
        if let Some(refunded) = up::data(&up::get(ctx, &target, None).await)
            .and_then(|d| d.get("refundedAmount"))
            .and_then(|v| Money::from_json(v).ok())
        {
            let b = serde_json::to_string(&Baseline {
                refunded_ore: refunded.ore(),
            })
            .map_err(internal)?;
            let mut q = Query::new("");
            let (bp, pr, k) = (q.bind(b), q.bind(principal_id.as_str()), q.bind(key));
            q.sql = format!(
                "UPDATE idempotency_keys SET baseline = {bp} WHERE principal = {pr} AND key = {k}"
            );
            db::run(&db, &q).await.map_err(internal)?;
        }
    }

    let target = api_url(&ctx.cfg.api_base, &path, None);
    let call = Call {
        method: Method::Post,
        url: &target,
        body: forward.as_deref(),
        fault,
    };
    let out = up::once(ctx, &call).await;
    let reply = up::reply(ctx, &out);

    if let Some(key) = claimed {
        match (out.certainty(), &reply) {
            (Certainty::Definitive, Ok(r)) => {
                finish(&db, &principal_id, key, ctx.now_ms, State::Done, Some(r)).await?
            }
            (Certainty::NotDone, _) => {
                let mut q = Query::new("");
                let (pr, k) = (q.bind(principal_id.as_str()), q.bind(key));
                q.sql =
                    format!("DELETE FROM idempotency_keys WHERE principal = {pr} AND key = {k}");
                db::run(&db, &q).await.map_err(internal)?;
            }
            _ => finish(&db, &principal_id, key, ctx.now_ms, State::Unknown, None).await?,
        }
    }

    if let Outcome::Json {
        status: 200..=299,
        envelope,
        ..
    } = &out
    {
        after_success(
            ctx, &db, principal, endpoint, order, &checked, envelope, note,
        )
        .await;
    }
    reply
}

#[allow(clippy::too_many_arguments)]
async fn after_success(
    ctx: &Ctx,
    db: &worker::D1Database,
    principal: &Principal,
    endpoint: Endpoint,
    order: Option<&OrderId>,
    checked: &Checked,
    envelope: &Envelope<Value>,
    note: &mut Note,
) {
    let uuid = match (checked, envelope.data()) {
        (Checked::Create(kind, req), Some(data)) => {
            let Some(uuid) = data.get("uuid").and_then(Value::as_str).map(str::to_owned) else {
                return;
            };
            let cu = data.get("customerUuid").and_then(Value::as_str);
            let row = NewOrder::from_create(*kind, req, &uuid, cu, &principal.id(), ctx.now_ms);
            if let Err(e) = db::run(db, &row.upsert()).await {
                super::log_error(Some(&ctx.cfg), "index", &e.to_string());
            }
            note.order = Some(uuid.clone());
            uuid
        }
        _ => match (endpoint, order) {
            (Endpoint::Resend, _) | (_, None) => return,
            (_, Some(id)) => id.as_str().to_owned(),
        },
    };
    if let Checked::Cancel(text) = checked
        && let Err(e) = db::run(db, &index::set_cancellation_note(&uuid, text)).await
    {
        super::log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
    refresh_later(ctx, uuid);
}

/// Re-read an order's status after the answer has gone out (paced like any background read:
/// when skipped, the order is still on the cron's list).
pub fn refresh_later(ctx: &Ctx, uuid: String) {
    let (env, cfg, now) = (ctx.env.clone(), ctx.cfg.clone(), ctx.now_ms);
    ctx.later(async move {
        let c = Ctx {
            env,
            cfg,
            now_ms: now,
            wctx: None,
        };
        let _ = refresh(&c, &uuid, "proxy").await;
    });
}

/// Why a background re-read brought no status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    /// Not sent, or refused with 429: the rate budget is kept for people. Try again later.
    Paced,
    /// Upstream gave no status (an error, a timeout, an unknown order, a garbled answer).
    Unreadable,
}

/// Background read of one order's status upstream, recorded in the index. It is not sent while
/// the rate budget is down to the people's reserve ([`ratelimit`]).
pub async fn refresh(ctx: &Ctx, uuid: &str, source: &str) -> Result<OrderStatus, Missed> {
    if !ratelimit::background_allowed(super::now_ms()) {
        return Err(Missed::Paced);
    }
    let id: OrderId = uuid.parse().map_err(|_| Missed::Unreadable)?;
    let path = Endpoint::Status.path(Some(&id)).ok_or(Missed::Unreadable)?;
    let out = up::get(ctx, &api_url(&ctx.cfg.api_base, &path, None), None).await;
    if matches!(out, Outcome::RateLimited { .. }) {
        return Err(Missed::Paced);
    }
    let data = up::data(&out).ok_or(Missed::Unreadable)?;
    let st = status_of(data).ok_or(Missed::Unreadable)?;
    let db = ctx.db().map_err(|_| Missed::Unreadable)?;
    let now = super::now_ms();
    if let Err(e) = db::run(&db, &index::upsert_status(uuid, st, source, now)).await {
        super::log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
    if let Some(q) = upstream_facts(&id, data)
        && let Err(e) = db::run(&db, &q).await
    {
        super::log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
    if st.has_invoice_number() {
        learn_invoice_number(ctx, &db, &id).await;
    }
    Ok(st)
}

#[derive(serde::Deserialize)]
struct InvoiceRow {
    kind: Option<String>,
    invoice_number: Option<String>,
}

/// An invoice order that has an invoice number upstream but not yet in the index: read it
/// once (paced like any background read), so the bookkeeper's CSV has it without anyone
/// opening the order.
async fn learn_invoice_number(ctx: &Ctx, db: &worker::D1Database, id: &OrderId) {
    let mut q = Query::new("");
    let u = q.bind(id.as_str());
    q.sql = format!("SELECT kind, invoice_number FROM orders WHERE uuid = {u}");
    let Ok(Some(row)) = db::first::<InvoiceRow>(db, &q).await else {
        return;
    };
    let invoice_kind = row
        .kind
        .and_then(|k| serde_json::from_value::<OrderKind>(Value::String(k)).ok())
        .is_some_and(OrderKind::is_invoice);
    if !invoice_kind
        || row.invoice_number.is_some()
        || !ratelimit::background_allowed(super::now_ms())
    {
        return;
    }
    let Some(path) = Endpoint::InvoiceNumber.path(Some(id)) else {
        return;
    };
    let out = up::get(ctx, &api_url(&ctx.cfg.api_base, &path, None), None).await;
    if let Some(q) = up::data(&out).and_then(|d| upstream_facts(id, d))
        && let Err(e) = db::run(db, &q).await
    {
        super::log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
}

struct Row {
    stored: Stored,
    baseline: Option<Baseline>,
    created_at: i64,
}

#[derive(serde::Deserialize)]
struct RawRow {
    state: String,
    fingerprint: String,
    status: Option<f64>,
    body: Option<String>,
    baseline: Option<String>,
    created_at: f64,
    updated_at: f64,
}

async fn load(db: &worker::D1Database, principal: &str, key: &str) -> Result<Row, ProxyError> {
    let mut q = Query::new("");
    let (p, k) = (q.bind(principal), q.bind(key));
    q.sql = format!(
        "SELECT state, fingerprint, status, body, baseline, created_at, updated_at FROM idempotency_keys WHERE principal = {p} AND key = {k}"
    );
    // The row can vanish between the claim and this read (released after a 429): treat as in flight.
    let raw: RawRow = db::first(db, &q)
        .await
        .map_err(internal)?
        .ok_or(ProxyError::IdempotencyInFlight)?;
    Ok(Row {
        stored: Stored {
            state: State::parse(&raw.state).unwrap_or(State::Unknown),
            fingerprint: raw.fingerprint,
            status: raw.status.map(|s| s as u16),
            body: raw.body,
            updated_at: raw.updated_at as i64,
        },
        baseline: raw.baseline.and_then(|b| serde_json::from_str(&b).ok()),
        created_at: raw.created_at as i64,
    })
}

async fn finish(
    db: &worker::D1Database,
    principal: &str,
    key: &str,
    now: i64,
    state: State,
    reply: Option<&ProxyReply>,
) -> Result<(), ProxyError> {
    let mut q = Query::new("");
    let p = [
        q.bind(state.as_str()),
        q.bind(reply.map(|r| i64::from(r.status))),
        q.bind(reply.map(|r| r.body.clone())),
        q.bind(now),
        q.bind(principal),
        q.bind(key),
    ];
    q.sql = format!(
        "UPDATE idempotency_keys SET state = {}, status = {}, body = {}, updated_at = {} WHERE principal = {} AND key = {}",
        p[0], p[1], p[2], p[3], p[4], p[5]
    );
    db::run(db, &q).await.map_err(internal)?;
    Ok(())
}

enum Settled {
    Done(ProxyReply),
    NotDone,
    Unresolved,
}

#[derive(serde::Deserialize)]
struct Known {
    uuid: String,
    source: String,
    created_at: f64,
}

/// Most upstream orders looked at when settling a create.
const MAX_LISTED: usize = 5000;

#[allow(clippy::too_many_arguments)]
async fn settle(
    ctx: &Ctx,
    db: &worker::D1Database,
    endpoint: Endpoint,
    order: Option<&OrderId>,
    checked: &Checked,
    baseline: Option<Baseline>,
    attempt_at: i64,
    principal: &str,
    key: &str,
) -> Settled {
    match (reconcile::settlement(endpoint), checked) {
        (Some(Settlement::Resend), _) => Settled::NotDone,
        (Some(Settlement::ByStatus), _) => {
            let Some(id) = order else {
                return Settled::Unresolved;
            };
            let Some(path) = Endpoint::Status.path(Some(id)) else {
                return Settled::Unresolved;
            };
            let out = up::get(ctx, &api_url(&ctx.cfg.api_base, &path, None), None).await;
            let Some(data) = up::data(&out) else {
                return Settled::Unresolved;
            };
            let Some(st) = status_of(data) else {
                return Settled::Unresolved;
            };
            // Optional: the live server's status by uuid has been seen without it.
            let refunded = data
                .get("refundedAmount")
                .and_then(|v| Money::from_json(v).ok());
            let total = match checked {
                Checked::Refund(t) => Some(*t),
                _ => None,
            };
            if let (Endpoint::Refund, Some(total)) = (endpoint, total) {
                // Without the amount refunded now, a refund cannot be settled: a person checks.
                let Some(refunded) = refunded else {
                    return Settled::Unresolved;
                };
                let Ok(others) = other_refunds_since(db, id, principal, key, attempt_at).await
                else {
                    return Settled::Unresolved;
                };
                return match reconcile::refund_outcome(refunded, baseline, total, others) {
                    RefundOutcome::Done => {
                        Settled::Done(ProxyReply::envelope(&Envelope::of(endpoint.success())))
                    }
                    RefundOutcome::NotDone => Settled::NotDone,
                    RefundOutcome::Unresolved => Settled::Unresolved,
                };
            }
            let refunded = refunded.unwrap_or(Money::ZERO);
            if reconcile::took_effect(endpoint, st, refunded, baseline, total) {
                Settled::Done(ProxyReply::envelope(&Envelope::of(endpoint.success())))
            } else {
                Settled::NotDone
            }
        }
        (Some(Settlement::FindCreated), Checked::Create(kind, req)) => {
            let all = up::get(
                ctx,
                &api_url(&ctx.cfg.api_base, Endpoint::StatusAll.path_template(), None),
                None,
            )
            .await;
            let Some(list) = listed_orders(&all) else {
                return Settled::Unresolved;
            };
            if list.len() > MAX_LISTED {
                return Settled::Unresolved;
            }
            let uuids: Vec<String> = list
                .iter()
                .filter_map(|o| o.get("uuid")?.as_str().map(str::to_owned))
                .collect();
            let mut known = std::collections::HashMap::new();
            for chunk in uuids.chunks(90) {
                let mut q = Query::new("");
                let ps: Vec<String> = chunk.iter().map(|u| q.bind(u.as_str())).collect();
                q.sql = format!(
                    "SELECT uuid, source, created_at FROM orders WHERE uuid IN ({})",
                    ps.join(",")
                );
                let Ok(rows) = db::all::<Known>(db, &q).await else {
                    return Settled::Unresolved;
                };
                for r in rows {
                    known.insert(r.uuid.clone(), r);
                }
            }
            let candidates: Vec<&String> = uuids
                .iter()
                .filter(|u| match known.get(*u) {
                    None => true,
                    Some(k) => k.source != "proxy" && k.created_at as i64 >= attempt_at,
                })
                .collect();
            if candidates.len() > reconcile::MAX_CANDIDATES {
                return Settled::Unresolved;
            }
            let mut matches = Vec::new();
            for u in candidates {
                let Ok(id) = u.parse::<OrderId>() else {
                    continue;
                };
                let Some(path) = Endpoint::Details.path(Some(&id)) else {
                    continue;
                };
                let out = up::get(ctx, &api_url(&ctx.cfg.api_base, &path, None), None).await;
                match up::data(&out) {
                    Some(d) if reconcile::details_match(req, d) => {
                        let cu = d
                            .pointer("/customerDetails/uuid")
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                        matches.push((u.clone(), cu));
                    }
                    Some(_) => {}
                    None => return Settled::Unresolved,
                }
            }
            match reconcile::pick(matches) {
                Found::None => Settled::NotDone,
                Found::Ambiguous => Settled::Unresolved,
                Found::One {
                    uuid,
                    customer_uuid,
                } => {
                    let row = NewOrder::from_create(
                        *kind,
                        req,
                        &uuid,
                        customer_uuid.as_deref(),
                        "reconciled",
                        ctx.now_ms,
                    );
                    let _ = db::run(db, &row.upsert()).await;
                    let data = json!({"uuid": uuid, "customerUuid": customer_uuid});
                    Settled::Done(ProxyReply::envelope(&Envelope::ok(
                        ApiMessage::OrderAddedSuccessfully,
                        data,
                    )))
                }
            }
        }
        _ => Settled::Unresolved,
    }
}

/// How long a refund in flight or of unknown outcome holds back other refunds of its order.
const REFUND_HOLD_MS: i64 = 150_000;

#[derive(serde::Deserialize)]
struct CountRow {
    n: f64,
}

/// Take this order's refund slot for our row, atomically: it fails while another keyed refund
/// of the order holds it (in flight or of unknown outcome, active within [`REFUND_HOLD_MS`]).
/// Holding = a non-null `baseline` (the `refundedAmount` read before sending).
async fn hold_refund(
    db: &worker::D1Database,
    order: &OrderId,
    principal: &str,
    key: &str,
    now: i64,
) -> Result<bool, ProxyError> {
    let mut q = Query::new("");
    let (ep, o, pr, k, since) = (
        q.bind(Endpoint::Refund.name()),
        q.bind(order.as_str()),
        q.bind(principal),
        q.bind(key),
        q.bind(now - REFUND_HOLD_MS),
    );
    q.sql = format!(
        "UPDATE idempotency_keys SET baseline = COALESCE(baseline, 'holding') WHERE principal = {pr} AND key = {k} \
         AND NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE endpoint = {ep} AND order_uuid = {o} \
         AND baseline IS NOT NULL AND state IN ('in_flight', 'unknown') AND updated_at >= {since} \
         AND NOT (principal = {pr} AND key = {k}))"
    );
    Ok(db::run(db, &q).await.map_err(internal)? == 1)
}

/// Did another refund of this order (keyed and possibly done, or without a key and answered
/// 2xx / of unknown outcome) go through the proxy since `since`?
async fn other_refunds_since(
    db: &worker::D1Database,
    order: &OrderId,
    principal: &str,
    key: &str,
    since: i64,
) -> Result<bool, ProxyError> {
    let mut q = Query::new("");
    let (ep, o, pr, k, at) = (
        q.bind(Endpoint::Refund.name()),
        q.bind(order.as_str()),
        q.bind(principal),
        q.bind(key),
        q.bind(since),
    );
    q.sql = format!(
        "SELECT (SELECT COUNT(*) FROM idempotency_keys WHERE endpoint = {ep} AND order_uuid = {o} \
           AND updated_at >= {at} AND NOT (principal = {pr} AND key = {k}) \
           AND (state IN ('in_flight', 'unknown') OR status BETWEEN 200 AND 299)) \
         + (SELECT COUNT(*) FROM audit_log WHERE action = {ep} AND order_uuid = {o} AND at >= {at} \
           AND idempotency_key IS NULL AND (status BETWEEN 200 AND 299 OR status >= 500)) AS n"
    );
    let row: Option<CountRow> = db::first(db, &q).await.map_err(internal)?;
    Ok(row.is_some_and(|r| r.n > 0.0))
}
