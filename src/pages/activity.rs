//! `/activity`: the proxy's audit log, filterable by user, action and order, newest first.

use frontdesk_core::Endpoint;
use frontdesk_core::roles::Role;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError, AuditPage, AuditRow};
use crate::components::notice::ErrorNotice;
use crate::components::table::{DataTable, col, num};
use crate::components::timeline::{NOTE_ACTION, action_text, actor_label, outcome};
use crate::i18n::{tx, use_i18n};
use crate::util;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filters {
    user: String,
    action: String,
    order: String,
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(Filters::default());
    let applied = RwSignal::new(Filters::default());
    let rows = RwSignal::new(Vec::<AuditRow>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let latest = util::Latest::default();

    let fetch = move |cursor: Option<String>| {
        let f = applied.get_untracked();
        let c = cursor.clone().unwrap_or_default();
        let path = format!(
            "/console/audit{}",
            api::query(&[
                ("user", f.user.trim()),
                ("action", &f.action),
                ("order", f.order.trim()),
                ("cursor", &c),
            ])
        );
        let mine = latest.ticket();
        leptos::task::spawn_local(async move {
            let result = api::get_data::<AuditPage>(&path).await;
            if !latest.is_current(mine) {
                return;
            }
            match result {
                Ok(page) => {
                    error.set(None);
                    if cursor.is_some() {
                        rows.update(|r| r.extend(page.items));
                    } else {
                        rows.set(page.items);
                    }
                    next.set(page.next_cursor);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        applied.track();
        fetch(None);
    });
    let actions: Vec<&'static str> = Endpoint::ALL
        .into_iter()
        .filter(|e| e.is_write())
        .map(Endpoint::name)
        .chain(["callback", NOTE_ACTION])
        .collect();

    view! {
        <section class="card wide" aria-labelledby="activity-title">
            <h2 id="activity-title">{tx(|t| t.activity_title)}</h2>
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); applied.set(draft.get_untracked()); }>
                <label>
                    <span>{tx(|t| t.filter_user)}</span>
                    <input type="text" data-testid="activity-user" on:input=move |ev| draft.update(|d| d.user = event_target_value(&ev)) />
                </label>
                <label>
                    <span>{tx(|t| t.filter_action)}</span>
                    <select data-testid="activity-action" on:change=move |ev| draft.update(|d| d.action = event_target_value(&ev))>
                        <option value="">{tx(|t| t.any)}</option>
                        {actions.into_iter().map(|a| view! { <option value=a>{move || action_text(i18n.get(), a)}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{tx(|t| t.filter_order)}</span>
                    <input type="text" data-testid="activity-order" on:input=move |ev| draft.update(|d| d.order = event_target_value(&ev)) />
                </label>
                <button type="submit" class="secondary">{tx(|t| t.apply_filter)}</button>
            </form>
            <ErrorNotice error=error retry=Callback::new(move |_| fetch(None)) />
            <DataTable testid="activity-table" caption=|t| t.activity_title columns=vec![col(|t| t.col_when), col(|t| t.col_who), col(|t| t.col_what), col(|t| t.col_order), num(|t| t.amount), col(|t| t.col_result)]>
                <For each=move || rows.get() key=|r| r.id let:r>
                    <ActivityRow row=r />
                </For>
            </DataTable>
            <Show when=move || rows.with(Vec::is_empty) && error.with(Option::is_none)>
                <p class="muted">{tx(|t| t.activity_empty)}</p>
            </Show>
            <Show when=move || next.with(Option::is_some)>
                <button type="button" class="secondary small" on:click=move |_| fetch(next.get_untracked())>
                    {tx(|t| t.load_more)}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn ActivityRow(row: AuditRow) -> impl IntoView {
    let i18n = use_i18n();
    let at = row.at as f64;
    let action = row.action.clone();
    let amount = row.amount();
    let order = row.order_uuid.clone();
    let actor = row.actor.clone();
    // Callbacks come from Front Payment, whose "role" is no role of ours.
    let role = row.role.parse::<Role>().ok();
    let r = row.clone();
    view! {
        <tr>
            <td>{move || i18n.get().datetime(at)}</td>
            <td>
                {move || actor_label(i18n.get(), &actor)}
                {role.map(|role| view! { " " <span class="muted">{move || i18n.get().role(role)}</span> })}
            </td>
            <td>{move || action_text(i18n.get(), &action)}</td>
            <td>{order.map(|o| view! { <A href=format!("/orders/{o}")><code>{o.clone()}</code></A> })}</td>
            <td class="num">{move || amount.map(|a| i18n.get().money(a))}</td>
            <td>{move || outcome(i18n.get(), &r)}</td>
        </tr>
    }
}
