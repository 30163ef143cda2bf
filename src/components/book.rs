//! What the customer book's and the catalogue's pages share: which shelf, the spreadsheet
//! layout of the language, a field's name by core's CSV columns, a customer or product in one
//! line, the active/archived filter and the words for a refusal.

use std::collections::BTreeMap;

use frontdesk_core::book::csv::{CUSTOMER_COLUMNS, Column, PRODUCT_COLUMNS};
use frontdesk_core::csv::Dialect;
use frontdesk_core::validate::{FieldErrors, Issue, Report};
use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::api::{ApiError, Customer, Product, ProductInput, Shown};
use crate::components::notice::error_text;
use crate::components::table::Text;
use crate::follow_up::contact_line;
use crate::form::field_label;
use crate::i18n::{Lang, tx, use_i18n};
use crate::server_errors::{ErrorText, Placed};
use crate::util;

/// The customer book or the product catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Customers,
    Products,
}

impl Shelf {
    /// Its page (`/customers`, `/products`).
    pub const fn page(self) -> &'static str {
        match self {
            Shelf::Customers => "/customers",
            Shelf::Products => "/products",
        }
    }

    /// The word its list's DOM ids start with (`customer-list-search`, `product-shown`).
    pub const fn key(self) -> &'static str {
        match self {
            Shelf::Customers => "customer",
            Shelf::Products => "product",
        }
    }

    /// Its search box's label and hint.
    fn search_texts(self) -> (Text, Text) {
        match self {
            Shelf::Customers => (
                |t| t.book.search_customers,
                |t| t.book.search_customers_hint,
            ),
            Shelf::Products => (|t| t.book.search_products, |t| t.book.search_products_hint),
        }
    }

    /// The test ids of its pager's count and "Show more" (the book's list has them).
    const fn pager_testids(self) -> (Option<&'static str>, Option<&'static str>) {
        match self {
            Shelf::Customers => (Some("customers-shown"), Some("more-customers")),
            Shelf::Products => (None, None),
        }
    }

    /// Its CSV columns (core's), which also name its fields.
    pub const fn columns(self) -> &'static [Column] {
        match self {
            Shelf::Customers => &CUSTOMER_COLUMNS,
            Shelf::Products => &PRODUCT_COLUMNS,
        }
    }
}

/// The spreadsheet layout of the console's language (`;` and `1234,50`, or `,` and `1234.50`).
pub const fn dialect(lang: Lang) -> Dialect {
    match lang {
        Lang::Nb => Dialect::Nb,
        Lang::En => Dialect::En,
    }
}

/// A column's header in this language.
pub const fn column_label(lang: Lang, column: &Column) -> &'static str {
    match lang {
        Lang::Nb => column.nb,
        Lang::En => column.en,
    }
}

/// The name of the field at `path` of a shelf: its CSV header, else the order form's label
/// (an import's `rows.…` and the like as they are).
pub fn field_name(lang: Lang, shelf: Shelf, path: &str) -> String {
    shelf.columns().iter().find(|c| c.key == path).map_or_else(
        || field_label(lang, path),
        |c| column_label(lang, c).to_owned(),
    )
}

/// Keyed issues (a preview row's, or a 417's) in words, one `Field: message` each.
pub fn issues_text(lang: Lang, shelf: Shelf, fields: &FieldErrors) -> Vec<String> {
    frontdesk_core::proxy::field_issues(fields)
        .iter()
        .map(|i| format!("{}: {}", field_name(lang, shelf, &i.field), lang.issue(i)))
        .collect()
}

/// Why a write failed, in words: a 417's messages with their fields, else the error's text.
pub fn failure_text(lang: Lang, shelf: Shelf, e: &ApiError) -> String {
    let ApiError::Validation(placed) = e else {
        return error_text(lang, e);
    };
    let said: Vec<String> = placed
        .iter()
        .flat_map(|(path, texts)| {
            texts.iter().map(move |t| {
                let message = match t {
                    ErrorText::Issue(i) => lang.issue(i),
                    ErrorText::Server(s) => s.clone(),
                };
                if path.is_empty() {
                    message
                } else {
                    format!("{}: {message}", field_name(lang, shelf, path))
                }
            })
        })
        .collect();
    if said.is_empty() {
        error_text(lang, e)
    } else {
        said.join(" ")
    }
}

