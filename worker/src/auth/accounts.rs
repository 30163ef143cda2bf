//! Console users, their sessions and revoked API keys in D1 (migration 0004): the rows and
//! the statements, as plain values (the adapter in `edge` runs them).

use frontdesk_core::proxy::{ApiKeyInfo, UserChange, UserStatus, UserSummary};
use frontdesk_core::roles::Role;
use serde::Deserialize;

use super::keys::ApiKey;
use super::password::{HashFormatError, PasswordHash};
use super::session::{IDLE_MS, LIFETIME_MS};
use crate::sql::Query;

/// Most rows a list answers (users, sessions of one user).
pub const MAX_LIST: i64 = 500;
/// Characters of a generated password (four groups of five, dash-separated; ~116 bits).
pub const GENERATED_LEN: usize = 20;
/// Random bytes to ask for one generated password (rejection sampling drops about 11 %).
pub const GENERATED_RANDOM_BYTES: usize = 64;
/// Unambiguous letters and digits (no 0/O, 1/l/I).
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// A `users` row.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserRow {
    pub username: String,
    pub role: Role,
    pub status: UserStatus,
    pub password_hash: String,
    pub created_at: i64,
    #[serde(default)]
    pub last_sign_in_at: Option<i64>,
}

impl UserRow {
    pub fn hash(&self) -> Result<PasswordHash, HashFormatError> {
        self.password_hash.parse()
    }

    pub fn summary(&self) -> UserSummary {
        UserSummary {
            username: self.username.clone(),
            role: self.role,
            status: self.status,
            created_at: self.created_at,
            last_sign_in_at: self.last_sign_in_at,
        }
    }
}

const USER_COLUMNS: &str = "username, role, status, password_hash, created_at, last_sign_in_at";

pub fn user_sql(username: &str) -> Query {
    let mut q = Query::new("");
    let u = q.bind(username);
    q.sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = {u}");
    q
}

/// Every user as [`UserSummary`] rows (camelCase columns), by name.
pub fn list_users_sql() -> Query {
    Query::new(format!(
        "SELECT username, role, status, created_at AS createdAt, last_sign_in_at AS lastSignInAt \
         FROM users ORDER BY username LIMIT {MAX_LIST}"
    ))
}

/// A new active user; nothing when the name exists (`changes` 0 tells).
pub fn insert_user_sql(username: &str, role: Role, hash: &PasswordHash, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let p = [
        q.bind(username),
        q.bind(role.as_str()),
        q.bind(UserStatus::Active.as_str()),
        q.bind(hash.to_string()),
        q.bind(now_ms),
    ];
    q.sql = format!(
        "INSERT INTO users (username, role, status, password_hash, created_at) VALUES ({}) \
         ON CONFLICT (username) DO NOTHING",
        p.join(", ")
    );
    q
}

/// Set what `change` names (absent members stay). With `keep_an_admin` it changes nothing
/// (0 rows) unless another active admin remains: checked in the same statement, so two
/// admins demoting each other at once cannot both succeed.
pub fn change_user_sql(username: &str, change: &UserChange, keep_an_admin: bool) -> Query {
    let mut q = Query::new("");
    let (u, r, s) = (
        q.bind(username),
        q.bind(change.role.map(Role::as_str)),
        q.bind(change.status.map(UserStatus::as_str)),
    );
    q.sql = format!(
        "UPDATE users SET role = COALESCE({r}, role), status = COALESCE({s}, status) WHERE username = {u}"
    );
    if keep_an_admin {
        q.sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND status = 'active' AND username <> {u})"
        ));
    }
    q
}

pub fn set_password_sql(username: &str, hash: &PasswordHash) -> Query {
    let mut q = Query::new("");
    let (u, h) = (q.bind(username), q.bind(hash.to_string()));
    q.sql = format!("UPDATE users SET password_hash = {h} WHERE username = {u}");
    q
}

pub fn signed_in_sql(username: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (u, t) = (q.bind(username), q.bind(now_ms));
    q.sql = format!("UPDATE users SET last_sign_in_at = {t} WHERE username = {u}");
    q
}

/// Would `change` leave `user` no longer an active admin?
pub fn removes_an_admin(user: &UserRow, change: &UserChange) -> bool {
    let active_admin =
        |role: Role, status: UserStatus| role == Role::Admin && status == UserStatus::Active;
    active_admin(user.role, user.status)
        && !active_admin(
            change.role.unwrap_or(user.role),
            change.status.unwrap_or(user.status),
        )
}

/// Does `change` end the user's sessions (a new role, or a disable)?
pub fn change_revokes(user: &UserRow, change: &UserChange) -> bool {
    change.role.is_some_and(|r| r != user.role)
        || (change.status == Some(UserStatus::Disabled) && user.status != UserStatus::Disabled)
}

// ---- sessions ----

/// What a new session row records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub user_agent: Option<&'a str>,
    pub address: Option<&'a str>,
}

