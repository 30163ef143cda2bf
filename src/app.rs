//! The application shell: skip link, header (product, navigation, user and role, sign-out,
//! language), the routed page in `<main>`, and the proxy status in the footer.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

use crate::api;
use crate::auth::{Auth, RequireAuth, use_auth};
use crate::components::batch::{BatchIndicator, BatchWatch};
use crate::i18n::{I18n, Lang, initial_lang, tx, use_i18n};
use crate::pages::login::LoginPage;
use crate::pages::orders::{HomePage, NotFound};
use crate::routes::{Lazy, Page};

#[component]
pub fn App() -> impl IntoView {
    I18n::provide(initial_lang());
    Auth::provide();
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

#[component]
pub fn Shell() -> impl IntoView {
    BatchWatch::provide();
    view! {
        <a class="skip-link" href="#main">{tx(|t| t.skip_to_content)}</a>
        <Header />
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/orders") view=|| view! { <RequireAuth><Lazy page=Page::Orders /></RequireAuth> } />
                <Route path=path!("/orders/new") view=|| view! { <RequireAuth><Lazy page=Page::NewOrder /></RequireAuth> } />
                <Route path=path!("/orders/new/done/:uuid") view=|| view! { <RequireAuth><Lazy page=Page::Done /></RequireAuth> } />
                <Route path=path!("/orders/:uuid") view=|| view! { <RequireAuth><Lazy page=Page::Order /></RequireAuth> } />
                <Route path=path!("/customers") view=|| view! { <RequireAuth><Lazy page=Page::Customers /></RequireAuth> } />
                <Route path=path!("/customers/import") view=|| view! { <RequireAuth><Lazy page=Page::CustomerImport /></RequireAuth> } />
                <Route path=path!("/customers/new") view=|| view! { <RequireAuth><Lazy page=Page::NewCustomer /></RequireAuth> } />
                <Route path=path!("/customers/:id") view=|| view! { <RequireAuth><Lazy page=Page::Customer /></RequireAuth> } />
                <Route path=path!("/products") view=|| view! { <RequireAuth><Lazy page=Page::Products /></RequireAuth> } />
                <Route path=path!("/products/import") view=|| view! { <RequireAuth><Lazy page=Page::ProductImport /></RequireAuth> } />
                <Route path=path!("/activity") view=|| view! { <RequireAuth><Lazy page=Page::Activity /></RequireAuth> } />
                <Route path=path!("/users") view=|| view! { <RequireAuth><Lazy page=Page::Users /></RequireAuth> } />
                <Route path=path!("/account") view=|| view! { <RequireAuth><Lazy page=Page::Account /></RequireAuth> } />
                // Not behind the guard: signed out already, it goes to the login without a `next`.
                <Route path=path!("/sign-out") view=|| view! { <Lazy page=Page::SignOut /> } />
                <Route path=path!("/overview") view=|| view! { <RequireAuth><Lazy page=Page::Overview /></RequireAuth> } />
                <Route path=path!("/vat") view=|| view! { <RequireAuth><Lazy page=Page::Vat /></RequireAuth> } />
                <Route path=path!("/batches") view=|| view! { <RequireAuth><Lazy page=Page::Batches /></RequireAuth> } />
                <Route path=path!("/batches/new") view=|| view! { <RequireAuth><Lazy page=Page::NewBatch /></RequireAuth> } />
                <Route path=path!("/batches/:id") view=|| view! { <RequireAuth><Lazy page=Page::Batch /></RequireAuth> } />
            </Routes>
        </main>
        <Footer />
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    // The sign-out page asks about unsent drafts first; going there also lets the form page
    // save its last typing before the drafts are listed.
    let sign_out = move |_| navigate("/sign-out", Default::default());
    let role = move || auth.role().map(|r| i18n.get().role(r));
    // Only those who may create orders are offered the form; only admins manage users.
    let can_create = move || auth.can_create();
    let manages_users = move || auth.may_manage_users();
    let toggle = move |_| {
        i18n.0.update(|l| {
            *l = match l {
                Lang::Nb => Lang::En,
                Lang::En => Lang::Nb,
            }
        })
    };
    view! {
        <header class="app-header">
            <div class="brand">
                <h1>"Frontdesk"</h1>
                <span class="tagline">{tx(|t| t.tagline)}</span>
            </div>
            <Show when=move || auth.user.with(Option::is_some)>
                <nav aria-label=move || i18n.t().nav_label>
                    <A href="/overview">{tx(|t| t.nav_overview)}</A>
                    <Show when=can_create>
                        <A href="/orders/new">{tx(|t| t.nav_new_order)}</A>
                    </Show>
                    <A href="/orders" exact=true>{tx(|t| t.nav_orders)}</A>
                    <A href="/batches">{tx(|t| t.nav_batches)}</A>
                    <A href="/customers">{tx(|t| t.book.nav_customers)}</A>
                    <A href="/products">{tx(|t| t.book.nav_products)}</A>
                    <A href="/activity">{tx(|t| t.nav_activity)}</A>
                    <Show when=manages_users>
                        <A href="/users">{tx(|t| t.nav_users)}</A>
                    </Show>
                    <A href="/account">{tx(|t| t.nav_account)}</A>
                    <A href="/vat">{tx(|t| t.nav_vat)}</A>
                </nav>
            </Show>
            <div class="session">
                <button
                    type="button"
                    class="link lang-toggle"
                    on:click=toggle
                    aria-label=tx(|t| t.switch_to_lang)
                    lang=move || match i18n.get() { Lang::Nb => "en", Lang::En => "nb" }
                >
                    {tx(|t| t.switch_to)}
                </button>
                <Show when=move || auth.user.with(Option::is_some)>
                    <BatchIndicator />
                    <span class="user">
                        <span class="muted">{tx(|t| t.signed_in_as)}" "</span>
                        <strong data-testid="username">
                            {move || auth.user.with(|u| u.as_ref().map(|u| u.username.clone()).unwrap_or_default())}
                        </strong>
                        " "
                        <span class="role" data-testid="role">{role}</span>
                    </span>
                    <button type="button" class="secondary small" on:click=sign_out.clone()>
                        {tx(|t| t.sign_out)}
                    </button>
                </Show>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    let health = LocalResource::new(api::health);
    view! {
        <footer class="app-footer">
            <p class="proxy-status" role="status">
                {move || {
                    let t = i18n.t();
                    match health.get() {
                        None => t.proxy_connecting,
                        Some(Ok(h)) if h.is_sandbox() => t.proxy_connected_sandbox,
                        Some(Ok(_)) => t.proxy_connected,
                        Some(Err(_)) => t.proxy_unreachable,
                    }
                }}
            </p>
        </footer>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use leptos::wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn shell_renders_the_product_name() {
        let document = leptos::prelude::document();
        let host = document.create_element("div").expect("a div");
        document
            .body()
            .expect("a body")
            .append_child(&host)
            .expect("appended");
        let _mounted = leptos::mount::mount_to(host.clone().unchecked_into(), super::App);
        leptos::task::tick().await;
        let text = host.text_content().unwrap_or_default();
        assert!(text.contains("Frontdesk"), "rendered text: {text}");
        assert!(
            host.query_selector("[role=status]")
                .ok()
                .flatten()
                .is_some()
        );
        assert!(host.query_selector("main#main").ok().flatten().is_some());
        assert!(host.query_selector("a.skip-link").ok().flatten().is_some());
    }
}
