//! One module per route.

pub mod done;
pub mod login;
pub mod new_order;
pub mod orders;
