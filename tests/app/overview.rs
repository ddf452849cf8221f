//! The 上级's overview (issue 28, item 6): every meeting below an administrator's node with
//! its stage, counts per node rolled up (meetings by stage, overdue 报送, overdue 整改),
//! drill-down, pagination; a child node's administrator sees their subtree only, and
//! secretaries and members nothing.

use crate::meetings::{demo_meeting, fill_and_submit, start};
use crate::support::{Client, ok};
use crate::tree::two_general_branches;
use xingshen::domain::LoginName;
use xingshen::domain::ledger::ItemStatus;
use xingshen::domain::meeting::{MeetingDates, MeetingKind, MeetingPlan};
use xingshen::domain::template::Template;
use xingshen::server::AppError;
use xingshen::server::overview::{NodeSummary, OverviewView};
use xingshen::store::AuditEntry;
use xingshen::store::ledger::{LedgerChange, LedgerScope};

async fn overview(client: &mut Client, node: &str, stage: &str, page: usize) -> OverviewView {
    let page = page.to_string();
    ok(
        client,
        "org_overview",
        &[
            ("node_id", node),
            ("stage", stage),
            ("page", &page),
            ("nodes_page", "1"),
        ],
    )
    .await
    .json()
}

fn row<'a>(view: &'a OverviewView, name: &str) -> &'a NodeSummary {
    view.children
        .iter()
        .find(|row| row.name == name)
        .unwrap_or_else(|| panic!("{name} in {:?}", view.children))
}

/// A row's meetings per stage, by label, leaving out the stages with none.
fn stages(view: &OverviewView, row: &NodeSummary) -> Vec<(String, usize)> {
    view.stages
        .iter()
        .zip(&row.counts)
        .filter(|(_, count)| **count > 0)
        .map(|(stage, count)| (stage.label.clone(), *count))
        .collect()
}

fn pairs(list: &[(&str, usize)]) -> Vec<(String, usize)> {
    list.iter()
        .map(|(label, n)| (label.to_string(), *n))
        .collect()
}

/// The stage of the meeting with this title in 第一党支部 / 第二党支部.
fn stage_of(view: &OverviewView, branch: &str, title: &str) -> String {
    view.meetings
        .iter()
        .find(|line| line.branch == branch && line.title == title)
        .unwrap_or_else(|| panic!("{branch} {title} in {:?}", view.meetings))
        .stage_label
        .clone()
}

/// The id of the meeting with this title in a branch, as the overview lists it.
fn meeting_id(view: &OverviewView, branch: &str, title: &str) -> String {
    view.meetings
        .iter()
        .find(|line| line.branch == branch && line.title == title)
        .unwrap_or_else(|| panic!("{branch} {title} in {:?}", view.meetings))
        .id
        .clone()
}

