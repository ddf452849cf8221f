//! File formats in and out: pure functions from bytes to domain values and back.

pub mod calendar;
pub mod docx;
pub mod draft;
pub mod evaluation;
pub mod ledger;
pub mod package;
pub mod rectification_plan;
pub mod spreadsheet;
pub mod summary;
