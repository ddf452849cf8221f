//! 整改台账 through HTTP: submitted measures become items that follow the text until the
//! material is approved; the owner records progress and reports completion, the secretary
//! confirms — never the other way round — and nobody else reaches an item.

use crate::editor::{editor, save, step_of};
use crate::meetings::{demo_meeting, fill, meeting_form, start, submit};
use crate::support::{Client, TestApp};
use xingshen::domain::ledger::{ItemStatus, Urgency};
use xingshen::domain::material::PartKind;
use xingshen::server::AppError;
use xingshen::server::calendar::CalendarLink;
use xingshen::server::ledger::{
    LedgerAction, LedgerDetail, LedgerList, PublishedList, ReminderView,
};
use xingshen::server::materials::SaveReply;

/// Adds (or rewrites) the material's one structured measure, linked to its problem.
pub(crate) async fn write_measure(
    member: &mut Client,
    material: &str,
    version: i64,
    text: &str,
) -> i64 {
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

pub(crate) async fn my_ledger(member: &mut Client) -> LedgerList {
    let reply = member.call("my_ledger", &[]).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

pub(crate) async fn entry(client: &mut Client, item: &str) -> LedgerDetail {
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

pub(crate) async fn decide(secretary: &mut Client, material: &str, round: &str, decision: &str) {
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
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
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
    let branch = demo_meeting(&mut secretary).await.0.branch_id;
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
    let branch = demo_meeting(&mut secretary).await.0.branch_id;

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
    let branch = demo_meeting(&mut secretary).await.0.branch_id;

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
async fn the_next_meeting_starts_from_how_the_last_measures_stand() {
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

    let (branch, _) = demo_meeting(&mut secretary).await;
    let created = secretary
        .call(
            "create_meeting",
            &meeting_form(
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
    let next_meeting = demo_meeting(&mut secretary)
        .await
        .0
        .meetings
        .into_iter()
        .find(|s| s.title == "2027年度组织生活会")
        .expect("the new meeting is listed")
        .id;
    let next = start(&mut zhang, &next_meeting).await;
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
    let hers = start(&mut liu, &next_meeting).await;
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
    let store = crate::support::fresh_store().await;
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
    let (branch, meeting) = demo_meeting(&mut secretary).await;
    assert_eq!(
        branch.meetings.len(),
        2,
        "this year's meeting and last year's"
    );
    let ledger: LedgerList = secretary
        .call("branch_ledger", &[("branch_id", &branch.branch_id)])
        .await
        .json();
    assert_eq!(ledger.total, 2);

    // This year's meeting is the demo one, not last year's.
    let this_year = branch
        .meetings
        .iter()
        .find(|s| s.title == xingshen::seed::DEMO_MEETING)
        .unwrap()
        .id
        .clone();
    assert_eq!(meeting, this_year, "the newest meeting is listed first");
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
    // 序号 count the rows of the list shown, whatever the item's place in its material.
    for urgency in ["overdue", "soon"] {
        let page = secretary
            .get(&format!(
                "/ledger/branch/{}?urgency={urgency}",
                branch.branch_id
            ))
            .await
            .body;
        let page = page.replace("<!>", "");
        let rows: Vec<&str> = page.split("<tr class=\"urgency-").skip(1).collect();
        assert_eq!(rows.len(), 1, "{page}");
        assert!(rows[0].contains("\"><td>1</td>"), "{}", rows[0]);
    }

    // The app wrote that part from last year's measures: the untouched draft repeats nobody.
    let check: xingshen::server::meetings::SimilarityView = zhang
        .call("similarity_check", &[("material_id", &material)])
        .await
        .json();
    assert_eq!((check.own_past, check.in_meeting), (None, None));
}

#[tokio::test]
async fn the_ledger_downloads_as_a_sheet_for_the_owner_and_the_branch_reviewers_only() {
    use calamine::{Data, Reader, Xlsx};
    let store = crate::support::fresh_store().await;
    xingshen::seed::create_demo(&store).await.unwrap();
    xingshen::seed::create_demo_history(&store).await.unwrap();
    let app = TestApp::with_store(store);
    let mut zhang = app.logged_in("zhangming").await;
    let mut secretary = app.logged_in("shuji1").await;
    let branch = demo_meeting(&mut secretary).await.0.branch_id;
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

async fn attach(
    client: &mut Client,
    item: &str,
    name: &str,
    bytes: &[u8],
) -> crate::support::Reply {
    client
        .upload_with(
            "attach_ledger_evidence",
            &[("item_id", item), ("text", "第一季度读书笔记")],
            "file",
            name,
            bytes,
        )
        .await
}

#[tokio::test]
async fn evidence_is_checked_stored_and_downloadable_only_by_those_who_see_the_item() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, _, item) = submitted_measure(&app).await;
    // A scan larger than one storage chunk, to prove the chunks come back in order.
    let mut scan = b"%PDF-1.7\n".to_vec();
    scan.extend((0..1_500_000u32).map(|i| (i % 251) as u8));
    let stored = attach(&mut zhang, &item, "读书笔记.pdf", &scan).await;
    assert!(stored.status.is_success(), "{}", stored.body);

    for (name, bytes, expected) in [
        ("照片.jpg", b"%PDF-1.7".to_vec(), "内容与扩展名不符"),
        ("脚本.html", b"<script>".to_vec(), "只支持"),
        ("空.pdf", Vec::new(), "空的"),
    ] {
        let refused = attach(&mut zhang, &item, name, &bytes).await;
        assert!(
            matches!(refused.error(), AppError::Invalid(ref m) if m.contains(expected)),
            "{name}: {}",
            refused.body
        );
    }
    let mut huge = b"%PDF-1.7\n".to_vec();
    huge.resize(10 * 1024 * 1024 + 10, b' ');
    let refused = attach(&mut zhang, &item, "扫描.pdf", &huge).await;
    assert!(
        matches!(refused.error(), AppError::Invalid(ref m) if m.contains("10 MB")),
        "{}",
        refused.body
    );

    let detail = entry(&mut zhang, &item).await;
    assert_eq!(
        detail.evidence.len(),
        1,
        "refused files leave nothing behind"
    );
    assert!(detail.may_attach);
    let file = &detail.evidence[0];
    assert_eq!(file.name, "读书笔记.pdf");
    assert_eq!(file.size, "1.4 MB");
    let note = detail.notes.last().unwrap();
    assert_eq!(note.text, "第一季度读书笔记");
    assert_eq!(
        note.evidence.as_ref().map(|(href, _)| href),
        Some(&file.href)
    );

    for client in [&mut zhang, &mut secretary] {
        let download = client.get(&file.href).await;
        assert_eq!(download.status, 200);
        assert_eq!(download.header("content-type"), Some("application/pdf"));
        assert!(
            download
                .header("content-disposition")
                .is_some_and(|d| d.starts_with("attachment"))
        );
        assert!(download.bytes == scan, "the file comes back byte for byte");
    }
    assert_eq!(
        app.store
            .count_audit("ledger.evidence_add", Some(&item))
            .await
            .unwrap(),
        1
    );
    for login in ["liufang", "shuji2"] {
        let mut other = app.logged_in(login).await;
        assert_eq!(other.get(&file.href).await.status, 404, "{login}");
        let refused = attach(&mut other, &item, "偷看.pdf", b"%PDF-1.7").await;
        assert_eq!(refused.error(), AppError::NotFound, "{login}");
    }
    assert_eq!(app.client().get(&file.href).await.status, 404);
    assert_eq!(zhang.get("/ledger/evidence/nothing").await.status, 404);
}

#[tokio::test]
async fn evidence_stops_at_the_item_quota_with_a_message_and_nothing_stored() {
    use xingshen::domain::evidence::ITEM_QUOTA;
    let app = TestApp::new().await;
    let (_, mut zhang, _, item) = submitted_measure(&app).await;
    for n in 0..ITEM_QUOTA.files {
        let stored = attach(&mut zhang, &item, &format!("笔记{n}.pdf"), b"%PDF-1.7\n1").await;
        assert!(stored.status.is_success(), "{n}: {}", stored.body);
    }
    let refused = attach(&mut zhang, &item, "再一个.pdf", b"%PDF-1.7\n1").await;
    assert!(
        matches!(refused.error(), AppError::Invalid(ref m) if m.contains("达到上限")),
        "{}",
        refused.body
    );
    assert_eq!(
        entry(&mut zhang, &item).await.evidence.len() as u64,
        ITEM_QUOTA.files
    );
}

#[tokio::test]
async fn an_overlong_progress_note_is_refused_with_its_limit() {
    let app = TestApp::new().await;
    let (_, mut zhang, _, item) = submitted_measure(&app).await;
    let detail = entry(&mut zhang, &item).await;
    let pasted = "学".repeat(3001);
    let refused = act(
        &mut zhang,
        &detail,
        LedgerAction::Progress,
        &[("text", &pasted)],
    )
    .await;
    assert!(
        matches!(refused.error(), AppError::Invalid(ref m) if m.contains("不能超过 3000 个字")),
        "{}",
        refused.body
    );
    assert!(
        entry(&mut zhang, &item)
            .await
            .notes
            .iter()
            .all(|n| n.text != pasted)
    );
}

#[tokio::test]
async fn the_secretary_schedules_follow_ups_that_survive_a_resubmission() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, material, item) = submitted_measure(&app).await;
    let detail = entry(&mut secretary, &item).await;
    assert!(detail.actions.contains(&LedgerAction::AddFollowUp));
    assert!(
        !entry(&mut zhang, &item)
            .await
            .actions
            .contains(&LedgerAction::AddFollowUp),
        "owners do not schedule their own checks"
    );
    let added = act(
        &mut secretary,
        &detail,
        LedgerAction::AddFollowUp,
        &[("until", "2099-03-31"), ("text", "回头看读书笔记")],
    )
    .await;
    assert!(added.status.is_success(), "{}", added.body);
    let detail = entry(&mut secretary, &item).await;
    assert_eq!(detail.follow_ups, vec!["2099-03-31".to_string()]);
    assert_eq!(
        detail.notes.last().unwrap().text,
        "2099-03-31：回头看读书笔记"
    );

    let missing = act(&mut secretary, &detail, LedgerAction::AddFollowUp, &[]).await;
    assert_eq!(missing.error(), AppError::Invalid("请填写跟踪日期".into()));
    let past = act(
        &mut secretary,
        &detail,
        LedgerAction::AddFollowUp,
        &[("until", "2020-01-01")],
    )
    .await;
    assert_eq!(
        past.error(),
        AppError::Invalid("跟踪日期不能早于今天".into())
    );

    // Returned, rewritten and resubmitted: the item follows the text, the date stays.
    decide(&mut secretary, &material, "1", "returned").await;
    let version = editor(&mut zhang, &material).await.version;
    let version = write_measure(&mut zhang, &material, version, "每月精读原著3篇").await;
    submit(&mut zhang, &material, version).await;
    let detail = entry(&mut zhang, &item).await;
    assert_eq!(detail.row.measure, "每月精读原著3篇");
    assert_eq!(detail.follow_ups, vec!["2099-03-31".to_string()]);
}

/// The demo organisation with last year's meeting: 张明 has one overdue item and one due in
/// eight days.
async fn demo_with_history() -> TestApp {
    let store = crate::support::fresh_store().await;
    xingshen::seed::create_demo(&store).await.unwrap();
    xingshen::seed::create_demo_history(&store).await.unwrap();
    TestApp::with_store(store)
}

/// The person's reminders, checked against the header's count of them.
async fn reminders(client: &mut Client) -> Vec<ReminderView> {
    let reply = client.call("my_reminders", &[]).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let list: Vec<ReminderView> = reply.json();
    let count = client.call("my_reminder_count", &[]).await;
    assert!(count.status.is_success(), "{}", count.body);
    assert_eq!(
        count.json::<usize>(),
        list.len(),
        "the badge counts the list: {list:?}"
    );
    list
}

#[tokio::test]
async fn reminders_follow_the_organisations_tiers_and_reach_the_secretary_when_red() {
    let app = demo_with_history().await;
    let mut zhang = app.logged_in("zhangming").await;
    let own = reminders(&mut zhang).await;
    assert_eq!(own.len(), 2, "{own:?}");
    assert!(own[0].text.contains("已逾期"), "late first: {own:?}");
    assert!(own[1].text.contains("还有 8 天到期"), "{own:?}");
    assert!(own.iter().all(|r| r.colour == "red"));

    let mut secretary = app.logged_in("shuji1").await;
    let branch = reminders(&mut secretary).await;
    assert_eq!(branch.len(), 2, "{branch:?}");
    assert!(branch.iter().all(|r| r.text.starts_with("张明的")));
    assert!(
        reminders(&mut app.logged_in("liufang").await)
            .await
            .is_empty()
    );

    // The page and the header badge show them without JavaScript.
    let page = zhang.get("/reminders").await.body;
    assert!(
        page.contains("已逾期") && page.contains("2 条提醒"),
        "{page}"
    );

    let mut admin = app.logged_in("admin").await;
    let tiers = |yellow: &str, red: &str| {
        vec![
            ("yellow_days".to_string(), yellow.to_string()),
            ("red_days".to_string(), red.to_string()),
        ]
    };
    for (fields, message) in [
        (tiers("5", "9"), "红色提醒的天数不能多于黄色提醒"),
        (tiers("五", "3"), "黄色提醒请填写整数天数"),
        (tiers("400", "3"), "提醒天数应在 0 到 365 天之间"),
    ] {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let refused = admin.call("save_warning_tiers", &fields).await;
        assert_eq!(refused.error(), AppError::Invalid(message.into()));
    }
    let five_three = tiers("5", "3");
    let fields: Vec<(&str, &str)> = five_three
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = zhang.call("save_warning_tiers", &fields).await;
    assert_eq!(refused.error(), AppError::NotFound, "members cannot");
    let saved = admin.call("save_warning_tiers", &fields).await;
    assert!(saved.status.is_success(), "{}", saved.body);

    // Eight days is no longer within five: only the late item is left.
    assert_eq!(reminders(&mut zhang).await.len(), 1);
    assert_eq!(reminders(&mut secretary).await.len(), 1);
    let list = my_ledger(&mut zhang).await;
    assert_eq!((list.overdue, list.due_soon), (1, 0));
    assert_eq!((list.tiers.yellow_days, list.tiers.red_days), (5, 3));
}

#[tokio::test]
async fn a_form_posted_without_javascript_comes_back_marked_done_and_the_page_says_so() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let fields = [("yellow_days", "9"), ("red_days", "4")];

    let saved = admin
        .post_form("save_warning_tiers", "/ledger/org?status=open", &fields)
        .await;
    assert_eq!(
        saved.status,
        axum::http::StatusCode::FOUND,
        "{}",
        saved.body
    );
    let location = saved.header("location").unwrap().to_string();
    assert_eq!(
        location,
        "http://localhost/ledger/org?status=open&__done=/api/save_warning_tiers"
    );
    let page = admin
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert!(
        page.text()
            .contains("已保存，全部支部的提醒按新的天数计算。"),
        "{}",
        page.body
    );
    // The page as it is opened any other time says nothing about saving.
    let page = admin.get("/ledger/org").await;
    assert!(!page.text().contains("已保存"), "{}", page.body);

    // A refusal carries its error back instead, and no mark.
    let refused = admin
        .post_form(
            "save_warning_tiers",
            "/ledger/org",
            &[("yellow_days", "五"), ("red_days", "3")],
        )
        .await;
    let location = refused.header("location").unwrap().to_string();
    assert!(
        location.contains("__err=") && !location.contains("__done"),
        "{location}"
    );
    let page = admin
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert!(
        page.text().contains("黄色提醒请填写整数天数"),
        "{}",
        page.body
    );
}

fn calendar_events(text: &str) -> Vec<(String, chrono::NaiveDate)> {
    use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
    let calendar: Calendar = text.parse().expect("a valid iCalendar");
    calendar
        .components
        .iter()
        .filter_map(|component| match component {
            CalendarComponent::Event(event) => match event.get_start() {
                Some(DatePerhapsTime::Date(date)) => {
                    // One whole day: DTEND is exclusive, so it is the next day.
                    assert_eq!(
                        event.get_end(),
                        date.succ_opt().map(DatePerhapsTime::Date),
                        "{text}"
                    );
                    Some((event.get_summary().unwrap_or_default().to_string(), date))
                }
                other => panic!("not an all-day event: {other:?}"),
            },
            _ => None,
        })
        .collect()
}

async fn calendar_address(client: &mut Client, scope: &str) -> Option<String> {
    let links: Vec<CalendarLink> = client.call("calendar_links", &[]).await.json();
    let link = links.into_iter().find(|l| l.scope == scope)?;
    link.address
        .map(|address| address.trim_start_matches("http://localhost").to_string())
}

#[tokio::test]
async fn a_calendar_address_lists_the_dates_until_it_is_replaced_or_stopped() {
    let app = demo_with_history().await;
    let mut zhang = app.logged_in("zhangming").await;
    assert_eq!(calendar_address(&mut zhang, "own").await, None);
    let issued = zhang.call("issue_calendar_link", &[("scope", "own")]).await;
    assert!(issued.status.is_success(), "{}", issued.body);
    let address = calendar_address(&mut zhang, "own").await.unwrap();
    assert!(address.starts_with("/calendar/") && address.ends_with(".ics"));

    // A calendar app has no meeting: the address alone is the key.
    let feed = app.client().get(&address).await;
    assert_eq!(feed.status, 200);
    assert_eq!(
        feed.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let events = calendar_events(&feed.body);
    let items = my_ledger(&mut zhang).await.rows;
    assert_eq!(events.len(), items.len(), "{events:?}");
    for item in &items {
        let deadline: chrono::NaiveDate = item.deadline.parse().unwrap();
        assert!(
            events
                .iter()
                .any(|(summary, date)| *date == deadline && summary.ends_with(&item.measure)),
            "{item:?} in {events:?}"
        );
    }

    // A new address replaces the old one; stopping ends it.
    zhang.call("issue_calendar_link", &[("scope", "own")]).await;
    let renewed = calendar_address(&mut zhang, "own").await.unwrap();
    assert_ne!(renewed, address);
    assert_eq!(app.client().get(&address).await.status, 404);
    assert_eq!(app.client().get(&renewed).await.status, 200);
    zhang
        .call("revoke_calendar_link", &[("scope", "own")])
        .await;
    assert_eq!(app.client().get(&renewed).await.status, 404);
    assert_eq!(calendar_address(&mut zhang, "own").await, None);

    // A branch feed is for its secretary, and names each owner.
    let mut secretary = app.logged_in("shuji1").await;
    let branch = demo_meeting(&mut secretary).await.0.branch_id;
    let refused = zhang
        .call("issue_calendar_link", &[("scope", &branch)])
        .await;
    assert_eq!(refused.error(), AppError::NotFound);
    secretary
        .call("issue_calendar_link", &[("scope", &branch)])
        .await;
    let branch_address = calendar_address(&mut secretary, &branch).await.unwrap();
    let events = calendar_events(&app.client().get(&branch_address).await.body);
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|(summary, _)| summary.starts_with("张明 · 整改时限："))
    );
    assert_eq!(app.client().get("/calendar/guess.ics").await.status, 404);
}

#[tokio::test]
async fn the_organisation_ledger_and_every_download_are_for_those_who_may_see_them() {
    let app = demo_with_history().await;
    let mut admin = app.logged_in("admin").await;
    let reply = admin.call("org_ledger", &[]).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let list: LedgerList = reply.json();
    assert_eq!(list.total, 2);
    assert_eq!(list.stats.by_branch.len(), 1);
    assert_eq!(list.stats.by_branch[0].total, 2);
    assert_eq!(list.stats.by_branch[0].overdue, 1);
    assert!(!list.stats.by_month.is_empty());
    // Both items need attention: the one 20 days late first, then the one due in 8 days.
    assert_eq!(list.attention_total, Some(2));
    assert_eq!(list.rows.len(), 2);
    assert_eq!(list.rows[0].urgency, Urgency::Overdue);
    assert_ne!(list.rows[1].urgency, Urgency::Overdue);
    assert_eq!(list.branches.len(), 1);
    let reply = admin.get("/ledger/org").await;
    let page = reply.text();
    assert!(
        page.contains("全部支部整改台账")
            && page.contains("按整改时限月份")
            && page.contains("逾期和临期事项")
            && page.contains("共 2 项，按时限先后排列"),
        "{page}"
    );
    assert!(
        reply
            .body
            .contains(&format!("href=\"/ledger/branch/{}\"", list.branches[0].0)),
        "each branch's ledger is linked"
    );

    let mut zhang = app.logged_in("zhangming").await;
    assert_eq!(
        zhang.call("org_ledger", &[]).await.error(),
        AppError::NotFound
    );
    assert_eq!(zhang.get("/ledger/org.xlsx").await.status, 404);
    assert_eq!(zhang.get("/ledger/org.docx").await.status, 404);
    let sheet = admin.get("/ledger/org.xlsx").await;
    assert_eq!(sheet.status, 200);

    let word = zhang.get("/ledger/mine.docx").await;
    assert_eq!(word.status, 200);
    assert!(
        word.header("content-type")
            .is_some_and(|t| t.contains("wordprocessingml"))
    );
    let text = xingshen::export::docx::docx_paragraphs(&word.bytes).unwrap();
    let items = my_ledger(&mut zhang).await.rows;
    for item in &items {
        assert!(text.contains(&item.measure), "{} in {text:?}", item.measure);
    }
    let mut secretary = app.logged_in("shuji1").await;
    let branch = demo_meeting(&mut secretary).await.0.branch_id;
    let branch_word = secretary
        .get(&format!("/ledger/branch/{branch}/ledger.docx"))
        .await;
    assert_eq!(branch_word.status, 200);
    assert_eq!(
        app.client()
            .get(&format!("/ledger/branch/{branch}/ledger.docx"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_published_list_is_seen_by_the_branchs_members_and_no_one_else() {
    let app = demo_with_history().await;
    let mut secretary = app.logged_in("shuji1").await;
    let branch = demo_meeting(&mut secretary).await.0.branch_id;
    let ledger: LedgerList = secretary
        .call("branch_ledger", &[("branch_id", &branch)])
        .await
        .json();
    assert_eq!(ledger.meetings.len(), 1, "only meetings with items");
    let meeting = ledger.meetings[0].clone();
    assert_eq!(meeting.published_on, None);

    let mut liufang = app.logged_in("liufang").await;
    let lists = |reply: crate::support::Reply| -> Vec<PublishedList> { reply.json() };
    assert!(lists(liufang.call("published_ledgers", &[]).await).is_empty());

    let mut zhang = app.logged_in("zhangming").await;
    let fields = [
        ("meeting_id", meeting.meeting_id.as_str()),
        ("publish", "1"),
    ];
    assert_eq!(
        zhang.call("publish_ledger_list", &fields).await.error(),
        AppError::NotFound,
        "members cannot publish"
    );
    let published = secretary.call("publish_ledger_list", &fields).await;
    assert!(published.status.is_success(), "{}", published.body);

    let seen = lists(liufang.call("published_ledgers", &[]).await);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].rows.len(), 2);
    assert!(seen[0].rows.iter().all(|row| row.owner_name == "张明"));
    let page = liufang.get("/ledger").await.text();
    assert!(page.contains("整改清单"), "{page}");
    let mut chenjing = app.logged_in("chenjing").await;
    assert!(lists(chenjing.call("published_ledgers", &[]).await).is_empty());

    let withdraw = [
        ("meeting_id", meeting.meeting_id.as_str()),
        ("publish", "0"),
    ];
    secretary.call("publish_ledger_list", &withdraw).await;
    assert!(lists(liufang.call("published_ledgers", &[]).await).is_empty());
}

/// A measure dropped from a returned material leaves the ledger when the material is
/// submitted again — unless work on it has started, which is never thrown away. (A started
/// item is no longer 未启动; this does not reach the sync's further guard, for notes on an
/// item still 未启动.)
#[tokio::test]
async fn a_dropped_measure_leaves_the_ledger_unless_work_on_it_has_started() {
    use xingshen::store::AuditEntry;
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, material, item) = submitted_measure(&app).await;
    let resubmit_without_measures = |version: i64| {
        let store = app.store.clone();
        let material = material.clone();
        async move {
            store
                .submit_material(&material, version, &[], &AuditEntry::new("test"))
                .await
                .unwrap();
        }
    };

    // Progress recorded: the item is under way and stays through a resubmission without
    // its measure.
    let detail = entry(&mut zhang, &item).await;
    let noted = act(
        &mut zhang,
        &detail,
        LedgerAction::Progress,
        &[("text", "已读1篇")],
    )
    .await;
    assert!(noted.status.is_success(), "{}", noted.body);
    decide(&mut secretary, &material, "1", "returned").await;
    resubmit_without_measures(editor(&mut zhang, &material).await.version).await;
    assert!(app.store.ledger_item(&item).await.unwrap().is_some());
    assert_eq!(my_ledger(&mut zhang).await.total, 1);

    // An item nobody has worked on goes with its measure.
    let (_, mut liu, other, untouched) = {
        let mut secretary = app.logged_in("shuji1").await;
        let (_, meeting) = demo_meeting(&mut secretary).await;
        let mut liu = app.logged_in("liufang").await;
        let other = start(&mut liu, &meeting).await;
        let version = fill(&mut liu, &other, "调查研究不够深入").await;
        let version = write_measure(&mut liu, &other, version, "每季度调研2次").await;
        submit(&mut liu, &other, version).await;
        let untouched = my_ledger(&mut liu).await.rows[0].id.clone();
        (secretary, liu, other, untouched)
    };
    decide(&mut secretary, &other, "1", "returned").await;
    let version = editor(&mut liu, &other).await.version;
    app.store
        .submit_material(&other, version, &[], &AuditEntry::new("test"))
        .await
        .unwrap();
    assert!(app.store.ledger_item(&untouched).await.unwrap().is_none());
    assert_eq!(my_ledger(&mut liu).await.total, 0);
}

/// Downloads are plain routes, outside the server functions' context: their audit rows
/// still name the client the file went to.
#[tokio::test]
async fn a_download_audit_row_names_the_client_it_went_to() {
    let app = TestApp::new().await;
    let org = app.store.list_orgs().await.unwrap()[0].id.clone();
    let mut admin = app.logged_in("admin").await;
    admin.peer = Some(std::net::SocketAddr::new(
        "203.0.113.7".parse().unwrap(),
        40000,
    ));
    let sheet = admin.get("/ledger/org.xlsx").await;
    assert_eq!(sheet.status, 200, "{}", sheet.body);
    let rows = app.store.recent_audit(&org, 50).await.unwrap();
    let export = rows
        .iter()
        .find(|row| row.action == "ledger.export")
        .expect("the export is audited");
    assert_eq!(export.ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(export.target.as_deref(), Some(org.as_str()));
}
