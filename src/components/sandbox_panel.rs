//! The sandbox panel: on a sandbox upstream with controls on, an admin can act as the customer
//! (pay, reserve, choose invoice), let time pass (expiry, reminder, debt collection) and move
//! the sandbox clock. Clearly marked: nothing here reaches Front Payment.

use frontdesk_core::OrderStatus;
use leptos::prelude::*;
use serde_json::json;

use crate::api::{self, ApiError};
use crate::components::notice::ErrorNotice;
use crate::components::order_actions::current_role;
use crate::follow_up::Loaded;
use crate::follow_up::{may_simulate, simulations};
use crate::i18n::{Lang, tx, use_i18n};

const DAY_SECONDS: i64 = 86_400;

fn sim_label(lang: Lang, to: OrderStatus) -> &'static str {
    let t = lang.texts();
    match to {
        OrderStatus::Paid => t.sim_paid,
        OrderStatus::Reserved => t.sim_reserved,
        OrderStatus::Invoiced => t.sim_invoiced,
        OrderStatus::Expired => t.sim_expired,
        OrderStatus::Reminder => t.sim_reminder,
        OrderStatus::DebtCollection => t.sim_debt,
        other => lang.status(other),
    }
}

#[component]
pub fn SandboxPanel(
    #[prop(into)] loaded: Signal<Option<Loaded>>,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = current_role();
    let health = LocalResource::new(api::health);
    let on_sandbox = move || {
        health
            .get()
            .and_then(Result::ok)
            .is_some_and(|h| h.is_sandbox())
    };
    let sims = Memo::new(move |_| {
        loaded.with(|l| {
            l.as_ref()
                .map(|l| simulations(role.get(), l.details.kind, l.state.status))
                .unwrap_or_default()
        })
    });
    let admin = move || may_simulate(role.get());
    let error = RwSignal::new(None::<ApiError>);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let control = move |path: String, body: serde_json::Value, after: String| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let out = api::post_data(&path, Some(&body), None).await;
            busy.set(false);
            match out {
                Ok(_) => {
                    note.set(after);
                    done.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let transition = move |to: OrderStatus| {
        let Some(id) =
            loaded.with_untracked(|l| l.as_ref().map(|l| l.details.order_id.as_str().to_owned()))
        else {
            return;
        };
        let after = sim_label(i18n.0.get_untracked(), to).to_owned();
        control(
            format!("/_sandbox/orders/{id}/transition"),
            json!({ "to": to.as_str() }),
            after,
        );
    };
    view! {
        <Show when=move || on_sandbox() && admin()>
            <section class="sandbox-panel" aria-labelledby="sandbox-title" data-testid="sandbox-panel">
                <h3 id="sandbox-title">{tx(|t| t.sandbox_title)}</h3>
                <p class="small-print">{tx(|t| t.sandbox_note)}</p>
                <div class="action-buttons">
                    {move || sims.get().into_iter().map(|to| view! {
                        <button type="button" class="secondary small" data-simulate=to.as_str()
                            disabled=move || busy.get() on:click=move |_| transition(to)>
                            {move || sim_label(i18n.get(), to)}
                        </button>
                    }).collect_view()}
                    <button type="button" class="secondary small" data-testid="clock-advance" disabled=move || busy.get()
                        on:click=move |_| control("/_sandbox/clock".into(), json!({ "advanceSeconds": DAY_SECONDS }), format!("{} 1", i18n.t().clock_moved))>
                        {tx(|t| t.clock_advance)}
                    </button>
                </div>
                <p role="status" class="small-print">{move || note.get()}</p>
                <ErrorNotice error=error />
            </section>
        </Show>
    }
}
