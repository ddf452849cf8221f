//! 整改台账 through HTTP: submitted measures become items that follow the text until the
//! material is approved; the owner records progress and reports completion, the secretary
//! confirms — never the other way round — and nobody else reaches an item.

use crate::editor::{editor, save, step_of};
use crate::sessions::{demo_session, fill, session_form, start, submit};
use crate::support::{Client, TestApp};
use xingshen::domain::ledger::{ItemStatus, Urgency};
use xingshen::domain::material::PartKind;
use xingshen::server::AppError;
use xingshen::server::ledger::{LedgerAction, LedgerDetail, LedgerList};
use xingshen::server::materials::SaveReply;

/// Adds (or rewrites) the material's one structured measure, linked to its problem.
async fn write_measure(member: &mut Client, material: &str, version: i64, text: &str) -> i64 {
    let view = editor(member, material).await;
    let measures = step_of(&view, PartKind::Measures);
    let problems: usize = step_of(&view, PartKind::Problems).parse().unwrap();
    let problem_id = view.content.parts[problems].items[0].id.0.clone();
    let index: usize = measures.parse().unwrap();
    let mut version = version;
    let existing = view.content.parts[index]
        .items
        .first()
        .map(|m| m.id.0.clone());
    let measure_id = match existing {
        Some(id) => id,
        None => {
            let added: SaveReply = save(
                member,
                material,
                version,
                &format!("add-measure-{version}"),
                &measures,
                &[("op", "add")],
            )
            .await
            .json();
            version = added.version;
            editor(member, material).await.content.parts[index].items[0]
                .id
                .0
                .clone()
        }
    };
    let saved: SaveReply = save(
        member,
        material,
        version,
        &format!("measure-{version}"),
        &measures,
        &[
            ("item.0.id", &measure_id),
            ("item.0.text", text),
            ("item.0.links_shown", "1"),
            ("item.0.link", &problem_id),
            ("item.0.deadline", "2099-06-30"),
            ("item.0.standard", "读书笔记12篇"),
        ],
    )
    .await
    .json();
    saved.version
}

