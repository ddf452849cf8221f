//! The access matrix: every server function and every download route, called by each kind
//! of person, while the author's material is a draft, submitted and approved. The outcomes
//! must equal the table below; a refusal must look like "not found" (or "please log in" to a
//! visitor) and change nothing; and a server function or download missing from the table
//! fails the test, so nothing new can be added without deciding who may call it.
//!
//! Each row runs on copies of a prepared database (restored from a backup of it): one for
//! all the refused callers, and one for each caller let through, so what one call does
//! cannot change what another sees.

use crate::editor::{editor, save};
use crate::ledger::{entry, my_ledger, write_measure};
use crate::meetings::{demo_meeting, fill, meeting_form, start, submit, template_fields};
use crate::support::{Client, Reply, TestApp, multipart_body, ok};
use axum::body::Body;
use axum::http::{Request, header};
use std::collections::BTreeSet;
use std::path::PathBuf;
use xingshen::seed::DEMO_PASSWORD;
use xingshen::server::AppError;
use xingshen::server::calendar::CalendarLink;
use xingshen::server::cycle::MemberCycleView;
use xingshen::server::templates::OrgTemplatesView;
use xingshen::store::Store;

/// The people of the matrix, in the order of the outcome strings.
const ACTORS: [&str; 11] = [
    "anonymous",
    "author",
    "same-branch member",
    "same-branch secretary",
    "other-branch secretary",
    "org admin",
    "meeting's second reviewer",
    "other organisation's admin",
    "上级 admin",
    "other 上级's admin",
    "the meeting's 督导组 member",
];
const LOGINS: [Option<&str>; 11] = [
    None,
    Some("zhangming"),
    Some("liufang"),
    Some("shuji1"),
    Some("shuji2"),
    Some("admin"),
    Some(SECOND_REVIEWER),
    Some(OTHER_ORG_ADMIN),
    Some(UPPER_ADMIN),
    Some(OTHER_UPPER_ADMIN),
    Some(SUPERVISOR),
];
/// A second administrator of the demo organisation, the meeting's 上级 reviewer.
const SECOND_REVIEWER: &str = "erjishenhe";
/// The administrator of another organisation on the same installation.
const OTHER_ORG_ADMIN: &str = "otheradmin";
/// The administrator of the node above the demo organisation (issue 28; the demo's
/// 某某县直机关工委): they see its branches' 台账 as the organisation's own administrators
/// do, assign a meeting's 督导组, and see nothing else of its meetings.
const UPPER_ADMIN: &str = "shangji";
/// The administrator of the node above the other organisation: as much as its own admin.
const OTHER_UPPER_ADMIN: &str = "otherupper";
/// A user of the demo's 上级 (no administrator), put on the fixture meeting's 督导组: they see
/// that meeting and nothing else.
const SUPERVISOR: &str = "dudao";

/// The states of the author's material the matrix is run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Draft,
    Submitted,
    Approved,
}

/// What one call came to:
/// `L` "please log in", `N` "not found" (a denial), `Y` done,
/// `X` let through but refused for another reason (the record's state, a stale version, a
/// rule) — the caller may act, just not now.
fn outcome_of_call(reply: &Reply) -> char {
    if reply.status.is_success() {
        return 'Y';
    }
    let Ok(error) = serde_json::from_str::<AppError>(&reply.body) else {
        panic!("not an AppError: {} {}", reply.status, reply.body)
    };
    assert_eq!(
        reply.status.as_u16(),
        error.http_status(),
        "the status of {error:?}"
    );
    match error {
        AppError::Unauthenticated => 'L',
        AppError::NotFound => 'N',
        _ => 'X',
    }
}

fn outcome_of_download(reply: &Reply) -> char {
    match reply.status.as_u16() {
        200..=299 => 'Y',
        404 => 'N',
        _ => 'X',
    }
}

/// The ids and files of the prepared database.
#[derive(Default)]
struct Fixture {
    backup: PathBuf,
    cookies: Vec<Option<String>>,
    meeting: String,
    branch: String,
    author_id: String,
    member_id: String,
    material: String,
    version: i64,
    kept: String,
    item: String,
    item_revision: i64,
    evidence: String,
    released_opinion: String,
    unreleased_opinion: String,
    org_template: String,
    calendar_file: String,
    /// The demo organisation: a node below the 上级's.
    org: String,
    /// A typed-in item of the meeting's 整改方案.
    plan_item: String,
    /// The 上级's administrator (a user who may join the 督导组) and the 督导组 member.
    upper_admin_id: String,
    supervisor_id: String,
}

/// A complete 整改方案 item led by `owner_id`, from the 督导组's 点评.
fn plan_item_form<'a>(meeting: &'a str, owner_id: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("meeting_id", meeting),
        ("problem", "调查研究不够深入"),
        ("task", "每季度蹲点调研1次"),
        ("owner_id", owner_id),
        ("department", "办公室"),
        ("deadline", "2099-06-30"),
        ("standard", "形成调研报告4篇"),
        ("kind", "by_date"),
        ("source", "supervision"),
    ]
}

