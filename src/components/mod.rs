//! Building blocks of the pages.

pub mod batch;
pub mod chart;
pub mod error_summary;
pub mod field;
pub mod notice;
pub mod order_actions;
pub mod product_lines;
pub mod sandbox_panel;
pub mod summary;
pub mod timeline;