async fn my_ledger(member: &mut Client) -> LedgerList {
    let reply = member.call("my_ledger", &[]).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

async fn entry(client: &mut Client, item: &str) -> LedgerDetail {
    let reply = client.call("ledger_entry", &[("item_id", item)]).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

async fn act(
    client: &mut Client,
    item: &LedgerDetail,
    action: LedgerAction,
    fields: &[(&str, &str)],
) -> crate::support::Reply {
    let revision = item.revision.to_string();
    let mut form = vec![
        ("item_id", item.row.id.as_str()),
        ("revision", revision.as_str()),
        ("action", action.code()),
    ];
    form.extend_from_slice(fields);
    client.call("act_on_ledger_item", &form).await
}

async fn decide(secretary: &mut Client, material: &str, round: &str, decision: &str) {
    let reply = secretary
        .call(
            "decide_material",
            &[
                ("material_id", material),
                ("round", round),
                ("decision", decision),
                ("reason", "请把措施写具体"),
            ],
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
}

/// 张明's material submitted with one dated measure; returns (material, item id).
async fn submitted_measure(app: &TestApp) -> (Client, Client, String, String) {
    let mut secretary = app.logged_in("shuji1").await;
    let (_, session) = demo_session(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &session).await;
    let version = fill(&mut zhang, &material, "学用结合不够紧密").await;
    let version = write_measure(&mut zhang, &material, version, "每月精读原著2篇").await;
    submit(&mut zhang, &material, version).await;
    let list = my_ledger(&mut zhang).await;
    assert_eq!(list.total, 1, "{list:?}");
    let item = list.rows[0].id.clone();
    (secretary, zhang, material, item)
}

#[tokio::test]
async fn submitted_measures_become_items_that_follow_the_text_until_approval() {
    let app = TestApp::new().await;
    let mut zhang = app.logged_in("zhangming").await;
    assert_eq!(
        my_ledger(&mut zhang).await.total,
        0,
        "a draft makes no items"
    );
    drop(zhang);
    let (mut secretary, mut zhang, material, item) = submitted_measure(&app).await;

    let row = &my_ledger(&mut zhang).await.rows[0];
    assert_eq!(row.measure, "每月精读原著2篇");
    assert_eq!(row.problem, "学用结合不够紧密");
    assert_eq!(row.standard, "读书笔记12篇");
    assert_eq!(row.deadline, "2099-06-30");
    assert_eq!(row.kind, "限期整改");
    assert_eq!(row.status, ItemStatus::NotStarted);
    assert_eq!(row.urgency, Urgency::None);
    assert_eq!(row.owner_name, "张明");

    // Returned, rewritten and resubmitted: the same item follows the new text.
    decide(&mut secretary, &material, "1", "returned").await;
    let version = editor(&mut zhang, &material).await.version;
    let version = write_measure(&mut zhang, &material, version, "每月精读原著3篇并撰写体会").await;
    submit(&mut zhang, &material, version).await;
    let list = my_ledger(&mut zhang).await;
    assert_eq!(list.total, 1);
    assert_eq!(list.rows[0].id, item);
    assert_eq!(list.rows[0].measure, "每月精读原著3篇并撰写体会");

    // The secretary's branch ledger holds it too.
    let branch = demo_session(&mut secretary).await.0.branch_id;
    let ledger: LedgerList = secretary
        .call("branch_ledger", &[("branch_id", &branch)])
        .await
        .json();
    assert!(ledger.rows.iter().any(|row| row.id == item));
    assert!(ledger.title.contains("整改台账"));

    // Approved: the item lives on its own. (A later edit cannot reach it: an approved
    // material is not editable and cannot be submitted again.)
    decide(&mut secretary, &material, "2", "approved").await;
    let stored = app.store.ledger_item(&item).await.unwrap().unwrap();
    assert!(stored.settled);
}

#[tokio::test]
async fn the_owner_reports_progress_and_completion_and_only_the_secretary_closes() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, _, item) = submitted_measure(&app).await;

    let detail = entry(&mut zhang, &item).await;
    assert!(detail.actions.contains(&LedgerAction::Progress));
    assert!(detail.actions.contains(&LedgerAction::ReportDone));
    assert!(!detail.actions.contains(&LedgerAction::Confirm));

    // Bad input is refused in Chinese and changes nothing.
    let empty = act(
        &mut zhang,
        &detail,
        LedgerAction::Progress,
        &[("text", " ")],
    )
    .await;
    assert!(matches!(empty.error(), AppError::Invalid(m) if m.contains("进展")));
    let future = act(
        &mut zhang,
        &detail,
        LedgerAction::Progress,
        &[("text", "已读1篇"), ("on", "2999-01-01")],
    )
    .await;
    assert!(matches!(future.error(), AppError::Invalid(m) if m.contains("今天")));
    let bad_date = act(
        &mut zhang,
        &detail,
        LedgerAction::Progress,
        &[("text", "已读1篇"), ("on", "下周")],
    )
    .await;
    assert!(matches!(bad_date.error(), AppError::Invalid(m) if m.contains("日期")));
    assert_eq!(entry(&mut zhang, &item).await.revision, detail.revision);

    let noted = act(
        &mut zhang,
        &detail,
        LedgerAction::Progress,
        &[("text", "已读《实践论》")],
    )
    .await;
    assert!(noted.status.is_success(), "{}", noted.body);
    let detail = entry(&mut zhang, &item).await;
    assert_eq!(detail.row.status, ItemStatus::InProgress);
    assert_eq!(detail.notes.len(), 1);
    assert_eq!(detail.notes[0].text, "已读《实践论》");

    // The secretary may not write the owner's progress nor close an item not reported.
    let by_secretary = act(
        &mut secretary,
        &detail,
        LedgerAction::Progress,
        &[("text", "代写")],
    )
    .await;
    assert!(matches!(by_secretary.error(), AppError::Invalid(_)));
    let too_early = act(&mut secretary, &detail, LedgerAction::Confirm, &[]).await;
    assert!(matches!(too_early.error(), AppError::Invalid(m) if m.contains("整改中")));

    // A stale form is refused, not applied over the newer state.
    let stale = act(
        &mut zhang,
        &LedgerDetail {
            revision: detail.revision - 1,
            ..detail.clone()
        },
        LedgerAction::Progress,
        &[("text", "重复提交")],
    )
    .await;
    assert!(matches!(stale.error(), AppError::Conflict(_)));

    let no_evidence = act(
        &mut zhang,
        &detail,
        LedgerAction::ReportDone,
        &[("text", "")],
    )
    .await;
    assert!(matches!(no_evidence.error(), AppError::Invalid(m) if m.contains("完成情况")));
    let reported = act(
        &mut zhang,
        &detail,
        LedgerAction::ReportDone,
        &[("text", "全年精读原著24篇，笔记12篇")],
    )
    .await;
    assert!(reported.status.is_success(), "{}", reported.body);
    let detail = entry(&mut zhang, &item).await;
    assert_eq!(detail.row.status, ItemStatus::AwaitingClose);
    let own_close = act(&mut zhang, &detail, LedgerAction::Confirm, &[]).await;
    assert!(matches!(own_close.error(), AppError::Invalid(m) if m.contains("不能为自己")));

    let detail = entry(&mut secretary, &item).await;
    assert!(detail.actions.contains(&LedgerAction::Confirm));
    assert!(detail.actions.contains(&LedgerAction::SendBack));
    let closed = act(&mut secretary, &detail, LedgerAction::Confirm, &[]).await;
    assert!(closed.status.is_success(), "{}", closed.body);
    let detail = entry(&mut zhang, &item).await;
    assert_eq!(detail.row.status, ItemStatus::Closed);
    assert!(
        detail
            .closed
            .as_deref()
            .is_some_and(|c| c.contains("李红梅"))
    );
    assert_eq!(detail.notes.len(), 3);
    assert_eq!(
        app.store
            .count_audit("ledger.change", Some(&item))
            .await
            .unwrap(),
        3
    );
    let list = my_ledger(&mut zhang).await;
    assert_eq!((list.total, list.closed), (1, 1));

    // Reopened with a reason (反弹).
    let no_reason = act(&mut secretary, &detail, LedgerAction::Reopen, &[]).await;
    assert!(matches!(no_reason.error(), AppError::Invalid(m) if m.contains("理由")));
    let reopened = act(
        &mut secretary,
        &detail,
        LedgerAction::Reopen,
        &[("text", "问题反弹")],
    )
    .await;
    assert!(reopened.status.is_success(), "{}", reopened.body);
    assert_eq!(
        entry(&mut zhang, &item).await.row.status,
        ItemStatus::InProgress
    );
}

#[tokio::test]
async fn an_extension_is_asked_by_the_owner_and_approved_by_the_secretary() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, _, item) = submitted_measure(&app).await;
    let detail = entry(&mut zhang, &item).await;
    let earlier = act(
        &mut zhang,
        &detail,
        LedgerAction::RequestExtension,
        &[("until", "2099-01-01"), ("text", "调研未完成")],
    )
    .await;
    assert!(matches!(earlier.error(), AppError::Invalid(m) if m.contains("晚于")));
    let asked = act(
        &mut zhang,
        &detail,
        LedgerAction::RequestExtension,
        &[("until", "2099年12月31日"), ("text", "调研未完成")],
    )
    .await;
    assert!(asked.status.is_success(), "{}", asked.body);
    let detail = entry(&mut secretary, &item).await;
    assert!(detail.row.extension_pending);
    assert!(detail.actions.contains(&LedgerAction::ApproveExtension));
    let approved = act(&mut secretary, &detail, LedgerAction::ApproveExtension, &[]).await;
    assert!(approved.status.is_success(), "{}", approved.body);
    let row = entry(&mut zhang, &item).await.row;
    assert_eq!(row.deadline, "2099-12-31");
    assert_eq!(row.original_deadline.as_deref(), Some("2099-06-30"));
    assert!(!row.extension_pending);
}

