//! Component tests in headless Chromium (wasm-bindgen-test): the form as a merchant uses it.

use std::cell::Cell;
use std::rc::Rc;

use frontdesk_core::status::OrderKind;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::Router;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::api::{self, ApiError, User};
use crate::auth::Auth;
use crate::draft::{self, LineDraft, OrderDraft, StoredDraft};
use crate::form::{Form, field_id, line_field_id};
use crate::i18n::{I18n, Lang};
use crate::pages::new_order::{NewOrderPage, OrderForm};

mod combobox;
mod follow_up;

/// A mounted view, removed from the page when dropped.
struct Mounted {
    host: HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.host.remove();
    }
}

impl Mounted {
    fn el(&self, selector: &str) -> web_sys::Element {
        self.host
            .query_selector(selector)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no {selector} in {}", self.host.inner_html()))
    }
    fn has(&self, selector: &str) -> bool {
        self.host.query_selector(selector).ok().flatten().is_some()
    }
    fn input(&self, id: &str) -> HtmlInputElement {
        self.el(&format!("#{id}")).unchecked_into()
    }
    fn select(&self, id: &str) -> HtmlSelectElement {
        self.el(&format!("#{id}")).unchecked_into()
    }
    fn text(&self, selector: &str) -> String {
        self.el(selector).text_content().unwrap_or_default()
    }
    fn attr(&self, selector: &str, name: &str) -> String {
        self.el(selector).get_attribute(name).unwrap_or_default()
    }
}

fn host() -> HtmlElement {
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

fn clear_storage() {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.clear();
    }
}

fn clerk() -> Option<User> {
    Some(User {
        username: "clerk".into(),
        role: frontdesk_core::roles::Role::Clerk,
        via: None,
    })
}

/// Mount `OrderForm` on a fresh form of `kind`; returns the form to drive it.
fn mount_form(kind: OrderKind, data: OrderDraft) -> (Mounted, Form) {
    let (m, form, _) = mount_form_i18n(kind, data);
    (m, form)
}

fn mount_form_i18n(kind: OrderKind, data: OrderDraft) -> (Mounted, Form, I18n) {
    let slot: Rc<Cell<Option<(Form, I18n)>>> = Rc::new(Cell::new(None));
    let out = slot.clone();
    let host = host();
    let handle = mount_to(host.clone(), move || {
        let i18n = I18n::provide(Lang::En);
        Auth::provide_with(clerk());
        let form = Form::new(kind, &data, "test-key".into());
        out.set(Some((form, i18n)));
        view! { <Router><OrderForm form=form /></Router> }
    });
    let (form, i18n) = slot.get().expect("form created");
    (
        Mounted {
            host,
            _handle: Box::new(handle),
        },
        form,
        i18n,
    )
}

async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn bubbling(name: &str) -> Event {
    let init = EventInit::new();
    init.set_bubbles(true);
    Event::new_with_event_init_dict(name, &init).unwrap()
}

fn type_into(el: &HtmlInputElement, value: &str) {
    el.set_value(value);
    el.dispatch_event(&bubbling("input")).unwrap();
}

fn blur(el: &web_sys::Element) {
    el.dispatch_event(&Event::new("blur").unwrap()).unwrap();
}

fn choose(el: &HtmlSelectElement, value: &str) {
    el.set_value(value);
    el.dispatch_event(&bubbling("change")).unwrap();
}

fn click(m: &Mounted, selector: &str) {
    m.el(selector).unchecked_into::<HtmlElement>().click();
}

