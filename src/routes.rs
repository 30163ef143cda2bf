//! Every page but the login, each behind a split point: in the release build
//! (`--features split`, see `xtask/src/split.rs`) each is its own wasm chunk, fetched the first
//! time its route is visited; elsewhere (dev, wasm tests) they are plain async functions.
//!
//! A chunk is named after its function here, so `cargo xtask size` finds a route's chunk by
//! these names.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::book::Shelf;
use crate::i18n::tx;

/// A page's view, once its code has arrived. Until then "Loading…" (a first visit on a slow
/// network), never a blank area; if it cannot arrive (offline, or a new release replaced the
/// chunks), a message and "Try again" instead of a dead console.
#[component]
pub fn Lazy<Fut>(page: fn() -> Fut) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, SplitLoaderError>> + Send + 'static,
{
    let attempt = RwSignal::new(0u32);
    let shown = move || {
        attempt.track();
        Suspend::new(async move {
            match page().await {
                Ok(view) => view,
                Err(_) => view! { <LoadFailed attempt /> }.into_any(),
            }
        })
    };
    view! {
        <Suspense fallback=|| view! {
            <p class="page-loading muted" role="status" aria-busy="true">{tx(|t| t.loading)}</p>
        }>{shown}</Suspense>
    }
}

/// The page's code did not load: say so, and load it again on request (a failed load is not
/// remembered by the loader).
#[component]
fn LoadFailed(attempt: RwSignal<u32>) -> impl IntoView {
    view! {
        <section class="card" role="alert">
            <p>{tx(|t| t.page_load_failed)}</p>
            <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>{tx(|t| t.retry)}</button>
        </section>
    }
}

/// One page behind a split point: in the split build a `wasm_split` function (chunk `$name`,
/// `fallible` so a failed load is an error, not a panic), elsewhere a plain async function of
/// the same signature.
macro_rules! page {
    ($(#[$doc:meta])* $name:ident => $view:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name() -> Result<AnyView, SplitLoaderError> {
            Ok($view.into_any())
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> Result<AnyView, SplitLoaderError> {
            Ok($view.into_any())
        }
    };
}

page!(
    /// `/orders`
    orders => view! { <crate::pages::orders::OrdersPage /> }
);
page!(
    /// `/orders/new`
    new_order => view! { <crate::pages::new_order::NewOrderPage /> }
);
page!(
    /// `/orders/new/done/:uuid`
    done => view! { <crate::pages::done::DonePage /> }
);
page!(
    /// `/orders/:uuid`
    order => view! { <crate::pages::order::OrderPage /> }
);
page!(
    /// `/customers`
    customers => view! { <crate::pages::customers::CustomersPage /> }
);
page!(
    /// `/customers/import`
    customer_import => view! { <crate::pages::book_import::ImportPage shelf=Shelf::Customers /> }
);
page!(
    /// `/customers/new`
    customer_new => view! { <crate::pages::customer_new::NewCustomerPage /> }
);
page!(
    /// `/customers/:id`
    customer => view! { <crate::pages::customer::CustomerPage /> }
);
page!(
    /// `/products`
    products => view! { <crate::pages::products::ProductsPage /> }
);
page!(
    /// `/products/import`
    product_import => view! { <crate::pages::book_import::ImportPage shelf=Shelf::Products /> }
);
page!(
    /// `/activity`
    activity => view! { <crate::pages::activity::ActivityPage /> }
);
page!(
    /// `/users`
    users => view! { <crate::pages::users::UsersPage /> }
);
page!(
    /// `/account`
    account => view! { <crate::pages::account::AccountPage /> }
);
page!(
    /// `/sign-out`
    sign_out => view! { <crate::pages::account::SignOutPage /> }
);
page!(
    /// `/overview`
    overview => view! { <crate::pages::overview::OverviewPage /> }
);
page!(
    /// `/vat`
    vat => view! { <crate::pages::vat::VatPage /> }
);
page!(
    /// `/batches`
    batches => view! { <crate::pages::batches::BatchesPage /> }
);
page!(
    /// `/batches/new`
    batch_new => view! { <crate::pages::batch_new::NewBatchPage /> }
);
page!(
    /// `/batches/:id`
    batch => view! { <crate::pages::batch::BatchPage /> }
);
