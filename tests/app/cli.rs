//! The real binary: `material parse` and `render` on real files; `backup` / `restore` and
//! `overdue` on SurrealKV databases of their own.

use crate::support::scratch_dir;
use std::process::Command;

const DRAFT: &str = "在组织生活会上的发言材料
办公室 张明
一、存在的问题
（一）学习不够深入。表现为浅尝辄止。比如，今年3月只参加了1次集中学习。
二、原因剖析
（一）理想信念有所松懈。
三、整改措施
（一）加强学习。（针对第一个问题）每月精读原著2篇。时限：长期坚持。
以上发言，请批评指正。";

fn xingshen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xingshen"))
        .args(args)
        .env("XINGSHEN_DB", "mem://")
        .output()
        .expect("the binary runs")
}

#[test]
fn parse_prints_the_outline_or_material_json_and_render_writes_a_docx() {
    let dir = scratch_dir("cli");
    let draft = dir.join("draft.txt");
    std::fs::write(&draft, DRAFT).unwrap();
    let draft = draft.to_str().unwrap();

    let outline = xingshen(&["material", "parse", draft]);
    assert!(
        outline.status.success(),
        "{}",
        String::from_utf8_lossy(&outline.stderr)
    );
    let outline = String::from_utf8(outline.stdout).unwrap();
    assert!(outline.contains("一、存在的问题"), "{outline}");
    assert!(outline.contains("（一）学习不够深入"), "{outline}");
    assert!(outline.contains("时限：长期坚持"), "{outline}");

    // A 时限 without a year, read against the meeting's date given on the command line.
    let undated = dir.join("undated.txt");
    std::fs::write(
        &undated,
        "发言材料\n一、整改措施\n（一）建立学习台账。（完成时限：6月底前）",
    )
    .unwrap();
    let dated = xingshen(&[
        "material",
        "parse",
        undated.to_str().unwrap(),
        "--meeting-date",
        "2026-01-15",
    ]);
    assert!(
        dated.status.success(),
        "{}",
        String::from_utf8_lossy(&dated.stderr)
    );
    let dated = String::from_utf8(dated.stdout).unwrap();
    assert!(dated.contains("时限：2026年6月30日"), "{dated}");

    let json = xingshen(&["material", "parse", draft, "--json"]);
    assert!(json.status.success());
    let material: xingshen::domain::material::Material =
        serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(material.parts.len(), 3);
    assert_eq!(material.parts[2].items[0].links[0].0, "p1");
    let json_file = dir.join("draft.json");
    std::fs::write(&json_file, &json.stdout).unwrap();

    let out = dir.join("out.docx");
    let rendered = xingshen(&[
        "material",
        "render",
        json_file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let back = xingshen::export::draft::read_draft("out.docx", &bytes).unwrap();
    assert_eq!(back, material, "the .docx carries the whole material");

    let book = dir.join("book.docx");
    let zip = dir.join("book.zip");
    let bound = xingshen(&[
        "material",
        "book",
        draft,
        json_file.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
        "--zip",
        zip.to_str().unwrap(),
        "--branch",
        "第一党支部",
    ]);
    assert!(
        bound.status.success(),
        "{}",
        String::from_utf8_lossy(&bound.stderr)
    );
    assert!(String::from_utf8_lossy(&bound.stderr).contains("2 份材料"));
    let zipped = std::fs::read(&zip).unwrap();
    assert!(
        zipped
            .windows("01-张明-".len())
            .any(|w| w == "01-张明-".as_bytes()),
        "files are named 序号-姓名-材料名"
    );
    assert!(std::fs::metadata(&book).unwrap().len() > 0);

    let missing = xingshen(&["material", "parse", "/nonexistent/draft.txt"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("无法读取"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs the binary against a database endpoint.
fn xingshen_on(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xingshen"))
        .args(args)
        .env("XINGSHEN_DB", db)
        .output()
        .expect("the binary runs")
}

/// A one-shot command succeeded and closed the database behind it, so the next start reads
/// tables instead of replaying the log.
fn assert_closed_cleanly(command: &str, output: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{command}: {stderr}");
    assert!(stderr.contains("database closed"), "{command}: {stderr}");
    assert!(
        !stderr.contains("not closed cleanly"),
        "{command}: {stderr}"
    );
}

#[tokio::test]
async fn a_backup_restores_into_a_fresh_database_with_every_record() {
    let dir = scratch_dir("backup");
    let source = format!("surrealkv://{}", dir.join("source.db").display());
    let target = format!("surrealkv://{}", dir.join("target.db").display());
    let file = dir.join("backup.surql");
    let file = file.to_str().unwrap();

    assert_closed_cleanly("seed", &xingshen_on(&source, &["seed"]));
    let added = xingshen_on(
        &source,
        &[
            "user",
            "add",
            "--login",
            "sunli",
            "--name",
            "孙丽",
            "--branch",
            "第一党支部",
        ],
    );
    assert_closed_cleanly("user add", &added);
    let backup = xingshen_on(&source, &["backup", "-o", file]);
    assert_closed_cleanly("backup", &backup);
    assert!(String::from_utf8_lossy(&backup.stdout).contains("已备份到"));
    let restored = xingshen_on(&target, &["restore", file]);
    assert_closed_cleanly("restore", &restored);
    // A second restore would mix two databases: refused, nothing touched.
    let again = xingshen_on(&target, &["restore", file]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("目标数据库不是空的"));

    let (source, _) = xingshen::store::Store::connect(&source).await.unwrap();
    let (target, _) = xingshen::store::Store::connect(&target).await.unwrap();
    let before = source.fingerprint().await.unwrap();
    let after = target.fingerprint().await.unwrap();
    assert_eq!(before, after);
    let rows = |table: &str| {
        before
            .iter()
            .find(|p| p.table == table)
            .map_or(0, |p| p.rows)
    };
    // The demo holds accounts, materials with revisions, ledger items and the migrations.
    assert!(rows("user") >= 6);
    assert!(rows("material") >= 1 && rows("revision") >= 1);
    assert!(rows("ledger_item") >= 1);
    let shipped = xingshen::store::Store::in_memory()
        .await
        .unwrap()
        .table_json("migration")
        .await
        .unwrap()
        .len();
    assert_eq!(
        rows("migration"),
        shipped,
        "every migration's record came along"
    );
    // And the restored database works: a login's password hash came along.
    let zhang = target
        .find_user_by_login(&xingshen::domain::LoginName::parse("zhangming").unwrap())
        .await
        .unwrap();
    assert!(zhang.is_some());
    drop((source, target));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `xingshen overdue`: the demo history's two items — one 20 days late, one due in 8 days —
/// nearest date first, counted and listed through the alert index.
#[test]
fn overdue_lists_the_late_and_soon_due_items_nearest_first() {
    let dir = scratch_dir("overdue");
    let db = format!("surrealkv://{}", dir.join("demo.db").display());
    let seeded = xingshen_on(&db, &["seed"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let report = xingshen_on(&db, &["overdue"]);
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let report = String::from_utf8(report.stdout).unwrap();
    assert!(
        report.contains("逾期或 20 天内到期的整改事项 2 项"),
        "{report}"
    );
    let lines: Vec<&str> = report.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(lines.len(), 2, "{report}");
    assert!(
        lines[0].trim_start().starts_with("逾期") && lines[0].contains("张明"),
        "{report}"
    );
    assert!(lines[1].trim_start().starts_with("临期"), "{report}");

    let limited = xingshen_on(&db, &["overdue", "--limit", "1"]);
    let limited = String::from_utf8(limited.stdout).unwrap();
    assert!(limited.contains("2 项"), "all are counted: {limited}");
    assert_eq!(limited.lines().filter(|l| l.starts_with("  ")).count(), 1);

    let timed = xingshen_on(&db, &["overdue", "--repeat", "5"]);
    let timed = String::from_utf8(timed.stdout).unwrap();
    for part in ["最近 20 项", "计数"] {
        let timing = timed
            .lines()
            .find(|l| l.starts_with(&format!("再查询 5 次，{part}：中位 ")))
            .unwrap_or_else(|| panic!("the repeated {part} runs are timed: {timed}"));
        assert!(
            timing.contains("p99") && timing.ends_with("毫秒"),
            "{timing}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server that cannot listen (the port is taken) says so in Chinese, exits non-zero and
/// still closes its database cleanly: nothing holds the store yet when the bind fails.
#[test]
fn a_port_in_use_ends_serve_with_a_message_and_a_clean_close() {
    let dir = scratch_dir("port");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let run = Command::new(env!("CARGO_BIN_EXE_xingshen"))
        .args(["serve", "--addr", &address])
        .env(
            "XINGSHEN_DB",
            format!("surrealkv://{}", dir.join("x.db").display()),
        )
        .env("RUST_LOG", "info,surrealdb=warn,surrealkv=warn")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("无法监听 {address}")), "{stderr}");
    assert!(stderr.contains("database closed"), "{stderr}");
    assert!(!stderr.contains("not closed cleanly"), "{stderr}");
    drop(taken);
    let _ = std::fs::remove_dir_all(&dir);
}
