//! The floor under an autosave: what a durable write costs on this disk before any HTTP,
//! meeting or version check is added. Three ladders, each timed per operation (p50 / p99 /
//! max over many runs) in a directory on the disk to measure:
//!
//! 1. a bare 512-byte append + fsync — the number the autosave target is a multiple of;
//! 2. one SurrealKV commit (`sync=every`, as the app runs) of a one-field record;
//! 3. one SurrealKV transaction shaped like a save: a revision record with a material-sized
//!    content created and the material updated — alone, and with 200 writers saving every
//!    1.5 s at once, as `benches/autosave.py` drives the whole app.
//!
//! usage: cargo bench --features ssr --bench durable_commit -- [DIR]
//! (DIR defaults to the system's temporary directory; give the database's disk.)

use std::time::{Duration, Instant};
use surrealdb::Surreal;
use surrealdb::engine::any::{Any, connect};

const RUNS: usize = 2000;

fn report(label: &str, mut took: Vec<f64>) {
    took.sort_by(f64::total_cmp);
    let at = |share: f64| took[((took.len() - 1) as f64 * share).round() as usize];
    println!(
        "{label:<58} n {:>6}  p50 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
        took.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn bare_fsync(dir: &std::path::Path) -> Vec<f64> {
    use std::io::Write;
    let path = dir.join(format!("fsync-probe-{}", std::process::id()));
    let mut file = std::fs::File::create(&path).expect("the probe file");
    let block = [b'x'; 512];
    let took = (0..RUNS)
        .map(|_| {
            file.write_all(&block).expect("append");
            let started = Instant::now();
            file.sync_all().expect("fsync");
            millis(started)
        })
        .collect();
    std::fs::remove_file(&path).expect("remove the probe");
    took
}

/// About the size of a full 对照检查材料 as the editor saves it.
fn material_sized_content() -> String {
    "（一）理论学习不够系统深入。学习停留在读原文、记笔记，联系实际思考不够。".repeat(120)
}

async fn save_shaped(db: &Surreal<Any>, material: &str, version: i64, content: &str) {
    db.query(
        "BEGIN;
         CREATE revision CONTENT { material: type::record('probe_material', $material), version: $version, content: $content };
         UPSERT type::record('probe_material', $material) SET version = $version, content = $content;
         COMMIT;",
    )
    .bind(("material", material.to_string()))
    .bind(("version", version))
    .bind(("content", content.to_string()))
    .await
    .expect("the save-shaped transaction")
    .check()
    .expect("no statement failed");
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo bench` passes `--bench`; the only other argument is the directory.
    let dir = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("xingshen-durable-commit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the bench directory");
    println!(
        "in {} on {} cores",
        dir.display(),
        std::thread::available_parallelism().map_or(0, usize::from)
    );

    report("bare fsync of a 512 B append", bare_fsync(&dir));

    let db = connect(format!(
        "surrealkv://{}?sync=every",
        dir.join("db").display()
    ))
    .await
    .expect("SurrealKV opens");
    db.use_ns("bench").use_db("bench").await.expect("ns/db");

    let mut took = Vec::with_capacity(RUNS);
    for n in 0..RUNS as i64 {
        let started = Instant::now();
        db.query("UPSERT probe:one SET n = $n")
            .bind(("n", n))
            .await
            .expect("upsert")
            .check()
            .expect("no statement failed");
        took.push(millis(started));
    }
    report("SurrealKV commit of one small record (sync=every)", took);

    let content = material_sized_content();
    let mut took = Vec::with_capacity(RUNS);
    for version in 0..RUNS as i64 {
        let started = Instant::now();
        save_shaped(&db, "alone", version, &content).await;
        took.push(millis(started));
    }
    report(
        &format!(
            "save-shaped transaction, {} KB content, alone",
            content.len() / 1024
        ),
        took,
    );

    let db = std::sync::Arc::new(db);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut writers = tokio::task::JoinSet::new();
    for writer in 0..200 {
        let (db, content) = (db.clone(), content.clone());
        writers.spawn(async move {
            let mut took = Vec::new();
            // Spread the first saves over the pause, as people do not start in step.
            tokio::time::sleep(Duration::from_millis(writer * 7)).await;
            let mut version = 0;
            while Instant::now() < deadline {
                let started = Instant::now();
                save_shaped(&db, &format!("w{writer}"), version, &content).await;
                took.push(millis(started));
                version += 1;
                tokio::time::sleep(Duration::from_millis(1500)).await;
            }
            took
        });
    }
    let mut took = Vec::new();
    while let Some(part) = writers.join_next().await {
        took.extend(part.expect("a writer"));
    }
    report("save-shaped transaction, 200 writers every 1.5 s", took);
    drop(db);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = std::fs::remove_dir_all(&dir);
}
