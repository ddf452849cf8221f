pub mod autosave;
pub mod diff;
pub mod download;
pub mod draft_input;
pub mod error_notice;
pub mod header;
pub mod protected;
pub mod similarity;