pub fn insert_session_sql(s: &NewSession<'_>, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let p = [
        q.bind(s.id),
        q.bind(s.username),
        q.bind(now_ms),
        q.bind(now_ms),
        q.bind(s.user_agent),
        q.bind(s.address),
    ];
    q.sql = format!(
        "INSERT INTO sessions (id, username, created_at, last_seen_at, user_agent, address) VALUES ({})",
        p.join(", ")
    );
    q
}

/// The session and its user's role and status ([`super::session::SessionRow`]): one lookup
/// by primary key plus one by primary key.
pub fn lookup_session_sql(id: &str) -> Query {
    let mut q = Query::new("");
    let i = q.bind(id);
    q.sql = format!(
        "SELECT s.username AS username, s.created_at AS created_at, s.last_seen_at AS last_seen_at, \
         s.revoked_at AS revoked_at, u.role AS role, u.status AS status \
         FROM sessions s JOIN users u ON u.username = s.username WHERE s.id = {i}"
    );
    q
}

pub fn touch_session_sql(id: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (i, t) = (q.bind(id), q.bind(now_ms));
    q.sql = format!("UPDATE sessions SET last_seen_at = {t} WHERE id = {i} AND revoked_at IS NULL");
    q
}

pub fn revoke_session_sql(id: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (i, t) = (q.bind(id), q.bind(now_ms));
    q.sql = format!("UPDATE sessions SET revoked_at = {t} WHERE id = {i} AND revoked_at IS NULL");
    q
}

/// End every live session of `username`, but `except` (the caller's own, after a password
/// change).
pub fn revoke_user_sessions_sql(username: &str, except: Option<&str>, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (u, t) = (q.bind(username), q.bind(now_ms));
    q.sql =
        format!("UPDATE sessions SET revoked_at = {t} WHERE username = {u} AND revoked_at IS NULL");
    if let Some(id) = except {
        let i = q.bind(id);
        q.sql.push_str(&format!(" AND id <> {i}"));
    }
    q
}

/// Forget `username`'s sessions that ended by age anyway (run at each sign-in, so the table
/// holds at most a day's sessions per user).
pub fn purge_sessions_sql(username: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (u, before) = (q.bind(username), q.bind(now_ms - LIFETIME_MS));
    q.sql = format!("DELETE FROM sessions WHERE username = {u} AND created_at < {before}");
    q
}

/// `username`'s live sessions as [`frontdesk_core::proxy::SessionInfo`] rows, most recently
/// seen first (`current` is set by the caller).
pub fn list_sessions_sql(username: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (u, made, seen) = (
        q.bind(username),
        q.bind(now_ms - LIFETIME_MS),
        q.bind(now_ms - IDLE_MS),
    );
    q.sql = format!(
        "SELECT id, username, created_at AS createdAt, last_seen_at AS lastSeenAt, user_agent AS userAgent, address \
         FROM sessions WHERE username = {u} AND revoked_at IS NULL AND created_at > {made} AND last_seen_at > {seen} \
         ORDER BY last_seen_at DESC LIMIT {MAX_LIST}"
    );
    q
}

/// `{"username": …}` of a session not yet revoked.
pub fn session_owner_sql(id: &str) -> Query {
    let mut q = Query::new("");
    let i = q.bind(id);
    q.sql = format!("SELECT username FROM sessions WHERE id = {i} AND revoked_at IS NULL");
    q
}

// ---- API keys ----

/// `{"name": …}` rows of every revoked key.
pub fn revoked_keys_sql() -> Query {
    Query::new("SELECT name FROM revoked_keys")
}

/// `{"name": …}` when the key `name` is revoked.
pub fn key_revoked_sql(name: &str) -> Query {
    let mut q = Query::new("");
    let n = q.bind(name);
    q.sql = format!("SELECT name FROM revoked_keys WHERE name = {n}");
    q
}

pub fn revoke_key_sql(name: &str, by: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (n, t, b) = (q.bind(name), q.bind(now_ms), q.bind(by));
    q.sql = format!(
        "INSERT INTO revoked_keys (name, revoked_at, revoked_by) VALUES ({n}, {t}, {b}) \
         ON CONFLICT (name) DO NOTHING"
    );
    q
}

/// The keys listed under `owner`, with their revoked flags.
pub fn key_infos(keys: &[ApiKey], owner: &str, revoked: &[String]) -> Vec<ApiKeyInfo> {
    keys.iter()
        .filter(|k| k.owner() == owner)
        .map(|k| ApiKeyInfo {
            id: k.name.clone(),
            username: k.owner(),
            role: k.role,
            revoked: revoked.contains(&k.name),
        })
        .collect()
}

// ---- generated secrets ----

