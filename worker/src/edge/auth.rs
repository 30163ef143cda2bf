//! Sign-in, sign-out, who is calling (session cookie or API key), and what a signed-in user
//! does to their own account (change the password, sign out everywhere).

use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::json::parse_strict;
use frontdesk_core::proxy::{
    AccountDetail, Credentials, Me, PasswordChange, SignedOut, UserStatus,
};
use frontdesk_core::roles::Role;
use frontdesk_core::validate::{MAX_PASSWORD, MAX_USERNAME, validate_new_password};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey};
use worker::{D1Database, Request};

use super::console::internal;
use super::{Ctx, header};
use crate::audit::{self, actions};
use crate::auth::accounts::{self, NewSession, UserRow};
use crate::auth::client::{self, Trust};
use crate::auth::password::{DEFAULT_ITERATIONS, HASH_LEN, PasswordHash, SALT_LEN};
use crate::auth::session::{self, Freshness, SessionRow};
use crate::auth::{self, Principal, Via, keys, throttle, users};
use crate::bounded::LOGIN_MAX;
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::sql::Query;

fn crypto() -> Result<Crypto, ProxyError> {
    Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .and_then(|c| c.dyn_into::<Crypto>())
        .map_err(|e| ProxyError::Internal(format!("crypto: {e:?}")))
}

/// `n` bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
pub fn random_bytes(n: usize) -> Result<Vec<u8>, ProxyError> {
    let buffer = Uint8Array::new_with_length(u32::try_from(n).map_err(internal)?);
    crypto()?
        .get_random_values_with_js_u8_array(&buffer)
        .map_err(|e| ProxyError::Internal(format!("random: {e:?}")))?;
    Ok(buffer.to_vec())
}

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

/// Does `password` derive to `hash`? Constant-time comparison.
async fn password_matches(password: &str, hash: &PasswordHash) -> Result<bool, ProxyError> {
    let derived = pbkdf2(password, hash)
        .await
        .map_err(|e| ProxyError::Internal(format!("pbkdf2: {e:?}")))?;
    Ok(hash.matches(&derived))
}

/// A new stored hash of `password`: a random salt and the Workers' maximum iterations.
pub async fn hash_password(password: &str) -> Result<PasswordHash, ProxyError> {
    let mut hash = PasswordHash {
        iterations: DEFAULT_ITERATIONS,
        salt: random_bytes(SALT_LEN)?,
        hash: vec![0; HASH_LEN],
    };
    hash.hash = pbkdf2(password, &hash)
        .await
        .map_err(|e| ProxyError::Internal(format!("pbkdf2: {e:?}")))?;
    Ok(hash)
}

/// Run statements as one D1 batch (one transaction); the rows each one changed.
pub async fn run_batch(db: &D1Database, queries: &[Query]) -> Result<Vec<usize>, ProxyError> {
    let results = db::batch(db, queries).await.map_err(internal)?;
    Ok(results
        .iter()
        .map(|r| r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0))
        .collect())
}

/// Where a request comes from.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The URL's host: which cookie name, whether HSTS and `Secure`.
    pub host: String,
    /// `CF-Connecting-IP` when trusted ([`client`]).
    pub address: Option<String>,
    /// The throttle's key for `address`.
    pub throttle_key: String,
    pub user_agent: Option<String>,
}

pub fn caller(ctx: &Ctx, req: &Request, url: &worker::Url) -> Caller {
    let host = url.host_str().unwrap_or_default().to_owned();
    let trust = Trust::decide(ctx.cfg.trust_cf_connecting_ip, &host);
    let address = client::address(trust, header(req, "cf-connecting-ip").as_deref());
    Caller {
        throttle_key: client::throttle_key(address.as_deref()),
        user_agent: client::user_agent(header(req, "user-agent").as_deref()),
        address,
        host,
    }
}

