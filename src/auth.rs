//! Authentication plumbing: password hashing, login throttling, the same-origin guard for
//! state-changing requests, and security headers. Server functions use these; they do not
//! re-implement them.

pub mod client_address;
pub mod headers;
pub mod origin;
pub mod password;
pub mod throttle;
