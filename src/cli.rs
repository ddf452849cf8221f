//! The `xingshen` command: wiring of configuration, store and web server.

use crate::auth::{password, throttle::LoginThrottle};
use crate::config::{Cli, Command, MaterialCommand, SeedArgs, ServeArgs, UserCommand};
use crate::domain::{BranchName, LoginName, NewPassword, PersonName, Post, Role};
use crate::seed;
use crate::server::context::AppState;
use crate::store::login_sessions::LoginSessionStore;
use crate::store::users::NewUser;
use crate::store::{AuditEntry, Store};
use clap::Parser;
use leptos::prelude::LeptosOptions;
use secrecy::{ExposeSecret, SecretString};
use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::ExpiredDeletion;

/// How many days a login lasts, however active, unless `--login-session-max-days` says otherwise.
const LOGIN_SESSION_MAX_DAYS: u32 = 7;

pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,surrealdb=warn,surrealkv=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let outcome = match cli.command {
        Some(Command::Material(command)) => material(command),
        Some(Command::Restore { file }) => restore(&cli.db, &file).await,
        command => match open(&cli.db).await {
            Ok(store) => {
                let outcome = on_database(&store, command).await;
                close(store).await;
                outcome
            }
            Err(message) => Err(message),
        },
    };
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("错误：{message}");
            ExitCode::FAILURE
        }
    }
}

/// The commands that work on the database; each gets the store [`main`] opened and closes.
async fn on_database(store: &Store, command: Option<Command>) -> Result<ExitCode, String> {
    match command {
        None => serve(store, ServeArgs::default()).await,
        Some(Command::Serve(args)) => serve(store, args).await,
        Some(Command::User(command)) => user(store, command).await,
        Some(Command::Seed(args)) => seed(store, args).await,
        Some(Command::Overdue { limit, repeat }) => overdue(store, limit, repeat).await,
        Some(Command::Backup { output }) => backup(store, &output).await,
        Some(Command::Material(_) | Command::Restore { .. }) => {
            unreachable!("`main` runs these without opening the database")
        }
    }
}

/// Closes the store, so the next start finds the data in tables rather than in the log.
/// A failure leaves every committed write in place (each was synced), so it is only logged.
async fn close(store: Store) {
    match store.close(Duration::from_secs(120)).await {
        Ok(()) => tracing::info!("database closed"),
        Err(error) => tracing::warn!(%error, "the database was not closed cleanly"),
    }
}

