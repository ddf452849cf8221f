//! A 领导班子 beside the 党支部 (issue 28 item 2): its 主要负责人 and 班子成员, its 民主生活会
//! with the collective 班子对照检查材料 drafted by the one the 主要负责人 names and read,
//! commented and followed version by version by the 班子, each member's own 发言提纲 from
//! the leaders' pack, and the words of a 班子 on its screens.

use crate::editor::{editor, save, step_of};
use crate::meetings::{fill_and_submit, meeting_form, review, start};
use crate::support::{Client, TestApp, ok};
use xingshen::domain::Role;
use xingshen::domain::material::{MaterialState, PartKind};
use xingshen::domain::org::GroupKind;
use xingshen::seed::DEMO_PASSWORD;
use xingshen::server::branches::BranchView;
use xingshen::server::materials::{HistoryHead, MeetingEntry, RevisionChanges, RevisionEntry};
use xingshen::server::meetings::collective::CollectiveView;
use xingshen::server::meetings::{BranchMeetings, DashboardView};

/// The demo organisation with a 领导班子 "局领导班子": 王局长 its 主要负责人, 李副局长 and
/// 陈副局长 its members; logged in in that order.
struct Leadership {
    app: TestApp,
    head: Client,
    li: Client,
    chen: Client,
    li_id: String,
    group: String,
}

async fn leadership() -> Leadership {
    use xingshen::domain::{LoginName, PersonName, Post};
    use xingshen::store::AuditEntry;
    use xingshen::store::users::NewUser;

    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    ok(
        &mut admin,
        "create_branch",
        &[("name", "局领导班子"), ("kind", "leadership")],
    )
    .await;
    let groups: Vec<BranchView> = admin.call("list_branches", &[]).await.json();
    let group = groups.iter().find(|g| g.name == "局领导班子").unwrap();
    assert_eq!(group.kind, GroupKind::Leadership);
    let group = group.id.clone();
    let hash = xingshen::auth::password::hash(DEMO_PASSWORD.to_string().into())
        .await
        .unwrap();
    let person = |login: &str, name: &str, post: &str, role| NewUser {
        login: LoginName::parse(login).unwrap(),
        name: PersonName::parse(name).unwrap(),
        post: Post::parse(post).unwrap(),
        password_hash: hash.clone(),
        is_org_admin: false,
        must_change_password: false,
        branch: Some((group.clone(), role)),
    };
    let org = app.store.list_orgs().await.unwrap()[0].id.clone();
    let ids = app
        .store
        .create_users(
            &org,
            vec![
                person("wangjz", "王局长", "局长", Role::Secretary),
                person("lifjz", "李副局长", "副局长", Role::Member),
                person("chenfjz", "陈副局长", "副局长", Role::Member),
            ],
            &AuditEntry::new("test"),
        )
        .await
        .unwrap();
    Leadership {
        head: app.logged_in("wangjz").await,
        li: app.logged_in("lifjz").await,
        chen: app.logged_in("chenfjz").await,
        li_id: ids[1].clone(),
        app,
        group,
    }
}

