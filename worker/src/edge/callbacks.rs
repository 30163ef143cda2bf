//! `GET /callbacks/frontpayment`: verify, then re-read the order's status before recording it.

use serde_json::json;

use super::Ctx;
use super::api::{Missed, refresh};
use crate::callbacks::{CallbackError, check};
use crate::error::{ProxyError, Reply};
use crate::index;

pub async fn receive(ctx: &Ctx, url: &worker::Url) -> Result<Reply, ProxyError> {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let hint = match check(&pairs, ctx.cfg.callback_secret.as_deref(), ctx.now_secs()) {
        Ok(h) => h,
        Err(CallbackError::NotConfigured) => {
            return Err(ProxyError::NotConfigured("CALLBACK_SECRET"));
        }
        Err(e) => return Err(ProxyError::Unauthenticated(e.code())),
    };
    // A callback is a hint: believe only what upstream says now.
    let uuid = hint.order.as_str();
    match refresh(ctx, uuid, "callback").await {
        Ok(st) => {
            ctx.write_later(
                crate::audit::callback(ctx.now_ms, uuid, st).insert(),
                "audit",
            );
            Ok(Reply::json(
                200,
                &json!({"received": true, "orderUuid": uuid, "status": st.as_str()}),
            ))
        }
        // The rate budget is kept for people: received, and the cron re-reads it later.
        Err(Missed::Paced) => {
            ctx.write_later(index::await_reread(uuid, ctx.now_ms), "index");
            Ok(Reply::json(
                200,
                &json!({"received": true, "orderUuid": uuid, "status": null, "deferred": true}),
            ))
        }
        Err(Missed::Unreadable) => Err(ProxyError::UpstreamBadResponse),
    }
}
