//! `GET /callbacks/frontpayment`: verify, then re-read the order's status before recording it.

use serde_json::json;

use super::Ctx;
use crate::callbacks::{CallbackError, check};
use crate::error::{ProxyError, Reply};

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
    let status = super::api::refresh(ctx, hint.order.as_str(), "callback").await;
    match status {
        Some(st) => {
            ctx.write_later(
                crate::audit::callback(ctx.now_ms, hint.order.as_str(), st).insert(),
                "audit",
            );
            Ok(Reply::json(
                200,
                &json!({"received": true, "orderUuid": hint.order.as_str(), "status": st.as_str()}),
            ))
        }
        None => Err(ProxyError::UpstreamBadResponse),
    }
}
