pub mod autosave;
pub mod diff;
pub mod error_notice;
pub mod header;
pub mod protected;
