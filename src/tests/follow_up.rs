//! Component tests of the follow-up actions: gating by status and role, and the refund editor.

use frontdesk_core::roles::Role;
use frontdesk_core::{OrderDetails, OrderStatusDetail};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::Router;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{Mounted, click, host, settle, type_into};
use crate::api::User;
use crate::auth::Auth;
use crate::components::order_actions::OrderActions;
use crate::follow_up::Loaded;
use crate::i18n::{I18n, Lang};

fn loaded(status: &str, refunded: &str) -> Loaded {
    let details: OrderDetails = serde_json::from_value(json!({
        "type": "PAYMENT_LINK",
        "orderId": "ODR1000000001",
        "status": status,
        "orderDate": "1764000000",
        "productList": [
            {"id": 1, "name": "Shoes", "productId": null, "quantity": "2", "rate": "200.00", "discount": "0.00", "tax": "25", "amount": "400.00"},
            {"id": 2, "name": "Socks", "productId": null, "quantity": "1", "rate": "100.00", "discount": "0.00", "tax": "25", "amount": "100.00"}
        ],
        "orderSummary": {"subTotal": "400.00", "tax": "100.00", "discount": "0.00", "grandTotal": "500.00"},
        "customerDetails": {
            "type": "private", "uuid": "CSRT1000000001", "countryCode": "+47", "msisdn": "46567468",
            "email": "kari@example.no", "name": "Kari Nordmann", "preferredLanguage": "no",
            "address": {"street": "Gate 1", "zip": "0150", "city": "Oslo", "country": "NO"}
        }
    }))
    .expect("details");
    let state: OrderStatusDetail = serde_json::from_value(json!({
        "uuid": "ODR1000000001", "status": status, "orderAmount": "500.00", "refundedAmount": refunded
    }))
    .expect("status");
    Loaded {
        details,
        state,
        invoice_number: None,
        events: Vec::new(),
        record: None,
    }
}

fn mount_actions(role: Role, l: Loaded) -> Mounted {
    mount_actions_in(role, l, Lang::En)
}

fn mount_actions_in(role: Role, l: Loaded, lang: Lang) -> Mounted {
    let host = host();
    let handle = mount_to(host.clone(), move || {
        I18n::provide(lang);
        Auth::provide_with(Some(User {
            username: "u".into(),
            role,
            via: None,
        }));
        let l = Signal::stored(Some(l.clone()));
        view! { <Router><OrderActions loaded=l done=Callback::new(|_| ()) /></Router> }
    });
    Mounted {
        host,
        _handle: Box::new(handle),
    }
}

#[wasm_bindgen_test]
async fn actions_are_offered_by_status_and_role() {
    let m = mount_actions(Role::Admin, loaded("SENT", "0.00"));
    settle().await;
    assert!(m.has("[data-action=resend]") && m.has("[data-action=cancel]"));
    assert!(!m.has("[data-action=refund]") && !m.has("[data-action=delayed-charge]"));
    drop(m);

    let m = mount_actions(Role::Admin, loaded("RESERVED", "0.00"));
    settle().await;
    assert!(m.has("[data-action=delayed-charge]") && !m.has("[data-action=resend]"));
    drop(m);

    // The reason is the role, and says what the role may and whom to ask.
    let m = mount_actions(Role::Clerk, loaded("PAID", "0.00"));
    settle().await;
    assert!(!m.has("[data-action]"), "a clerk may not refund");
    assert!(!m.has("[data-testid=no-actions]"));
    assert_eq!(
        m.text("[data-testid=action-reason]"),
        "Your role (clerk) may view orders, create orders and resend payment links. \
         Ask an admin to refund this order."
    );
    drop(m);

    let m = mount_actions(Role::Viewer, loaded("SENT", "0.00"));
    settle().await;
    assert!(!m.has("[data-action]"), "a viewer sees no write action");
    assert_eq!(
        m.text("[data-testid=action-reason]"),
        "Your role (viewer) may view orders. Ask a clerk or an admin to resend the payment \
         link. Ask an admin to cancel this order."
    );
    drop(m);

    // The reason is the status: nothing for anyone.
    let m = mount_actions(Role::Admin, loaded("REFUNDED", "500.00"));
    settle().await;
    assert_eq!(m.attr("[data-testid=no-actions]", "data-reason"), "status");
    assert!(m.text("[data-testid=no-actions]").contains("(Refunded)"));
}

