//! Building blocks of the pages.

pub mod error_summary;
pub mod field;
pub mod product_lines;
pub mod summary;
