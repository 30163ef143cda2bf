//! Component tests of the type-ahead (components/combobox.rs) as a keyboard user meets it —
//! the ARIA 1.2 combobox pattern, the pause before a search, answers to older typing never
//! shown — and of what a pick does to the order form (the whole customer block, a line).

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use frontdesk_core::book::{CustomerInput, ProductInput};
use frontdesk_core::customer::{Address, CustomerDetails, CustomerType};
use frontdesk_core::money::{Money, TaxRate};
use frontdesk_core::status::OrderKind;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlInputElement, KeyboardEvent, KeyboardEventInit};

use super::{Mounted, host, mount_form, settle, sleep, type_into};
use crate::api::ApiError;
use crate::components::combobox::{Combobox, Found, Suggestion};
use crate::draft::OrderDraft;
use crate::form::field_id;
use crate::i18n::{I18n, Lang};

const NAMES: [&str; 4] = ["Kari Nordmann", "Karl Johan", "Kjell Berg", "Ola Nordmann"];

/// The book's names starting with what was typed; "k" answers late (300 ms).
fn find_names() -> Callback<String, Found> {
    Callback::new(|q: String| -> Found {
        Box::pin(async move {
            if q == "k" {
                sleep(300).await;
            }
            let q = q.to_lowercase();
            Ok::<Vec<Suggestion>, ApiError>(
                NAMES
                    .iter()
                    .filter(|n| n.to_lowercase().starts_with(&q))
                    .map(|n| Suggestion {
                        id: n.to_lowercase(),
                        label: (*n).to_owned(),
                        detail: String::new(),
                    })
                    .collect(),
            )
        })
    })
}

/// How many searches went out (the debounce test).
static SEARCHES: AtomicUsize = AtomicUsize::new(0);

fn counting() -> Callback<String, Found> {
    Callback::new(|_q: String| -> Found {
        SEARCHES.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok::<Vec<Suggestion>, ApiError>(Vec::new()) })
    })
}

/// A combobox `cb` over `find`; the ids picked are recorded in the signal returned.
fn mount_combobox(find: Callback<String, Found>, multi: bool) -> (Mounted, RwSignal<Vec<String>>) {
    let slot: Rc<Cell<Option<RwSignal<Vec<String>>>>> = Rc::new(Cell::new(None));
    let out = slot.clone();
    let host = host();
    let handle = mount_to(host.clone(), move || {
        I18n::provide(Lang::En);
        let picked = RwSignal::new(Vec::<String>::new());
        out.set(Some(picked));
        let on_pick = Callback::new(move |s: Suggestion| picked.update(|p| p.push(s.id)));
        view! {
            <Combobox id="cb" find=find on_pick=on_pick multi=multi
                label=Signal::stored("Find".to_owned()) hint=Signal::stored("Type".to_owned()) />
        }
    });
    let picked = slot.get().expect("mounted");
    (
        Mounted {
            host,
            _handle: Box::new(handle),
        },
        picked,
    )
}

/// Press `key` in `el`; true when the combobox took it (prevented the default).
fn press(el: &HtmlInputElement, key: &str) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    !el.dispatch_event(&ev).expect("dispatched")
}

fn options(m: &Mounted) -> Vec<String> {
    let list = m
        .host
        .query_selector_all("#cb-list [role=option]")
        .expect("options");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|o| {
            o.unchecked_into::<web_sys::Element>()
                .query_selector(".combo-label")
                .ok()
                .flatten()
                .and_then(|l| l.text_content())
                .unwrap_or_default()
        })
        .collect()
}

/// Type and wait out the pause and the answer.
async fn type_and_wait(input: &HtmlInputElement, text: &str) {
    type_into(input, text);
    sleep(200).await;
    settle().await;
}

#[wasm_bindgen_test]
async fn arrow_keys_enter_and_escape_follow_the_combobox_pattern() {
    let (m, picked) = mount_combobox(find_names(), false);
    settle().await;
    let input = m.input("cb");
    assert_eq!(input.get_attribute("role").as_deref(), Some("combobox"));
    assert_eq!(m.attr("#cb", "aria-controls"), "cb-list");
    assert_eq!(m.attr("#cb", "aria-expanded"), "false");
    assert!(m.el("#cb-list").has_attribute("hidden"));
    type_and_wait(&input, "ka").await;
    assert_eq!(options(&m), ["Kari Nordmann", "Karl Johan"]);
    assert_eq!(m.attr("#cb", "aria-expanded"), "true");
    assert!(!m.el("#cb-list").has_attribute("hidden"));
    assert!(input.get_attribute("aria-activedescendant").is_none());
    // ↓ goes to the first, on to the last, and wraps; ↑ wraps back.
    assert!(press(&input, "ArrowDown"));
    settle().await;
    assert_eq!(m.attr("#cb", "aria-activedescendant"), "cb-opt-0");
    assert_eq!(m.attr("#cb-opt-0", "aria-selected"), "true");
    assert_eq!(m.attr("#cb-opt-1", "aria-selected"), "false");
    press(&input, "ArrowDown");
    press(&input, "ArrowDown");
    settle().await;
    assert_eq!(m.attr("#cb", "aria-activedescendant"), "cb-opt-0");
    press(&input, "ArrowUp");
    settle().await;
    assert_eq!(m.attr("#cb", "aria-activedescendant"), "cb-opt-1");
    // Enter picks the active one (never submitting a form around it) and closes the list.
    assert!(press(&input, "Enter"));
    settle().await;
    assert_eq!(picked.get_untracked(), ["karl johan"]);
    assert_eq!(m.attr("#cb", "aria-expanded"), "false");
    assert!(input.get_attribute("aria-activedescendant").is_none());
    assert_eq!(input.value(), "Karl Johan");
    // ↓ opens it again; Escape closes it, and a second Escape clears the text.
    press(&input, "ArrowDown");
    settle().await;
    assert_eq!(m.attr("#cb", "aria-expanded"), "true");
    assert!(press(&input, "Escape"));
    settle().await;
    assert_eq!(m.attr("#cb", "aria-expanded"), "false");
    assert!(press(&input, "Escape"));
    settle().await;
    assert_eq!(input.value(), "");
    // Enter with nothing active picks nothing; other keys are left to the input.
    assert!(press(&input, "Enter"));
    assert!(!press(&input, "a"));
    assert_eq!(picked.get_untracked().len(), 1);
}

