//! Strict JSON for request bodies: serde_json's own parser, except that an object naming the
//! same member twice is refused instead of silently keeping the last value.
//!
//! Why: the proxy checks the parsed value but forwards the body bytes as sent, so a duplicate
//! would let a parser that keeps the *first* value see something nobody checked. RFC 8259
//! leaves duplicate names undefined; refusing them is the one reading every parser agrees on.
//!
//! Everything else is exactly `serde_json::from_slice::<Value>`: the same syntax errors, the
//! same nesting limit (128), the same number handling (out-of-range numbers refused), trailing
//! characters refused. Only the building of the [`Value`] is ours, through a
//! [`DeserializeSeed`] that checks each object's names at every depth.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why a body is not acceptable JSON.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// One object names the same member twice (at any depth). `line`/`column` are serde_json's
    /// position just after the second occurrence of the name.
    #[error("duplicate key {key:?} at line {line} column {column}")]
    DuplicateKey {
        key: String,
        line: usize,
        column: usize,
    },
    /// Anything serde_json refuses: syntax, nesting deeper than 128, numbers out of range,
    /// invalid UTF-8, trailing characters.
    #[error(transparent)]
    Syntax(#[from] serde_json::Error),
}

/// Parse a JSON document (text or raw bytes) like `serde_json::from_slice::<Value>`, refusing
/// duplicate object keys.
pub fn parse_strict(json: &(impl AsRef<[u8]> + ?Sized)) -> Result<Value, JsonError> {
    parse_bytes(json.as_ref())
}

fn parse_bytes(json: &[u8]) -> Result<Value, JsonError> {
    // serde's error type is opaque: the duplicated name comes back through this cell.
    let duplicate = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(json);
    let parsed = Strict {
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match (parsed, duplicate.take()) {
        (Ok(v), _) => Ok(v),
        (Err(e), Some(key)) => Err(JsonError::DuplicateKey {
            key,
            line: e.line(),
            column: e.column(),
        }),
        (Err(e), None) => Err(JsonError::Syntax(e)),
    }
}

/// Builds a [`Value`] the way serde_json's own visitor does, checking object names.
#[derive(Clone, Copy)]
struct Strict<'a> {
    duplicate: &'a Cell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        // Nesting goes back through serde_json's `deserialize_any`, which keeps its depth limit.
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        // As serde_json's visitor (the parser never hands over a non-finite number).
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // The object being built is the set of names seen so far.
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                let e = de::Error::custom(format_args!("duplicate key {key:?}"));
                self.duplicate.set(Some(key));
                return Err(e);
            }
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn duplicate(text: &str) -> Option<String> {
        match parse_strict(text) {
            Err(JsonError::DuplicateKey { key, .. }) => Some(key),
            _ => None,
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn duplicate_at_top_level() {
        assert_eq!(
            duplicate(r#"{"products": [], "products": "x"}"#).as_deref(),
            Some("products")
        );
        // Same value twice is still two members.
        assert_eq!(duplicate(r#"{"a": 1, "a": 1}"#).as_deref(), Some("a"));
        // Names compare after unescaping: "\u0061" is "a".
        assert_eq!(duplicate(r#"{"a": 1, "\u0061": 2}"#).as_deref(), Some("a"));
        let e = parse_strict("{\n  \"referenceNo\": \"a\",\n  \"referenceNo\": \"b\"\n}")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(r#"duplicate key "referenceNo" at line 3 column 15"#)
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn duplicate_at_any_depth() {
        assert_eq!(
            duplicate(
                r#"{"products": [{"name": "a", "amount": 1}, {"name": "b", "amount": 2, "name": "c"}]}"#
            )
            .as_deref(),
            Some("name")
        );
        assert_eq!(
            duplicate(r#"{"customerDetails": {"address": {"zip": "0155", "zip": "4313"}}}"#)
                .as_deref(),
            Some("zip")
        );
        assert_eq!(duplicate(r#"[[[{"x": 1, "x": 2}]]]"#).as_deref(), Some("x"));
        // A duplicate after an error-free prefix is still found, whatever follows it.
        assert_eq!(duplicate(r#"{"a": 1, "a": ,}"#).as_deref(), Some("a"));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn same_key_in_different_objects_is_fine() {
        let text = r#"{"products": [{"name": "a", "amount": 1}, {"name": "b", "amount": 2}],
                      "customerDetails": {"name": "Kari", "address": {"name": "x"}}}"#;
        assert_eq!(
            parse_strict(text).ok(),
            serde_json::from_str::<Value>(text).ok()
        );
        assert!(parse_strict(r#"{"a": {"a": {"a": 1}}}"#).is_ok());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn valid_documents_parse_as_serde_json_does() {
        for text in [
            "{}",
            "[]",
            "null",
            " true ",
            "\"x\"",
            "0",
            "-0",
            "-0.0",
            "18446744073709551615",
            "-9223372036854775808",
            "1e300",
            "51.12345678901234567",
            "1.5e-7",
            r#"{"s": "a\"b\\c\u00e9\ud83d\ude00 \u202e", "e": "", "n": null, "t": [true, false]}"#,
            r#"{"products": [{"name": "Hair Wash", "quantity": "1", "rate": 51, "tax": "0"}],
                "orderSummary": {"grandTotal": "51.00"}, "nested": [[[]], {}, [{}]]}"#,
        ] {
            let want: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parse_strict(text).ok(), Some(want.clone()), "{text}");
            assert_eq!(parse_strict(text.as_bytes()).ok(), Some(want), "{text}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn other_bad_json_fails_as_serde_json_does() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let deep_obj = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        for text in [
            String::new(),
            "{".into(),
            "{\"products\": [}".into(),
            "nul".into(),
            "\u{1}".into(),
            "1e400".into(),
            "-1e400".into(),
            "NaN".into(),
            "Infinity".into(),
            "[1,]".into(),
            "{} {}".into(),
            "\u{feff}{}".into(),
            "\"\\ud800\"".into(),
            "{\"a\" 1}".into(),
            deep(100_000),
            deep_obj(50_000),
        ] {
            let want = serde_json::from_str::<Value>(&text)
                .err()
                .map(|e| e.to_string());
            assert!(want.is_some(), "{text:.40}");
            let got = match parse_strict(&text) {
                Err(JsonError::Syntax(e)) => Some(e.to_string()),
                other => panic!("{text:.40}: {other:?}"),
            };
            assert_eq!(got, want, "{text:.40}");
        }
        // The nesting limit is serde_json's, to the level (127 pass, 128 do not).
        assert!(parse_strict(&deep(120)).is_ok() && parse_strict(&deep(130)).is_err());
        for n in 120..=130 {
            for text in [deep(n), deep_obj(n)] {
                let want = serde_json::from_str::<Value>(&text).ok();
                assert_eq!(parse_strict(&text).ok(), want, "{text:.40}");
            }
        }
        // Bytes that are not UTF-8 are refused like serde_json refuses them.
        assert!(matches!(
            parse_strict(b"\"\xff\"".as_slice()),
            Err(JsonError::Syntax(_))
        ));
    }
}
