//! 整改方案 through HTTP (issue 28 item 4): items from a material's measures, from the
//! 征求意见 about the branch, from the 督导组's 点评 and from 上级 feedback; every field
//! checked; the plan and the 整改落实情况报告 as .docx; 立行立改; who closes an item, with
//! and without the pack's `closure_by_superior`; nobody else reaches the plan.
//!
//! Long because each source, the exports and the closure rule need a plan built through
//! the same public endpoints, and the helpers that build it are shared here.

use crate::ledger::{decide, entry, my_ledger, write_measure};
use crate::meetings::{demo_meeting, fill, start, submit};
use crate::support::{Client, TestApp, ok};
use xingshen::domain::ledger::{ItemStatus, Urgency};
use xingshen::server::AppError;
use xingshen::server::ledger::{LedgerAction, LedgerDetail, LedgerList};
use xingshen::server::rectification_plan::PlanView;

async fn plan(client: &mut Client, meeting: &str) -> PlanView {
    ok(client, "rectification_plan", &[("meeting_id", meeting)])
        .await
        .json()
}

/// 张明's account id, read from the plan's list of possible 责任领导.
fn zhang_id(view: &PlanView) -> String {
    view.members
        .iter()
        .find(|(_, name)| name == "张明")
        .expect("张明 is a member")
        .0
        .clone()
}

fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

