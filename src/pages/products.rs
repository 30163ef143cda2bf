//! `/products`: the product catalogue (issue 18). Search by name or product id, keyset pages,
//! active or archived products, the rows shown as CSV in the language's spreadsheet layout;
//! clerks and admins add, change, archive (never delete: orders name them) and import.

use std::collections::BTreeMap;

use frontdesk_core::book::csv::{Column, PRODUCT_COLUMNS, products_csv};
use frontdesk_core::draft::parse_entry;
use frontdesk_core::money::Money;
use frontdesk_core::roles::Action;
use frontdesk_core::validate::{Report, validate_book_product};
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::{Map, Value};

use crate::api::{self, ApiError, Product, ShelfQuery, Shown};
use crate::auth::use_auth;
use crate::components::book::{
    EditField, EditForm, Entry, Shelf, ShelfFilters, ShelfPager, dialect, put_at, verdict,
};
use crate::components::notice::ErrorNotice;
use crate::components::table::{DataTable, col, num};
use crate::form::{self, tax_rates};
use crate::i18n::{Lang, tx, use_i18n};
use crate::pages::customers::{Listing, download_csv};
use crate::util;

const PRICE: &str = "unitPrice";
const DISCOUNT: &str = "discount";
const TAX: &str = "tax";
/// The id prefix of the product form's controls (`product-unitPrice`).
const PREFIX: &str = "product";

/// The columns a clerk edits: all of the catalogue's CSV but the id.
fn editable() -> impl Iterator<Item = &'static Column> {
    PRODUCT_COLUMNS.iter().filter(|c| c.key != "id")
}

/// A product's fields as the form shows them (amounts as typed in `lang`).
fn texts_of(lang: Lang, p: Option<&Product>) -> BTreeMap<String, String> {
    let text = |key: &str| -> String {
        let Some(p) = p else {
            return if key == TAX {
                "25".into()
            } else {
                String::new()
            };
        };
        match key {
            "name" => p.name.clone(),
            "productId" => p.product_id.clone().unwrap_or_default(),
            PRICE => lang.amount_entry(p.unit_price),
            TAX => p.tax.to_string(),
            DISCOUNT => p.discount.map(|d| lang.amount_entry(d)).unwrap_or_default(),
            "unit" => p.unit.clone().unwrap_or_default(),
            _ => String::new(),
        }
    };
    editable()
        .map(|c| (c.key.to_owned(), text(c.key)))
        .collect()
}

/// The body of a save: what was typed at its path (blank left out), amounts typed the nb or
/// en way as the API writes them (left as typed when unreadable, for the rules to say so).
fn body_of(texts: &BTreeMap<String, String>) -> Value {
    let mut root = Map::new();
    for (key, text) in texts {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let amount = [PRICE, DISCOUNT].contains(&key.as_str());
        match parse_entry(text).filter(|_| amount) {
            Some(h) => put_at(&mut root, key, &Money(h).to_api_string()),
            None => put_at(&mut root, key, text),
        }
    }
    Value::Object(root)
}

fn check(texts: &BTreeMap<String, String>) -> Report {
    verdict(validate_book_product(
        &body_of(texts),
        &form::context(util::now_unix()),
    ))
}

/// What the form is open for: a new product, or this one.
type Editing = Option<Option<Product>>;

