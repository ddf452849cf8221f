//! The 督导组 (issue 28, item 3) through HTTP: the 上级's administrator assigns a member
//! to one meeting; the 会议方案 is submitted, returned with a reason and approved, and
//! collection waits for it where the template asks; the member reviews after the secretary,
//! records a 点评 that the minutes and the 报送 package carry, reads the 会前准备情况报告,
//! and sees this meeting only, never a draft, and no longer once its 整改 is over.

use crate::editor::editor;
use crate::ledger::{entry, my_ledger, write_measure};
use crate::meetings::{demo_meeting, fill, meeting_form, start, submit};
use crate::support::{Client, TestApp, ok};
use xingshen::domain::material::MaterialState;
use xingshen::server::AppError;
use xingshen::server::cycle::MinutesView;
use xingshen::server::ledger::{LedgerAction, LedgerDetail};
use xingshen::server::supervision::{
    PreparationView, SupervisedMeeting, SupervisionPanel, SupervisionView,
};

/// The demo's 督导组 member (seeded on the first branch's demo meeting) and the 上级's
/// administrator.
const SUPERVISOR: &str = "dudao";
const UPPER_ADMIN: &str = "shangji";

async fn user_id(client: &mut Client) -> String {
    client
        .call("current_user", &[])
        .await
        .json::<Option<xingshen::domain::policy::Actor>>()
        .unwrap()
        .user_id
}

async fn panel(admin: &mut Client, meeting: &str) -> SupervisionPanel {
    ok(admin, "supervision_setup", &[("meeting_id", meeting)])
        .await
        .json()
}

async fn view(client: &mut Client, meeting: &str) -> SupervisionView {
    ok(client, "supervision_meeting", &[("meeting_id", meeting)])
        .await
        .json()
}

/// A 民主生活会 of the first branch on the leadership template, which asks for the plan's
/// approval; returns its id.
async fn leadership_meeting(secretary: &mut Client) -> String {
    let (branch, _) = demo_meeting(secretary).await;
    let day = |days: u64| (chrono::Utc::now().date_naive() + chrono::Days::new(days)).to_string();
    let (plan_on, due, meeting_on) = (day(0), day(10), day(14));
    let created = ok(
        secretary,
        "create_meeting",
        &meeting_form(
            &branch.branch_id,
            &[
                ("template", "leadership-2024"),
                ("plan[kind]", "leadership"),
                ("plan[title]", "2026年度民主生活会"),
                ("plan[everyone]", "true"),
                ("plan[plan_on]", &plan_on),
                ("plan[materials_due]", &due),
                ("plan[meeting_on]", &meeting_on),
            ],
        ),
    )
    .await;
    created.json()
}

async fn assign(admin: &mut Client, meeting: &str, user: &str) {
    ok(
        admin,
        "assign_supervisor",
        &[("meeting_id", meeting), ("user_id", user)],
    )
    .await;
}

fn is_not_found(reply: &crate::support::Reply) -> bool {
    !reply.status.is_success() && reply.error() == AppError::NotFound
}

