//! Server functions: the app's public HTTP API. One file per entity, one function per
//! action, each written as authenticate → parse → authorise → store → map the error.

#[cfg(feature = "ssr")]
pub mod access;
pub mod auth;
pub mod branches;
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod context;
pub mod cycle;
#[cfg(feature = "ssr")]
pub mod downloads;
pub mod error;
pub mod format;
pub mod ledger;
pub mod materials;
pub mod meetings;
pub mod notify;
pub mod overview;
pub mod packs;
pub mod rectification_plan;
pub mod roster;
pub mod supervision;
pub mod templates;
pub mod tree;
#[cfg(feature = "ssr")]
pub mod uploads;
pub mod users;

pub use error::AppError;