fn option_values(el: &HtmlSelectElement) -> Vec<String> {
    let opts = el.query_selector_all("option").unwrap();
    (0..opts.length())
        .filter_map(|i| opts.item(i))
        .map(|o| {
            o.unchecked_into::<web_sys::Element>()
                .get_attribute("value")
                .unwrap_or_default()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn typing_produces_and_clears_errors() {
    clear_storage();
    let (m, _form) = mount_form(OrderKind::PaymentLink, OrderDraft::default());
    settle().await;
    let name_id = field_id("customerDetails.name");
    let name = m.input(&name_id);
    let msg = format!("#{name_id}-msg");
    // Untouched: no error shown yet, though the field is empty.
    assert_eq!(m.text(&msg), "");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("false"));
    assert_eq!(
        name.get_attribute("aria-describedby").as_deref(),
        Some(format!("{name_id}-msg").as_str())
    );
    // Left empty: the error appears, tied to the field.
    blur(&name);
    settle().await;
    assert!(
        m.text(&msg).contains("This field is required."),
        "{}",
        m.text(&msg)
    );
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    // Fixed: it clears at once.
    type_into(&name, "Kari Nordmann");
    settle().await;
    assert_eq!(m.text(&msg), "");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("false"));
    // An email error updates per keystroke and clears when fixed.
    let email_id = field_id("customerDetails.email");
    let email = m.input(&email_id);
    type_into(&email, "kari@");
    blur(&email);
    settle().await;
    assert!(m.text(&format!("#{email_id}-msg")).contains("valid email"));
    type_into(&email, "kari@example.no");
    settle().await;
    assert_eq!(m.text(&format!("#{email_id}-msg")), "");
    // Warnings look different: a personal number failing mod-11 is a warning, not an error.
    let pn_id = field_id("customerDetails.personalNumber");
    let pn = m.input(&pn_id);
    type_into(&pn, "12345678901");
    blur(&pn);
    settle().await;
    assert!(m.has(&format!("#{pn_id}-msg .msg-warn")));
    assert!(!m.has(&format!("#{pn_id}-msg .msg-error")));
    assert!(m.text(&format!("#{pn_id}-msg")).contains("Check:"));
    assert_eq!(pn.get_attribute("aria-invalid").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn submit_with_errors_focuses_the_first_and_lists_them() {
    clear_storage();
    let (m, form) = mount_form(OrderKind::Invoice, OrderDraft::default());
    settle().await;
    click(&m, "#submit-order");
    settle().await;
    sleep(50).await;
    assert!(form.submitted.get_untracked());
    assert!(m.has("#error-summary"));
    let links = m.host.query_selector_all("#error-summary a").unwrap();
    assert!(links.length() >= 5, "{}", m.text("#error-summary"));
    let first = links.item(0).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(
        first.get_attribute("href").as_deref(),
        Some("#f-customerDetails-name")
    );
    let active = document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    assert_eq!(active, "f-customerDetails-name");
    // Clicking a link focuses its field.
    let email_link = (0..links.length())
        .filter_map(|i| links.item(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|a| a.get_attribute("href").as_deref() == Some("#f-customerDetails-email"))
        .expect("an email link");
    email_link.click();
    let active = document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    assert_eq!(active, "f-customerDetails-email");
}

#[wasm_bindgen_test]
async fn summary_math_is_vat_inclusive_with_discounts() {
    clear_storage();
    let (m, form, i18n) = mount_form_i18n(OrderKind::PaymentLink, OrderDraft::default());
    settle().await;
    let id = form.lines.get_untracked()[0].id;
    type_into(&m.input(&line_field_id(id, "quantity")), "2");
    type_into(&m.input(&line_field_id(id, "rate")), "200,00");
    choose(&m.select(&line_field_id(id, "tax")), "25");
    settle().await;
    assert_eq!(
        m.text(&format!("#{}", line_field_id(id, "amount"))),
        "NOK 400.00"
    );
    assert_eq!(m.text("[data-testid=sub-total]"), "NOK 320.00");
    assert_eq!(m.text("[data-testid=total-tax]"), "NOK 80.00");
    assert_eq!(m.text("[data-testid=total-discount]"), "NOK 0.00");
    assert_eq!(m.text("[data-testid=grand-total]"), "NOK 400.00");
    // A 50 kr discount lowers the amount and the VAT with it (VAT on what is paid, per core);
    // the docs' subTotal stays "before tax and discount".
    type_into(&m.input(&line_field_id(id, "discount")), "50");
    settle().await;
    assert_eq!(
        m.text(&format!("#{}", line_field_id(id, "amount"))),
        "NOK 350.00"
    );
    assert_eq!(m.text("[data-testid=sub-total]"), "NOK 320.00");
    assert_eq!(m.text("[data-testid=total-tax]"), "NOK 70.00");
    assert_eq!(m.text("[data-testid=total-discount]"), "NOK 50.00");
    assert_eq!(m.text("[data-testid=grand-total]"), "NOK 350.00");
    // `12.50` and `12,50` both work; a second line at 15 % adds up.
    click(&m, "#add-line");
    settle().await;
    let id2 = form.lines.get_untracked()[1].id;
    type_into(&m.input(&line_field_id(id2, "rate")), "12.50");
    choose(&m.select(&line_field_id(id2, "tax")), "15");
    settle().await;
    assert_eq!(
        m.text(&format!("#{}", line_field_id(id2, "amount"))),
        "NOK 12.50"
    );
    assert_eq!(m.text("[data-testid=grand-total]"), "NOK 362.50");
    // Norwegian formatting.
    i18n.0.set(Lang::Nb);
    settle().await;
    assert_eq!(m.text("[data-testid=grand-total]"), "kr\u{a0}362,50");
    assert_eq!(
        m.text(&format!("#{}", line_field_id(id2, "amount"))),
        "kr\u{a0}12,50"
    );
    i18n.0.set(Lang::En);
    // Duplicate, move and remove keep the totals right.
    click(&m, &format!("#{}", line_field_id(id, "duplicate")));
    settle().await;
    assert_eq!(form.lines.get_untracked().len(), 3);
    click(&m, &format!("#{}", line_field_id(id2, "up")));
    settle().await;
    let order: Vec<u64> = form.lines.get_untracked().iter().map(|l| l.id).collect();
    assert_eq!(order[1], id2);
    click(&m, &format!("#{}", line_field_id(id2, "remove")));
    settle().await;
    assert_eq!(form.lines.get_untracked().len(), 2);
}

#[wasm_bindgen_test]
async fn kind_and_customer_type_switch_fields() {
    clear_storage();
    let (m, form) = mount_form(OrderKind::PaymentLink, OrderDraft::default());
    settle().await;
    // Payment link: sending options, no invoice fields.
    assert!(m.has("#f-sendOrderBy-sms"));
    assert!(m.has("#f-secureDetails"));
    assert!(!m.has("#f-invoiceMaturity"));
    assert!(m.has("#f-customerDetails-personalNumber"));
    assert!(!m.has("#f-customerDetails-organizationId"));
    // Corporate: organisation number instead of the personal number.
    let corp = m.input("type-corporate");
    corp.set_checked(true);
    corp.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
    assert!(m.has("#f-customerDetails-organizationId"));
    assert!(!m.has("#f-customerDetails-personalNumber"));
    // Invoice × corporate: maturities 14/30/45; × private: 10.
    let inv = m.input("kind-invoice");
    inv.set_checked(true);
    inv.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
    assert_eq!(form.kind.get_untracked(), OrderKind::Invoice);
    assert!(!m.has("#f-sendOrderBy-sms"));
    assert_eq!(
        option_values(&m.select("f-invoiceMaturity")),
        ["14", "30", "45"]
    );
    assert_eq!(
        option_values(&m.select("f-invoiceInterval")),
        ["0", "1", "2"]
    );
    assert!(m.has("#f-invoiceFeeApplicable"));
    let private = m.input("type-private");
    private.set_checked(true);
    private.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
    assert_eq!(option_values(&m.select("f-invoiceMaturity")), ["10"]);
    // E-Faktura: private only, personal number required.
    let ef = m.input("kind-e-faktura");
    ef.set_checked(true);
    ef.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
    assert!(!m.has("#type-private"));
    assert!(m.text("[data-testid=fixed-type]").contains("private"));
    assert!(m.has("#f-customerDetails-personalNumber"));
    assert_eq!(
        m.attr("#f-customerDetails-personalNumber", "aria-required"),
        "true"
    );
    assert_eq!(option_values(&m.select("f-invoiceMaturity")), ["10"]);
    // EHF: business only; an orgnr failing mod-11 is an error there.
    let ehf = m.input("kind-ehf");
    ehf.set_checked(true);
    ehf.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
    assert!(m.has("#f-customerDetails-organizationId"));
    assert!(!m.has("#f-customerDetails-personalNumber"));
    assert_eq!(
        option_values(&m.select("f-invoiceMaturity")),
        ["14", "30", "45"]
    );
    let org = m.input("f-customerDetails-organizationId");
    type_into(&org, "123456789");
    blur(&org);
    settle().await;
    assert!(m.has("#f-customerDetails-organizationId-msg .msg-error"));
    type_into(&org, "998379342");
    settle().await;
    assert!(!m.has("#f-customerDetails-organizationId-msg .msg-error"));
    // The callback is optional (the proxy fills it in) for E-Faktura/EHF.
    assert_eq!(m.text("#f-callback-callbackUrl-msg"), "");
}

#[wasm_bindgen_test]
async fn drafts_restore_from_local_storage_and_autosave() {
    clear_storage();
    let data = OrderDraft {
        lines: vec![
            LineDraft {
                name: "Consulting".into(),
                rate: "1000".into(),
                ..LineDraft::default()
            },
            LineDraft {
                name: "Travel".into(),
                rate: "250,50".into(),
                tax: "12".into(),
                ..LineDraft::default()
            },
        ],
        ..OrderDraft::default()
    }
    .with_text("customerDetails.name", "Ola Nordmann")
    .with_text("customerDetails.email", "ola@example.no");
    // Drafts are the signed-in user's: the clerk's, as `Auth::provide_with` below sets.
    draft::set_owner(Some("clerk"));
    draft::save(
        OrderKind::Invoice,
        &StoredDraft {
            data,
            key: "key-from-draft".into(),
            pending: None,
            saved_at: 1_800_000_000_000.0,
        },
    );
    draft::set_last_kind(OrderKind::Invoice);
    let host = host();
    let handle = mount_to(host.clone(), || {
        I18n::provide(Lang::En);
        Auth::provide_with(clerk());
        view! { <Router><NewOrderPage /></Router> }
    });
    let m = Mounted {
        host,
        _handle: Box::new(handle),
    };
    settle().await;
    assert!(m.input("kind-invoice").checked());
    assert_eq!(m.input("f-customerDetails-name").value(), "Ola Nordmann");
    assert_eq!(
        m.host.query_selector_all("ol.lines > li").unwrap().length(),
        2
    );
    assert!(m.has("[data-testid=draft-restored]"));
    assert_eq!(m.text("[data-testid=grand-total]"), "NOK 1,250.50");
    // Typing autosaves (debounced) under the same key.
    type_into(&m.input("f-customerDetails-address-city"), "Bergen");
    sleep(700).await;
    let saved = draft::load(OrderKind::Invoice).expect("saved");
    assert_eq!(saved.data.text("customerDetails.address.city"), "Bergen");
    assert_eq!(saved.key, "key-from-draft");
    // Discard: blank form, new key, nothing stored.
    click(&m, "#discard-draft");
    settle().await;
    sleep(600).await;
    assert_eq!(m.input("f-customerDetails-name").value(), "");
    assert!(!m.has("[data-testid=draft-restored]"));
    assert!(draft::load(OrderKind::Invoice).is_none());
}

#[wasm_bindgen_test]
async fn a_417_puts_each_error_on_its_field() {
    clear_storage();
    let data = OrderDraft {
        lines: vec![LineDraft::default(), LineDraft::default()],
        ..OrderDraft::default()
    };
    let (m, form) = mount_form(OrderKind::PaymentLink, data);
    settle().await;
    let envelope = r#"{"status_code":417,"status_message":"Client Error","message":"payloadValidationErrors","is_error":true,
        "errors":{"customerDetails.msisdn":["The customer details.msisdn field is required when customer details.email is not present."],
                  "products.1.tax":["The selected products.1.tax is invalid."],
                  "orderDate":["The order date field must be a date after or equal to today."]}}"#;
    let Err(ApiError::Validation(placed)) = api::interpret_create(417, envelope, false, None)
    else {
        panic!("not a validation answer");
    };
    form.apply_server_errors(placed);
    settle().await;
    let second = form.lines.get_untracked()[1].id;
    let tax_msg = format!("#{}-msg", line_field_id(second, "tax"));
    assert!(
        m.text(&tax_msg).contains("products.1.tax is invalid"),
        "{}",
        m.text(&tax_msg)
    );
    assert_eq!(
        m.attr(
            &format!("#{}", line_field_id(second, "tax")),
            "aria-invalid"
        ),
        "true"
    );
    assert!(
        m.text("#f-customerDetails-msisdn-msg")
            .contains("msisdn field is required")
    );
    assert_eq!(m.attr("#f-customerDetails-msisdn", "aria-invalid"), "true");
    // Fields without a control are listed in the summary.
    assert!(m.text("#error-summary").contains("after or equal to today"));
    // Editing the field clears the server's message for it.
    type_into(&m.input("f-customerDetails-msisdn"), "46567468");
    settle().await;
    assert!(
        !m.text("#f-customerDetails-msisdn-msg")
            .contains("msisdn field is required")
    );
}

#[wasm_bindgen_test]
fn create_answers_map_to_outcomes() {
    let ok = r#"{"status_code":201,"status_message":"OK","message":"orderAddedSuccessfully","is_data":false,"data":{"uuid":"ODR3506777330","customerUuid":"CSRT3463048878"}}"#;
    let created = api::interpret_create(201, ok, true, None).unwrap();
    assert_eq!(created.uuid, "ODR3506777330");
    assert_eq!(created.customer_uuid, "CSRT3463048878");
    assert!(created.replayed);
    assert_eq!(
        api::interpret_create(409, "{}", false, None),
        Err(ApiError::InFlight)
    );
    // 422 is two things; the message says which.
    let reused = r#"{"status_code":422,"status_message":"x","message":"idempotencyKeyReused","is_error":true,"errors":null}"#;
    assert_eq!(
        api::interpret_create(422, reused, false, None),
        Err(ApiError::KeyReused)
    );
    let malformed = reused.replace("idempotencyKeyReused", "malformedJson");
    assert!(matches!(
        api::interpret_create(422, &malformed, false, None),
        Err(ApiError::Other { status: 422, .. })
    ));
    assert!(matches!(
        api::interpret_create(
            502,
            r#"{"status_code":502,"message":"upstreamUnavailable","is_error":true,"errors":null}"#,
            false,
            None
        ),
        Err(ApiError::Server { status: 502, .. })
    ));
    assert_eq!(
        api::interpret_create(504, "", false, None),
        Err(ApiError::Timeout)
    );
    assert!(
        api::interpret_create(502, "", false, None)
            .unwrap_err()
            .is_retryable()
    );
}

#[wasm_bindgen_test]
async fn a_417_of_sentences_lands_on_fields_and_the_rest_in_the_summary() {
    clear_storage();
    let (m, form) = mount_form(OrderKind::Invoice, OrderDraft::default());
    settle().await;
    let envelope = r#"{"status_code":417,"status_message":"Client Error","message":"payloadValidationErrors","is_error":true,
        "errors":["The customer details.address.city field is required.","The products.0.tax field must be a number.","Something unrelated happened."]}"#;
    let Err(ApiError::Validation(placed)) = api::interpret_create(417, envelope, false, None)
    else {
        panic!("not a validation answer");
    };
    form.apply_server_errors(placed);
    settle().await;
    assert!(
        m.text("#f-customerDetails-address-city-msg")
            .contains("The customer details.address.city field is required.")
    );
    let first = form.lines.get_untracked()[0].id;
    assert!(
        m.text(&format!("#{}-msg", line_field_id(first, "tax")))
            .contains("The products.0.tax field must be a number.")
    );
    let summary = m.text("#error-summary");
    assert!(
        summary.contains("Something unrelated happened."),
        "{summary}"
    );
    let links = m.host.query_selector_all("#error-summary a").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|n| n.unchecked_into::<web_sys::Element>().get_attribute("href"))
        .collect();
    assert!(
        hrefs.contains(&"#f-customerDetails-address-city".to_owned()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&format!("#{}", line_field_id(first, "tax"))),
        "{hrefs:?}"
    );
}

#[wasm_bindgen_test]
async fn the_busy_countdown_shows_in_both_languages() {
    clear_storage();
    let (m, form, i18n) = mount_form_i18n(OrderKind::PaymentLink, OrderDraft::default());
    settle().await;
    assert!(!m.has("[data-testid=busy-notice]"));
    form.busy.set(Some(3));
    settle().await;
    assert_eq!(
        m.text("[data-testid=busy-notice]"),
        "Front Payment is busy, trying again in 3 s."
    );
    i18n.0.set(Lang::Nb);
    settle().await;
    assert_eq!(
        m.text("[data-testid=busy-notice]"),
        "Front Payment har mye å gjøre, prøver igjen om 3 s."
    );
    form.busy.set(None);
    settle().await;
    assert!(!m.has("[data-testid=busy-notice]"));
}

#[wasm_bindgen_test]
async fn the_proxys_keyed_detail_is_worded_per_language() {
    clear_storage();
    // A city typed, so the form's own check has nothing to say about it: the message is the
    // proxy's.
    let data = OrderDraft::default().with_text("customerDetails.address.city", "Sandnes");
    let (m, form, i18n) = mount_form_i18n(OrderKind::Invoice, data);
    settle().await;
    let envelope = r#"{"status_code":417,"status_message":"Client Error","message":"payloadValidationErrors","is_error":true,
        "errors":["The customer details.address.city field is required."],
        "fields":{"customerDetails.address.city":[{"code":"required","params":{}}]}}"#;
    let Err(ApiError::Validation(placed)) = api::interpret_create(417, envelope, false, None)
    else {
        panic!("not a validation answer");
    };
    form.apply_server_errors(placed);
    settle().await;
    let city = || m.text("#f-customerDetails-address-city-msg");
    assert!(city().contains("This field is required."), "{}", city());
    assert!(!city().contains("customer details"), "{}", city());
    i18n.0.set(Lang::Nb);
    settle().await;
    assert!(city().contains("Feltet må fylles ut."), "{}", city());
}
