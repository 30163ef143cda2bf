//! `/_sandbox/*` → the sandbox root, for admins, only when `SANDBOX_CONTROLS=true`.

use worker::{Method, Request};

use super::Ctx;
use super::upstream::{Call, once, reply};
use crate::bounded::SMALL_MAX;
use crate::error::{ProxyError, ProxyReply};
use crate::upstream::sandbox_root;

pub async fn forward(
    ctx: &Ctx,
    mut req: Request,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    let method = req.method();
    let body = if method == Method::Post {
        // The controls take a few members (the sandbox caps them at 16 KiB too).
        let b = super::body::read(&mut req, SMALL_MAX).await?;
        Some(String::from_utf8(b).map_err(|_| ProxyError::MalformedJson)?)
    } else {
        None
    };
    let target = match url.query() {
        Some(q) => format!("{}{}?{q}", sandbox_root(&ctx.cfg.api_base), url.path()),
        None => format!("{}{}", sandbox_root(&ctx.cfg.api_base), url.path()),
    };
    let call = Call {
        method: if method == Method::Post {
            Method::Post
        } else {
            Method::Get
        },
        url: &target,
        body: body.as_deref(),
        fault: None,
    };
    reply(ctx, &once(ctx, &call).await)
}