/// A complete item from the 督导组's 点评, with `changes` over its fields.
fn form<'a>(
    meeting: &'a str,
    owner: &'a str,
    deadline: &'a str,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("meeting_id", meeting),
        ("problem", "调查研究不够深入"),
        ("task", "班子成员每季度蹲点调研1次"),
        ("owner_id", owner),
        ("department", "办公室"),
        ("deadline", deadline),
        ("standard", "形成调研报告4篇"),
        ("kind", "by_date"),
        ("source", "supervision"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

async fn refused(client: &mut Client, function: &str, fields: &[(&str, &str)]) -> AppError {
    let reply = client.call(function, fields).await;
    assert!(!reply.status.is_success(), "{function} was let through");
    reply.error()
}

async fn act(
    client: &mut Client,
    item: &LedgerDetail,
    action: LedgerAction,
    text: &str,
) -> crate::support::Reply {
    let revision = item.revision.to_string();
    client
        .call(
            "act_on_ledger_item",
            &[
                ("item_id", item.row.id.as_str()),
                ("revision", revision.as_str()),
                ("action", action.code()),
                ("text", text),
            ],
        )
        .await
}

/// The secretary, 张明, the demo meeting and 张明's id.
async fn setup(app: &TestApp) -> (Client, Client, String, String) {
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let zhang = app.logged_in("zhangming").await;
    let owner = zhang_id(&plan(&mut secretary, &meeting).await);
    (secretary, zhang, meeting, owner)
}

fn document_xml(docx: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[tokio::test]
async fn items_come_from_each_source_and_are_ledger_items() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, meeting, owner) = setup(&app).await;
    let deadline = day(60);

    // 督导组点评 and 上级反馈, typed in.
    ok(
        &mut secretary,
        "save_plan_item",
        &form(&meeting, &owner, &deadline, &[]),
    )
    .await;
    ok(
        &mut secretary,
        "save_plan_item",
        &form(
            &meeting,
            &owner,
            &deadline,
            &[
                ("problem", "公务接待管理不规范"),
                ("source", "superior"),
                ("feedback_kind", "inspection"),
                ("issuer", "县委第二巡察组"),
                ("document_number", "县巡反〔2026〕2号"),
            ],
        ),
    )
    .await;

    // 征求意见 about the branch as a whole: collected, now answered by an item.
    ok(
        &mut secretary,
        "save_cycle_options",
        &[
            ("meeting_id", meeting.as_str()),
            ("survey_scope", "members"),
            ("criticism_mode", "open"),
        ],
    )
    .await;
    ok(
        &mut secretary,
        "set_survey_phase",
        &[("meeting_id", meeting.as_str()), ("phase", "open")],
    )
    .await;
    ok(
        &mut zhang,
        "answer_survey",
        &[
            ("meeting_id", meeting.as_str()),
            ("general", "支部学习形式比较单一"),
        ],
    )
    .await;
    let view = plan(&mut secretary, &meeting).await;
    let (opinion, text) = view.opinions[0].clone();
    assert_eq!(text, "支部学习形式比较单一");
    // No 问题 typed: the item takes the opinion's words.
    ok(
        &mut secretary,
        "save_plan_item",
        &form(
            &meeting,
            &owner,
            &deadline,
            &[
                ("problem", ""),
                ("source", "opinion"),
                ("opinion_id", &opinion),
            ],
        ),
    )
    .await;

    // 对照检查材料: the measures of an approved material join the plan in place.
    let material = start(&mut zhang, &meeting).await;
    let version = fill(&mut zhang, &material, "学用结合不够紧密").await;
    let version = write_measure(&mut zhang, &material, version, "每月精读原著2篇").await;
    submit(&mut zhang, &material, version).await;
    let early = refused(
        &mut secretary,
        "import_plan_measures",
        &[
            ("meeting_id", meeting.as_str()),
            ("material_id", material.as_str()),
        ],
    )
    .await;
    assert!(matches!(early, AppError::Invalid(m) if m.contains("审核通过")));
    decide(&mut secretary, &material, "1", "approved").await;
    ok(
        &mut secretary,
        "import_plan_measures",
        &[
            ("meeting_id", meeting.as_str()),
            ("material_id", material.as_str()),
        ],
    )
    .await;
    let again = refused(
        &mut secretary,
        "import_plan_measures",
        &[
            ("meeting_id", meeting.as_str()),
            ("material_id", material.as_str()),
        ],
    )
    .await;
    assert!(matches!(again, AppError::Invalid(m) if m.contains("已经全部列入")));

    let view = plan(&mut secretary, &meeting).await;
    let sources: Vec<&str> = view
        .rows
        .iter()
        .map(|row| row.source_label.as_str())
        .collect();
    assert_eq!(
        sources,
        [
            "督导组点评",
            "巡察（县委第二巡察组，县巡反〔2026〕2号）",
            "征求意见",
            "对照检查材料"
        ]
    );
    assert_eq!(view.rows[2].problem, "支部学习形式比较单一");
    assert_eq!(view.rows[3].task, "每月精读原著2篇");
    assert_eq!(
        view.rows.iter().map(|row| row.number).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );

    // Ledger items: 张明 leads all four (the measure counted once, not twice).
    let mine = my_ledger(&mut zhang).await;
    assert_eq!(mine.total, 4, "{mine:?}");
    let branch = demo_meeting(&mut secretary).await.0.branch_id;
    let ledger: LedgerList = ok(&mut secretary, "branch_ledger", &[("branch_id", &branch)])
        .await
        .json();
    assert_eq!(ledger.total, 4);
    // Progress on a plan item goes through the ledger as for any item.
    let detail = entry(&mut zhang, &view.rows[0].id).await;
    let noted = act(
        &mut zhang,
        &detail,
        LedgerAction::Progress,
        "已到两个村调研",
    )
    .await;
    assert!(noted.status.is_success(), "{}", noted.body);
    assert_eq!(
        plan(&mut secretary, &meeting).await.rows[0].status,
        ItemStatus::InProgress
    );

    // Removing: the measure goes back to being only 张明's item; a typed-in item with
    // history stays; one without is deleted.
    ok(
        &mut secretary,
        "remove_plan_item",
        &[
            ("meeting_id", meeting.as_str()),
            ("item_id", &view.rows[3].id),
        ],
    )
    .await;
    let kept = refused(
        &mut secretary,
        "remove_plan_item",
        &[
            ("meeting_id", meeting.as_str()),
            ("item_id", &view.rows[0].id),
        ],
    )
    .await;
    assert!(matches!(kept, AppError::Invalid(m) if m.contains("不能删除")));
    ok(
        &mut secretary,
        "remove_plan_item",
        &[
            ("meeting_id", meeting.as_str()),
            ("item_id", &view.rows[1].id),
        ],
    )
    .await;
    assert_eq!(plan(&mut secretary, &meeting).await.rows.len(), 2);
    assert_eq!(my_ledger(&mut zhang).await.total, 3);
}

