//! Every page but the login behind a split point: in the release build (`--features split`,
//! see `xtask/src/split.rs`) each group of pages is its own wasm chunk, fetched the first time
//! one of its routes is visited; elsewhere (dev, wasm tests) the groups are plain async
//! functions. A chunk is named after its group's function: `cargo xtask size` finds a route's
//! chunk by that name (`xtask/src/size.rs` `ROUTES`).

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::book::Shelf;
use crate::i18n::tx;

/// Builds a page's view; the code it runs came with its group's chunk.
pub type Build = fn() -> AnyView;

/// Pauses (ms) between the automatic attempts at a page's code before "Try again" is offered:
/// a dropped connection (a train's tunnel, a busy server) is often back within a second or two.
const PAUSES: [i32; 2] = [500, 1500];

/// Where a page's code is: on its way, arrived, or failed to arrive.
#[derive(Debug, Clone, Copy)]
enum Arrival {
    Loading,
    Arrived(Build),
    Failed,
}

/// A page's view, once its code has arrived. Until then "Loading…" (a first visit on a slow
/// network), never a blank area; if it cannot arrive (offline, or a new release replaced the
/// chunks), a message and "Try again" instead of a dead console.
///
/// The load only reports where the code is; the view is built by this component's own render,
/// so a page left before its code arrived (a redirect to the login) is never built without
/// its owner and contexts.
#[component]
pub fn Lazy(page: Page) -> impl IntoView {
    let arrival = RwSignal::new(Arrival::Loading);
    let fetch = move || {
        arrival.set(Arrival::Loading);
        leptos::task::spawn_local(async move {
            // `try_set`: the page may be gone by now, and its signal with it.
            arrival.try_set(arrive(page).await);
        });
    };
    fetch();
    move || match arrival.get() {
        Arrival::Loading => view! {
            <p class="page-loading muted" role="status" aria-busy="true">{tx(|t| t.loading)}</p>
        }
        .into_any(),
        Arrival::Arrived(build) => build(),
        Arrival::Failed => view! {
            <section class="card" role="alert">
                <p>{tx(|t| t.page_load_failed)}</p>
                <button type="button" on:click=move |_| fetch()>{tx(|t| t.retry)}</button>
            </section>
        }
        .into_any(),
    }
}

/// The page's code, tried again after each of [`PAUSES`] before it counts as failed.
async fn arrive(page: Page) -> Arrival {
    for pause in PAUSES {
        if let Ok(build) = page.load().await {
            return Arrival::Arrived(build);
        }
        crate::api::sleep_ms(pause).await;
    }
    match page.load().await {
        Ok(build) => Arrival::Arrived(build),
        Err(_) => Arrival::Failed,
    }
}

/// The pages behind split points, each in the chunk of its group: a visit downloads the login
/// and the shell, plus the group of the page it opens. Grouped by what a person does in one
/// sitting (pages of a group share most of their code, so each group is one download).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    NewOrder,
    Done,
    Orders,
    Order,
    Customers,
    Customer,
    NewCustomer,
    CustomerImport,
    Products,
    ProductImport,
    Batches,
    NewBatch,
    Batch,
    Overview,
    Vat,
    Activity,
    Users,
    Account,
    SignOut,
}

impl Page {
    /// What builds the page's view, once its group's chunk has arrived.
    pub async fn load(self) -> Result<Build, SplitLoaderError> {
        use Page::*;
        match self {
            NewOrder | Done => create(self).await,
            Orders | Order => follow_up(self).await,
            Customers | Customer | NewCustomer | CustomerImport | Products | ProductImport => {
                book(self).await
            }
            Batches | NewBatch | Batch => batches(self).await,
            Overview | Vat | Activity => reports(self).await,
            Users | Account | SignOut => people(self).await,
        }
    }
}

/// One group behind a split point: in the split build a `wasm_split` function (its chunk is
/// named after it; `fallible`, so a failed load is an error, not a panic), elsewhere a plain
/// async function of the same signature. It hands back the page's builder, not its view. A
/// page outside the group (a wrong [`Page::load`] arm) shows the 404.
macro_rules! group {
    ($(#[$doc:meta])* $name:ident { $($page:ident => $view:expr),+ $(,)? }) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name(page: Page) -> Result<Build, SplitLoaderError> {
            Ok(group!(@pick page { $($page => $view),+ }))
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        async fn $name(page: Page) -> Result<Build, SplitLoaderError> {
            Ok(group!(@pick page { $($page => $view),+ }))
        }
    };
    (@pick $chosen:ident { $($page:ident => $view:expr),+ }) => {
        match $chosen {
            $(Page::$page => || $view.into_any(),)+
            _ => || view! { <crate::pages::orders::NotFound /> }.into_any(),
        }
    };
}

group!(
    /// Sending an order: the form and its done page (`/orders/new…`).
    create {
        NewOrder => view! { <crate::pages::new_order::NewOrderPage /> },
        Done => view! { <crate::pages::done::DonePage /> },
    }
);

group!(
    /// Following up: the orders list and an order (`/orders`, `/orders/{uuid}`).
    follow_up {
        Orders => view! { <crate::pages::orders::OrdersPage /> },
        Order => view! { <crate::pages::order::OrderPage /> },
    }
);

group!(
    /// The customer book and the catalogue (`/customers…`, `/products…`).
    book {
        Customers => view! { <crate::pages::customers::CustomersPage /> },
        Customer => view! { <crate::pages::customer::CustomerPage /> },
        NewCustomer => view! { <crate::pages::customer_new::NewCustomerPage /> },
        CustomerImport => view! { <crate::pages::book_import::ImportPage shelf=Shelf::Customers /> },
        Products => view! { <crate::pages::products::ProductsPage /> },
        ProductImport => view! { <crate::pages::book_import::ImportPage shelf=Shelf::Products /> },
    }
);

group!(
    /// Sending to many (`/batches…`).
    batches {
        Batches => view! { <crate::pages::batches::BatchesPage /> },
        NewBatch => view! { <crate::pages::batch_new::NewBatchPage /> },
        Batch => view! { <crate::pages::batch::BatchPage /> },
    }
);

group!(
    /// The overview, the VAT report and the activity log.
    reports {
        Overview => view! { <crate::pages::overview::OverviewPage /> },
        Vat => view! { <crate::pages::vat::VatPage /> },
        Activity => view! { <crate::pages::activity::ActivityPage /> },
    }
);

group!(
    /// Users, the account and signing out.
    people {
        Users => view! { <crate::pages::users::UsersPage /> },
        Account => view! { <crate::pages::account::AccountPage /> },
        SignOut => view! { <crate::pages::account::SignOutPage /> },
    }
);