/// A customer's phone and email in one line (`+47 46567468, kari@example.no`).
pub fn customer_contact(c: &Customer) -> String {
    let d = &c.customer_details;
    contact_line(
        d.country_code.as_deref(),
        d.msisdn.as_deref(),
        d.email.as_deref(),
    )
}

/// A product input in one line: name, product id, price in the language's money, VAT.
pub fn product_input_line(lang: Lang, p: &ProductInput) -> String {
    let mut parts = vec![p.name.clone()];
    parts.extend(p.product_id.clone());
    parts.push(lang.money(p.unit_price));
    parts.push(format!("{} %", p.tax));
    parts.join(" · ")
}

/// A catalogue product's second line beside its name: product id, price, VAT.
pub fn product_line(lang: Lang, p: &Product) -> String {
    let mut parts: Vec<String> = p.product_id.iter().cloned().collect();
    parts.push(lang.money(p.unit_price));
    parts.push(format!("{} %", p.tax));
    parts.join(" · ")
}

/// The text at a dotted path of a JSON value (`customerDetails.address.zip`); empty when
/// absent or not text.
pub fn text_at(v: &Value, path: &str) -> String {
    match path.split('.').try_fold(v, |v, k| v.get(k)) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Put `text` at a dotted path, making the objects on the way (a body as the API reads it).
pub fn put_at(root: &mut Map<String, Value>, path: &str, text: &str) {
    match path.split_once('.') {
        None => {
            root.insert(path.to_owned(), Value::String(text.to_owned()));
        }
        Some((head, rest)) => {
            let inner = root
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                put_at(inner, rest, text);
            }
        }
    }
}

/// Core's verdict on a body: its errors and warnings as one report.
pub fn verdict<T>(checked: Result<frontdesk_core::validate::Validated<T>, Report>) -> Report {
    match checked {
        Ok(v) => Report {
            errors: Vec::new(),
            warnings: v.warnings,
        },
        Err(r) => r,
    }
}

/// An edit form of a shelf's entry (a customer's details, a product): the texts typed by
/// field path, core's report on the body they make, a 417's messages, whether a save was
/// tried (errors show from then on; warnings always), and its controls' id prefix.
#[derive(Clone, Copy)]
pub struct EditForm {
    pub texts: RwSignal<BTreeMap<String, String>>,
    pub report: Memo<Report>,
    pub server: RwSignal<Placed>,
    pub submitted: RwSignal<bool>,
    pub prefix: &'static str,
}

impl EditForm {
    /// A form over `texts`, checked by `check` on every change.
    pub fn new(
        prefix: &'static str,
        texts: BTreeMap<String, String>,
        check: fn(&BTreeMap<String, String>) -> Report,
    ) -> EditForm {
        let texts = RwSignal::new(texts);
        EditForm {
            texts,
            report: Memo::new(move |_| texts.with(check)),
            server: RwSignal::new(Placed::new()),
            submitted: RwSignal::new(false),
            prefix,
        }
    }

    /// The DOM id of the control of `key`.
    pub fn id(self, key: &str) -> String {
        format!("{}-{}", self.prefix, key.replace('.', "-"))
    }

    /// A save was tried: the body `of` the texts when the rules accept them; else `None`, the
    /// errors shown and the first field in error focused.
    pub fn body_to_save<B>(self, of: fn(&BTreeMap<String, String>) -> B) -> Option<B> {
        self.submitted.set(true);
        let first = self
            .report
            .with_untracked(|r| r.errors.first().map(|i| i.field.clone()));
        if let Some(first) = first {
            util::focus_id(&self.id(&first));
            return None;
        }
        Some(self.texts.with_untracked(of))
    }