/// The 班子's 民主生活会, from the newest leaders' pack.
async fn democratic_meeting(l: &mut Leadership) -> String {
    let branches: Vec<BranchMeetings> = l.head.call("my_branch_meetings", &[]).await.json();
    let group = branches.iter().find(|b| b.branch_id == l.group).unwrap();
    assert_eq!(group.group_kind, GroupKind::Leadership);
    let fields = meeting_form(
        &l.group,
        &[
            ("template", "newest"),
            ("plan[kind]", "leadership"),
            ("plan[title]", "2025年度民主生活会"),
            ("plan[everyone]", "true"),
        ],
    );
    let reply = l.head.call("create_meeting", &fields).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let meeting: String = reply.json();
    // The leaders' pack asks the 上级 to approve the plan first: the demo 督导组 member is
    // assigned, the plan handed in and approved.
    let dudao = l
        .app
        .store
        .find_user_by_login(&xingshen::domain::LoginName::parse("dudao").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut admin = l.app.logged_in("admin").await;
    ok(
        &mut admin,
        "assign_supervisor",
        &[("meeting_id", &meeting), ("user_id", &dudao)],
    )
    .await;
    ok(
        &mut l.head,
        "submit_meeting_plan",
        &[("meeting_id", &meeting)],
    )
    .await;
    let mut supervisor = l.app.logged_in("dudao").await;
    ok(
        &mut supervisor,
        "decide_meeting_plan",
        &[("meeting_id", &meeting), ("decision", "approved")],
    )
    .await;
    meeting
}

async fn collective(client: &mut Client, meeting: &str) -> CollectiveView {
    let reply = client
        .call("collective_material", &[("meeting_id", meeting)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

#[tokio::test]
async fn the_head_names_a_drafter_and_the_group_comments_and_follows_every_version() {
    let mut l = leadership().await;
    let meeting = democratic_meeting(&mut l).await;

    // Before it is started: the 主要负责人 may start it, a member reads that it is not yet.
    let before = collective(&mut l.chen, &meeting).await;
    assert!(before.draft.is_none() && !before.is_head);
    let head_view = collective(&mut l.head, &meeting).await;
    assert!(head_view.is_head);
    assert!(head_view.drafters.iter().any(|d| d.name == "李副局长"));

    // A drafter outside the 班子 is refused in words; then 李副局长 is named.
    let zhang_id = l
        .app
        .store
        .find_user_by_login(&xingshen::domain::LoginName::parse("zhangming").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let refused = l
        .head
        .call(
            "start_collective_material",
            &[("meeting_id", &meeting), ("drafter_id", &zhang_id)],
        )
        .await;
    assert!(
        refused
            .error()
            .to_string()
            .contains("起草人须是本班子的成员")
    );
    // Only the 主要负责人 starts it.
    let member_start = l
        .chen
        .call("start_collective_material", &[("meeting_id", &meeting)])
        .await;
    assert_eq!(member_start.status, 404);
    let material: String = l
        .head
        .call(
            "start_collective_material",
            &[("meeting_id", &meeting), ("drafter_id", &l.li_id)],
        )
        .await
        .json();

    // The drafter writes it from the 班子 pack, in the 班子's words.
    let view = editor(&mut l.li, &material).await;
    assert!(view.collective);
    assert_eq!(view.group_kind, GroupKind::Leadership);
    assert!(
        view.content.title.contains("局领导班子"),
        "{}",
        view.content.title
    );
    assert!(
        view.template
            .parts
            .iter()
            .any(|p| p.heading == "班子履职情况"),
        "{:?}",
        view.template.name
    );
    // It is nobody's own material: not on the drafter's list of their own, and the 主要负责人
    // (not the drafter) cannot open it in the editor.
    let entries: Vec<MeetingEntry> = l.li.call("my_materials", &[]).await.json();
    let entry = entries.iter().find(|e| e.meeting_id == meeting).unwrap();
    assert!(entry.leadership && entry.material.is_none());
    let not_drafter = l
        .head
        .call("material_editor", &[("material_id", &material)])
        .await;
    assert_eq!(not_drafter.status, 404);

    // A second version, then 陈副局长 reads it and comments on the problems part.
    let duty = step_of(&view, PartKind::Duty);
    let saved = save(
        &mut l.li,
        &material,
        view.version,
        "duty-1",
        &duty,
        &[(
            "paragraphs",
            "班子认真履行全面从严治党主体责任，研究部署党建工作12次。",
        )],
    )
    .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let read = collective(&mut l.chen, &meeting).await;
    let draft = read.draft.clone().unwrap();
    assert_eq!((draft.drafter.as_str(), draft.version), ("李副局长", 2));
    assert!(!read.is_drafter);
    let anchor = draft
        .anchors
        .iter()
        .find(|a| a.label.contains("存在的问题"))
        .unwrap()
        .code
        .clone();
    ok(
        &mut l.chen,
        "comment_collective_material",
        &[
            ("meeting_id", &meeting),
            ("anchor", &anchor),
            ("text", "第二个问题请补充班子研究部署的具体事例"),
        ],
    )
    .await;
    let empty = l
        .chen
        .call(
            "comment_collective_material",
            &[
                ("meeting_id", &meeting),
                ("anchor", &anchor),
                ("text", "  "),
            ],
        )
        .await;
    assert!(!empty.status.is_success());
    let stale_anchor = l
        .chen
        .call(
            "comment_collective_material",
            &[
                ("meeting_id", &meeting),
                ("anchor", "item:nothing"),
                ("text", "意见"),
            ],
        )
        .await;
    assert!(stale_anchor.error().to_string().contains("刷新"));
    // The drafter sees it in the editor, with the place and the version.
    let view = editor(&mut l.li, &material).await;
    assert_eq!(view.colleague_comments.len(), 1);
    let comment = &view.colleague_comments[0];
    assert_eq!((comment.author.as_str(), comment.version), ("陈副局长", 2));
    assert!(
        comment.anchor_label.contains("存在的问题"),
        "{}",
        comment.anchor_label
    );

    // Every 班子成员 follows the versions and what each changed; they cannot restore.
    let revisions: Vec<RevisionEntry> = l
        .chen
        .call("material_revisions", &[("material_id", &material)])
        .await
        .json();
    assert_eq!(revisions.iter().map(|r| r.saves).sum::<usize>(), 2);
    let changes: RevisionChanges = l
        .chen
        .call(
            "revision_diff",
            &[("material_id", &material), ("version", "2")],
        )
        .await
        .json();
    assert!(
        changes
            .lines
            .iter()
            .any(|line| line.text.contains("研究部署党建工作12次")),
        "{:?}",
        changes.lines
    );
    let head: HistoryHead = l
        .chen
        .call("material_history_head", &[("material_id", &material)])
        .await
        .json();
    assert!(!head.may_restore);
    assert_eq!(head.back, format!("/meetings/{meeting}/collective"));
    let restore = l
        .chen
        .call(
            "restore_material_revision",
            &[
                ("material_id", &material),
                ("version", "1"),
                ("base_version", "2"),
                ("request_id", "r1"),
            ],
        )
        .await;
    assert_eq!(restore.status, 404);

    // Outside the 班子 the draft does not exist.
    let mut zhang = l.app.logged_in("zhangming").await;
    for (function, field) in [
        ("collective_material", ("meeting_id", meeting.as_str())),
        ("material_revisions", ("material_id", material.as_str())),
        ("material_history_head", ("material_id", material.as_str())),
    ] {
        let reply = zhang.call(function, &[field]).await;
        assert_eq!(reply.status, 404, "{function}");
    }
    let mut secretary = l.app.logged_in("shuji1").await;
    let reply = secretary
        .call("collective_material", &[("meeting_id", &meeting)])
        .await;
    assert_eq!(reply.status, 404);

    // The 主要负责人 hands the drafting over; the text and its history stay.
    let chen_id = l
        .app
        .store
        .find_user_by_login(&xingshen::domain::LoginName::parse("chenfjz").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    ok(
        &mut l.head,
        "set_collective_drafter",
        &[("meeting_id", &meeting), ("drafter_id", &chen_id)],
    )
    .await;
    let view = editor(&mut l.chen, &material).await;
    assert_eq!(view.version, 2);
    let gone =
        l.li.call("material_editor", &[("material_id", &material)])
            .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn the_collective_material_is_reviewed_like_a_members_and_stays_out_of_the_collection() {
    let mut l = leadership().await;
    let meeting = democratic_meeting(&mut l).await;
    // The 主要负责人 drafts it themself.
    let material: String = l
        .head
        .call("start_collective_material", &[("meeting_id", &meeting)])
        .await
        .json();
    fill_and_submit(&mut l.head, &material, "班子抓理论学习不够深入").await;
    let under_review = review(&mut l.head, &material).await;
    assert!(
        under_review
            .template
            .parts
            .iter()
            .any(|p| p.heading == "班子履职情况")
    );
    ok(
        &mut l.head,
        "decide_material",
        &[
            ("material_id", &material),
            ("round", "1"),
            ("decision", "returned"),
            ("reason", "事例不够具体"),
        ],
    )
    .await;
    let view = editor(&mut l.head, &material).await;
    assert_eq!(view.state, MaterialState::Returned);
    let decision = view.decisions.last().unwrap();
    assert_eq!(decision.stage, "主要负责人");

    // The collection counts the 班子成员's own 发言提纲 only.
    let dashboard: DashboardView = l
        .head
        .call("meeting_dashboard", &[("meeting_id", &meeting)])
        .await
        .json();
    assert!(dashboard.leadership);
    assert_eq!((dashboard.handed_in, dashboard.total), (0, 3));
}

#[tokio::test]
async fn a_members_speech_outline_has_the_leaders_parts_and_never_a_branchs_words() {
    let mut l = leadership().await;
    let meeting = democratic_meeting(&mut l).await;
    let material = start(&mut l.chen, &meeting).await;
    let view = editor(&mut l.chen, &material).await;
    assert!(!view.collective);
    assert!(
        view.content.title.ends_with("个人发言提纲"),
        "{}",
        view.content.title
    );
    let headings: Vec<&str> = view
        .template
        .parts
        .iter()
        .map(|p| p.heading.as_str())
        .collect();
    for leaders_own in [
        "个人有关事项报告情况",
        "谈话函询情况说明",
        "反面典型案例剖析",
    ] {
        assert!(headings.contains(&leaders_own), "{headings:?}");
    }
    for part in &view.template.parts {
        assert!(
            !part.guidance.contains("支部") && !part.example.contains("科员"),
            "{part:?}"
        );
    }
    // Their material is handed to the 主要负责人, in those words.
    let html = l.chen.get(&format!("/materials/{material}")).await.text();
    assert!(html.contains("提交后主要负责人才能看到"), "{html}");
    let check = l
        .chen
        .get(&format!("/materials/{material}?step=check"))
        .await
        .text();
    assert!(check.contains("提交给主要负责人"), "{check}");
    for page in [&html, &check] {
        assert!(!page.contains("支部书记"), "{page}");
    }
    // The 班子 page speaks of the 班子.
    let page = l
        .chen
        .get(&format!("/meetings/{meeting}/collective"))
        .await
        .text();
    assert!(page.contains("主要负责人还没有开始起草"), "{page}");
}

#[tokio::test]
async fn an_administrator_makes_a_branch_a_leadership_group_and_back() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let groups: Vec<BranchView> = admin.call("list_branches", &[]).await.json();
    let first = groups.iter().find(|g| g.name == "第一党支部").unwrap();
    assert_eq!(first.kind, GroupKind::Branch);
    ok(
        &mut admin,
        "set_group_kind",
        &[("branch_id", &first.id), ("kind", "领导班子")],
    )
    .await;
    // The secretary's seat is now the 主要负责人's, in the header too.
    let mut secretary = app.logged_in("shuji1").await;
    let html = secretary.get("/meetings").await.text();
    assert!(html.contains("主要负责人"), "{html}");
    let refused = admin
        .call(
            "set_group_kind",
            &[("branch_id", &first.id), ("kind", "协会")],
        )
        .await;
    assert!(refused.error().to_string().contains("无法识别的组织类型"));
    // Not an administrator: no such thing.
    let reply = secretary
        .call(
            "set_group_kind",
            &[("branch_id", &first.id), ("kind", "branch")],
        )
        .await;
    assert_eq!(reply.status, 404);
    ok(
        &mut admin,
        "set_group_kind",
        &[("branch_id", &first.id), ("kind", "branch")],
    )
    .await;
    let groups: Vec<BranchView> = admin.call("list_branches", &[]).await.json();
    assert_eq!(
        groups.iter().find(|g| g.name == "第一党支部").unwrap().kind,
        GroupKind::Branch
    );
}
