//! Frontdesk console: the merchant's browser app (Leptos, client-side rendered, built by trunk).

pub mod api;
pub mod app;

/// Mounts the console on `<body>`; `main.rs` only calls this.
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
}
