//! Developer commands for 省身: `cargo xtask run` and `cargo xtask test`.
//!
//! Both first install whatever the build needs and is missing on this machine (the wasm
//! target, cargo-leptos, wasm-bindgen-cli at Cargo.lock's version, the pinned binaryen
//! wasm-opt from npm and, for tests, Debian's chromium and the end2end npm packages), and
//! skip what is present.
//! Only the standard library is used so this crate compiles in seconds.

use std::env;
use std::fs;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const CARGO_LEPTOS_VERSION: &str = "0.3.10";
const CHROMIUM: &str = "/usr/bin/chromium";
const CJK_FONTS: &str = "/usr/share/fonts/opentype/noto";
/// The npm package folder holding the pinned binaryen whose `wasm-opt` release builds use.
/// Debian's binaryen 108 turns this rustc's wasm into one Chromium refuses to start.
const BINARYEN_DIR: &str = "xtask/binaryen";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("e2e") => e2e(&args[1..]),
        Some("setup") => setup(true),
        _ => {
            eprintln!(
                "usage:\n  cargo xtask run [--release] [-- ARGS]   build and start 省身 (embedded database, demo data)\n  cargo xtask test [--no-e2e|--debug-e2e] run every test: unit, integration, end2end (release build)\n  cargo xtask e2e [--release] [SPEC ...]   only the end-to-end journeys (debug build), or some of them\n  cargo xtask setup                        only install the tools"
            );
            Err("unknown command".into())
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of this crate's manifest directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

/// Cargo's target directory. An explicit `CARGO_TARGET_DIR` wins; otherwise a cache
/// directory outside the clone is used so fresh clones on one machine share build output.
fn target_dir() -> PathBuf {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let cache = env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| root().join("target"));
    cache.join("xingshen").join("target")
}

/// The `--cfg` cargo-leptos passes to debug builds. Tests are compiled with it too, so they
/// reuse the server build's dependencies instead of compiling every crate a second time.
const LEPTOS_DEBUG_RUSTFLAGS: &str = "--cfg erase_components";

fn cargo_command() -> Command {
    let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir());
    // `cargo run` gives this process the xtask package's CARGO_PKG_*, CARGO_MANIFEST_* and
    // the like. Build scripts such as ring's rerun when those change, so passing them on
    // would rebuild ring and everything above it (rustls, SurrealDB) whenever a build
    // alternates between `cargo xtask` and a plain `cargo` in a shell.
    for (name, _) in env::vars_os() {
        let name = name.to_string_lossy();
        if [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
            "CARGO_PRIMARY_",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(name.as_ref());
        }
    }
    command
}

/// Cargo for the debug builds of the tests and tools, with the server build's flags.
fn debug_cargo_command() -> Command {
    let mut command = cargo_command();
    if env::var_os("RUSTFLAGS").is_none() {
        command.env("RUSTFLAGS", LEPTOS_DEBUG_RUSTFLAGS);
    }
    command
}

