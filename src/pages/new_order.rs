//! `/orders/new`: one create flow for the four kinds, validated live by core, autosaved per
//! kind, submitted once per idempotency key. The customer block can be filled from the
//! customer book (a type-ahead, or `?customer={id}`), lines added from the catalogue.

use frontdesk_core::customer::CustomerType;
use frontdesk_core::draft::fields::Section;
use frontdesk_core::draft::today_iso;
use frontdesk_core::status::OrderKind;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::error_summary::{ErrorSummary, FieldMessageItem};
use crate::components::field::{Input, Members, Messages, Select, at, label_of, shown};
use crate::components::notice::BusyNotice;
use crate::components::pickers::CustomerFinder;
use crate::components::product_lines::ProductLines;
use crate::components::summary::OrderSummaryView;
use crate::draft::{self, CreatedRecord, OrderDraft};
use crate::form::{
    Form, Outcome, field_id, field_label, same_but_date, submit_body, warnings_to_confirm,
};
use crate::i18n::{Texts, tx, use_i18n};
use crate::util;

const AUTOSAVE_MS: u64 = 400;

use std::sync::{Arc, Mutex};

/// Write the form's draft for its kind (or drop it when it is blank and nothing is pending).
pub fn persist(form: Form) {
    let Some(kind) = form.kind.try_get_untracked() else {
        return;
    };
    write_draft(kind, &form.stored());
}

/// Writes a captured draft; touches no signal, so it is safe after the page is disposed.
fn write_draft(kind: OrderKind, stored: &draft::StoredDraft) {
    if stored.is_blank() {
        draft::remove(kind);
    } else {
        draft::save(kind, stored);
    }
    draft::set_last_kind(kind);
}

/// A form for the kind last worked on, restored from its draft if there is one.
pub fn restore_form() -> Form {
    let kind = draft::last_kind();
    match draft::load(kind) {
        Some(stored) => {
            let form = Form::new(kind, &stored.data, stored.key);
            form.pending.set(stored.pending);
            if !stored.data.is_blank() {
                form.restored_at.set(Some(stored.saved_at));
            }
            form
        }
        None => Form::new(kind, &OrderDraft::default(), util::random_key()),
    }
}

/// Switch kinds: the current draft is saved; the other kind's draft comes back if it has one,
/// else the typed data carries over under a new key.
pub fn switch_kind(form: Form, to: OrderKind) {
    let from = form.kind.get_untracked();
    if from == to {
        return;
    }
    form.confirming.set(None);
    form.discarded.set(None);
    persist(form);
    match draft::load(to) {
        Some(stored) => {
            form.apply(&stored.data);
            form.key.set(stored.key);
            form.pending.set(stored.pending);
            form.restored_at.set(None);
        }
        None => {
            form.key.set(util::random_key());
            form.pending.set(None);
            form.server.set(Default::default());
            form.outcome.set(Outcome::None);
        }
    }
    form.kind.set(to);
    persist(form);
}

/// Start over: drop the draft and its key. What was there can be brought back
/// ([`undo_discard`]) until the form is typed in again.
pub fn discard(form: Form) {
    let before = form.stored();
    draft::remove(form.kind.get_untracked());
    form.apply(&OrderDraft::default());
    form.key.set(util::random_key());
    form.pending.set(None);
    form.restored_at.set(None);
    let worth_keeping = !before.is_blank();
    form.discarded.set(worth_keeping.then_some(before));
}

/// Bring back the draft just discarded, with its key and any body still pending.
pub fn undo_discard(form: Form) {
    let Some(before) = form.discarded.get_untracked() else {
        return;
    };
    form.apply(&before.data);
    form.key.set(before.key);
    form.pending.set(before.pending);
    form.discarded.set(None);
    persist(form);
}

