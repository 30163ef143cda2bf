//! `/batches/{id}`: one batch as it is sent. A progress bar (sent / failed / left, the
//! estimated finish in the locale's time), asked again every [`BATCH_POLL_MS`] while it sends;
//! Confirm, Pause, Resume and Stop as its state and the role allow; each row's outcome (its
//! order, or why not) and, once it is finished, the result file in nb or en.

use frontdesk_core::Money;
use frontdesk_core::batch::{JobEvent, JobState};
use frontdesk_core::roles::Action;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError, BatchDetail, RowResult};
use crate::auth::use_auth;
use crate::components::batch::{BatchProgress, JobBadge, row_error_words, use_batch_watch};
use crate::components::notice::ErrorNotice;
use crate::components::table::{DataTable, col, num};
use crate::i18n::{Lang, Texts, tx, use_i18n};
use crate::pages::batches::BATCH_POLL_MS;
use crate::util;

/// The page's heading, where focus goes when the button that was used is gone.
const TITLE_ID: &str = "batch-title";

/// One batch, live while it sends.
#[component]
pub fn BatchPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let detail = RwSignal::new(None::<BatchDetail>);
    let error = RwSignal::new(None::<ApiError>);
    let missing = RwSignal::new(false);
    let latest = util::Latest::default();
    let load = move || {
        let Some(id) = id.get_untracked() else {
            missing.set(true);
            return;
        };
        let mine = latest.ticket();
        leptos::task::spawn_local(async move {
            let result = api::batch(id).await;
            if !latest.is_current(mine) {
                return;
            }
            match result {
                Ok(d) => {
                    error.set(None);
                    detail.set(Some(d));
                }
                Err(ApiError::Other { status: 404, .. }) => missing.set(true),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        detail.set(None);
        missing.set(false);
        load();
    });
    // Live while it sends; a paused or finished batch changes only when a person acts.
    util::every(BATCH_POLL_MS, move || {
        let sending =
            detail.with_untracked(|d| d.as_ref().is_some_and(|d| d.batch.state.wants_to_send()));
        if sending {
            load();
        }
    });
    let reload = Callback::new(move |_| load());
    let loaded = move || detail.with(Option::is_some);
    let title = move || detail.with(|d| d.as_ref().map(|d| d.batch.name.clone()));
    view! {
        <section class="card wide" aria-labelledby=TITLE_ID>
            <p><A href="/batches">{tx(|t| t.back_to_batches)}</A></p>
            <h2 id=TITLE_ID tabindex="-1">
                {move || title().unwrap_or_else(|| i18n.t().col_batch.to_owned())}
            </h2>
            <Show when=move || missing.get()>
                <p data-testid="batch-missing">{tx(|t| t.not_found)}</p>
            </Show>
            <ErrorNotice error=error retry=reload />
            <Show
                when=loaded
                fallback=move || view! {
                    <Show when=move || error.with(Option::is_none) && !missing.get()>
                        <p class="muted">{tx(|t| t.loading)}</p>
                    </Show>
                }
            >
                <Overview detail=detail />
                <BatchActions detail=detail reload=reload />
                <ResultFiles detail=detail />
                <Rows detail=detail />
            </Show>
        </section>
    }
}

/// State, progress and what the state means for the person looking.
#[component]
fn Overview(detail: RwSignal<Option<BatchDetail>>) -> impl IntoView {
    let i18n = use_i18n();
    let summary = Signal::derive(move || {
        detail
            .with(|d| d.as_ref().map(|d| d.batch.clone()))
            .unwrap_or_else(|| {
                // Never shown: the page renders this only once the batch is loaded.
                empty_summary()
            })
    });
    let state = Signal::derive(move || summary.with(|b| b.state));
    let kind = move || i18n.get().kind(summary.with(|b| b.kind));
    let amount = move || i18n.get().money(Money(summary.with(|b| b.amount_ore)));
    view! {
        <div class="page-head">
            <p>
                <JobBadge state=state />
                " " {kind} " · " <span data-testid="batch-amount">{amount}</span>
            </p>
        </div>
        <BatchProgress batch=summary />
        {move || match state.get() {
            JobState::Draft => Some(view! { <p class="notice warn">{tx(|t| t.batch_not_confirmed)}</p> }.into_any()),
            s if s.wants_to_send() => Some(view! { <p class="muted small-print">{tx(|t| t.batch_runs_at_edge)}</p> }.into_any()),
            _ => None,
        }}
    }
}

/// A stand-in summary for the moment between a reload's start and its answer.
fn empty_summary() -> api::BatchSummary {
    api::BatchSummary {
        id: 0,
        name: String::new(),
        kind: frontdesk_core::OrderKind::PaymentLink,
        state: JobState::Draft,
        created_by: String::new(),
        created_at: 0,
        confirmed_by: None,
        confirmed_at: None,
        started_at: None,
        finished_at: None,
        amount_ore: 0,
        progress: Default::default(),
        eta_at: None,
    }
}

/// Where focus goes after `event` went through: the button that undoes it, else the heading.
fn focus_after(event: JobEvent) -> &'static str {
    match event {
        JobEvent::Confirm | JobEvent::Resume => "batch-pause",
        JobEvent::Pause => "batch-resume",
        _ => TITLE_ID,
    }
}

