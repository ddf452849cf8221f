//! Authentication plumbing: password hashing, login throttling, the same-origin guard for
//! state-changing requests, security headers, and the seal on error texts carried in page
//! addresses. Server functions use these; they do not re-implement them.

pub mod client_address;
pub mod headers;
pub mod link_seal;
pub mod origin;
pub mod password;
pub mod throttle;
