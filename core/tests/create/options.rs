//! The order date and the members of each kind: invoice options, maturities, E-Faktura and EHF.

use super::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test(unsupported = test)]
fn order_date_rules() {
    let pl = OrderKind::PaymentLink;
    // Start of today in Oslo is fine for a payment link, a second earlier is not.
    let start = oslo_day_start(NOW);
    assert!(
        validate_create(
            pl,
            &with(payment_link(), "/orderDate", json!(start.to_string())),
            &ctx()
        )
        .is_ok()
    );
    assert!(
        validate_create(
            pl,
            &with(payment_link(), "/orderDate", json!(start)),
            &ctx()
        )
        .is_ok()
    );
    let r = errors(
        pl,
        &with(payment_link(), "/orderDate", json!((start - 1).to_string())),
    );
    assert_eq!(r.error_codes("orderDate"), [Code::DateBeforeToday]);
    // Invoices take any date.
    let inv = with(invoice(OrderKind::Invoice), "/orderDate", json!("1000"));
    assert!(validate_create(OrderKind::Invoice, &inv, &ctx()).is_ok());
    for bad in [
        json!("abc"),
        json!("-5"),
        json!(1.5),
        json!("1703040812000"),
        json!(true),
    ] {
        let r = errors(pl, &with(payment_link(), "/orderDate", bad.clone()));
        assert_eq!(r.error_codes("orderDate"), [Code::DateFormat], "{bad}");
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn invoice_rules() {
    let inv = OrderKind::Invoice;
    let r = errors(inv, &without(invoice(inv), "/customerDetails/msisdn"));
    assert_eq!(r.error_codes("customerDetails.msisdn"), [Code::Required]);
    let r = errors(inv, &without(invoice(inv), "/customerDetails/email"));
    assert_eq!(r.error_codes("customerDetails.email"), [Code::Required]);
    let r = errors(inv, &without(invoice(inv), "/invoiceFeeApplicable"));
    assert_eq!(r.error_codes("invoiceFeeApplicable"), [Code::Required]);
    for (val, ok) in [
        (json!(0), true),
        (json!("2"), true),
        (json!(3), false),
        (json!("x"), false),
    ] {
        assert_eq!(
            validate_create(
                inv,
                &with(invoice(inv), "/invoiceInterval", val.clone()),
                &ctx()
            )
            .is_ok(),
            ok,
            "{val}"
        );
    }
    // Maturity: private 10 only; corporate 14/30/45.
    let mut with_m = invoice(inv);
    with_m["invoiceMaturity"] = json!(10);
    assert!(validate_create(inv, &with_m, &ctx()).is_ok());
    with_m["invoiceMaturity"] = json!(14);
    assert_eq!(
        errors(inv, &with_m).error_codes("invoiceMaturity"),
        [Code::In]
    );
    with_m["customerDetails"]["type"] = json!("corporate");
    with_m["customerDetails"]["organizationId"] = json!("998379342");
    assert!(validate_create(inv, &with_m, &ctx()).is_ok());
    with_m["invoiceMaturity"] = json!(10);
    assert_eq!(
        errors(inv, &with_m).error_codes("invoiceMaturity"),
        [Code::In]
    );
    // Payment-link-only fields are ignored on invoices.
    let mut extra = invoice(inv);
    extra["secureDetails"] = json!("maybe");
    assert!(validate_create(inv, &extra, &ctx()).is_ok());
    assert_eq!(default_maturity(OrderKind::Ehf, None), Some(14));
    assert_eq!(
        default_maturity(OrderKind::Invoice, Some(CustomerType::Private)),
        Some(10)
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn e_faktura_and_ehf_rules() {
    let ef = OrderKind::EFaktura;
    let r = errors(ef, &without(invoice(ef), "/customerDetails/personalNumber"));
    assert_eq!(
        r.error_codes("customerDetails.personalNumber"),
        [Code::Required]
    );
    let r = errors(ef, &without(invoice(ef), "/callback"));
    assert_eq!(r.error_codes("callback.callbackUrl"), [Code::Required]);
    let r = errors(
        ef,
        &with(
            invoice(ef),
            "/customerDetails/address",
            json!({"street": "s", "zip": "0155", "city": "Oslo", "country": "NO"}),
        )
        .pipe_type("corporate"),
    );
    assert_eq!(r.error_codes("customerDetails.type"), [Code::In]);
    let mut v = invoice(ef);
    v["invoiceMaturity"] = json!(14);
    assert_eq!(errors(ef, &v).error_codes("invoiceMaturity"), [Code::In]);
    v["customerDetails"]["type"] = json!("private");
    v["invoiceMaturity"] = json!(10);
    assert!(validate_create(ef, &v, &ctx()).is_ok());

    let ehf = OrderKind::Ehf;
    let r = errors(
        ehf,
        &without(invoice(ehf), "/customerDetails/organizationId"),
    );
    assert_eq!(
        r.error_codes("customerDetails.organizationId"),
        [Code::Required]
    );
    let r = errors(
        ehf,
        &with(
            invoice(ehf),
            "/customerDetails/organizationId",
            json!("123456789"),
        ),
    );
    assert_eq!(
        r.error_codes("customerDetails.organizationId"),
        [Code::OrgnrChecksum]
    );
    let r = errors(
        ehf,
        &with(
            invoice(ehf),
            "/customerDetails/organizationId",
            json!("12345678"),
        ),
    );
    assert_eq!(
        r.error_codes("customerDetails.organizationId"),
        [Code::Digits]
    );
    let mut v = invoice(ehf);
    v["invoiceMaturity"] = json!(10);
    assert_eq!(errors(ehf, &v).error_codes("invoiceMaturity"), [Code::In]);
    v["invoiceMaturity"] = json!(45);
    v["customerDetails"]["type"] = json!("corporate");
    assert!(validate_create(ehf, &v, &ctx()).is_ok());
    v["customerDetails"]["type"] = json!("private");
    assert_eq!(
        errors(ehf, &v).error_codes("customerDetails.type"),
        [Code::In]
    );
}

/// Sets `customerDetails.type` at the end of a chain of edits.
trait PipeType {
    fn pipe_type(self, t: &str) -> Self;
}
impl PipeType for Value {
    fn pipe_type(mut self, t: &str) -> Self {
        self["customerDetails"]["type"] = json!(t);
        self
    }
}
