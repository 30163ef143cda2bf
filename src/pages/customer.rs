//! `/customers/{id}`: one customer of the book (issue 18). Contact details and notes (clerks
//! and admins edit them, by core's rules as they type), archive, "New order for this
//! customer", their orders from the order index with totals sent, paid, outstanding and
//! refunded, and their privacy rights: everything stored as JSON and as a readable section
//! (clerks, admins), and erasure (admins, after a confirmation that says what stays).

use std::collections::BTreeMap;

use frontdesk_core::book::csv::{CUSTOMER_COLUMNS, Column};
use frontdesk_core::draft::fields;
use frontdesk_core::money::Money;
use frontdesk_core::report::{is_outstanding, is_paid};
use frontdesk_core::roles::Action;
use frontdesk_core::validate::{Report, validate_book_customer};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::{Map, Value};

use crate::api::{self, ApiError, Customer, CustomerExport, CustomerInput, Erasure, IndexedOrder};
use crate::auth::use_auth;
use crate::components::book::{EditField, EditForm, Entry, column_label, put_at, text_at, verdict};
use crate::components::field::choices;
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::components::table::{DataTable, col, num};
use crate::form;
use crate::i18n::{Lang, tx, use_i18n};
use crate::util;

const TYPE: &str = "customerDetails.type";
const NOTES: &str = "notes";

/// What the order index is searched by for a customer's orders: their email, else their
/// phone number, else their name.
pub fn search_key(c: &Customer) -> String {
    let d = &c.customer_details;
    let nonblank = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    nonblank(&d.email)
        .or_else(|| nonblank(&d.msisdn))
        .unwrap_or_else(|| d.name.clone())
}

/// A customer's phone as the order index keeps it: the digits of calling code and number.
fn phone_digits(c: &Customer) -> Option<String> {
    let d = &c.customer_details;
    let msisdn = d.msisdn.as_deref()?;
    let digits: String = [d.country_code.as_deref().unwrap_or_default(), msisdn]
        .concat()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// Whether an order of the index is this customer's: the same Front Payment customer, the
/// same email, or the same phone (a search by prefix also finds others).
pub fn is_theirs(o: &IndexedOrder, c: &Customer) -> bool {
    let same = |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(a), Some(b)) if !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim()));
    same(o.customer_uuid.as_deref(), c.customer_uuid.as_deref())
        || same(o.email.as_deref(), c.customer_details.email.as_deref())
        || same(o.phone.as_deref(), phone_digits(c).as_deref())
}

/// A customer's orders: those the index links to the entry, and those found by the search
/// that are theirs ([`is_theirs`]: orders that came by sync or before the book), each once,
/// newest first.
pub fn merge(
    linked: Vec<IndexedOrder>,
    found: Vec<IndexedOrder>,
    c: &Customer,
) -> Vec<IndexedOrder> {
    let mut all = linked;
    for o in found {
        if is_theirs(&o, c) && !all.iter().any(|a| a.uuid == o.uuid) {
            all.push(o);
        }
    }
    all.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.uuid.cmp(&a.uuid))
    });
    all
}

/// A customer's orders summed: every order's amount (sent), those paid, those still owed
/// (core's statuses) and what was refunded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub sent: Money,
    pub paid: Money,
    pub outstanding: Money,
    pub refunded: Money,
}

fn add(to: &mut Money, ore: i64) {
    to.0 = to.0.saturating_add(ore);
}

/// The totals of `orders`.
pub fn totals(orders: &[IndexedOrder]) -> Totals {
    let mut t = Totals::default();
    for o in orders {
        let amount = o.amount_ore.unwrap_or(0);
        add(&mut t.sent, amount);
        if o.status.is_some_and(is_paid) {
            add(&mut t.paid, amount);
        }
        if o.status.is_some_and(is_outstanding) {
            add(&mut t.outstanding, amount);
        }
        add(&mut t.refunded, o.refunded_ore.unwrap_or(0));
    }
    t
}

/// The columns a clerk edits: all of the book's CSV but the id.
fn editable() -> impl Iterator<Item = &'static Column> {
    CUSTOMER_COLUMNS.iter().filter(|c| c.key != "id")
}

/// The id prefix of the edit form's controls (`contact-customerDetails-name`).
const PREFIX: &str = "contact";

