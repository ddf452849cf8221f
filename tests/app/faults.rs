//! The store under injected faults (test builds only): queries failing before the database
//! sees them, failing after it did the work (the answer lost), and slow ones. People get the
//! one generic Chinese error, a retry is answered as a repeat, and every change is whole or
//! absent — a material, its revision and its audit row are never written in part.

use crate::editor::{editor, save};
use crate::ledger::write_measure;
use crate::meetings::{demo_meeting, fill, start};
use crate::support::{Client, Reply, TestApp};
use std::time::Duration;
use xingshen::server::AppError;
use xingshen::server::ledger::{LedgerDetail, LedgerList};
use xingshen::server::materials::SaveReply;
use xingshen::store::faults::FaultPlan;

/// Whether a reply is what a person may see when the database fails: the one generic
/// message, with nothing of the cause — or, when the failure hit the meeting lookup before
/// any function ran, a bare 500 the page treats as a dropped connection and retries.
fn is_generic_failure(reply: &Reply) -> bool {
    if reply.status.as_u16() != 500 {
        return false;
    }
    match serde_json::from_str::<AppError>(&reply.body) {
        Ok(error) => {
            error == AppError::Internal
                && error.to_string() == "服务器暂时出错，请稍后重试；您填写的内容没有丢失"
        }
        Err(_) => !reply.body.contains("injected") && !reply.body.contains("fault"),
    }
}

/// Calls until the function succeeds, as the editor retries; every failure on the way must
/// be the generic one.
async fn until_done(client: &mut Client, function: &str, fields: &[(&str, &str)]) -> Reply {
    for _ in 0..100 {
        let reply = client.call(function, fields).await;
        if reply.status.is_success() {
            return reply;
        }
        assert!(
            is_generic_failure(&reply),
            "{function}: {} {}",
            reply.status,
            reply.body
        );
    }
    panic!("{function} never got through");
}

fn plan(fail_before: u32, fail_after: u32, seed: u64) -> FaultPlan {
    FaultPlan {
        fail_before_per_mille: fail_before,
        fail_after_per_mille: fail_after,
        delay_per_mille: 100,
        delay: Duration::from_millis(5),
        seed,
    }
}

#[tokio::test]
async fn autosaves_retried_through_faults_keep_every_text_and_apply_once() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    let mut version = editor(&mut zhang, &material).await.version;
    let first = version;

    app.store.inject_faults(plan(150, 150, 7));
    let mut failures = 0;
    for n in 0..30 {
        let title = format!("第{n}次保存的标题");
        let request = format!("save-{n}");
        let saved = loop {
            let reply = save(
                &mut zhang,
                &material,
                version,
                &request,
                "opening",
                &[("title", &title)],
            )
            .await;
            if reply.status.is_success() {
                break reply.json::<SaveReply>();
            }
            assert!(
                is_generic_failure(&reply),
                "save {n}: {} {}",
                reply.status,
                reply.body
            );
            failures += 1;
        };
        assert_eq!(saved.version, version + 1, "save {n} applied exactly once");
        version = saved.version;
    }
    app.store.inject_faults(FaultPlan::default());
    assert!(
        failures >= 5 && app.store.injected_faults() >= 10,
        "{failures} failed saves, {} faults: the faults did not bite",
        app.store.injected_faults()
    );

    let view = editor(&mut zhang, &material).await;
    assert_eq!(view.version, first + 30);
    assert_eq!(view.content.title, "第29次保存的标题");
    let revisions = app.store.revisions(&material).await.unwrap();
    let versions: Vec<i64> = revisions.iter().map(|r| r.version).collect();
    assert_eq!(versions, (1..=first + 30).rev().collect::<Vec<_>>());
    for n in 0..30 {
        let content = app
            .store
            .revision_content(&material, first + 1 + n)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(content.title, format!("第{n}次保存的标题"));
    }
}

#[tokio::test]
async fn a_workflow_under_faults_leaves_each_change_whole_or_absent() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    let version = fill(&mut zhang, &material, "学用结合不够紧密").await;
    let version = write_measure(&mut zhang, &material, version, "每月精读原著2篇")
        .await
        .to_string();

    // Failures before the database only: each refused call must have changed nothing, so
    // the counts below are exact.
    app.store.inject_faults(plan(250, 0, 11));
    until_done(
        &mut zhang,
        "submit_material",
        &[("material_id", &material), ("version", &version)],
    )
    .await;
    until_done(
        &mut secretary,
        "comment_on_material",
        &[
            ("material_id", &material),
            ("round", "1"),
            ("anchor", "whole"),
            ("text", "请把事例写具体"),
        ],
    )
    .await;
    until_done(
        &mut secretary,
        "decide_material",
        &[
            ("material_id", &material),
            ("round", "1"),
            ("decision", "approved"),
            ("reason", ""),
        ],
    )
    .await;
    let ledger: LedgerList = until_done(&mut zhang, "my_ledger", &[]).await.json();
    let item = ledger.rows[0].id.clone();
    for n in 0..5 {
        let detail: LedgerDetail = until_done(&mut zhang, "ledger_entry", &[("item_id", &item)])
            .await
            .json();
        let revision = detail.revision.to_string();
        let text = format!("第{n}次进展");
        until_done(
            &mut zhang,
            "act_on_ledger_item",
            &[
                ("item_id", &item),
                ("revision", &revision),
                ("action", "progress"),
                ("text", &text),
            ],
        )
        .await;
    }
    app.store.inject_faults(FaultPlan::default());
    assert!(app.store.injected_faults() >= 5, "the faults did not bite");

    // Each change is there once, with its audit row; nothing is there twice or in part.
    let submissions = app.store.submissions(&material).await.unwrap();
    assert_eq!(submissions.len(), 1);
    assert_eq!(
        app.store
            .count_audit("material.submit", Some(&material))
            .await
            .unwrap(),
        1
    );
    let record = app.store.material(&material).await.unwrap().unwrap();
    assert_eq!(
        record.state,
        xingshen::domain::material::MaterialState::Approved
    );
    let revisions = app.store.revisions(&material).await.unwrap();
    assert_eq!(revisions.len() as i64, record.version);
    let detail: LedgerDetail = zhang
        .call("ledger_entry", &[("item_id", &item)])
        .await
        .json();
    let progress: Vec<&str> = detail
        .notes
        .iter()
        .filter(|note| note.text.ends_with("次进展"))
        .map(|note| note.text.as_str())
        .collect();
    assert_eq!(progress.len(), 5, "{progress:?}");
    assert_eq!(
        app.store
            .count_audit("ledger.change", Some(&item))
            .await
            .unwrap(),
        5
    );
    let comments = app.store.table_json("review_comment").await.unwrap();
    assert_eq!(comments.len(), 1, "{comments:?}");
}