#[wasm_bindgen_test]
async fn an_answer_to_older_typing_is_never_shown() {
    let (m, _) = mount_combobox(find_names(), false);
    settle().await;
    let input = m.input("cb");
    // "k" goes out after the pause and answers late; "kj" is typed meanwhile.
    type_into(&input, "k");
    sleep(150).await;
    type_and_wait(&input, "kj").await;
    assert_eq!(options(&m), ["Kjell Berg"]);
    sleep(300).await;
    settle().await;
    assert_eq!(
        options(&m),
        ["Kjell Berg"],
        "the late answer to \"k\" is dropped"
    );
    // Nothing found: said, and no empty list shown.
    type_and_wait(&input, "zz").await;
    assert_eq!(m.attr("#cb", "aria-expanded"), "false");
    assert!(m.text("[role=status]").contains("No matches"));
}

#[wasm_bindgen_test]
async fn typing_fast_sends_one_search() {
    let (m, _) = mount_combobox(counting(), false);
    settle().await;
    let input = m.input("cb");
    let before = SEARCHES.load(Ordering::SeqCst);
    for typed in ["k", "ka", "kar", "kari"] {
        type_into(&input, typed);
    }
    sleep(250).await;
    assert_eq!(SEARCHES.load(Ordering::SeqCst) - before, 1);
}

#[wasm_bindgen_test]
async fn the_picker_keeps_its_list_open_to_add_several() {
    let (m, picked) = mount_combobox(find_names(), true);
    settle().await;
    let input = m.input("cb");
    type_and_wait(&input, "ka").await;
    press(&input, "ArrowDown");
    press(&input, "Enter");
    press(&input, "ArrowDown");
    press(&input, "Enter");
    settle().await;
    assert_eq!(picked.get_untracked(), ["kari nordmann", "karl johan"]);
    assert_eq!(m.attr("#cb", "aria-expanded"), "true");
    assert_eq!(input.value(), "ka");
}

fn fjord() -> CustomerDetails {
    CustomerDetails {
        customer_type: Some(CustomerType::Corporate),
        country_code: Some("+47".into()),
        msisdn: Some("98765432".into()),
        email: Some("faktura@fjord.example".into()),
        first_name: None,
        name: "Fjordkraft Demo AS".into(),
        preferred_language: None,
        personal_number: None,
        organization_id: Some("998379342".into()),
        address: Address {
            street: "Kaia 3".into(),
            zip: "5003".into(),
            city: "Bergen".into(),
            country: "NO".into(),
        },
    }
}

#[wasm_bindgen_test]
async fn a_book_customer_fills_the_whole_block_and_a_product_adds_a_line() {
    let typed = OrderDraft::default()
        .with_text("customerDetails.name", "Somebody Else")
        .with_text("customerDetails.personalNumber", "01010012356");
    let (m, form) = mount_form(OrderKind::Invoice, typed);
    settle().await;
    let book = CustomerInput {
        customer_details: fjord(),
        notes: None,
    }
    .into_customer("cus_1".into(), "user:a", 1);
    form.fill_customer(&book.customer_details);
    settle().await;
    let value = |path: &str| m.input(&field_id(path)).value();
    assert_eq!(value("customerDetails.name"), "Fjordkraft Demo AS");
    assert_eq!(value("customerDetails.msisdn"), "98765432");
    assert_eq!(value("customerDetails.email"), "faktura@fjord.example");
    assert_eq!(value("customerDetails.address.city"), "Bergen");
    assert!(m.input("type-corporate").checked());
    // What the entry lacks is cleared, not left from before.
    assert_eq!(
        form.draft
            .with_untracked(|d| d.text("customerDetails.personalNumber").to_owned()),
        ""
    );
    // Still editable for this order.
    type_into(&m.input(&field_id("customerDetails.name")), "Fjordkraft AS");
    settle().await;
    assert_eq!(
        form.draft
            .with_untracked(|d| d.text("customerDetails.name").to_owned()),
        "Fjordkraft AS"
    );
    // A catalogue product replaces the untouched empty line, priced by core.
    let wash = ProductInput {
        name: "Hair Wash".into(),
        product_id: Some("VFDDF".into()),
        unit_price: Money(5100),
        tax: TaxRate::from_percent(25),
        discount: None,
        unit: None,
    }
    .into_product("prd_1".into(), "user:a", 1);
    let id = form.add_product_line(&wash).expect("a line");
    settle().await;
    assert_eq!(form.lines.with_untracked(Vec::len), 1);
    let line = form.line_product(id).expect("reads as a line");
    assert_eq!(
        (line.name.as_str(), line.amount),
        ("Hair Wash", Money(5100))
    );
    assert_eq!(ProductInput::from_line(&line).unit_price, Money(5100));
    form.add_product_line(&wash).expect("a second line");
    assert_eq!(form.lines.with_untracked(Vec::len), 2);
}
