//! The `surreal` command line, built from the same engine version the app embeds, with only
//! in-memory storage. `cargo xtask test` starts it as
//! `surreal-test-server start --user root --pass root --bind 127.0.0.1:PORT memory`
//! and runs the integration suite against it over `ws://`.

use std::process::ExitCode;

fn main() -> ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
