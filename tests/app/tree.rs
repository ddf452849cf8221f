//! The organisation tree (issue 28): a 上级 administrator sees the 台账 of every branch
//! below their node, rolled up per node; a node's administrator sees nothing sideways or
//! upward; a branch moved to another node keeps its meetings, materials and 台账, which the
//! new node's administrators then see and the old one's no longer; a roster builds the tree.

use crate::support::{Client, TestApp, ok};
use xingshen::server::AppError;
use xingshen::server::ledger::LedgerList;
use xingshen::server::tree::{NodeView, TreeView};
use xingshen::server::users::IssuedPassword;

/// The demo organisation (示例机关党委, administrator `admin`) with last year's meeting:
/// 张明 of 第一党支部 has two items.
async fn demo_with_history() -> TestApp {
    let store = crate::support::fresh_store().await;
    xingshen::seed::create_demo(&store).await.unwrap();
    xingshen::seed::create_demo_history(&store).await.unwrap();
    TestApp::with_store(store)
}

async fn tree(client: &mut Client) -> Vec<NodeView> {
    let reply = client.call("org_tree", &[]).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json::<TreeView>().nodes
}

fn node<'a>(nodes: &'a [NodeView], name: &str) -> &'a NodeView {
    nodes
        .iter()
        .find(|node| node.name == name)
        .unwrap_or_else(|| panic!("{name} in {nodes:?}"))
}

fn branch_id(nodes: &[NodeView], name: &str) -> String {
    nodes
        .iter()
        .flat_map(|node| &node.branches)
        .find(|branch| branch.name == name)
        .unwrap_or_else(|| panic!("{name} in {nodes:?}"))
        .id
        .clone()
}

async fn ledger(client: &mut Client, function: &str, fields: &[(&str, &str)]) -> LedgerList {
    ok(client, function, fields).await.json()
}

/// Makes a node's administrator and logs them in.
pub(crate) async fn node_admin(
    app: &TestApp,
    admin: &mut Client,
    node_id: &str,
    login: &str,
) -> Client {
    let issued: IssuedPassword = ok(
        admin,
        "create_node_admin",
        &[
            ("node_id", node_id),
            ("name", "总支管理员"),
            ("login", login),
            ("post", "组织委员"),
        ],
    )
    .await
    .json();
    let mut client = app.logged_in_with(login, &issued.password).await;
    let changed = client
        .call(
            "change_password",
            &[
                ("current", &issued.password),
                ("new", "总支管理员-口令-2026"),
                ("confirm", "总支管理员-口令-2026"),
            ],
        )
        .await;
    assert!(changed.status.is_success(), "{}", changed.body);
    client
}

/// The demo organisation with two 党总支 below it: 机关党总支 holding 第一党支部 (and 张明's
/// two items), 后勤党总支 holding 第二党支部, each with its own administrator.
pub(crate) struct Tree {
    pub(crate) app: TestApp,
    pub(crate) top: Client,
    pub(crate) jiguan: Client,
    pub(crate) houqin: Client,
    pub(crate) jiguan_id: String,
    pub(crate) houqin_id: String,
    pub(crate) top_id: String,
    pub(crate) first_branch: String,
    pub(crate) second_branch: String,
}

pub(crate) async fn two_general_branches() -> Tree {
    let app = demo_with_history().await;
    let mut top = app.logged_in("admin").await;
    let nodes = tree(&mut top).await;
    let top_id = nodes[0].id.clone();
    assert_eq!(nodes[0].depth, 0);
    for name in ["机关党总支", "后勤党总支"] {
        ok(
            &mut top,
            "create_org_node",
            &[("parent_id", &top_id), ("name", name), ("kind", "党总支")],
        )
        .await;
    }
    let nodes = tree(&mut top).await;
    let (jiguan_id, houqin_id) = (
        node(&nodes, "机关党总支").id.clone(),
        node(&nodes, "后勤党总支").id.clone(),
    );
    assert_eq!(node(&nodes, "机关党总支").kind_label, "党总支");
    assert_eq!(node(&nodes, "机关党总支").depth, 1);
    let first_branch = branch_id(&nodes, "第一党支部");
    let second_branch = branch_id(&nodes, "第二党支部");
    for (branch, to) in [(&first_branch, &jiguan_id), (&second_branch, &houqin_id)] {
        ok(
            &mut top,
            "move_branch",
            &[("branch_id", branch), ("node_id", to)],
        )
        .await;
    }
    let jiguan = node_admin(&app, &mut top, &jiguan_id, "jiguanadmin").await;
    let houqin = node_admin(&app, &mut top, &houqin_id, "houqinadmin").await;
    Tree {
        app,
        top,
        jiguan,
        houqin,
        jiguan_id,
        houqin_id,
        top_id,
        first_branch,
        second_branch,
    }
}