/// Write an account audit row (with the caller's address) after the answer.
pub fn record(ctx: &Ctx, caller: &Caller, entry: audit::Entry) {
    ctx.write_later(entry.insert_from(caller.address.as_deref()), "audit");
}

/// The audit row of `action` by `principal` now (an account change, a write, a note).
pub fn audit_entry(ctx: &Ctx, principal: &Principal, action: &str) -> audit::Entry {
    audit::by(ctx.now_ms, principal.id(), principal.role.as_str(), action)
}

/// A short handle of a session id for audit rows (enough to match the sessions list).
pub fn session_handle(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

pub async fn authenticate(
    ctx: &Ctx,
    req: &Request,
    caller: &Caller,
) -> Result<Option<Principal>, ProxyError> {
    let authz = header(req, "authorization");
    let cookie = header(req, "cookie");
    match auth::credential(authz.as_deref(), cookie.as_deref(), &caller.host) {
        auth::Credential::None => Ok(None),
        auth::Credential::Malformed => Err(ProxyError::Unauthenticated("badAuthorization")),
        auth::Credential::Bearer(token) => api_key(ctx, token, caller).await.map(Some),
        auth::Credential::Session(value) => session_principal(ctx, value).await.map(Some),
    }
}

/// A bearer key: in `API_KEYS` and not revoked. Refusals are audited.
async fn api_key(ctx: &Ctx, token: &str, caller: &Caller) -> Result<Principal, ProxyError> {
    let refuse = |actor: String, role: &str, why: &'static str| {
        let entry = audit::Entry {
            status: 401,
            message: why.to_owned(),
            ..audit::by(ctx.now_ms, actor, role, actions::API_KEY_REFUSED)
        };
        record(ctx, caller, entry);
        ProxyError::Unauthenticated(why)
    };
    let Some(key) = keys::find(&ctx.cfg.api_keys, token) else {
        return Err(refuse("unknown".into(), "none", "badApiKey"));
    };
    let db = ctx.db()?;
    let revoked: Option<Value> = db::first(&db, &accounts::key_revoked_sql(&key.name))
        .await
        .map_err(internal)?;
    if revoked.is_some() {
        let actor = format!("key:{}", key.name);
        return Err(refuse(actor, key.role.as_str(), "apiKeyRevoked"));
    }
    Ok(Principal {
        name: key.name.clone(),
        role: key.role,
        via: Via::ApiKey,
        session: None,
    })
}

/// A session cookie: signed, not expired, and its D1 row live (one lookup by primary key;
/// `last_seen_at` rewritten after the answer, at most once a minute).
async fn session_principal(ctx: &Ctx, value: &str) -> Result<Principal, ProxyError> {
    let secret = ctx
        .cfg
        .session_secret
        .as_deref()
        .ok_or(ProxyError::NotConfigured("SESSION_SECRET"))?;
    let s = session::verify(value, secret, ctx.now_ms)
        .map_err(|e| ProxyError::Unauthenticated(e.code()))?;
    let db = ctx.db()?;
    let row: SessionRow = db::first(&db, &accounts::lookup_session_sql(&s.sid))
        .await
        .map_err(internal)?
        .ok_or(ProxyError::Unauthenticated("sessionInvalid"))?;
    let freshness = row
        .check(&s.sub, ctx.now_ms)
        .map_err(|e| ProxyError::Unauthenticated(e.code()))?;
    if freshness == Freshness::Touch {
        ctx.write_later(accounts::touch_session_sql(&s.sid, ctx.now_ms), "session");
    }
    Ok(Principal {
        name: row.username,
        role: row.role,
        via: Via::Session,
        session: Some(s.sid),
    })
}

#[derive(serde::Deserialize)]
struct At {
    at: i64,
}

/// An attempt recorded and judged by the throttle, with the user's D1 row: one batch.
struct Attempt {
    verdict: Result<(), u64>,
    user: Option<UserRow>,
}

