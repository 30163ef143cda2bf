//! Small browser helpers: time, random ids, focus, clipboard.

use wasm_bindgen::JsCast;

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Unix seconds.
pub fn now_unix() -> i64 {
    (now_ms() / 1000.0) as i64
}

/// A random idempotency key: `crypto.randomUUID()`, or 128 random bits from `Math.random`
/// where that is missing (non-secure contexts).
pub fn random_key() -> String {
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let has = js_sys::Reflect::has(&crypto, &"randomUUID".into()).unwrap_or(false);
        if has {
            return crypto.random_uuid();
        }
    }
    let mut out = String::with_capacity(36);
    for i in 0..32 {
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        let nibble = (js_sys::Math::random() * 16.0) as u32 & 0xf;
        out.push(char::from_digit(nibble, 16).unwrap_or('0'));
    }
    out
}

/// Focus the element with this id (scrolling it into view); `true` if it exists.
pub fn focus_id(id: &str) -> bool {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return false;
    };
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
        return true;
    }
    false
}

/// Focus after the next frame, once the DOM has caught up with a state change.
pub fn focus_id_later(id: String) {
    leptos::prelude::request_animation_frame(move || {
        focus_id(&id);
    });
}

/// Copy text to the clipboard (best effort).
pub fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// `navigator.onLine`, true where unknown.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Run `f` every `ms` while the page is visible, until the calling owner is cleaned up (the
/// page is left). Live status is polling: the proxy learns of changes from callbacks and its
/// cron, the console asks it again.
pub fn every(ms: u64, f: impl Fn() + 'static) {
    let visible = || {
        web_sys::window()
            .and_then(|w| w.document())
            .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
    };
    let handle = leptos::prelude::set_interval_with_handle(
        move || {
            if visible() {
                f();
            }
        },
        std::time::Duration::from_millis(ms),
    );
    if let Ok(h) = handle {
        leptos::prelude::on_cleanup(move || h.clear());
    }
}

/// Offer `text` as a file download (`type` e.g. `text/csv;charset=utf-8`).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = leptos::prelude::document();
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Replace the address bar's query (filters as a shareable link) without a navigation.
pub fn replace_query(query: &str) {
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        );
    }
}

/// Only the newest of overlapping requests may paint (a fast typist's older searches answer
/// late): take a ticket before sending, paint only while it is still current.
#[derive(Clone, Copy)]
pub struct Latest(leptos::prelude::StoredValue<u32>);

impl Default for Latest {
    fn default() -> Self {
        Latest(leptos::prelude::StoredValue::new(0))
    }
}

impl Latest {
    pub fn ticket(self) -> u32 {
        use leptos::prelude::{GetValue, UpdateValue};
        self.0.update_value(|g| *g = g.wrapping_add(1));
        self.0.get_value()
    }
    /// False too once the page that took the ticket is gone: nothing is left to paint.
    pub fn is_current(self, ticket: u32) -> bool {
        use leptos::prelude::GetValue;
        self.0.try_get_value() == Some(ticket)
    }
}