/// Debounced autosave, flushed when the page goes away.
///
/// The draft is captured while the page's signals are alive, and the timer and the final flush
/// write only that capture: by the time the page is disposed (navigation) its signals are
/// gone, and reading one then panics.
fn autosave(form: Form) {
    type Capture = Option<(OrderKind, draft::StoredDraft)>;
    // Arc/Mutex only because `on_cleanup` wants Send; the browser has one thread.
    let latest: Arc<Mutex<Capture>> = Arc::new(Mutex::new(None));
    let timer: Arc<Mutex<Option<TimeoutHandle>>> = Arc::new(Mutex::new(None));
    let take = |slot: &Mutex<Capture>| slot.lock().map(|mut c| c.take()).unwrap_or(None);
    let (effect_latest, effect_timer) = (latest.clone(), timer.clone());
    Effect::new(move |previous: Option<()>| {
        form.snapshot.track();
        form.key.track();
        form.pending.track();
        form.kind.track();
        if previous.is_none() {
            return;
        }
        if let Ok(mut slot) = effect_latest.lock() {
            *slot = Some((form.kind.get_untracked(), form.stored()));
        }
        let Ok(mut slot) = effect_timer.lock() else {
            return;
        };
        if let Some(handle) = slot.take() {
            handle.clear();
        }
        let pending = effect_latest.clone();
        *slot = set_timeout_with_handle(
            move || {
                if let Some((kind, stored)) = take(&pending) {
                    write_draft(kind, &stored);
                }
            },
            std::time::Duration::from_millis(AUTOSAVE_MS),
        )
        .ok();
    });
    on_cleanup(move || {
        if let Some(handle) = timer.lock().ok().and_then(|mut slot| slot.take()) {
            handle.clear();
        }
        if let Some((kind, stored)) = take(&latest) {
            write_draft(kind, &stored);
        }
    });
}

/// Focus the first field with an error (page order) that is on the page, else the summary.
pub fn focus_first_error(form: Form) {
    request_animation_frame(move || {
        let focused = untrack(|| form.error_list())
            .into_iter()
            .filter_map(|(_, id, _)| id)
            .any(|id| util::focus_id(&id));
        if !focused {
            util::focus_id("error-summary");
        }
    });
}

fn kind_label(t: &Texts, k: OrderKind) -> &'static str {
    match k {
        OrderKind::PaymentLink => t.kind_payment_link,
        OrderKind::Invoice => t.kind_invoice,
        OrderKind::EFaktura => t.kind_e_faktura,
        OrderKind::Ehf => t.kind_ehf,
    }
}

fn kind_hint(t: &Texts, k: OrderKind) -> &'static str {
    match k {
        OrderKind::PaymentLink => t.kind_payment_link_hint,
        OrderKind::Invoice => t.kind_invoice_hint,
        OrderKind::EFaktura => t.kind_e_faktura_hint,
        OrderKind::Ehf => t.kind_ehf_hint,
    }
}

fn kind_slug(k: OrderKind) -> &'static str {
    match k {
        OrderKind::PaymentLink => "payment-link",
        OrderKind::Invoice => "invoice",
        OrderKind::EFaktura => "e-faktura",
        OrderKind::Ehf => "ehf",
    }
}

#[component]
pub fn NewOrderPage() -> impl IntoView {
    let form = restore_form();
    provide_context(form);
    autosave(form);
    view! { <OrderForm form=form /> }
}

/// Submit the form: validated by core (errors block), warnings asked about, sent once per key.
pub fn submit(form: Form, on_created: impl Fn(String) + 'static) {
    send(form, false, on_created);
}

/// "Send anyway": the submit, its warnings accepted.
pub fn send_anyway(form: Form, on_created: impl Fn(String) + 'static) {
    send(form, true, on_created);
}

/// A submit with warnings lists them and asks "Send anyway?" (`true`: asked, nothing sent).
fn ask_about_warnings(form: Form) -> bool {
    let warnings = form.report.with_untracked(warnings_to_confirm);
    if warnings.is_empty() {
        return false;
    }
    form.outcome.set(Outcome::None);
    form.confirming.set(Some(warnings));
    util::focus_id_later("send-anyway".into());
    true
}

