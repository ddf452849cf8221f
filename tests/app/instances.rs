//! Several app instances on one SurrealDB server, as a deployment behind a proxy without
//! sticky meetings runs them. Each instance has its own connection (its own `Store`) to one
//! database on the server `cargo xtask test` starts; nothing is shared in process.
//!
//! These need that server, so they are ignored by a plain `cargo test`; the test command's
//! `ws://` pass runs them with `--include-ignored`.

use crate::editor::{editor, save};
use crate::support::{TestApp, test_server, unique_database_name};
use xingshen::seed;
use xingshen::server::AppError;
use xingshen::server::materials::MeetingEntry;
use xingshen::store::Store;

const NEEDS_SERVER: &str =
    "needs a SurrealDB server: set XINGSHEN_TEST_DB=ws://HOST:PORT (`cargo xtask test` starts one)";

fn server() -> String {
    test_server().expect(NEEDS_SERVER)
}

/// Two instances over one new database holding the demo organisation.
async fn two_instances() -> (TestApp, TestApp) {
    let endpoint = server();
    let database = unique_database_name();
    let (first, _) = Store::connect_database(&endpoint, &database).await.unwrap();
    seed::create_demo(&first).await.unwrap();
    let (second, _) = Store::connect_database(&endpoint, &database).await.unwrap();
    (TestApp::with_store(first), TestApp::with_store(second))
}

#[tokio::test]
#[ignore = "needs a SurrealDB server (XINGSHEN_TEST_DB)"]
async fn a_login_on_one_instance_is_valid_on_the_other_and_so_is_the_logout() {
    let (one, other) = two_instances().await;
    let mut on_one = one.logged_in("zhangming").await;
    let mut on_other = other.client();
    on_other.cookie = on_one.cookie.clone();

    let meetings: Vec<MeetingEntry> = on_other.call("my_materials", &[]).await.json();
    assert_eq!(meetings.len(), 1, "the other instance knows the meeting");
    let user = on_other.call("current_user", &[]).await;
    assert!(user.body.contains("张明"), "{}", user.body);

    let logout = on_other.call("logout", &[]).await;
    assert!(logout.status.is_success(), "{}", logout.body);
    let after = on_one.call("my_materials", &[]).await;
    assert!(
        matches!(after.error(), AppError::Unauthenticated),
        "a logout on one instance ends the session on every instance: {}",
        after.body
    );
}

#[tokio::test]
#[ignore = "needs a SurrealDB server (XINGSHEN_TEST_DB)"]
async fn editors_on_two_instances_get_the_stale_version_conflict_not_an_overwrite() {
    let (one, other) = two_instances().await;
    let mut tab_one = one.logged_in("zhangming").await;
    let mut tab_other = other.logged_in("zhangming").await;
    let meetings: Vec<MeetingEntry> = tab_one.call("my_materials", &[]).await.json();
    let material: String = tab_one
        .call("start_material", &[("meeting_id", &meetings[0].meeting_id)])
        .await
        .json();
    let opened_one = editor(&mut tab_one, &material).await;
    let opened_other = editor(&mut tab_other, &material).await;
    assert_eq!(opened_one.version, opened_other.version);
    let base = opened_one.version;

    let first = save(
        &mut tab_one,
        &material,
        base,
        "instance-one",
        "opening",
        &[("title", "一号实例写的标题")],
    )
    .await;
    assert!(first.status.is_success(), "{}", first.body);
    let stale = save(
        &mut tab_other,
        &material,
        base,
        "instance-other",
        "opening",
        &[("title", "二号实例写的标题")],
    )
    .await;
    assert!(
        matches!(stale.error(), AppError::Conflict(ref message) if message.contains("已完整另存")),
        "{}",
        stale.body
    );

    let seen_on_one = editor(&mut tab_one, &material).await;
    let seen_on_other = editor(&mut tab_other, &material).await;
    assert_eq!(seen_on_one.content.title, "一号实例写的标题");
    assert_eq!(seen_on_other.content.title, "一号实例写的标题");
    assert_eq!(seen_on_other.version, base + 1);
    let kept: Vec<&str> = seen_on_other.kept[0]
        .diff
        .iter()
        .map(|line| line.text.as_str())
        .collect();
    assert!(
        kept.contains(&"二号实例写的标题"),
        "the refused text is kept whole"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs a SurrealDB server (XINGSHEN_TEST_DB)"]
async fn instances_starting_together_apply_each_migration_exactly_once() {
    let endpoint = server();
    let database = unique_database_name();
    let mut starts = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (endpoint, database) = (endpoint.clone(), database.clone());
        starts.spawn(async move { Store::connect_database(&endpoint, &database).await });
    }
    while let Some(started) = starts.join_next().await {
        if let Err(error) = started.unwrap() {
            panic!("an instance did not start: {error}");
        }
    }
    let (store, _) = Store::connect_database(&endpoint, &database).await.unwrap();
    let mut versions: Vec<i64> = store
        .table_json("migration")
        .await
        .unwrap()
        .iter()
        .map(|row| row["version"].as_i64().unwrap())
        .collect();
    versions.sort();
    let reference = Store::in_memory().await.unwrap();
    let expected = reference.table_json("migration").await.unwrap().len() as i64;
    assert_eq!(versions, (1..=expected).collect::<Vec<_>>());
    // And the schema works: the demo organisation goes in.
    seed::create_demo(&store).await.unwrap();
}
