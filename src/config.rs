//! Settings from the command line and the environment.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

/// The default database: embedded SurrealKV under `data/`, every commit fsynced.
pub const DEFAULT_DB: &str = "surrealkv://data/xingshen.db?sync=every";

#[derive(Debug, Parser)]
#[command(name = "xingshen", version, about = "省身 — 生活会材料与整改台账")]
pub struct Cli {
    /// Database endpoint: surrealkv://DIR, mem://, ws://HOST:PORT or tikv://PD:2379.
    #[arg(long, global = true, env = "XINGSHEN_DB", default_value = DEFAULT_DB)]
    pub db: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve(ServeArgs),
    /// Manage accounts without the web interface.
    #[command(subcommand)]
    User(UserCommand),
    /// Fill a database with the demo organisation, or with synthetic data at scale
    /// (`--members`, `--branches`, `--items`, `--seed`).
    Seed(SeedArgs),
    /// Read a draft (.txt, .docx or Material JSON) and print its structure or render it as
    /// an official-format .docx. Needs no server, account or database.
    #[command(subcommand)]
    Material(MaterialCommand),
    /// Print each organisation's late and soon-due 整改 items, the nearest date first, as
    /// its warning tiers define them: for a daily report by mail or a monitoring check.
    Overdue {
        /// How many items to list per organisation (all of them are counted).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Run the query this many more times and print how long it took (median, p99,
        /// slowest): the figure docs/BENCHMARKS.md records.
        #[arg(long, default_value_t = 0)]
        repeat: usize,
    },
    /// Write the whole database to a file (SurrealQL). The embedded database must not be in
    /// use by a running server.
    Backup {
        /// The file to write.
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
    /// Load a backup into a new, empty database.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
    },
}

/// What `seed` creates: without `--members` or `--items`, the demo organisation.
#[derive(Debug, Clone, Default, Args)]
pub struct SeedArgs {
    /// Synthetic members (accounts), spread over the branches.
    #[arg(long)]
    pub members: Option<usize>,
    /// Synthetic branches (default: one per 20 members).
    #[arg(long)]
    pub branches: Option<usize>,
    /// Ledger items wanted in all (default: five per material).
    #[arg(long)]
    pub items: Option<usize>,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Hang the branches under a county tree (上级党委 → 党委 → 党总支 → ten branches each),
    /// with most of last year's 报送 sent: data for the 上级's overview.
    #[arg(long)]
    pub tree: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on; `LEPTOS_SITE_ADDR` is honoured too.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: Option<SocketAddr>,

    /// The address users reach the app at, e.g. https://xingshen.example.org behind a
    /// TLS proxy. An https URL turns on `Secure` `__Host-` cookies.
    #[arg(long, env = "XINGSHEN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Create the demo organisation and accounts when the database is empty.
    #[arg(long)]
    pub demo: bool,

    /// Days a login lasts however active the person is (default 7; it also ends after 8
    /// idle hours).
    /// (`--session-max-days`, its earlier name, still works.)
    #[arg(
        long,
        visible_alias = "session-max-days",
        env = "XINGSHEN_SESSION_MAX_DAYS"
    )]
    pub login_session_max_days: Option<u32>,

    /// Reverse proxies (addresses or networks, comma-separated: `10.0.0.5,fd00::/8`) whose
    /// `X-Forwarded-For` names the real client, for throttling and the audit log. Empty by
    /// default: the header is then never believed.
    #[arg(long, env = "XINGSHEN_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// Days an initial or reset password logs in before the person has replaced it; after
    /// that the administrator issues a new one. Default 7; 0 refuses them at once.
    #[arg(long, env = "XINGSHEN_INITIAL_PASSWORD_DAYS")]
    pub initial_password_days: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum MaterialCommand {
    /// Print the recognised structure: a readable outline, or Material JSON v1 with --json.
    Parse {
        /// The draft: .txt (UTF-8 or GB18030), .docx or .json (Material JSON v1).
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
        /// The meeting's date (2026-01-15), for 时限 written without a year ("6月底前")
        /// when the draft carries no date of its own.
        #[arg(long)]
        meeting_date: Option<chrono::NaiveDate>,
    },
    /// Write the draft as a .docx in the 公文 format (GB/T 9704-2012).
    Render {
        file: std::path::PathBuf,
        /// Where to write the .docx.
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
    /// Bind several drafts into one 汇编 (cover, contents, each on a new page), and
    /// optionally a .zip of the individual files named 序号-姓名-材料名.docx.
    Book {
        /// The drafts, in the order of the book.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        #[arg(short, long)]
        output: std::path::PathBuf,
        #[arg(long)]
        zip: Option<std::path::PathBuf>,
        /// The meeting on the cover, e.g. 2026年度组织生活会 (`--session`, its earlier name,
        /// still works).
        #[arg(long, visible_alias = "session", default_value = "组织生活会")]
        meeting: String,
        /// The branch on the cover.
        #[arg(long, default_value = "")]
        branch: String,
        /// The date on the cover, e.g. 2026年1月15日.
        #[arg(long, default_value = "")]
        date: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (and the organisation, when the database has none).
    Add {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// member, secretary or admin.
        #[arg(long, default_value = "member")]
        role: String,
        /// The branch (支部) for members and secretaries; created if missing.
        #[arg(long)]
        branch: Option<String>,
        #[arg(long, default_value = "")]
        post: String,
        /// The organisation's name when it has to be created.
        #[arg(long, default_value = "本单位党委")]
        org: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated unless `--password-stdin`); ends the user's login sessions.
    ResetPassword {
        #[arg(long)]
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
}