/// Two administrators the demo lacks, made through the store as `xingshen user add` makes
/// them: a second one of the demo organisation (returned: their id), and one of a new
/// organisation.
async fn add_administrators(store: &Store) -> String {
    use xingshen::domain::{LoginName, PersonName, Post};
    use xingshen::store::AuditEntry;
    use xingshen::store::users::NewUser;

    let hash = xingshen::auth::password::hash(DEMO_PASSWORD.to_string().into())
        .await
        .unwrap();
    let administrator = |login: &str, name: &str| NewUser {
        login: LoginName::parse(login).unwrap(),
        name: PersonName::parse(name).unwrap(),
        post: Post::default(),
        password_hash: hash.clone(),
        is_org_admin: true,
        must_change_password: false,
        branch: None,
    };
    let demo_org = store.list_orgs().await.unwrap()[0].id.clone();
    let reviewer = store
        .create_users(
            &demo_org,
            vec![administrator(SECOND_REVIEWER, "王上级")],
            &AuditEntry::new("test"),
        )
        .await
        .unwrap();
    let other_org = store.create_org("另一单位党委").await.unwrap();
    store
        .create_users(
            &other_org,
            vec![administrator(OTHER_ORG_ADMIN, "外单位管理员")],
            &AuditEntry::new("test"),
        )
        .await
        .unwrap();
    // A 上级 above the other organisation too, with its administrator (the demo's is
    // seeded).
    for (below, upper, login, name) in
        [(&other_org, "另一县机关工委", OTHER_UPPER_ADMIN, "外县上级")]
    {
        let upper = store.create_org(upper).await.unwrap();
        assert!(
            store
                .attach_root(below, &upper, &AuditEntry::new("test"))
                .await
                .unwrap()
        );
        store
            .create_users(
                &upper,
                vec![administrator(login, name)],
                &AuditEntry::new("test"),
            )
            .await
            .unwrap();
    }
    reviewer[0].clone()
}

/// The demo organisation with 张明's material in `state`, and around it one of everything a
/// server function can be pointed at. The meeting has a second reviewer. In memory even in
/// the `ws://` pass: the copies are restored from a backup, which the SDK takes from
/// embedded engines only.
async fn prepare(state: State) -> Fixture {
    let app = TestApp::embedded().await;
    let reviewer_id = add_administrators(&app.store).await;
    let mut clients = Vec::new();
    for login in LOGINS {
        clients.push(match login {
            Some(login) => app.logged_in(login).await,
            None => app.client(),
        });
    }
    let [
        _,
        author,
        member,
        secretary,
        _,
        admin,
        reviewer,
        _,
        upper,
        _,
        supervisor,
    ] = &mut clients[..]
    else {
        unreachable!()
    };
    let (branch, _) = demo_meeting(secretary).await;
    let branch = branch.branch_id;
    // A meeting set up with the second administrator as its 上级 reviewer, dated from today
    // so it is collecting materials whenever the test runs.
    let day = |days: u64| (chrono::Utc::now().date_naive() + chrono::Days::new(days)).to_string();
    let (plan_on, due, meeting_on) = (day(0), day(10), day(14));
    let created = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch,
                &[
                    ("template", "branch-2024"),
                    ("plan[everyone]", "true"),
                    ("plan[plan_on]", &plan_on),
                    ("plan[materials_due]", &due),
                    ("plan[meeting_on]", &meeting_on),
                    ("second_reviewer", &reviewer_id),
                ],
            ),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let meeting: String = created.json();
    let whoami = |reply: Reply| {
        reply
            .json::<Option<xingshen::domain::policy::Actor>>()
            .unwrap()
            .user_id
    };
    let author_id = whoami(author.call("current_user", &[]).await);
    let member_id = whoami(member.call("current_user", &[]).await);
    let upper_admin_id = whoami(upper.call("current_user", &[]).await);
    let supervisor_id = whoami(supervisor.call("current_user", &[]).await);
    // The 上级's administrator puts its user on the meeting's 督导组.
    ok(
        upper,
        "assign_supervisor",
        &[("meeting_id", &meeting), ("user_id", &supervisor_id)],
    )
    .await;

    // The material, with a kept copy from a stale save, and (unless a draft) submitted.
    let material = start(author, &meeting).await;
    let version = fill(author, &material, "学用结合不够紧密").await;
    let mut version = write_measure(author, &material, version, "每月精读原著2篇").await;
    let stale = save(
        author,
        &material,
        1,
        "stale-tab",
        "opening",
        &[("title", "旧页")],
    )
    .await;
    assert!(!stale.status.is_success(), "a stale save is kept aside");
    let kept = editor(author, &material).await.kept[0].id.clone();
    if state != State::Draft {
        submit(author, &material, version).await;
        version = editor(author, &material).await.version;
    }
    if state == State::Approved {
        crate::ledger::decide(secretary, &material, "1", "approved").await;
        crate::ledger::decide(reviewer, &material, "1", "approved").await;
    }

    // The ledger item the measure became (none while a draft) and a piece of evidence.
    let ledger = my_ledger(author).await;
    let (item, item_revision, evidence) = match ledger.rows.first() {
        Some(row) => {
            let attached = author
                .upload_with(
                    "attach_ledger_evidence",
                    &[("item_id", &row.id), ("text", "读书笔记")],
                    "file",
                    "笔记.pdf",
                    b"%PDF-1.4\n%fixture\n",
                )
                .await;
            assert!(attached.status.is_success(), "{}", attached.body);
            let detail = entry(author, &row.id).await;
            let href = &detail.evidence[0].href;
            let evidence = href.rsplit('/').next().unwrap().to_string();
            (row.id.clone(), detail.revision, evidence)
        }
        None => ("no-such-item".into(), 1, "no-such-evidence".into()),
    };

    // The meeting's opinions: one released to 张明, one 刘芳 wrote and may still take back.
    ok(
        secretary,
        "save_cycle_options",
        &[
            ("meeting_id", &meeting),
            ("survey_scope", "members"),
            ("criticism_mode", "open"),
            ("ballot_enabled", "on"),
        ],
    )
    .await;
    ok(
        secretary,
        "set_survey_phase",
        &[("meeting_id", &meeting), ("phase", "open")],
    )
    .await;
    // A 民主评议党员 set up, not yet opened.
    ok(
        secretary,
        "save_evaluation_settings",
        &[
            ("meeting_id", &meeting),
            ("enabled", "on"),
            ("voters", "all"),
            ("assembly_needed", "on"),
        ],
    )
    .await;
    ok(
        secretary,
        "curate_opinion",
        &[
            ("meeting_id", &meeting),
            ("recipient_id", &author_id),
            ("text", "群众反映：希望多深入基层"),
        ],
    )
    .await;
    ok(
        secretary,
        "release_opinions",
        &[("meeting_id", &meeting), ("recipient_id", &author_id)],
    )
    .await;
    ok(
        member,
        "write_criticism",
        &[
            ("meeting_id", &meeting),
            ("recipient_id", &author_id),
            ("text", "张明同志调研不够深入"),
        ],
    )
    .await;
    let received: MemberCycleView = ok(author, "member_cycle", &[("meeting_id", &meeting)])
        .await
        .json();
    let released_opinion = received.received[0].id.clone();
    ok(
        author,
        "answer_opinion",
        &[
            ("opinion_id", &released_opinion),
            ("declined", "所反映情况系工作安排所致，已当面说明"),
        ],
    )
    .await;
    let written: MemberCycleView = ok(member, "member_cycle", &[("meeting_id", &meeting)])
        .await
        .json();
    let unreleased_opinion = written.written[0].id.clone();

    // An organisation template, and 张明's calendar address.
    let fields = org_template_fields();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    ok(admin, "publish_org_template", &fields).await;
    let templates: OrgTemplatesView = ok(admin, "org_templates", &[("from", "")]).await.json();
    let org_template = templates.published[0].id.clone();
    ok(author, "issue_calendar_link", &[("scope", "own")]).await;
    let links: Vec<CalendarLink> = ok(author, "calendar_links", &[]).await.json();
    let address = links
        .iter()
        .find_map(|link| link.address.clone())
        .expect("issued");
    let calendar_file = address.rsplit('/').next().unwrap().to_string();

    // A 整改方案 item typed in by the secretary, to edit and remove.
    ok(
        secretary,
        "save_plan_item",
        &plan_item_form(&meeting, &author_id),
    )
    .await;
    let plan: xingshen::server::rectification_plan::PlanView =
        ok(secretary, "rectification_plan", &[("meeting_id", &meeting)])
            .await
            .json();
    let plan_item = plan.rows[0].id.clone();

    let backup = std::env::temp_dir().join(format!(
        "xingshen-access-{:?}-{}.surql",
        state,
        std::process::id()
    ));
    app.store.backup_to(&backup).await.unwrap();
    Fixture {
        backup,
        cookies: clients.iter().map(|c| c.cookie.clone()).collect(),
        meeting,
        branch,
        author_id,
        member_id,
        material,
        version,
        kept,
        item,
        item_revision,
        evidence,
        released_opinion,
        unreleased_opinion,
        org_template,
        calendar_file,
        org: app.store.list_orgs().await.unwrap()[0].id.clone(),
        plan_item,
        upper_admin_id,
        supervisor_id,
    }
}