fn status(command: &mut Command) -> Result {
    let shown = format!("{command:?}");
    eprintln!("xtask: $ {shown}");
    let status = command
        .status()
        .map_err(|error| format!("could not start {shown}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn on_path(program: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|path| env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Installs Debian packages (once `apt-get update`-d) unless every binary is already there.
fn apt_install(packages: &[&str]) -> Result {
    let sudo = if output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0") {
        None
    } else if on_path("sudo") {
        Some("sudo")
    } else {
        return Err(format!(
            "need root (or sudo) to install {}; install them and retry",
            packages.join(" ")
        ));
    };
    let apt = |args: &[&str]| -> Result {
        let mut command = match sudo {
            Some(sudo) => {
                let mut c = Command::new(sudo);
                c.arg("apt-get");
                c
            }
            None => Command::new("apt-get"),
        };
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        status(&mut command)
    };
    apt(&["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}

/// `cargo install` with the crate's own lock file; when a locked dependency is no longer
/// served by the registry (it happens: wasm-bindgen-cli 0.2.130 locks a yanked webpki-roots),
/// retry with freshly resolved dependencies.
fn cargo_install(krate: &str, version: &str) -> Result {
    let install = |locked: bool| {
        let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        command.args(["install", krate, "--version", version]);
        if locked {
            command.arg("--locked");
        }
        status(&mut command)
    };
    install(true).or_else(|error| {
        eprintln!("xtask: {error}; retrying without --locked");
        install(false)
    })
}

/// The exact wasm-bindgen version in Cargo.lock: wasm-bindgen-cli must match it.
fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_string());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// Tools for building the app: wasm target, cargo-leptos, wasm-bindgen-cli, wasm-opt.
fn ensure_build_tools() -> Result {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        status(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let leptos = output("cargo", &["leptos", "--version"]).unwrap_or_default();
    if !leptos.contains(CARGO_LEPTOS_VERSION) {
        cargo_install("cargo-leptos", CARGO_LEPTOS_VERSION)?;
    }
    let wanted = locked_wasm_bindgen_version()?;
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wanted.as_str()) {
        cargo_install("wasm-bindgen-cli", &wanted)?;
    }
    if !on_path("npm") {
        apt_install(&["nodejs", "npm"])?;
    }
    npm_ci(&root().join(BINARYEN_DIR))
}

/// `npm ci` in `dir` unless its node_modules is newer than its lock file.
fn npm_ci(dir: &Path) -> Result {
    let installed = dir.join("node_modules/.package-lock.json");
    let stale = match (
        fs::metadata(&installed),
        fs::metadata(dir.join("package-lock.json")),
    ) {
        (Ok(have), Ok(lock)) => have.modified().ok() < lock.modified().ok(),
        _ => true,
    };
    if stale {
        status(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(dir),
        )?;
    }
    Ok(())
}

/// PATH with the pinned binaryen first, so cargo-leptos runs its wasm-opt and never one the
/// machine happens to have (nor tries to download one).
fn path_with_pinned_binaryen() -> Result<std::ffi::OsString> {
    let pinned = root().join(BINARYEN_DIR).join("node_modules/.bin");
    if !pinned.join("wasm-opt").is_file() {
        return Err(format!(
            "{} has no wasm-opt; run `cargo xtask setup`",
            pinned.display()
        ));
    }
    let rest = env::var_os("PATH").unwrap_or_default();
    env::join_paths(std::iter::once(pinned).chain(env::split_paths(&rest)))
        .map_err(|error| error.to_string())
}

/// Extra tools for the test suite: chromium for end2end, node packages, LibreOffice.
fn ensure_test_tools() -> Result {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).is_file() {
        missing.push("chromium");
    }
    // Chinese glyphs for screenshots (and, later, document renders).
    if !Path::new(CJK_FONTS).is_dir() {
        missing.push("fonts-noto-cjk");
    }
    if !on_path("npm") {
        missing.extend(["nodejs", "npm"]);
    }
    // The .docx layout test renders with LibreOffice and measures the PDF with poppler.
    if !on_path("soffice") {
        missing.push("libreoffice-writer-nogui");
    }
    if !on_path("pdftotext") {
        missing.push("poppler-utils");
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    npm_ci(&root().join("end2end"))
}

fn setup(with_test_tools: bool) -> Result {
    ensure_build_tools()?;
    if with_test_tools {
        ensure_test_tools()?;
    }
    Ok(())
}

fn leptos_build(release: bool) -> Result {
    let mut command = cargo_command();
    command
        .env("PATH", path_with_pinned_binaryen()?)
        .args(["leptos", "build"]);
    if release {
        command.arg("--release");
    }
    status(&mut command)
}

fn server_binary(release: bool) -> PathBuf {
    target_dir()
        .join(if release { "release" } else { "debug" })
        .join("xingshen")
}

/// `cargo xtask run`: build, then serve on the embedded database with demo data.
fn run(args: &[String]) -> Result {
    let release = args.iter().any(|a| a == "--release");
    let passthrough: Vec<&String> = args
        .iter()
        .skip_while(|a| a.as_str() != "--")
        .skip(1)
        .collect();
    setup(false)?;
    leptos_build(release)?;
    let mut command = Command::new(server_binary(release));
    command
        .current_dir(root())
        .env("LEPTOS_SITE_ROOT", root().join("target/site"));
    if passthrough.is_empty() {
        command.args(["serve", "--demo"]);
    } else {
        command.args(passthrough);
    }
    status(&mut command)
}

/// `cargo xtask test`: unit and integration tests, the integration tests again over a
/// SurrealDB server, then the end2end journeys in Chromium against the release build — the
/// optimised wasm users get, which a debug build never exercises (`--debug-e2e` runs them on
/// the debug build instead, quicker while iterating).
fn test(args: &[String]) -> Result {
    let with_e2e = !args.iter().any(|a| a == "--no-e2e");
    let release_e2e = !args.iter().any(|a| a == "--debug-e2e");
    setup(with_e2e)?;
    lint()?;
    let mut tests = debug_cargo_command();
    if with_e2e {
        // Installed by the setup above, so the LibreOffice render test must run, not skip.
        tests.env("XINGSHEN_REQUIRE_SOFFICE", "1");
    }
    status(tests.args(["test", "--features", "ssr", "--", "--test-threads", "2"]))?;
    over_a_database_server()?;
    if with_e2e {
        leptos_build(release_e2e)?;
        end2end(release_e2e, &[])?;
    }
    Ok(())
}

/// The gates before any test runs: formatting, and clippy with warnings as errors over the
/// server build (all targets: tests and benches too) and the browser build.
fn lint() -> Result {
    status(cargo_command().args(["fmt", "--all", "--check"]))?;
    status(debug_cargo_command().args([
        "clippy",
        "--features",
        "ssr",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    status(debug_cargo_command().args([
        "clippy",
        "--lib",
        "--features",
        "hydrate",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}

/// `cargo xtask e2e`: only the browser journeys, on the debug build unless `--release`;
/// other arguments (spec files, `-g PATTERN`) go to Playwright.
fn e2e(args: &[String]) -> Result {
    let release = args.iter().any(|a| a == "--release");
    let playwright: Vec<String> = args.iter().filter(|a| *a != "--release").cloned().collect();
    setup(true)?;
    leptos_build(release)?;
    end2end(release, &playwright)
}

/// Tests that never reach the test database server: the access matrix works on restored
/// in-memory copies (backups are embedded-only), the crash and CLI tests run the binary on
/// their own SurrealKV files, and the LibreOffice render checks a file.
const EMBEDDED_ONLY_TESTS: &[&str] = &["access::", "crash::", "cli::", "libreoffice::"];

/// The integration suite again, over `ws://` against a SurrealDB server of the same engine
/// version (`xtask/surreal-server`, in-memory storage), every app on a database of its own;
/// with the ignored tests, which need that server (several app instances sharing it).
fn over_a_database_server() -> Result {
    let mut build = debug_cargo_command();
    status(build.args(["build", "--package", "surreal-test-server"]))?;
    let port = free_port()?;
    let address = format!("127.0.0.1:{port}");
    let log_path = target_dir().join("surreal-test-server.log");
    let log = fs::File::create(&log_path).map_err(|error| error.to_string())?;
    let server = Command::new(target_dir().join("debug").join("surreal-test-server"))
        .args(["start", "--log", "warn", "--user", "root", "--pass", "root"])
        .args(["--bind", &address, "memory"])
        .stdout(log.try_clone().map_err(|error| error.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|error| format!("cannot start the test database server: {error}"))?;
    let guard = ServerGuard(server);
    wait_until_listening(&address, Duration::from_secs(60))?;
    let mut tests = debug_cargo_command();
    tests
        .env("XINGSHEN_TEST_DB", format!("ws://{address}"))
        .env("XINGSHEN_DB_USER", "root")
        .env("XINGSHEN_DB_PASS", "root")
        .args(["test", "--features", "ssr", "--test", "app", "--"])
        .args(["--include-ignored", "--test-threads", "2"]);
    for skipped in EMBEDDED_ONLY_TESTS {
        tests.args(["--skip", skipped]);
    }
    let outcome = status(&mut tests);
    drop(guard);
    if outcome.is_err() {
        eprintln!("xtask: database server log: {}", log_path.display());
    }
    outcome
}

fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|error| format!("no free port: {error}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| error.to_string())
}

/// Kills a server the tests started when they end, however they end.
struct ServerGuard(Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn end2end(release: bool, playwright: &[String]) -> Result {
    let port = free_port()?;
    let address = format!("127.0.0.1:{port}");
    let log_path = target_dir().join("end2end-server.log");
    let log = fs::File::create(&log_path).map_err(|error| error.to_string())?;
    let mut child = Command::new(server_binary(release))
        .current_dir(root())
        .args(["serve", "--demo", "--db", "mem://"])
        .env("LEPTOS_SITE_ROOT", root().join("target/site"))
        .env("LEPTOS_SITE_ADDR", &address)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|error| format!("cannot start the server: {error}"))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let guard = ServerGuard(child);
    wait_until_listening(&address, Duration::from_secs(60))?;
    // Keep draining the server's stdout so it never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            println!("server: {line}");
        }
    });
    let outcome = status(
        Command::new("npx")
            .args(["playwright", "test"])
            .args(playwright)
            .current_dir(root().join("end2end"))
            .env("BASE_URL", format!("http://{address}"))
            .env("CHROMIUM_PATH", CHROMIUM)
            .env("XINGSHEN_BUILD", if release { "release" } else { "debug" }),
    );
    drop(guard);
    if outcome.is_err() {
        eprintln!("xtask: server log: {}", log_path.display());
    }
    outcome
}

fn wait_until_listening(address: &str, limit: Duration) -> Result {
    let started = Instant::now();
    while started.elapsed() < limit {
        if std::net::TcpStream::connect(address).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "the server did not listen on {address} within {limit:?}"
    ))
}
