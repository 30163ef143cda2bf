//! `/batches`: send to many (issue 19). Every batch with where it stands and how far it has
//! come, newest first; "New batch" for those whose role may send one. Asked again every
//! [`BATCH_POLL_MS`] while a batch sends.

use frontdesk_core::Money;
use frontdesk_core::roles::Action;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError, BatchList, BatchSummary};
use crate::auth::use_auth;
use crate::components::batch::{BatchProgress, JobBadge, finished};
use crate::components::notice::ErrorNotice;
use crate::components::table::{DataTable, col, num};
use crate::i18n::{tx, use_i18n};
use crate::util;

/// How often a batch page asks again while a batch sends.
pub const BATCH_POLL_MS: u64 = 2_000;

/// Where a batch's page is.
pub fn batch_href(id: i64) -> String {
    format!("/batches/{id}")
}

/// The list of batches.
#[component]
pub fn BatchesPage() -> impl IntoView {
    let auth = use_auth();
    let list = RwSignal::new(None::<BatchList>);
    let error = RwSignal::new(None::<ApiError>);
    let load = move || {
        leptos::task::spawn_local(async move {
            // `try_`: the page may be left while the answer is on its way.
            match api::batches().await {
                Ok(l) => {
                    let _ = error.try_set(None);
                    let _ = list.try_set(Some(l));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    load();
    let sending = move || {
        list.with_untracked(|l| {
            l.as_ref()
                .is_some_and(|l| l.items.iter().any(|b| b.state.wants_to_send()))
        })
    };
    util::every(BATCH_POLL_MS, move || {
        if sending() {
            load();
        }
    });
    let can_send = move || auth.may(Action::SendBatch);
    let items = move || list.with(|l| l.as_ref().map(|l| l.items.clone()).unwrap_or_default());
    view! {
        <section class="card wide" aria-labelledby="batches-title">
            <div class="page-head">
                <h2 id="batches-title">{tx(|t| t.batches_title)}</h2>
                <div class="toolbar">
                    <Show when=can_send>
                        <A href="/batches/new" attr:class="button small" attr:data-testid="new-batch">
                            {tx(|t| t.new_batch)}
                        </A>
                    </Show>
                </div>
            </div>
            <p class="muted small-print">{tx(|t| t.batches_intro)}</p>
            <ErrorNotice error=error retry=Callback::new(move |_| load()) />
            <DataTable testid="batches-table" caption=|t| t.batches_title columns=vec![col(|t| t.col_batch), col(|t| t.col_kind), col(|t| t.col_status), col(|t| t.col_progress), num(|t| t.amount), col(|t| t.col_created)]>
                <For
                    each=items
                    key=|b| (b.id, b.state, finished(&b.progress), b.eta_at)
                    let:batch
                >
                    <BatchRow batch=batch />
                </For>
            </DataTable>
            <Show when=move || list.with(|l| l.as_ref().is_some_and(|l| l.items.is_empty()))>
                <p class="muted" data-testid="no-batches">{tx(|t| t.no_batches)}</p>
            </Show>
        </section>
    }
}

#[component]
fn BatchRow(batch: BatchSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = batch_href(batch.id);
    let name = batch.name.clone();
    let (id, kind, state) = (batch.id, batch.kind, batch.state);
    let amount = Money(batch.amount_ore);
    let created = batch.created_at as f64;
    let by = batch.created_by.clone();
    view! {
        <tr data-batch=id.to_string() data-state=state.as_str()>
            <th scope="row"><A href=href>{name}</A></th>
            <td>{move || i18n.get().kind(kind)}</td>
            <td><JobBadge state=state /></td>
            <td><BatchProgress batch=batch /></td>
            <td class="num">{move || i18n.get().money(amount)}</td>
            <td>
                {move || i18n.get().datetime(created)}
                <span class="muted block">{by}</span>
            </td>
        </tr>
    }
}
