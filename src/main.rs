//! `xingshen`: serve the web application or administer it from the command line.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    xingshen::cli::main().await
}
