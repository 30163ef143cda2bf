//! Frontdesk edge proxy: a Cloudflare Worker between merchants and Front Payment.
//!
//! Pure decisions live in plain modules (tested natively); `entry` is the thin `worker` adapter
//! that only exists in the Worker build.

pub mod health;

#[cfg(target_arch = "wasm32")]
mod entry;
