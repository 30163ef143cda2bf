//! `/orders/{uuid}`: everything the order was sent with (details upstream, completed by the
//! proxy's record: first name, references, cancellation note), status with amounts, invoice
//! number, the internal note, timeline, the actions the status and role allow (or why not),
//! "Duplicate", "Print" (a receipt: style/main.css `@media print`) and, on a sandbox, the
//! simulation panel. Live: the status is asked again every few seconds and everything reloads
//! when it changed. A status without amounts (the live server's) is completed from the details
//! and the audit ([`Loaded::order_amount`]).

use frontdesk_core::ids::{OrderId, country};
use frontdesk_core::order::parse_order_date;
use frontdesk_core::validate::{Context, MAX_NOTE, validate_note};
use frontdesk_core::{CustomerType, Endpoint, Money, OrderDetails, OrderStatus, OrderStatusDetail};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::{Value, json};

use crate::api::{self, ApiError, AuditPage};
use crate::auth::{NEW_ORDER_PATH, use_auth};
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::components::order_actions::{OrderActions, current_role};
use crate::components::sandbox_panel::SandboxPanel;
use crate::components::timeline::Timeline;
use crate::draft::{self, OrderDraft, StoredDraft};
use crate::follow_up::{
    LinkDue, Loaded, contact_line, create_payload, customer_name, link_due, may_edit_note,
    refundable, shown_personal_number,
};
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
    // Independent reads, in parallel: one round trip instead of four.
    let (details, state, events, record) = futures::join!(
        api::get_data::<OrderDetails>(&details_path),
        api::get_data::<OrderStatusDetail>(&status_path),
        api::get_data::<AuditPage>(&audit),
        api::order_record(id.as_str()),
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
        record: record.ok(),
    })
}

