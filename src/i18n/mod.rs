//! Norwegian bokmål and English: the language signal, UI texts and validation messages keyed by
//! core's [`Code`] and parameters.

mod en;
mod nb;

use frontdesk_core::money::{Money, parse_hundredths};
use frontdesk_core::validate::Issue;
use leptos::prelude::*;

use crate::storage;

const LANG_KEY: &str = "frontdesk.lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Nb,
    En,
}

impl Lang {
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("nb") || s.starts_with("nn") || s.starts_with("no") {
            Some(Lang::Nb)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
    pub const fn texts(self) -> &'static Texts {
        match self {
            Lang::Nb => &nb::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }
    /// An amount per locale (core's formatting).
    pub fn money(self, m: Money) -> String {
        match self {
            Lang::Nb => m.format_nb(),
            Lang::En => m.format_en(),
        }
    }
    /// A date and time per locale.
    pub fn datetime(self, unix_ms: f64) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms));
        let locale = match self {
            Lang::Nb => "nb-NO",
            Lang::En => "en-GB",
        };
        date.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED)
            .as_string()
            .unwrap_or_default()
    }
    /// A validation message in this language.
    pub fn issue(self, issue: &Issue) -> String {
        match self {
            Lang::Nb => nb::issue(issue),
            Lang::En => en::issue(issue),
        }
    }
}

/// The language chosen before (localStorage), else the browser's, else English.
pub fn initial_lang() -> Lang {
    if let Some(saved) = storage::get(LANG_KEY).and_then(|s| Lang::parse(&s)) {
        return saved;
    }
    let nav = window().navigator();
    let mut candidates: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if let Some(l) = nav.language() {
        candidates.insert(0, l);
    }
    candidates
        .iter()
        .find_map(|c| Lang::parse(c))
        .unwrap_or(Lang::En)
}

/// The app-wide language: a context signal, persisted and mirrored to `<html lang>`.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn provide(initial: Lang) -> I18n {
        let signal = RwSignal::new(initial);
        Effect::new(move |_| {
            let lang = signal.get();
            storage::set(LANG_KEY, lang.code());
            if let Some(html) = document().document_element() {
                let _ = html.set_attribute("lang", lang.code());
            }
        });
        let i18n = I18n(signal);
        provide_context(i18n);
        i18n
    }
    pub fn get(self) -> Lang {
        self.0.get()
    }
    pub fn t(self) -> &'static Texts {
        self.0.get().texts()
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n::provide(initial_lang()))
}

/// Formats a `max`/`expected` parameter: amounts like `400.00` per locale, others as they are.
pub(crate) fn amount_param(lang: Lang, p: Option<&str>) -> String {
    let p = p.unwrap_or_default();
    if p.contains('.')
        && let Ok(h) = parse_hundredths(p)
    {
        return lang.money(Money(h));
    }
    p.to_owned()
}