#[tokio::test]
async fn each_meeting_shows_its_stage_and_the_counts_roll_up_per_node() {
    let mut t = two_general_branches().await;
    let past = xingshen::seed::DEMO_PAST_MEETING;
    let current = xingshen::seed::DEMO_MEETING;

    // Last year's meeting is held and its 报送 is late; this year's collect materials.
    let view = overview(&mut t.top, "", "", 1).await;
    assert_eq!(view.node_name, "示例机关党委");
    assert_eq!(view.total.meetings, 3);
    assert_eq!(view.total.branches, 2);
    assert_eq!(stage_of(&view, "第一党支部", past), "已召开");
    assert_eq!(stage_of(&view, "第一党支部", current), "收集中");
    assert_eq!(stage_of(&view, "第二党支部", current), "收集中");
    let jiguan = row(&view, "机关党总支");
    assert_eq!(
        stages(&view, jiguan),
        pairs(&[("收集中", 1), ("已召开", 1)])
    );
    assert_eq!((jiguan.report_overdue, jiguan.items_overdue), (1, 1));
    let houqin = row(&view, "后勤党总支");
    assert_eq!(stages(&view, houqin), pairs(&[("收集中", 1)]));
    assert_eq!((houqin.report_overdue, houqin.items_overdue), (0, 0));
    assert_eq!(
        (view.total.report_overdue, view.total.items_overdue),
        (1, 1)
    );
    assert!(view.meetings.iter().any(|line| line.report_overdue));

    // 张明 hands his material in, nobody else has started: it waits for review; 刘芳
    // starting a draft puts the meeting back to collecting until the due date.
    let mut secretary = t.app.logged_in("shuji1").await;
    let (_, this_year) = demo_meeting(&mut secretary).await;
    let mut author = t.app.logged_in("zhangming").await;
    let material = start(&mut author, &this_year).await;
    fill_and_submit(&mut author, &material, "学习不够深入").await;
    let view = overview(&mut t.top, "", "", 1).await;
    assert_eq!(stage_of(&view, "第一党支部", current), "待审核");
    let mut colleague = t.app.logged_in("liufang").await;
    start(&mut colleague, &this_year).await;
    let view = overview(&mut t.top, "", "", 1).await;
    assert_eq!(stage_of(&view, "第一党支部", current), "收集中");

    // The 报送 of last year's meeting: its items are open, so 整改中; the late 报送 is gone.
    let secretary_id = t
        .app
        .store
        .find_user_by_login(&LoginName::parse("shuji1").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let audit = AuditEntry {
        actor_id: Some(secretary_id),
        ..AuditEntry::new("test")
    };
    let last_year = meeting_id(&view, "第一党支部", past);
    t.app.store.mark_reported(&last_year, &audit).await.unwrap();
    let view = overview(&mut t.top, "", "", 1).await;
    assert_eq!(stage_of(&view, "第一党支部", past), "整改中");
    assert_eq!(row(&view, "机关党总支").report_overdue, 0);
    assert_eq!(row(&view, "机关党总支").items_overdue, 1);

    // Every item closed (销号): 已完成, nothing overdue.
    let items = t
        .app
        .store
        .ledger_items(LedgerScope::Meeting(&last_year))
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        let mut next = item.state.clone();
        next.status = ItemStatus::Closed;
        t.app
            .store
            .change_ledger_item(
                &item.id,
                item.revision,
                &next,
                &LedgerChange {
                    kind: "close",
                    on: xingshen::server::clock::today(),
                    text: "",
                },
                &audit,
            )
            .await
            .unwrap();
    }
    let view = overview(&mut t.top, "", "", 1).await;
    assert_eq!(stage_of(&view, "第一党支部", past), "已完成");
    assert_eq!(row(&view, "机关党总支").items_overdue, 0);

    // A 报送 sent before any 整改 item exists: 已报送.
    let second = meeting_id(&view, "第二党支部", current);
    t.app.store.mark_reported(&second, &audit).await.unwrap();
    let view = overview(&mut t.top, "", "", 1).await;
    assert_eq!(stage_of(&view, "第二党支部", current), "已报送");
    assert_eq!(
        stages(&view, &view.total),
        pairs(&[("收集中", 1), ("已报送", 1), ("已完成", 1)])
    );

    // Filtered to one stage; an unknown stage is refused with its reason.
    let reported = overview(&mut t.top, "", "reported", 1).await;
    assert_eq!(reported.meetings.len(), 1);
    assert_eq!(reported.meetings[0].branch, "第二党支部");
    assert_eq!(reported.total.meetings, 3, "the counts stay whole");
    let unknown = t
        .top
        .call(
            "org_overview",
            &[
                ("node_id", ""),
                ("stage", "bogus"),
                ("page", "1"),
                ("nodes_page", "1"),
            ],
        )
        .await
        .error();
    assert!(
        matches!(unknown, AppError::Invalid(ref m) if m.contains("阶段")),
        "{unknown:?}"
    );

    // The page itself, as the browser gets it.
    let page = t.top.get("/admin/overview").await;
    assert_eq!(page.status, 200);
    let html = page.text();
    for expected in [
        "示例机关党委会议总览",
        "机关党总支",
        "已报送",
        "已完成",
        "整改逾期",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(
        page.body.contains("href=\"/admin/overview\""),
        "the navigation links the page"
    );
}

#[tokio::test]
async fn a_node_drills_down_and_a_child_nodes_admin_sees_only_their_subtree() {
    let mut t = two_general_branches().await;
    let drilled = overview(&mut t.top, &t.jiguan_id, "", 1).await;
    assert_eq!(drilled.node_name, "机关党总支");
    assert_eq!(
        drilled
            .trail
            .iter()
            .map(|link| link.name.as_str())
            .collect::<Vec<_>>(),
        ["示例机关党委", "机关党总支"]
    );
    assert_eq!(drilled.total.meetings, 2);
    // Its own branch has no node of its own: one row for the branches directly under it.
    assert_eq!(drilled.children.len(), 1);
    assert_eq!(drilled.children[0].id, None);
    assert_eq!(drilled.children[0].branches, 1);
    assert!(
        drilled
            .meetings
            .iter()
            .all(|line| line.branch == "第一党支部")
    );
    let html = t
        .top
        .get(&format!("/admin/overview?node={}", t.jiguan_id))
        .await
        .text();
    assert!(html.contains("机关党总支会议总览"), "{html}");

    // The 党总支's own administrator: their node is the top of their trail.
    let own = overview(&mut t.jiguan, "", "", 1).await;
    assert_eq!(own.node_id, t.jiguan_id);
    assert_eq!(own.total.meetings, 2);
    assert_eq!(own.trail.len(), 1);
    let sibling = overview(&mut t.houqin, "", "", 1).await;
    assert_eq!(sibling.total.meetings, 1);
    assert!(
        sibling
            .meetings
            .iter()
            .all(|line| line.branch == "第二党支部")
    );

    // Sideways and upward: "not found".
    for (jiguan, node) in [
        (true, &t.top_id),
        (true, &t.houqin_id),
        (false, &t.jiguan_id),
    ] {
        let client = if jiguan { &mut t.jiguan } else { &mut t.houqin };
        let reply = client
            .call(
                "org_overview",
                &[
                    ("node_id", node),
                    ("stage", ""),
                    ("page", "1"),
                    ("nodes_page", "1"),
                ],
            )
            .await;
        assert_eq!(reply.error(), AppError::NotFound, "{node}");
    }
    assert_eq!(
        t.jiguan
            .get(&format!("/admin/overview?node={}", t.top_id))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn secretaries_and_members_are_refused() {
    let t = two_general_branches().await;
    for login in ["shuji1", "zhangming"] {
        let mut client = t.app.logged_in(login).await;
        for node in ["", t.jiguan_id.as_str()] {
            let reply = client
                .call(
                    "org_overview",
                    &[
                        ("node_id", node),
                        ("stage", ""),
                        ("page", "1"),
                        ("nodes_page", "1"),
                    ],
                )
                .await;
            assert_eq!(reply.error(), AppError::NotFound, "{login} {node}");
        }
        let page = client.get("/admin/overview").await;
        assert_eq!(page.status, 404, "{login}");
        assert!(page.body.contains("页面不存在"), "{login}");
    }
}

#[tokio::test]
async fn long_lists_come_in_pages_of_fifty() {
    let mut t = two_general_branches().await;
    let today = xingshen::server::clock::today();
    // 60 more meetings of 第二党支部, on consecutive days before today.
    for day in 1..=60u64 {
        let meeting_on = today - chrono::Days::new(day);
        let plan = MeetingPlan {
            kind: MeetingKind::BranchMeeting,
            title: format!("专题会议{day:02}"),
            theme: String::new(),
            dates: MeetingDates {
                plan_on: None,
                materials_due: meeting_on - chrono::Days::new(4),
                meeting_on,
                report_due: meeting_on + chrono::Days::new(15),
            },
            participants: None,
        };
        t.app
            .store
            .create_meeting(
                &t.second_branch,
                &plan,
                &Template::branch_meeting_default(),
                None,
                &AuditEntry::new("test"),
            )
            .await
            .unwrap();
    }
    // 50 more nodes below the top, so the node rows take two pages too.
    for index in 0..50 {
        ok(
            &mut t.top,
            "create_org_node",
            &[
                ("parent_id", &t.top_id),
                ("name", &format!("第{index:02}党委")),
                ("kind", "党委"),
            ],
        )
        .await;
    }

    let first = overview(&mut t.top, "", "", 1).await;
    assert_eq!(first.meetings_page.total, 63);
    assert_eq!(
        (first.meetings_page.number, first.meetings_page.pages),
        (1, 2)
    );
    assert_eq!(first.meetings.len(), 50);
    // Newest first: this year's meeting (ahead), then yesterday's.
    assert_eq!(first.meetings[2].title, "专题会议01");
    let second = overview(&mut t.top, "", "", 2).await;
    assert_eq!(second.meetings.len(), 13);
    assert_eq!(
        second.meetings.last().unwrap().title,
        xingshen::seed::DEMO_PAST_MEETING
    );
    let beyond = overview(&mut t.top, "", "", 9).await;
    assert_eq!(
        beyond.meetings_page.number, 2,
        "a page past the end reads as the last"
    );
    // Their 报送 is late for the 45 meetings whose due date has passed (days 16 to 60).
    assert_eq!(first.total.report_overdue, 45 + 1);

    assert_eq!(first.children_page.total, 52);
    assert_eq!(first.children.len(), 50);
    let nodes_two = ok(
        &mut t.top,
        "org_overview",
        &[
            ("node_id", ""),
            ("stage", ""),
            ("page", "1"),
            ("nodes_page", "2"),
        ],
    )
    .await
    .json::<OverviewView>();
    assert_eq!(nodes_two.children.len(), 2);

    let page = t.top.get("/admin/overview?page=2").await;
    assert!(page.text().contains("第 2 / 2 页"), "{}", page.body);
    assert!(page.body.contains("rel=\"prev\""), "{}", page.body);
}

#[tokio::test]
async fn the_synthetic_county_tree_rolls_up_per_committee() {
    use xingshen::seed::synthetic::{SYNTHETIC_PASSWORD, Scale, create_synthetic};
    let store = crate::support::fresh_store().await;
    let created = create_synthetic(
        &store,
        Scale {
            members: 36,
            branches: 12,
            items: 144,
            seed: 3,
            tree: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(created.meetings, 24);
    let app = crate::support::TestApp::with_store(store);
    let mut top = app.logged_in_with("u000000", SYNTHETIC_PASSWORD).await;
    let view = overview(&mut top, "", "", 1).await;
    assert_eq!(view.total.branches, 12);
    assert_eq!(view.total.meetings, 24);
    // Ten branches sent last year's 报送 (their items are open); two did not.
    assert_eq!(
        view.total.counts[5],
        10,
        "整改中: {:?}",
        stages(&view, &view.total)
    );
    assert_eq!(
        view.total.counts[3],
        2,
        "已召开: {:?}",
        stages(&view, &view.total)
    );
    assert_eq!(view.total.report_overdue, 2);
    assert_eq!(view.children.len(), 1);
    let committee = view.children[0].id.clone().unwrap();
    assert_eq!(view.children[0].name, "第1局党委");
    let drilled = overview(&mut top, &committee, "", 1).await;
    assert_eq!(
        drilled
            .children
            .iter()
            .map(|row| (row.name.as_str(), row.branches))
            .collect::<Vec<_>>(),
        [("第1党总支", 10), ("第2党总支", 2)]
    );
}
