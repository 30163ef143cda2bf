//! An order's timeline: the proxy's audit rows (who did what, with which outcome) merged with
//! the callbacks Front Payment sent, newest first.

use leptos::prelude::*;

use crate::api::AuditRow;
use crate::i18n::{Lang, tx, use_i18n};

/// `user:alice` → `alice`; machines and callbacks keep their prefix.
pub fn actor_name(actor: &str) -> &str {
    actor.strip_prefix("user:").unwrap_or(actor)
}

/// The outcome of a row in words.
pub fn outcome(lang: Lang, row: &AuditRow) -> String {
    if row.action == "callback" {
        // The message of a callback row is the status read back from the API.
        return row
            .message
            .parse()
            .map(|s| lang.status(s).to_owned())
            .unwrap_or_else(|_| row.message.clone());
    }
    format!("{} · {}", row.status as u16, lang.api_message(&row.message))
}

#[component]
pub fn Timeline(#[prop(into)] events: Signal<Vec<AuditRow>>) -> impl IntoView {
    view! {
        <section aria-labelledby="timeline-title">
            <h3 id="timeline-title">{tx(|t| t.timeline_title)}</h3>
            <Show when=move || events.with(Vec::is_empty)>
                <p class="muted">{tx(|t| t.timeline_empty)}</p>
            </Show>
            <ol class="timeline" data-testid="timeline">
                <For each=move || events.get() key=|e| e.id as i64 let:e>
                    <TimelineItem row=e />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn TimelineItem(row: AuditRow) -> impl IntoView {
    let i18n = use_i18n();
    let ok = (200.0..300.0).contains(&row.status);
    let amount = row.amount_ore.map(|a| frontdesk_core::Money(a as i64));
    let replayed = row.replayed;
    let at = row.at;
    let action = row.action.clone();
    let actor = actor_name(&row.actor).to_owned();
    let row_for_outcome = row.clone();
    view! {
        <li class:failed=!ok data-event=row.action.clone()>
            <time>{move || i18n.get().datetime(at)}</time>
            <span class="what">
                <strong>{move || i18n.get().action(&action)}</strong>
                {amount.map(|a| view! { " " <span>{move || i18n.get().money(a)}</span> })}
                " · " {move || outcome(i18n.get(), &row_for_outcome)}
            </span>
            <span class="muted">{move || i18n.t().by}" "{actor.clone()}</span>
            {replayed.then(|| view! { <span class="muted">" ("{move || i18n.t().replayed}")"</span> })}
        </li>
    }
}