#[tokio::test]
async fn nobody_but_the_owner_and_the_branch_reviewers_reaches_an_item() {
    let app = TestApp::new().await;
    let (mut secretary, _, _, item) = submitted_measure(&app).await;
    let branch = demo_session(&mut secretary).await.0.branch_id;

    let mut admin = app.logged_in("admin").await;
    let detail = entry(&mut admin, &item).await;
    assert!(
        !detail.actions.contains(&LedgerAction::Progress),
        "a reviewer, not the owner"
    );
    let reply = admin.call("branch_ledger", &[("branch_id", &branch)]).await;
    assert!(reply.status.is_success(), "{}", reply.body);

    for login in ["liufang", "shuji2", "chenjing"] {
        let mut client = app.logged_in(login).await;
        let seen = client.call("ledger_entry", &[("item_id", &item)]).await;
        assert_eq!(seen.error(), AppError::NotFound, "{login}");
        let changed = act(&mut client, &detail, LedgerAction::Confirm, &[]).await;
        assert_eq!(changed.error(), AppError::NotFound, "{login}");
        let ledger = client
            .call("branch_ledger", &[("branch_id", &branch)])
            .await;
        assert_eq!(ledger.error(), AppError::NotFound, "{login}");
        assert_eq!(my_ledger(&mut client).await.total, 0, "{login}");
    }
    let mut visitor = app.client();
    for (function, fields) in [
        ("ledger_entry", vec![("item_id", item.as_str())]),
        ("branch_ledger", vec![("branch_id", branch.as_str())]),
        ("my_ledger", vec![]),
    ] {
        let reply = visitor.call(function, &fields).await;
        assert_eq!(reply.error(), AppError::Unauthenticated, "{function}");
    }
}

