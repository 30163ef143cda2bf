//! `/`, `/orders` (the list arrives with the next issue), `/orders/{uuid}` and 404.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::auth::use_auth;
use crate::i18n::tx;

/// `/`: to the create form when signed in, else to the login.
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();

    let navigate = use_navigate();
    Effect::new(move |_| {
        if auth.checked.get() {
            let to = if auth.user.with(Option::is_some) {
                "/orders/new"
            } else {
                "/login"
            };
            navigate(
                to,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! { <p class="muted">{tx(|t| t.loading)}</p> }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="orders-title">
            <h2 id="orders-title">{tx(|t| t.orders_title)}</h2>
            <p>{tx(|t| t.orders_placeholder)}</p>
            <p><A href="/orders/new">{tx(|t| t.nav_new_order)}</A></p>
        </section>
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let uuid = move || params.with(|p| p.get("uuid").unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="order-title">
            <h2 id="order-title">{tx(|t| t.order_title)}" "<code>{uuid}</code></h2>
            <p>{tx(|t| t.order_placeholder)}</p>
            <p><A href="/orders">{tx(|t| t.nav_orders)}</A></p>
        </section>
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