#[tokio::test]
async fn every_field_is_checked_and_a_refused_form_changes_nothing() {
    let app = TestApp::new().await;
    let (mut secretary, _, meeting, owner) = setup(&app).await;
    let empty = refused(
        &mut secretary,
        "save_plan_item",
        &[("meeting_id", meeting.as_str())],
    )
    .await;
    let AppError::Invalid(message) = empty else {
        panic!("{empty:?}")
    };
    for words in [
        "请填写问题",
        "请填写整改任务",
        "请选择责任领导",
        "请填写责任部门",
        "请填写完成标准",
        "请选择整改类型",
        "请选择问题来源",
    ] {
        assert!(message.contains(words), "{words} in {message}");
    }
    let deadline = day(30);
    for (changes, words) in [
        (vec![("deadline", "下个月")], "时限请写成"),
        (vec![("deadline", "2020-01-01")], "不能早于今天"),
        (vec![("owner_id", "nobody")], "成员"),
        (vec![("kind", "long_term")], "不设时限"),
        (vec![("source", "superior")], "文号"),
        (
            vec![("source", "opinion"), ("opinion_id", "x")],
            "不属于本次会议",
        ),
    ] {
        let error = refused(
            &mut secretary,
            "save_plan_item",
            &form(&meeting, &owner, &deadline, &changes),
        )
        .await;
        assert!(
            matches!(&error, AppError::Invalid(m) if m.contains(words)),
            "{words}: {error:?}"
        );
    }
    assert!(plan(&mut secretary, &meeting).await.rows.is_empty());

    // An edit from an older revision is refused, the item unchanged.
    ok(
        &mut secretary,
        "save_plan_item",
        &form(&meeting, &owner, &deadline, &[]),
    )
    .await;
    let row = plan(&mut secretary, &meeting).await.rows[0].clone();
    let revision = row.revision.to_string();
    let mut edit = form(&meeting, &owner, &deadline, &[("task", "每月蹲点调研1次")]);
    edit.push(("item_id", row.id.as_str()));
    edit.push(("revision", revision.as_str()));
    ok(&mut secretary, "save_plan_item", &edit).await;
    assert_eq!(
        plan(&mut secretary, &meeting).await.rows[0].task,
        "每月蹲点调研1次"
    );
    let stale = refused(&mut secretary, "save_plan_item", &edit).await;
    assert!(matches!(stale, AppError::Conflict(_)), "{stale:?}");
}

#[tokio::test]
async fn the_plan_docx_holds_the_three_lists_as_tables() {
    let app = TestApp::new().await;
    let (mut secretary, _, meeting, owner) = setup(&app).await;
    let deadline = day(60);
    ok(
        &mut secretary,
        "save_plan_item",
        &form(&meeting, &owner, &deadline, &[]),
    )
    .await;
    let reply = secretary
        .get(&format!("/meetings/{meeting}/rectification/plan.docx"))
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let xml = document_xml(&reply.bytes);
    assert_eq!(xml.matches("<w:tbl>").count(), 3, "{xml}");
    for words in [
        "整改方案",
        "一、问题清单",
        "二、任务清单",
        "三、责任清单",
        "来源",
        "完成标准",
        "责任领导",
        "责任部门",
        "调查研究不够深入",
        "督导组点评",
        "形成调研报告4篇",
        "张明",
        "办公室",
        "限期整改",
    ] {
        assert!(xml.contains(words), "{words}");
    }
}

