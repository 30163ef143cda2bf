//! `GET /callbacks/frontpayment`: verify, remember, then re-read the order's status before
//! recording it (at most once per order per 10 s; a repeat is not read again).

use serde_json::{Value, json};

use super::Ctx;
use super::orders::refresh::{Missed, refresh};
use crate::callbacks::{self as cb, CallbackError, Hint, check};
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::index;

#[derive(serde::Deserialize)]
struct Fresh {
    reread: f64,
}

/// What to do with a verified callback.
enum Turn {
    /// Seen before (within its validity window): already handled.
    Repeat,
    /// Its order was re-read within the last 10 s: the cron reads it.
    Paced,
    /// Read upstream now.
    Read,
}

pub async fn receive(ctx: &Ctx, url: &worker::Url) -> Result<ProxyReply, ProxyError> {
    let hint = verified(ctx, url)?;
    let uuid = hint.order.as_str();
    match turn(ctx, &hint).await? {
        Turn::Repeat => Ok(received(uuid, json!({"replayed": true}))),
        Turn::Paced => Ok(defer(ctx, uuid)),
        Turn::Read => read(ctx, &hint).await,
    }
}

fn verified(ctx: &Ctx, url: &worker::Url) -> Result<Hint, ProxyError> {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match check(&pairs, ctx.cfg.callback_secret.as_deref(), ctx.now_secs()) {
        Ok(h) => Ok(h),
        Err(CallbackError::NotConfigured) => Err(ProxyError::NotConfigured("CALLBACK_SECRET")),
        Err(e) => Err(ProxyError::Unauthenticated(e.code())),
    }
}

/// Remember the callback and claim its order's re-read (one D1 statement: concurrent repeats
/// cannot both read). Fresh callbacks also purge what has expired, after the answer.
async fn turn(ctx: &Ctx, hint: &Hint) -> Result<Turn, ProxyError> {
    let db = ctx.db()?;
    let row: Option<Fresh> = db::first(&db, &cb::remember(hint, ctx.now_ms))
        .await
        .map_err(|e| ProxyError::Internal(e.to_string()))?;
    let Some(row) = row else {
        return Ok(Turn::Repeat);
    };
    ctx.write_later(cb::purge(ctx.now_ms), "callbacks");
    Ok(if row.reread > 0.0 {
        Turn::Read
    } else {
        Turn::Paced
    })
}

/// A callback is a hint: believe only what upstream says now.
async fn read(ctx: &Ctx, hint: &Hint) -> Result<ProxyReply, ProxyError> {
    let uuid = hint.order.as_str();
    match refresh(ctx, uuid, "callback").await {
        Ok(st) => {
            ctx.write_later(
                crate::audit::callback(ctx.now_ms, uuid, st).insert(),
                "audit",
            );
            Ok(received(uuid, json!({"status": st.as_str()})))
        }
        // The rate budget is kept for people: received, and the cron re-reads it later.
        Err(Missed::Paced) => Ok(defer(ctx, uuid)),
        Err(Missed::Unreadable) => {
            // Not read: the sender's retry of this very callback must be read again.
            ctx.write_later(cb::forget(hint), "callbacks");
            Err(ProxyError::UpstreamBadResponse)
        }
    }
}

/// Received, not read now: the order waits on the cron's list.
fn defer(ctx: &Ctx, uuid: &str) -> ProxyReply {
    ctx.write_later(index::await_reread(uuid, ctx.now_ms), "index");
    received(uuid, json!({"status": null, "deferred": true}))
}

/// `{"received": true, "orderUuid": …}` with `extra`'s members.
fn received(uuid: &str, extra: Value) -> ProxyReply {
    let mut body = json!({"received": true, "orderUuid": uuid});
    if let (Some(b), Value::Object(more)) = (body.as_object_mut(), extra) {
        b.extend(more);
    }
    ProxyReply::json(200, &body)
}