#[tokio::test]
async fn the_ledger_pages_render_on_the_server_with_filters_that_work_without_javascript() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, _, item) = submitted_measure(&app).await;
    let branch = demo_session(&mut secretary).await.0.branch_id;

    let mine = zhang.get("/ledger").await.text();
    assert!(!mine.contains("服务器暂时出错"), "{mine}");
    assert!(
        mine.contains("我的整改") && mine.contains("每月精读原著2篇"),
        "{mine}"
    );
    assert!(mine.contains("共 1 项"), "{mine}");
    assert!(mine.contains("导出台账（Excel）"), "{mine}");
    let filtered = zhang.get("/ledger?status=closed").await.text();
    assert!(!filtered.contains("每月精读原著2篇"), "{filtered}");
    assert!(filtered.contains("没有符合条件的整改事项"));

    let page = zhang.get(&format!("/ledger/item/{item}")).await.text();
    assert!(page.contains("完成标准读书笔记12篇"), "{page}");
    assert!(
        page.contains("报告完成，申请销号") && !page.contains("对账销号"),
        "{page}"
    );
    let page = secretary.get(&format!("/ledger/item/{item}")).await.text();
    assert!(
        !page.contains("报告完成，申请销号") && !page.contains("记录进展"),
        "{page}"
    );

    let ledger = secretary
        .get(&format!("/ledger/branch/{branch}"))
        .await
        .text();
    assert!(
        ledger.contains("整改台账") && ledger.contains("张明"),
        "{ledger}"
    );
    let mut other = app.logged_in("shuji2").await;
    let hidden = other.get(&format!("/ledger/item/{item}")).await;
    assert!(
        hidden.text().contains("没有找到") || hidden.status == 404,
        "{}",
        hidden.body
    );
    assert!(!hidden.text().contains("每月精读原著"));
}

#[tokio::test]
async fn the_next_session_starts_from_how_the_last_measures_stand() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, material, item) = submitted_measure(&app).await;
    decide(&mut secretary, &material, "1", "approved").await;
    let detail = entry(&mut zhang, &item).await;
    let reported = act(
        &mut zhang,
        &detail,
        LedgerAction::ReportDone,
        &[("text", "全年精读原著24篇")],
    )
    .await;
    assert!(reported.status.is_success(), "{}", reported.body);
    let detail = entry(&mut secretary, &item).await;
    let closed = act(&mut secretary, &detail, LedgerAction::Confirm, &[]).await;
    assert!(closed.status.is_success(), "{}", closed.body);

    let (branch, _) = demo_session(&mut secretary).await;
    let created = secretary
        .call(
            "create_session",
            &session_form(
                &branch.branch_id,
                &[
                    ("template", "branch-2024"),
                    ("plan[kind]", "branch"),
                    ("plan[title]", "2027年度组织生活会"),
                    ("plan[everyone]", "true"),
                ],
            ),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let next_session = demo_session(&mut secretary)
        .await
        .0
        .sessions
        .into_iter()
        .find(|s| s.title == "2027年度组织生活会")
        .expect("the new session is listed")
        .id;
    let next = start(&mut zhang, &next_session).await;
    let view = editor(&mut zhang, &next).await;
    let carryover = view
        .content
        .part(PartKind::Carryover)
        .expect("the template has the part");
    assert_eq!(
        carryover.paragraphs,
        vec![
            "上次提出的1项整改措施中，已完成整改销号1项，长期坚持0项，正在整改0项。".to_string(),
            "每月精读原著2篇：已完成整改。全年精读原著24篇。".to_string(),
        ]
    );

    // 刘芳 had no items: her part starts empty.
    let mut liu = app.logged_in("liufang").await;
    let hers = start(&mut liu, &next_session).await;
    let view = editor(&mut liu, &hers).await;
    assert!(
        view.content
            .part(PartKind::Carryover)
            .unwrap()
            .paragraphs
            .iter()
            .all(|p| p.is_empty())
    );
}

