//! The `worker` adapter: requests become plain values at the door, pure modules decide, and
//! [`ProxyReply`]s become responses with the security headers.

pub mod api;
pub mod assets;
pub mod auth;
pub mod batches;
pub mod body;
pub mod book;
pub mod callbacks;
pub mod console;
pub mod cron;
pub mod customers;
pub mod orders;
pub mod products;
pub mod report;
pub mod sandbox;
pub mod upstream;
pub mod users;

use worker::{Date, Env, Headers, Request, Response, console_error};

use crate::auth::{Principal, Via};
use crate::config::Config;
use crate::error::{ProxyError, ProxyReply};
use crate::headers::{API_CSP, COMMON};
use crate::routes::{self, Route};

/// What every handler needs.
pub struct Ctx {
    pub env: Env,
    pub cfg: Config,
    pub now_ms: i64,
    pub wctx: Option<worker::Context>,
}

impl Ctx {
    pub fn db(&self) -> Result<worker::D1Database, ProxyError> {
        self.env
            .d1("DB")
            .map_err(|_| ProxyError::NotConfigured("DB"))
    }
    pub fn now_secs(&self) -> i64 {
        self.now_ms.div_euclid(1000)
    }
    /// Run a statement after the answer has gone out (audit rows, index refreshes).
    pub fn write_later(&self, q: crate::sql::Query, what: &'static str) {
        let env = self.env.clone();
        let token = self.cfg.token.clone();
        let work = async move {
            let Ok(db) = env.d1("DB") else { return };
            if let Err(e) = crate::db::run(&db, &q).await {
                console_error!(
                    "frontdesk: {what}: {}",
                    crate::upstream::redact(&e.to_string(), &token)
                );
            }
        };
        match &self.wctx {
            Some(c) => c.wait_until(work),
            None => wasm_bindgen_futures::spawn_local(work),
        }
    }

    /// Run `f` after the answer has gone out. Without a request context (the cron, a re-read
    /// run after an answer) `f` is dropped, not run: only request handlers defer work.
    pub fn later(&self, f: impl std::future::Future<Output = ()> + 'static) {
        if let Some(c) = &self.wctx {
            c.wait_until(f);
        }
    }
}

pub fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

pub fn config(env: &Env) -> Result<Config, ProxyError> {
    Config::from_lookup(lookup(env))
}

/// A secret or var of the Worker by name.
fn lookup(env: &Env) -> impl Fn(&str) -> Option<String> + '_ {
    move |name: &str| {
        env.secret(name)
            .map(|s| s.to_string())
            .or_else(|_| env.var(name).map(|v| v.to_string()))
            .ok()
    }
}

/// Log an error without ever printing the upstream token.
pub fn log_error(cfg: Option<&Config>, what: &str, detail: &str) {
    let line = match cfg {
        Some(c) => crate::upstream::redact(detail, &c.token),
        None => detail.to_owned(),
    };
    console_error!("frontdesk: {what}: {line}");
}

pub fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// A [`ProxyReply`] as a response, with the API's security headers.
pub fn respond(reply: ProxyReply) -> worker::Result<Response> {
    let headers = Headers::new();
    for (k, v) in &reply.headers {
        let _ = headers.append(k, v);
    }
    for (k, v) in COMMON {
        let _ = headers.set(k, v);
    }
    let _ = headers.set("content-security-policy", API_CSP);
    if !reply
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("cache-control"))
    {
        let _ = headers.set("cache-control", "no-store");
    }
    Ok(Response::from_bytes(reply.body.into_bytes())?
        .with_status(reply.status)
        .with_headers(headers))
}

/// The whole request. An `Err` only if the runtime cannot build a response at all. Off the
/// local development hosts every answer (the console's files too) gets HSTS.
pub async fn handle(req: Request, env: Env, wctx: worker::Context) -> worker::Result<Response> {
    let hsts = req
        .url()
        .ok()
        .and_then(|u| crate::headers::hsts_for_host(u.host_str().unwrap_or_default()));
    let mut response = answer(req, env, wctx).await?;
    if let Some((name, value)) = hsts {
        let _ = response.headers_mut().set(name, value);
    }
    Ok(response)
}

async fn answer(req: Request, env: Env, wctx: worker::Context) -> worker::Result<Response> {
    let method = req.method().to_string();
    let url = match req.url() {
        Ok(u) => u,
        Err(_) => return respond(ProxyError::NotFound.reply()),
    };
    let path = url.path().to_owned();
    let route = match routes::route(&method, &path) {
        Ok(r) => r,
        Err(e) => return respond(e.reply()),
    };
    if route == Route::Health {
        return respond(ProxyReply::json(200, &crate::health::health(lookup(&env))));
    }
    if route == Route::Assets {
        return assets::serve(req, &env).await;
    }
    let cfg = match config(&env) {
        Ok(c) => c,
        Err(e) => {
            log_error(None, "configuration", &e.to_string());
            return respond(e.reply());
        }
    };
    let ctx = Ctx {
        env,
        cfg,
        now_ms: now_ms(),
        wctx: Some(wctx),
    };
    let result = dispatch(&ctx, route, req, &url).await;
    match result {
        Ok(reply) => respond(reply),
        Err(e) => {
            if matches!(e, ProxyError::Internal(_) | ProxyError::NotConfigured(_)) {
                log_error(
                    Some(&ctx.cfg),
                    "request failed",
                    &format!("{method} {path}: {e:?}"),
                );
            }
            respond(e.reply())
        }
    }
}