    /// What a save answered: the entry saved, or `None` with the proxy's field errors put
    /// back on the fields and any other failure in `error`.
    pub fn answered<T>(
        self,
        out: Result<T, ApiError>,
        error: RwSignal<Option<ApiError>>,
    ) -> Option<T> {
        match out {
            Ok(saved) => Some(saved),
            Err(ApiError::Validation(placed)) => {
                let _ = self.server.try_set(placed);
                None
            }
            Err(e) => {
                let _ = error.try_set(Some(e));
                None
            }
        }
    }

    /// The messages at `key`: (is an error, text).
    fn at(self, lang: Lang, key: &str) -> Vec<(bool, String)> {
        let mut out = Vec::new();
        let submitted = self.submitted.get();
        self.report.with(|r| {
            let here = |i: &&Issue| i.field == key;
            if submitted {
                out.extend(r.errors.iter().filter(here).map(|i| (true, lang.issue(i))));
            }
            out.extend(
                r.warnings
                    .iter()
                    .filter(here)
                    .map(|i| (false, lang.issue(i))),
            );
        });
        self.server.with(|placed| {
            out.extend(placed.get(key).into_iter().flatten().map(|t| match t {
                ErrorText::Issue(i) => (true, lang.issue(i)),
                ErrorText::Server(said) => (true, said.clone()),
            }));
        });
        out
    }

    /// Errors on no field of the form (a whole block missing, a 417 about something else),
    /// once a save was tried.
    pub fn elsewhere(self, lang: Lang) -> String {
        if !self.submitted.get() {
            return String::new();
        }
        let known = |path: &str| self.texts.with(|t| t.contains_key(path));
        let mut out: Vec<String> = self.report.with(|r| {
            r.errors
                .iter()
                .filter(|i| !known(i.field.as_str()))
                .map(|i| format!("{}: {}", i.field, lang.issue(i)))
                .collect()
        });
        self.server.with(|placed| {
            for (path, texts) in placed.iter().filter(|(p, _)| !known(p.as_str())) {
                out.extend(texts.iter().map(|t| match t {
                    ErrorText::Issue(i) => format!("{path}: {}", lang.issue(i)),
                    ErrorText::Server(said) => said.clone(),
                }));
            }
        });
        out.join(" ")
    }
}

/// How a field of an [`EditForm`] is entered.
#[derive(Clone, Copy)]
pub enum Entry {
    Text,
    Note,
    /// One of these (value, words).
    Choice(Signal<Vec<(String, String)>>),
}

/// One field of an [`EditForm`]: its column's header as the label, the control, and its
/// messages (errors and warnings styled apart).
#[component]
pub fn EditField(column: &'static Column, entry: Entry, form: EditForm) -> impl IntoView {
    let i18n = use_i18n();
    let key = column.key;
    let (id, msg_id) = (form.id(key), format!("{}-msg", form.id(key)));
    let value = move || form.texts.with(|t| t.get(key).cloned().unwrap_or_default());
    let set = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        form.texts.update(|t| {
            t.insert(key.to_owned(), typed);
        });
        if form.server.with_untracked(|s| s.contains_key(key)) {
            form.server.update(|s| {
                s.remove(key);
            });
        }
    };
    let messages = Memo::new(move |_| form.at(i18n.get(), key));
    let invalid = move || {
        messages
            .with(|m| m.iter().any(|(error, _)| *error))
            .to_string()
    };
    let control = match entry {
        Entry::Note => view! {
            <textarea id=id.clone() rows="3" aria-describedby=msg_id.clone()
                aria-invalid=invalid prop:value=value on:input=set></textarea>
        }
        .into_any(),
        Entry::Choice(options) => view! {
            <select id=id.clone() aria-describedby=msg_id.clone() aria-invalid=invalid on:change=set>
                {move || options.get().into_iter().map(|(v, words)| {
                    let chosen = v.clone();
                    view! { <option value=v prop:selected=move || value() == chosen>{words}</option> }
                }).collect_view()}
            </select>
        }
        .into_any(),
        Entry::Text => view! {
            <input id=id.clone() type="text" aria-describedby=msg_id.clone()
                aria-invalid=invalid prop:value=value on:input=set />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{move || column_label(i18n.get(), column)}</label>
            {control}
            <div class="msg" id=msg_id>
                {move || messages.get().into_iter().map(|(error, text)| {
                    let class = if error { "msg-error" } else { "msg-warn" };
                    view! { <span class=class>{text}</span> }
                }).collect_view()}
            </div>
        </div>
    }
}