#[tokio::test]
async fn the_superior_admin_sees_a_child_nodes_meetings_and_its_ledger_rolled_up() {
    let mut t = two_general_branches().await;
    let nodes = tree(&mut t.top).await;
    assert_eq!(
        nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["示例机关党委", "机关党总支", "后勤党总支"]
    );
    assert_eq!(node(&nodes, "机关党总支").admins.len(), 1);

    // The whole subtree, with one drill-down row per 党总支.
    let whole = ledger(&mut t.top, "org_ledger", &[]).await;
    assert_eq!(whole.total, 2);
    let tallies: Vec<(&str, usize)> = whole
        .nodes
        .iter()
        .map(|tally| (tally.name.as_str(), tally.total))
        .collect();
    assert_eq!(tallies, [("机关党总支", 2), ("后勤党总支", 0)]);
    assert_eq!(whole.nodes[0].overdue, 1);
    let drilled = ledger(&mut t.top, "node_ledger", &[("node_id", &t.jiguan_id)]).await;
    assert_eq!(drilled.total, 2);
    assert!(drilled.title.contains("机关党总支"), "{}", drilled.title);
    assert_eq!(
        ledger(&mut t.top, "node_ledger", &[("node_id", &t.houqin_id)])
            .await
            .total,
        0
    );

    // The branch two levels down: its meetings and items, and one item with its history.
    let branch = ledger(
        &mut t.top,
        "branch_ledger",
        &[("branch_id", &t.first_branch)],
    )
    .await;
    assert_eq!(branch.total, 2);
    assert!(
        !branch.meetings.is_empty(),
        "the branch's meetings are listed"
    );
    ok(
        &mut t.top,
        "ledger_entry",
        &[("item_id", &branch.rows[0].id)],
    )
    .await;
    assert_eq!(
        t.top
            .get(&format!("/ledger/branch/{}/ledger.xlsx", t.first_branch))
            .await
            .status,
        200
    );
    let page = t
        .top
        .get(&format!("/ledger/org?node={}", t.jiguan_id))
        .await
        .text();
    assert!(page.contains("机关党总支整改台账"), "{page}");
    let page = t.top.get("/ledger/org").await.text();
    assert!(
        page.contains("下级组织台账") && page.contains("机关党总支"),
        "{page}"
    );
    let page = t.top.get("/admin/tree").await.text();
    assert!(
        page.contains("组织架构") && page.contains("后勤党总支"),
        "{page}"
    );
}

#[tokio::test]
async fn a_child_nodes_admin_sees_nothing_of_the_parent_or_of_a_sibling() {
    let mut t = two_general_branches().await;
    let mine = tree(&mut t.jiguan).await;
    assert_eq!(
        mine.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["机关党总支"]
    );
    let own = ledger(&mut t.jiguan, "org_ledger", &[]).await;
    assert_eq!(own.total, 2);
    let item = ledger(
        &mut t.jiguan,
        "branch_ledger",
        &[("branch_id", &t.first_branch)],
    )
    .await
    .rows[0]
        .id
        .clone();

    // Upward and sideways: "not found", whatever is asked.
    let refused: [(&str, Vec<(&str, &str)>); 7] = [
        ("node_ledger", vec![("node_id", &t.top_id)]),
        ("node_ledger", vec![("node_id", &t.houqin_id)]),
        ("branch_ledger", vec![("branch_id", &t.second_branch)]),
        (
            "create_org_node",
            vec![("parent_id", &t.houqin_id), ("name", "越权"), ("kind", "")],
        ),
        (
            "update_org_node",
            vec![("node_id", &t.top_id), ("name", "改名"), ("kind", "")],
        ),
        (
            "move_branch",
            vec![("branch_id", &t.first_branch), ("node_id", &t.houqin_id)],
        ),
        (
            "create_node_admin",
            vec![
                ("node_id", &t.top_id),
                ("name", "越权"),
                ("login", "yuequan"),
                ("post", ""),
            ],
        ),
    ];
    for (function, fields) in refused {
        assert_eq!(
            t.jiguan.call(function, &fields).await.error(),
            AppError::NotFound,
            "{function} {fields:?}"
        );
    }
    let sibling = ledger(&mut t.houqin, "org_ledger", &[]).await;
    assert_eq!(sibling.total, 0);
    assert_eq!(
        t.houqin
            .call("ledger_entry", &[("item_id", &item)])
            .await
            .error(),
        AppError::NotFound
    );
    assert_eq!(
        t.houqin
            .get(&format!("/ledger/branch/{}/ledger.xlsx", t.first_branch))
            .await
            .status,
        404
    );
    // The child node's subtree is itself: nothing above or beside it is walked into.
    assert_eq!(
        t.app.store.subtree_ids(&t.jiguan_id).await.unwrap(),
        [t.jiguan_id.clone()]
    );
}

