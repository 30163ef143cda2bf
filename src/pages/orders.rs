//! `/`, `/orders` (the list over the proxy's order index) and 404.

use frontdesk_core::OrderStatus;
use frontdesk_core::report::{AgeBucket, DateBasis};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError, IndexedOrder, OrdersPage as Page};
use crate::auth::{landing, use_auth};
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::components::table::{DataTable, col, num};
use crate::follow_up::export;
use crate::i18n::{Lang, plural, tx, use_i18n};
use crate::pages::overview::age_label;
use crate::pages::period;
use crate::util;

/// How often an open list asks again (live status goal: a change shows within 5 s).
pub const POLL_MS: u64 = 3_000;
const PAGE_SIZE: u32 = 25;
const EXPORT_PAGE: u32 = 100;

/// `/`: to where the role starts when signed in, else to the login.
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if auth.checked.get() {
            let to = auth
                .user
                .with(|u| u.as_ref().map(|u| landing(u, None)))
                .unwrap_or_else(|| "/login".into());
            navigate(
                &to,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! { <p class="muted">{tx(|t| t.loading)}</p> }
}

/// The list's filters, as in the address bar. The overview's links bring `from`/`to` (Oslo
/// days, of creation unless `basis` says `paymentDate` or `orderDate`), `overdue` (an age
/// bucket's wire name) and `outstanding=1` (not yet paid).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filters {
    status: String,
    q: String,
    sort: String,
    from: String,
    to: String,
    basis: String,
    overdue: String,
    outstanding: String,
}