fn send(form: Form, warnings_accepted: bool, on_created: impl Fn(String) + 'static) {
    if form.in_flight.get_untracked() {
        return;
    }
    form.submitted.set(true);
    let kind = form.kind.get_untracked();
    let data = form.snapshot.get_untracked();
    let now = util::now_unix();
    let fresh = match submit_body(kind, &data, now) {
        Ok(body) => body,
        Err(_) => {
            form.confirming.set(None);
            form.outcome.set(Outcome::None);
            focus_first_error(form);
            return;
        }
    };
    // An attempt whose outcome is unknown goes again byte for byte (same orderDate), so the
    // proxy replays it instead of refusing a changed body under the same key; its warnings were
    // asked about when it was first sent.
    let pending = form
        .pending
        .get_untracked()
        .filter(|pending| same_but_date(pending, &fresh));
    if !warnings_accepted && pending.is_none() && ask_about_warnings(form) {
        return;
    }
    form.confirming.set(None);
    let body = pending.unwrap_or(fresh);
    form.pending.set(Some(body.clone()));
    persist(form);
    form.in_flight.set(true);
    form.outcome.set(Outcome::None);
    let key = form.key.get_untracked();
    let auth = use_context::<crate::auth::Auth>();
    leptos::task::spawn_local(async move {
        // A busy Front Payment (429) is waited out and asked again: same body, same key.
        let attempt = || {
            let (body, key) = (body.clone(), key.clone());
            async move { api::create(kind, &body, &key).await }
        };
        let result = api::patiently(form.busy, attempt).await;
        if form.in_flight.try_set(false).is_some() {
            // The page is gone (navigated away); the draft keeps `pending` for next time.
            return;
        }
        match result {
            Ok(created) => {
                draft::remember_created(CreatedRecord {
                    uuid: created.uuid.clone(),
                    customer_uuid: created.customer_uuid.clone(),
                    kind,
                    body: serde_json::from_str(&body).unwrap_or_default(),
                    at: util::now_ms(),
                    replayed: created.replayed,
                });
                form.apply(&OrderDraft::default());
                form.key.set(util::random_key());
                form.pending.set(None);
                form.restored_at.set(None);
                draft::remove(kind);
                on_created(created.uuid);
            }
            Err(ApiError::Validation(placed)) => {
                // Refused before anything was created: the next attempt is a new request.
                form.pending.set(None);
                form.key.set(util::random_key());
                form.apply_server_errors(placed);
                form.outcome.set(Outcome::Rejected);
                persist(form);
                focus_first_error(form);
            }
            Err(ApiError::Unauthorized) => {
                form.outcome.set(Outcome::Failed(ApiError::Unauthorized));
                persist(form);
                if let Some(auth) = auth {
                    auth.user.set(None);
                }
            }
            Err(e) => {
                if let ApiError::Other { status, .. } | ApiError::Server { status, .. } = &e
                    && (400..500).contains(status)
                {
                    form.pending.set(None);
                }
                if matches!(e, ApiError::Forbidden) {
                    form.pending.set(None);
                }
                form.outcome.set(Outcome::Failed(e));
                persist(form);
                util::focus_id("submit-outcome");
            }
        }
    });
}

