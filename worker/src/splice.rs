//! Editing a request body's top-level members without re-serialising the rest.
//!
//! The proxy changes at most `orderDate` (the upstream's format) and `callback` (its own URL)
//! of a create. Every other member's value is forwarded byte for byte as the client sent it
//! (serde_json's `RawValue`): number spellings, members the docs do not list, and member order
//! inside values, which matters for `products` sent as a PHP-style object keyed `"0"`, `"1"`, …
//! (re-serialising through a map would sort `"10"` before `"2"`).

use std::collections::BTreeMap;

use serde_json::Value;
use serde_json::value::RawValue;

/// `text` (a JSON object that has passed the strict parse) with the named top-level members set
/// to `values` (added when missing). `None` when `text` is not an object (the caller then
/// re-serialises the parsed value instead).
pub fn set_members(text: &str, values: &[(&str, &Value)]) -> Option<String> {
    let mut members: BTreeMap<String, Box<RawValue>> = serde_json::from_str(text).ok()?;
    for (name, value) in values {
        let raw = RawValue::from_string(serde_json::to_string(value).ok()?).ok()?;
        members.insert((*name).to_owned(), raw);
    }
    serde_json::to_string(&members).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(text: &str, values: &[(&str, Value)]) -> Option<String> {
        let refs: Vec<(&str, &Value)> = values.iter().map(|(k, v)| (*k, v)).collect();
        set_members(text, &refs)
    }

    #[test]
    fn only_the_named_members_change() {
        let sent = r#"{ "products": {"0": {"name": "a"}, "10": {"name": "k"}, "2": {"name": "c"}},
  "orderDate" : 1703040812 , "rate": 51.00, "x": "a\"b}", "n": null }"#;
        let out = set(sent, &[("orderDate", json!("20 Dec, 2023"))]);
        assert_eq!(
            out.as_deref(),
            Some(
                r#"{"n":null,"orderDate":"20 Dec, 2023","products":{"0": {"name": "a"}, "10": {"name": "k"}, "2": {"name": "c"}},"rate":51.00,"x":"a\"b}"}"#
            )
        );
    }

    #[test]
    fn missing_members_are_added() {
        let sent = r#"{"callback": null, "orderDate": "05 Dec, 2023", "z": true}"#;
        let out = set(
            sent,
            &[
                ("callback", json!({"callbackUrl": "u"})),
                ("orderDate", json!("1701730800")),
                ("new", json!([])),
            ],
        );
        let parsed: Option<Value> = out.as_deref().and_then(|o| serde_json::from_str(o).ok());
        assert_eq!(
            parsed,
            Some(
                json!({"callback": {"callbackUrl": "u"}, "orderDate": "1701730800", "z": true, "new": []})
            )
        );
        assert_eq!(set("{}", &[("a", json!(1))]).as_deref(), Some(r#"{"a":1}"#));
    }

    #[test]
    fn not_an_object_is_none() {
        for text in ["[]", "1", "", "{", r#"{"a" 1}"#, r#"{"a": 1,}"#] {
            assert_eq!(set(text, &[("a", json!(2))]), None, "{text}");
        }
    }
}