async fn attempt(
    ctx: &Ctx,
    db: &D1Database,
    name: &str,
    caller: &Caller,
) -> Result<Attempt, ProxyError> {
    let [insert, pair, address] = throttle::attempt_sql(name, &caller.throttle_key, ctx.now_ms);
    let queries = [insert, pair, address, accounts::user_sql(name)];
    let results = db::batch(db, &queries).await.map_err(internal)?;
    let times = |i: usize| -> Result<Vec<i64>, ProxyError> {
        let rows: Vec<At> = results
            .get(i)
            .ok_or_else(|| internal("throttle batch"))?
            .results()
            .map_err(internal)?;
        Ok(rows.into_iter().map(|r| r.at).collect())
    };
    let verdict = throttle::check(&times(1)?, &times(2)?, ctx.now_ms);
    let user = results
        .get(3)
        .ok_or_else(|| internal("throttle batch"))?
        .results::<UserRow>()
        .map_err(internal)?
        .into_iter()
        .next();
    Ok(Attempt { verdict, user })
}

/// Whom a sign-in names: the D1 row, else (the bootstrap) the `USERS` entry, which is copied
/// into D1 when its password is right.
struct Known {
    hash: PasswordHash,
    role: Role,
    active: bool,
    bootstrap: Option<Query>,
}

fn known(ctx: &Ctx, name: &str, row: Option<UserRow>) -> Option<Known> {
    match row {
        Some(r) => {
            let hash = r
                .hash()
                .map_err(|e| super::log_error(Some(&ctx.cfg), "users", &format!("{name}: {e}")))
                .ok()?;
            Some(Known {
                hash,
                role: r.role,
                active: r.status == UserStatus::Active,
                bootstrap: None,
            })
        }
        None => users::find(&ctx.cfg.users, name).map(|u| Known {
            hash: u.hash.clone(),
            role: u.role,
            active: true,
            bootstrap: Some(accounts::insert_user_sql(
                &u.username,
                u.role,
                &u.hash,
                ctx.now_ms,
            )),
        }),
    }
}

/// `POST /auth/login`: recorded and judged by the throttle before any password hashing;
/// unknown names spend the same PBKDF2 on a decoy (no timing oracle) once the throttle lets
/// them through. Every outcome is audited.
pub async fn login(
    ctx: &Ctx,
    mut req: Request,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    let own = auth::origin_of(url.as_str()).unwrap_or_default().to_owned();
    if !auth::login_origin_ok(
        &own,
        header(&req, "origin").as_deref(),
        header(&req, "sec-fetch-site").as_deref(),
    ) {
        return Err(ProxyError::Forbidden("crossOrigin"));
    }
    if ctx.cfg.session_secret.is_none() {
        return Err(ProxyError::NotConfigured("SESSION_SECRET"));
    }
    let caller = caller(ctx, &req, url);
    let bytes = super::body::read(&mut req, LOGIN_MAX).await?;
    let body: Credentials =
        serde_json::from_slice(&bytes).map_err(|_| ProxyError::MalformedJson)?;
    let name = users::normalize(&body.username);
    if name.is_empty() || name.chars().count() > MAX_USERNAME || body.password.len() > MAX_PASSWORD
    {
        return Err(ProxyError::Unauthenticated("badCredentials"));
    }
    let db = ctx.db()?;
    let Attempt { verdict, user } = attempt(ctx, &db, &name, &caller).await?;
    let known = known(ctx, &name, user);
    // An unknown name is not written down: people type passwords into the name field.
    let (actor, role) = match &known {
        Some(k) => (format!("user:{name}"), k.role.as_str()),
        None => ("unknown".to_owned(), "none"),
    };
    let failed = |status: u16, reason: &str| audit::Entry {
        status,
        message: reason.to_owned(),
        ..audit::by(ctx.now_ms, actor.clone(), role, actions::SIGN_IN_FAILED)
    };
    if let Err(retry_after) = verdict {
        record(ctx, &caller, failed(429, "throttled"));
        return Err(ProxyError::LoginLocked { retry_after });
    }
    let decoy = PasswordHash::decoy();
    let hash = known.as_ref().map_or(&decoy, |k| &k.hash);
    let matches = password_matches(&body.password, hash).await?;
    let refusal = match &known {
        None => Some("unknownUser"),
        Some(_) if !matches => Some("password"),
        Some(k) if !k.active => Some("disabled"),
        Some(_) => None,
    };
    match (known, refusal) {
        (Some(k), None) => start_session(ctx, &db, &caller, &name, k).await,
        (_, reason) => {
            record(ctx, &caller, failed(401, reason.unwrap_or("password")));
            Err(ProxyError::Unauthenticated("badCredentials"))
        }
    }
}