impl Filters {
    fn pairs<'a>(&'a self, cursor: &'a str, limit: &'a str) -> [(&'a str, &'a str); 10] {
        [
            ("status", &self.status),
            ("q", &self.q),
            (
                "sort",
                if self.sort == "-created" {
                    ""
                } else {
                    &self.sort
                },
            ),
            ("from", &self.from),
            ("to", &self.to),
            ("basis", &self.basis),
            ("overdue", &self.overdue),
            ("outstanding", &self.outstanding),
            ("cursor", cursor),
            ("limit", limit),
        ]
    }

    /// The overview's filters in words (`Created: 01.01.2026–31.01.2026`), if any.
    fn overview_note(&self, lang: Lang) -> Option<String> {
        let t = lang.texts();
        let mut parts = Vec::new();
        if !self.from.is_empty() || !self.to.is_empty() {
            let (from, to) = (
                period::day_label(lang, &self.from),
                period::day_label(lang, &self.to),
            );
            let dated = match DateBasis::parse(Some(self.basis.as_str())) {
                _ if self.basis.is_empty() => t.filter_created,
                Some(DateBasis::PaymentDate) => t.figure_paid,
                Some(DateBasis::OrderDate) => t.order_date,
                None => t.filter_created,
            };
            parts.push(format!("{dated}: {from}–{to}"));
        }
        if !self.outstanding.is_empty() {
            parts.push(t.figure_outstanding.to_owned());
        }
        if !self.overdue.is_empty() {
            let words = self
                .overdue
                .parse::<AgeBucket>()
                .map_or_else(|()| self.overdue.clone(), |b| age_label(lang, b).to_owned());
            parts.push(format!("{}: {words}", t.col_age));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

const SORTS: [&str; 4] = ["-created", "created", "-amount", "amount"];

fn sort_label(lang: Lang, sort: &str) -> &'static str {
    let t = lang.texts();
    match sort {
        "created" => t.sort_oldest,
        "-amount" => t.sort_amount_desc,
        "amount" => t.sort_amount_asc,
        _ => t.sort_newest,
    }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let initial = |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    let filters = RwSignal::new(Filters {
        status: initial("status"),
        q: initial("q"),
        sort: Some(initial("sort"))
            .filter(|s| SORTS.contains(&s.as_str()))
            .unwrap_or_else(|| "-created".into()),
        from: initial("from"),
        to: initial("to"),
        basis: initial("basis"),
        overdue: initial("overdue"),
        outstanding: initial("outstanding"),
    });
    // Cursors of the pages before the current one; the current page's cursor is the last.
    let cursors = RwSignal::new(Vec::<String>::new());
    let page = RwSignal::new(None::<Page>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let latest = util::Latest::default();

    let load = move |silent: bool| {
        let f = filters.get_untracked();
        let cursor = cursors.with_untracked(|c| c.last().cloned().unwrap_or_default());
        let limit = PAGE_SIZE.to_string();
        let path = format!("/console/orders{}", api::query(&f.pairs(&cursor, &limit)));
        let mine = latest.ticket();
        if !silent {
            loading.set(true);
        }
        leptos::task::spawn_local(async move {
            let result = api::get_data::<Page>(&path).await;
            if !latest.is_current(mine) {
                return;
            }
            loading.set(false);
            match result {
                Ok(p) => {
                    error.set(None);
                    page.set(Some(p));
                }
                // A failed background refresh keeps the rows on screen.
                Err(_) if silent => {}
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        let f = filters.get();
        cursors.track();
        util::replace_query(&api::query(&f.pairs("", "")));
        load(false);
    });
    util::every(POLL_MS, move || load(true));

    let set_filter = move |change: &dyn Fn(&mut Filters)| {
        cursors.set(Vec::new());
        filters.update(|f| change(f));
    };

    // Tabs: every status of the lifecycle, with counts over the search.
    let count = move |key: Option<OrderStatus>| {
        page.with(|p| {
            p.as_ref().and_then(|p| match key {
                None if p.counts_capped => Some(format!("{}+", p.total)),
                None => Some(p.counted().to_string()),
                // A broad search is not split by status (the proxy stops counting).
                Some(_) if p.counts_capped => None,
                Some(s) => Some(p.count_of(s).to_string()),
            })
        })
    };
    let tab = move |key: Option<OrderStatus>| {
        let wire = key.map(OrderStatus::as_str).unwrap_or_default();
        let selected = move || filters.with(|f| f.status.eq_ignore_ascii_case(wire));
        view! {
            <li>
                <button
                    type="button"
                    class="tab"
                    class:selected=selected
                    aria-pressed=move || selected().to_string()
                    data-status=wire
                    on:click=move |_| set_filter(&|f| f.status = wire.to_owned())
                >
                    {move || match key {
                        Some(s) => i18n.get().status(s),
                        None => i18n.t().status_all,
                    }}
                    " "
                    <span class="count">{move || count(key).unwrap_or_default()}</span>
                </button>
            </li>
        }
    };
    let tabs: Vec<_> = std::iter::once(None)
        .chain(OrderStatus::ALL.into_iter().map(Some))
        .map(tab)
        .collect();

    // CSV of exactly the filtered view: every page of it, same filters and sort.
    let exporting = RwSignal::new(None::<usize>);
    let export_error = RwSignal::new(None::<ApiError>);
    let export_csv = move |_| {
        let f = filters.get_untracked();
        let lang = i18n.0.get_untracked();
        exporting.set(Some(0));
        export_error.set(None);
        // The proxy masks personal numbers for everyone but admins; the CSV says the same.
        let admin = auth.user.with_untracked(|u| {
            u.as_ref()
                .is_some_and(|u| u.role == frontdesk_core::roles::Role::Admin)
        });
        leptos::task::spawn_local(async move {
            let mut orders = Vec::new();
            let mut cursor = String::new();
            let limit = EXPORT_PAGE.to_string();
            loop {
                let path = format!("/console/orders{}", api::query(&f.pairs(&cursor, &limit)));
                match api::get_data::<Page>(&path).await {
                    Ok(p) => {
                        orders.extend(p.items);
                        exporting.set(Some(orders.len()));
                        match p.next_cursor {
                            Some(c) => cursor = c,
                            None => break,
                        }
                    }
                    Err(e) => {
                        export_error.set(Some(e));
                        exporting.set(None);
                        return;
                    }
                }
            }
            let text = export::orders_csv(lang, &orders, admin);
            let name = format!("frontdesk-orders-{}.csv", export::today(util::now_ms()));
            if let Err(e) = util::download(&name, "text/csv;charset=utf-8", &text) {
                export_error.set(Some(ApiError::local(e)));
            }
            exporting.set(None);
        });
    };

    let sync_note = RwSignal::new(None::<String>);
    let sync = move |_| {
        leptos::task::spawn_local(async move {
            match api::sync().await {
                Ok(synced) => {
                    let changed = synced.changed;
                    sync_note.set(Some(format!("{} {changed}", i18n.t().synced)));
                    load(false);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let can_sync = move || auth.may(frontdesk_core::roles::Action::ConsoleSync);
    let can_create = move || auth.can_create();

    view! {
        <section class="card wide" aria-labelledby="orders-title">
            <div class="page-head">
                <h2 id="orders-title">{tx(|t| t.orders_title)}</h2>
                <div class="toolbar">
                    <button type="button" class="secondary small" data-testid="export-csv"
                        on:click=export_csv disabled=move || exporting.with(Option::is_some)>
                        {move || match exporting.get() {
                            Some(n) => format!("{} {n}", i18n.t().exporting),
                            None => i18n.t().export_csv.to_owned(),
                        }}
                    </button>
                    <Show when=can_sync>
                        <button type="button" class="secondary small" on:click=sync>{tx(|t| t.sync_now)}</button>
                    </Show>
                    <Show when=can_create>
                        <A href="/orders/new" attr:class="button small">{tx(|t| t.nav_new_order)}</A>
                    </Show>
                </div>
            </div>
            <p class="muted small-print">{tx(|t| t.live_note)}</p>
            {move || filters.with(|f| f.overview_note(i18n.get())).map(|note| view! {
                <p class="active-filter" data-testid="active-filter">
                    <span>{note}</span>
                    " "
                    <button type="button" class="link" data-testid="clear-filter"
                        on:click=move |_| set_filter(&|f| {
                            f.from.clear();
                            f.to.clear();
                            f.basis.clear();
                            f.overdue.clear();
                            f.outstanding.clear();
                        })>
                        {tx(|t| t.clear_filter)}
                    </button>
                </p>
            })}
            <p role="status" class="small-print">{move || sync_note.get()}</p>
            <ErrorNotice error=export_error />
            <div class="filters">
                <label class="search">
                    <span>{tx(|t| t.search_label)}</span>
                    <input
                        type="search"
                        data-testid="order-search"
                        placeholder=tx(|t| t.search_hint)
                        aria-description=tx(|t| t.search_hint)
                        prop:value=move || filters.with(|f| f.q.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            set_filter(&|f| f.q = v.clone());
                        }
                    />
                </label>
                <label>
                    <span>{tx(|t| t.sort_label)}</span>
                    <select
                        data-testid="order-sort"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set_filter(&|f| f.sort = v.clone());
                        }
                    >
                        {SORTS.into_iter().map(|s| view! {
                            <option value=s selected=move || filters.with(|f| f.sort == s)>
                                {move || sort_label(i18n.get(), s)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <nav aria-label=tx(|t| t.status_filter_label)>
                <ul class="tabs">{tabs}</ul>
            </nav>
            <ErrorNotice error=error retry=Callback::new(move |_| load(false)) />
            <DataTable testid="orders-table" table_class="data orders-table" caption=|t| t.orders_title busy=loading columns=vec![col(|t| t.col_order), col(|t| t.col_customer), col(|t| t.col_kind), num(|t| t.amount), col(|t| t.col_status), col(|t| t.col_created)]>
                <For
                    each=move || page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default())
                    key=|o| (o.uuid.clone(), o.status)
                    let:order
                >
                    <OrderRow order=order />
                </For>
            </DataTable>
            <Show when=move || page.with(|p| p.as_ref().is_some_and(|p| p.items.is_empty()))>
                <p class="muted" data-testid="no-orders">{tx(|t| t.no_orders)}</p>
            </Show>
            <div class="pager">
                <span class="muted" data-testid="orders-total">
                    {move || page.with(|p| p.as_ref().map(|p| {
                        let plus = if p.counts_capped { "+" } else { "" };
                        let t = i18n.t();
                        let n = p.total;
                        format!("{n}{plus} {}", plural(n, t.order_one, t.orders_count))
                    }))}
                </span>
                <button type="button" class="secondary small"
                    disabled=move || cursors.with(Vec::is_empty)
                    on:click=move |_| cursors.update(|c| { c.pop(); })>
                    {tx(|t| t.prev_page)}
                </button>
                <button type="button" class="secondary small" data-testid="next-page"
                    disabled=move || page.with(|p| p.as_ref().is_none_or(|p| p.next_cursor.is_none()))
                    on:click=move |_| {
                        if let Some(next) = page.with_untracked(|p| p.as_ref().and_then(|p| p.next_cursor.clone())) {
                            cursors.update(|c| c.push(next));
                        }
                    }>
                    {tx(|t| t.next_page)}
                </button>
            </div>
        </section>
    }
}

#[component]
fn OrderRow(order: IndexedOrder) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/orders/{}", order.uuid);
    let status = order.status;
    let amount = order.amount();
    let kind = order.kind;
    let created = order.created_at as f64;
    // The index keeps a phone as digits with the calling code.
    let contact = [
        order.email.clone(),
        order.phone.as_ref().map(|p| format!("+{p}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let status_only = order.is_status_only();
    let uuid = order.uuid.clone();
    // The proxy's full name (core's rule), else the name as indexed.
    let name = order
        .full_name
        .clone()
        .or_else(|| order.customer_name.clone())
        .unwrap_or_default();
    // Cell classes place the cells on a card on narrow screens (style/main.css).
    view! {
        <tr data-uuid=order.uuid.clone()>
            <th scope="row" class="c-order"><A href=href><code>{uuid}</code></A></th>
            <td class="c-customer">
                <span data-testid="customer-name">{name}</span>
                <span class="muted block">{contact}</span>
                {status_only.then(|| view! { <span class="muted block">{tx(|t| t.status_only)}</span> })}
            </td>
            <td class="c-kind">{move || kind.map(|k| i18n.get().kind(k)).unwrap_or_default()}</td>
            <td class="num c-amount">{move || amount.map(|a| i18n.get().money(a)).unwrap_or_default()}</td>
            <td class="c-status"><StatusBadge status=Signal::stored(status) /></td>
            <td class="c-created">{move || i18n.get().datetime(created)}</td>
        </tr>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h2>"404"</h2>
            <p>{tx(|t| t.not_found)}</p>
            <p><A href="/">"Frontdesk"</A></p>
        </section>
    }
}