#[tokio::test]
async fn a_moved_branch_keeps_its_history_and_changes_who_sees_it() {
    let mut t = two_general_branches().await;
    let before = ledger(
        &mut t.top,
        "branch_ledger",
        &[("branch_id", &t.first_branch)],
    )
    .await;
    let item = before.rows[0].id.clone();
    ok(
        &mut t.top,
        "move_branch",
        &[("branch_id", &t.first_branch), ("node_id", &t.houqin_id)],
    )
    .await;

    let after = ledger(
        &mut t.houqin,
        "branch_ledger",
        &[("branch_id", &t.first_branch)],
    )
    .await;
    assert_eq!(after.total, before.total);
    assert_eq!(
        after.meetings, before.meetings,
        "the meetings go with the branch"
    );
    assert_eq!(
        after.rows.iter().map(|r| &r.id).collect::<Vec<_>>(),
        before.rows.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    assert_eq!(ledger(&mut t.houqin, "org_ledger", &[]).await.total, 2);
    ok(&mut t.houqin, "ledger_entry", &[("item_id", &item)]).await;

    assert_eq!(ledger(&mut t.jiguan, "org_ledger", &[]).await.total, 0);
    assert_eq!(
        t.jiguan
            .call("branch_ledger", &[("branch_id", &t.first_branch)])
            .await
            .error(),
        AppError::NotFound
    );
    assert_eq!(
        t.jiguan
            .call("ledger_entry", &[("item_id", &item)])
            .await
            .error(),
        AppError::NotFound
    );
    // The roll-up above follows: the items now count under 后勤党总支.
    let whole = ledger(&mut t.top, "org_ledger", &[]).await;
    let tallies: Vec<(&str, usize)> = whole
        .nodes
        .iter()
        .map(|tally| (tally.name.as_str(), tally.total))
        .collect();
    assert_eq!(tallies, [("机关党总支", 0), ("后勤党总支", 2)]);
    // The member still reaches their own items and the secretary their branch.
    let mut zhang = t.app.logged_in("zhangming").await;
    assert_eq!(crate::ledger::my_ledger(&mut zhang).await.total, 2);
    let mut secretary = t.app.logged_in("shuji1").await;
    assert_eq!(
        ledger(
            &mut secretary,
            "branch_ledger",
            &[("branch_id", &t.first_branch)]
        )
        .await
        .total,
        2
    );
    assert_eq!(
        t.app
            .store
            .count_audit("branch.move", Some(&t.first_branch))
            .await
            .unwrap(),
        2
    );
}

#[tokio::test]
async fn a_roster_with_a_path_column_creates_the_missing_nodes_and_branches() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let csv = "姓名,登录名/手机,职务,支部,所属党委\n\
               周强,zhouqiang,科员,第五支部,示例机关党委/新区党工委/城东党总支\n\
               吴敏,wumin,,第五支部,新区党工委/城东党总支/第五支部\n\
               郑华,zhenghua,,第一党支部,\n";
    let reply = admin
        .upload("import_roster", "roster", "名单.csv", csv.as_bytes())
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let nodes = tree(&mut admin).await;
    let names: Vec<(&str, usize, &str)> = nodes
        .iter()
        .map(|n| (n.name.as_str(), n.depth, n.kind_label.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("示例机关党委", 0, "组织"),
            ("新区党工委", 1, "党工委"),
            ("城东党总支", 2, "党总支"),
        ]
    );
    let fifth = &node(&nodes, "城东党总支").branches;
    assert_eq!(fifth.len(), 1);
    assert_eq!(
        (fifth[0].name.as_str(), fifth[0].member_count),
        ("第五支部", 2)
    );

    // A bad row creates nothing: no node, no branch, no account.
    let bad = "姓名,登录名/手机,职务,支部,所属党委\n\
               孙丽,sunli,,第六支部,西区党委\n\
               钱七,zhouqiang,,第六支部,西区党委\n";
    let reply = admin
        .upload("import_roster", "roster", "名单.csv", bad.as_bytes())
        .await;
    assert!(!reply.status.is_success());
    assert!(reply.body.contains("zhouqiang"), "{}", reply.body);
    assert_eq!(tree(&mut admin).await.len(), 3);
}