fn default_template() -> xingshen::domain::template_form::TemplateForm {
    xingshen::domain::template_form::TemplateForm::of(
        &xingshen::domain::template::Template::branch_meeting_default(),
    )
}

/// The default template as the organisation's template form posts it (no meeting).
fn org_template_fields() -> Vec<(String, String)> {
    template_fields("", &default_template())
        .into_iter()
        .filter(|(name, _)| name != "meeting_id")
        .collect()
}

/// How a row reaches the app.
enum Call {
    /// A server function, form-encoded as the hydrated page sends it.
    Function(Vec<(String, String)>),
    /// A server function that reads multipart (text fields, then an optional file).
    Multipart(
        Vec<(String, String)>,
        Option<(&'static str, &'static str, Vec<u8>)>,
    ),
    /// A download.
    Get(String),
    /// The format tool's posted download.
    PostDraft(&'static str),
}

struct Row {
    /// The server function's endpoint, or the download route as registered.
    name: &'static str,
    call: Call,
    /// One outcome per actor (in `ACTORS` order), for a draft, a submitted and an approved
    /// material.
    expected: [&'static str; 3],
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn function(name: &'static str, pairs: &[(&str, &str)], expected: [&'static str; 3]) -> Row {
    Row {
        name,
        call: Call::Function(fields(pairs)),
        expected,
    }
}

fn download(name: &'static str, path: String, expected: [&'static str; 3]) -> Row {
    Row {
        name,
        call: Call::Get(path),
        expected,
    }
}

/// The same outcomes whatever the material's state.
const fn all(outcomes: &'static str) -> [&'static str; 3] {
    [outcomes, outcomes, outcomes]
}

/// The table. Actors: anonymous, author, same-branch member, same-branch secretary,
/// other-branch secretary, org admin, the meeting's second reviewer (an admin of the same
/// organisation), another organisation's admin, the admin of the node above the
/// organisation (上级), the admin of the node above the other organisation, the user of the
/// 上级 on the meeting's 督导组.
fn table(f: &Fixture) -> Vec<Row> {
    let m = f.meeting.as_str();
    let material = f.material.as_str();
    let version = f.version.to_string();
    let item_revision = f.item_revision.to_string();
    let grade_author = format!("grades[u{}]", f.author_id);
    let order_author = format!("order[u{}]", f.author_id);
    let present_author = format!("present[u{}]", f.author_id);
    let meeting = meeting_form(&f.branch, &[("plan[everyone]", "true")]);
    let meeting_template = template_fields(m, &default_template());
    let org_template = org_template_fields();
    vec![
        // Accounts: open to anyone (logging in again, logging out, asking who one is).
        function(
            "login",
            &[("login", "zhangming"), ("password", DEMO_PASSWORD)],
            all("YYYYYYYYYYY"),
        ),
        function("logout", &[], all("YYYYYYYYYYY")),
        function("current_user", &[], all("YYYYYYYYYYY")),
        function(
            "change_password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "另一个口令-2026-xs"),
                ("confirm", "另一个口令-2026-xs"),
            ],
            all("LYYYYYYYYYY"),
        ),
        // The organisation: its administrators.
        function("list_branches", &[], all("LNNNNYYYYYN")),
        function(
            "create_branch",
            &[("name", "第九党支部")],
            all("LNNNNYYYYYN"),
        ),
        // A group's kind (党支部 / 领导班子): the administrators of its organisation.
        function(
            "set_group_kind",
            &[("branch_id", &f.branch), ("kind", "leadership")],
            all("LNNNNYYNNNN"),
        ),
        // Notification channels: the organisation's administrators (a branch's secretary
        // only where the organisation allows it, which it does not by default).
        function("notify_overview", &[], all("LNNNNYYYYYN")),
        function(
            "save_notify_channel",
            &[
                ("name", "外部平台"),
                ("kind", "webhook"),
                ("target", "https://bridge.example/hook"),
                ("events", "item_overdue"),
            ],
            all("LNNNNYYYYYN"),
        ),
        function(
            "send_test_notification",
            &[("channel_id", "nochannel")],
            all("LNNNNNNNNNN"),
        ),
        function(
            "delete_notify_channel",
            &[("channel_id", "nochannel")],
            all("LNNNNNNNNNN"),
        ),
        // Whether secretaries may set up their branch's channels: the administrators.
        function(
            "allow_branch_notify",
            &[("allowed", "on")],
            all("LNNNNYYYYYN"),
        ),
        // The organisation tree: each administrator their node and those below it.
        function("org_tree", &[], all("LNNNNYYYYYN")),
        function(
            "create_org_node",
            &[
                ("parent_id", &f.org),
                ("name", "机关党总支"),
                ("kind", "党总支"),
            ],
            all("LNNNNYYNYNN"),
        ),
        function(
            "update_org_node",
            &[
                ("node_id", &f.org),
                ("name", "示例机关党委"),
                ("kind", "党委"),
            ],
            all("LNNNNYYNYNN"),
        ),
        function(
            "move_branch",
            &[("branch_id", &f.branch), ("node_id", &f.org)],
            all("LNNNNYYNYNN"),
        ),
        function(
            "create_node_admin",
            &[
                ("node_id", &f.org),
                ("name", "孙总支"),
                ("login", "sunzongzhi"),
                ("post", ""),
            ],
            all("LNNNNYYNYNN"),
        ),
        function("node_ledger", &[("node_id", &f.org)], all("LNNNNYYNYNN")),
        // The 上级's overview (issue 28, item 6): the demo organisation's node, by name.
        function(
            "org_overview",
            &[
                ("node_id", &f.org),
                ("stage", ""),
                ("page", "1"),
                ("nodes_page", "1"),
            ],
            all("LNNNNYYNYNN"),
        ),
        function("list_users", &[], all("LNNNNYYYYYN")),
        function(
            "create_user",
            &[
                ("name", "孙丽"),
                ("login", "sunli"),
                ("post", "科员"),
                ("role", "member"),
                ("branch_id", &f.branch),
            ],
            all("LNNNNYYXYXN"),
        ),
        function(
            "reset_user_password",
            &[("user_id", &f.member_id)],
            all("LNNNNYYNYNN"),
        ),
        function(
            "set_user_disabled",
            &[("user_id", &f.member_id), ("disabled", "true")],
            all("LNNNNYYNYNN"),
        ),
        Row {
            name: "import_roster",
            call: Call::Multipart(
                vec![],
                Some((
                    "roster",
                    "名单.csv",
                    "姓名,登录名/手机,职务,支部\n周强,zhouqiang,科员,第一党支部\n"
                        .as_bytes()
                        .to_vec(),
                )),
            ),
            expected: all("LNNNNYYXXXN"),
        },
        function("org_templates", &[("from", "")], all("LNNNNYYYYYN")),
        Row {
            name: "publish_org_template",
            call: Call::Function(org_template),
            expected: all("LNNNNYYYYYN"),
        },
        // Policy packs: only the organisation's administrators upload and download them.
        Row {
            name: "upload_policy_pack",
            call: Call::Multipart(
                vec![],
                Some((
                    "pack",
                    "2025-branch-member.toml",
                    xingshen::domain::pack::shipped_pack_text("2025-branch-member")
                        .unwrap()
                        .as_bytes()
                        .to_vec(),
                )),
            ),
            expected: all("LNNNNYYYYYN"),
        },
        download(
            "/admin/packs/{file}",
            "/admin/packs/2025-branch-member.toml".into(),
            all("NNNNNYYYYYN"),
        ),
        function(
            "withdraw_org_template",
            &[("template_id", &f.org_template)],
            all("LNNNNYYNNNN"),
        ),
        function(
            "save_warning_tiers",
            &[("yellow_days", "14"), ("red_days", "3")],
            all("LNNNNYYYYYN"),
        ),
        // Calendars: one's own, or a branch one runs.
        function("calendar_links", &[], all("LYYYYYYYYYY")),
        function(
            "issue_calendar_link",
            &[("scope", "own")],
            all("LYYYYYYYYYY"),
        ),
        function(
            "issue_calendar_link",
            &[("scope", &f.branch)],
            all("LNNYNNNNNNN"),
        ),
        function(
            "revoke_calendar_link",
            &[("scope", "own")],
            all("LYYYYYYYYYY"),
        ),
        // The material, its editor and its history.
        function("my_materials", &[], all("LYYYYYYYYYY")),
        function("my_returned_materials", &[], all("LYYYYYYYYYY")),
        function("start_material", &[("meeting_id", m)], all("LYYYNNNNNNN")),
        function(
            "material_editor",
            &[("material_id", material)],
            all("LYNNNNNNNNN"),
        ),
        Row {
            name: "save_material_step",
            call: Call::Multipart(
                fields(&[
                    ("material_id", material),
                    ("base_version", &version),
                    ("request_id", "matrix-save"),
                    ("step", "opening"),
                    ("js", "1"),
                    ("title", "新的标题"),
                ]),
                None,
            ),
            expected: ["LYNNNNNNNNN", "LXNNNNNNNNN", "LXNNNNNNNNN"],
        },
        function(
            "adopt_kept_copy",
            &[
                ("material_id", material),
                ("kept_id", &f.kept),
                ("base_version", &version),
                ("request_id", "matrix-adopt"),
            ],
            ["LYNNNNNNNNN", "LXNNNNNNNNN", "LXNNNNNNNNN"],
        ),
        function(
            "set_aside_kept_copy",
            &[("material_id", material), ("kept_id", &f.kept)],
            all("LYNNNNNNNNN"),
        ),
        function(
            "submit_material",
            &[("material_id", material), ("version", &version)],
            ["LYNNNNNNNNN", "LYNNNNNNNNN", "LXNNNNNNNNN"],
        ),
        function(
            "withdraw_material",
            &[("material_id", material)],
            ["LXNNNNNNNNN", "LYNNNNNNNNN", "LXNNNNNNNNN"],
        ),
        function(
            "material_revisions",
            &[("material_id", material)],
            all("LYNNNNNNNNN"),
        ),
        function(
            "material_history_head",
            &[("material_id", material)],
            all("LYNNNNNNNNN"),
        ),
        // The collective 班子对照检查材料 is a 民主生活会's: this meeting (a 专题组织生活会)
        // has none, for anyone.
        function(
            "collective_material",
            &[("meeting_id", m)],
            all("LNNNNNNNNNN"),
        ),
        function(
            "start_collective_material",
            &[("meeting_id", m)],
            all("LNNNNNNNNNN"),
        ),
        function(
            "set_collective_drafter",
            &[("meeting_id", m), ("drafter_id", "nobody")],
            all("LNNNNNNNNNN"),
        ),
        function(
            "comment_collective_material",
            &[("meeting_id", m), ("anchor", "whole"), ("text", "意见")],
            all("LNNNNNNNNNN"),
        ),
        function(
            "revision_diff",
            &[("material_id", material), ("version", "1")],
            all("LYNNNNNNNNN"),
        ),
        function(
            "restore_material_revision",
            &[
                ("material_id", material),
                ("version", "1"),
                ("base_version", &version),
                ("request_id", "matrix-restore"),
            ],
            ["LYNNNNNNNNN", "LXNNNNNNNNN", "LXNNNNNNNNN"],
        ),
        Row {
            name: "import_material",
            call: Call::Multipart(
                fields(&[
                    ("material_id", material),
                    ("base_version", &version),
                    ("request_id", "matrix-import"),
                ]),
                Some((
                    "file",
                    "草稿.txt",
                    "一、存在的问题\n（一）学习不够深入\n二、整改措施\n每月精读原著2篇。\n"
                        .as_bytes()
                        .to_vec(),
                )),
            ),
            expected: ["LYNNNNNNNNN", "LXNNNNNNNNN", "LXNNNNNNNNN"],
        },
        download(
            "/materials/{id}/download.docx",
            format!("/materials/{material}/download.docx"),
            all("NYNNNNNNNNN"),
        ),
        // Meetings and review: the branch's secretary.
        function("my_branch_meetings", &[], all("LYYYYYYYYYY")),
        Row {
            name: "create_meeting",
            call: Call::Function(fields(&meeting)),
            expected: all("LNNYNNNNNNN"),
        },
        function(
            "meeting_dashboard",
            &[("meeting_id", m)],
            all("LNNYNNNNNNN"),
        ),
        function(
            "review_material",
            &[("material_id", material)],
            ["LNNNNNNNNNN", "LNNYNNNNNNN", "LNNYNNYNNNN"],
        ),
        function(
            "comment_on_material",
            &[
                ("material_id", material),
                ("round", "1"),
                ("anchor", "whole"),
                ("text", "请把事例写具体"),
            ],
            ["LNNNNNNNNNN", "LNNYNNNNNNN", "LNNYNNYNNNN"],
        ),
        function(
            "decide_material",
            &[
                ("material_id", material),
                ("round", "1"),
                ("decision", "returned"),
                ("reason", "请把措施写具体"),
            ],
            ["LNNNNNNNNNN", "LNNYNNNNNNN", "LNNXNNXNNNN"],
        ),
        function(
            "similarity_check",
            &[("material_id", material)],
            ["LYNNNNNNNNN", "LYNYNNNNNNN", "LYNYNNYNNNN"],
        ),
        function("meeting_template", &[("meeting_id", m)], all("LNNYNNNNNNN")),
        Row {
            name: "save_meeting_template",
            call: Call::Function(meeting_template),
            expected: all("LNNYNNNNNNN"),
        },
        function("my_second_reviews", &[], all("LYYYYYYYYYY")),
        function("my_pending_reviews", &[], all("LYYYYYYYYYY")),
        download(
            "/meetings/{id}/book.docx",
            format!("/meetings/{m}/book.docx"),
            all("NNNYNNNNNNN"),
        ),
        download(
            "/meetings/{id}/book.zip",
            format!("/meetings/{m}/book.zip"),
            all("NNNYNNNNNNN"),
        ),
        download(
            "/meetings/{id}/summary.xlsx",
            format!("/meetings/{m}/summary.xlsx"),
            all("NNNYNNNNNNN"),
        ),
        // The meeting cycle.
        function("member_cycle", &[("meeting_id", m)], all("LYYYNNNNNNN")),
        function("survey_form", &[("meeting_id", m)], all("LYYYNNNNNNN")),
        function(
            "answer_survey",
            &[("meeting_id", m), ("general", "多听群众意见")],
            all("LYYYNNNNNNN"),
        ),
        function(
            "write_criticism",
            &[
                ("meeting_id", m),
                ("recipient_id", &f.author_id),
                ("text", "工作标准不够高"),
            ],
            all("LXYYNNNNNNN"),
        ),
        function(
            "answer_opinion",
            &[
                ("opinion_id", &f.released_opinion),
                ("response", "已在材料中回应"),
            ],
            all("LYNNNNNNNNN"),
        ),
        function(
            "log_talk",
            &[
                ("meeting_id", m),
                ("partner_id", &f.member_id),
                ("on", "2026-11-20"),
                ("topics", "交流学习体会"),
            ],
            all("LYXYNNNNNNN"),
        ),
        function("ballot_form", &[("meeting_id", m)], all("LYYYNNNNNNN")),
        function(
            "cast_ballot",
            &[("meeting_id", m), (grade_author.as_str(), "excellent")],
            all("LXXXNNNNNNN"),
        ),
        function("cycle_admin", &[("meeting_id", m)], all("LNNYNNNNNNN")),
        function(
            "save_cycle_options",
            &[
                ("meeting_id", m),
                ("survey_scope", "members"),
                ("criticism_mode", "open"),
            ],
            all("LNNYNNNNNNN"),
        ),
        function(
            "set_survey_phase",
            &[("meeting_id", m), ("phase", "close")],
            all("LNNYNNNNNNN"),
        ),
        function(
            "set_ballot_phase",
            &[("meeting_id", m), ("phase", "open")],
            all("LNNYNNNNNNN"),
        ),
        function(
            "curate_opinion",
            &[
                ("meeting_id", m),
                ("recipient_id", &f.author_id),
                ("text", "群众反映：会议多"),
            ],
            all("LNNYNNNNNNN"),
        ),
        function(
            "release_opinions",
            &[("meeting_id", m), ("recipient_id", &f.author_id)],
            all("LNNYNNNNNNN"),
        ),
        function(
            "remove_opinion",
            &[("opinion_id", &f.unreleased_opinion)],
            all("LNYYNNNNNNN"),
        ),
        function(
            "set_criticism_pair",
            &[
                ("meeting_id", m),
                ("giver_id", &f.member_id),
                ("recipient_id", &f.author_id),
                ("action", "assign"),
            ],
            all("LNNYNNNNNNN"),
        ),
        function("meeting_record", &[("meeting_id", m)], all("LNNYNNNNNNN")),
        function(
            "save_attendance",
            &[
                ("meeting_id", m),
                (order_author.as_str(), "1"),
                (present_author.as_str(), "on"),
            ],
            all("LNNYNNNNNNN"),
        ),
        function(
            "save_speaker",
            &[
                ("meeting_id", m),
                ("person_id", &f.author_id),
                ("version", "0"),
                ("spoken", "on"),
                ("criticisms", "刘芳：调研不够深入"),
            ],
            all("LNNYNNNNNNN"),
        ),
        function(
            "save_minutes_notes",
            &[("meeting_id", m), ("notes", "会议由李红梅主持")],
            all("LNNYNNNNNNN"),
        ),
        function(
            "finalise_material",
            &[("material_id", material), ("version", &version)],
            all("LXNNNNNNNNN"),
        ),
        function("meeting_report", &[("meeting_id", m)], all("LNNYNNNNNNN")),
        function("mark_reported", &[("meeting_id", m)], all("LNNYNNNNNNN")),
        // The 报送 package: the secretary, and the 督导组 while it follows the meeting.
        download(
            "/meetings/{id}/package.zip",
            format!("/meetings/{m}/package.zip"),
            all("NNNYNNNNNNY"),
        ),
        // The 督导组 (issue 28): assigned by an administrator of the branch (its own
        // organisation's, or the 上级's); the plan submitted by the secretary and decided by
        // the 督导组 (not submitted here, so a decision is refused for its state); the page,
        // the 会前准备情况报告 and the 点评: the 督导组, and the secretary for all but the 点评.
        function(
            "supervision_setup",
            &[("meeting_id", m)],
            all("LNNNNYYNYNN"),
        ),
        function(
            "assign_supervisor",
            &[("meeting_id", m), ("user_id", &f.upper_admin_id)],
            all("LNNNNYYNYNN"),
        ),
        function(
            "remove_supervisor",
            &[("meeting_id", m), ("user_id", &f.supervisor_id)],
            all("LNNNNYYNYNN"),
        ),
        function(
            "submit_meeting_plan",
            &[("meeting_id", m)],
            all("LNNYNNNNNNN"),
        ),
        function(
            "decide_meeting_plan",
            &[("meeting_id", m), ("decision", "approved")],
            all("LNNNNNNNNNX"),
        ),
        function(
            "supervision_meeting",
            &[("meeting_id", m)],
            all("LNNYNNNNNNY"),
        ),
        function(
            "preparation_report",
            &[("meeting_id", m)],
            all("LNNYNNNNNNY"),
        ),
        function(
            "record_supervisor_remark",
            &[("meeting_id", m), ("text", "查摆问题较为深刻")],
            all("LNNNNNNNNNY"),
        ),
        function("my_supervisions", &[], all("LYYYYYYYYYY")),
        download(
            "/meetings/{id}/preparation.docx",
            format!("/meetings/{m}/preparation.docx"),
            all("NNNYNNNNNNY"),
        ),
        download(
            "/meetings/{id}/agenda.docx",
            format!("/meetings/{m}/agenda.docx"),
            all("NNNYNNNNNNN"),
        ),
        // 民主评议党员 (set up, not yet opened).
        function("evaluation_form", &[("meeting_id", m)], all("LYYYNNNNNNN")),
        function(
            "save_self_assessment",
            &[
                ("meeting_id", m),
                ("ideals", "坚定理想信念"),
                ("discipline", "严守纪律"),
                ("conduct", "立足岗位"),
                ("shortcomings", "学习不够深入"),
                ("grade", "qualified"),
            ],
            all("LYYYNNNNNNN"),
        ),
        function(
            "cast_evaluation",
            &[("meeting_id", m), (grade_author.as_str(), "excellent")],
            all("LXXXNNNNNNN"),
        ),
        function("evaluation_admin", &[("meeting_id", m)], all("LNNYNNNNNNN")),
        function(
            "save_evaluation_settings",
            &[
                ("meeting_id", m),
                ("enabled", "on"),
                ("excellent_share", "30"),
                ("voters", "all"),
            ],
            all("LNNYNNNNNNN"),
        ),
        function(
            "set_evaluation_phase",
            &[("meeting_id", m), ("phase", "open")],
            all("LNNYNNNNNNN"),
        ),
        // Before the 互评/测评 closed no grade is set, nor the result finalised.
        function(
            "set_evaluation_grade",
            &[
                ("meeting_id", m),
                ("member_id", &f.author_id),
                ("grade", "qualified"),
            ],
            all("LNNXNNNNNNN"),
        ),
        function(
            "finalise_evaluation",
            &[
                ("meeting_id", m),
                ("committee_on", "2026-01-10"),
                ("assembly_on", "2026-01-12"),
            ],
            all("LNNXNNNNNNN"),
        ),
        function(
            "save_follow_up",
            &[
                ("meeting_id", m),
                ("member_id", &f.author_id),
                ("talk_on", "2026-01-15"),
                ("talk_by", "李红梅"),
            ],
            all("LNNXNNNNNNN"),
        ),
        function(
            "evaluation_follow_ups",
            &[("meeting_id", m)],
            all("LNNYNYYNYNN"),
        ),
        // The notice exists only once the result is final (see tests/app/evaluation.rs).
        download(
            "/meetings/{id}/evaluation/notice.docx",
            format!("/meetings/{m}/evaluation/notice.docx"),
            all("NNNNNNNNNNN"),
        ),
        download(
            "/meetings/{id}/evaluation/sheet.xlsx",
            format!("/meetings/{m}/evaluation/sheet.xlsx"),
            all("NNNYNNNNNNN"),
        ),
        download(
            "/meetings/{id}/evaluation/sheet.docx",
            format!("/meetings/{m}/evaluation/sheet.docx"),
            all("NNNYNNNNNNN"),
        ),
        // 整改台账.
        function("my_ledger", &[], all("LYYYYYYYYYY")),
        function(
            "branch_ledger",
            &[("branch_id", &f.branch)],
            all("LNNYNYYNYNN"),
        ),
        function(
            "ledger_entry",
            &[("item_id", &f.item)],
            ["LNNNNNNNNNN", "LYNYNYYNYNN", "LYNYNYYNYNN"],
        ),
        function(
            "act_on_ledger_item",
            &[
                ("item_id", &f.item),
                ("revision", &item_revision),
                ("action", "progress"),
                ("text", "已完成第一季度学习"),
            ],
            ["LNNNNNNNNNN", "LYNXNXXNXNN", "LYNXNXXNXNN"],
        ),
        Row {
            name: "attach_ledger_evidence",
            call: Call::Multipart(
                fields(&[("item_id", &f.item), ("text", "第二季度笔记")]),
                Some(("file", "笔记2.pdf", b"%PDF-1.4\n%matrix\n".to_vec())),
            ),
            expected: ["LNNNNNNNNNN", "LYNYNYYNYNN", "LYNYNYYNYNN"],
        },
        function(
            "publish_ledger_list",
            &[("meeting_id", m), ("publish", "1")],
            all("LNNYNYYNYNN"),
        ),
        function("published_ledgers", &[], all("LYYYYYYYYYY")),
        function("my_reminders", &[], all("LYYYYYYYYYY")),
        function("my_reminder_count", &[], all("LYYYYYYYYYY")),
        function("org_ledger", &[], all("LNNNNYYYYYN")),
        download(
            "/ledger/mine.xlsx",
            "/ledger/mine.xlsx".into(),
            all("NYYYYYYYYYY"),
        ),
        download(
            "/ledger/mine.docx",
            "/ledger/mine.docx".into(),
            all("NYYYYYYYYYY"),
        ),
        download(
            "/ledger/org.xlsx",
            "/ledger/org.xlsx".into(),
            all("NNNNNYYYYYN"),
        ),
        download(
            "/ledger/org.docx",
            "/ledger/org.docx".into(),
            all("NNNNNYYYYYN"),
        ),
        download(
            "/ledger/branch/{id}/ledger.docx",
            format!("/ledger/branch/{}/ledger.docx", f.branch),
            all("NNNYNYYNYNN"),
        ),
        download(
            "/ledger/branch/{id}/ledger.xlsx",
            format!("/ledger/branch/{}/ledger.xlsx", f.branch),
            all("NNNYNYYNYNN"),
        ),
        download(
            "/ledger/evidence/{id}",
            format!("/ledger/evidence/{}", f.evidence),
            ["NNNNNNNNNNN", "NYNYNYYNYNN", "NYNYNYYNYNN"],
        ),
        // 整改方案: the group's secretary edits; whoever oversees its ledger reads.
        function(
            "rectification_plan",
            &[("meeting_id", m)],
            all("LNNYNYYNYNN"),
        ),
        function(
            "save_plan_item",
            &plan_item_form(m, &f.author_id),
            all("LNNYNNNNNNN"),
        ),
        function(
            "remove_plan_item",
            &[("meeting_id", m), ("item_id", &f.plan_item)],
            all("LNNYNNNNNNN"),
        ),
        // Only an approved material's measures join the plan.
        function(
            "import_plan_measures",
            &[("meeting_id", m), ("material_id", material)],
            ["LNNXNNNNNNN", "LNNXNNNNNNN", "LNNYNNNNNNN"],
        ),
        download(
            "/meetings/{id}/rectification/plan.docx",
            format!("/meetings/{m}/rectification/plan.docx"),
            all("NNNYNYYNYNN"),
        ),
        download(
            "/meetings/{id}/rectification/report.docx",
            format!("/meetings/{m}/rectification/report.docx?on=2099-01-01"),
            all("NNNYNYYNYNN"),
        ),
        // A calendar address is the capability itself: whoever holds it reads the feed.
        download(
            "/calendar/{file}",
            format!("/calendar/{}", f.calendar_file),
            all("YYYYYYYYYYY"),
        ),
        // The format tool needs no account.
        Row {
            name: "recognise_draft",
            call: Call::Multipart(fields(&[("text", DRAFT)]), None),
            expected: all("YYYYYYYYYYY"),
        },
        Row {
            name: "/format/download.docx",
            call: Call::PostDraft(DRAFT),
            expected: all("YYYYYYYYYYY"),
        },
    ]
}