/// The editable part of a customer as the API's body.
fn input_value(c: &Customer) -> Value {
    let input = CustomerInput {
        customer_details: c.customer_details.clone(),
        notes: c.notes.clone(),
    };
    serde_json::to_value(input).unwrap_or_default()
}

/// The body of a save: every text typed, at its path (blank ones left out).
fn body_of(texts: &BTreeMap<String, String>) -> Value {
    let mut root = Map::new();
    for (key, text) in texts {
        let text = text.trim();
        if !text.is_empty() {
            put_at(&mut root, key, text);
        }
    }
    Value::Object(root)
}

/// Core's verdict on a body (the proxy checks the same).
fn check(body: &Value) -> Report {
    verdict(validate_book_customer(
        body,
        &form::context(util::now_unix()),
    ))
}

/// A customer's facts as the page lists them: each field filled, the Front Payment id, when
/// it last changed.
fn facts(lang: Lang, c: &Customer) -> Vec<(String, String)> {
    let t = lang.texts();
    let v = input_value(c);
    let mut out: Vec<(String, String)> = editable()
        .map(|col| {
            let text = text_at(&v, col.key);
            let shown = match (col.key, text.as_str()) {
                (TYPE, "private") => t.book.type_private.to_owned(),
                (TYPE, "corporate") => t.book.type_corporate.to_owned(),
                _ => text,
            };
            (column_label(lang, col).to_owned(), shown)
        })
        .filter(|(_, shown)| !shown.is_empty())
        .collect();
    if let Some(uuid) = &c.customer_uuid {
        out.push((t.customer_uuid.to_owned(), uuid.clone()));
    }
    out.push((
        t.book.changed_at.to_owned(),
        lang.datetime(c.updated_at as f64),
    ));
    out
}

