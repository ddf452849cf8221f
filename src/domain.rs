//! Pure domain types and rules: no IO, no clock, no database. Compiles to wasm too, so the
//! browser and the server share one definition of every rule.

/// Declares an enum whose values travel as stable ASCII codes (stored, posted, in links) and
/// are shown by Chinese labels. It gets `ALL` (in declaration order), `code`, `label`,
/// `from_code` (a stored value or a link: the code only) and `parse` (what a person or a file
/// sends: the code or the label, spaces ignored).
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => ($code:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        #[allow(
            dead_code,
            reason = "a private coded enum need not use every one of the generated helpers"
        )]
        impl $name {
            pub const ALL: [Self; [$($code),+].len()] = [$(Self::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|value| value.code() == code)
            }

            pub fn parse(raw: &str) -> Option<Self> {
                let squeezed: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
                Self::ALL.into_iter().find(|value| {
                    value.code() == squeezed || value.label().replace(' ', "") == squeezed
                })
            }
        }
    };
}
pub(crate) use coded_enum;

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
pub mod meeting;
pub mod notify;
pub mod org;
pub mod outline;
pub mod overview;
pub mod pack;
pub mod policy;
pub mod rectification;
pub mod rectification_plan;
pub mod review;
pub mod revision;
pub mod roster;
pub mod similarity;
pub mod supervision;
pub mod template;
pub mod template_form;
pub mod text;
pub mod tree;

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
