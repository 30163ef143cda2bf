//! `/customers`: the customer book (issue 18). Search by name, email, phone or number as one
//! types, keyset pages ("Show more"), active or archived entries, the rows shown as CSV in the
//! language's spreadsheet layout, and (clerks, admins) the CSV import.

use frontdesk_core::book::csv::customers_csv;
use frontdesk_core::roles::Action;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiError, Customer, ShelfQuery, Shown};
use crate::auth::use_auth;
use crate::components::book::{Shelf, ShelfFilters, ShelfPager, customer_contact, dialect};
use crate::components::notice::ErrorNotice;
use crate::components::table::{DataTable, col};
use crate::follow_up::export;
use crate::i18n::{tx, use_i18n};
use crate::util;

/// Entries per page.
pub const PAGE_SIZE: u32 = 25;

/// A list of one shelf as the pages show it: the entries so far (pages appended by "Show
/// more"), the cursor of the next page, and whether a read is on its way.
pub struct Listing<T: Send + Sync + 'static> {
    pub rows: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    latest: util::Latest,
}

impl<T: Clone + Send + Sync + 'static> Listing<T> {
    pub fn new() -> Listing<T> {
        Listing {
            rows: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            latest: util::Latest::default(),
        }
    }

    /// Read a page of `query` (`more`: the page after the rows shown, appended; else the first,
    /// replacing them). Only the newest read paints.
    pub fn load<F>(
        self,
        query: ShelfQuery,
        more: bool,
        read: impl FnOnce(ShelfQuery) -> F + 'static,
    ) where
        F: Future<Output = Result<api::Page<T>, ApiError>> + 'static,
    {
        let query = ShelfQuery {
            cursor: if more {
                self.next.get_untracked().unwrap_or_default()
            } else {
                String::new()
            },
            limit: PAGE_SIZE,
            ..query
        };
        let mine = self.latest.ticket();
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            let result = read(query).await;
            if !self.latest.is_current(mine) {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    self.error.set(None);
                    self.next.set(page.next_cursor);
                    if more {
                        self.rows.update(|r| r.extend(page.items));
                    } else {
                        self.rows.set(page.items);
                    }
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}

impl<T: Send + Sync + 'static> Clone for Listing<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Listing<T> {}

impl<T: Clone + Send + Sync + 'static> Default for Listing<T> {
    fn default() -> Self {
        Listing::new()
    }
}

/// Offer `text` as a CSV download named `frontdesk-{what}-{today}.csv` (an error when the
/// browser refused).
pub fn download_csv(what: &str, text: &str) -> Result<(), ApiError> {
    let name = format!("frontdesk-{what}-{}.csv", export::today(util::now_ms()));
    util::download(&name, "text/csv;charset=utf-8", text).map_err(ApiError::local)
}

#[component]
pub fn CustomersPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let q = RwSignal::new(query.with_untracked(|m| m.get("q").unwrap_or_default()));
    let shown = RwSignal::new(Shown::Active);
    let list = Listing::<Customer>::new();
    let read = |query: ShelfQuery| async move { api::customers(&query).await };
    let current = move || ShelfQuery {
        q: q.get_untracked(),
        shown: shown.get_untracked(),
        ..ShelfQuery::default()
    };
    Effect::new(move |_| {
        let typed = q.get();
        shown.track();
        util::replace_query(&api::query(&[("q", typed.trim())]));
        list.load(current(), false, read);
    });
    let export_error = RwSignal::new(None::<ApiError>);
    let export_csv = move |_| {
        let text = list
            .rows
            .with_untracked(|rows| customers_csv(dialect(i18n.0.get_untracked()), rows));
        export_error.set(download_csv("customers", &text).err());
    };
    let may_edit = move || auth.may(Action::BookEdit);
    view! {
        <section class="card wide" aria-labelledby="customers-title">
            <div class="page-head">
                <h2 id="customers-title">{tx(|t| t.book.customers_title)}</h2>
                <div class="toolbar">
                    <button type="button" class="secondary small" data-testid="export-customers"
                        on:click=export_csv disabled=move || list.rows.with(Vec::is_empty)>
                        {tx(|t| t.book.export_shown)}
                    </button>
                    <Show when=may_edit>
                        <A href="/customers/import" attr:class="button small secondary">{tx(|t| t.book.import_csv)}</A>
                        <A href="/customers/new" attr:class="button small primary" attr:id="new-customer">{tx(|t| t.book.new_customer)}</A>
                    </Show>
                </div>
            </div>
            <Show when=move || !may_edit()>
                <p class="muted small-print">{tx(|t| t.book.read_only)}</p>
            </Show>
            <ErrorNotice error=export_error />
            <ShelfFilters shelf=Shelf::Customers q=q shown=shown />
            <ErrorNotice error=list.error retry=Callback::new(move |_| list.load(current(), false, read)) />
            <DataTable testid="customers-table" caption=|t| t.book.customers_title busy=list.loading columns=vec![col(|t| t.name), col(|t| t.col_contact), col(|t| t.address_legend), col(|t| t.col_status)]>
                <For each=move || list.rows.get() key=|c| (c.id.clone(), c.updated_at, c.archived) let:customer>
                    <CustomerRow customer=customer />
                </For>
            </DataTable>
            <Show when=move || !list.loading.get() && list.rows.with(Vec::is_empty)>
                <p class="muted" data-testid="no-customers">{tx(|t| t.book.no_customers)}</p>
            </Show>
            <ShelfPager shelf=Shelf::Customers count=move || list.rows.with(Vec::len)
                has_more=move || list.next.with(Option::is_some)
                more=Callback::new(move |_| list.load(current(), true, read)) />
        </section>
    }
}

#[component]
fn CustomerRow(customer: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/customers/{}", customer.id);
    let d = &customer.customer_details;
    let place = format!("{} {}", d.address.zip, d.address.city)
        .trim()
        .to_owned();
    let name = d.full_name();
    let contact = customer_contact(&customer);
    let archived = customer.archived;
    view! {
        <tr data-customer=customer.id.clone()>
            <th scope="row"><A href=href>{name}</A></th>
            <td>{contact}</td>
            <td>{place}</td>
            <td>{move || if archived { i18n.t().book.archived_badge } else { i18n.t().book.shown_active }}</td>
        </tr>
    }
}
