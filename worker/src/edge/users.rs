//! `/console/users…`, `/console/sessions/{id}`, `/console/keys/{id}` and the caller's own
//! account routes under `/auth/`: user management for admins (a user may end their own
//! sessions). Every change is audited with the actor and the client's address; a refused or
//! failed one too, with its reason.

use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::json::parse_strict;
use frontdesk_core::proxy::{
    AccountDetail, IssuedPassword, NewUser, SessionInfo, UserChange, UserSummary,
};
use frontdesk_core::roles::Action;
use frontdesk_core::validate::validate_username;
use serde::de::DeserializeOwned;
use serde_json::Value;
use worker::{D1Database, Request};

use super::auth::{self as edge_auth, Caller, audit_entry, record, run_batch, session_handle};
use super::console::{data, internal};
use super::{Ctx, header};
use crate::audit::{self, actions};
use crate::auth::accounts::{self, GENERATED_RANDOM_BYTES, UserRow};
use crate::auth::{Principal, Via, session, throttle, users};
use crate::bounded::SMALL_MAX;
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::routes::Account;
use crate::sql::Query;

/// Run an account route; a failed write is audited here (a successful one by its handler,
/// with what it changed).
pub async fn handle(
    ctx: &Ctx,
    req: Request,
    principal: &Principal,
    route: Account,
    caller: &Caller,
) -> Result<ProxyReply, ProxyError> {
    let failure = failure_entry(ctx, principal, &route);
    let result = run(ctx, req, route, &Who { principal, caller }).await;
    if let (Err(e), Some(entry)) = (&result, failure) {
        record(ctx, caller, with_error(entry, e));
    }
    result
}

/// Audit a write refused before it ran (the role check, a cross-site cookie write).
pub fn audit_refusal(
    ctx: &Ctx,
    principal: &Principal,
    route: &Account,
    caller: &Caller,
    e: &ProxyError,
) {
    if let Some(entry) = failure_entry(ctx, principal, route) {
        record(ctx, caller, with_error(entry, e));
    }
}

async fn run(
    ctx: &Ctx,
    req: Request,
    route: Account,
    who: &Who<'_>,
) -> Result<ProxyReply, ProxyError> {
    let (principal, caller) = (who.principal, who.caller);
    match route {
        Account::ListUsers => list(ctx).await,
        Account::CreateUser => create(ctx, req, who).await,
        Account::ChangeUser(name) => change(ctx, req, who, &users::normalize(&name)).await,
        Account::ResetPassword(name) => reset(ctx, who, &users::normalize(&name)).await,
        Account::Sessions(name) => sessions(ctx, principal, &users::normalize(&name)).await,
        Account::Keys(name) => keys(ctx, &users::normalize(&name)).await,
        Account::RevokeSession(id) => revoke_session(ctx, who, &id).await,
        Account::RevokeKey(id) => revoke_key(ctx, who, &id).await,
        Account::ChangeOwnPassword => edge_auth::change_password(ctx, req, principal, caller).await,
        Account::SignOutEverywhere => edge_auth::logout_everywhere(ctx, principal, caller).await,
    }
}

/// Who acts, from where.
struct Who<'a> {
    principal: &'a Principal,
    caller: &'a Caller,
}

/// The audit row a failed `route` gets (`None` for reads), naming its target.
fn failure_entry(ctx: &Ctx, principal: &Principal, route: &Account) -> Option<audit::Entry> {
    let named = |detail: AccountDetail| Some(audit::detail_of(&detail));
    let (action, detail) = match route {
        Account::ListUsers | Account::Sessions(_) | Account::Keys(_) => return None,
        Account::CreateUser => (actions::USER_CREATED, None),
        Account::ChangeUser(n) => (actions::USER_CHANGED, named(user_detail(n))),
        Account::ResetPassword(n) => (actions::PASSWORD_RESET, named(user_detail(n))),
        Account::RevokeSession(id) => (
            actions::SESSION_REVOKED,
            named(AccountDetail {
                session: Some(session_handle(id).to_owned()),
                ..AccountDetail::default()
            }),
        ),
        Account::RevokeKey(id) => (
            actions::API_KEY_REVOKED,
            named(AccountDetail {
                key: Some(id.clone()),
                ..AccountDetail::default()
            }),
        ),
        Account::ChangeOwnPassword => (actions::PASSWORD_CHANGED, None),
        Account::SignOutEverywhere => (actions::SIGN_OUT_EVERYWHERE, None),
    };
    Some(audit::Entry {
        detail,
        ..audit_entry(ctx, principal, action)
    })
}

/// The audit detail naming a user.
fn user_detail(username: &str) -> AccountDetail {
    AccountDetail {
        username: Some(username.to_owned()),
        ..AccountDetail::default()
    }
}

/// A failure's status, and its reason code as the message (`roleNotAllowed`, `throttled`,
/// `currentPasswordWrong`, `userNotFound`, …).
fn with_error(entry: audit::Entry, e: &ProxyError) -> audit::Entry {
    let message = match e {
        ProxyError::Unauthenticated(why) | ProxyError::Forbidden(why) => (*why).to_owned(),
        ProxyError::LoginLocked { .. } => "throttled".to_owned(),
        other => other.envelope().message,
    };
    audit::Entry {
        status: e.status(),
        message,
        ..entry
    }
}

