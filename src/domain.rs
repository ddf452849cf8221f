//! Pure domain types and rules: no IO, no clock, no database. Compiles to wasm too, so the
//! browser and the server share one definition of every rule.

pub mod account;
pub mod cycle;
pub mod document;
pub mod editing;
pub mod evidence;
pub mod health;
pub mod import;
pub mod ledger;
pub mod ledger_stats;
pub mod local_path;
pub mod material;
pub mod org;
pub mod outline;
pub mod pack;
pub mod policy;
pub mod rectification;
pub mod review;
pub mod revision;
pub mod roster;
pub mod session;
pub mod similarity;
pub mod template;
pub mod template_form;
pub mod text;

pub use account::{LoginName, NewPassword, PersonName, Post};
pub use org::{BranchName, Role};

/// A rule of the domain was broken by some input. Each variant renders as one Chinese
/// sentence that tells the user what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum DomainError {
    #[error("{field}不能为空")]
    Empty { field: String },
    #[error("{field}不能超过 {max} 个字符")]
    TooLong { field: String, max: usize },
    #[error("{field}至少需要 {min} 个字符")]
    TooShort { field: String, min: usize },
    #[error("{field}含有不允许的字符：{detail}")]
    BadCharacters { field: String, detail: String },
    #[error("{0}")]
    Invalid(String),
}