const DRAFT: &str = "一、存在的问题\n（一）学习不够深入\n二、整改措施\n每月精读原著2篇。\n";

async fn perform(client: &mut Client, row: &Row) -> char {
    match &row.call {
        Call::Function(pairs) => {
            let pairs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let reply = client.call(row.name, &pairs).await;
            if std::env::var_os("XINGSHEN_MATRIX_DEBUG").is_some() {
                println!("{}: {} {}", row.name, reply.status, reply.body);
            }
            outcome_of_call(&reply)
        }
        Call::Multipart(text, file) => {
            let pairs: Vec<(&str, &str)> =
                text.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let reply = match file {
                Some((field, name, bytes)) => {
                    client
                        .upload_with(row.name, &pairs, field, name, bytes)
                        .await
                }
                None => client.multipart(row.name, &pairs, None).await,
            };
            outcome_of_call(&reply)
        }
        Call::Get(path) => outcome_of_download(&client.get(path).await),
        Call::PostDraft(text) => {
            let (content_type, body) = multipart_body(&[("text", text)], None);
            let request = Request::post(row.name)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ORIGIN, "http://localhost")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap();
            outcome_of_download(&client.send(request).await)
        }
    }
}

/// The database's content, login sessions left out (a request may refresh its own).
async fn content(store: &Store) -> Vec<xingshen::store::backup::TablePrint> {
    let mut prints = store.fingerprint().await.unwrap();
    prints.retain(|print| print.table != "login_session");
    prints
}