/// A right password: the session row, the throttle cleared for this (user, address), the
/// bootstrap copied, old sessions purged, all in one batch; then the signed cookie.
async fn start_session(
    ctx: &Ctx,
    db: &D1Database,
    caller: &Caller,
    name: &str,
    known: Known,
) -> Result<ProxyReply, ProxyError> {
    let secret = ctx
        .cfg
        .session_secret
        .as_deref()
        .ok_or(ProxyError::NotConfigured("SESSION_SECRET"))?;
    let sid = hex::encode(random_bytes(session::ID_BYTES)?);
    let new = NewSession {
        id: &sid,
        username: name,
        user_agent: caller.user_agent.as_deref(),
        address: caller.address.as_deref(),
    };
    let mut queries: Vec<Query> = known.bootstrap.into_iter().collect();
    queries.extend([
        throttle::clear_sql(name, &caller.throttle_key),
        accounts::purge_sessions_sql(name, ctx.now_ms),
        accounts::insert_session_sql(&new, ctx.now_ms),
        accounts::signed_in_sql(name, ctx.now_ms),
    ]);
    run_batch(db, &queries).await?;
    let entry = audit::Entry {
        detail: Some(session_detail(&sid)),
        ..audit::by(
            ctx.now_ms,
            format!("user:{name}"),
            known.role.as_str(),
            actions::SIGN_IN,
        )
    };
    record(ctx, caller, entry);
    let value = session::encode(&session::Session::new(&sid, name, ctx.now_ms), secret);
    let me = Me {
        username: name.to_owned(),
        role: known.role,
        via: None,
    };
    Ok(ProxyReply::json(200, &me)
        .with_header("set-cookie", session::set_cookie(&value, &caller.host)))
}

/// The audit detail naming a session by its handle.
fn session_detail(id: &str) -> String {
    audit::detail_of(&AccountDetail {
        session: Some(session_handle(id).to_owned()),
        ..AccountDetail::default()
    })
}

/// The answer of a sign-out that ended `revoked` sessions (when counted), clearing the cookie.
fn signed_out(revoked: Option<usize>, host: &str) -> ProxyReply {
    let out = SignedOut {
        logged_out: true,
        revoked,
    };
    ProxyReply::json(200, &out).with_header("set-cookie", session::clear_cookie(host))
}

/// The signed, unexpired session a request's cookie names (no row check).
fn signed_session(ctx: &Ctx, req: &Request, host: &str) -> Option<session::Session> {
    let cookie = header(req, "cookie")?;
    let value = session::from_cookie_header(&cookie, host)?;
    session::verify(value, ctx.cfg.session_secret.as_deref()?, ctx.now_ms).ok()
}