#[component]
pub fn ProductsPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let q = RwSignal::new(String::new());
    let shown = RwSignal::new(Shown::Active);
    let list = Listing::<Product>::new();
    let read = |query: ShelfQuery| async move { api::products(&query).await };
    let current = move || ShelfQuery {
        q: q.get_untracked(),
        shown: shown.get_untracked(),
        ..ShelfQuery::default()
    };
    Effect::new(move |_| {
        q.track();
        shown.track();
        list.load(current(), false, read);
    });
    let editing = RwSignal::<Editing>::new(None);
    let note = RwSignal::new(String::new());
    let export_error = RwSignal::new(None::<ApiError>);
    let export_csv = move |_| {
        let text = list
            .rows
            .with_untracked(|rows| products_csv(dialect(i18n.0.get_untracked()), rows));
        export_error.set(download_csv("products", &text).err());
    };
    let may_edit = move || auth.may(Action::BookEdit);
    let open_new = move |_| {
        note.set(String::new());
        editing.set(Some(None));
        util::focus_id_later(format!("{PREFIX}-name"));
    };
    view! {
        <section class="card wide" aria-labelledby="products-title">
            <div class="page-head">
                <h2 id="products-title">{tx(|t| t.book.products_title)}</h2>
                <div class="toolbar">
                    <button type="button" class="secondary small" data-testid="export-products"
                        on:click=export_csv disabled=move || list.rows.with(Vec::is_empty)>
                        {tx(|t| t.book.export_shown)}
                    </button>
                    <Show when=may_edit>
                        <A href="/products/import" attr:class="button small secondary">{tx(|t| t.book.import_csv)}</A>
                        <button type="button" class="small primary" id="new-product" on:click=open_new>
                            {tx(|t| t.book.new_product)}
                        </button>
                    </Show>
                </div>
            </div>
            <Show when=move || !may_edit()>
                <p class="muted small-print">{tx(|t| t.book.read_only)}</p>
            </Show>
            <p class="ok-text" role="status" id="product-note" tabindex="-1" data-testid="product-note">{move || note.get()}</p>
            <ErrorNotice error=export_error />
            {move || editing.get().map(|p| view! { <ProductForm product=p editing=editing list=list note=note /> })}
            <ShelfFilters shelf=Shelf::Products q=q shown=shown />
            <ErrorNotice error=list.error retry=Callback::new(move |_| list.load(current(), false, read)) />
            <ProductsTable list=list editing=editing note=note />
            <ShelfPager shelf=Shelf::Products count=move || list.rows.with(Vec::len)
                has_more=move || list.next.with(Option::is_some)
                more=Callback::new(move |_| list.load(current(), true, read)) />
        </section>
    }
}

/// A product as the answer of a save or an archive put in the list where it was (a new one
/// first).
fn replace(list: Listing<Product>, p: Product) {
    list.rows
        .update(|rows| match rows.iter_mut().find(|r| r.id == p.id) {
            Some(row) => *row = p,
            None => rows.insert(0, p),
        });
}

#[component]
fn ProductsTable(
    list: Listing<Product>,
    editing: RwSignal<Editing>,
    note: RwSignal<String>,
) -> impl IntoView {
    view! {
        <DataTable testid="products-table" caption=|t| t.book.products_title busy=list.loading columns=vec![col(|t| t.product_name), col(|t| t.product_id), num(|t| t.rate), num(|t| t.tax), num(|t| t.discount), col(|t| t.col_status), col(|t| t.col_actions)]>
            <For each=move || list.rows.get() key=|p| (p.id.clone(), p.updated_at, p.archived) let:product>
                <ProductRow product=product list=list editing=editing note=note />
            </For>
        </DataTable>
        <Show when=move || !list.loading.get() && list.rows.with(Vec::is_empty)>
            <p class="muted" data-testid="no-products">{tx(|t| t.book.no_products)}</p>
        </Show>
    }
}