#[tokio::test]
async fn the_report_counts_items_as_they_stood_on_the_chosen_day() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, meeting, owner) = setup(&app).await;
    let deadline = day(60);
    ok(
        &mut secretary,
        "save_plan_item",
        &form(&meeting, &owner, &deadline, &[]),
    )
    .await;
    ok(
        &mut secretary,
        "save_plan_item",
        &form(
            &meeting,
            &owner,
            &deadline,
            &[("task", "建立调研成果转化台账")],
        ),
    )
    .await;
    let view = plan(&mut secretary, &meeting).await;
    let detail = entry(&mut zhang, &view.rows[0].id).await;
    let done = act(
        &mut zhang,
        &detail,
        LedgerAction::ReportDone,
        "已完成4次蹲点调研",
    )
    .await;
    assert!(done.status.is_success(), "{}", done.body);
    let detail = entry(&mut secretary, &view.rows[0].id).await;
    let closed = act(&mut secretary, &detail, LedgerAction::Confirm, "").await;
    assert!(closed.status.is_success(), "{}", closed.body);

    let report = |on: String| format!("/meetings/{meeting}/rectification/report.docx?on={on}");
    let today = document_xml(&secretary.get(&report(day(0))).await.bytes);
    assert!(today.contains("整改落实情况报告"));
    assert!(today.contains("共列整改事项2项，其中已销号1项"), "{today}");
    assert!(today.contains("未启动1项"));
    assert!(
        today.contains("已完成4次蹲点调研"),
        "the latest report per item"
    );
    // The day before, the plan did not exist yet; far ahead, the open item is late.
    let before = document_xml(&secretary.get(&report(day(-1))).await.bytes);
    assert!(before.contains("共列整改事项0项"), "{before}");
    let later = document_xml(&secretary.get(&report(day(90))).await.bytes);
    assert!(later.contains("逾期未完成1项"), "{later}");
    let bad = secretary.get(&report("明天".into())).await;
    assert_eq!(bad.status.as_u16(), 400);
    assert!(bad.body.contains("统计日期"));
}

#[tokio::test]
async fn an_immediate_item_is_due_within_a_month_and_never_extended() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, meeting, owner) = setup(&app).await;
    let far = day(45);
    let too_late = refused(
        &mut secretary,
        "save_plan_item",
        &form(&meeting, &owner, &far, &[("kind", "immediate")]),
    )
    .await;
    assert!(matches!(too_late, AppError::Invalid(m) if m.contains("30 天")));
    let soon = day(5);
    ok(
        &mut secretary,
        "save_plan_item",
        &form(&meeting, &owner, &soon, &[("kind", "immediate")]),
    )
    .await;
    let row = plan(&mut secretary, &meeting).await.rows[0].clone();
    assert_eq!(row.kind_label, "立行立改");
    // Five days ahead is within the red tier (10 days): it warns like dated work.
    assert_eq!(row.urgency, Urgency::DueVerySoon);
    let detail = entry(&mut zhang, &row.id).await;
    assert!(!detail.actions.contains(&LedgerAction::RequestExtension));
    let revision = detail.revision.to_string();
    let until = day(20);
    let extension = zhang
        .call(
            "act_on_ledger_item",
            &[
                ("item_id", row.id.as_str()),
                ("revision", revision.as_str()),
                ("action", "request_extension"),
                ("until", until.as_str()),
                ("text", "工作较忙"),
            ],
        )
        .await;
    assert!(matches!(extension.error(), AppError::Invalid(m) if m.contains("立行立改")));
}

/// Makes a node's administrator and logs them in (as `tree.rs` does).
async fn node_admin(app: &TestApp, admin: &mut Client, node_id: &str) -> Client {
    let issued: xingshen::server::users::IssuedPassword = ok(
        admin,
        "create_node_admin",
        &[
            ("node_id", node_id),
            ("name", "总支管理员"),
            ("login", "zongzhi"),
            ("post", "组织委员"),
        ],
    )
    .await
    .json();
    let mut client = app.logged_in_with("zongzhi", &issued.password).await;
    ok(
        &mut client,
        "change_password",
        &[
            ("current", issued.password.as_str()),
            ("new", "总支管理员-口令-2026"),
            ("confirm", "总支管理员-口令-2026"),
        ],
    )
    .await;
    client
}

