//! The order form's use of the customer book and the catalogue (issue 18): a type-ahead that
//! fills the whole customer block ([`CustomerFinder`], also from `?customer={id}`), a product
//! picker that adds lines ([`ProductPicker`]), and "save this line to the catalogue"
//! ([`SaveLine`]). Both type-aheads are the one [`Combobox`].

use std::collections::HashMap;

use frontdesk_core::book::ProductInput;
use frontdesk_core::roles::Action;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiError, Customer, Product, ShelfQuery};
use crate::auth::use_auth;
use crate::components::book::{Shelf, customer_contact, failure_text, product_line};
use crate::components::combobox::{Combobox, Found, Suggestion};
use crate::form::Form;
use crate::i18n::{Lang, use_i18n};

/// How many suggestions a type-ahead shows.
const SUGGESTIONS: u32 = 8;

/// A customer as a suggestion: the name, then contact and place.
fn customer_suggestion(c: &Customer) -> Suggestion {
    let d = &c.customer_details;
    let place = d.address.city.trim();
    let mut detail = customer_contact(c);
    if !place.is_empty() {
        if !detail.is_empty() {
            detail.push_str(" · ");
        }
        detail.push_str(place);
    }
    Suggestion {
        id: c.id.clone(),
        label: d.full_name(),
        detail,
    }
}

/// The book's customers as suggestions for what was typed; those shown are kept in `seen` (by
/// id) for the pick.
pub fn customer_search(seen: StoredValue<HashMap<String, Customer>>) -> Callback<String, Found> {
    Callback::new(move |q: String| -> Found {
        Box::pin(async move {
            let page = api::customers(&ShelfQuery::typed(&q, SUGGESTIONS)).await?;
            seen.update_value(|m| m.extend(page.items.iter().map(|c| (c.id.clone(), c.clone()))));
            Ok::<Vec<Suggestion>, ApiError>(page.items.iter().map(customer_suggestion).collect())
        })
    })
}

/// Fill the form's customer block from `c` and say so in `note`.
fn fill(form: Form, c: &Customer, note: RwSignal<String>, lang: Lang) {
    // The answer may come after the form was left.
    if form.kind.try_get_untracked().is_none() {
        return;
    }
    form.fill_customer(&c.customer_details);
    note.set(
        lang.texts()
            .book
            .customer_filled
            .replace("{name}", &c.customer_details.full_name()),
    );
}

/// "Find a customer in the book" above the customer block: picking one fills the block (the
/// merchant may still change it for this order). `?customer={id}` (the customer page's "New
/// order for this customer") fills it on arrival.
#[component]
pub fn CustomerFinder(form: Form, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let seen = StoredValue::new(HashMap::<String, Customer>::new());
    let preset = use_query_map().with_untracked(|q| q.get("customer"));
    if let Some(id) = preset.filter(|id| !id.is_empty()) {
        leptos::task::spawn_local(async move {
            match api::customer(&id).await {
                Ok(c) => fill(form, &c, note, i18n.0.get_untracked()),
                Err(e) => {
                    let _ =
                        note.try_set(failure_text(i18n.0.get_untracked(), Shelf::Customers, &e));
                }
            }
        });
    }
    let find = customer_search(seen);
    let on_pick = Callback::new(move |s: Suggestion| {
        if let Some(c) = seen.with_value(|m| m.get(&s.id).cloned()) {
            fill(form, &c, note, i18n.0.get_untracked());
        }
    });
    view! {
        <div class="book-finder" data-testid="customer-finder">
            <Combobox id="customer-search" find=find on_pick=on_pick disabled=disabled
                label=Signal::derive(move || i18n.t().book.find_customer.to_owned())
                hint=Signal::derive(move || i18n.t().book.find_customer_hint.to_owned()) />
            <p class="small-print ok-text" role="status" data-testid="customer-filled">{move || note.get()}</p>
        </div>
    }
}

/// "Add from the catalogue" under the lines: Enter (or a click) adds a line of one unit of the
/// product picked; the list stays open for the next one. Archived products are never offered
/// (the proxy's list is of active ones).
#[component]
pub fn ProductPicker(form: Form, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let seen = StoredValue::new(HashMap::<String, Product>::new());
    let find = Callback::new(move |q: String| -> Found {
        Box::pin(async move {
            let page = api::products(&ShelfQuery::typed(&q, SUGGESTIONS)).await?;
            let lang = i18n.0.get_untracked();
            seen.update_value(|m| m.extend(page.items.iter().map(|p| (p.id.clone(), p.clone()))));
            Ok::<Vec<Suggestion>, ApiError>(
                page.items
                    .iter()
                    .map(|p| Suggestion {
                        id: p.id.clone(),
                        label: p.name.clone(),
                        detail: product_line(lang, p),
                    })
                    .collect(),
            )
        })
    });
    let on_pick = Callback::new(move |s: Suggestion| {
        let Some(p) = seen.with_value(|m| m.get(&s.id).cloned()) else {
            return;
        };
        let t = &i18n.t().book;
        let said = match form.add_product_line(&p) {
            Some(_) => t.product_added.replace("{name}", &p.name),
            None => t.line_unreadable.to_owned(),
        };
        note.set(said);
    });
    view! {
        <div class="book-finder" data-testid="product-picker">
            <Combobox id="product-search" find=find on_pick=on_pick multi=true disabled=disabled
                label=Signal::derive(move || i18n.t().book.find_product.to_owned())
                hint=Signal::derive(move || i18n.t().book.find_product_hint.to_owned()) />
            <p class="small-print ok-text" role="status" data-testid="product-added">{move || note.get()}</p>
        </div>
    }
}

/// "Save to catalogue" on line `id` (clerks and admins): the line's name, id, price, VAT and
/// discount become a catalogue product ([`ProductInput::from_line`]).
#[component]
pub fn SaveLine(form: Form, id: u64, #[prop(into)] index: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let save = move |_| {
        let lang = i18n.0.get_untracked();
        let Some(line) = form.line_product(id) else {
            note.set(lang.texts().book.line_unreadable.to_owned());
            return;
        };
        let input = ProductInput::from_line(&line);
        let body = serde_json::to_value(&input).unwrap_or_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let out = api::save_product(None, &body).await;
            let said = match out {
                Ok(p) => lang
                    .texts()
                    .book
                    .saved_to_catalogue
                    .replace("{name}", &p.name),
                Err(e) => failure_text(lang, Shelf::Products, &e),
            };
            let _ = busy.try_set(false);
            let _ = note.try_set(said);
        });
    };
    let label = move || {
        let t = i18n.t();
        format!(
            "{} ({} {})",
            t.book.save_to_catalogue,
            t.line,
            index.get() + 1
        )
    };
    view! {
        <Show when=move || auth.may(Action::BookEdit)>
            <button type="button" class="link small save-line" id=format!("line-{id}-save")
                aria-label=label disabled=move || busy.get() on:click=save>
                {move || i18n.t().book.save_to_catalogue}
            </button>
            <span class="small-print block" role="status">{move || note.get()}</span>
        </Show>
    }
}