/// `POST /auth/logout`: revokes the session (a copied cookie stops working too) and clears
/// the cookie. Without a live session it only clears the cookie.
pub async fn logout(ctx: &Ctx, req: &Request, url: &worker::Url) -> Result<ProxyReply, ProxyError> {
    let caller = caller(ctx, req, url);
    if let Some(s) = signed_session(ctx, req, &caller.host) {
        let db = ctx.db()?;
        let row: Option<SessionRow> = db::first(&db, &accounts::lookup_session_sql(&s.sid))
            .await
            .map_err(internal)?;
        if let Some(row) = row.filter(|r| r.revoked_at.is_none() && r.username == s.sub) {
            db::run(&db, &accounts::revoke_session_sql(&s.sid, ctx.now_ms))
                .await
                .map_err(internal)?;
            let entry = audit::Entry {
                detail: Some(session_detail(&s.sid)),
                ..audit::by(
                    ctx.now_ms,
                    format!("user:{}", row.username),
                    row.role.as_str(),
                    actions::SIGN_OUT,
                )
            };
            record(ctx, &caller, entry);
        }
    }
    Ok(signed_out(None, &caller.host))
}

/// `POST /auth/logout-everywhere`: every session of the signed-in user ends, this one too.
pub async fn logout_everywhere(
    ctx: &Ctx,
    principal: &Principal,
    caller: &Caller,
) -> Result<ProxyReply, ProxyError> {
    if principal.via != Via::Session {
        return Err(ProxyError::Forbidden("sessionRequired"));
    }
    let db = ctx.db()?;
    let revoked = db::run(
        &db,
        &accounts::revoke_user_sessions_sql(&principal.name, None, ctx.now_ms),
    )
    .await
    .map_err(internal)?;
    let entry = audit::Entry {
        detail: Some(revoked_detail(revoked)),
        ..audit_entry(ctx, principal, actions::SIGN_OUT_EVERYWHERE)
    };
    record(ctx, caller, entry);
    Ok(signed_out(Some(revoked), &caller.host))
}

/// The audit detail of a change that ended `revoked` sessions of the actor.
fn revoked_detail(revoked: usize) -> String {
    audit::detail_of(&AccountDetail {
        revoked: Some(revoked),
        ..AccountDetail::default()
    })
}

/// `POST /auth/password` `{current, new}`: the signed-in user's own password. The new one must
/// pass core's rules (417 otherwise, nothing recorded); the current one is checked under the
/// sign-in throttle. Ends the user's other sessions.
pub async fn change_password(
    ctx: &Ctx,
    mut req: Request,
    principal: &Principal,
    caller: &Caller,
) -> Result<ProxyReply, ProxyError> {
    let Some(own) = principal
        .session
        .as_deref()
        .filter(|_| principal.via == Via::Session)
    else {
        return Err(ProxyError::Forbidden("sessionRequired"));
    };
    let value = parse_strict(&super::body::read(&mut req, LOGIN_MAX).await?)?;
    let change: PasswordChange =
        serde_json::from_value(value).map_err(|_| ProxyError::MalformedJson)?;
    validate_new_password(&change.new, &principal.name).map_err(ProxyError::Validation)?;
    let db = ctx.db()?;
    let Attempt { verdict, user } = attempt(ctx, &db, &principal.name, caller).await?;
    if let Err(retry_after) = verdict {
        return Err(ProxyError::LoginLocked { retry_after });
    }
    let hash = user
        .as_ref()
        .and_then(|u| u.hash().ok())
        .ok_or(ProxyError::Unauthenticated("sessionInvalid"))?;
    if change.current.len() > MAX_PASSWORD || !password_matches(&change.current, &hash).await? {
        return Err(ProxyError::Forbidden("currentPasswordWrong"));
    }
    let new_hash = hash_password(&change.new).await?;
    let changed = run_batch(
        &db,
        &[
            accounts::set_password_sql(&principal.name, &new_hash),
            throttle::clear_sql(&principal.name, &caller.throttle_key),
            accounts::revoke_user_sessions_sql(&principal.name, Some(own), ctx.now_ms),
        ],
    )
    .await?;
    let entry = audit::Entry {
        detail: Some(revoked_detail(changed.get(2).copied().unwrap_or(0))),
        ..audit_entry(ctx, principal, actions::PASSWORD_CHANGED)
    };
    record(ctx, caller, entry);
    Ok(ProxyReply::ok(ApiMessage::PasswordChanged, Value::Null))
}
