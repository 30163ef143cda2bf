//! Frontdesk console: the merchant's browser app (Leptos, client-side rendered, built by trunk).
//!
//! - [`app`]: shell and routes; [`auth`]: the proxy session; [`api`]: HTTP to the proxy.
//! - [`form`]: the create form (payload, core validation, issues by path) and [`draft`]s;
//!   [`server_errors`]: a 417's messages placed on the form's fields.
//! - [`pages`], [`components`]; [`i18n`]: nb and en.

pub mod api;
pub mod app;
pub mod auth;
pub mod components;
pub mod draft;
pub mod follow_up;
pub mod form;
pub mod i18n;
pub mod pages;
pub mod routes;
pub mod server_errors;
pub mod storage;
pub mod util;

#[cfg(all(test, target_arch = "wasm32"))]
mod tests;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the console on `<body>`; `main.rs` only calls this.
pub fn mount() {
    // A panic's message in the browser console, in debug builds: the release build keeps the
    // bytes for the first load (issue 17) and a panic there is a bug report either way.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
