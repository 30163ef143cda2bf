//! The proxy session as the console sees it: who is signed in, and a guard for pages.

use frontdesk_core::roles::{Action as Permission, Role};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self, User};
use crate::i18n::tx;

/// The create form (only for those who may create orders).
pub const NEW_ORDER_PATH: &str = "/orders/new";
/// The orders list.
pub const ORDERS_PATH: &str = "/orders";
/// Where everyone starts: what came in and what is owed.
pub const OVERVIEW_PATH: &str = "/overview";

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: RwSignal<Option<User>>,
    /// `/auth/me` has answered (or failed).
    pub checked: RwSignal<bool>,
}

impl Auth {
    /// Provide the context and ask the proxy who we are.
    pub fn provide() -> Auth {
        let auth = Auth {
            user: RwSignal::new(None),
            checked: RwSignal::new(false),
        };
        provide_context(auth);
        leptos::task::spawn_local(async move {
            let me = api::me().await.ok().flatten();
            auth.user.set(me);
            auth.checked.set(true);
        });
        auth
    }

    /// A known user without asking the proxy (tests).
    pub fn provide_with(user: Option<User>) -> Auth {
        let auth = Auth {
            user: RwSignal::new(user),
            checked: RwSignal::new(true),
        };
        provide_context(auth);
        auth
    }

    pub fn can_create(self) -> bool {
        self.may(Permission::Create)
    }

    /// Whether the signed-in user's role allows `action` (core's table).
    pub fn may(self, action: Permission) -> bool {
        self.user
            .with(|u| u.as_ref().is_some_and(|u| u.may(action)))
    }

    /// The signed-in user's role, if known.
    pub fn role(self) -> Option<Role> {
        self.user.with(|u| u.as_ref().and_then(User::known_role))
    }
}

pub fn use_auth() -> Auth {
    use_context::<Auth>().unwrap_or_else(|| Auth::provide_with(None))
}

/// Where a signed-in user goes from the login or `/`: back to `next` when it is safe (same
/// origin, absolute path) and a page the role can use, else to the Overview, every role's
/// start page.
pub fn landing(user: &User, next: Option<String>) -> String {
    let creates = user.can_create();
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login"))
        .filter(|n| creates || !n.starts_with(NEW_ORDER_PATH))
        .unwrap_or_else(|| OVERVIEW_PATH.to_owned())
}

/// Renders `children` for a signed-in user; sends everyone else to `/login?next=…`.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();

    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        if auth.checked.get() && auth.user.with(Option::is_none) {
            let here = location.pathname.get_untracked();
            let next = js_sys::encode_uri_component(&here);
            navigate(
                &format!("/login?next={next}"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! {
        <Show
            when=move || auth.checked.get() && auth.user.with(Option::is_some)
            fallback=move || view! { <p class="muted">{tx(|t| t.loading)}</p> }
        >
            {children()}
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn user(role: &str) -> User {
        User {
            username: role.into(),
            role: role.into(),
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn everyone_lands_on_the_overview() {
        for role in ["admin", "clerk", "viewer", "root"] {
            assert_eq!(landing(&user(role), None), OVERVIEW_PATH, "{role}");
        }
        // Back to where they were, unless a viewer was headed for the form.
        let next = |s: &str| Some(s.to_owned());
        assert_eq!(
            landing(&user("viewer"), next("/orders/ODR1")),
            "/orders/ODR1"
        );
        assert_eq!(landing(&user("viewer"), next("/orders/new")), OVERVIEW_PATH);
        assert_eq!(landing(&user("clerk"), next("/orders/new")), NEW_ORDER_PATH);
        assert_eq!(landing(&user("viewer"), next("/vat")), "/vat");
        // Never off-site or back to the login.
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/login?next=/x",
            "orders",
        ] {
            assert_eq!(landing(&user("admin"), next(bad)), OVERVIEW_PATH, "{bad}");
        }
    }
}
