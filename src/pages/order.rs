//! `/orders/{uuid}`: details, status with amounts, invoice number, timeline, the actions the
//! status and role allow, and (on a sandbox) the simulation panel. Live: the status is asked
//! again every few seconds and everything reloads when it changed. A status without amounts
//! (the live server's) is completed from the details and the audit ([`Loaded::order_amount`]).

use frontdesk_core::ids::OrderId;
use frontdesk_core::{Endpoint, Money, OrderDetails, OrderStatus, OrderStatusDetail};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError, AuditPage};
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::components::order_actions::OrderActions;
use crate::components::sandbox_panel::SandboxPanel;
use crate::components::timeline::Timeline;
use crate::follow_up::{Loaded, contact_line};
use crate::i18n::{tx, use_i18n};
use crate::pages::orders::POLL_MS;
use crate::util;

fn path(endpoint: Endpoint, id: &OrderId) -> String {
    endpoint.path(Some(id)).unwrap_or_default()
}

async fn load(id: &OrderId) -> Result<Loaded, ApiError> {
    let audit = format!(
        "/console/audit{}",
        api::query(&[("order", id.as_str()), ("limit", "100")])
    );
    let (details_path, status_path) = (path(Endpoint::Details, id), path(Endpoint::Status, id));
    // Independent reads, in parallel: one round trip instead of three.
    let (details, state, events) = futures::join!(
        api::get_data::<OrderDetails>(&details_path),
        api::get_data::<OrderStatusDetail>(&status_path),
        api::get_data::<AuditPage>(&audit),
    );
    let (details, state) = (details?, state?);
    // Get Invoice Number only where contract-notes says one exists.
    let invoice_number = if state.status.has_invoice_number()
        && (details.kind.is_invoice() || details.invoice_number.is_some())
    {
        api::get_data::<frontdesk_core::responses::InvoiceNumber>(&path(
            Endpoint::InvoiceNumber,
            id,
        ))
        .await
        .ok()
        .map(|n| n.invoice_number)
        .or(details.invoice_number.clone())
    } else {
        details.invoice_number.clone()
    };
    Ok(Loaded {
        details,
        state,
        invoice_number,
        events: events.map(|p| p.items).unwrap_or_default(),
    })
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let uuid = Memo::new(move |_| params.with(|p| p.get("uuid").unwrap_or_default()));
    let loaded = RwSignal::new(None::<Loaded>);
    let error = RwSignal::new(None::<ApiError>);
    let latest = util::Latest::default();

    let reload = move || {
        let Ok(id) = uuid.get_untracked().parse::<OrderId>() else {
            error.set(Some(ApiError::Http {
                status: 404,
                message: frontdesk_core::ApiMessage::OrderNotFound.as_str().into(),
                errors: None,
            }));
            return;
        };
        let mine = latest.ticket();
        leptos::task::spawn_local(async move {
            let result = load(&id).await;
            if !latest.is_current(mine) {
                return;
            }
            match result {
                Ok(l) => {
                    error.set(None);
                    if loaded.with_untracked(|old| old.as_ref() != Some(&l)) {
                        loaded.set(Some(l));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        uuid.track();
        loaded.set(None);
        reload();
    });
    // Live: ask for the status; reload everything when it (or the refunded amount) moved.
    util::every(POLL_MS, move || {
        let Ok(id) = uuid.get_untracked().parse::<OrderId>() else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(now) = api::get_data::<OrderStatusDetail>(&path(Endpoint::Status, &id)).await
                && loaded.with_untracked(|l| l.as_ref().is_some_and(|l| l.state != now))
            {
                reload();
            }
        });
    });
    let done = Callback::new(move |_| reload());

    let status = Signal::derive(move || loaded.with(|l| l.as_ref().map(|l| l.state.status)));
    view! {
        <section class="card wide" aria-labelledby="order-title">
            <p><A href="/orders">{tx(|t| t.back_to_orders)}</A></p>
            <div class="page-head">
                <h2 id="order-title">{tx(|t| t.order_title)}" "<code data-testid="order-id">{move || uuid.get()}</code></h2>
                <StatusBadge status=status />
            </div>
            <ErrorNotice error=error retry=Callback::new(move |_| reload()) />
            <Show
                when=move || loaded.with(Option::is_some)
                fallback=move || view! { <Show when=move || error.with(Option::is_none)><p class="muted">{tx(|t| t.loading)}</p></Show> }
            >
                {move || loaded.get().map(|l| view! { <Facts loaded=l /> })}
                <OrderActions loaded=Signal::derive(move || loaded.get()) done=done />
                <SandboxPanel loaded=Signal::derive(move || loaded.get()) done=done />
                <Timeline events=Signal::derive(move || loaded.with(|l| l.as_ref().map(|l| l.events.clone()).unwrap_or_default())) />
            </Show>
        </section>
    }
}

/// The order's facts: amounts, dates, customer, products.
#[component]
fn Facts(loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let d = loaded.details.clone();
    let (order_amount, refunded_amount) = (loaded.order_amount(), loaded.refunded_amount());
    let left = loaded.left_to_refund();
    let refunded = loaded.refunded_lines();
    let c = d.customer_details.clone();
    let contact = contact_line(
        c.country_code.as_deref(),
        c.msisdn.as_deref(),
        c.email.as_deref(),
    );
    let personal_number = c.personal_number.clone();
    let organization_id = c.organization_id.clone();
    let order_date = d.order_date.clone();
    let due = d.payment_link_due_date.clone();
    let kind = d.kind;
    let status_now: OrderStatus = loaded.state.status;
    let invoice = loaded.invoice_number.clone();
    let products = d.product_list.clone();
    let summary = d.order_summary;
    view! {
        <div class="facts-grid">
            <section aria-labelledby="facts-title">
                <h3 id="facts-title">{tx(|t| t.order_facts)}</h3>
                <dl class="facts" data-testid="order-facts">
                    <dt>{tx(|t| t.col_kind)}</dt><dd data-testid="order-kind">{move || i18n.get().kind(kind)}</dd>
                    <dt>{tx(|t| t.col_status)}</dt><dd data-testid="order-status">{move || i18n.get().status(status_now)}</dd>
                    <dt>{tx(|t| t.order_amount)}</dt><dd data-testid="order-amount">{move || i18n.get().money(order_amount)}</dd>
                    <dt>{tx(|t| t.refunded_amount)}</dt><dd data-testid="refunded-amount">{move || i18n.get().money(refunded_amount)}</dd>
                    <dt>{tx(|t| t.left_to_refund)}</dt><dd data-testid="left-to-refund">{move || i18n.get().money(left)}</dd>
                    <dt>{tx(|t| t.order_date)}</dt><dd>{date_text(&order_date)}</dd>
                    {due.map(|due| view! { <dt>{tx(|t| t.link_due)}</dt><dd>{date_text(&due)}</dd> })}
                    {invoice.map(|n| view! { <dt>{tx(|t| t.invoice_number)}</dt><dd data-testid="invoice-number">{n}</dd> })}
                </dl>
            </section>
            <section aria-labelledby="customer-title">
                <h3 id="customer-title">{tx(|t| t.customer_title)}</h3>
                <dl class="facts">
                    <dt>{tx(|t| t.name)}</dt><dd data-testid="customer-name">{c.name.clone()}</dd>
                    <dt>{tx(|t| t.col_contact)}</dt><dd>{contact}</dd>
                    {personal_number.map(|n| view! { <dt>{tx(|t| t.personal_number)}</dt><dd>{n}</dd> })}
                    {organization_id.map(|n| view! { <dt>{tx(|t| t.organization_id)}</dt><dd>{n}</dd> })}
                    <dt>{tx(|t| t.customer_uuid)}</dt><dd><code>{c.uuid.as_str().to_owned()}</code></dd>
                </dl>
            </section>
        </div>
        <section aria-labelledby="products-title">
            <h3 id="products-title">{tx(|t| t.products_title)}</h3>
            <div class="table-wrap">
                <table class="data" data-testid="order-products">
                    <thead>
                        <tr>
                            <th scope="col">{tx(|t| t.product_name)}</th>
                            <th scope="col" class="num">{tx(|t| t.quantity)}</th>
                            <th scope="col" class="num">{tx(|t| t.rate)}</th>
                            <th scope="col" class="num">{tx(|t| t.discount)}</th>
                            <th scope="col" class="num">{tx(|t| t.tax)}</th>
                            <th scope="col" class="num">{tx(|t| t.amount)}</th>
                            <th scope="col" class="num">{tx(|t| t.refunded_amount)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {products.into_iter().map(|p| {
                            let back = Money(refunded.get(&p.id).copied().unwrap_or(0));
                            view! {
                                <tr>
                                    <th scope="row">{p.name.clone()}{p.product_id.clone().map(|id| view! { <span class="muted block">{id}</span> })}</th>
                                    <td class="num">{p.quantity.to_string()}</td>
                                    <td class="num">{move || i18n.get().money(p.rate)}</td>
                                    <td class="num">{move || i18n.get().money(p.discount)}</td>
                                    <td class="num">{format!("{} %", p.tax)}</td>
                                    <td class="num">{move || i18n.get().money(p.amount)}</td>
                                    <td class="num">{move || i18n.get().money(back)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr><th scope="row" colspan="5">{tx(|t| t.sub_total)}</th><td class="num">{move || i18n.get().money(summary.sub_total)}</td><td></td></tr>
                        <tr><th scope="row" colspan="5">{tx(|t| t.total_tax)}</th><td class="num">{move || i18n.get().money(summary.tax)}</td><td></td></tr>
                        <tr><th scope="row" colspan="5">{tx(|t| t.total_discount)}</th><td class="num">{move || i18n.get().money(summary.discount)}</td><td></td></tr>
                        <tr class="total"><th scope="row" colspan="5">{tx(|t| t.grand_total)}</th><td class="num" data-testid="grand-total">{move || i18n.get().money(summary.grand_total)}</td><td></td></tr>
                    </tfoot>
                </table>
            </div>
        </section>
    }
}

/// The API's Unix-seconds dates per locale (or as they came, when not a number).
fn date_text(raw: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let raw = raw.to_owned();
    move || match raw.trim().parse::<f64>() {
        Ok(secs) => i18n.get().datetime(secs * 1000.0),
        Err(_) => raw.clone(),
    }
}
