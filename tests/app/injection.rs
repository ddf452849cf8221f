//! Injection payloads (SurrealQL, SQL, template, HTML/JS, path, Unicode tricks) typed into
//! every kind of text field come back exactly as typed: stored as data, never interpreted,
//! and the database still holds what it held.

use crate::editor::{editor, save, step_of};
use crate::ledger::{entry, my_ledger, write_measure};
use crate::meetings::{demo_meeting, fill, start, submit};
use crate::support::{TestApp, ok};
use xingshen::domain::material::PartKind;
use xingshen::server::branches::BranchView;
use xingshen::server::cycle::MemberCycleView;
use xingshen::server::materials::SaveReply;
use xingshen::server::meetings::ReviewView;
use xingshen::server::users::UserView;

/// Each payload, as one line of text a person might paste.
const PAYLOADS: [&str; 8] = [
    "'; DELETE material; --",
    "$token\" OR 1=1; RETURN (SELECT * FROM user); ⟩",
    "type::thing('user', 'admin') + {{7*7}} ${7*7}",
    "<script>alert('xss')</script><img src=x onerror=alert(1)>",
    "\"><svg onload=alert(document.cookie)>",
    "../../../etc/passwd%00.docx",
    "\u{202E}gpj.exe 反向文字 😀",
    "javascript:alert(1)//",
];

#[tokio::test]
async fn injection_payloads_are_stored_and_shown_verbatim_in_every_text_field() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let mut admin = app.logged_in("admin").await;
    let (branch, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    let version = fill(&mut zhang, &material, "学用结合不够紧密").await;
    let mut version = write_measure(&mut zhang, &material, version, "每月精读原著2篇").await;
    let users_before = app.store.table_json("user").await.unwrap().len();

    for (n, payload) in PAYLOADS.iter().enumerate() {
        // The material: title, opening, a problem's heading, text and example.
        let view = editor(&mut zhang, &material).await;
        let problems = step_of(&view, PartKind::Problems);
        let index: usize = problems.parse().unwrap();
        let problem = view.content.parts[index].items[0].id.0.clone();
        let reply = save(
            &mut zhang,
            &material,
            version,
            &format!("inject-opening-{n}"),
            "opening",
            &[("title", payload), ("preamble", payload)],
        )
        .await;
        assert!(reply.status.is_success(), "{}", reply.body);
        version = reply.json::<SaveReply>().version;
        let reply = save(
            &mut zhang,
            &material,
            version,
            &format!("inject-problem-{n}"),
            &problems,
            &[
                ("item.0.id", &problem),
                ("item.0.heading", payload),
                ("item.0.text", payload),
                ("item.0.example", payload),
            ],
        )
        .await;
        assert!(reply.status.is_success(), "{}", reply.body);
        version = reply.json::<SaveReply>().version;
        let content = editor(&mut zhang, &material).await.content;
        assert_eq!(content.title, *payload);
        assert_eq!(content.preamble, vec![payload.to_string()]);
        let item = &content.parts[index].items[0];
        assert_eq!(
            (
                item.heading.as_str(),
                item.text.as_str(),
                item.example.as_deref()
            ),
            (*payload, *payload, Some(*payload))
        );

        // Written criticism, a talk, the minutes' notes.
        let (zhang_id, liu_id) = {
            let record: xingshen::server::cycle::CycleAdminView = secretary
                .call("cycle_admin", &[("meeting_id", &meeting)])
                .await
                .json();
            let id = |name: &str| {
                record
                    .people
                    .iter()
                    .find(|p| p.name == name)
                    .unwrap()
                    .user_id
                    .clone()
            };
            (id("张明"), id("刘芳"))
        };
        ok(
            &mut secretary,
            "write_criticism",
            &[
                ("meeting_id", &meeting),
                ("recipient_id", &zhang_id),
                ("text", payload),
            ],
        )
        .await;
        ok(
            &mut zhang,
            "log_talk",
            &[
                ("meeting_id", &meeting),
                ("partner_id", &liu_id),
                ("on", "2026-11-20"),
                ("topics", payload),
            ],
        )
        .await;
        ok(
            &mut secretary,
            "save_minutes_notes",
            &[("meeting_id", &meeting), ("notes", payload)],
        )
        .await;
        let mine: MemberCycleView = secretary
            .call("member_cycle", &[("meeting_id", &meeting)])
            .await
            .json();
        assert!(mine.written.iter().any(|w| w.text == *payload));
        let talks: MemberCycleView = zhang
            .call("member_cycle", &[("meeting_id", &meeting)])
            .await
            .json();
        assert!(talks.talks.iter().any(|t| t.topics == *payload));
        let minutes: xingshen::server::cycle::MinutesView = secretary
            .call("meeting_record", &[("meeting_id", &meeting)])
            .await
            .json();
        assert_eq!(minutes.notes, *payload);

        // A branch and a person named with it.
        // Names are at most 32 characters: the payload's first 30, numbered.
        let name = format!("{}{n}", payload.chars().take(30).collect::<String>());
        ok(&mut admin, "create_branch", &[("name", &name)]).await;
        let branches: Vec<BranchView> = admin.call("list_branches", &[]).await.json();
        assert!(branches.iter().any(|b| b.name == name), "{name}");
        ok(
            &mut admin,
            "create_user",
            &[
                ("name", &name),
                ("login", &format!("inject{n}")),
                ("post", payload),
                ("role", "member"),
                ("branch_id", &branch.branch_id),
            ],
        )
        .await;
        let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
        let user = users
            .iter()
            .find(|u| u.login == format!("inject{n}"))
            .unwrap();
        assert_eq!(
            (user.name.as_str(), user.post.as_deref()),
            (name.as_str(), Some(*payload))
        );
    }

    // Submitted: a review comment and a ledger progress note carry them as well.
    submit(&mut zhang, &material, version).await;
    let ledger = my_ledger(&mut zhang).await;
    let row = ledger.rows.first().expect("the measure became an item");
    for (n, payload) in PAYLOADS.iter().enumerate() {
        ok(
            &mut secretary,
            "comment_on_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("anchor", "whole"),
                ("text", payload),
            ],
        )
        .await;
        let revision = entry(&mut zhang, &row.id).await.revision.to_string();
        ok(
            &mut zhang,
            "act_on_ledger_item",
            &[
                ("item_id", &row.id),
                ("revision", &revision),
                ("action", "progress"),
                ("text", payload),
            ],
        )
        .await;
        let detail = entry(&mut zhang, &row.id).await;
        assert!(detail.notes.iter().any(|note| note.text == *payload), "{n}");
    }
    let review: ReviewView = secretary
        .call("review_material", &[("material_id", &material)])
        .await
        .json();
    for payload in PAYLOADS {
        assert!(review.comments.iter().any(|c| c.text == payload));
    }
    // Nothing was run: the material and its people are all still there.
    assert_eq!(
        app.store.table_json("user").await.unwrap().len(),
        users_before + PAYLOADS.len()
    );
    assert!(app.store.material(&material).await.unwrap().is_some());
    assert_eq!(
        editor(&mut zhang, &material).await.content.title,
        PAYLOADS[7]
    );
}
