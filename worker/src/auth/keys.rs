//! The `API_KEYS` secret: `[{"name", "role", "sha256": hex of the key, "user"?}]`. Keys are
//! compared by their SHA-256 in constant time; the proxy never holds a key in clear. A key's
//! `name` is its id (`DELETE /console/keys/{name}` revokes it: D1 `revoked_keys`); it is listed
//! under the console user `user`, or under the user of its own name when `user` is absent.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::roles::Role;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiKey {
    pub name: String,
    pub role: Role,
    pub sha256: String,
    /// The console user the key belongs to (whose keys page lists it).
    #[serde(default)]
    pub user: Option<String>,
}

impl ApiKey {
    /// The user name it is listed under: `user`, else its own name.
    pub fn owner(&self) -> String {
        super::users::normalize(self.user.as_deref().unwrap_or(&self.name))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    #[error("API_KEYS is not a JSON list of {{name, role, sha256}}")]
    Json,
    #[error("API_KEYS entry {0}: sha256 must be 64 hex digits and names unique")]
    Entry(usize),
}

pub fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub fn parse(json: Option<&str>) -> Result<Vec<ApiKey>, KeysError> {
    let Some(json) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let mut keys: Vec<ApiKey> = serde_json::from_str(json).map_err(|_| KeysError::Json)?;
    for i in 0..keys.len() {
        let k = &mut keys[i];
        k.sha256 = k.sha256.trim().to_ascii_lowercase();
        let ok_hash = k.sha256.len() == 64 && k.sha256.bytes().all(|b| b.is_ascii_hexdigit());
        let name = k.name.clone();
        if !ok_hash || name.is_empty() || keys[..i].iter().any(|o| o.name == name) {
            return Err(KeysError::Entry(i));
        }
    }
    Ok(keys)
}

/// The key whose hash matches `presented`. Every entry is compared (no early exit).
pub fn find<'a>(keys: &'a [ApiKey], presented: &str) -> Option<&'a ApiKey> {
    let h = key_hash(presented);
    let mut found = None;
    for k in keys {
        if bool::from(k.sha256.as_bytes().ct_eq(h.as_bytes())) {
            found = Some(k);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_by_hash() {
        let list = format!(
            r#"[{{"name":"ci","role":"admin","sha256":"{}"}},{{"name":"bi","role":"viewer","sha256":"{}"}}]"#,
            key_hash("fdk_one").to_uppercase(),
            key_hash("fdk_two")
        );
        let keys = parse(Some(&list)).unwrap_or_default();
        assert_eq!(find(&keys, "fdk_one").map(|k| k.role), Some(Role::Admin));
        assert_eq!(find(&keys, "fdk_two").map(|k| k.name.as_str()), Some("bi"));
        assert!(find(&keys, "fdk_three").is_none());
        assert!(find(&keys, "").is_none());
        assert_eq!(keys[0].owner(), "ci");
        let owned = format!(
            r#"[{{"name":"ci","role":"admin","sha256":"{}","user":" Kari "}}]"#,
            key_hash("fdk_one")
        );
        let owned = parse(Some(&owned)).unwrap_or_default();
        assert_eq!(owned.first().map(ApiKey::owner).as_deref(), Some("kari"));
        assert_eq!(
            parse(Some(r#"[{"name":"x","role":"admin","sha256":"abc"}]"#)),
            Err(KeysError::Entry(0))
        );
        assert_eq!(parse(Some("nope")), Err(KeysError::Json));
        assert_eq!(parse(None), Ok(vec![]));
    }
}
