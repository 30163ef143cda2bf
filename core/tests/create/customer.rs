//! `customerDetails`: type, contact (phone normalising), ids, address; the warnings.

use super::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test(unsupported = test)]
fn phone_numbers_typed_with_separators_are_normalised() {
    let v = with(
        payment_link(),
        "/customerDetails/msisdn",
        json!("465 67-468"),
    );
    let ok = validate_create(OrderKind::PaymentLink, &v, &ctx()).unwrap();
    assert_eq!(
        ok.value.customer_details.msisdn.as_deref(),
        Some("46567468")
    );
    // The warnings read the normalised number: 7 digits is unusual for +47.
    let v = with(
        payment_link(),
        "/customerDetails/msisdn",
        json!("465 67 46"),
    );
    let ok = validate_create(OrderKind::PaymentLink, &v, &ctx()).unwrap();
    assert!(
        ok.warnings
            .iter()
            .any(|warning| warning.field == "customerDetails.msisdn"
                && warning.code == Code::MsisdnLength)
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn customer_rules() {
    let pl = OrderKind::PaymentLink;
    let cases: Vec<(&str, Value, &str, Code)> = vec![
        (
            "/customerDetails/type",
            json!("person"),
            "customerDetails.type",
            Code::In,
        ),
        (
            "/customerDetails/type",
            json!("corporate"),
            "customerDetails.organizationId",
            Code::RequiredIf,
        ),
        (
            "/customerDetails/email",
            json!("not-an-email"),
            "customerDetails.email",
            Code::Email,
        ),
        (
            "/customerDetails/countryCode",
            json!("47a"),
            "customerDetails.countryCode",
            Code::CallingCode,
        ),
        (
            "/customerDetails/msisdn",
            json!("4656-746a"),
            "customerDetails.msisdn",
            Code::DigitsOnly,
        ),
        (
            "/customerDetails/msisdn",
            json!("+47 46567468"),
            "customerDetails.msisdn",
            Code::DigitsOnly,
        ),
        (
            "/customerDetails/msisdn",
            json!("4656746800000000"),
            "customerDetails.msisdn",
            Code::PhoneTooLong,
        ),
        (
            "/customerDetails/preferredLanguage",
            json!("nb"),
            "customerDetails.preferredLanguage",
            Code::In,
        ),
        (
            "/customerDetails/personalNumber",
            json!("123"),
            "customerDetails.personalNumber",
            Code::Digits,
        ),
        (
            "/customerDetails/personalNumber",
            json!("1234567890a"),
            "customerDetails.personalNumber",
            Code::Digits,
        ),
        (
            "/customerDetails/personalNumber",
            json!(12345678901u64),
            "customerDetails.personalNumber",
            Code::String,
        ),
        (
            "/customerDetails/organizationId",
            json!("99837 9342"),
            "customerDetails.organizationId",
            Code::DigitsOnly,
        ),
        (
            "/customerDetails/address/country",
            json!("no"),
            "customerDetails.address.country",
            Code::CountryCode,
        ),
        (
            "/customerDetails/address/country",
            json!("XX"),
            "customerDetails.address.country",
            Code::CountryCode,
        ),
        (
            "/customerDetails/address/zip",
            json!(4313),
            "customerDetails.address.zip",
            Code::String,
        ),
        (
            "/customerDetails/name",
            json!("   "),
            "customerDetails.name",
            Code::Required,
        ),
        (
            "/customerDetails/firstName",
            json!(["x"]),
            "customerDetails.firstName",
            Code::String,
        ),
        (
            "/sendOrderBy/sms",
            json!("yes"),
            "sendOrderBy.sms",
            Code::Boolean,
        ),
        (
            "/invoiceAsPaymentOption",
            json!(2),
            "invoiceAsPaymentOption",
            Code::Boolean,
        ),
        (
            "/secureDetails",
            json!("maybe"),
            "secureDetails",
            Code::Boolean,
        ),
        ("/referenceNo", json!(5), "referenceNo", Code::String),
        (
            "/callback/callbackUrl",
            json!("ftp://x.no"),
            "callback.callbackUrl",
            Code::Url,
        ),
    ];
    for (ptr, val, field, code) in cases {
        let r = errors(pl, &with(payment_link(), ptr, val.clone()));
        assert!(
            r.error_codes(field).contains(&code),
            "{ptr}={val}: {:?}",
            r.errors
        );
    }
    // Booleans as Laravel reads them.
    for b in [json!(0), json!(1), json!("0"), json!("1"), json!(false)] {
        assert!(
            validate_create(
                pl,
                &with(payment_link(), "/secureDetails", b.clone()),
                &ctx()
            )
            .is_ok(),
            "{b}"
        );
    }
    // Email only, or phone only.
    let v = without(
        without(payment_link(), "/customerDetails/msisdn"),
        "/customerDetails/countryCode",
    );
    assert!(validate_create(pl, &v, &ctx()).is_ok());
    let v = without(payment_link(), "/customerDetails/email");
    assert!(validate_create(pl, &v, &ctx()).is_ok());
    let r = errors(pl, &without(payment_link(), "/customerDetails/countryCode"));
    assert_eq!(
        r.error_codes("customerDetails.countryCode"),
        [Code::RequiredWith]
    );
    // Calling code as a number (resend's doc example style) is fine.
    assert!(
        validate_create(
            pl,
            &with(payment_link(), "/customerDetails/countryCode", json!(47)),
            &ctx()
        )
        .is_ok()
    );
    // Corporate with a valid orgnr.
    let v = with(payment_link(), "/customerDetails/type", json!("corporate"));
    let v = with(v, "/customerDetails/personalNumber", json!(null));
    let mut v2 = v.clone();
    v2["customerDetails"]["organizationId"] = json!("998379342");
    assert!(
        validate_create(pl, &v2, &ctx())
            .unwrap()
            .warnings
            .is_empty()
    );
    // Bad orgnr checksum: a warning outside EHF.
    v2["customerDetails"]["organizationId"] = json!("123456789");
    let ok = validate_create(pl, &v2, &ctx()).unwrap();
    assert_eq!(ok.warnings[0].code, Code::OrgnrChecksum);
}

#[wasm_bindgen_test(unsupported = test)]
fn warnings() {
    let pl = OrderKind::PaymentLink;
    let v = with(
        payment_link(),
        "/customerDetails/personalNumber",
        json!("01010012356"),
    );
    assert!(validate_create(pl, &v, &ctx()).unwrap().warnings.is_empty());
    let v1 = with(v.clone(), "/customerDetails/msisdn", json!("22334455"));
    assert_eq!(
        validate_create(pl, &v1, &ctx()).unwrap().warnings[0].code,
        Code::NotMobile
    );
    let v1 = with(v.clone(), "/customerDetails/msisdn", json!("4656746"));
    let found = validate_create(pl, &v1, &ctx()).unwrap().warnings;
    assert_eq!(
        (
            found[0].code,
            found[0].params.min.as_deref(),
            found[0].params.max.as_deref()
        ),
        (Code::MsisdnLength, Some("8"), Some("8"))
    );
    let v1 = with(v.clone(), "/customerDetails/address/zip", json!("43130"));
    assert_eq!(
        validate_create(pl, &v1, &ctx()).unwrap().warnings[0].code,
        Code::Postcode
    );
    let v1 = with(v.clone(), "/customerDetails/address/country", json!("SE"));
    let v1 = with(v1, "/customerDetails/address/zip", json!("111 22"));
    assert!(
        validate_create(pl, &v1, &ctx())
            .unwrap()
            .warnings
            .is_empty()
    );
    let v1 = with(v.clone(), "/customerDetails/countryCode", json!("+999"));
    assert_eq!(
        validate_create(pl, &v1, &ctx()).unwrap().warnings[0].code,
        Code::UnknownCallingCode
    );
    // Warnings ride along with errors too.
    let v1 = with(v1, "/customerDetails/name", json!(null));
    let r = errors(pl, &v1);
    assert!(r.has_warning("customerDetails.countryCode") && r.has_error("customerDetails.name"));
}
