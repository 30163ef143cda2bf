//! The proxy session as the console sees it: who is signed in, a guard for pages, and where a
//! user goes after signing in (never off-site).

use std::cell::Cell;

use frontdesk_core::roles::{Action as Permission, Role};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::location::Location;

use crate::api::{self, User};
use crate::draft;
use crate::i18n::tx;

/// The create form (only for those who may create orders).
pub const NEW_ORDER_PATH: &str = "/orders/new";
/// The orders list.
pub const ORDERS_PATH: &str = "/orders";
/// Pages a `next` never leads to: the login (a loop) and the sign-out (it would sign the user
/// straight out again).
const NEVER_NEXT: [&str; 2] = ["/login", "/sign-out"];

thread_local! {
    /// The app's session, for answers that say it ended ([`session_ended`]).
    static CURRENT: Cell<Option<Auth>> = const { Cell::new(None) };
}

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
        let auth = Auth::install(false);
        leptos::task::spawn_local(async move {
            let me = api::me().await.ok().flatten();
            auth.set_user(me);
            auth.checked.set(true);
        });
        auth
    }

    /// A known user without asking the proxy (tests).
    pub fn provide_with(user: Option<User>) -> Auth {
        let auth = Auth::install(true);
        auth.set_user(user);
        auth
    }

    fn install(checked: bool) -> Auth {
        let auth = Auth {
            user: RwSignal::new(None),
            checked: RwSignal::new(checked),
        };
        provide_context(auth);
        CURRENT.with(|c| c.set(Some(auth)));
        auth
    }

    /// Who is signed in from now on; their drafts (and only theirs) become the form's.
    pub fn set_user(self, user: Option<User>) {
        draft::set_owner(user.as_ref().map(|u| u.username.as_str()));
        self.user.set(user);
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
        self.user.with(|u| u.as_ref().map(|u| u.role))
    }

    /// Whether the signed-in user manages users (the Users page; core's table, which the
    /// proxy enforces on the routes behind it).
    pub fn may_manage_users(self) -> bool {
        self.may(Permission::ManageUsers)
    }
}

/// The app's session; a signed-out one where none was provided (components mounted alone, in
/// tests), which leaves whose drafts they are alone.
pub fn use_auth() -> Auth {
    use_context::<Auth>().unwrap_or_else(|| Auth::install(true))
}

/// A read answered 401: the session ended (signed out everywhere, revoked by an admin, idle or
/// expired). Forgetting the user lets [`RequireAuth`] send them to the login, back to here.
pub fn session_ended() {
    if let Some(auth) = CURRENT.with(Cell::get) {
        let _ = auth.user.try_set(None);
    }
}

/// Where a signed-in user goes from the login or `/`: back to `next` when it is a page of
/// this site ([`local_path`], then the browser's own URL parser against our origin) that the
/// role can use, else to the Overview, every role's start page.
pub fn landing(user: &User, next: Option<String>) -> String {
    let creates = user.may(Permission::Create);
    next.as_deref()
        .and_then(local_path)
        .and_then(same_origin)
        .filter(|n| !NEVER_NEXT.iter().any(|p| n.starts_with(*p)))
        .filter(|n| creates || !n.starts_with(NEW_ORDER_PATH))
        .unwrap_or_else(|| OVERVIEW_PATH.to_owned())
}

/// `next` when it can only be a path on this site, as typed; `None` for anything a browser could
/// read as another site or a script: not starting with exactly one `/` (`//host`,
/// `https://host`, `javascript:`), any backslash (browsers read `/\host` as `//host`), any
/// control or white-space character (browsers drop tabs and line breaks, so `/\t/host` is
/// `//host`), and the same again once `%2F` and `%5C` are decoded. Pure, so it is tested
/// natively.
pub fn local_path(next: &str) -> Option<&str> {
    let decoded = decode_separators(next);
    (plain_path(next) && plain_path(&decoded)).then_some(next)
}

