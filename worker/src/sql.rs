//! Plain SQL parameters, so the pure modules can build queries without `worker` types.

#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(v)
    }
}
impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(v.to_owned())
    }
}
impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        SqlValue::Text(v)
    }
}
impl<T: Into<SqlValue>> From<Option<T>> for SqlValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(SqlValue::Null, Into::into)
    }
}

/// A statement and its positional (`?N`) parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

impl Query {
    pub fn new(sql: impl Into<String>) -> Self {
        Query {
            sql: sql.into(),
            params: Vec::new(),
        }
    }
    /// Add a parameter; returns its `?N` placeholder.
    pub fn bind(&mut self, v: impl Into<SqlValue>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }
}

/// Keyset cursors: opaque base64url of `[sort key, uuid or id]`.
pub mod cursor {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    pub fn encode(key: i64, tie: &str) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::json!([key, tie]).to_string())
    }

    pub fn decode(c: &str) -> Option<(i64, String)> {
        let bytes = URL_SAFE_NO_PAD.decode(c.trim()).ok()?;
        let (key, tie): (i64, String) = serde_json::from_slice(&bytes).ok()?;
        (tie.len() <= 64).then_some((key, tie))
    }

    /// A cursor on a text sort key (a name), for lists sorted alphabetically.
    pub fn encode_text(key: &str, tie: &str) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::json!([key, tie]).to_string())
    }

    /// The key and tie of [`encode_text`]; names are at most 255 characters.
    pub fn decode_text(c: &str) -> Option<(String, String)> {
        let bytes = URL_SAFE_NO_PAD.decode(c.trim()).ok()?;
        let (key, tie): (String, String) = serde_json::from_slice(&bytes).ok()?;
        (key.chars().count() <= 1024 && tie.len() <= 64).then_some((key, tie))
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn round_trip() {
            let c = super::encode(1_700_000_000_000, "ODR1000000001");
            assert_eq!(
                super::decode(&c),
                Some((1_700_000_000_000, "ODR1000000001".into()))
            );
            assert_eq!(super::decode("garbage!"), None);
            assert_eq!(super::decode(""), None);
            let t = super::encode_text("kari nordmann", "cus_1");
            assert_eq!(
                super::decode_text(&t),
                Some(("kari nordmann".into(), "cus_1".into()))
            );
            assert_eq!(super::decode_text(&c), None);
        }
    }
}
