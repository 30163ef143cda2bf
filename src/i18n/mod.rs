//! Norwegian bokmål and English: the language signal, UI texts and validation messages keyed by
//! core's [`Code`] and parameters.

mod en;
mod nb;
mod words;

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
    /// An amount as it is typed into a field, which the entry parsers read back: nb
    /// `3 580,00` (spaces between thousands), en `3580.00` (a comma would read as decimals).
    pub fn amount_entry(self, m: Money) -> String {
        match self {
            Lang::Nb => m
                .format_nb()
                .trim_start_matches("kr")
                .trim_start_matches('\u{a0}')
                .replace('\u{a0}', " "),
            Lang::En => m.to_api_string(),
        }
    }
    /// A role's name.
    pub fn role(self, role: frontdesk_core::roles::Role) -> &'static str {
        use frontdesk_core::roles::Role;
        let t = self.texts();
        match role {
            Role::Viewer => t.role_viewer,
            Role::Clerk => t.role_clerk,
            Role::Admin => t.role_admin,
        }
    }
    /// `a`, `a and b`, `a, b and c`.
    pub fn join_and(self, items: &[&str]) -> String {
        match items {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [head @ .., last] => format!("{} {} {last}", head.join(", "), self.texts().and),
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
    /// A country's name: in nb core's Norwegian name, else the console's ([`words`]), else
    /// the English one where it is also the Norwegian one.
    pub fn country_name(self, c: &frontdesk_core::ids::country::Country) -> &'static str {
        match self {
            Lang::Nb => c
                .name_nb
                .or_else(|| words::nb_country_name(c.alpha2))
                .unwrap_or(c.name_en),
            Lang::En => c.name_en,
        }
    }
    /// A key that sorts names in this language's alphabetical order (nb: Æ, Ø, Å last).
    pub fn sort_key(self, name: &str) -> String {
        words::sort_key(self, name)
    }
    /// A calendar date (year, month, day): nb `15.01.2026`, en `15 Jan 2026`.
    pub fn date(self, ymd: (i64, u32, u32)) -> String {
        words::date(self, ymd)
    }
    /// A day on a chart axis: nb `15.01`, en `15 Jan`.
    pub fn short_date(self, ymd: (i64, u32, u32)) -> String {
        words::short_date(self, ymd)
    }
    /// An amount without øre when it has none, for axes: nb `kr 1 500`, en `NOK 1,500`.
    pub fn money_whole(self, m: Money) -> String {
        let full = self.money(m);
        let no_ore = match self {
            Lang::Nb => ",00",
            Lang::En => ".00",
        };
        let whole = full
            .strip_suffix(no_ore)
            .filter(|_| m.ore() % 100 == 0)
            .map(str::to_owned);
        whole.unwrap_or(full)
    }
    /// A whole number grouped in thousands as amounts are (core's grouping): nb `1 234`,
    /// en `1,234`.
    pub fn number(self, n: i64) -> String {
        let whole = self.money_whole(Money(n.saturating_abs().saturating_mul(100)));
        let digits = whole.trim_start_matches(|c: char| !c.is_ascii_digit());
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{digits}")
    }
    /// The calling-code select: (alpha-2, "Norge +47"), Norway first, then in this
    /// language's alphabetical order.
    pub fn calling_codes(self) -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = frontdesk_core::ids::phone::select_list()
            .filter_map(|c| {
                c.calling_code.map(|code| {
                    (
                        c.alpha2.to_owned(),
                        format!("{} {code}", self.country_name(c)),
                    )
                })
            })
            .collect();
        if let Some((_, rest)) = list.split_first_mut() {
            rest.sort_by_cached_key(|(_, label)| self.sort_key(label));
        }
        list
    }
    pub fn kind(self, kind: frontdesk_core::OrderKind) -> &'static str {
        use frontdesk_core::OrderKind as K;
        let t = self.texts();
        match kind {
            K::PaymentLink => t.kind_payment_link,
            K::Invoice => t.kind_invoice,
            K::EFaktura => t.kind_e_faktura,
            K::Ehf => t.kind_ehf,
        }
    }
    /// An order status in words.
    pub fn status(self, s: frontdesk_core::OrderStatus) -> &'static str {
        match self {
            Lang::Nb => nb::status(s),
            Lang::En => en::status(s),
        }
    }
    /// Where a batch stands, in words.
    pub fn job_state(self, s: frontdesk_core::batch::JobState) -> &'static str {
        use frontdesk_core::batch::JobState as S;
        let t = self.texts();
        match s {
            S::Draft => t.job_draft,
            S::Confirmed => t.job_confirmed,
            S::Running => t.job_running,
            S::Paused => t.job_paused,
            S::Done => t.job_done,
            S::Cancelled => t.job_cancelled,
        }
    }
    /// What became of one row of a batch, in words.
    pub fn row_state(self, s: frontdesk_core::batch::RowState) -> &'static str {
        use frontdesk_core::batch::RowState as S;
        let t = self.texts();
        match s {
            S::Invalid => t.row_invalid,
            S::Pending => t.row_pending,
            S::Sent => t.row_sent,
            S::Failed => t.row_failed,
            S::Skipped => t.row_skipped,
        }
    }
    /// The spreadsheet form of this language (core's: headers, separator, decimal mark), for
    /// templates and result files.
    pub const fn sheet(self) -> frontdesk_core::csv::Dialect {
        match self {
            Lang::Nb => frontdesk_core::csv::Dialect::Nb,
            Lang::En => frontdesk_core::csv::Dialect::En,
        }
    }
    /// A time of day per locale, hours and minutes (nb `14:05`, en `14:05`).
    pub fn time(self, unix_ms: f64) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms));
        let options = js_sys::Object::new();
        for key in ["hour", "minute"] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &"2-digit".into());
        }
        let locale = match self {
            Lang::Nb => "nb-NO",
            Lang::En => "en-GB",
        };
        date.to_locale_time_string_with_options(locale, &options)
            .as_string()
            .unwrap_or_default()
    }
    /// What an audit row's action did, in words (`createPaymentLink` → "Created payment link").
    pub fn action(self, name: &str) -> String {
        let endpoint = frontdesk_core::Endpoint::ALL
            .into_iter()
            .find(|e| e.name() == name);
        match (endpoint, self) {
            (Some(e), Lang::Nb) => nb::endpoint(e).to_owned(),
            (Some(e), Lang::En) => en::endpoint(e).to_owned(),
            (None, _) if name == "callback" => self.texts().callback_event.to_owned(),
            (None, _) => name.to_owned(),
        }
    }
    /// An API answer's `message` in words a merchant understands (the wire name if unknown).
    pub fn api_message(self, wire: &str) -> String {
        let known = frontdesk_core::ApiMessage::ALL
            .iter()
            .find(|m| m.as_str() == wire)
            .and_then(|m| match self {
                Lang::Nb => nb::message(*m),
                Lang::En => en::message(*m),
            });
        known.map_or_else(|| wire.to_owned(), str::to_owned)
    }
    /// The text of a key of core's field table (a label or a help text); the key itself when
    /// this language has none.
    pub fn field(self, key: &'static str) -> &'static str {
        let text = match self {
            Lang::Nb => nb::field(key),
            Lang::En => en::field(key),
        };
        text.unwrap_or(key)
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

/// The word for `n` things: `one` for exactly one, else `many` (nb and en alike).
pub const fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
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
    /// A page's code did not arrive (split build, offline or a new release deployed).
    pub page_load_failed: &'static str,
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
    pub order_title: &'static str,
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
    pub city: &'static str,
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
    pub invoice_interval: &'static str,
    pub interval_daily: &'static str,
    pub interval_monthly: &'static str,
    pub interval_twice: &'static str,
    pub invoice_maturity: &'static str,
    pub days: &'static str,
    pub references_legend: &'static str,
    pub reference_no: &'static str,
    pub customer_reference: &'static str,
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
    /// Front Payment answered 429: `{s}` seconds until the same request goes again.
    pub busy_retrying: &'static str,
    /// A create still busy after the automatic retries.
    pub err_busy: &'static str,
    /// A follow-up action (or read) still busy after the automatic retries.
    pub err_busy_action: &'static str,
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
    // the create form (issue 14)
    /// "line" after 1 (`line_count` after other numbers).
    pub line_count_one: &'static str,
    /// Label of a line's kr / % choice for its discount.
    pub discount_unit: &'static str,
    /// The kr choice of that select.
    pub discount_in_kr: &'static str,
    pub warnings_title: &'static str,
    pub send_anyway_question: &'static str,
    pub send_anyway: &'static str,
    pub back_to_form: &'static str,
    pub draft_discarded: &'static str,
    pub undo: &'static str,
    pub due_date: &'static str,
    // following up
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub status_filter_label: &'static str,
    pub status_all: &'static str,
    pub status_unknown: &'static str,
    pub sort_label: &'static str,
    pub sort_newest: &'static str,
    pub sort_oldest: &'static str,
    pub sort_amount_desc: &'static str,
    pub sort_amount_asc: &'static str,
    pub col_order: &'static str,
    pub col_customer: &'static str,
    pub col_kind: &'static str,
    pub col_contact: &'static str,
    pub col_reference: &'static str,
    pub col_status: &'static str,
    pub col_created: &'static str,
    /// CSV: the invoice's due date, and the customer's org. or (masked) personal number.
    pub col_due_date: &'static str,
    pub col_national_id: &'static str,
    pub orders_count: &'static str,
    pub no_orders: &'static str,
    pub next_page: &'static str,
    pub prev_page: &'static str,
    pub export_csv: &'static str,
    pub exporting: &'static str,
    pub exported: &'static str,
    pub sync_now: &'static str,
    pub synced: &'static str,
    pub status_only: &'static str,
    pub live_note: &'static str,
    pub back_to_orders: &'static str,
    pub products_title: &'static str,
    pub customer_title: &'static str,
    pub order_facts: &'static str,
    pub link_due: &'static str,
    pub invoice_number: &'static str,
    pub order_amount: &'static str,
    pub refunded_amount: &'static str,
    pub left_to_refund: &'static str,
    pub timeline_title: &'static str,
    pub timeline_empty: &'static str,
    pub callback_event: &'static str,
    pub replayed: &'static str,
    pub by: &'static str,
    pub actions_title: &'static str,
    pub no_actions: &'static str,
    pub viewer_no_actions: &'static str,
    pub action_resend: &'static str,
    pub action_cancel: &'static str,
    pub action_refund: &'static str,
    pub action_delayed_charge: &'static str,
    pub confirm: &'static str,
    pub back: &'static str,
    pub working: &'static str,
    pub resend_stored: &'static str,
    pub resend_new: &'static str,
    pub resend_confirm: &'static str,
    pub resend_done: &'static str,
    pub cancel_note: &'static str,
    pub cancel_confirm: &'static str,
    pub cancel_done: &'static str,
    pub refund_intro: &'static str,
    pub refund_left: &'static str,
    pub refund_fill_all: &'static str,
    pub refund_total: &'static str,
    pub refund_type_regular: &'static str,
    pub refund_type_invoiced: &'static str,
    pub refund_confirm: &'static str,
    pub refund_more_than_left: &'static str,
    pub refund_nothing: &'static str,
    pub refund_done: &'static str,
    pub refund_elsewhere: &'static str,
    pub delayed_confirm: &'static str,
    pub delayed_done: &'static str,
    pub sandbox_title: &'static str,
    pub sandbox_note: &'static str,
    pub sim_paid: &'static str,
    pub sim_reserved: &'static str,
    pub sim_invoiced: &'static str,
    pub sim_expired: &'static str,
    pub sim_reminder: &'static str,
    pub sim_debt: &'static str,
    pub clock_advance: &'static str,
    pub clock_moved: &'static str,
    pub nav_activity: &'static str,
    pub activity_title: &'static str,
    pub filter_user: &'static str,
    pub filter_action: &'static str,
    pub filter_order: &'static str,
    pub apply_filter: &'static str,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_what: &'static str,
    pub col_result: &'static str,
    pub activity_empty: &'static str,
    pub load_more: &'static str,
    pub any: &'static str,
    pub err_load: &'static str,
    pub err_order_not_found: &'static str,
    pub err_refused: &'static str,
    // the first day of following up (issue 14)
    /// One order ([`plural`] of `orders_count`).
    pub order_one: &'static str,
    pub proxy_connected_sandbox: &'static str,
    /// `{role}`, `{may}` (a list of `may_*`).
    pub reason_role: &'static str,
    /// `{who}` (`ask_*`), `{what}` (a list of `to_*`).
    pub reason_ask: &'static str,
    pub may_view: &'static str,
    pub may_create: &'static str,
    pub may_resend: &'static str,
    pub may_cancel: &'static str,
    pub may_refund: &'static str,
    pub may_charge: &'static str,
    pub ask_clerk: &'static str,
    pub ask_admin: &'static str,
    pub to_resend: &'static str,
    pub to_cancel: &'static str,
    pub to_refund: &'static str,
    pub to_charge: &'static str,
    /// The last joint of a list.
    pub and: &'static str,
    pub link_expired: &'static str,
    /// Before whom a link was resent to.
    pub resent_to: &'static str,
    pub api_key: &'static str,
    pub cancellation_note: &'static str,
    pub note_title: &'static str,
    pub note_hint: &'static str,
    pub note_save: &'static str,
    pub note_saved: &'static str,
    pub note_empty: &'static str,
    pub note_unavailable: &'static str,
    /// An internal note was written (timeline, activity).
    pub note_event: &'static str,
    pub duplicate: &'static str,
    pub duplicate_pending: &'static str,
    pub print: &'static str,
    // users, the own account and signing out (issue 15)
    /// Header: the Users page (admins).
    pub nav_users: &'static str,
    /// Header: the signed-in user's own account page.
    pub nav_account: &'static str,
    pub users_title: &'static str,
    pub users_admin_only: &'static str,
    pub add_user_title: &'static str,
    pub add_user_hint: &'static str,
    pub role_label: &'static str,
    pub add_user: &'static str,
    pub col_last_sign_in: &'static str,
    pub col_actions: &'static str,
    /// No sign-in yet.
    pub never: &'static str,
    pub status_active: &'static str,
    pub status_disabled: &'static str,
    /// After the signed-in user's own name in the list.
    pub you: &'static str,
    /// `{user}`: the role select's label.
    pub role_of: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub reset_password: &'static str,
    /// Opens a user's sessions and API keys.
    pub show_access: &'static str,
    /// `{user}`.
    pub confirm_disable: &'static str,
    /// `{user}`.
    pub confirm_reset: &'static str,
    pub confirm_revoke_session: &'static str,
    pub confirm_revoke_key: &'static str,
    /// `{user}`.
    pub user_added: &'static str,
    /// `{user}`, `{role}`.
    pub role_changed: &'static str,
    /// `{user}`.
    pub user_disabled: &'static str,
    /// `{user}`.
    pub user_enabled: &'static str,
    /// `{user}`.
    pub password_reset_done: &'static str,
    /// `{user}`.
    pub issued_title: &'static str,
    /// `{user}`.
    pub issued_warning: &'static str,
    pub issued_done: &'static str,
    /// `{user}`.
    pub sessions_title: &'static str,
    /// `{user}`.
    pub keys_title: &'static str,
    pub col_started: &'static str,
    pub col_last_seen: &'static str,
    pub col_user_agent: &'static str,
    pub col_address: &'static str,
    pub col_key: &'static str,
    pub this_session: &'static str,
    pub revoke_session: &'static str,
    pub revoke_key: &'static str,
    pub key_revoked_state: &'static str,
    pub session_revoked: &'static str,
    pub key_revoked: &'static str,
    pub no_sessions: &'static str,
    pub no_keys: &'static str,
    pub close: &'static str,
    pub account_title: &'static str,
    pub change_password_title: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub new_password_hint: &'static str,
    pub change_password: &'static str,
    pub current_password_required: &'static str,
    pub password_changed: &'static str,
    pub password_not_changed: &'static str,
    pub sign_out_everywhere: &'static str,
    pub sign_out_everywhere_hint: &'static str,
    pub sign_out_title: &'static str,
    pub sign_out_everywhere_question: &'static str,
    pub unsent_drafts: &'static str,
    pub unsent_question: &'static str,
    pub keep_drafts: &'static str,
    pub discard_drafts: &'static str,
    pub stay_signed_in: &'static str,
    pub signing_out: &'static str,
    /// A draft without a customer name yet.
    pub draft_unnamed: &'static str,
    // overview and VAT report (issue 20)
    pub nav_overview: &'static str,
    pub nav_vat: &'static str,
    pub overview_title: &'static str,
    pub period_label: &'static str,
    pub period_this_month: &'static str,
    pub period_last_month: &'static str,
    pub period_vat_term: &'static str,
    pub period_custom: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    pub show_period: &'static str,
    pub period_bad_date: &'static str,
    pub period_reversed: &'static str,
    pub period_too_long: &'static str,
    pub compared_with: &'static str,
    pub money_in_title: &'static str,
    pub figure_paid: &'static str,
    pub figure_refunded: &'static str,
    pub figure_net: &'static str,
    pub orders_figures_title: &'static str,
    pub figure_sent: &'static str,
    pub figure_outstanding: &'static str,
    pub figure_outstanding_amount: &'static str,
    pub previous_period: &'static str,
    pub no_change: &'static str,
    pub chart_paid_day: &'static str,
    pub chart_paid_week: &'static str,
    pub col_day: &'static str,
    pub col_week: &'static str,
    pub chart_by_status: &'static str,
    pub col_count: &'static str,
    pub show_table: &'static str,
    pub owed_title: &'static str,
    pub owed_intro: &'static str,
    pub col_age: &'static str,
    pub age_0_14: &'static str,
    pub age_15_30: &'static str,
    pub age_31_60: &'static str,
    pub age_over_60: &'static str,
    pub callout_title: &'static str,
    pub top_customers_title: &'static str,
    pub no_figures: &'static str,
    pub vat_title: &'static str,
    pub vat_intro: &'static str,
    pub vat_mode_term: &'static str,
    pub vat_year: &'static str,
    pub vat_months: &'static str,
    pub basis_label: &'static str,
    pub basis_order_date: &'static str,
    pub basis_payment_date: &'static str,
    pub vat_col_rate: &'static str,
    pub vat_col_base: &'static str,
    pub vat_col_vat: &'static str,
    pub vat_col_refunded_base: &'static str,
    pub vat_col_refunded_vat: &'static str,
    pub vat_col_net_base: &'static str,
    pub vat_col_net_vat: &'static str,
    pub vat_total: &'static str,
    pub vat_none: &'static str,
    pub filter_created: &'static str,
    pub clear_filter: &'static str,
    // send to many (issue 19)
    /// Header: the batches (send to many).
    pub nav_batches: &'static str,
    /// Header, while one batch sends.
    pub batches_running_one: &'static str,
    /// Header, while `{n}` batches send.
    pub batches_running: &'static str,
    pub batches_title: &'static str,
    pub batches_intro: &'static str,
    pub new_batch: &'static str,
    pub no_batches: &'static str,
    pub col_batch: &'static str,
    pub col_progress: &'static str,
    pub col_row: &'static str,
    pub col_errors: &'static str,
    pub job_draft: &'static str,
    pub job_confirmed: &'static str,
    pub job_running: &'static str,
    pub job_paused: &'static str,
    pub job_done: &'static str,
    pub job_cancelled: &'static str,
    pub row_invalid: &'static str,
    pub row_pending: &'static str,
    pub row_sent: &'static str,
    pub row_failed: &'static str,
    pub row_skipped: &'static str,
    /// `{done}` rows of `{total}` finished.
    pub progress_of: &'static str,
    /// `{sent}`, `{failed}`, `{left}`.
    pub progress_counts: &'static str,
    /// `{n}` rows not sent because the batch was stopped.
    pub progress_skipped: &'static str,
    /// `{time}`: the estimated finish, in the locale's time format.
    pub eta: &'static str,
    pub new_batch_title: &'static str,
    pub batch_name: &'static str,
    pub batch_name_hint: &'static str,
    pub way_legend: &'static str,
    pub way_orders: &'static str,
    pub way_orders_hint: &'static str,
    pub way_customers: &'static str,
    pub way_customers_hint: &'static str,
    pub template_legend: &'static str,
    pub template_hint: &'static str,
    pub template_nb: &'static str,
    pub template_en: &'static str,
    pub file_legend: &'static str,
    pub upload_label: &'static str,
    pub paste_label: &'static str,
    pub file_needed: &'static str,
    pub batch_lines_legend: &'static str,
    pub check_orders: &'static str,
    pub checking_orders: &'static str,
    pub preview_title: &'static str,
    /// `{valid}` of `{orders}` orders, `{amount}` in all.
    pub preview_totals: &'static str,
    pub left_out_note: &'static str,
    /// `{line}`, `{column}`: where an issue is in the file.
    pub issue_at: &'static str,
    pub will_be_sent: &'static str,
    pub fix: &'static str,
    pub fix_label: &'static str,
    pub fix_save: &'static str,
    /// `{n}`: the orders the confirm sends.
    pub confirm_send: &'static str,
    pub nothing_to_send: &'static str,
    pub csv_empty: &'static str,
    pub csv_no_rows: &'static str,
    /// `{column}`.
    pub csv_unknown_column: &'static str,
    /// `{column}`.
    pub csv_duplicate_column: &'static str,
    /// `{column}`.
    pub csv_wrong_column: &'static str,
    /// `{column}`.
    pub csv_missing_column: &'static str,
    /// `{line}`.
    pub csv_extra_cells: &'static str,
    /// `{max}`.
    pub csv_too_many_rows: &'static str,
    /// `{detail}`: the CSV reader's own words.
    pub csv_unreadable: &'static str,
    pub back_to_batches: &'static str,
    pub batch_runs_at_edge: &'static str,
    pub batch_not_confirmed: &'static str,
    pub confirm_batch: &'static str,
    pub pause: &'static str,
    pub resume: &'static str,
    pub stop_batch: &'static str,
    pub stop_question: &'static str,
    pub batch_moved_on: &'static str,
    pub rows_title: &'static str,
    pub result_nb: &'static str,
    pub result_en: &'static str,
    /// The six two-month VAT terms, January–February first.
    pub vat_terms: [&'static str; 6],
    /// The customer book, the catalogue and their use in the order form (issue 18).
    pub book: BookTexts,
}

/// The texts of the customer book and the product catalogue: their pages, the CSV import and
/// the order form's type-ahead and picker. `{…}` marks what is filled in.
pub struct BookTexts {
    pub nav_customers: &'static str,
    pub nav_products: &'static str,
    pub customers_title: &'static str,
    pub products_title: &'static str,
    pub search_customers: &'static str,
    pub search_customers_hint: &'static str,
    pub search_products: &'static str,
    pub search_products_hint: &'static str,
    pub shown_label: &'static str,
    pub shown_active: &'static str,
    pub shown_archived: &'static str,
    pub shown_all: &'static str,
    pub more: &'static str,
    pub count_shown: &'static str,
    pub no_customers: &'static str,
    pub no_products: &'static str,
    pub export_shown: &'static str,
    pub import_csv: &'static str,
    pub read_only: &'static str,
    pub archived_badge: &'static str,
    pub archive: &'static str,
    pub unarchive: &'static str,
    pub edit: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub saved: &'static str,
    pub back_to_customers: &'static str,
    pub back_to_products: &'static str,
    pub customer_title: &'static str,
    pub contact_title: &'static str,
    pub type_private: &'static str,
    pub type_corporate: &'static str,
    pub language_none: &'static str,
    pub changed_at: &'static str,
    pub new_order_for: &'static str,
    pub orders_title: &'static str,
    pub orders_note: &'static str,
    pub no_orders: &'static str,
    pub totals_title: &'static str,
    pub total_sent: &'static str,
    pub total_paid: &'static str,
    pub total_outstanding: &'static str,
    pub total_refunded: &'static str,
    pub privacy_title: &'static str,
    pub privacy_intro: &'static str,
    pub export_json: &'static str,
    pub show_export: &'static str,
    pub export_exported_at: &'static str,
    pub export_audit: &'static str,
    pub erase: &'static str,
    pub erase_question: &'static str,
    pub erased: &'static str,
    pub new_product: &'static str,
    pub new_customer: &'static str,
    pub edit_product: &'static str,
    pub product_saved: &'static str,
    pub import_customers_title: &'static str,
    pub import_products_title: &'static str,
    pub import_intro: &'static str,
    pub import_file: &'static str,
    pub import_paste: &'static str,
    pub import_check: &'static str,
    pub col_line: &'static str,
    pub col_entry: &'static str,
    pub col_check: &'static str,
    pub accept_line: &'static str,
    pub row_ok: &'static str,
    pub import_accepted: &'static str,
    pub import_all_or_nothing: &'static str,
    pub import_done: &'static str,
    pub action_created: &'static str,
    pub action_updated: &'static str,
    pub action_ambiguous: &'static str,
    pub no_rows: &'static str,
    pub find_customer: &'static str,
    pub find_customer_hint: &'static str,
    pub customer_filled: &'static str,
    pub add_to_list: &'static str,
    pub add_to_list_hint: &'static str,
    pub customer_listed: &'static str,
    pub find_product: &'static str,
    pub find_product_hint: &'static str,
    pub product_added: &'static str,
    pub save_to_catalogue: &'static str,
    pub saved_to_catalogue: &'static str,
    pub line_unreadable: &'static str,
    pub suggestions: &'static str,
    pub no_suggestions: &'static str,
}

/// A text of the table, reactive to the language. Every call returns the same closure type,
/// so the whole console shares one text-node renderer (wasm size).
pub fn tx(
    f: fn(&Texts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || f(i18n.t())
}

#[cfg(test)]
mod tests {
    use frontdesk_core::draft::fields::{FIELDS, LINE_FIELDS};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Every label and help key of core's field table has its text in both languages: a new
    /// row without its two lines fails here, not blank on the page.
    #[wasm_bindgen_test(unsupported = test)]
    fn every_key_of_the_field_table_has_its_words() {
        let keys = FIELDS
            .iter()
            .flat_map(|f| [Some(f.label), f.help])
            .flatten()
            .chain(LINE_FIELDS.iter().map(|f| f.label));
        for key in keys {
            assert!(super::nb::field(key).is_some(), "{key} in nb.rs");
            assert!(super::en::field(key).is_some(), "{key} in en.rs");
        }
    }
}
