//! One module per route (`batches`, `batch_new` and `batch`: send to many), and [`period`]: the
//! periods the overview and the VAT report share.

pub mod account;
pub mod activity;
pub mod batch;
pub mod batch_new;
pub mod batches;
pub mod book_import;
pub mod customer;
pub mod customer_new;
pub mod customers;
pub mod done;
pub mod login;
pub mod new_order;
pub mod order;
pub mod orders;
pub mod overview;
pub mod period;
pub mod products;
pub mod users;
pub mod vat;