/// A password from random bytes: [`GENERATED_LEN`] characters of [`ALPHABET`] by rejection
/// sampling (uniform), as `xxxxx-xxxxx-xxxxx-xxxxx`. `None` if the bytes run out first.
pub fn generated_password(random: &[u8]) -> Option<String> {
    // The largest multiple of the alphabet's size that fits a byte: above it, `% len` is biased.
    let len = ALPHABET.len();
    let limit = (256 / len) * len;
    let chars: Vec<char> = random
        .iter()
        .map(|b| usize::from(*b))
        .filter(|b| *b < limit)
        .map(|b| char::from(ALPHABET[b % len]))
        .take(GENERATED_LEN)
        .collect();
    (chars.len() == GENERATED_LEN).then(|| {
        chars
            .chunks(5)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::validate::validate_new_password;

    fn row(role: Role, status: UserStatus) -> UserRow {
        UserRow {
            username: "kari".into(),
            role,
            status,
            password_hash: String::new(),
            created_at: 1,
            last_sign_in_at: Some(2),
        }
    }

    #[test]
    fn changes() {
        let admin = row(Role::Admin, UserStatus::Active);
        let to = |role: Option<Role>, status: Option<UserStatus>| UserChange { role, status };
        assert!(removes_an_admin(&admin, &to(Some(Role::Clerk), None)));
        assert!(removes_an_admin(
            &admin,
            &to(None, Some(UserStatus::Disabled))
        ));
        assert!(!removes_an_admin(&admin, &to(Some(Role::Admin), None)));
        assert!(!removes_an_admin(
            &row(Role::Clerk, UserStatus::Active),
            &to(Some(Role::Viewer), None)
        ));
        assert!(change_revokes(&admin, &to(Some(Role::Viewer), None)));
        assert!(!change_revokes(&admin, &to(Some(Role::Admin), None)));
        assert!(change_revokes(
            &admin,
            &to(None, Some(UserStatus::Disabled))
        ));
        let disabled = row(Role::Clerk, UserStatus::Disabled);
        assert!(!change_revokes(
            &disabled,
            &to(None, Some(UserStatus::Active))
        ));
        let q = change_user_sql("kari", &to(None, Some(UserStatus::Disabled)), false);
        assert_eq!(q.params[1], crate::sql::SqlValue::Null);
        assert_eq!(q.params[2], crate::sql::SqlValue::Text("disabled".into()));
        assert!(!q.sql.contains("EXISTS"));
        let guarded = change_user_sql("kari", &to(Some(Role::Clerk), None), true);
        assert!(
            guarded.sql.contains("AND username <> ?1)"),
            "{}",
            guarded.sql
        );
        assert_eq!(guarded.params.len(), 3);
        assert_eq!(admin.summary().last_sign_in_at, Some(2));
    }

    #[test]
    fn session_statements() {
        let q = revoke_user_sessions_sql("kari", Some("ab"), 5);
        assert!(q.sql.ends_with("AND id <> ?3"), "{}", q.sql);
        assert!(
            !revoke_user_sessions_sql("kari", None, 5)
                .sql
                .contains("id <>")
        );
        let s = NewSession {
            id: "ab",
            username: "kari",
            user_agent: None,
            address: Some("192.0.2.1"),
        };
        assert_eq!(insert_session_sql(&s, 5).params.len(), 6);
        assert!(lookup_session_sql("ab").sql.contains("WHERE s.id = ?1"));
        let l = list_sessions_sql("kari", LIFETIME_MS * 2);
        assert_eq!(l.params[1], crate::sql::SqlValue::Int(LIFETIME_MS));
    }

    #[test]
    fn keys_by_owner() {
        let key = |name: &str, user: Option<&str>| ApiKey {
            name: name.into(),
            role: Role::Viewer,
            sha256: String::new(),
            user: user.map(str::to_owned),
        };
        let keys = [
            key("ci", Some("kari")),
            key("kari", None),
            key("bi", Some("ola")),
        ];
        let infos = key_infos(&keys, "kari", &["ci".to_owned()]);
        let ids: Vec<(&str, bool)> = infos.iter().map(|k| (k.id.as_str(), k.revoked)).collect();
        assert_eq!(ids, [("ci", true), ("kari", false)]);
        assert!(key_infos(&keys, "nobody", &[]).is_empty());
    }

    #[test]
    fn generated_passwords_are_strong_and_uniform() {
        let bytes: Vec<u8> = (0..=255).collect();
        let p = generated_password(&bytes).unwrap_or_default();
        assert_eq!(p.len(), GENERATED_LEN + 3, "{p}");
        assert_eq!(p.matches('-').count(), 3);
        assert_eq!(validate_new_password(&p, "kari"), Ok(()));
        // Bytes at or above the last full multiple of the alphabet are skipped.
        let limit = (256 / ALPHABET.len()) * ALPHABET.len();
        let high = vec![u8::try_from(limit).unwrap_or(255); 64];
        assert_eq!(generated_password(&high), None);
        assert_eq!(generated_password(&[0; 19]), None);
        assert_eq!(ALPHABET.len(), 57);
    }
}