/// Put the order into the New order form's draft, through the draft's own reader; false when
/// the form holds a submit whose outcome is unknown (it must be finished first, never lost).
fn start_duplicate(l: &Loaded) -> bool {
    let kind = l.details.kind;
    if draft::load(kind).is_some_and(|d| d.pending.is_some()) {
        return false;
    }
    let data = OrderDraft::from_payload(kind, &create_payload(l));
    draft::save(
        kind,
        &StoredDraft {
            data,
            key: util::random_key(),
            pending: None,
            saved_at: util::now_ms(),
        },
    );
    draft::set_last_kind(kind);
    true
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let auth = use_auth();
    let navigate = use_navigate();
    let uuid = Memo::new(move |_| params.with(|p| p.get("uuid").unwrap_or_default()));
    let loaded = RwSignal::new(None::<Loaded>);
    let error = RwSignal::new(None::<ApiError>);
    let latest = util::Latest::default();

    let reload = move || {
        let Ok(id) = uuid.get_untracked().parse::<OrderId>() else {
            error.set(Some(ApiError::Other {
                status: 404,
                message: frontdesk_core::ApiMessage::OrderNotFound.as_str().into(),
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

    let duplicate_blocked = RwSignal::new(false);
    let duplicate = StoredValue::new_local(move || {
        match loaded.with_untracked(|l| l.as_ref().map(start_duplicate)) {
            Some(true) => navigate(NEW_ORDER_PATH, Default::default()),
            Some(false) => duplicate_blocked.set(true),
            None => {}
        }
    });
    let print = move |_| {
        let _ = window().print();
    };

    let status = Signal::derive(move || loaded.with(|l| l.as_ref().map(|l| l.state.status)));
    view! {
        <section class="card wide order-page" aria-labelledby="order-title">
            <p class="no-print"><A href="/orders">{tx(|t| t.back_to_orders)}</A></p>
            <div class="page-head">
                <h2 id="order-title">{tx(|t| t.order_title)}" "<code data-testid="order-id">{move || uuid.get()}</code></h2>
                <StatusBadge status=status />
                <div class="toolbar no-print">
                    <Show when=move || auth.can_create() && loaded.with(Option::is_some)>
                        <button type="button" class="secondary small" data-testid="duplicate"
                            on:click=move |_| duplicate.with_value(|f| f())>
                            {tx(|t| t.duplicate)}
                        </button>
                    </Show>
                    <button type="button" class="secondary small" data-testid="print" on:click=print>
                        {tx(|t| t.print)}
                    </button>
                </div>
            </div>
            <Show when=move || duplicate_blocked.get()>
                <p class="notice warn no-print" role="alert">{tx(|t| t.duplicate_pending)}</p>
            </Show>
            <ErrorNotice error=error retry=Callback::new(move |_| reload()) />
            <Show
                when=move || loaded.with(Option::is_some)
                fallback=move || view! { <Show when=move || error.with(Option::is_none)><p class="muted">{tx(|t| t.loading)}</p></Show> }
            >
                {move || loaded.get().map(|l| view! { <Facts loaded=l /> })}
                <InternalNote loaded=loaded />
                <div class="no-print">
                    <OrderActions loaded=Signal::derive(move || loaded.get()) done=done />
                    <SandboxPanel loaded=Signal::derive(move || loaded.get()) done=done />
                    <Timeline events=Signal::derive(move || loaded.with(|l| l.as_ref().map(|l| l.events.clone()).unwrap_or_default())) />
                </div>
            </Show>
        </section>
    }
}

/// The order's facts: amounts, dates, references, the customer as sent, products.
#[component]
fn Facts(loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let role = current_role();
    let d = loaded.details.clone();
    let record = loaded.record.clone().unwrap_or_default();
    let kind = d.kind;
    let status_now: OrderStatus = loaded.state.status;
    let (order_amount, refunded_amount) = (loaded.order_amount(), loaded.refunded_amount());
    let left = loaded.left_to_refund();
    // "Left to refund" only where core's lifecycle allows a refund; "Refunded" also where
    // something was.
    let refunds = refundable(kind, status_now);
    let show_refunded = refunds || refunded_amount > Money::ZERO;
    let refunded = loaded.refunded_lines();
    let c = d.customer_details.clone();
    let name = customer_name(&loaded);
    let contact = contact_line(
        c.country_code.as_deref(),
        c.msisdn.as_deref(),
        c.email.as_deref(),
    );
    let customer_type = c.customer_type;
    let personal_number = c.personal_number.clone();
    let organization_id = c.organization_id.clone();
    let street = c.address.street.clone();
    let place = format!("{} {}", c.address.zip, c.address.city)
        .trim()
        .to_owned();
    let country_code = c.address.country.clone();
    let order_date = d.order_date.clone();
    let due = d
        .payment_link_due_date
        .clone()
        .zip(link_due(kind, status_now));
    let invoice = loaded.invoice_number.clone();
    // An invoice's due date, by core, from the request the proxy kept.
    let invoice_due = record.request.as_ref().and_then(|r| r.due_date(kind));
    let reference_no = record.reference_no.clone();
    let customer_reference = record.customer_reference.clone();
    let cancellation_note = record
        .cancellation_note
        .clone()
        .filter(|_| status_now == OrderStatus::Cancelled);
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
                    {show_refunded.then(|| view! {
                        <dt>{tx(|t| t.refunded_amount)}</dt><dd data-testid="refunded-amount">{move || i18n.get().money(refunded_amount)}</dd>
                    })}
                    {refunds.then(|| view! {
                        <dt>{tx(|t| t.left_to_refund)}</dt><dd data-testid="left-to-refund">{move || i18n.get().money(left)}</dd>
                    })}
                    <dt>{tx(|t| t.order_date)}</dt><dd>{date_text(&order_date)}</dd>
                    {due.map(|(due, meaning)| view! {
                        <dt>{move || match meaning {
                            LinkDue::ValidUntil => i18n.t().link_due,
                            LinkDue::ExpiredOn => i18n.t().link_expired,
                        }}</dt>
                        <dd data-testid="link-due">{date_text(&due)}</dd>
                    })}
                    {invoice.map(|n| view! { <dt>{tx(|t| t.invoice_number)}</dt><dd data-testid="invoice-number">{n}</dd> })}
                    {invoice_due.map(|ymd| view! { <dt>{tx(|t| t.due_date)}</dt><dd data-testid="due-date">{move || i18n.get().date(ymd)}</dd> })}
                    {reference_no.map(|r| view! { <dt>{tx(|t| t.reference_no)}</dt><dd data-testid="reference-no">{r}</dd> })}
                    {customer_reference.map(|r| view! { <dt>{tx(|t| t.customer_reference)}</dt><dd data-testid="customer-reference">{r}</dd> })}
                    {cancellation_note.map(|n| view! { <dt>{tx(|t| t.cancellation_note)}</dt><dd class="note-text" data-testid="cancellation-note">{n}</dd> })}
                </dl>
            </section>
            <section aria-labelledby="customer-title">
                <h3 id="customer-title">{tx(|t| t.customer_title)}</h3>
                <dl class="facts" data-testid="customer-facts">
                    <dt>{tx(|t| t.name)}</dt><dd data-testid="customer-name">{name}</dd>
                    <dt>{tx(|t| t.customer_type)}</dt>
                    <dd>{move || match customer_type {
                        CustomerType::Private => i18n.t().private,
                        CustomerType::Corporate => i18n.t().corporate,
                    }}</dd>
                    <dt>{tx(|t| t.address_legend)}</dt>
                    <dd data-testid="customer-address">
                        {street}<br />{place}<br />
                        {move || country::find(&country_code)
                            .map_or_else(|| country_code.clone(), |c| i18n.get().country_name(c).to_owned())}
                    </dd>
                    <dt>{tx(|t| t.col_contact)}</dt><dd data-testid="customer-contact">{contact}</dd>
                    {personal_number.map(|n| view! {
                        <dt>{tx(|t| t.personal_number)}</dt>
                        <dd data-testid="personal-number">{move || shown_personal_number(role.get(), &n)}</dd>
                    })}
                    {organization_id.map(|n| view! { <dt>{tx(|t| t.organization_id)}</dt><dd data-testid="organization-id">{n}</dd> })}
                    <dt>{tx(|t| t.customer_uuid)}</dt><dd><code>{c.uuid.as_str().to_owned()}</code></dd>
                </dl>
            </section>
        </div>
        <section class="products-section" aria-labelledby="products-title">
            <h3 id="products-title">{tx(|t| t.products_title)}</h3>
            // Scrolls sideways on a phone: focusable, so a keyboard can scroll it too (the
            // section around it is already the labelled landmark).
            <div class="table-wrap" tabindex="0">
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

/// The internal note: clerks and admins edit it, viewers read it. Kept by the proxy only
/// (`PUT /console/orders/{uuid}/note`), never sent to Front Payment, never printed. Core's
/// note rules are checked as it is typed.
#[component]
fn InternalNote(loaded: RwSignal<Option<Loaded>>) -> impl IntoView {
    let i18n = use_i18n();
    let role = current_role();
    // `None`: the proxy's record could not be read, so the note is unknown.
    let kept = Memo::new(move |_| {
        loaded.with(|l| {
            l.as_ref()
                .and_then(|l| l.record.as_ref())
                .map(|r| r.note.clone().unwrap_or_default())
        })
    });
    let mode = Memo::new(move |_| (kept.with(Option::is_some), may_edit_note(role.get())));
    let text = RwSignal::new(kept.get_untracked().unwrap_or_default());
    let problem = Memo::new(move |_| {
        let body = json!({ "note": text.get() });
        validate_note(&body, &Context::new(util::now_unix()))
            .err()
            .map(|r| {
                let lang = i18n.get();
                r.errors
                    .iter()
                    .map(|i| lang.issue(i))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
    });
    let busy = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let save = move |_| {
        let Some(uuid) =
            loaded.with_untracked(|l| l.as_ref().map(|l| l.details.order_id.as_str().to_owned()))
        else {
            return;
        };
        let note = text.get_untracked().trim().to_owned();
        busy.set(true);
        saved.set(false);
        error.set(None);
        leptos::task::spawn_local(async move {
            let out = api::save_note(&uuid, &note).await;
            busy.set(false);
            match out {
                Ok(record) => {
                    saved.set(true);
                    text.set(record.note.clone().unwrap_or_default());
                    loaded.update(|l| {
                        if let Some(l) = l.as_mut() {
                            l.record = Some(record);
                        }
                    });
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="internal-note no-print" aria-labelledby="note-title" data-testid="internal-note">
            <h3 id="note-title">{tx(|t| t.note_title)}</h3>
            <p id="note-hint" class="small-print muted">{tx(|t| t.note_hint)}</p>
            {move || match mode.get() {
                (false, _) => view! { <p class="muted">{tx(|t| t.note_unavailable)}</p> }.into_any(),
                (true, false) => view! {
                    <p class="note-text" data-testid="note-text">
                        {move || kept.get().filter(|n| !n.is_empty()).unwrap_or_else(|| i18n.t().note_empty.to_owned())}
                    </p>
                }.into_any(),
                (true, true) => view! {
                    <label class="sr-only" for="note-input">{tx(|t| t.note_title)}</label>
                    <textarea id="note-input" rows="3" maxlength=MAX_NOTE.to_string() data-testid="note-input"
                        aria-describedby="note-hint note-input-err"
                        aria-invalid=move || problem.with(Option::is_some).to_string()
                        prop:value=move || text.get()
                        on:input=move |ev| { saved.set(false); text.set(event_target_value(&ev)); }></textarea>
                    <span id="note-input-err" class="field-error">{move || problem.get()}</span>
                    <div class="confirm-row">
                        <button type="button" class="secondary" data-testid="note-save"
                            disabled=move || busy.get() || problem.with(Option::is_some) on:click=save>
                            {move || if busy.get() { i18n.t().working } else { i18n.t().note_save }}
                        </button>
                        <span role="status" class="ok-text" data-testid="note-status">
                            {move || saved.get().then(|| i18n.t().note_saved)}
                        </span>
                    </div>
                    <ErrorNotice error=error />
                }.into_any(),
            }}
        </section>
    }
}

/// An API date (Unix seconds, or the live server's `05 Dec, 2023`; core reads both) per
/// locale, or as it came when neither.
fn date_text(raw: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let raw = raw.to_owned();
    let at = parse_order_date(&Value::String(raw.clone())).map(|(t, _)| t.0 as f64 * 1000.0);
    move || at.map_or_else(|| raw.clone(), |ms| i18n.get().datetime(ms))
}
