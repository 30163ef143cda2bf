//! Status badges and the error notice every follow-up page shows where the error happened.

use frontdesk_core::{ApiMessage, OrderStatus};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{Lang, use_i18n};

/// A status in words, with a colour per status (the words carry the meaning, not the colour).
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<Option<OrderStatus>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span
            class=move || format!("badge status-{}", status_slug(status.get()))
            data-status=move || status.get().map(OrderStatus::as_str)
        >
            {move || match status.get() {
                Some(s) => i18n.get().status(s),
                None => i18n.t().status_unknown,
            }}
        </span>
    }
}

/// `PARTIAL REFUNDED` → `partial-refunded` (CSS class).
pub fn status_slug(s: Option<OrderStatus>) -> String {
    s.map_or("unknown".into(), |s| {
        s.as_str().to_lowercase().replace(' ', "-")
    })
}

/// An error in words (the API's message translated where known).
pub fn error_text(lang: Lang, e: &ApiError) -> String {
    let t = lang.texts();
    let said = |m: ApiMessage| lang.api_message(m.as_str());
    match e {
        ApiError::Network { offline: true } => t.err_offline.to_owned(),
        ApiError::Network { offline: false } => t.err_network.to_owned(),
        ApiError::Busy { .. } => t.err_busy_action.to_owned(),
        ApiError::Validation(_) => said(ApiMessage::PayloadValidationErrors),
        ApiError::InFlight => said(ApiMessage::IdempotencyRequestInFlight),
        ApiError::KeyReused => said(ApiMessage::IdempotencyKeyReused),
        ApiError::Unauthorized => said(ApiMessage::Unauthenticated),
        ApiError::Forbidden => said(ApiMessage::Forbidden),
        ApiError::Timeout => said(ApiMessage::UpstreamTimeout),
        ApiError::Server { status, message } | ApiError::Other { status, message }
            if message.is_empty() =>
        {
            format!("{} (HTTP {status})", t.err_server)
        }
        ApiError::Server { message, .. } | ApiError::Other { message, .. } => {
            lang.api_message(message)
        }
    }
}

/// An alert with the error and, when trying again can help, a retry button.
#[component]
pub fn ErrorNotice(
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(optional)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="notice error" role="alert">
                <p>{move || error.with(|e| e.as_ref().map(|e| error_text(i18n.get(), e)))}</p>
                {move || retry.filter(|_| error.with(|e| e.as_ref().is_some_and(ApiError::is_retryable))).map(|r| view! {
                    <button type="button" class="secondary small" on:click=move |_| r.run(())>
                        {move || i18n.t().retry}
                    </button>
                })}
            </div>
        </Show>
    }
}

/// While a busy Front Payment (429) is waited out: the seconds until the request goes again.
#[component]
pub fn BusyNotice(waiting: RwSignal<Option<u32>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        waiting.get().map(|secs| {
            let text = i18n.t().busy_retrying.replace("{s}", &secs.to_string());
            view! { <p class="notice" data-testid="busy-notice">{text}</p> }
        })
    }
}
