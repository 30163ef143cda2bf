//! Frontdesk edge proxy: a Cloudflare Worker between merchants and Front Payment.
//!
//! Pure decisions live in plain modules without `worker::` types (tested natively); `edge/`
//! and `entry` are the thin `worker` adapter that only exists in the Worker build.

pub mod audit;
pub mod auth;
pub mod batches;
pub mod book;
pub mod bounded;
pub mod callbacks;
pub mod config;
pub mod customers;
pub mod error;
pub mod headers;
pub mod health;
pub mod idempotency;
pub mod index;
pub mod products;
pub mod ratelimit;
pub mod reconcile;
pub mod report;
pub mod routes;
pub mod splice;
pub mod sql;
pub mod upstream;

#[cfg(target_arch = "wasm32")]
mod db;
#[cfg(target_arch = "wasm32")]
mod edge;
#[cfg(target_arch = "wasm32")]
mod entry;