#[component]
fn ProductRow(
    product: Product,
    list: Listing<Product>,
    editing: RwSignal<Editing>,
    note: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (price, discount, archived) = (product.unit_price, product.discount, product.archived);
    let unit = product
        .unit
        .clone()
        .map(|u| format!(" / {u}"))
        .unwrap_or_default();
    let stored = StoredValue::new(product.clone());
    let edit = move |_| {
        note.set(String::new());
        editing.set(Some(Some(stored.get_value())));
        util::focus_id_later(format!("{PREFIX}-name"));
    };
    let toggle = move |_| {
        let id = stored.with_value(|p| p.id.clone());
        leptos::task::spawn_local(async move {
            match api::archive_product(&id, !archived).await {
                Ok(p) => replace(list, p),
                Err(e) => {
                    let _ = list.error.try_set(Some(e));
                }
            }
        });
    };
    let about = product.name.clone();
    view! {
        <tr data-product=product.id.clone()>
            <th scope="row">{product.name.clone()}</th>
            <td>{product.product_id.clone().unwrap_or_default()}</td>
            <td class="num">{move || format!("{}{unit}", i18n.get().money(price))}</td>
            <td class="num">{format!("{} %", product.tax)}</td>
            <td class="num">{move || discount.map(|d| i18n.get().money(d)).unwrap_or_default()}</td>
            <td>{move || if archived { i18n.t().book.archived_badge } else { i18n.t().book.shown_active }}</td>
            <td>
                <Show when=move || auth.may(Action::BookEdit)>
                    <div class="row-actions">
                        <button type="button" class="secondary small" data-action="edit"
                            aria-label=format!("{} {about}", i18n.t().book.edit) on:click=edit>
                            {tx(|t| t.book.edit)}
                        </button>
                        <button type="button" class="secondary small" data-action="archive"
                            aria-label=format!("{} {about}", if archived { i18n.t().book.unarchive } else { i18n.t().book.archive })
                            on:click=toggle>
                            {move || if archived { i18n.t().book.unarchive } else { i18n.t().book.archive }}
                        </button>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

/// The form of a new product (`product` none) or of one to change.
#[component]
fn ProductForm(
    product: Option<Product>,
    editing: RwSignal<Editing>,
    list: Listing<Product>,
    note: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.0.get_untracked();
    let form = EditForm::new(PREFIX, texts_of(lang, product.as_ref()), check);
    let id = StoredValue::new(product.map(|p| p.id));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let close = move || {
        editing.set(None);
        util::focus_id_later("product-note".into());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(body) = form.body_to_save(body_of) else {
            return;
        };
        let id = id.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let out = api::save_product(id.as_deref(), &body).await;
            let _ = busy.try_set(false);
            if let Some(p) = form.answered(out, error) {
                let _ = note.try_set(lang.texts().book.product_saved.to_owned());
                replace(list, p);
                close();
            }
        });
    };
    let taxes = Signal::stored(
        tax_rates()
            .into_iter()
            .map(|t| (t.to_string(), format!("{t} %")))
            .collect::<Vec<_>>(),
    );
    let fields = editable()
        .map(|column| {
            let entry = if column.key == TAX {
                Entry::Choice(taxes)
            } else {
                Entry::Text
            };
            view! { <EditField column=column entry=entry form=form /> }
        })
        .collect_view();
    let title = move || {
        let t = &i18n.t().book;
        if id.with_value(Option::is_some) {
            t.edit_product
        } else {
            t.new_product
        }
    };
    view! {
        <form class="action-panel" novalidate on:submit=submit aria-labelledby="product-form-title" data-testid="product-form">
            <h3 id="product-form-title">{title}</h3>
            <div class="grid two">{fields}</div>
            <p class="field-error">{move || form.elsewhere(i18n.get())}</p>
            <ErrorNotice error=error />
            <div class="confirm-row">
                <button type="submit" class="primary" id="save-product" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t().working } else { i18n.t().book.save }}
                </button>
                <button type="button" class="secondary" on:click=move |_| close()>{tx(|t| t.book.cancel)}</button>
            </div>
        </form>
    }
}

// In the browser only: the check reads the clock through JavaScript.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn amounts_are_sent_as_the_api_writes_them() {
        let mut texts = texts_of(Lang::En, None);
        assert_eq!(texts.get(TAX).map(String::as_str), Some("25"));
        texts.insert("name".into(), "Hair Wash".into());
        texts.insert(PRICE.into(), "1 234,50".into());
        texts.insert(DISCOUNT.into(), "12,5x".into());
        let body = body_of(&texts);
        assert_eq!(body["unitPrice"], "1234.50");
        assert_eq!(body["discount"], "12,5x");
        assert_eq!(body["tax"], "25");
        assert!(body.get("unit").is_none());
        let report = check(&texts);
        assert!(report.has_error(DISCOUNT), "{:?}", report.errors);
        assert!(!report.has_error(PRICE));
    }
}