#[tokio::test]
async fn the_upper_admin_assigns_members_of_the_upper_node_and_removes_them() {
    let app = TestApp::new().await;
    let mut upper = app.logged_in(UPPER_ADMIN).await;
    let mut secretary = app.logged_in("shuji1").await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut dudao = app.logged_in(SUPERVISOR).await;
    let dudao_id = user_id(&mut dudao).await;
    let zhang_id = user_id(&mut zhang).await;
    let meeting = leadership_meeting(&mut secretary).await;

    let setup = panel(&mut upper, &meeting).await;
    assert!(setup.members.is_empty());
    let offered: Vec<&str> = setup.candidates.iter().map(|c| c.name.as_str()).collect();
    assert!(offered.contains(&"周明"), "{offered:?}");
    assert!(
        !offered.contains(&"张明"),
        "a member of the branch is no 上级: {offered:?}"
    );

    // Only someone of the 上级; only an administrator of the branch assigns.
    let member = upper
        .call(
            "assign_supervisor",
            &[("meeting_id", &meeting), ("user_id", &zhang_id)],
        )
        .await;
    assert!(matches!(member.error(), AppError::Invalid(m) if m.contains("上级")));
    let by_secretary = secretary
        .call(
            "assign_supervisor",
            &[("meeting_id", &meeting), ("user_id", &dudao_id)],
        )
        .await;
    assert!(is_not_found(&by_secretary));

    assign(&mut upper, &meeting, &dudao_id).await;
    let twice = upper
        .call(
            "assign_supervisor",
            &[("meeting_id", &meeting), ("user_id", &dudao_id)],
        )
        .await;
    assert!(matches!(twice.error(), AppError::Conflict(m) if m.contains("督导组")));
    let setup = panel(&mut upper, &meeting).await;
    assert_eq!(setup.members.len(), 1);
    assert_eq!(setup.members[0].name, "周明");
    assert!(setup.candidates.iter().all(|c| c.user_id != dudao_id));
    let listed: Vec<SupervisedMeeting> = ok(&mut dudao, "my_supervisions", &[]).await.json();
    assert!(listed.iter().any(|m| m.meeting_id == meeting), "{listed:?}");
    assert_eq!(
        app.store
            .count_audit("supervisor.assign", Some(&meeting))
            .await
            .unwrap(),
        1
    );

    ok(
        &mut upper,
        "remove_supervisor",
        &[("meeting_id", &meeting), ("user_id", &dudao_id)],
    )
    .await;
    assert!(panel(&mut upper, &meeting).await.members.is_empty());
    let listed: Vec<SupervisedMeeting> = ok(&mut dudao, "my_supervisions", &[]).await.json();
    assert!(listed.iter().all(|m| m.meeting_id != meeting));
    let gone = dudao
        .call("supervision_meeting", &[("meeting_id", &meeting)])
        .await;
    assert!(is_not_found(&gone));
}

#[tokio::test]
async fn the_plan_is_returned_with_a_reason_then_approved_and_collection_waits_for_it() {
    let app = TestApp::new().await;
    let mut upper = app.logged_in(UPPER_ADMIN).await;
    let mut secretary = app.logged_in("shuji1").await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut dudao = app.logged_in(SUPERVISOR).await;
    let dudao_id = user_id(&mut dudao).await;
    let meeting = leadership_meeting(&mut secretary).await;

    // Before approval a member cannot start their material.
    let early = zhang
        .call("start_material", &[("meeting_id", &meeting)])
        .await;
    assert!(
        matches!(early.error(), AppError::Conflict(m) if m.starts_with("会议方案尚未经上级批准，暂不能")),
        "{}",
        early.body
    );
    // Nobody to approve it yet.
    let alone = secretary
        .call("submit_meeting_plan", &[("meeting_id", &meeting)])
        .await;
    assert!(matches!(alone.error(), AppError::Conflict(m) if m.contains("督导组")));

    assign(&mut upper, &meeting, &dudao_id).await;
    assert!(view(&mut secretary, &meeting).await.can_submit_plan);
    ok(
        &mut secretary,
        "submit_meeting_plan",
        &[("meeting_id", &meeting)],
    )
    .await;
    let again = secretary
        .call("submit_meeting_plan", &[("meeting_id", &meeting)])
        .await;
    assert!(matches!(again.error(), AppError::Conflict(_)));
    // Only the 督导组 decides; a member of the branch does not even see the page.
    let by_member = zhang
        .call(
            "decide_meeting_plan",
            &[("meeting_id", &meeting), ("decision", "approved")],
        )
        .await;
    assert!(is_not_found(&by_member));
    let seen = view(&mut dudao, &meeting).await;
    assert_eq!(seen.plan_state, "submitted");
    assert!(seen.can_decide_plan);

    // A return needs its reason, which the secretary then reads.
    let bare = dudao
        .call(
            "decide_meeting_plan",
            &[
                ("meeting_id", &meeting),
                ("decision", "returned"),
                ("reason", " "),
            ],
        )
        .await;
    assert!(matches!(bare.error(), AppError::Invalid(m) if m.contains("退回理由")));
    ok(
        &mut dudao,
        "decide_meeting_plan",
        &[
            ("meeting_id", &meeting),
            ("decision", "returned"),
            ("reason", "议程中缺少通报上年度整改落实情况"),
        ],
    )
    .await;
    let returned = view(&mut secretary, &meeting).await;
    assert_eq!(returned.plan_state, "returned");
    assert_eq!(
        returned.plan_return_reason.as_deref(),
        Some("议程中缺少通报上年度整改落实情况")
    );
    assert!(returned.can_submit_plan);
    assert_eq!(
        app.store
            .count_audit("meeting.plan_return", Some(&meeting))
            .await
            .unwrap(),
        1
    );
    let still = zhang
        .call("start_material", &[("meeting_id", &meeting)])
        .await;
    assert!(matches!(still.error(), AppError::Conflict(_)));

    ok(
        &mut secretary,
        "submit_meeting_plan",
        &[("meeting_id", &meeting)],
    )
    .await;
    ok(
        &mut dudao,
        "decide_meeting_plan",
        &[("meeting_id", &meeting), ("decision", "approved")],
    )
    .await;
    let approved = view(&mut secretary, &meeting).await;
    assert_eq!(approved.plan_state, "approved");
    assert!(approved.plan_return_reason.is_none());
    assert!(approved.plan_decided.is_some_and(|d| d.contains("周明")));
    let decided_again = dudao
        .call(
            "decide_meeting_plan",
            &[("meeting_id", &meeting), ("decision", "approved")],
        )
        .await;
    assert!(matches!(decided_again.error(), AppError::Conflict(_)));
    start(&mut zhang, &meeting).await;
}