/// The form itself (separate from the page so tests can mount it with a given state).
#[component]
pub fn OrderForm(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let read_only = Signal::derive(move || !auth.can_create());
    let kind = form.kind;

    // Keep the maturity within what core allows for kind × customer type.
    let maturity = form.text(|d| &d.invoice_maturity, |d| &mut d.invoice_maturity);
    Effect::new(move |_| {
        let allowed = form.maturities();
        let current = maturity.get();
        if !current.is_empty() && !allowed.iter().any(|m| m.to_string() == current) {
            maturity.set(String::new());
        }
    });

    // Typing again ends "Send anyway?" (it was about what was there) and the discard's undo.
    Effect::new(move |previous: Option<()>| {
        let blank = form.snapshot.with(OrderDraft::is_blank);
        if previous.is_none() {
            return;
        }
        if form.confirming.with_untracked(Option::is_some) {
            form.confirming.set(None);
        }
        if !blank && form.discarded.with_untracked(Option::is_some) {
            form.discarded.set(None);
        }
    });
    keep_focus_above_the_bar(form);

    // Where to go once created (an effect, so the handlers below stay `Copy`).
    let created: RwSignal<Option<String>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(uuid) = created.get() {
            navigate(&format!("/orders/new/done/{uuid}"), Default::default());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if read_only.get_untracked() {
            return;
        }
        submit(form, move |uuid| created.set(Some(uuid)));
    };
    let retry = move || submit(form, move |uuid| created.set(Some(uuid)));
    let send_anyway_click = move || send_anyway(form, move |uuid| created.set(Some(uuid)));
    // Out of "Send anyway?": to the first field it warned about.
    let back_to_form = move || {
        let first = form
            .confirming
            .with_untracked(|w| w.as_ref().and_then(|w| w.first()).map(|i| i.field.clone()));
        form.confirming.set(None);
        let target = first.and_then(|f| form.dom_id(&f));
        util::focus_id_later(target.unwrap_or_else(|| "submit-order".into()));
    };
    let warning_items = move || {
        let lang = i18n.get();
        form.confirming
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(move |w| {
                let text = format!("{}: {}", field_label(lang, &w.field), lang.issue(&w));
                let close = Callback::new(move |_: ()| form.confirming.set(None));
                view! { <FieldMessageItem text=text target=form.dom_id(&w.field) on_follow=close /> }
            })
            .collect_view()
    };

    let is_pl = Memo::new(move |_| kind.get() == OrderKind::PaymentLink);
    let ctype = Memo::new(move |_| form.case().customer);
    // The type is chosen where the table shows it (payment link, invoice); fixed elsewhere.
    let type_choosable = Memo::new(move |_| {
        frontdesk_core::draft::fields::field_spec("customerDetails.type")
            .is_some_and(|f| f.presence(form.case()).is_shown())
    });
    let contact_optional = form.optional("customerDetails.msisdn");

    let calling_codes = Signal::derive(move || i18n.get().calling_codes());
    let intervals = Signal::derive(move || {
        let t = i18n.t();
        vec![
            ("0".to_owned(), t.interval_daily.to_owned()),
            ("1".to_owned(), t.interval_monthly.to_owned()),
            ("2".to_owned(), t.interval_twice.to_owned()),
        ]
    });
    let maturities = Signal::derive(move || {
        let t = i18n.t();
        form.maturities()
            .into_iter()
            .map(|m| (m.to_string(), format!("{m} {}", t.days)))
            .collect::<Vec<_>>()
    });
    // The maturity sent: the one chosen, else core's default, shown selected.
    let maturity_shown = Signal::derive(move || form.maturity_shown());
    let today = Signal::derive(|| today_iso(util::now_unix()));
    // A payment link cannot be dated before today (core refuses it); invoices may be.
    let earliest = Signal::derive(move || {
        if is_pl.get() {
            today.get()
        } else {
            String::new()
        }
    });
    let type_shown = shown(
        form,
        at("customerDetails.type"),
        "f-customerDetails-type".into(),
    );

    let outcome_text = move || {
        let t = i18n.t();
        match form.outcome.get() {
            Outcome::None => None,
            Outcome::Rejected => Some((t.server_rejected.to_owned(), false)),
            Outcome::Failed(e) => {
                let retry = e.is_retryable();
                let text = match e {
                    ApiError::Network { offline: true } => t.err_offline.to_owned(),
                    ApiError::Network { .. } => t.err_network.to_owned(),
                    ApiError::Timeout => t.err_timeout.to_owned(),
                    ApiError::Busy { .. } => t.err_busy.to_owned(),
                    ApiError::Server { status, .. } => {
                        t.err_server.replace("{status}", &status.to_string())
                    }
                    ApiError::InFlight => t.err_in_flight.to_owned(),
                    ApiError::KeyReused => t.err_key_reused.to_owned(),
                    ApiError::Unauthorized => t.err_unauthorized.to_owned(),
                    ApiError::Forbidden => t.err_forbidden.to_owned(),
                    ApiError::Other { status, message } => t
                        .err_other
                        .replace("{status}", &status.to_string())
                        .replace("{message}", &message),
                    ApiError::Validation(_) => t.server_rejected.to_owned(),
                };
                Some((text, retry))
            }
        }
    };

    let discard_click = move || {
        discard(form);
        util::focus_id_later(field_id("customerDetails.name"));
    };
    let undo_click = move |_| {
        undo_discard(form);
        util::focus_id_later(field_id("customerDetails.name"));
    };

    view! {
        <div class="page-head">
            <h2>{tx(|t| t.new_order_title)}</h2>
        </div>
        <Show when=move || read_only.get()>
            <p class="notice warn" role="note">
                <span aria-hidden="true">"⚠ "</span>
                {tx(|t| t.viewer_cannot_create)}
            </p>
        </Show>
        <Show when=move || form.restored_at.get().is_some()>
            <div class="notice draft-banner" data-testid="draft-restored">
                <span>
                    {tx(|t| t.draft_restored)}" "
                    {move || form.restored_at.get().map(|at| i18n.get().datetime(at))}
                    "."
                </span>
                <button type="button" class="secondary small" on:click=move |_| discard_click()>
                    {tx(|t| t.discard_draft)}
                </button>
            </div>
        </Show>
        <Show when=move || {
            form.pending.with(Option::is_some) && !form.in_flight.get()
                && form.outcome.with(|o| *o == Outcome::None)
        }>
            <p class="notice" data-testid="pending-notice">{tx(|t| t.pending_notice)}</p>
        </Show>
        <ErrorSummary form=form />
        <form class="order-form" novalidate on:submit=on_submit aria-labelledby="new-order-form-kind">
            <fieldset class="card kinds">
                <legend id="new-order-form-kind">{tx(|t| t.kind_legend)}</legend>
                <div class="kind-options">
                    {OrderKind::ALL
                        .into_iter()
                        .map(|k| {
                            let id = format!("kind-{}", kind_slug(k));
                            let hint_id = format!("{id}-hint");
                            view! {
                                <div class="kind-option">
                                    <input
                                        type="radio"
                                        name="kind"
                                        id=id.clone()
                                        value=kind_slug(k)
                                        aria-describedby=hint_id.clone()
                                        prop:checked=move || kind.get() == k
                                        on:change=move |_| switch_kind(form, k)
                                    />
                                    <label for=id>
                                        <strong>{move || kind_label(i18n.t(), k)}</strong>
                                        <span class="hint" id=hint_id>{move || kind_hint(i18n.t(), k)}</span>
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>

            <fieldset class="card">
                <legend>{tx(|t| t.customer_legend)}</legend>
                <CustomerFinder form=form disabled=read_only />
                <Show
                    when=move || type_choosable.get()
                    fallback=move || view! {
                        <p class="muted" data-testid="fixed-type">
                            {move || if kind.get() == OrderKind::Ehf { i18n.t().ehf_corporate_only } else { i18n.t().e_faktura_private_only }}
                        </p>
                    }
                >
                    <fieldset class="inline-radios" id="f-customerDetails-type" tabindex="-1" aria-describedby="f-customerDetails-type-msg">
                        <legend>{tx(|t| t.customer_type)}</legend>
                        {[("private", CustomerType::Private), ("corporate", CustomerType::Corporate)]
                            .into_iter()
                            .map(|(v, ct)| {
                                let id = format!("type-{v}");
                                view! {
                                    <span class="radio">
                                        <input
                                            type="radio"
                                            name="customer-type"
                                            id=id.clone()
                                            value=v
                                            prop:checked=move || ctype.get() == ct
                                            on:change=move |_| form.draft.update(|d| d.customer_type = v.to_owned())
                                        />
                                        <label for=id>
                                            {move || if ct == CustomerType::Private { i18n.t().private } else { i18n.t().corporate }}
                                        </label>
                                    </span>
                                }
                            })
                            .collect_view()}
                        <Messages shown=type_shown id="f-customerDetails-type-msg".to_owned() />
                    </fieldset>
                </Show>
                <Members form=form section=Section::Names disabled=read_only />
                <fieldset class="phone">
                    <legend>
                        {tx(|t| t.phone)}
                        <Show when=move || contact_optional.get()>
                            <span class="optional">" (" {tx(|t| t.contact_either_hint)} ")"</span>
                        </Show>
                    </legend>
                    <div class="grid phone-grid">
                        <Select form=form path=at("customerDetails.countryCode") id=field_id("customerDetails.countryCode")
                            label=label_of("customerDetails.countryCode")
                            value=form.text(|d| &d.phone_country, |d| &mut d.phone_country)
                            options=calling_codes autocomplete="tel-country-code" disabled=read_only />
                        <Input form=form path=at("customerDetails.msisdn") id=field_id("customerDetails.msisdn")
                            label=label_of("customerDetails.msisdn") value=form.text(|d| &d.msisdn, |d| &mut d.msisdn)
                            optional=contact_optional input_type="tel" autocomplete="tel-national" inputmode="tel"
                            disabled=read_only />
                    </div>
                </fieldset>
                <Members form=form section=Section::Contact disabled=read_only />
                <fieldset class="address">
                    <legend>{tx(|t| t.address_legend)}</legend>
                    <Members form=form section=Section::Address disabled=read_only />
                </fieldset>
                <Members form=form section=Section::Preferences disabled=read_only />
            </fieldset>

            <ProductLines form=form disabled=read_only />
            <OrderSummaryView form=form />

            <fieldset class="card">
                <legend>{tx(|t| t.options_legend)}</legend>
                <Input form=form path=at("orderDate") id=field_id("orderDate") label=label_of("orderDate")
                    value=form.text(|d| &d.order_date, |d| &mut d.order_date) input_type="date" display=today
                    min=earliest class="c-date" disabled=read_only />
                <Show when=move || !is_pl.get()>
                    <div class="grid two">
                        <Select form=form path=at("invoiceInterval") id=field_id("invoiceInterval")
                            label=label_of("invoiceInterval")
                            value=form.text(|d| &d.invoice_interval, |d| &mut d.invoice_interval)
                            options=intervals disabled=read_only />
                        <Select form=form path=at("invoiceMaturity") id=field_id("invoiceMaturity")
                            label=label_of("invoiceMaturity") value=maturity options=maturities
                            display=maturity_shown disabled=read_only />
                    </div>
                </Show>
                <Members form=form section=Section::Options disabled=read_only />
            </fieldset>

            <fieldset class="card">
                <legend>{tx(|t| t.references_legend)}</legend>
                <Members form=form section=Section::References disabled=read_only />
            </fieldset>

            <Show when=move || form.confirming.with(Option::is_some)>
                <div
                    class="warn-confirm"
                    id="warn-confirm"
                    role="alertdialog"
                    aria-labelledby="warn-confirm-title"
                    aria-describedby="warn-confirm-question"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            ev.prevent_default();
                            back_to_form();
                        }
                    }
                >
                    <h3 id="warn-confirm-title">
                        <span aria-hidden="true">"⚠ "</span>
                        {tx(|t| t.warnings_title)}
                    </h3>
                    <ul data-testid="warnings-to-confirm">{warning_items}</ul>
                    <p id="warn-confirm-question">{tx(|t| t.send_anyway_question)}</p>
                    <div class="buttons">
                        <IdleButton form=form class="primary" id="send-anyway" text=|t| t.send_anyway
                            on_click=send_anyway_click />
                        <button type="button" class="secondary" id="warn-back" on:click=move |_| back_to_form()>
                            {tx(|t| t.back_to_form)}
                        </button>
                    </div>
                </div>
            </Show>

            <div class="submit-bar" id="submit-bar">
                <div id="submit-outcome" tabindex="-1" class="outcome" aria-live="polite">
                    <BusyNotice waiting=form.busy />
                    {move || form.discarded.with(Option::is_some).then(|| view! {
                        <p class="notice" data-testid="draft-discarded">
                            <span>{tx(|t| t.draft_discarded)}</span>
                            <button type="button" class="secondary small" id="undo-discard" on:click=undo_click>
                                {tx(|t| t.undo)}
                            </button>
                        </p>
                    })}
                    {move || outcome_text().map(|(text, can_retry)| {
                        view! {
                            <div class="notice error">
                                <span><span aria-hidden="true">"✖ "</span>{text}</span>
                                <Show when=move || can_retry>
                                    <IdleButton form=form class="secondary small" text=|t| t.retry on_click=retry />
                                </Show>
                            </div>
                        }
                    })}
                </div>
                <div class="buttons">
                    <button type="submit" class="primary" id="submit-order"
                        disabled=move || form.in_flight.get() || read_only.get()
                        aria-busy=move || if form.in_flight.get() { "true" } else { "false" }>
                        {move || if form.in_flight.get() { i18n.t().submitting } else { i18n.t().submit }}
                    </button>
                    <IdleButton form=form class="secondary" id="discard-draft" text=|t| t.discard_draft
                        on_click=discard_click />
                </div>
            </div>
        </form>
    }
}

/// A button of the form that cannot be pressed while a submit is in flight.
#[component]
fn IdleButton(
    form: Form,
    class: &'static str,
    #[prop(optional)] id: Option<&'static str>,
    text: fn(&Texts) -> &'static str,
    #[prop(into)] on_click: Callback<()>,
) -> impl IntoView {
    view! {
        <button type="button" class=class id=id on:click=move |_| on_click.run(())
            disabled=move || form.in_flight.get()>
            {tx(text)}
        </button>
    }
}

/// The CSS variable the page's bottom scroll padding reads (style/main.css).
const BAR_HEIGHT_VAR: &str = "--submit-bar-h";

/// Keeps the page's bottom scroll padding equal to the sticky Create bar's height, so a focused
/// field and its message are never scrolled under the bar (WCAG 2.2 SC 2.4.11). The bar grows
/// with its notices, the language and the window's width: it is measured again on each.
fn keep_focus_above_the_bar(form: Form) {
    let i18n = use_i18n();
    let measure = || {
        request_animation_frame(|| {
            set_root_property(BAR_HEIGHT_VAR, bar_height().map(|h| format!("{h}px")));
        })
    };
    Effect::new(move |_| {
        form.outcome.track();
        form.busy.track();
        form.in_flight.track();
        form.discarded.track();
        i18n.0.track();
        measure();
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || {
        resize.remove();
        set_root_property(BAR_HEIGHT_VAR, None);
    });
}

fn bar_height() -> Option<i32> {
    let bar = document().get_element_by_id("submit-bar")?;
    bar.dyn_into::<web_sys::HtmlElement>()
        .ok()
        .map(|b| b.offset_height())
}

/// Set (`None`: remove) a custom property in `<html>`'s style.
fn set_root_property(name: &str, value: Option<String>) {
    let Some(root) = document().document_element() else {
        return;
    };
    let Ok(style) = js_sys::Reflect::get(&root, &"style".into()) else {
        return;
    };
    let method = if value.is_some() {
        "setProperty"
    } else {
        "removeProperty"
    };
    let Ok(f) = js_sys::Reflect::get(&style, &method.into()) else {
        return;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return;
    };
    let _ = match value {
        Some(v) => f.call2(&style, &name.into(), &v.into()),
        None => f.call1(&style, &name.into()),
    };
}