/// Every text of the interface, per language.
pub struct Texts {
    pub skip_to_content: &'static str,
    pub tagline: &'static str,
    pub nav_label: &'static str,
    pub nav_new_order: &'static str,
    pub nav_orders: &'static str,
    pub language_label: &'static str,
    pub switch_to: &'static str,
    pub switch_to_lang: &'static str,
    pub signed_in_as: &'static str,
    pub sign_out: &'static str,
    pub role_viewer: &'static str,
    pub role_clerk: &'static str,
    pub role_admin: &'static str,
    pub proxy_connecting: &'static str,
    pub proxy_connected: &'static str,
    pub proxy_unreachable: &'static str,
    pub loading: &'static str,
    pub not_found: &'static str,
    // login
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub login_bad_credentials: &'static str,
    pub login_locked: &'static str,
    pub login_failed: &'static str,
    pub login_required_fields: &'static str,
    // orders page
    pub orders_title: &'static str,
    pub orders_placeholder: &'static str,
    pub order_title: &'static str,
    pub order_placeholder: &'static str,
    // new order
    pub new_order_title: &'static str,
    pub kind_legend: &'static str,
    pub kind_payment_link: &'static str,
    pub kind_invoice: &'static str,
    pub kind_e_faktura: &'static str,
    pub kind_ehf: &'static str,
    pub kind_payment_link_hint: &'static str,
    pub kind_invoice_hint: &'static str,
    pub kind_e_faktura_hint: &'static str,
    pub kind_ehf_hint: &'static str,
    pub viewer_cannot_create: &'static str,
    pub customer_legend: &'static str,
    pub customer_type: &'static str,
    pub private: &'static str,
    pub corporate: &'static str,
    pub e_faktura_private_only: &'static str,
    pub ehf_corporate_only: &'static str,
    pub name: &'static str,
    pub first_name: &'static str,
    pub phone: &'static str,
    pub calling_code: &'static str,
    pub phone_number: &'static str,
    pub email: &'static str,
    pub contact_either_hint: &'static str,
    pub personal_number: &'static str,
    pub organization_id: &'static str,
    pub address_legend: &'static str,
    pub street: &'static str,
    pub zip: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    pub preferred_language: &'static str,
    pub optional: &'static str,
    pub products_legend: &'static str,
    pub line: &'static str,
    pub product_name: &'static str,
    pub product_id: &'static str,
    pub quantity: &'static str,
    pub rate: &'static str,
    pub rate_hint: &'static str,
    pub discount: &'static str,
    pub tax: &'static str,
    pub amount: &'static str,
    pub add_line: &'static str,
    pub remove_line: &'static str,
    pub duplicate_line: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub line_count: &'static str,
    pub summary_legend: &'static str,
    pub sub_total: &'static str,
    pub total_tax: &'static str,
    pub total_discount: &'static str,
    pub grand_total: &'static str,
    pub summary_note: &'static str,
    pub options_legend: &'static str,
    pub send_by_sms: &'static str,
    pub send_by_email: &'static str,
    pub invoice_as_payment_option: &'static str,
    pub secure_details: &'static str,
    pub invoice_interval: &'static str,
    pub interval_daily: &'static str,
    pub interval_monthly: &'static str,
    pub interval_twice: &'static str,
    pub invoice_maturity: &'static str,
    pub days: &'static str,
    pub invoice_fee: &'static str,
    pub separate_invoices: &'static str,
    pub references_legend: &'static str,
    pub reference_no: &'static str,
    pub customer_reference: &'static str,
    pub callback_url: &'static str,
    pub callback_note: &'static str,
    pub order_date: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub discard_draft: &'static str,
    pub pending_notice: &'static str,
    pub draft_saved: &'static str,
    pub draft_restored: &'static str,
    pub errors_title: &'static str,
    pub warning_prefix: &'static str,
    pub error_prefix: &'static str,
    pub server_rejected: &'static str,
    pub retry: &'static str,
    pub err_network: &'static str,
    pub err_offline: &'static str,
    pub err_timeout: &'static str,
    pub err_server: &'static str,
    pub err_in_flight: &'static str,
    pub err_key_reused: &'static str,
    pub err_unauthorized: &'static str,
    pub err_forbidden: &'static str,
    pub err_other: &'static str,
    // done
    pub done_title: &'static str,
    pub done_replayed: &'static str,
    pub order_uuid: &'static str,
    pub customer_uuid: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub sent_sms_to: &'static str,
    pub sent_email_to: &'static str,
    pub sent_not_notified: &'static str,
    pub invoice_delivered_to: &'static str,
    pub efaktura_to: &'static str,
    pub ehf_to: &'static str,
    pub created_at: &'static str,
    pub view_order: &'static str,
    pub create_another: &'static str,
    pub new_blank_order: &'static str,
}

/// A text of the table, reactive to the language. Every call returns the same closure type,
/// so the whole console shares one text-node renderer (wasm size).
pub fn tx(
    f: fn(&Texts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || f(i18n.t())
}
