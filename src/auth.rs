//! The proxy session as the console sees it: who is signed in, and a guard for pages.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self, User};
use crate::i18n::tx;

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
        self.user.with(|u| u.as_ref().is_some_and(User::can_create))
    }
}

pub fn use_auth() -> Auth {
    use_context::<Auth>().unwrap_or_else(|| Auth::provide_with(None))
}

/// A path safe to return to after signing in (same origin, absolute path).
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login"))
        .unwrap_or_else(|| "/orders/new".into())
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
