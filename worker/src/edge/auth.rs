//! Login, logout, and who is calling (session cookie or API key).

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey};
use worker::Request;

use super::{Ctx, header};
use crate::auth::password::PasswordHash;
use crate::auth::{self, Principal, Via, keys, session, throttle, users};
use crate::db;
use crate::error::{ProxyError, Reply};
use crate::sql::Query;

/// PBKDF2-HMAC-SHA256 with WebCrypto (native code in the runtime).
async fn pbkdf2(password: &str, hash: &PasswordHash) -> Result<Vec<u8>, JsValue> {
    let crypto: Crypto =
        Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))?.dyn_into()?;
    let subtle = crypto.subtle();
    let raw = Uint8Array::from(password.as_bytes());
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let key: CryptoKey =
        JsFuture::from(subtle.import_key_with_str("raw", &raw, "PBKDF2", false, &usages)?)
            .await?
            .dyn_into()?;
    let params = Object::new();
    Reflect::set(&params, &"name".into(), &"PBKDF2".into())?;
    Reflect::set(&params, &"hash".into(), &"SHA-256".into())?;
    Reflect::set(
        &params,
        &"salt".into(),
        &Uint8Array::from(hash.salt.as_slice()),
    )?;
    Reflect::set(
        &params,
        &"iterations".into(),
        &JsValue::from(hash.iterations),
    )?;
    let bits = JsFuture::from(subtle.derive_bits_with_object(&params, &key, hash.bits())?).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

pub async fn authenticate(ctx: &Ctx, req: &Request) -> Result<Option<Principal>, ProxyError> {
    let authz = header(req, "authorization");
    let cookie = header(req, "cookie");
    match auth::credential(authz.as_deref(), cookie.as_deref()) {
        auth::Credential::None => Ok(None),
        auth::Credential::Malformed => Err(ProxyError::Unauthenticated("badAuthorization")),
        auth::Credential::Bearer(token) => keys::find(&ctx.cfg.api_keys, token)
            .map(|k| {
                Some(Principal {
                    name: k.name.clone(),
                    role: k.role,
                    via: Via::ApiKey,
                })
            })
            .ok_or(ProxyError::Unauthenticated("badApiKey")),
        auth::Credential::Session(value) => {
            let secret = ctx
                .cfg
                .session_secret
                .as_deref()
                .ok_or(ProxyError::NotConfigured("SESSION_SECRET"))?;
            let s = session::verify(value, secret, ctx.now_ms)
                .map_err(|e| ProxyError::Unauthenticated(e.code()))?;
            let user = users::find(&ctx.cfg.users, &s.sub)
                .filter(|u| u.hash.fingerprint() == s.pwv)
                .ok_or(ProxyError::Unauthenticated("sessionInvalid"))?;
            Ok(Some(Principal {
                name: user.username.clone(),
                role: user.role,
                via: Via::Session,
            }))
        }
    }
}

#[derive(serde::Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

#[derive(serde::Deserialize)]
struct At {
    at: i64,
}

fn secure(url: &worker::Url) -> bool {
    session::secure_for_host(url.host_str().unwrap_or_default())
}

pub async fn login(ctx: &Ctx, mut req: Request, url: &worker::Url) -> Result<Reply, ProxyError> {
    let own = auth::origin_of(url.as_str()).unwrap_or_default().to_owned();
    if !auth::login_origin_ok(
        &own,
        header(&req, "origin").as_deref(),
        header(&req, "sec-fetch-site").as_deref(),
    ) {
        return Err(ProxyError::Forbidden("crossOrigin"));
    }
    let secret = ctx
        .cfg
        .session_secret
        .clone()
        .ok_or(ProxyError::NotConfigured("SESSION_SECRET"))?;
    let bytes = req.bytes().await.map_err(|_| ProxyError::MalformedJson)?;
    if bytes.len() > 4096 {
        return Err(ProxyError::PayloadTooLarge);
    }
    let body: LoginBody = serde_json::from_slice(&bytes).map_err(|_| ProxyError::MalformedJson)?;
    let name = users::normalize(&body.username);
    if name.is_empty() || name.len() > 64 || body.password.len() > 1024 {
        return Err(ProxyError::Unauthenticated("badCredentials"));
    }
    let db = ctx.db()?;
    let mut q = Query::new("");
    let (u, since) = (
        q.bind(name.as_str()),
        q.bind(ctx.now_ms - throttle::WINDOW_MS),
    );
    q.sql = format!(
        "SELECT at FROM login_failures WHERE username = {u} AND at > {since} ORDER BY at DESC LIMIT {}",
        throttle::MAX_FAILURES
    );
    let recent: Vec<At> = db::all(&db, &q)
        .await
        .map_err(|e| ProxyError::Internal(e.to_string()))?;
    let times: Vec<i64> = recent.iter().map(|a| a.at).collect();
    if let Some(retry_after) = throttle::locked(&times, ctx.now_ms) {
        return Err(ProxyError::LoginLocked { retry_after });
    }
    let user = users::find(&ctx.cfg.users, &name);
    let decoy = PasswordHash::decoy();
    let hash = user.map_or(&decoy, |u| &u.hash);
    let derived = pbkdf2(&body.password, hash)
        .await
        .map_err(|e| ProxyError::Internal(format!("pbkdf2: {e:?}")))?;
    let ok = user.is_some() && hash.matches(&derived);
    let Some(user) = user.filter(|_| ok) else {
        let mut q = Query::new("");
        let (u, at) = (q.bind(name.as_str()), q.bind(ctx.now_ms));
        q.sql = format!("INSERT INTO login_failures (username, at) VALUES ({u}, {at})");
        db::run(&db, &q)
            .await
            .map_err(|e| ProxyError::Internal(e.to_string()))?;
        return Err(ProxyError::Unauthenticated("badCredentials"));
    };
    let mut q = Query::new("");
    let u = q.bind(name.as_str());
    q.sql = format!("DELETE FROM login_failures WHERE username = {u}");
    db::run(&db, &q)
        .await
        .map_err(|e| ProxyError::Internal(e.to_string()))?;
    let s = session::Session::new(&user.username, &user.hash.fingerprint(), ctx.now_ms);
    let cookie = session::set_cookie(&session::encode(&s, &secret), secure(url));
    Ok(Reply::json(
        200,
        &serde_json::json!({"username": user.username, "role": user.role}),
    )
    .with_header("set-cookie", cookie))
}

pub fn logout(url: &worker::Url) -> Reply {
    Reply::json(200, &serde_json::json!({"loggedOut": true}))
        .with_header("set-cookie", session::clear_cookie(secure(url)))
}