/// `material parse` and `material render`: files in, files or text out; no database.
fn material(command: MaterialCommand) -> Result<ExitCode, String> {
    use crate::domain::outline::outline;
    use crate::export::{docx::material_docx, draft::read_draft_on};
    let read_on = |file: &std::path::Path,
                   reference: Option<chrono::NaiveDate>|
     -> Result<crate::domain::material::Material, String> {
        let bytes =
            std::fs::read(file).map_err(|error| format!("无法读取 {}：{error}", file.display()))?;
        read_draft_on(&file.to_string_lossy(), &bytes, reference)
    };
    let read = |file: &std::path::Path| read_on(file, None);
    match command {
        MaterialCommand::Parse {
            file,
            json,
            meeting_date,
        } => {
            let material = read_on(&file, meeting_date)?;
            if json {
                let text = serde_json::to_string_pretty(&material)
                    .map_err(|error| format!("无法输出 JSON：{error}"))?;
                println!("{text}");
            } else {
                for line in outline(&material) {
                    println!("{line}");
                }
            }
        }
        MaterialCommand::Render { file, output } => {
            let material = read(&file)?;
            let bytes = material_docx(&material).map_err(|error| error.to_string())?;
            std::fs::write(&output, bytes)
                .map_err(|error| format!("无法写入 {}：{error}", output.display()))?;
            eprintln!("已生成 {}", output.display());
        }
        MaterialCommand::Book {
            files,
            output,
            zip,
            meeting,
            branch,
            date,
        } => {
            use crate::export::docx::{BookCover, BookEntry, book_docx, book_zip};
            let entries = files
                .iter()
                .map(|file| {
                    let material = read(file)?;
                    // The speaker line ends with the name ("办公室 张明"); else the file name.
                    let author = material
                        .speaker
                        .as_deref()
                        .and_then(|speaker| speaker.split_whitespace().last())
                        .map(str::to_string)
                        .or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()))
                        .unwrap_or_default();
                    Ok(BookEntry { author, material })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let cover = BookCover {
                meeting,
                branch,
                date,
            };
            let write = |path: &std::path::Path, bytes: Vec<u8>| {
                std::fs::write(path, bytes)
                    .map_err(|error| format!("无法写入 {}：{error}", path.display()))
            };
            write(
                &output,
                book_docx(&cover, &entries).map_err(|error| error.to_string())?,
            )?;
            eprintln!(
                "已生成汇编 {}（{} 份材料）",
                output.display(),
                entries.len()
            );
            if let Some(zip) = zip {
                write(&zip, book_zip(&entries).map_err(|error| error.to_string())?)?;
                eprintln!("已生成 {}", zip.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `overdue`: per organisation, how many items are late or coming due within its yellow
/// tier, and the nearest of them. `--repeat N` times the list and the count N times more
/// each (docs/BENCHMARKS.md).
async fn overdue(store: &Store, limit: usize, repeat: usize) -> Result<ExitCode, String> {
    use crate::store::ledger::AlertScope;
    let today = crate::server::clock::today();
    let failed = |error: crate::store::StoreError| format!("查询失败：{error}");
    let millis = |since: std::time::Instant| since.elapsed().as_secs_f64() * 1000.0;
    for org in store.list_orgs().await.map_err(failed)? {
        let tiers = store.warning_tiers(&org.id).await.map_err(failed)?;
        let cutoff = today + chrono::Duration::days(tiers.yellow_days);
        let scope = AlertScope::Org(&org.id);
        let started = std::time::Instant::now();
        let items = store
            .ledger_alerts(scope, cutoff, limit)
            .await
            .map_err(failed)?;
        let list_took = millis(started);
        let started = std::time::Instant::now();
        let total = store
            .ledger_alert_count(scope, cutoff)
            .await
            .map_err(failed)?;
        println!(
            "{}：截至 {today}，逾期或 {} 天内到期的整改事项 {total} 项（最近 {} 项用时 {list_took:.1} 毫秒，计数用时 {:.1} 毫秒）",
            org.name,
            tiers.yellow_days,
            items.len(),
            millis(started)
        );
        for item in &items {
            let due = item
                .state
                .alert_date()
                .map(|date| date.to_string())
                .unwrap_or_default();
            println!(
                "  {}  {due}  {}  {}  {}",
                item.state.urgency(today, tiers).label(),
                item.branch_name,
                item.owner_name,
                item.measure
            );
        }
        if repeat > 0 {
            let (mut list, mut count) = (Vec::with_capacity(repeat), Vec::with_capacity(repeat));
            for _ in 0..repeat {
                let started = std::time::Instant::now();
                store
                    .ledger_alerts(scope, cutoff, limit)
                    .await
                    .map_err(failed)?;
                list.push(millis(started));
                let started = std::time::Instant::now();
                store
                    .ledger_alert_count(scope, cutoff)
                    .await
                    .map_err(failed)?;
                count.push(millis(started));
            }
            for (what, mut took) in [(format!("最近 {limit} 项"), list), ("计数".into(), count)]
            {
                took.sort_by(f64::total_cmp);
                let at = |share: f64| took[((took.len() - 1) as f64 * share).round() as usize];
                println!(
                    "再查询 {repeat} 次，{what}：中位 {:.2} 毫秒，p99 {:.2} 毫秒，最长 {:.2} 毫秒",
                    at(0.5),
                    at(0.99),
                    at(1.0)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `backup -o FILE`: the whole database as a SurrealQL script, with a summary.
async fn backup(store: &Store, output: &std::path::Path) -> Result<ExitCode, String> {
    store
        .backup_to(output)
        .await
        .map_err(|error| format!("备份失败：{error}"))?;
    let prints = store
        .fingerprint()
        .await
        .map_err(|error| format!("备份已写出，但无法统计：{error}"))?;
    let rows: usize = prints.iter().map(|p| p.rows).sum();
    println!(
        "已备份到 {}：{} 张表，{rows} 条记录",
        output.display(),
        prints.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `restore FILE`: into a new, empty database only.
async fn restore(db: &str, file: &std::path::Path) -> Result<ExitCode, String> {
    let store = Store::restore(db, file)
        .await
        .map_err(|error| format!("恢复失败：{error}"))?;
    let prints = store.fingerprint().await;
    close(store).await;
    let prints = prints.map_err(|error| format!("已恢复，但无法统计：{error}"))?;
    let rows: usize = prints.iter().map(|p| p.rows).sum();
    println!(
        "已从 {} 恢复到 {db}：{} 张表，{rows} 条记录",
        file.display(),
        prints.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn open(db: &str) -> Result<Store, String> {
    let (store, info) = Store::connect(db)
        .await
        .map_err(|error| format!("无法打开数据库 {db}：{error}"))?;
    tracing::info!(
        engine = %info.engine,
        location = %info.location,
        sync = %info.sync,
        "database opened"
    );
    Ok(store)
}

fn leptos_options(args: &ServeArgs) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    LeptosOptions::builder()
        .output_name("xingshen")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(
            args.addr
                .unwrap_or_else(|| "127.0.0.1:3000".parse().expect("valid address")),
        )
        .build()
}

async fn serve(store: &Store, args: ServeArgs) -> Result<ExitCode, String> {
    if args.demo && store.is_empty().await.map_err(|e| e.to_string())? {
        seed::create_demo(store)
            .await
            .map_err(|error| format!("无法创建演示数据：{error}"))?;
        seed::create_demo_history(store)
            .await
            .map_err(|error| format!("无法创建演示数据：{error}"))?;
        tracing::info!("created the demo organisation");
    }
    let options = leptos_options(&args);
    let address = options.site_addr;
    // Bound before anything holds a handle to the store: a port in use ends the command
    // here, and the store closes cleanly behind it.
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| format!("无法监听 {address}：{error}"))?;
    let secure_cookies = args
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"));
    let state = AppState {
        store: store.clone(),
        leptos_options: options,
        throttle: Arc::new(LoginThrottle::default()),
        tool_throttle: Arc::default(),
        uploads: Arc::default(),
        secure_cookies,
        login_session_max_age: chrono::Duration::days(i64::from(
            args.login_session_max_days
                .unwrap_or(LOGIN_SESSION_MAX_DAYS)
                .max(1),
        )),
        trusted_proxies: Arc::new(
            args.trusted_proxies
                .parse()
                .map_err(|error| format!("--trusted-proxies：{error}"))?,
        ),
        initial_password_days: args
            .initial_password_days
            .unwrap_or(AppState::DEFAULT_INITIAL_PASSWORD_DAYS),
        link_seal: Arc::default(),
    };
    let housekeeping = spawn_housekeeping(&state);
    let notifications =
        crate::notify::spawn(store.clone(), crate::notify::NotifySettings::from_env()?);
    tokio::task::spawn_blocking(password::warm_up);
    let app = crate::web::router(state);
    print_banner(&args, address, store).await;
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    // The router and its connections are gone; the housekeeping task holds the last other
    // handle to the store, which must go before the store can close.
    housekeeping.abort();
    let _ = housekeeping.await;
    notifications.abort();
    let _ = notifications.await;
    served.map_err(|error| error.to_string())?;
    Ok(ExitCode::SUCCESS)
}

async fn print_banner(args: &ServeArgs, address: std::net::SocketAddr, store: &Store) {
    let url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    println!("省身已启动：{url}");
    if args.demo {
        let demo_exists = store
            .find_user_by_login(&LoginName::parse("admin").expect("valid"))
            .await
            .ok()
            .flatten()
            .is_some();
        if demo_exists {
            println!("演示账号（密码均为 {}）：", seed::DEMO_PASSWORD);
            for login in seed::demo_logins() {
                println!("  {:<10} {}（{}）", login.login, login.name, login.role);
            }
            println!("演示数据仅供体验，请勿录入真实材料；涉密内容严禁录入本系统。");
        }
    }
}

/// Expired login sessions are deleted and idle throttle keys forgotten every ten minutes.
fn spawn_housekeeping(state: &AppState) -> tokio::task::JoinHandle<()> {
    let login_sessions = LoginSessionStore::new(state.store.clone());
    let throttle = state.throttle.clone();
    let tool_throttle = state.tool_throttle.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(600));
        loop {
            interval.tick().await;
            if let Err(error) = login_sessions.delete_expired().await {
                tracing::warn!(%error, "could not delete expired login sessions");
            }
            throttle.forget_idle();
            tool_throttle.forget_idle();
        }
    })
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// `seed`: the demo organisation into an empty database, or synthetic data at scale.
async fn seed(store: &Store, args: SeedArgs) -> Result<ExitCode, String> {
    if args.members.is_none() && args.items.is_none() {
        return seed_demo(store).await;
    }
    let members = args
        .members
        .unwrap_or_else(|| (args.items.unwrap_or(0) / 100).max(20));
    let scale = seed::synthetic::Scale {
        members,
        branches: args.branches.unwrap_or_else(|| members.div_ceil(20)),
        items: args.items.unwrap_or(members * 2 * 5),
        seed: args.seed,
        tree: args.tree,
    };
    let started = std::time::Instant::now();
    let created = seed::synthetic::create_synthetic(store, scale)
        .await
        .map_err(|error| format!("生成数据失败：{error}"))?;
    println!(
        "已生成合成数据（{:.1} 秒）：{} 个支部，{} 个账号，{} 次会议，{} 份材料，{} 条整改事项，{} 条批评意见。账号 u000000 起，密码均为 {}",
        started.elapsed().as_secs_f64(),
        created.branches,
        created.users,
        created.meetings,
        created.materials,
        created.measures,
        created.criticisms,
        seed::synthetic::SYNTHETIC_PASSWORD
    );
    Ok(ExitCode::SUCCESS)
}

async fn seed_demo(store: &Store) -> Result<ExitCode, String> {
    if !store.is_empty().await.map_err(|e| e.to_string())? {
        return Err("数据库中已有组织，未创建演示数据".into());
    }
    seed::create_demo(store)
        .await
        .map_err(|error| error.to_string())?;
    seed::create_demo_history(store)
        .await
        .map_err(|error| error.to_string())?;
    println!("已创建演示组织（密码均为 {}）", seed::DEMO_PASSWORD);
    Ok(ExitCode::SUCCESS)
}

/// The password from standard input (first line), or a generated one that is printed.
fn password_from(stdin: bool, login: &LoginName) -> Result<(SecretString, bool), String> {
    if !stdin {
        return Ok((password::generate_initial(), true));
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| error.to_string())?;
    let line = input.lines().next().unwrap_or("").to_string();
    let checked = NewPassword::parse(&line, &line, login).map_err(|e| e.to_string())?;
    Ok((SecretString::from(checked.expose().to_string()), false))
}

async fn user(store: &Store, command: UserCommand) -> Result<ExitCode, String> {
    match command {
        UserCommand::Add {
            login,
            name,
            role,
            branch,
            post,
            org,
            password_stdin,
        } => {
            let login = LoginName::parse(&login).map_err(|e| e.to_string())?;
            let name = PersonName::parse(&name).map_err(|e| e.to_string())?;
            let post = Post::parse(&post).map_err(|e| e.to_string())?;
            let is_org_admin = role == "admin";
            let role = if is_org_admin {
                None
            } else {
                Some(Role::from_form(&role).map_err(|e| e.to_string())?)
            };
            let orgs = store.list_orgs().await.map_err(|e| e.to_string())?;
            let org_id = match orgs.iter().find(|o| o.name == org).or(orgs.first()) {
                Some(existing) => existing.id.clone(),
                None => store.create_org(&org).await.map_err(|e| e.to_string())?,
            };
            let branch = match (role, branch) {
                (Some(role), Some(branch)) => {
                    let name = BranchName::parse(&branch).map_err(|e| e.to_string())?;
                    let id = match store
                        .find_branch_by_name(&org_id, name.as_str())
                        .await
                        .map_err(|e| e.to_string())?
                    {
                        Some(id) => id,
                        None => store
                            .create_branch(&org_id, &name, &AuditEntry::new("cli.branch.create"))
                            .await
                            .map_err(|e| e.to_string())?,
                    };
                    Some((id, role))
                }
                (Some(_), None) => return Err("党员和支部书记需要用 --branch 指定支部".into()),
                (None, _) => None,
            };
            let (password, generated) = password_from(password_stdin, &login)?;
            let hash = password::hash(password.clone()).await?;
            let mut audit = AuditEntry::new("cli.user.create");
            audit.org_id = Some(org_id.clone());
            audit.target = Some(login.as_str().to_string());
            store
                .create_users(
                    &org_id,
                    vec![NewUser {
                        login: login.clone(),
                        name,
                        post,
                        password_hash: hash,
                        is_org_admin,
                        must_change_password: generated,
                        branch,
                    }],
                    &audit,
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("已创建账号 {}", login.as_str());
            if generated {
                println!(
                    "初始密码（仅显示这一次，首次登录后须修改）：{}",
                    password.expose_secret()
                );
            }
        }
        UserCommand::ResetPassword {
            login,
            password_stdin,
        } => {
            let login = LoginName::parse(&login).map_err(|e| e.to_string())?;
            let account = store
                .find_user_by_login(&login)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("没有登录名为 {} 的账号", login.as_str()))?;
            let (password, generated) = password_from(password_stdin, &login)?;
            let hash = password::hash(password.clone()).await?;
            let mut audit = AuditEntry::new("cli.user.reset_password");
            audit.org_id = Some(account.org.clone());
            audit.target = Some(login.as_str().to_string());
            store
                .set_password(&account.id, hash, generated, None, &audit)
                .await
                .map_err(|e| e.to_string())?;
            println!("已重置 {} 的密码，其所有登录会话已结束", login.as_str());
            if generated {
                println!(
                    "新密码（仅显示这一次，登录后须修改）：{}",
                    password.expose_secret()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