#[wasm_bindgen_test]
async fn resend_normalises_the_phone_and_warns_as_the_form_does() {
    let m = mount_actions(Role::Clerk, loaded("SENT", "0.00"));
    settle().await;
    click(&m, "[data-action=resend]");
    settle().await;
    click(&m, "[data-testid=resend-new]");
    settle().await;
    let phone = || -> web_sys::HtmlInputElement {
        use leptos::wasm_bindgen::JsCast;
        m.el("[data-testid=resend-msisdn]").unchecked_into()
    };
    let confirm = || {
        m.el("[data-testid=confirm-action]")
            .has_attribute("disabled")
    };
    // Spaces as typed on the order form: accepted, sent as digits.
    type_into(&phone(), "912 34 567");
    settle().await;
    assert_eq!(m.text("#resend-msisdn-err"), "");
    assert_eq!(m.text("[data-testid=resend-msisdn-warn]"), "");
    assert!(!confirm());
    assert!(m.text(".confirm-text").contains("+47 91234567"));
    // Too short for Norway: core's warning, and it may still be sent.
    type_into(&phone(), "9123");
    settle().await;
    assert!(
        m.text("[data-testid=resend-msisdn-warn]")
            .starts_with("Check:"),
        "{}",
        m.text("[data-testid=resend-msisdn-warn]")
    );
    assert!(!confirm());
    // Letters are an error.
    type_into(&phone(), "9123 456x");
    settle().await;
    assert!(!m.text("#resend-msisdn-err").is_empty());
    assert!(confirm());
}

#[wasm_bindgen_test]
async fn refund_editor_enforces_what_is_left() {
    let m = mount_actions(Role::Admin, loaded("PARTIAL REFUNDED", "0.00"));
    settle().await;
    click(&m, "[data-action=refund]");
    settle().await;
    let confirm = || {
        m.el("[data-testid=confirm-action]")
            .has_attribute("disabled")
    };
    assert!(confirm(), "nothing entered: nothing to send");
    let socks = || -> web_sys::HtmlInputElement {
        use leptos::wasm_bindgen::JsCast;
        m.el("[data-testid=refund-line-1]").unchecked_into()
    };
    type_into(&socks(), "100,01");
    settle().await;
    assert!(
        m.text("#refund-line-1-err").contains("More than is left"),
        "{}",
        m.text("#refund-line-1-err")
    );
    assert_eq!(
        m.attr("[data-testid=refund-line-1]", "aria-invalid"),
        "true"
    );
    assert!(confirm());
    type_into(&socks(), "12,50");
    settle().await;
    assert_eq!(m.text("#refund-line-1-err"), "");
    assert!(m.text("[data-testid=refund-total]").contains("12.50"));
    assert!(!confirm());
    click(&m, "[data-testid=refund-fill-all]");
    settle().await;
    assert!(m.text("[data-testid=refund-total]").contains("500.00"));
}

#[wasm_bindgen_test]
async fn fill_in_everything_writes_the_locales_format() {
    let m = mount_actions_in(Role::Admin, loaded("PAID", "0.00"), Lang::Nb);
    settle().await;
    click(&m, "[data-action=refund]");
    settle().await;
    click(&m, "[data-testid=refund-fill-all]");
    settle().await;
    let first: web_sys::HtmlInputElement = {
        use leptos::wasm_bindgen::JsCast;
        m.el("[data-testid=refund-line-0]").unchecked_into()
    };
    assert_eq!(first.value(), "400,00");
    assert_eq!(m.text("[data-testid=refund-total]"), "kr\u{a0}500,00");
    assert!(
        !m.el("[data-testid=confirm-action]")
            .has_attribute("disabled")
    );
}