#[tokio::test]
async fn a_supervisor_reviews_after_the_secretary_where_the_template_asks() {
    let app = TestApp::new().await;
    let mut upper = app.logged_in(UPPER_ADMIN).await;
    let mut secretary = app.logged_in("shuji1").await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut dudao = app.logged_in(SUPERVISOR).await;
    let dudao_id = user_id(&mut dudao).await;
    let meeting = leadership_meeting(&mut secretary).await;
    assign(&mut upper, &meeting, &dudao_id).await;
    ok(
        &mut secretary,
        "submit_meeting_plan",
        &[("meeting_id", &meeting)],
    )
    .await;
    ok(
        &mut dudao,
        "decide_meeting_plan",
        &[("meeting_id", &meeting), ("decision", "approved")],
    )
    .await;

    let material = start(&mut zhang, &meeting).await;
    let version = fill(&mut zhang, &material, "带头严守政治纪律不够").await;
    // A draft does not exist for the 督导组.
    let draft = dudao
        .call("review_material", &[("material_id", &material)])
        .await;
    assert!(is_not_found(&draft));
    let row = view(&mut dudao, &meeting).await;
    let zhang_row = row.materials.iter().find(|m| m.author == "张明").unwrap();
    assert_eq!(zhang_row.state, "未提交");
    assert!(zhang_row.review_material_id.is_none());

    submit(&mut zhang, &material, version).await;
    // Stage 2 opens once the secretary approved the round.
    let before = dudao
        .call("review_material", &[("material_id", &material)])
        .await;
    assert!(is_not_found(&before));
    crate::ledger::decide(&mut secretary, &material, "1", "approved").await;
    let stored = app.store.material(&material).await.unwrap().unwrap();
    assert_eq!(stored.state, MaterialState::Submitted, "the 督导组 follows");
    let reviewed = crate::meetings::review(&mut dudao, &material).await;
    assert!(reviewed.pending);
    let row = view(&mut dudao, &meeting).await;
    assert_eq!(
        row.materials
            .iter()
            .find(|m| m.author == "张明")
            .unwrap()
            .review_material_id
            .as_deref(),
        Some(material.as_str())
    );
    ok(
        &mut dudao,
        "comment_on_material",
        &[
            ("material_id", &material),
            ("round", "1"),
            ("anchor", "whole"),
            ("text", "事例要具体到时间和事情"),
        ],
    )
    .await;
    crate::ledger::decide(&mut dudao, &material, "1", "returned").await;
    let stored = app.store.material(&material).await.unwrap().unwrap();
    assert_eq!(stored.state, MaterialState::Returned);
    let author_view = editor(&mut zhang, &material).await;
    submit(&mut zhang, &material, author_view.version).await;
    crate::ledger::decide(&mut secretary, &material, "2", "approved").await;
    crate::ledger::decide(&mut dudao, &material, "2", "approved").await;
    let stored = app.store.material(&material).await.unwrap().unwrap();
    assert_eq!(stored.state, MaterialState::Approved);
    let waiting: Vec<SupervisedMeeting> = ok(&mut dudao, "my_supervisions", &[]).await.json();
    assert_eq!(
        waiting
            .iter()
            .find(|m| m.meeting_id == meeting)
            .unwrap()
            .waiting_reviews,
        0
    );
}

