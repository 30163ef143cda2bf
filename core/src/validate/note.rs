//! The proxy's internal note on an order (`PUT /console/orders/{uuid}/note`): the cancel
//! note's limits (at most 1000 characters, no control characters); blank or `null` clears it.

use serde_json::Value;

use super::{Context, MAX_NOTE, Report, Validated, Walker};
use crate::proxy::NoteRequest;

pub fn validate_note(payload: &Value, _ctx: &Context) -> Result<Validated<NoteRequest>, Report> {
    let mut w = Walker::default();
    let raw = payload.as_object().and_then(|o| o.get("note"));
    let note = match raw {
        // A missing member is a mistake, not a request to clear.
        None => {
            w.required("note");
            None
        }
        Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        v => w
            .string(v, "note", MAX_NOTE)
            .ok()
            .map(|s| s.trim().to_owned()),
    };
    w.finish(NoteRequest { note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Code;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn notes() {
        let ctx = Context::new(0);
        let note = |v: Value| validate_note(&v, &ctx).map(|v| v.value.note);
        assert_eq!(
            note(json!({"note": " Call after 16 "})),
            Ok(Some("Call after 16".into()))
        );
        assert_eq!(note(json!({"note": ""})), Ok(None));
        assert_eq!(note(json!({"note": null})), Ok(None));
        assert!(note(json!({"note": "é".repeat(1000)})).is_ok());
        for (bad, code) in [
            (json!({}), Code::Required),
            (json!(null), Code::Required),
            (json!({"note": 5}), Code::String),
            (json!({"note": "é".repeat(1001)}), Code::MaxLength),
            (json!({"note": "line 1\nline 2"}), Code::ControlCharacters),
        ] {
            let r = validate_note(&bad, &ctx).unwrap_err();
            assert_eq!(r.error_codes("note"), [code], "{bad}");
        }
    }
}