#[tokio::test]
async fn the_demo_history_fills_the_ledger_with_warnings_and_this_years_carry_over() {
    let store = xingshen::store::Store::in_memory().await.unwrap();
    xingshen::seed::create_demo(&store).await.unwrap();
    xingshen::seed::create_demo_history(&store).await.unwrap();
    let app = TestApp::with_store(store);
    let mut zhang = app.logged_in("zhangming").await;
    let list = my_ledger(&mut zhang).await;
    assert_eq!(
        (list.total, list.overdue, list.due_soon),
        (2, 1, 1),
        "{list:?}"
    );
    let overdue = list
        .rows
        .iter()
        .find(|row| row.urgency == Urgency::Overdue)
        .unwrap();
    assert_eq!(overdue.status, ItemStatus::InProgress);
    assert_eq!(overdue.category, "联系服务群众方面");
    let soon = list.rows.iter().find(|row| row.id != overdue.id).unwrap();
    assert_eq!(soon.urgency, Urgency::DueVerySoon, "8 days left is red");

    let mut secretary = app.logged_in("shuji1").await;
    let (branch, session) = demo_session(&mut secretary).await;
    assert_eq!(
        branch.sessions.len(),
        2,
        "this year's session and last year's"
    );
    let ledger: LedgerList = secretary
        .call("branch_ledger", &[("branch_id", &branch.branch_id)])
        .await
        .json();
    assert_eq!(ledger.total, 2);

    // This year's session is the demo one, not last year's.
    let this_year = branch
        .sessions
        .iter()
        .find(|s| s.title == xingshen::seed::DEMO_MEETING)
        .unwrap()
        .id
        .clone();
    assert_eq!(session, this_year, "the newest session is listed first");
    let material = start(&mut zhang, &this_year).await;
    let view = editor(&mut zhang, &material).await;
    let carryover = &view.content.part(PartKind::Carryover).unwrap().paragraphs;
    assert_eq!(
        carryover[0],
        "上次提出的2项整改措施中，已完成整改销号0项，长期坚持0项，正在整改2项。"
    );
    assert!(
        carryover[1].contains("已走访社区5次，问题清单初稿已形成"),
        "{carryover:?}"
    );
}

#[tokio::test]
async fn the_ledger_downloads_as_a_sheet_for_the_owner_and_the_branch_reviewers_only() {
    use calamine::{Data, Reader, Xlsx};
    let store = xingshen::store::Store::in_memory().await.unwrap();
    xingshen::seed::create_demo(&store).await.unwrap();
    xingshen::seed::create_demo_history(&store).await.unwrap();
    let app = TestApp::with_store(store);
    let mut zhang = app.logged_in("zhangming").await;
    let mut secretary = app.logged_in("shuji1").await;
    let branch = demo_session(&mut secretary).await.0.branch_id;
    let list = my_ledger(&mut zhang).await;
    assert_eq!(list.export, "/ledger/mine.xlsx");

    let sheet = zhang.get("/ledger/mine.xlsx").await;
    assert!(sheet.status.is_success(), "{}", sheet.body);
    let mut book = Xlsx::new(std::io::Cursor::new(sheet.bytes.clone())).unwrap();
    let range = book.worksheet_range("整改台账").unwrap();
    assert_eq!(range.height(), 4, "title, header and two items");
    let column = |c: u32| -> Vec<String> {
        (2..4)
            .map(|r| match range.get_value((r, c)) {
                Some(Data::String(s)) => s.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert!(
        column(5)
            .iter()
            .any(|m| m.starts_with("每季度到联系社区走访"))
    );
    assert!(
        column(10).iter().any(|p| p.contains("已走访社区5次")),
        "{:?}",
        column(10)
    );
    assert!(column(13).contains(&"逾期".to_string()));

    let branch_sheet = secretary
        .get(&format!("/ledger/branch/{branch}/ledger.xlsx"))
        .await;
    assert!(branch_sheet.status.is_success());
    assert_eq!(
        app.store
            .count_audit("ledger.export", Some(&branch))
            .await
            .unwrap(),
        1
    );
    for login in ["zhangming", "shuji2", "chenjing"] {
        let mut client = app.logged_in(login).await;
        let refused = client
            .get(&format!("/ledger/branch/{branch}/ledger.xlsx"))
            .await;
        assert_eq!(refused.status, 404, "{login}");
    }
    let anonymous = app.client().get("/ledger/mine.xlsx").await;
    assert_eq!(anonymous.status, 404);
}