#[tokio::test]
async fn the_secretary_closes_unless_the_pack_gives_closure_to_the_superior() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, meeting, owner) = setup(&app).await;
    let deadline = day(60);
    for task in ["任务一", "任务二"] {
        ok(
            &mut secretary,
            "save_plan_item",
            &form(&meeting, &owner, &deadline, &[("task", task)]),
        )
        .await;
    }
    let rows = plan(&mut secretary, &meeting).await.rows;
    for row in &rows {
        let detail = entry(&mut zhang, &row.id).await;
        let done = act(&mut zhang, &detail, LedgerAction::ReportDone, "已完成").await;
        assert!(done.status.is_success(), "{}", done.body);
    }

    // Without the flag: the secretary closes, the owner never.
    let first = entry(&mut secretary, &rows[0].id).await;
    assert!(first.actions.contains(&LedgerAction::Confirm));
    assert!(
        !entry(&mut zhang, &rows[0].id)
            .await
            .actions
            .contains(&LedgerAction::Confirm)
    );
    let closed = act(&mut secretary, &first, LedgerAction::Confirm, "").await;
    assert!(closed.status.is_success(), "{}", closed.body);

    // The branch under a 党总支 with its own administrator; the pack gives 销号 to the 上级.
    let mut top = app.logged_in("admin").await;
    let tree: xingshen::server::tree::TreeView = ok(&mut top, "org_tree", &[]).await.json();
    let top_id = tree.nodes[0].id.clone();
    ok(
        &mut top,
        "create_org_node",
        &[
            ("parent_id", top_id.as_str()),
            ("name", "机关党总支"),
            ("kind", "党总支"),
        ],
    )
    .await;
    let tree: xingshen::server::tree::TreeView = ok(&mut top, "org_tree", &[]).await.json();
    let general = tree
        .nodes
        .iter()
        .find(|n| n.name == "机关党总支")
        .unwrap()
        .id
        .clone();
    let branch = demo_meeting(&mut secretary).await.0.branch_id;
    ok(
        &mut top,
        "move_branch",
        &[
            ("branch_id", branch.as_str()),
            ("node_id", general.as_str()),
        ],
    )
    .await;
    let mut general_admin = node_admin(&app, &mut top, &general).await;
    let mut record = app.store.meeting(&meeting).await.unwrap().unwrap();
    record.template.closure_by_superior = true;
    app.store
        .update_meeting_template(
            &meeting,
            &record.template,
            &xingshen::store::AuditEntry::new("test"),
        )
        .await
        .unwrap();
    let view = plan(&mut secretary, &meeting).await;
    assert!(view.closure.contains("上级"));

    let second = entry(&mut secretary, &rows[1].id).await;
    assert!(!second.actions.contains(&LedgerAction::Confirm));
    let by_secretary = act(&mut secretary, &second, LedgerAction::Confirm, "").await;
    assert!(matches!(by_secretary.error(), AppError::Invalid(m) if m.contains("上级")));
    // The administrator of the branch's own node is not above it.
    let own_node = entry(&mut general_admin, &rows[1].id).await;
    assert!(!own_node.actions.contains(&LedgerAction::Confirm));
    let by_own_node = act(&mut general_admin, &own_node, LedgerAction::Confirm, "").await;
    assert!(by_own_node.error().to_string().contains("上级"));
    // The administrator above closes it.
    let above = entry(&mut top, &rows[1].id).await;
    assert!(above.actions.contains(&LedgerAction::Confirm));
    let by_top = act(&mut top, &above, LedgerAction::Confirm, "").await;
    assert!(by_top.status.is_success(), "{}", by_top.body);
    assert_eq!(
        plan(&mut secretary, &meeting).await.rows[1].status,
        ItemStatus::Closed
    );
}

#[tokio::test]
async fn a_member_and_another_branch_reach_nothing() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, meeting, owner) = setup(&app).await;
    let deadline = day(60);
    ok(
        &mut secretary,
        "save_plan_item",
        &form(&meeting, &owner, &deadline, &[]),
    )
    .await;
    let item = plan(&mut secretary, &meeting).await.rows[0].id.clone();
    let mut other = app.logged_in("shuji2").await;
    for client in [&mut zhang, &mut other] {
        assert_eq!(
            refused(
                client,
                "rectification_plan",
                &[("meeting_id", meeting.as_str())]
            )
            .await,
            AppError::NotFound
        );
        assert_eq!(
            refused(
                client,
                "save_plan_item",
                &form(&meeting, &owner, &deadline, &[])
            )
            .await,
            AppError::NotFound
        );
        assert_eq!(
            refused(
                client,
                "remove_plan_item",
                &[("meeting_id", meeting.as_str()), ("item_id", item.as_str())]
            )
            .await,
            AppError::NotFound
        );
        let file = client
            .get(&format!("/meetings/{meeting}/rectification/plan.docx"))
            .await;
        assert_eq!(file.status.as_u16(), 404);
    }
    // Another branch's secretary cannot slip an item into this meeting through their own.
    assert_eq!(plan(&mut secretary, &meeting).await.rows.len(), 1);
}
