//! Property tests (native only; proptest does not run in the browser).
#![cfg(not(target_arch = "wasm32"))]

use frontdesk_core::json::{JsonError, parse_strict};
use frontdesk_core::money::{Money, Quantity, TaxRate, parse_hundredths};
use frontdesk_core::order::{
    Callback, CreateOrder, OrderSummary, Product, SendOrderBy, UnixTime, check_agreement,
    line_totals, summarize, vat_by_rate,
};
use frontdesk_core::requests::{
    CancelRequest, RefundProduct, RefundRequest, RefundType, ResendRequest,
};
use frontdesk_core::validate::{Context, validate_create};
use frontdesk_core::{Address, CustomerDetails, CustomerType, Dialect, Language, OrderKind};
use proptest::prelude::*;
use serde_json::json;

const MAX_ORE: i64 = 100_000_000_000; // 10^9 kr

proptest! {
    #[test]
    fn money_api_string_round_trips(ore in -MAX_ORE..=MAX_ORE) {
        let m = Money(ore);
        prop_assert_eq!(m.to_api_string().parse::<Money>(), Ok(m));
        prop_assert_eq!(Money::from_json(&serde_json::to_value(m).unwrap()), Ok(m));
    }

    #[test]
    fn money_human_formats_round_trip(ore in 0..=MAX_ORE) {
        let m = Money(ore);
        let nb = m.format_nb().replace(['\u{a0}'], "").replace("kr", "");
        prop_assert_eq!(nb.parse::<Money>(), Ok(m));
        let en = m.format_en().replace([','], "").replace("NOK ", "");
        prop_assert_eq!(en.parse::<Money>(), Ok(m));
    }

    #[test]
    fn json_numbers_parse_exactly(kr in 0i64..1_000_000_000, ore in 0i64..100) {
        let text = format!("{kr}.{ore:02}");
        let n: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(Money::from_json(&n), Ok(Money(kr * 100 + ore)));
    }

    #[test]
    fn decimal_parser_never_panics(s in "\\PC{0,30}") {
        let _ = parse_hundredths(&s);
    }

    #[test]
    fn line_net_plus_tax_is_amount_exactly(
        q in 1i64..100_000, rate in 0..MAX_ORE, tax in prop::sample::select(vec![0i64, 1200, 1250, 1500, 2500]),
        disc_permille in 0i64..=1000,
    ) {
        let gross = line_totals(Quantity(q), Money(rate), Money(0), TaxRate(tax)).unwrap().gross;
        let discount = Money(gross.0 * disc_permille / 1000);
        let l = line_totals(Quantity(q), Money(rate), discount, TaxRate(tax)).unwrap();
        prop_assert_eq!(l.net.0 + l.tax.0, l.amount.0);
        prop_assert!(l.net.0 >= 0 && l.tax.0 >= 0);
        // Before the discount (the docs' subTotal and the portal's VAT): within one øre.
        prop_assert!((l.gross_net.0 + l.portal_tax.0 - l.gross.0).abs() <= 1);
        // VAT after the discount, to the øre: amount × tax / (100 + tax), half away from zero.
        prop_assert_eq!(l.tax.0, vat_of(l.amount.0, tax));
        prop_assert_eq!(l.portal_tax.0, vat_of(l.gross.0, tax));
    }

    #[test]
    fn order_totals_are_consistent(lines in prop::collection::vec(arb_product(), 1..50)) {
        let s = summarize(&lines).unwrap();
        let amounts: i64 = lines.iter().map(|p| p.amount.0).sum();
        prop_assert_eq!(s.grand_total.0, amounts);
        let discounts: i64 = lines.iter().map(|p| p.discount.unwrap_or_default().0).sum();
        prop_assert_eq!(s.total_discount.0, discounts);
        let portal: i64 = lines.iter().map(|p| vat_of(gross_of(p), p.tax.0)).sum();
        prop_assert!((s.sub_total.0 + portal - (amounts + discounts)).abs() <= lines.len() as i64);
        prop_assert!(check_agreement(&lines, &s).unwrap().is_empty());
    }

    #[test]
    fn total_tax_is_the_sum_of_line_vat_after_discount(lines in prop::collection::vec(arb_product(), 1..50)) {
        let s = summarize(&lines).unwrap();
        let by_line: i64 = lines.iter().map(|p| vat_of(p.amount.0, p.tax.0)).sum();
        prop_assert_eq!(s.total_tax.0, by_line);
        let by_rate: i64 = vat_by_rate(&lines).unwrap().values().map(|m| m.0).sum();
        prop_assert_eq!(by_rate, by_line);
    }

    #[test]
    fn the_portals_pre_discount_vat_is_accepted(lines in prop::collection::vec(arb_product(), 1..50)) {
        let portal: i64 = lines.iter().map(|p| vat_of(gross_of(p), p.tax.0)).sum();
        let given = OrderSummary { total_tax: Money(portal), ..summarize(&lines).unwrap() };
        prop_assert!(check_agreement(&lines, &given).unwrap().is_empty());
    }

    #[test]
    fn a_third_vat_figure_is_refused(
        lines in prop::collection::vec(arb_product(), 1..50), off in prop::sample::select(vec![-1i64, 1]),
    ) {
        let s = summarize(&lines).unwrap();
        let portal: i64 = lines.iter().map(|p| vat_of(gross_of(p), p.tax.0)).sum();
        let third = s.total_tax.0 + off;
        prop_assume!(third != portal);
        let given = OrderSummary { total_tax: Money(third), ..s };
        let paths: Vec<String> = check_agreement(&lines, &given).unwrap().into_iter().map(|m| m.path).collect();
        prop_assert_eq!(paths, vec!["orderSummary.totalTax".to_owned()]);
    }

    #[test]
    fn valid_orders_validate_and_round_trip(lines in prop::collection::vec(arb_product(), 1..20)) {
        let summary = summarize(&lines).unwrap();
        let order = CreateOrder {
            products: lines,
            order_summary: summary,
            send_order_by: Some(SendOrderBy { sms: Some(true), email: None }),
            order_date: UnixTime(1_703_040_812),
            customer_details: customer(),
            invoice_as_payment_option: Some(false),
            secure_details: None,
            invoice_interval: None,
            invoice_maturity: None,
            invoice_fee_applicable: None,
            separate_invoices: None,
            reference_no: None,
            customer_reference: Some("PO".into()),
            callback: Some(Callback { callback_url: Some("https://merchant.example/cb".into()) }),
        };
        let j = serde_json::to_value(&order).unwrap();
        let back: CreateOrder = serde_json::from_value(j.clone()).unwrap();
        prop_assert_eq!(&back, &order);
        let v = validate_create(OrderKind::PaymentLink, &j, &Context::new(1_703_040_812));
        prop_assert!(v.is_ok(), "{:?}", v.err().map(|r| r.to_error_map()));
        prop_assert_eq!(v.unwrap().value, order);
    }

    #[test]
    fn keyed_object_products_answer_as_the_array(
        lines in prop::collection::vec(arb_product(), 1..12),
        kind in prop::sample::select(vec![OrderKind::PaymentLink, OrderKind::Invoice, OrderKind::EFaktura, OrderKind::Ehf]),
        spoil in prop::option::of((0usize..12, prop::sample::select(vec!["tax", "amount", "name", "quantity"]))),
        dialect in prop::sample::select(Dialect::ALL.to_vec()),
    ) {
        // A PHP client sends the same lines as {"0": {...}, "1": {...}}: same answer, errors
        // named by the same index.
        let summary = summarize(&lines).unwrap();
        let mut body = json!({
            "products": lines,
            "orderSummary": summary,
            "orderDate": "1703040812",
            "sendOrderBy": {"sms": true, "email": false, "invoice": false},
            "invoiceAsPaymentOption": false,
            "isCreditCheckAvailable": false,
            "invoiceFeeApplicable": true,
            "customerDetails": customer(),
            "callback": {"callbackUrl": "https://merchant.example/cb"},
        });
        body["customerDetails"]["type"] = json!(if kind == OrderKind::Ehf { "corporate" } else { "private" });
        body["customerDetails"]["organizationId"] = json!("923609016");
        if let Some((i, member)) = spoil {
            let n = lines.len();
            body["products"][i % n][member] = json!("x");
        }
        let keyed: serde_json::Map<String, serde_json::Value> = body["products"]
            .as_array().unwrap().iter().enumerate()
            .map(|(i, l)| (i.to_string(), l.clone()))
            .collect();
        let mut keyed_body = body.clone();
        keyed_body["products"] = serde_json::Value::Object(keyed);
        let ctx = Context::new(1_703_040_812).with_dialect(dialect).accepting_any_date_format();
        let as_array = validate_create(kind, &body, &ctx);
        let as_object = validate_create(kind, &keyed_body, &ctx);
        match (as_array, as_object) {
            (Ok(a), Ok(o)) => prop_assert_eq!(a, o),
            (Err(a), Err(o)) => prop_assert_eq!(a.sentences(), o.sentences()),
            (a, o) => prop_assert!(false, "array {:?} vs object {:?}", a.map(drop), o.map(drop)),
        }
    }

    #[test]
    fn small_requests_round_trip(
        note in "\\PC{1,50}", id in 1i64..1_000_000, ore in 1..MAX_ORE, invoiced in any::<bool>(), email in "[a-z]{1,10}@[a-z]{1,10}\\.no",
    ) {
        let cancel = CancelRequest { cancellation_note: note };
        prop_assert_eq!(serde_json::from_value::<CancelRequest>(serde_json::to_value(&cancel).unwrap()).unwrap(), cancel);
        let refund = RefundRequest {
            refund_type: if invoiced { RefundType::Invoiced } else { RefundType::Regular },
            grand_total: Money(ore),
            products: vec![RefundProduct { id, amount: Money(ore) }],
        };
        prop_assert_eq!(serde_json::from_value::<RefundRequest>(serde_json::to_value(&refund).unwrap()).unwrap(), refund);
        let resend = ResendRequest { country_code: Some("+47".into()), msisdn: Some("46567468".into()), email: Some(email) };
        prop_assert_eq!(serde_json::from_value::<ResendRequest>(serde_json::to_value(&resend).unwrap()).unwrap(), resend);
    }

    #[test]
    fn strict_json_reads_valid_documents_as_serde_json(v in arb_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        let want: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(parse_strict(&text).ok(), Some(want));
    }

    #[test]
    fn strict_json_only_adds_refusals(text in "[\\[\\]{}:, \"ab01.e-]{0,24}") {
        // Whatever it accepts, serde_json reads the same; whatever serde_json refuses, it refuses.
        match (parse_strict(&text), serde_json::from_str::<serde_json::Value>(&text)) {
            (Ok(got), Ok(want)) => prop_assert_eq!(got, want),
            (Ok(got), Err(e)) => prop_assert!(false, "{text:?}: accepted {got}, serde_json: {e}"),
            (Err(JsonError::Syntax(_)), Err(_)) | (Err(JsonError::DuplicateKey { .. }), _) => {}
            (Err(e), Ok(want)) => prop_assert!(false, "{text:?}: {e}, serde_json read {want}"),
        }
    }

    #[test]
    fn strict_json_finds_a_duplicate_at_any_depth(a in arb_json(), b in arb_json(), wrap in prop::collection::vec(any::<bool>(), 0..6)) {
        let mut text = format!(r#"{{"x": 1, "k": {a}, "y": [], "k": {b}}}"#);
        for in_array in wrap {
            text = if in_array { format!("[0, {text}]") } else { format!(r#"{{"k": {{}}, "w": {text}}}"#) };
        }
        let key = match parse_strict(&text) {
            Err(JsonError::DuplicateKey { key, .. }) => Some(key),
            _ => None,
        };
        prop_assert_eq!(key.as_deref(), Some("k"), "{}", text);
    }

    #[test]
    fn validation_never_panics_on_junk(v in arb_json()) {
        let ctx = Context::new(1_703_040_812);
        for kind in OrderKind::ALL {
            let _ = validate_create(kind, &v, &ctx);
        }
        let _ = frontdesk_core::validate::validate_refund(&v, &ctx);
        let _ = frontdesk_core::validate::validate_resend(&v, &ctx);
        let _ = frontdesk_core::validate::validate_cancel(&v, &ctx);
        let _ = frontdesk_core::validate::validate_note(&v, &ctx);
    }

    #[test]
    fn typed_phone_numbers_validate_as_their_digits(
        digits in "[49][0-9]{7}",
        seps in prop::collection::vec(prop::sample::select(vec!["", " ", "-", ".", "\u{a0}"]), 8),
    ) {
        // One rule for the order form and the resend: what a person types between the digits
        // is not an error, and what is sent on is the digits.
        let typed: String = digits.chars().zip(&seps).map(|(d, s)| format!("{s}{d}")).collect();
        let ctx = Context::new(1_703_040_812);
        let v = frontdesk_core::validate::validate_resend(&json!({"countryCode": "+47", "msisdn": typed}), &ctx);
        prop_assert!(v.is_ok(), "{typed:?}");
        let v = v.unwrap();
        prop_assert_eq!(v.value.msisdn.as_deref(), Some(digits.as_str()));
        prop_assert!(v.warnings.is_empty());
    }
}

/// `ore × bp / (10 000 + bp)` rounded half away from zero: the contract's VAT of a VAT-inclusive
/// amount, written out here independently of core's.
fn vat_of(ore: i64, bp: i64) -> i64 {
    let (n, d) = (i128::from(ore) * i128::from(bp), i128::from(10_000 + bp));
    let rounded = (2 * n + d) / (2 * d); // non-negative n: half up is half away from zero
    i64::try_from(rounded).unwrap()
}

/// quantity × rate of a line, to the øre.
fn gross_of(p: &Product) -> i64 {
    line_totals(p.quantity, p.rate, Money(0), p.tax)
        .unwrap()
        .gross
        .0
}

fn customer() -> CustomerDetails {
    CustomerDetails {
        customer_type: Some(CustomerType::Private),
        country_code: Some("+47".into()),
        msisdn: Some("46567468".into()),
        email: Some("kari@example.no".into()),
        first_name: None,
        name: "Kari Nordmann".into(),
        preferred_language: Some(Language::No),
        personal_number: Some("01010012356".into()),
        organization_id: None,
        address: Address {
            street: "Storgata 1".into(),
            zip: "0155".into(),
            city: "Oslo".into(),
            country: "NO".into(),
        },
    }
}

prop_compose! {
    fn arb_product()(
        q in 1i64..10_000,
        rate in 0i64..10_000_000,
        tax in prop::sample::select(vec![0i64, 1200, 1500, 2500]),
        disc_permille in 0i64..=1000,
    ) -> Product {
        let gross = line_totals(Quantity(q), Money(rate), Money(0), TaxRate(tax)).unwrap().gross;
        let discount = Money(gross.0 * disc_permille / 1000);
        let amount = Money(gross.0 - discount.0);
        Product { name: "Line".into(), product_id: Some("P1".into()), quantity: Quantity(q), rate: Money(rate), discount: Some(discount), tax: TaxRate(tax), amount }
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,12}".prop_map(|s| json!(s)),
        prop::sample::select(vec![
            "products",
            "orderSummary",
            "customerDetails",
            "1",
            "+47",
            "NO",
            "private",
            "corporate"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "products",
                    "orderSummary",
                    "customerDetails",
                    "address",
                    "name",
                    "quantity",
                    "rate",
                    "tax",
                    "amount",
                    "discount",
                    "type",
                    "email",
                    "msisdn",
                    "countryCode",
                    "grandTotal",
                    "id",
                    "cancellationNote",
                    "orderDate",
                ])
                .prop_map(str::to_owned),
                inner,
                0..8,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn ten_thousand_lines_of_a_billion_do_not_overflow() {
    let line = Product {
        name: "Big".into(),
        product_id: None,
        quantity: Quantity(100),
        rate: Money(MAX_ORE),
        discount: Some(Money(1)),
        tax: TaxRate(2500),
        amount: Money(MAX_ORE - 1),
    };
    let lines = vec![line; 10_000];
    let s = summarize(&lines).unwrap();
    assert_eq!(s.grand_total, Money((MAX_ORE - 1) * 10_000));
    assert!(check_agreement(&lines, &s).unwrap().is_empty());
}

#[test]
fn hundred_line_order_validates_clean() {
    let products: Vec<_> = (0..100)
        .map(|i| json!({"name": format!("Line {i}"), "quantity": "2", "rate": 199.5, "discount": 10, "tax": "25", "amount": 389}))
        .collect();
    let payload = json!({
        "products": products,
        // VAT after the 10 kr discount: 389 × 25/125 = 77.80 a line.
        "orderSummary": {"subTotal": "31920.00", "totalTax": "7780.00", "totalDiscount": "1000.00", "grandTotal": "38900.00"},
        "orderDate": "1703040812",
        "customerDetails": {"type": "private", "email": "a@b.no", "name": "Kari",
            "address": {"street": "s", "zip": "0155", "city": "Oslo", "country": "NO"}},
        "invoiceAsPaymentOption": true
    });
    let ctx = Context::new(1_703_040_812);
    let r = validate_create(OrderKind::PaymentLink, &payload, &ctx);
    assert!(r.is_ok(), "{:?}", r.err().map(|r| r.to_error_map()));
    // Its speed is measured by `cargo xtask bench`, not asserted here.
}
