//! Cancel: a required, non-blank `cancellationNote` of at most 1000 characters.

use serde_json::Value;

use super::{Context, MAX_NOTE, Report, Validated, Walker, get};
use crate::requests::CancelRequest;

pub fn validate_cancel(
    payload: &Value,
    _ctx: &Context,
) -> Result<Validated<CancelRequest>, Report> {
    let mut w = Walker::default();
    let note = w.req_string(
        get(payload.as_object(), "cancellationNote"),
        "cancellationNote",
        MAX_NOTE,
    );
    w.finish(CancelRequest {
        cancellation_note: note.ok().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Code;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn cancel() {
        let ctx = Context::new(0);
        assert_eq!(
            validate_cancel(&json!({"cancellationNote": "x"}), &ctx)
                .unwrap()
                .value
                .cancellation_note,
            "x"
        );
        for bad in [
            json!({}),
            json!({"cancellationNote": ""}),
            json!({"cancellationNote": "   "}),
            json!({"cancellationNote": null}),
            json!(null),
        ] {
            assert_eq!(
                validate_cancel(&bad, &ctx)
                    .unwrap_err()
                    .error_codes("cancellationNote"),
                [Code::Required],
                "{bad}"
            );
        }
        let r = validate_cancel(&json!({"cancellationNote": 5}), &ctx).unwrap_err();
        assert_eq!(r.error_codes("cancellationNote"), [Code::String]);
        let r = validate_cancel(&json!({"cancellationNote": "é".repeat(1001)}), &ctx).unwrap_err();
        assert_eq!(r.error_codes("cancellationNote"), [Code::MaxLength]);
        assert!(validate_cancel(&json!({"cancellationNote": "é".repeat(1000)}), &ctx).is_ok());
        let r =
            validate_cancel(&json!({"cancellationNote": "line 1\r\nline 2"}), &ctx).unwrap_err();
        assert_eq!(r.error_codes("cancellationNote"), [Code::ControlCharacters]);
    }
}