fn plain_path(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !s
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

/// `%2F` as `/` and `%5C` as `\` (either case); every other escape stays as it is.
fn decode_separators(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let escape = rest.get(i + 1..i + 3).map(str::to_ascii_uppercase);
        let (decoded, skip) = match escape.as_deref() {
            Some("2F") => ('/', 3),
            Some("5C") => ('\\', 3),
            _ => ('%', 1),
        };
        out.push(decoded);
        rest = &rest[i + skip..];
    }
    out.push_str(rest);
    out
}

/// The path parsed by the browser against the page's origin, kept only when it stays on that
/// origin, as path + query + fragment.
#[cfg(target_arch = "wasm32")]
fn same_origin(path: &str) -> Option<String> {
    let origin = web_sys::window()?.location().origin().ok()?;
    let url = web_sys::Url::new_with_base(path, &origin).ok()?;
    (url.origin() == origin).then(|| format!("{}{}{}", url.pathname(), url.search(), url.hash()))
}

/// Natively (unit tests) there is no browser: [`local_path`] alone decides.
#[cfg(not(target_arch = "wasm32"))]
fn same_origin(path: &str) -> Option<String> {
    Some(path.to_owned())
}

/// Where the browser is now, as a `next`: path, query and fragment.
fn here(location: &Location) -> String {
    let search = location.search.get_untracked();
    let hash = location.hash.get_untracked();
    let mut out = location.pathname.get_untracked();
    if !search.is_empty() {
        out.push('?');
        out.push_str(&search);
    }
    if !hash.is_empty() && !hash.starts_with('#') {
        out.push('#');
    }
    out.push_str(&hash);
    out
}

/// Renders `children` for a signed-in user; sends everyone else to `/login?next=…`.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();

    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        if auth.checked.get() && auth.user.with(Option::is_none) {
            let next = js_sys::encode_uri_component(&here(&location));
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

    fn user(role: Role) -> User {
        User {
            username: role.as_str().into(),
            role,
            via: None,
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn everyone_lands_on_the_overview() {
        for role in Role::ALL {
            assert_eq!(landing(&user(role), None), OVERVIEW_PATH, "{role:?}");
        }
        // Back to where they were, unless a viewer was headed for the form.
        let next = |s: &str| Some(s.to_owned());
        assert_eq!(
            landing(&user(Role::Viewer), next("/orders/ODR1")),
            "/orders/ODR1"
        );
        assert_eq!(
            landing(&user(Role::Viewer), next("/orders/new")),
            OVERVIEW_PATH
        );
        assert_eq!(
            landing(&user(Role::Clerk), next("/orders/new")),
            NEW_ORDER_PATH
        );
        assert_eq!(landing(&user(Role::Viewer), next("/vat")), "/vat");
        // Never off-site or back to the login.
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/login?next=/x",
            "orders",
        ] {
            assert_eq!(
                landing(&user(Role::Admin), next(bad)),
                OVERVIEW_PATH,
                "{bad}"
            );
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn next_never_leaves_the_site() {
        let admin = user(Role::Admin);
        let after = |next: &str| landing(&admin, Some(next.to_owned()));
        // Each of these is another site (or a script) to some browser: not a path of this
        // site, so the landing page.
        for bad in [
            "/\\x",
            "/%5Cx",
            "/%5cx",
            "//x",
            "https://x",
            "/\tx",
            "/\t/x",
            "/\n/x",
            "javascript:alert(1)",
            "/%2F/x",
            "/%2f%2fx",
            "/orders\\..\\x",
            "\\\\x",
            " /orders",
            "/orders ",
            "",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
            assert_eq!(after(bad), OVERVIEW_PATH, "{bad:?}");
        }
        // A path of this site that is no place to land.
        assert_eq!(local_path("/sign-out"), Some("/sign-out"));
        assert_eq!(after("/sign-out"), OVERVIEW_PATH);
        // Paths of this site come back with their query and fragment.
        for good in [
            "/orders?status=PAID",
            "/orders#x",
            "/orders/ODR1",
            "/activity?user=clerk",
        ] {
            assert_eq!(after(good), good);
        }
        // Odd escapes are not separators and never panic the decoder.
        assert_eq!(local_path("/orders/%"), Some("/orders/%"));
        assert_eq!(local_path("/orders/%é%A"), Some("/orders/%é%A"));
    }
}