#[tokio::test]
async fn the_remark_is_in_the_minutes_and_in_the_package() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let mut dudao = app.logged_in(SUPERVISOR).await;
    let (_, meeting) = demo_meeting(&mut secretary).await;

    let empty = dudao
        .call(
            "record_supervisor_remark",
            &[("meeting_id", &meeting), ("text", "  ")],
        )
        .await;
    assert!(matches!(empty.error(), AppError::Invalid(_)));
    let by_secretary = secretary
        .call(
            "record_supervisor_remark",
            &[("meeting_id", &meeting), ("text", "代写")],
        )
        .await;
    assert!(is_not_found(&by_secretary));
    ok(
        &mut dudao,
        "record_supervisor_remark",
        &[
            ("meeting_id", &meeting),
            ("text", "查摆问题较为深刻，整改措施要再具体。"),
        ],
    )
    .await;

    let minutes: MinutesView = ok(
        &mut secretary,
        "meeting_record",
        &[("meeting_id", &meeting)],
    )
    .await
    .json();
    assert_eq!(minutes.remarks.len(), 1);
    assert_eq!(minutes.remarks[0].author, "周明");

    for client in [&mut secretary, &mut dudao] {
        let package = client
            .get(&format!("/meetings/{meeting}/package.zip"))
            .await;
        assert!(package.status.is_success(), "{}", package.body);
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(package.bytes.clone())).unwrap();
        let text_of = |archive: &mut zip::ZipArchive<_>, name: &str| {
            use std::io::Read;
            let mut bytes = Vec::new();
            archive
                .by_name(name)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            xingshen::export::docx::docx_paragraphs(&bytes)
                .unwrap()
                .join("\n")
        };
        let remarks = text_of(&mut archive, "11-督导组点评意见.docx");
        assert!(remarks.contains("整改措施要再具体"), "{remarks}");
        let minutes = text_of(&mut archive, "02-会议记录.docx");
        assert!(minutes.contains("督导组点评"), "{minutes}");
        assert!(minutes.contains("督导组成员周明"), "{minutes}");
    }
}

#[tokio::test]
async fn the_preparation_report_counts_the_meeting() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let mut dudao = app.logged_in(SUPERVISOR).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;

    let material = start(&mut zhang, &meeting).await;
    let version = fill(&mut zhang, &material, "学用结合不够紧密").await;
    submit(&mut zhang, &material, version).await;
    crate::ledger::decide(&mut secretary, &material, "1", "approved").await;
    start(&mut liu, &meeting).await;

    for client in [&mut secretary, &mut dudao] {
        let report: PreparationView = ok(client, "preparation_report", &[("meeting_id", &meeting)])
            .await
            .json();
        let facts = &report.facts;
        assert_eq!(facts.participants, 3, "the branch's three members");
        assert_eq!(
            (
                facts.materials_started,
                facts.materials_handed_in,
                facts.materials_approved
            ),
            (2, 1, 1)
        );
        assert_eq!(facts.talks, 0);
        assert_eq!(facts.branch, "第一党支部");
        let text = report
            .report
            .parts
            .iter()
            .flat_map(|p| p.paragraphs.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            text.contains("已开始撰写2份，已提交1份，审核通过1份"),
            "{text}"
        );
        let docx = client
            .get(&format!("/meetings/{meeting}/preparation.docx"))
            .await;
        assert!(docx.status.is_success(), "{}", docx.body);
        let paragraphs = xingshen::export::docx::docx_paragraphs(&docx.bytes).unwrap();
        assert!(paragraphs.iter().any(|p| p.contains("会前准备情况报告")));
    }
    let mut member = app.logged_in("zhangming").await;
    let refused = member
        .call("preparation_report", &[("meeting_id", &meeting)])
        .await;
    assert!(is_not_found(&refused));
}