/// A small JSON body (at most [`SMALL_MAX`]), duplicate keys refused.
async fn small_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ProxyError> {
    if let Some(ct) = header(req, "content-type")
        && !ct.to_ascii_lowercase().contains("json")
    {
        return Err(ProxyError::UnsupportedMediaType);
    }
    let value = parse_strict(&super::body::read(req, SMALL_MAX).await?)?;
    serde_json::from_value(value).map_err(|_| ProxyError::MalformedJson)
}

/// Copy the `USERS` entries not yet in D1 (the bootstrap), so admins see and manage them.
async fn seed(ctx: &Ctx, db: &D1Database) -> Result<(), ProxyError> {
    if ctx.cfg.users.is_empty() {
        return Ok(());
    }
    let queries: Vec<Query> = ctx
        .cfg
        .users
        .iter()
        .map(|u| accounts::insert_user_sql(&u.username, u.role, &u.hash, ctx.now_ms))
        .collect();
    run_batch(db, &queries).await.map(drop)
}

async fn find_user(db: &D1Database, name: &str) -> Result<Option<UserRow>, ProxyError> {
    db::first(db, &accounts::user_sql(name))
        .await
        .map_err(internal)
}

/// The D1 row of `name` (bootstrap entries copied first); 404 `userNotFound` without one.
async fn existing_user(ctx: &Ctx, db: &D1Database, name: &str) -> Result<UserRow, ProxyError> {
    seed(ctx, db).await?;
    find_user(db, name).await?.ok_or(ProxyError::UnknownUser)
}

/// A generated password for `username` (shown once).
fn issue_password(username: &str) -> Result<IssuedPassword, ProxyError> {
    let random = edge_auth::random_bytes(GENERATED_RANDOM_BYTES)?;
    let password =
        accounts::generated_password(&random).ok_or_else(|| internal("too few random bytes"))?;
    Ok(IssuedPassword {
        username: username.to_owned(),
        password,
    })
}

/// `GET /console/users`.
async fn list(ctx: &Ctx) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    seed(ctx, &db).await?;
    let users: Vec<UserSummary> = db::all(&db, &accounts::list_users_sql())
        .await
        .map_err(internal)?;
    data(ApiMessage::UsersRetrievedSuccessfully, &users)
}

/// `POST /console/users` `{username, role}`: a new active user with a generated password.
async fn create(ctx: &Ctx, mut req: Request, who: &Who<'_>) -> Result<ProxyReply, ProxyError> {
    let new: NewUser = small_json(&mut req).await?;
    let name = validate_username(&new.username).map_err(ProxyError::Validation)?;
    let db = ctx.db()?;
    seed(ctx, &db).await?;
    if find_user(&db, &name).await?.is_some() {
        return Err(ProxyError::UserExists);
    }
    let issued = issue_password(&name)?;
    let hash = edge_auth::hash_password(&issued.password).await?;
    let inserted = db::run(
        &db,
        &accounts::insert_user_sql(&name, new.role, &hash, ctx.now_ms),
    )
    .await
    .map_err(internal)?;
    if inserted == 0 {
        return Err(ProxyError::UserExists);
    }
    let detail = AccountDetail {
        role: Some(new.role),
        ..user_detail(&name)
    };
    let entry = audit::Entry {
        detail: Some(audit::detail_of(&detail)),
        ..audit_entry(ctx, who.principal, actions::USER_CREATED)
    };
    record(ctx, who.caller, entry);
    data(ApiMessage::UserCreated, &issued)
}

/// `PATCH /console/users/{username}` `{role?, status?}`. A new role or a disable ends the
/// user's sessions; the last active admin cannot be demoted or disabled (409).
async fn change(
    ctx: &Ctx,
    mut req: Request,
    who: &Who<'_>,
    name: &str,
) -> Result<ProxyReply, ProxyError> {
    let change: UserChange = small_json(&mut req).await?;
    let db = ctx.db()?;
    let before = existing_user(ctx, &db, name).await?;
    let guard = accounts::removes_an_admin(&before, &change);
    let updated = db::run(&db, &accounts::change_user_sql(name, &change, guard))
        .await
        .map_err(internal)?;
    if updated == 0 {
        return Err(if guard {
            ProxyError::LastAdmin
        } else {
            ProxyError::UnknownUser
        });
    }
    let revoked = if accounts::change_revokes(&before, &change) {
        db::run(
            &db,
            &accounts::revoke_user_sessions_sql(name, None, ctx.now_ms),
        )
        .await
        .map_err(internal)?
    } else {
        0
    };
    let after = existing_user(ctx, &db, name).await?;
    let detail = AccountDetail {
        role: change.role,
        status: change.status,
        revoked: Some(revoked),
        ..user_detail(name)
    };
    let entry = audit::Entry {
        detail: Some(audit::detail_of(&detail)),
        ..audit_entry(ctx, who.principal, actions::USER_CHANGED)
    };
    record(ctx, who.caller, entry);
    data(ApiMessage::UserUpdated, &after.summary())
}