/// Runs every row in `state`; returns the rows whose outcomes differ, as table lines.
async fn run_matrix(state: State) -> Vec<String> {
    let fixture = prepare(state).await;
    let column = state as usize;
    let mut differences = Vec::new();
    for row in table(&fixture) {
        let refused =
            |actor: usize| matches!(row.expected[column].chars().nth(actor), Some('L' | 'N'));
        let mut observed = ['?'; ACTORS.len()];
        // Those who must be refused share one copy, which must stay as it was.
        let store = Store::restore("mem://", &fixture.backup).await.unwrap();
        let app = TestApp::with_store(store.clone());
        let before = content(&store).await;
        for actor in (0..ACTORS.len()).filter(|&actor| refused(actor)) {
            let mut client = app.client();
            client.cookie = fixture.cookies[actor].clone();
            observed[actor] = perform(&mut client, &row).await;
        }
        assert_eq!(
            content(&store).await,
            before,
            "{} in {state:?}: a refused call changed the database",
            row.name
        );
        // The others each get a fresh copy: one's deletion must not decide the next one's
        // outcome.
        for actor in (0..ACTORS.len()).filter(|&actor| !refused(actor)) {
            let app = TestApp::with_store(Store::restore("mem://", &fixture.backup).await.unwrap());
            let mut client = app.client();
            client.cookie = fixture.cookies[actor].clone();
            observed[actor] = perform(&mut client, &row).await;
        }
        let observed: String = observed.iter().collect();
        if observed != row.expected[column] {
            differences.push(format!(
                "{:<32} expected {} observed {}",
                row.name, row.expected[column], observed
            ));
        }
    }
    let _ = std::fs::remove_file(&fixture.backup);
    differences
}