async fn act(client: &mut Client, item: &LedgerDetail, action: LedgerAction, text: &str) {
    let revision = item.revision.to_string();
    ok(
        client,
        "act_on_ledger_item",
        &[
            ("item_id", item.row.id.as_str()),
            ("revision", revision.as_str()),
            ("action", action.code()),
            ("text", text),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_supervisor_sees_their_meeting_only_and_not_after_its_rectification_is_closed() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let mut other_secretary = app.logged_in("shuji2").await;
    let mut dudao = app.logged_in(SUPERVISOR).await;
    let mut zhang = app.logged_in("zhangming").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (_, other) = demo_meeting(&mut other_secretary).await;

    // Meeting B (the second branch's): nothing.
    for (function, field) in [
        ("supervision_meeting", "meeting_id"),
        ("preparation_report", "meeting_id"),
        ("record_supervisor_remark", "meeting_id"),
        ("meeting_record", "meeting_id"),
        ("meeting_dashboard", "meeting_id"),
    ] {
        let reply = dudao
            .call(function, &[(field, &other), ("text", "点评")])
            .await;
        assert!(is_not_found(&reply), "{function}: {}", reply.body);
    }
    let package = dudao.get(&format!("/meetings/{other}/package.zip")).await;
    assert_eq!(package.status.as_u16(), 404);
    let listed: Vec<SupervisedMeeting> = ok(&mut dudao, "my_supervisions", &[]).await.json();
    assert_eq!(
        listed
            .iter()
            .map(|m| m.meeting_id.as_str())
            .collect::<Vec<_>>(),
        [meeting.as_str()]
    );

    // Meeting A, with no ledger item yet: visible; a draft's text never.
    let material = start(&mut zhang, &meeting).await;
    let version = fill(&mut zhang, &material, "学用结合不够紧密").await;
    let version = write_measure(&mut zhang, &material, version, "每月精读原著2篇").await;
    for function in ["material_editor", "review_material", "material_revisions"] {
        let reply = dudao.call(function, &[("material_id", &material)]).await;
        assert!(is_not_found(&reply), "{function}: {}", reply.body);
    }
    assert!(
        view(&mut dudao, &meeting)
            .await
            .materials
            .iter()
            .all(|m| m.state == "未提交")
    );
    submit(&mut zhang, &material, version).await;
    crate::ledger::decide(&mut secretary, &material, "1", "approved").await;
    view(&mut dudao, &meeting).await;

    // Its one item closed: the 整改 is over, and the meeting is gone for the 督导组.
    let item = my_ledger(&mut zhang).await.rows[0].id.clone();
    let detail = entry(&mut zhang, &item).await;
    act(
        &mut zhang,
        &detail,
        LedgerAction::ReportDone,
        "全年精读原著24篇",
    )
    .await;
    let detail = entry(&mut secretary, &item).await;
    act(&mut secretary, &detail, LedgerAction::Confirm, "").await;
    let gone = dudao
        .call("supervision_meeting", &[("meeting_id", &meeting)])
        .await;
    assert!(is_not_found(&gone));
    let package = dudao.get(&format!("/meetings/{meeting}/package.zip")).await;
    assert_eq!(package.status.as_u16(), 404);
    let listed: Vec<SupervisedMeeting> = ok(&mut dudao, "my_supervisions", &[]).await.json();
    assert!(listed.is_empty());
    // The secretary still has it.
    view(&mut secretary, &meeting).await;
}