/// A shelf's list filters: the search box (searched as one types) and which entries are shown.
#[component]
pub fn ShelfFilters(shelf: Shelf, q: RwSignal<String>, shown: RwSignal<Shown>) -> impl IntoView {
    let key = shelf.key();
    let (label, hint) = shelf.search_texts();
    view! {
        <div class="filters">
            <label class="search">
                <span>{tx(label)}</span>
                <input type="search" id=format!("{key}-list-search") data-testid=format!("{key}-search")
                    placeholder=tx(hint)
                    aria-description=tx(hint)
                    prop:value=move || q.get()
                    on:input=move |ev| q.set(event_target_value(&ev)) />
            </label>
            <ShownSelect shown=shown id=format!("{key}-shown") />
        </div>
    }
}

/// Below a shelf's list: how many entries are shown and, while there are more, "Show more".
#[component]
pub fn ShelfPager(
    shelf: Shelf,
    #[prop(into)] count: Signal<usize>,
    #[prop(into)] has_more: Signal<bool>,
    more: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (count_id, more_id) = shelf.pager_testids();
    view! {
        <div class="pager">
            <span class="muted" data-testid=count_id>
                {move || i18n.t().book.count_shown.replace("{n}", &count.get().to_string())}
            </span>
            <Show when=move || has_more.get()>
                <button type="button" class="secondary small" data-testid=more_id
                    on:click=move |_| more.run(())>
                    {tx(|t| t.book.more)}
                </button>
            </Show>
        </div>
    }
}

/// Active, archived or all entries: a select whose change sets `shown`.
#[component]
fn ShownSelect(shown: RwSignal<Shown>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let choices = [
        (Shown::Active, "active"),
        (Shown::Archived, "archived"),
        (Shown::All, "all"),
    ];
    let word = move |s: Shown| {
        let t = &i18n.t().book;
        match s {
            Shown::Active => t.shown_active,
            Shown::Archived => t.shown_archived,
            Shown::All => t.shown_all,
        }
    };
    view! {
        <label>
            <span>{tx(|t| t.book.shown_label)}</span>
            <select id=id on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some((s, _)) = choices.iter().find(|(_, w)| *w == v) {
                    shown.set(*s);
                }
            }>
                {choices.into_iter().map(|(s, w)| view! {
                    <option value=w prop:selected=move || shown.get() == s>{move || word(s)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn fields_are_named_by_the_csv_headers_and_bodies_built_by_path() {
        assert_eq!(
            field_name(Lang::Nb, Shelf::Customers, "customerDetails.address.zip"),
            "Postnummer"
        );
        assert_eq!(
            field_name(Lang::En, Shelf::Products, "unitPrice"),
            "Unit price incl. VAT"
        );
        assert_eq!(field_name(Lang::En, Shelf::Products, "rows.0"), "rows.0");
        let mut body = Map::new();
        put_at(&mut body, "customerDetails.address.zip", "4313");
        put_at(&mut body, "customerDetails.name", "Kari");
        put_at(&mut body, "notes", "VIP");
        let v = Value::Object(body);
        assert_eq!(
            v,
            json!({"customerDetails": {"address": {"zip": "4313"}, "name": "Kari"}, "notes": "VIP"})
        );
        assert_eq!(text_at(&v, "customerDetails.address.zip"), "4313");
        assert_eq!(text_at(&v, "customerDetails.email"), "");
        assert_eq!(dialect(Lang::Nb).separator(), b';');
    }
}