async fn matrix_holds(state: State) {
    let differences = run_matrix(state).await;
    assert!(
        differences.is_empty(),
        "the access matrix differs in {state:?} (actors: {}):\n{}",
        ACTORS.join(", "),
        differences.join("\n")
    );
}

#[tokio::test]
async fn the_access_matrix_holds_while_the_material_is_a_draft() {
    matrix_holds(State::Draft).await;
}

#[tokio::test]
async fn the_access_matrix_holds_once_the_material_is_submitted() {
    matrix_holds(State::Submitted).await;
}

#[tokio::test]
async fn the_access_matrix_holds_once_the_material_is_approved() {
    matrix_holds(State::Approved).await;
}

/// Every registered server function and every download route has a row.
#[tokio::test]
async fn every_server_function_and_download_is_in_the_matrix() {
    let fixture = Fixture::default();
    let in_table: BTreeSet<&str> = table(&fixture).iter().map(|row| row.name).collect();
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .chain(
            xingshen::web::download_routes()
                .into_iter()
                .map(|(path, _)| path.to_string()),
        )
        .collect();
    let missing: Vec<&String> = registered
        .iter()
        .filter(|name| !in_table.contains(name.as_str()))
        .collect();
    let unknown: Vec<&&str> = in_table
        .iter()
        .filter(|name| !registered.contains(**name))
        .collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "not in the access matrix: {missing:?}; in the matrix but not registered: {unknown:?}"
    );
    assert!(registered.len() > 80, "{} routes", registered.len());
}