/// Confirm, Pause, Resume and Stop (which asks first), as the batch's state and the role allow.
#[component]
fn BatchActions(detail: RwSignal<Option<BatchDetail>>, reload: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let watch = use_batch_watch();
    let busy = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let moved_on = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let state = move || detail.with(|d| d.as_ref().map(|d| d.batch.state));
    let allows = move |event: JobEvent| state().is_some_and(|s| s.apply(event).is_ok());
    let act = move |event: JobEvent| {
        let Some(id) = detail.with_untracked(|d| d.as_ref().map(|d| d.batch.id)) else {
            return;
        };
        busy.set(true);
        asking.set(false);
        moved_on.set(false);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = api::batch_event(id, event).await;
            let _ = busy.try_set(false);
            match result {
                Ok(summary) => {
                    let _ = detail.try_update(|d| {
                        if let Some(d) = d {
                            d.batch = summary;
                        }
                    });
                    if matches!(event, JobEvent::Confirm | JobEvent::Resume) {
                        watch.poke();
                    }
                    util::focus_id_later(focus_after(event).to_owned());
                }
                // Another person, or the job, moved it first: show where it stands.
                Err(ApiError::Other { status: 409, .. }) => {
                    let _ = moved_on.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            // `try_`: the page may be left while the answer is on its way.
            let _ = reload.try_run(());
        });
    };
    let button = move |event: JobEvent, id: &'static str, label: fn(&Texts) -> &'static str| {
        view! {
            <Show when=move || allows(event)>
                <button type="button" class="secondary small" id=id
                    disabled=move || busy.get()
                    on:click=move |_| act(event)>
                    {tx(label)}
                </button>
            </Show>
        }
    };
    view! {
        <Show when=move || auth.may(Action::SendBatch)>
            <div class="toolbar batch-actions">
                {button(JobEvent::Confirm, "batch-confirm", |t: &Texts| t.confirm_batch)}
                {button(JobEvent::Pause, "batch-pause", |t: &Texts| t.pause)}
                {button(JobEvent::Resume, "batch-resume", |t: &Texts| t.resume)}
                <Show when=move || allows(JobEvent::Cancel) && !asking.get()>
                    <button type="button" class="secondary small" id="batch-stop"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            asking.set(true);
                            util::focus_id_later("batch-stop-confirm".into());
                        }>
                        {tx(|t| t.stop_batch)}
                    </button>
                </Show>
            </div>
            <Show when=move || asking.get() && allows(JobEvent::Cancel)>
                <div class="action-panel" data-testid="batch-stop-question">
                    <p class="confirm-text">{tx(|t| t.stop_question)}</p>
                    <div class="confirm-row">
                        <button type="button" class="danger" id="batch-stop-confirm"
                            disabled=move || busy.get()
                            on:click=move |_| act(JobEvent::Cancel)>
                            {tx(|t| t.stop_batch)}
                        </button>
                        <button type="button" class="secondary"
                            on:click=move |_| {
                                asking.set(false);
                                util::focus_id_later("batch-stop".into());
                            }>
                            {tx(|t| t.back)}
                        </button>
                    </div>
                </div>
            </Show>
            <p role="status" class="small-print">
                {move || moved_on.get().then(|| i18n.t().batch_moved_on)}
            </p>
            <ErrorNotice error=error />
        </Show>
    }
}

/// The result file (each row's order uuid or error), once the batch is finished.
#[component]
fn ResultFiles(detail: RwSignal<Option<BatchDetail>>) -> impl IntoView {
    let finished = move || detail.with(|d| d.as_ref().is_some_and(|d| d.batch.state.is_final()));
    let href = move |lang: Lang| {
        detail.with(|d| d.as_ref().map(|d| api::batch_result_path(d.batch.id, lang)))
    };
    view! {
        <Show when=finished>
            <p class="toolbar">
                <a href=move || href(Lang::Nb) download="" data-testid="batch-result-nb">
                    {tx(|t| t.result_nb)}
                </a>
                <a href=move || href(Lang::En) download="" data-testid="batch-result-en">
                    {tx(|t| t.result_en)}
                </a>
            </p>
        </Show>
    }
}

/// Each row: its number, reference or customer, state, amount, and its order or why not.
#[component]
fn Rows(detail: RwSignal<Option<BatchDetail>>) -> impl IntoView {
    let rows = move || detail.with(|d| d.as_ref().map(|d| d.rows.clone()).unwrap_or_default());
    view! {
        <h3>{tx(|t| t.rows_title)}</h3>
        <DataTable testid="batch-rows" caption=|t| t.rows_title columns=vec![col(|t| t.col_row), col(|t| t.col_reference), col(|t| t.col_status), num(|t| t.amount), col(|t| t.col_result)]>
            <For each=rows key=|r| (r.row, r.state) let:row>
                <RowLine row=row />
            </For>
        </DataTable>
    }
}

#[component]
fn RowLine(row: RowResult) -> impl IntoView {
    let i18n = use_i18n();
    let state = row.state;
    let amount = Money(row.amount_ore);
    let outcome = match (row.order_uuid.clone(), row.error.clone()) {
        (Some(uuid), _) => {
            let href = format!("/orders/{uuid}");
            view! { <A href=href><code data-testid="row-uuid">{uuid}</code></A> }.into_any()
        }
        (None, Some(error)) => view! {
            <span class="field-error">{move || row_error_words(i18n.get(), &error)}</span>
        }
        .into_any(),
        (None, None) => ().into_any(),
    };
    view! {
        <tr data-row=row.row.to_string() data-state=state.as_str()>
            <th scope="row">{row.row.to_string()}</th>
            <td>{row.label.clone()}</td>
            <td>{move || i18n.get().row_state(state)}</td>
            <td class="num">{move || i18n.get().money(amount)}</td>
            <td>{outcome}</td>
        </tr>
    }
}