async fn dispatch(
    ctx: &Ctx,
    route: Route,
    req: Request,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    match route {
        Route::Login => return auth::login(ctx, req, url).await,
        Route::Logout => return sign_out(ctx, &req, url).await,
        Route::Callback => return callbacks::receive(ctx, url).await,
        Route::Sandbox if !ctx.cfg.sandbox_controls => return Err(ProxyError::NotFound),
        _ => {}
    }
    let caller = auth::caller(ctx, &req, url);
    let principal = auth::authenticate(ctx, &req, &caller).await?;
    if route == Route::Me {
        return me(principal);
    }
    if let Some(e) = refusal(&route, principal.as_ref(), &req, url) {
        // A known caller refused: that attempt is audited too.
        if let Some(p) = &principal {
            audit_refusal(ctx, &route, p, &caller, &e).await;
        }
        return Err(e);
    }
    let Some(principal) = principal else {
        return Err(ProxyError::Unauthenticated("noCredentials"));
    };
    match route {
        Route::Api { endpoint, order } => {
            let target = api::Target { endpoint, order };
            api::handle(ctx, req, &principal, target, url).await
        }
        Route::ConsoleOrders => console::orders(ctx, url, &principal).await,
        Route::ConsoleOrder(id) => console::order(ctx, &id).await,
        Route::ConsoleNote(id) => console::note(ctx, req, &principal, &id).await,
        Route::ConsoleAudit => console::audit(ctx, url, principal.role).await,
        Route::ConsoleSync => console::sync(ctx).await,
        Route::ConsoleOverview => report::overview(ctx, url).await,
        Route::ConsoleVat => report::vat(ctx, url).await,
        Route::Sandbox => sandbox::forward(ctx, req, url).await,
        Route::Account(account) => users::handle(ctx, req, &principal, account, &caller).await,
        Route::Book(shelf, op) => book::handle(ctx, req, &principal, (shelf, op), url).await,
        Route::Batch(b) => batches::handle(ctx, req, &principal, b, url).await,
        _ => Err(ProxyError::NotFound),
    }
}

/// Does the browser say the request comes from our own origin ([`crate::auth::same_origin`])?
fn from_own_origin(req: &Request, url: &worker::Url) -> bool {
    let own = crate::auth::origin_of(url.as_str())
        .unwrap_or_default()
        .to_owned();
    crate::auth::same_origin(
        &own,
        header(req, "origin").as_deref(),
        header(req, "sec-fetch-site").as_deref(),
    )
}

/// `POST /auth/logout`: a cookie write like any other: a cross-site page may not end the
/// session.
async fn sign_out(ctx: &Ctx, req: &Request, url: &worker::Url) -> Result<ProxyReply, ProxyError> {
    let host = url.host_str().unwrap_or_default();
    let has_cookie = header(req, "cookie")
        .as_deref()
        .and_then(|c| crate::auth::session::from_cookie_header(c, host))
        .is_some();
    if has_cookie && !from_own_origin(req, url) {
        return Err(ProxyError::Forbidden("crossOrigin"));
    }
    auth::logout(ctx, req, url).await
}

/// `GET /auth/me`: who is signed in, and how.
fn me(principal: Option<Principal>) -> Result<ProxyReply, ProxyError> {
    let p = principal.ok_or(ProxyError::Unauthenticated("noCredentials"))?;
    Ok(ProxyReply::json(200, &p.me()))
}

/// Why this caller may not take this route: its role (or no credentials), or a session's
/// write from another origin.
fn refusal(
    route: &Route,
    principal: Option<&Principal>,
    req: &Request,
    url: &worker::Url,
) -> Option<ProxyError> {
    let refused = route
        .action()
        .and_then(|action| crate::auth::authorize(principal, action).err());
    if refused.is_some() {
        return refused;
    }
    let p = principal?;
    let method = req.method().to_string();
    (p.via == Via::Session && route.is_write(&method) && !from_own_origin(req, url))
        .then_some(ProxyError::Forbidden("crossOrigin"))
}

/// The audit row of a refused write (an API write, an internal note, an account change).
async fn audit_refusal(
    ctx: &Ctx,
    route: &Route,
    p: &Principal,
    caller: &auth::Caller,
    e: &ProxyError,
) {
    match route {
        Route::Api { endpoint, order } if endpoint.is_write() => {
            api::audit_refusal(ctx, p, *endpoint, order.as_ref(), e).await;
        }
        Route::ConsoleNote(id) => {
            let entry = console::note_entry(ctx, p, id, e.status(), e.envelope().message);
            ctx.write_later(entry.insert(), "audit");
        }
        Route::Account(account) => users::audit_refusal(ctx, p, account, caller, e),
        Route::Book(shelf, op) => book::audit_failure(ctx, p, *shelf, op, e),
        _ => {}
    }
}