/// `POST /console/users/{username}/password`: a new generated password (shown once); the
/// user's sessions end and their sign-in throttle is cleared.
async fn reset(ctx: &Ctx, who: &Who<'_>, name: &str) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    existing_user(ctx, &db, name).await?;
    let issued = issue_password(name)?;
    let hash = edge_auth::hash_password(&issued.password).await?;
    let changed = run_batch(
        &db,
        &[
            accounts::set_password_sql(name, &hash),
            accounts::revoke_user_sessions_sql(name, None, ctx.now_ms),
            throttle::clear_user_sql(name),
        ],
    )
    .await?;
    let detail = AccountDetail {
        revoked: Some(changed.get(1).copied().unwrap_or(0)),
        ..user_detail(name)
    };
    let entry = audit::Entry {
        detail: Some(audit::detail_of(&detail)),
        ..audit_entry(ctx, who.principal, actions::PASSWORD_RESET)
    };
    record(ctx, who.caller, entry);
    data(ApiMessage::PasswordReset, &issued)
}

/// `GET /console/users/{username}/sessions`: the live ones, the caller's own marked.
async fn sessions(ctx: &Ctx, principal: &Principal, name: &str) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    existing_user(ctx, &db, name).await?;
    let mut list: Vec<SessionInfo> = db::all(&db, &accounts::list_sessions_sql(name, ctx.now_ms))
        .await
        .map_err(internal)?;
    for s in &mut list {
        s.current = principal.session.as_deref() == Some(s.id.as_str());
    }
    data(ApiMessage::SessionsRetrievedSuccessfully, &list)
}

#[derive(serde::Deserialize)]
struct Name {
    name: String,
}

/// `GET /console/users/{username}/keys`: from `API_KEYS`, with the revoked flags.
async fn keys(ctx: &Ctx, owner: &str) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    let revoked: Vec<Name> = db::all(&db, &accounts::revoked_keys_sql())
        .await
        .map_err(internal)?;
    let revoked: Vec<String> = revoked.into_iter().map(|r| r.name).collect();
    let infos = accounts::key_infos(&ctx.cfg.api_keys, owner, &revoked);
    data(ApiMessage::ApiKeysRetrievedSuccessfully, &infos)
}

#[derive(serde::Deserialize)]
struct Owner {
    username: String,
}

/// `DELETE /console/sessions/{id}`: admins end anyone's session, a user their own (others'
/// are `sessionNotFound` to them). Ending one's own current session also clears its cookie.
async fn revoke_session(ctx: &Ctx, who: &Who<'_>, id: &str) -> Result<ProxyReply, ProxyError> {
    if !session::is_session_id(id) {
        return Err(ProxyError::UnknownSession);
    }
    let db = ctx.db()?;
    let owner: Owner = db::first(&db, &accounts::session_owner_sql(id))
        .await
        .map_err(internal)?
        .ok_or(ProxyError::UnknownSession)?;
    let p = who.principal;
    let own = p.via == Via::Session && p.name == owner.username;
    if !own && !p.role.allows(Action::ManageUsers) {
        return Err(ProxyError::UnknownSession);
    }
    db::run(&db, &accounts::revoke_session_sql(id, ctx.now_ms))
        .await
        .map_err(internal)?;
    let detail = AccountDetail {
        session: Some(session_handle(id).to_owned()),
        ..user_detail(&owner.username)
    };
    let entry = audit::Entry {
        detail: Some(audit::detail_of(&detail)),
        ..audit_entry(ctx, p, actions::SESSION_REVOKED)
    };
    record(ctx, who.caller, entry);
    let reply = ProxyReply::ok(ApiMessage::SessionEnded, Value::Null);
    Ok(if p.session.as_deref() == Some(id) {
        reply.with_header("set-cookie", session::clear_cookie(&who.caller.host))
    } else {
        reply
    })
}

/// `DELETE /console/keys/{id}`: the key (by its `API_KEYS` name) stops authenticating.
async fn revoke_key(ctx: &Ctx, who: &Who<'_>, id: &str) -> Result<ProxyReply, ProxyError> {
    let key = ctx
        .cfg
        .api_keys
        .iter()
        .find(|k| k.name == id)
        .ok_or(ProxyError::UnknownApiKey)?;
    let db = ctx.db()?;
    db::run(
        &db,
        &accounts::revoke_key_sql(&key.name, &who.principal.id(), ctx.now_ms),
    )
    .await
    .map_err(internal)?;
    let detail = AccountDetail {
        key: Some(key.name.clone()),
        ..user_detail(&key.owner())
    };
    let entry = audit::Entry {
        detail: Some(audit::detail_of(&detail)),
        ..audit_entry(ctx, who.principal, actions::API_KEY_REVOKED)
    };
    record(ctx, who.caller, entry);
    data(ApiMessage::ApiKeyRevoked, &Value::Null)
}
