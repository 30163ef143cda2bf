//! Resend a payment link: `email`, or `countryCode` and `msisdn` (new contact details are fine).
//! The contact rules are the order form's ([`contact`]): the same phone normaliser and warnings.

use serde_json::Value;

use super::create::contact;
use super::{Context, Report, Validated, Walker};
use crate::requests::ResendRequest;

pub fn validate_resend(
    payload: &Value,
    _ctx: &Context,
) -> Result<Validated<ResendRequest>, Report> {
    let mut w = Walker::default();
    let (country_code, msisdn, email) = contact(&mut w, payload.as_object(), "", true);
    w.finish(ResendRequest {
        country_code,
        msisdn,
        email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Code;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn ctx() -> Context {
        Context::new(1_703_040_812)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn accepted_forms() {
        let v = validate_resend(
            &json!({"countryCode": 47, "msisdn": "46567468", "email": "example-email@email.com"}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v.value.country_code.as_deref(), Some("+47"));
        assert!(v.warnings.is_empty());
        let v = validate_resend(&json!({"email": "a@b.no"}), &ctx()).unwrap();
        assert_eq!(
            v.value,
            ResendRequest {
                email: Some("a@b.no".into()),
                ..Default::default()
            }
        );
        let v =
            validate_resend(&json!({"countryCode": "+47", "msisdn": "22334455"}), &ctx()).unwrap();
        assert_eq!(v.warnings[0].code, Code::NotMobile);
        assert_eq!(v.warnings[0].field, "msisdn");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn one_phone_rule_with_the_order_form() {
        // Spaces as a person types them are fine: the number comes back as digits.
        let v = validate_resend(
            &json!({"countryCode": "+47", "msisdn": "912 34 567"}),
            &ctx(),
        )
        .unwrap();
        assert_eq!(v.value.msisdn.as_deref(), Some("91234567"));
        assert!(v.warnings.is_empty());
        // A short number is sent if asked to, but with the same warning as on the form.
        let v = validate_resend(&json!({"countryCode": "+47", "msisdn": "9123"}), &ctx()).unwrap();
        assert_eq!(v.warnings.len(), 1);
        assert_eq!(
            (v.warnings[0].field.as_str(), v.warnings[0].code),
            ("msisdn", Code::MsisdnLength)
        );
        assert_eq!(
            (
                v.warnings[0].params.min.as_deref(),
                v.warnings[0].params.max.as_deref()
            ),
            (Some("8"), Some("8"))
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refusals() {
        let r = validate_resend(&json!({}), &ctx()).unwrap_err();
        assert_eq!(r.error_codes("countryCode"), [Code::RequiredWithout]);
        assert_eq!(r.error_codes("msisdn"), [Code::RequiredWithout]);
        assert_eq!(r.error_codes("email"), [Code::RequiredWithout]);
        assert_eq!(
            r.to_error_map()["email"],
            ["The email field is required when msisdn is not present."]
        );
        let r = validate_resend(&json!({"msisdn": "46567468"}), &ctx()).unwrap_err();
        assert_eq!(r.error_codes("countryCode"), [Code::RequiredWithout]);
        let r =
            validate_resend(&json!({"msisdn": "46567468", "email": "a@b.no"}), &ctx()).unwrap_err();
        assert_eq!(r.error_codes("countryCode"), [Code::RequiredWith]);
        let r =
            validate_resend(&json!({"countryCode": "+47", "email": "nope"}), &ctx()).unwrap_err();
        assert_eq!(r.error_codes("email"), [Code::Email]);
        let r = validate_resend(
            &json!({"countryCode": "x47", "msisdn": "4656 746a"}),
            &ctx(),
        )
        .unwrap_err();
        assert_eq!(r.error_codes("countryCode"), [Code::CallingCode]);
        assert_eq!(r.error_codes("msisdn"), [Code::DigitsOnly]);
        let r = validate_resend(
            &json!({"countryCode": "+47", "msisdn": "4656746812345678"}),
            &ctx(),
        )
        .unwrap_err();
        assert_eq!(r.error_codes("msisdn"), [Code::PhoneTooLong]);
        assert!(validate_resend(&json!("x"), &ctx()).is_err());
    }
}
