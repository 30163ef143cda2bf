//! One module per route.

pub mod account;
pub mod activity;
pub mod done;
pub mod login;
pub mod new_order;
pub mod order;
pub mod orders;
pub mod users;
