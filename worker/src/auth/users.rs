//! The `USERS` secret: `[{"username", "role", "password": "pbkdf2-sha256$…"}]`: only the
//! bootstrap. Console users live in D1 (`users`); a name found here but not there is copied
//! into D1 at its first sign-in (or when an admin lists users), and from then on D1 decides:
//! an admin can disable a bootstrap user, change its role or password, and this entry is no
//! longer read for that name. To recover a locked-out admin, delete its D1 row
//! (`wrangler d1 execute`): its `USERS` entry applies again.

use serde::Deserialize;

use super::password::{HashFormatError, PasswordHash};
use super::roles::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub role: Role,
    pub hash: PasswordHash,
}

#[derive(Deserialize)]
struct Entry {
    username: String,
    role: Role,
    password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsersError {
    #[error("USERS is not a JSON list of {{username, role, password}}")]
    Json,
    #[error("USERS entry {0}: {1}")]
    Hash(usize, HashFormatError),
    #[error("USERS entry {0}: empty or duplicate username")]
    Username(usize),
}

/// Usernames compare case-insensitively (stored lowercase): core's rule.
pub fn normalize(username: &str) -> String {
    frontdesk_core::validate::normalize_username(username)
}

/// Parse the secret. An absent secret is an empty list (no console logins).
pub fn parse(json: Option<&str>) -> Result<Vec<User>, UsersError> {
    let Some(json) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let entries: Vec<Entry> = serde_json::from_str(json).map_err(|_| UsersError::Json)?;
    let mut users: Vec<User> = Vec::with_capacity(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        let username = normalize(&e.username);
        if username.is_empty()
            || username.len() > 64
            || users.iter().any(|u| u.username == username)
        {
            return Err(UsersError::Username(i));
        }
        let hash = e.password.parse().map_err(|err| UsersError::Hash(i, err))?;
        users.push(User {
            username,
            role: e.role,
            hash,
        });
    }
    Ok(users)
}

pub fn find<'a>(users: &'a [User], username: &str) -> Option<&'a User> {
    let n = normalize(username);
    users.iter().find(|u| u.username == n)
}

/// The JSON entry for `USERS` (what `cargo xtask user add` prints).
pub fn entry_json(username: &str, role: Role, hash: &PasswordHash) -> String {
    serde_json::json!({"username": normalize(username), "role": role, "password": hash.to_string()})
        .to_string()
}

// The native hasher (pbkdf2 crate) only exists off wasm; the Worker derives with WebCrypto.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::auth::password::hash_password;

    #[test]
    fn parse_and_find() {
        let h = hash_password("pw", b"saltsaltsalt", 1000);
        let list = format!(
            "[{}, {}]",
            entry_json("Alice", Role::Admin, &h),
            entry_json("bob", Role::Viewer, &h)
        );
        let users = parse(Some(&list)).unwrap_or_default();
        assert_eq!(users.len(), 2);
        assert_eq!(find(&users, " ALICE ").map(|u| u.role), Some(Role::Admin));
        assert!(find(&users, "carol").is_none());
        assert_eq!(parse(None), Ok(vec![]));
        assert_eq!(parse(Some("{}")), Err(UsersError::Json));
        let dup = format!(
            "[{}, {}]",
            entry_json("a", Role::Admin, &h),
            entry_json("A", Role::Viewer, &h)
        );
        assert_eq!(parse(Some(&dup)), Err(UsersError::Username(1)));
        assert!(matches!(
            parse(Some(
                r#"[{"username":"a","role":"admin","password":"plain"}]"#
            )),
            Err(UsersError::Hash(0, _))
        ));
        assert_eq!(
            parse(Some(r#"[{"username":"a","role":"root","password":"x"}]"#)),
            Err(UsersError::Json)
        );
    }
}
