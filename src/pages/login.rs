//! `/login`: the proxy's session.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::auth::{landing, use_auth};
use crate::i18n::{tx, use_i18n};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let missing = RwSignal::new(false);

    // Already signed in (or just signed in): go on, to where the role starts.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if !auth.checked.get() {
                return;
            }
            let next = query.with_untracked(|q| q.get("next"));
            if let Some(to) = auth.user.with(|u| u.as_ref().map(|u| landing(u, next))) {
                navigate(
                    &to,
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (u, p) = (username.get_untracked(), password.get_untracked());
        if u.trim().is_empty() || p.is_empty() {
            missing.set(true);
            let id = if u.trim().is_empty() {
                "login-username"
            } else {
                "login-password"
            };
            crate::util::focus_id(id);
            return;
        }
        missing.set(false);
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = api::login(u.trim(), &p).await;
            busy.set(false);
            match result {
                Ok(user) => {
                    password.set(String::new());
                    auth.set_user(Some(user));
                    auth.checked.set(true);
                }
                Err(e) => {
                    error.set(Some(e));
                    crate::util::focus_id("login-password");
                }
            }
        });
    };

    let message = move || {
        let t = i18n.t();
        if missing.get() {
            return Some(t.login_required_fields.to_owned());
        }
        error.get().map(|e| match e {
            ApiError::Unauthorized => t.login_bad_credentials.to_owned(),
            ApiError::Busy { retry_after } => {
                t.login_locked.replace("{s}", &retry_after.to_string())
            }
            _ => t.login_failed.to_owned(),
        })
    };
    let has_message = Memo::new(move |_| message().is_some());

    view! {
        <section class="card login" aria-labelledby="login-title">
            <h2 id="login-title">{tx(|t| t.login_title)}</h2>
            <p class="muted">{tx(|t| t.login_intro)}</p>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="login-username">{tx(|t| t.username)}</label>
                    <input
                        id="login-username"
                        name="username"
                        autocomplete="username"
                        aria-required="true"
                        aria-invalid=move || if has_message.get() { "true" } else { "false" }
                        aria-describedby="login-msg"
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="login-password">{tx(|t| t.password)}</label>
                    <input
                        id="login-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        aria-required="true"
                        aria-invalid=move || if has_message.get() { "true" } else { "false" }
                        aria-describedby="login-msg"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <div class="msg" id="login-msg" aria-live="polite">
                    {move || message().map(|m| view! {
                        <span class="msg-error">
                            <span class="msg-icon" aria-hidden="true">"✖"</span>
                            <strong>{i18n.t().error_prefix}</strong>" "{m}
                        </span>
                    })}
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t().signing_in } else { i18n.t().sign_in }}
                </button>
            </form>
        </section>
    }
}
