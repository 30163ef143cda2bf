//! The background re-read of one order's status upstream, recorded in the index: after a write
//! went through, for a callback, and for the cron's orders not yet final. Paced like any
//! background read ([`ratelimit`]): the rate budget's reserve is kept for people.

use frontdesk_core::{Endpoint, Money, OrderId, OrderStatus};
use serde_json::Value;

use crate::db;
use crate::edge::upstream as up;
use crate::edge::{Ctx, log_error, now_ms};
use crate::index::{self, InvoiceRow};
use crate::ratelimit;
use crate::sql::Query;
use crate::upstream::{Outcome, api_url};

/// Why a background re-read brought no status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    /// Not sent, or refused with 429: the rate budget is kept for people. Try again later.
    Paced,
    /// Upstream gave no status (an error, a timeout, an unknown order, a garbled answer).
    Unreadable,
}

/// The status an answer about one order names.
pub fn status_of(data: &Value) -> Option<OrderStatus> {
    data.get("status")?.as_str()?.parse().ok()
}

/// What an answer about one order says beyond its status (invoice number, refunded amount), as
/// an index write when it says any of it.
pub fn upstream_facts(id: &OrderId, data: &Value) -> Option<Query> {
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

/// Background read of one order's status upstream, recorded in the index (with `source` for an
/// order the index did not know). It is not sent while the rate budget is down to the people's
/// reserve ([`ratelimit`]).
pub async fn refresh(ctx: &Ctx, uuid: &str, source: &str) -> Result<OrderStatus, Missed> {
    if !ratelimit::background_allowed(now_ms()) {
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
    let now = now_ms();
    if let Err(e) = db::run(&db, &index::upsert_status(uuid, st, source, now)).await {
        log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
    if let Some(q) = upstream_facts(&id, data)
        && let Err(e) = db::run(&db, &q).await
    {
        log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
    if st.has_invoice_number() {
        learn_invoice_number(ctx, &db, &id).await;
    }
    Ok(st)
}

/// An invoice order that has an invoice number upstream but not yet in the index: read it
/// once (paced like any background read), so the bookkeeper's CSV has it without anyone
/// opening the order.
async fn learn_invoice_number(ctx: &Ctx, db: &worker::D1Database, id: &OrderId) {
    let Ok(Some(row)) = db::first::<InvoiceRow>(db, &index::invoice_sql(id.as_str())).await else {
        return;
    };
    if !row.lacks_invoice_number() || !ratelimit::background_allowed(now_ms()) {
        return;
    }
    let Some(path) = Endpoint::InvoiceNumber.path(Some(id)) else {
        return;
    };
    let out = up::get(ctx, &api_url(&ctx.cfg.api_base, &path, None), None).await;
    if let Some(q) = up::data(&out).and_then(|d| upstream_facts(id, d))
        && let Err(e) = db::run(db, &q).await
    {
        log_error(Some(&ctx.cfg), "index", &e.to_string());
    }
}
