//! `/orders/new/done/{uuid}`: what was created, for whom, and what next.

use frontdesk_core::clock::oslo_date;
use frontdesk_core::money::{Money, parse_hundredths};
use frontdesk_core::order::{invoice_due_date, parse_order_date};
use frontdesk_core::status::OrderKind;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::Value;

use crate::draft::{self, CreatedRecord, OrderDraft, StoredDraft};
use crate::i18n::{Lang, tx, use_i18n};
use crate::util;

/// Who was told what, as plain sentences.
pub fn recipients(lang: Lang, r: &CreatedRecord) -> Vec<String> {
    let t = lang.texts();
    let b = &r.body;
    let cd = &b["customerDetails"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let phone = match (cd["countryCode"].as_str(), cd["msisdn"].as_str()) {
        (Some(c), Some(m)) => Some(format!("{c} {m}")),
        _ => None,
    };
    let email = cd["email"].as_str().map(str::to_owned);
    let mut out = Vec::new();
    match r.kind {
        OrderKind::PaymentLink => {
            if b["sendOrderBy"]["sms"].as_bool() == Some(true)
                && let Some(p) = &phone
            {
                out.push(format!("{} {p}", t.sent_sms_to));
            }
            if b["sendOrderBy"]["email"].as_bool() == Some(true)
                && let Some(e) = &email
            {
                out.push(format!("{} {e}", t.sent_email_to));
            }
            if out.is_empty() {
                out.push(t.sent_not_notified.to_owned());
            }
        }
        OrderKind::Invoice => {
            let contact: Vec<String> = [email.clone(), phone.clone()]
                .into_iter()
                .flatten()
                .collect();
            out.push(format!(
                "{} {} ({})",
                t.invoice_delivered_to,
                text(&cd["name"]),
                contact.join(", ")
            ));
        }
        OrderKind::EFaktura => out.push(format!(
            "{} {} ({})",
            t.efaktura_to,
            text(&cd["personalNumber"]),
            text(&cd["name"])
        )),
        OrderKind::Ehf => out.push(format!(
            "{} {} ({})",
            t.ehf_to,
            text(&cd["organizationId"]),
            text(&cd["name"])
        )),
    }
    out
}

/// The Oslo day of the order date that was sent.
pub fn order_day(r: &CreatedRecord) -> Option<(i64, u32, u32)> {
    parse_order_date(&r.body["orderDate"]).map(|(t, _)| oslo_date(t.0))
}

/// When an invoice falls due: the order date plus the maturity that was sent (core's rule);
/// `None` for a payment link.
pub fn due_date(r: &CreatedRecord) -> Option<(i64, u32, u32)> {
    if !r.kind.is_invoice() {
        return None;
    }
    let (order_date, _) = parse_order_date(&r.body["orderDate"])?;
    let days = r.body["invoiceMaturity"]
        .as_u64()
        .and_then(|d| u16::try_from(d).ok())?;
    Some(invoice_due_date(order_date, days))
}

/// Copies `value`; says so (visibly and to screen readers). Also the Users page's, for a
/// password shown once.
#[component]
pub fn CopyButton(value: String, #[prop(into)] what: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let v = value.clone();
    view! {
        <button
            type="button"
            class="secondary small"
            aria-label=move || format!("{} {}", i18n.t().copy, what.get())
            on:click=move |_| {
                util::copy_text(&v);
                copied.set(true);
            }
        >
            {move || if copied.get() { i18n.t().copied } else { i18n.t().copy }}
        </button>
        <span class="sr-only" aria-live="polite">{move || if copied.get() { i18n.t().copied } else { "" }}</span>
    }
}

#[component]
pub fn DonePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let navigate = use_navigate();
    let uuid = params.with_untracked(|p| p.get("uuid").unwrap_or_default());
    let record = draft::find_created(&uuid);
    let customer_uuid = record
        .as_ref()
        .map(|r| r.customer_uuid.clone())
        .unwrap_or_default();
    let rec = StoredValue::new(record);
    let another = move |_| {
        if let Some(r) = rec.get_value() {
            let data = OrderDraft::from_payload(r.kind, &r.body);
            draft::save(
                r.kind,
                &StoredDraft {
                    data,
                    key: util::random_key(),
                    pending: None,
                    saved_at: util::now_ms(),
                },
            );
            draft::set_last_kind(r.kind);
        }
        navigate("/orders/new", Default::default());
    };
    let total = move || {
        rec.with_value(|r| {
            r.as_ref()
                .and_then(|r| {
                    r.body["orderSummary"]["grandTotal"]
                        .as_str()
                        .map(str::to_owned)
                })
                .and_then(|g| parse_hundredths(&g).ok())
                .map(|h| i18n.get().money(Money(h)))
        })
    };
    let heading_ref: NodeRef<leptos::html::H2> = NodeRef::new();
    Effect::new(move |_| {
        if let Some(h) = heading_ref.get() {
            let _ = h.focus();
        }
    });
    let order_href = format!("/orders/{uuid}");
    let uuid_copy = uuid.clone();
    let customer_copy = customer_uuid.clone();
    view! {
        <section class="card done" aria-labelledby="done-title">
            <h2 id="done-title" tabindex="-1" node_ref=heading_ref>
                <span aria-hidden="true" class="ok-icon">"✔ "</span>
                {tx(|t| t.done_title)}
            </h2>
            <Show when=move || rec.with_value(|r| r.as_ref().is_some_and(|r| r.replayed))>
                <p class="notice">{tx(|t| t.done_replayed)}</p>
            </Show>
            <dl class="ids">
                <div>
                    <dt>{tx(|t| t.order_uuid)}</dt>
                    <dd>
                        <code data-testid="order-uuid">{uuid.clone()}</code>
                        <CopyButton value=uuid_copy what=Signal::derive(move || i18n.t().order_uuid.to_owned()) />
                    </dd>
                </div>
                <Show when={let c = customer_uuid.clone(); move || !c.is_empty()}>
                    <div>
                        <dt>{tx(|t| t.customer_uuid)}</dt>
                        <dd>
                            <code data-testid="customer-uuid">{customer_uuid.clone()}</code>
                            <CopyButton value=customer_copy.clone() what=Signal::derive(move || i18n.t().customer_uuid.to_owned()) />
                        </dd>
                    </div>
                </Show>
            </dl>
            {move || {
                let lang = i18n.get();
                rec.with_value(|r| {
                    r.as_ref().map(|r| {
                        view! {
                            <p>
                                <strong>{lang.kind(r.kind)}</strong>
                                {total().map(|t| format!(" · {t}"))}
                                " · "{lang.texts().created_at}" "{lang.datetime(r.at)}
                            </p>
                            <ul class="recipients" data-testid="recipients">
                                {recipients(lang, r).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                            </ul>
                            <dl class="facts">
                                {order_day(r).map(|d| view! {
                                    <dt>{lang.texts().order_date}</dt>
                                    <dd data-testid="order-date">{lang.date(d)}</dd>
                                })}
                                {due_date(r).map(|d| view! {
                                    <dt>{lang.texts().due_date}</dt>
                                    <dd data-testid="due-date">{lang.date(d)}</dd>
                                })}
                            </dl>
                        }
                    })
                })
            }}
            <div class="actions">
                <A href=order_href>{tx(|t| t.view_order)}</A>
                <button type="button" class="primary" on:click=another>
                    {tx(|t| t.create_another)}
                </button>
                <A href="/orders/new">{tx(|t| t.new_blank_order)}</A>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn record(kind: OrderKind, body: Value) -> CreatedRecord {
        CreatedRecord {
            uuid: "ODR1".into(),
            customer_uuid: "CSRT1".into(),
            kind,
            body,
            at: 0.0,
            replayed: false,
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn an_invoice_falls_due_maturity_days_after_its_oslo_order_day() {
        // 2023-12-20 03:53 in Oslo, 14 days: 3 January.
        let body = json!({"orderDate": "1703040812", "invoiceMaturity": 14});
        let r = record(OrderKind::Invoice, body.clone());
        assert_eq!(order_day(&r), Some((2023, 12, 20)));
        assert_eq!(due_date(&r), Some((2024, 1, 3)));
        // Late evening UTC is already the next day in Oslo, and so is the due date.
        let r = record(
            OrderKind::EFaktura,
            json!({"orderDate": "1718494200", "invoiceMaturity": 10}),
        );
        assert_eq!(due_date(&r), Some((2024, 6, 26)));
        assert_eq!(due_date(&record(OrderKind::PaymentLink, body)), None);
        assert_eq!(due_date(&record(OrderKind::Ehf, json!({}))), None);
    }
}