#[component]
pub fn CustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let customer = RwSignal::new(None::<Customer>);
    let error = RwSignal::new(None::<ApiError>);
    let erased = RwSignal::new(None::<Erasure>);
    let latest = util::Latest::default();
    let load = move || {
        let mine = latest.ticket();
        let id = id.get_untracked();
        leptos::task::spawn_local(async move {
            let result = api::customer(&id).await;
            if !latest.is_current(mine) {
                return;
            }
            match result {
                Ok(c) => {
                    error.set(None);
                    customer.set(Some(c));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        customer.set(None);
        erased.set(None);
        load();
    });
    // The sections are built once per customer; they read the signal for what changes.
    let shown_id = Memo::new(move |_| customer.with(|c| c.as_ref().map(|c| c.id.clone())));
    let title = move || {
        customer
            .with(|c| c.as_ref().map(|c| c.customer_details.full_name()))
            .unwrap_or_else(|| i18n.t().book.customer_title.to_owned())
    };
    view! {
        <section class="card wide customer-page" aria-labelledby="customer-title">
            <p><A href="/customers">{tx(|t| t.book.back_to_customers)}</A></p>
            <h2 id="customer-title" data-testid="customer-title">{title}</h2>
            <ErrorNotice error=error retry=Callback::new(move |_| load()) />
            {move || erased.get().map(|e| view! { <Erased erasure=e /> })}
            <Show when=move || erased.with(Option::is_none)>
                {move || shown_id.get().map(|_| view! { <Sections customer=customer erased=erased error=error /> })}
            </Show>
        </section>
    }
}

/// The toolbar and the sections of a loaded customer.
#[component]
fn Sections(
    customer: RwSignal<Option<Customer>>,
    erased: RwSignal<Option<Erasure>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let now = customer.get_untracked();
    let id = now.as_ref().map(|c| c.id.clone()).unwrap_or_default();
    let archived = move || customer.with(|c| c.as_ref().is_some_and(|c| c.archived));
    let toggle = move |_| {
        let Some((id, was)) =
            customer.with_untracked(|c| c.as_ref().map(|c| (c.id.clone(), c.archived)))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::archive_customer(&id, !was).await {
                Ok(c) => {
                    let _ = customer.try_set(Some(c));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let new_order = format!("/orders/new?customer={}", js_sys::encode_uri_component(&id));
    view! {
        <div class="toolbar">
            <Show when=archived>
                <span class="badge status-cancelled" data-testid="archived">{tx(|t| t.book.archived_badge)}</span>
            </Show>
            <Show when=move || auth.can_create()>
                <A href=new_order.clone() attr:class="button small" attr:data-testid="new-order-for">{tx(|t| t.book.new_order_for)}</A>
            </Show>
            <Show when=move || auth.may(Action::BookEdit)>
                <button type="button" class="secondary small" data-testid="archive-customer" on:click=toggle>
                    {move || if archived() { i18n.t().book.unarchive } else { i18n.t().book.archive }}
                </button>
            </Show>
        </div>
        <Contact customer=customer />
        {now.map(|c| view! {
            <CustomerOrders customer=c.clone() />
            <Privacy customer=c erased=erased />
        })}
    }
}

/// Contact details and notes: read, or (clerks, admins) edited.
#[component]
fn Contact(customer: RwSignal<Option<Customer>>) -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let done = Callback::new(move |c: Option<Customer>| {
        saved.set(c.is_some());
        if let Some(c) = c {
            customer.set(Some(c));
        }
        editing.set(false);
        util::focus_id_later("edit-contact".into());
    });
    let edit = move |_| {
        saved.set(false);
        editing.set(true);
        util::focus_id_later(format!("{PREFIX}-customerDetails-name"));
    };
    let body = move || {
        if editing.get() {
            customer.get_untracked().map(|c| {
                let texts = texts_of(&c);
                view! { <ContactForm id=Some(c.id) texts=texts done=done /> }.into_any()
            })
        } else {
            Some(view! { <ContactFacts customer=customer /> }.into_any())
        }
    };
    view! {
        <section class="contact" aria-labelledby="contact-title">
            <div class="page-head">
                <h3 id="contact-title">{tx(|t| t.book.contact_title)}</h3>
                <Show when=move || auth.may(Action::BookEdit) && !editing.get()>
                    <button type="button" class="secondary small" id="edit-contact" on:click=edit>
                        {tx(|t| t.book.edit)}
                    </button>
                </Show>
            </div>
            <p class="ok-text" role="status" data-testid="contact-saved">
                {move || saved.get().then(|| i18n.t().book.saved)}
            </p>
            {body}
        </section>
    }
}

#[component]
fn ContactFacts(customer: RwSignal<Option<Customer>>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let lang = i18n.get();
        customer
            .with(|c| c.as_ref().map(|c| facts(lang, c)))
            .unwrap_or_default()
            .into_iter()
            .map(|(label, value)| view! { <dt>{label}</dt><dd class="note-text">{value}</dd> })
            .collect_view()
    };
    view! { <dl class="facts" data-testid="customer-facts">{rows}</dl> }
}

/// How the field of `key` is entered: the customer type and core's lists (countries,
/// languages; a blank first) are choices, the notes a note, the rest text.
fn entry_of(key: &'static str) -> Entry {
    if key == NOTES {
        return Entry::Note;
    }
    let i18n = use_i18n();
    if key == TYPE {
        return Entry::Choice(Signal::derive(move || {
            let t = &i18n.t().book;
            vec![
                ("private".into(), t.type_private.into()),
                ("corporate".into(), t.type_corporate.into()),
            ]
        }));
    }
    match fields::field_spec(key).and_then(|f| choices(f.input)) {
        Some(list) => Entry::Choice(Signal::derive(move || {
            let blank = (String::new(), i18n.t().book.language_none.to_owned());
            std::iter::once(blank).chain(list.get()).collect()
        })),
        None => Entry::Text,
    }
}

/// The texts of a customer's editable fields, by path.
fn texts_of(c: &Customer) -> BTreeMap<String, String> {
    let v = input_value(c);
    editable()
        .map(|col| (col.key.to_owned(), text_at(&v, col.key)))
        .collect()
}

/// A new customer's fields as the form starts them: a private customer in Norway.
pub fn blank_texts() -> BTreeMap<String, String> {
    editable()
        .map(|col| {
            let start = match col.key {
                TYPE => "private",
                "customerDetails.countryCode" => "+47",
                "customerDetails.address.country" => "NO",
                _ => "",
            };
            (col.key.to_owned(), start.to_owned())
        })
        .collect()
}

/// The contact form: a customer's fields, checked by core as typed; saving updates entry
/// `id`, or adds a new one without it (`/customers/new`). `done` gets what was saved, or
/// `None` when cancelled.
#[component]
pub fn ContactForm(
    id: Option<String>,
    texts: BTreeMap<String, String>,
    done: Callback<Option<Customer>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = EditForm::new(PREFIX, texts, |t| check(&body_of(t)));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(body) = form.body_to_save(body_of) else {
            return;
        };
        let id = id.get_value();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let out = api::save_customer(id.as_deref(), &body).await;
            let _ = busy.try_set(false);
            if let Some(c) = form.answered(out, error) {
                let _ = done.try_run(Some(c));
            }
        });
    };
    let fields = editable()
        .map(|column| view! { <EditField column=column entry=entry_of(column.key) form=form /> })
        .collect_view();
    view! {
        <form class="customer-form" novalidate on:submit=submit aria-labelledby="contact-title">
            <div class="grid two">{fields}</div>
            <p class="field-error">{move || form.elsewhere(i18n.get())}</p>
            <ErrorNotice error=error />
            <div class="confirm-row">
                <button type="submit" class="primary" id="save-contact" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t().working } else { i18n.t().book.save }}
                </button>
                <button type="button" class="secondary" id="cancel-contact" on:click=move |_| done.run(None)>
                    {tx(|t| t.book.cancel)}
                </button>
            </div>
        </form>
    }
}

