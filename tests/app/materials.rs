//! Saving materials: versions, stale saves, retries, revisions and restore (store level;
//! the editor's server functions build on these).

use crate::support::TestApp;
use xingshen::domain::LoginName;
use xingshen::domain::material::{Material, Part, PartKind};
use xingshen::store::materials::SaveOutcome;

struct Draft {
    app: TestApp,
    material: String,
    owner: String,
}

fn material(duty: &str) -> Material {
    Material {
        title: "在专题组织生活会上的发言材料".into(),
        speaker: Some("张明".into()),
        preamble: vec![],
        parts: vec![Part {
            kind: PartKind::Duty,
            heading: "对岗位职责的认识".into(),
            paragraphs: vec![duty.into()],
            items: vec![],
        }],
        closing: None,
        date: None,
        removed: vec![],
    }
}

async fn draft() -> Draft {
    let app = TestApp::new().await;
    let store = &app.store;
    let org = store.list_orgs().await.unwrap().remove(0).id;
    let branch = store
        .find_branch_by_name(&org, "第一党支部")
        .await
        .unwrap()
        .unwrap();
    let meetings = store.meetings_of_branch(&branch).await.unwrap();
    assert_eq!(
        meetings.len(),
        1,
        "the demo data gives every branch a meeting"
    );
    assert_eq!(meetings[0].title, xingshen::seed::DEMO_MEETING);
    let meeting = meetings[0].id.clone();
    let owner = store
        .find_user_by_login(&LoginName::parse("zhangming").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let id = store
        .create_material(&meeting, &owner, &material(""), "create-1")
        .await
        .unwrap();
    Draft {
        app,
        material: id,
        owner,
    }
}

#[tokio::test]
async fn a_save_from_the_current_version_writes_a_revision() {
    let d = draft().await;
    let store = &d.app.store;
    let outcome = store
        .save_material(&d.material, &d.owner, 1, &material("我的职责是……"), "r1")
        .await
        .unwrap();
    assert_eq!(outcome, SaveOutcome::Saved { version: 2 });
    let current = store.material(&d.material).await.unwrap().unwrap();
    assert_eq!(current.version, 2);
    assert_eq!(current.content, material("我的职责是……"));
    assert_eq!(store.revisions(&d.material).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_save_from_a_stale_version_is_refused_with_the_current_text() {
    let d = draft().await;
    let store = &d.app.store;
    store
        .save_material(
            &d.material,
            &d.owner,
            1,
            &material("第一个标签页写的"),
            "tab-a",
        )
        .await
        .unwrap();
    let outcome = store
        .save_material(
            &d.material,
            &d.owner,
            1,
            &material("第二个标签页写的"),
            "tab-b",
        )
        .await
        .unwrap();
    let SaveOutcome::Stale { current } = outcome else {
        panic!("expected a stale refusal, got {outcome:?}");
    };
    assert_eq!(current.version, 2);
    assert_eq!(current.content, material("第一个标签页写的"));
    let now = store.material(&d.material).await.unwrap().unwrap();
    assert_eq!(
        now.content,
        material("第一个标签页写的"),
        "nothing overwritten"
    );
}

#[tokio::test]
async fn a_retried_save_is_answered_once_and_not_applied_twice() {
    let d = draft().await;
    let store = &d.app.store;
    let first = store
        .save_material(
            &d.material,
            &d.owner,
            1,
            &material("只保存一次"),
            "same-request",
        )
        .await
        .unwrap();
    let retry = store
        .save_material(
            &d.material,
            &d.owner,
            1,
            &material("只保存一次"),
            "same-request",
        )
        .await
        .unwrap();
    assert_eq!(first, SaveOutcome::Saved { version: 2 });
    assert_eq!(retry, SaveOutcome::Replayed { version: 2 });
    assert_eq!(store.revisions(&d.material).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_save_without_changes_writes_no_revision() {
    let d = draft().await;
    let store = &d.app.store;
    let outcome = store
        .save_material(&d.material, &d.owner, 1, &material(""), "noop")
        .await
        .unwrap();
    assert_eq!(outcome, SaveOutcome::Unchanged { version: 1 });
    assert_eq!(store.revisions(&d.material).await.unwrap().len(), 1);
}

#[tokio::test]
async fn restoring_a_revision_is_itself_a_new_revision() {
    let d = draft().await;
    let store = &d.app.store;
    store
        .save_material(&d.material, &d.owner, 1, &material("第一稿"), "r1")
        .await
        .unwrap();
    store
        .save_material(&d.material, &d.owner, 2, &material("第二稿"), "r2")
        .await
        .unwrap();
    let outcome = store
        .restore_revision(&d.material, &d.owner, 3, 2, "restore-2")
        .await
        .unwrap();
    assert_eq!(outcome, SaveOutcome::Saved { version: 4 });
    let current = store.material(&d.material).await.unwrap().unwrap();
    assert_eq!(current.content, material("第一稿"));
    let history = store.revisions(&d.material).await.unwrap();
    assert_eq!(history[0].version, 4);
    assert_eq!(history[0].restored_from, Some(2));
    assert_eq!(
        store.revision_content(&d.material, 3).await.unwrap(),
        Some(material("第二稿")),
        "the overwritten draft stays in the history"
    );
}

#[tokio::test]
async fn concurrent_saves_from_one_version_let_exactly_one_win() {
    let d = draft().await;
    let store = d.app.store.clone();
    let saves = (0..8).map(|n| {
        let store = store.clone();
        let (material_id, owner) = (d.material.clone(), d.owner.clone());
        tokio::spawn(async move {
            store
                .save_material(
                    &material_id,
                    &owner,
                    1,
                    &material(&format!("版本{n}")),
                    &format!("r{n}"),
                )
                .await
                .unwrap()
        })
    });
    let mut saved = 0;
    for handle in saves {
        match handle.await.unwrap() {
            SaveOutcome::Saved { version } => {
                assert_eq!(version, 2);
                saved += 1;
            }
            SaveOutcome::Stale { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(saved, 1);
    assert_eq!(store.revisions(&d.material).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_member_has_one_material_per_meeting() {
    let d = draft().await;
    let store = &d.app.store;
    let meeting = store
        .material(&d.material)
        .await
        .unwrap()
        .unwrap()
        .meeting_id;
    let second = store
        .create_material(&meeting, &d.owner, &material(""), "create-2")
        .await;
    assert!(
        matches!(&second, Err(xingshen::store::StoreError::Conflict(m)) if m == "您在本次会议已有一份材料"),
        "{:?}",
        second.err()
    );
}

#[tokio::test]
async fn submissions_are_numbered_rounds_and_only_an_editable_current_version_submits() {
    use xingshen::store::materials::SubmitOutcome;
    let d = draft().await;
    let store = &d.app.store;
    let audit = xingshen::store::AuditEntry {
        org_id: None,
        actor_id: Some(d.owner.clone()),
        action: "material.submit",
        target: Some(d.material.clone()),
        detail: None,
        ip: None,
    };
    assert_eq!(
        store
            .submit_material(&d.material, 2, &[], &audit)
            .await
            .unwrap(),
        SubmitOutcome::Refused,
        "a version that is not current"
    );
    assert_eq!(
        store
            .submit_material(&d.material, 1, &[], &audit)
            .await
            .unwrap(),
        SubmitOutcome::Submitted { round: 1 }
    );
    assert_eq!(
        store
            .submit_material(&d.material, 1, &[], &audit)
            .await
            .unwrap(),
        SubmitOutcome::Refused,
        "already submitted"
    );
    let save = store
        .save_material(&d.material, &d.owner, 1, &material("提交后"), "late")
        .await
        .unwrap();
    assert!(matches!(save, SaveOutcome::Locked { .. }));
    assert!(store.withdraw_material(&d.material, &audit).await.unwrap());
    assert!(!store.withdraw_material(&d.material, &audit).await.unwrap());
    assert_eq!(
        store
            .submit_material(&d.material, 1, &[], &audit)
            .await
            .unwrap(),
        SubmitOutcome::Submitted { round: 2 }
    );
    let rounds = store.submissions(&d.material).await.unwrap();
    assert_eq!(
        rounds.iter().map(|r| r.round).collect::<Vec<_>>(),
        vec![2, 1]
    );
}
