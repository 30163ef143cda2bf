//! Building blocks of the pages.

pub mod batch;
pub mod book;
pub mod chart;
pub mod combobox;
pub mod error_summary;
pub mod field;
pub mod notice;
pub mod order_actions;
pub mod pickers;
pub mod product_lines;
pub mod sandbox_panel;
pub mod summary;
pub mod table;
pub mod timeline;
