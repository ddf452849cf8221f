pub mod error_notice;
pub mod header;
pub mod protected;