/// The customer's orders in the index, with their totals.
#[component]
fn CustomerOrders(customer: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let orders = RwSignal::new(None::<Vec<IndexedOrder>>);
    let error = RwSignal::new(None::<ApiError>);
    let key = search_key(&customer);
    leptos::task::spawn_local(async move {
        let linked = api::orders_of_customer(&customer.id).await;
        let found = api::orders_matching(&key).await;
        match (linked, found) {
            (Ok(linked), Ok(found)) => {
                let theirs = merge(linked.items, found.items, &customer);
                let _ = orders.try_set(Some(theirs));
            }
            (Err(e), _) | (_, Err(e)) => {
                let _ = error.try_set(Some(e));
            }
        }
    });
    let sums = Memo::new(move |_| orders.with(|o| totals(o.as_deref().unwrap_or_default())));
    let figure = move |f: fn(&Totals) -> Money| move || i18n.get().money(f(&sums.get()));
    view! {
        <section aria-labelledby="customer-orders-title">
            <h3 id="customer-orders-title">{tx(|t| t.book.orders_title)}</h3>
            <p class="muted small-print">{tx(|t| t.book.orders_note)}</p>
            <ErrorNotice error=error />
            <h4>{tx(|t| t.book.totals_title)}</h4>
            <dl class="facts" data-testid="customer-totals">
                <dt>{tx(|t| t.book.total_sent)}</dt><dd data-testid="total-sent">{figure(|t| t.sent)}</dd>
                <dt>{tx(|t| t.book.total_paid)}</dt><dd data-testid="total-paid">{figure(|t| t.paid)}</dd>
                <dt>{tx(|t| t.book.total_outstanding)}</dt><dd data-testid="total-outstanding">{figure(|t| t.outstanding)}</dd>
                <dt>{tx(|t| t.book.total_refunded)}</dt><dd data-testid="total-refunded">{figure(|t| t.refunded)}</dd>
            </dl>
            <Show when=move || orders.with(|o| o.as_ref().is_some_and(Vec::is_empty))>
                <p class="muted" data-testid="no-customer-orders">{tx(|t| t.book.no_orders)}</p>
            </Show>
            <DataTable testid="customer-orders" caption=|t| t.book.orders_title columns=vec![col(|t| t.col_order), col(|t| t.col_status), num(|t| t.amount), col(|t| t.col_created)]>
                {move || orders.get().unwrap_or_default().into_iter().map(|o| {
                    let amount = o.amount();
                    let created = o.created_at as f64;
                    view! {
                        <tr>
                            <th scope="row"><A href=format!("/orders/{}", o.uuid)><code>{o.uuid.clone()}</code></A></th>
                            <td><StatusBadge status=Signal::stored(o.status) /></td>
                            <td class="num">{move || amount.map(|a| i18n.get().money(a)).unwrap_or_default()}</td>
                            <td>{move || i18n.get().datetime(created)}</td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
        </section>
    }
}

/// After an erasure: what went, what stayed.
#[component]
fn Erased(erasure: Erasure) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        i18n.t()
            .book
            .erased
            .replace("{orders}", &erasure.orders.to_string())
            .replace("{audit}", &erasure.audit_rows.to_string())
    };
    view! {
        <p class="notice" role="status" id="erased-result" tabindex="-1" data-testid="erased">{text}</p>
    }
}

/// Offer everything stored about a customer as a JSON file.
fn download_json(x: &CustomerExport) -> Result<(), ApiError> {
    let text = serde_json::to_string_pretty(x).map_err(|e| ApiError::local(e.to_string()))?;
    let name = format!("frontdesk-customer-{}.json", x.customer.id);
    util::download(&name, "application/json;charset=utf-8", &text).map_err(ApiError::local)
}

/// The privacy rights: everything stored (clerks, admins) and erasure (admins).
#[component]
fn Privacy(customer: Customer, erased: RwSignal<Option<Erasure>>) -> impl IntoView {
    let auth = use_auth();
    let export = RwSignal::new(None::<CustomerExport>);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(customer.id.clone());
    // Every read is an access request the proxy audits.
    let read = move |download: bool| {
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            match api::export_customer(&id).await {
                Ok(x) => {
                    let failed = if download {
                        download_json(&x).err()
                    } else {
                        None
                    };
                    let _ = error.try_set(failed);
                    let _ = export.try_set(Some(x));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="privacy" aria-labelledby="privacy-title" data-testid="privacy">
            <h3 id="privacy-title">{tx(|t| t.book.privacy_title)}</h3>
            <p class="muted">{tx(|t| t.book.privacy_intro)}</p>
            <Show when=move || auth.may(Action::BookEdit)>
                <div class="toolbar">
                    <button type="button" class="secondary small" data-testid="export-json" on:click=move |_| read(true)>
                        {tx(|t| t.book.export_json)}
                    </button>
                    <button type="button" class="secondary small" data-testid="show-export" on:click=move |_| read(false)>
                        {tx(|t| t.book.show_export)}
                    </button>
                </div>
            </Show>
            <ErrorNotice error=error />
            {move || export.get().map(|x| view! { <ExportView export=x /> })}
            <Show when=move || auth.may(Action::BookErase)>
                <Erase customer=customer.clone() erased=erased />
            </Show>
        </section>
    }
}

/// Everything stored about the customer, readable: the entry, their orders, the audit rows.
#[component]
fn ExportView(export: CustomerExport) -> impl IntoView {
    let i18n = use_i18n();
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let lang = i18n.0.get_untracked();
    let orders = export
        .orders
        .iter()
        .map(|o| {
            let amount = o.get("amountOre").and_then(Value::as_i64).map(Money);
            let money = amount.map(|m| lang.money(m)).unwrap_or_default();
            format!("{} · {} · {money}", text(o, "uuid"), text(o, "status"))
        })
        .collect::<Vec<_>>();
    let audit = export
        .audit
        .iter()
        .map(|a| {
            let at = a.get("at").and_then(Value::as_f64).unwrap_or_default();
            let action = lang.action(&text(a, "action"));
            format!("{} · {action} · {}", lang.datetime(at), text(a, "actor"))
        })
        .collect::<Vec<_>>();
    let facts = facts(lang, &export.customer);
    view! {
        <div class="export-view" data-testid="export-view">
            <p class="small-print">{tx(|t| t.book.export_exported_at)}": "{lang.datetime(export.exported_at as f64)}</p>
            <dl class="facts">
                {facts.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd class="note-text">{value}</dd> }).collect_view()}
            </dl>
            <h4>{tx(|t| t.book.orders_title)}</h4>
            <ul>{orders.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
            <h4>{tx(|t| t.book.export_audit)}</h4>
            <ul>{audit.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
        </div>
    }
}

/// "Erase customer" and its confirmation, which says what stays and why.
#[component]
fn Erase(customer: Customer, erased: RwSignal<Option<Erasure>>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let name = customer.customer_details.full_name();
    let id = StoredValue::new(customer.id);
    let open = move |_| {
        asking.set(true);
        util::focus_id_later("erase-question".into());
    };
    let cancel = move || {
        asking.set(false);
        util::focus_id_later("erase-customer".into());
    };
    let confirm = move |_| {
        let id = id.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let out = api::erase_customer(&id).await;
            let _ = busy.try_set(false);
            match out {
                Ok(e) => {
                    let _ = erased.try_set(Some(e));
                    util::focus_id_later("erased-result".into());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let question = move || i18n.t().book.erase_question.replace("{name}", &name);
    view! {
        <button type="button" class="danger" id="erase-customer" on:click=open
            aria-expanded=move || asking.get().to_string()>
            {tx(|t| t.book.erase)}
        </button>
        <Show when=move || asking.get()>
            <div class="warn-confirm" role="alertdialog" aria-labelledby="erase-title"
                aria-describedby="erase-question" data-testid="erase-confirm"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        cancel();
                    }
                }>
                <h4 id="erase-title">{tx(|t| t.book.erase)}</h4>
                <p id="erase-question" tabindex="-1">{question.clone()}</p>
                <div class="confirm-row">
                    <button type="button" class="danger" id="erase-yes" disabled=move || busy.get() on:click=confirm>
                        {tx(|t| t.book.erase)}
                    </button>
                    <button type="button" class="secondary" id="erase-no" on:click=move |_| cancel()>
                        {tx(|t| t.back)}
                    </button>
                </div>
                <ErrorNotice error=error />
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::OrderStatus;
    use frontdesk_core::customer::{Address, CustomerDetails};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn kari() -> Customer {
        CustomerInput {
            customer_details: CustomerDetails {
                country_code: Some("+47".into()),
                msisdn: Some("46567468".into()),
                email: Some("Kari@Example.no".into()),
                name: "Nordmann".into(),
                address: Address::default(),
                ..CustomerDetails::default()
            },
            notes: None,
        }
        .into_customer("cus_1".into(), "user:a", 1)
    }

    fn order(status: OrderStatus, amount: i64, refunded: i64) -> IndexedOrder {
        IndexedOrder {
            status: Some(status),
            amount_ore: Some(amount),
            refunded_ore: Some(refunded),
            ..IndexedOrder::default()
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_customers_orders_are_theirs_by_email_phone_or_id_and_summed() {
        let c = kari();
        assert_eq!(search_key(&c), "Kari@Example.no");
        let by_email = IndexedOrder {
            email: Some("kari@example.no".into()),
            ..IndexedOrder::default()
        };
        let by_phone = IndexedOrder {
            phone: Some("4746567468".into()),
            ..IndexedOrder::default()
        };
        let other = IndexedOrder {
            email: Some("kari@example.no.evil".into()),
            phone: Some("4746567469".into()),
            ..IndexedOrder::default()
        };
        assert!(is_theirs(&by_email, &c) && is_theirs(&by_phone, &c));
        assert!(!is_theirs(&other, &c));
        // Linked by the book (any email), or found and theirs; each once, newest first.
        let at = |uuid: &str, created_at: i64, o: &IndexedOrder| IndexedOrder {
            uuid: uuid.into(),
            created_at,
            ..o.clone()
        };
        let linked = vec![at("ODR1", 30, &other), at("ODR2", 10, &by_email)];
        let found = vec![
            at("ODR2", 10, &by_email),
            at("ODR3", 20, &by_phone),
            at("ODR4", 40, &other),
        ];
        let merged: Vec<String> = merge(linked, found, &c)
            .into_iter()
            .map(|o| o.uuid)
            .collect();
        assert_eq!(merged, ["ODR1", "ODR3", "ODR2"]);
        let t = totals(&[
            order(OrderStatus::Paid, 10_000, 0),
            order(OrderStatus::Sent, 5_000, 0),
            order(OrderStatus::PartialRefunded, 2_000, 500),
            order(OrderStatus::Cancelled, 700, 0),
        ]);
        assert_eq!(t.sent, Money(17_700));
        assert_eq!(t.paid, Money(12_000));
        assert_eq!(t.outstanding, Money(5_000));
        assert_eq!(t.refunded, Money(500));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_edit_form_sends_what_was_typed_by_path() {
        let mut texts = BTreeMap::new();
        texts.insert("customerDetails.name".to_owned(), " Kari ".to_owned());
        texts.insert("customerDetails.email".to_owned(), String::new());
        texts.insert("notes".to_owned(), "VIP".to_owned());
        assert_eq!(
            body_of(&texts),
            serde_json::json!({"customerDetails": {"name": "Kari"}, "notes": "VIP"})
        );
        let filled = input_value(&kari());
        assert_eq!(text_at(&filled, "customerDetails.msisdn"), "46567468");
        assert!(editable().all(|c| c.key != "id"));
    }
}
