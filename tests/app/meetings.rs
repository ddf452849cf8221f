//! A secretary's meetings through HTTP: setting one up (with its checks), the collection
//! dashboard, review rounds with anchored comments, the exports — and that nobody but the
//! branch's secretary reaches any of it, and that a draft is never shown to a reviewer.

use crate::editor::{editor, save, step_of};
use crate::support::{Client, TestApp};
use xingshen::domain::material::PartKind;
use xingshen::domain::meeting::Progress;
use xingshen::server::AppError;
use xingshen::server::materials::{MeetingEntry, SaveReply};
use xingshen::server::meetings::{BranchMeetings, DashboardView, ReviewView};

/// The demo meeting of 第一党支部, as its secretary sees it.
pub(crate) async fn demo_meeting(secretary: &mut Client) -> (BranchMeetings, String) {
    let branches: Vec<BranchMeetings> = secretary.call("my_branch_meetings", &[]).await.json();
    assert_eq!(branches.len(), 1, "shuji1 runs one branch");
    let branch = branches.into_iter().next().unwrap();
    let meeting = branch.meetings[0].id.clone();
    (branch, meeting)
}

async fn dashboard(client: &mut Client, meeting: &str) -> DashboardView {
    let reply = client
        .call("meeting_dashboard", &[("meeting_id", meeting)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

pub(crate) async fn review(client: &mut Client, material: &str) -> ReviewView {
    let reply = client
        .call("review_material", &[("material_id", material)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

/// Starts the member's material for the meeting and returns its id.
pub(crate) async fn start(member: &mut Client, meeting: &str) -> String {
    let reply = member
        .call("start_material", &[("meeting_id", meeting)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

/// Fills the required parts (one problem as an item) and submits; returns the problem's id.
pub(crate) async fn fill_and_submit(member: &mut Client, material: &str, problem: &str) -> String {
    let version = fill(member, material, problem).await;
    submit(member, material, version).await;
    let view = editor(member, material).await;
    let index: usize = step_of(&view, PartKind::Problems).parse().unwrap();
    view.content.parts[index].items[0].id.0.clone()
}

/// Submits the material at `version`.
pub(crate) async fn submit(member: &mut Client, material: &str, version: i64) {
    let version = version.to_string();
    let reply = member
        .call(
            "submit_material",
            &[("material_id", material), ("version", &version)],
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
}

/// Fills the required parts, one problem as an item; returns the version saved.
pub(crate) async fn fill(member: &mut Client, material: &str, problem: &str) -> i64 {
    let view = editor(member, material).await;
    let problems = step_of(&view, PartKind::Problems);
    let index: usize = problems.parse().unwrap();
    let mut version = view.version;
    let mut problem_id = view.content.parts[index]
        .items
        .first()
        .map(|item| item.id.0.clone());
    if problem_id.is_none() {
        let added: SaveReply = save(
            member,
            material,
            version,
            "add-problem",
            &problems,
            &[("op", "add")],
        )
        .await
        .json();
        version = added.version;
        problem_id = Some(
            editor(member, material).await.content.parts[index].items[0]
                .id
                .0
                .clone(),
        );
    }
    let problem_id = problem_id.unwrap();
    let request = format!("problem-{version}");
    let saved: SaveReply = save(
        member,
        material,
        version,
        &request,
        &problems,
        &[
            ("item.0.id", &problem_id),
            ("item.0.heading", problem),
            (
                "item.0.text",
                "学习停留在读原文、记笔记，联系实际思考不够。",
            ),
            (
                "item.0.example",
                "比如，今年3月集中学习后没有撰写心得体会。",
            ),
        ],
    )
    .await
    .json();
    version = saved.version;
    for kind in [PartKind::Causes, PartKind::Measures] {
        let step = step_of(&view, kind);
        let request = format!("fill-{step}-{version}");
        let text = if kind == PartKind::Causes {
            "理想信念有所松懈，理论武装不够。"
        } else {
            "每月精读原著2篇，长期坚持。"
        };
        let saved: SaveReply = save(
            member,
            material,
            version,
            &request,
            &step,
            &[("paragraphs", text)],
        )
        .await
        .json();
        version = saved.version;
    }
    version
}

pub(crate) fn meeting_form<'a>(
    branch: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("branch_id", branch),
        ("template", "themed-2023"),
        ("plan[kind]", "themed"),
        ("plan[title]", "主题教育专题组织生活会"),
        ("plan[theme]", "学思想、强党性、重实践、建新功"),
        ("plan[plan_on]", "2026-12-01"),
        ("plan[materials_due]", "2026-12-10"),
        ("plan[meeting_on]", "2026-12-15"),
        ("plan[report_due]", ""),
    ];
    for (name, value) in extra {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

#[tokio::test]
async fn a_secretary_sets_up_a_meeting_for_chosen_participants_from_a_built_in_template() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (branch, _) = demo_meeting(&mut secretary).await;
    assert!(branch.templates.iter().any(|t| t.key == "themed-2023"));
    assert!(
        branch.templates.iter().any(|t| t.key == "copy-last"),
        "the demo meeting can be copied"
    );
    let zhangming = branch
        .members
        .iter()
        .find(|m| m.name == "张明")
        .unwrap()
        .user_id
        .clone();

    // Every problem is reported at once, in Chinese, and nothing is created.
    let refused = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch.branch_id,
                &[
                    ("plan[everyone]", "false"),
                    ("plan[meeting_on]", "2026-12-01"),
                ],
            ),
        )
        .await;
    match refused.error() {
        AppError::InvalidRows(messages) => {
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains("会议日期不能早于材料截止日期")),
                "{messages:?}"
            );
            assert!(
                messages.iter().any(|m| m.contains("参会人员")),
                "{messages:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let (after, _) = demo_meeting(&mut secretary).await;
    assert_eq!(after.meetings.len(), 1);

    let created = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch.branch_id,
                &[
                    ("plan[everyone]", "false"),
                    ("plan[participants][0]", &zhangming),
                ],
            ),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let meeting: String = created.json();
    let view = dashboard(&mut secretary, &meeting).await;
    assert_eq!(view.title, "主题教育专题组织生活会");
    assert_eq!(view.kind, "专题组织生活会");
    assert_eq!(view.total, 1, "only the chosen participant");
    assert_eq!(view.rows[0].name, "张明");
    assert!(
        view.dates
            .contains(&("报送截止".to_string(), "2026年12月30日".to_string()))
    );

    // The chosen member sees the meeting with the template's aspects; the other does not.
    let mut zhang = app.logged_in("zhangming").await;
    let listed: Vec<MeetingEntry> = zhang.call("my_materials", &[]).await.json();
    assert!(listed.iter().any(|m| m.meeting_id == meeting));
    let material = start(&mut zhang, &meeting).await;
    assert!(
        editor(&mut zhang, &material)
            .await
            .template
            .aspects
            .contains(&"廉洁自律方面".to_string())
    );
    let mut liu = app.logged_in("liufang").await;
    let listed: Vec<MeetingEntry> = liu.call("my_materials", &[]).await.json();
    assert!(!listed.iter().any(|m| m.meeting_id == meeting));
    let refused = liu
        .call("start_material", &[("meeting_id", &meeting)])
        .await;
    assert_eq!(refused.error(), AppError::NotFound);

    // A participant from another branch is refused.
    let chen_id = app
        .store
        .find_user_by_login(&xingshen::domain::LoginName::parse("chenjing").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let stranger = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch.branch_id,
                &[
                    ("plan[everyone]", "false"),
                    ("plan[participants][0]", &chen_id),
                ],
            ),
        )
        .await;
    assert!(matches!(stranger.error(), AppError::Invalid(m) if m.contains("本支部")));
}

#[tokio::test]
async fn the_dashboard_shows_progress_and_who_has_not_submitted_without_reading_drafts() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let view = dashboard(&mut secretary, &meeting).await;
    assert_eq!(view.handed_in, 0);
    assert!(view.rows.iter().all(|r| r.progress == Progress::NotStarted));
    assert!(
        view.countdown
            .as_deref()
            .is_some_and(|c| c.contains("还有")),
        "{:?}",
        view.countdown
    );

    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    let mut liu = app.logged_in("liufang").await;
    let draft = start(&mut liu, &meeting).await;
    fill_and_submit(&mut zhang, &material, "学用结合不够紧密").await;

    let view = dashboard(&mut secretary, &meeting).await;
    let row = |name: &str| view.rows.iter().find(|r| r.name == name).unwrap().clone();
    assert_eq!(row("张明").progress, Progress::Submitted);
    assert_eq!(
        row("张明").review_material_id.as_deref(),
        Some(material.as_str())
    );
    assert!(
        row("张明").health.is_some(),
        "the submitted round is checked"
    );
    assert_eq!(row("刘芳").progress, Progress::Drafting);
    assert_eq!(
        row("刘芳").review_material_id,
        None,
        "a draft has no review page"
    );
    assert_eq!(row("刘芳").health, None, "nothing is read from a draft");
    assert_eq!(view.handed_in, 1);
    assert!(view.not_handed_in.contains("刘芳") && !view.not_handed_in.contains("张明"));
    assert!(view.counts.contains(&(Progress::Submitted, 1)));

    // The draft itself stays out of reach.
    let hidden = secretary
        .call("review_material", &[("material_id", &draft)])
        .await;
    assert_eq!(hidden.error(), AppError::NotFound);
    let hidden = secretary
        .call("material_editor", &[("material_id", &draft)])
        .await;
    assert_eq!(hidden.error(), AppError::NotFound);

    // The submitted texts are read in one query, however many were handed in.
    let before = app.store.queries_issued();
    dashboard(&mut secretary, &meeting).await;
    let with_one = app.store.queries_issued() - before;
    fill_and_submit(&mut liu, &draft, "调查研究不够深入").await;
    let before = app.store.queries_issued();
    let view = dashboard(&mut secretary, &meeting).await;
    let with_two = app.store.queries_issued() - before;
    assert_eq!(view.handed_in, 2);
    assert!(view.rows.iter().filter(|r| r.health.is_some()).count() == 2);
    assert_eq!(with_two, with_one, "queries per dashboard");
}

#[tokio::test]
async fn a_returned_round_carries_anchored_comments_to_the_author_and_the_next_round_is_diffed() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    let problem = fill_and_submit(&mut zhang, &material, "学用结合不够紧密").await;

    let round = review(&mut secretary, &material).await;
    assert_eq!(round.round, 1);
    assert!(round.pending);
    let anchor = format!("item:{problem}");
    assert!(round.anchors.iter().any(|a| a.code == anchor));
    let commented = secretary
        .call(
            "comment_on_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("anchor", &anchor),
                ("text", "事例不够具体，请写明时间和次数"),
            ],
        )
        .await;
    assert!(commented.status.is_success(), "{}", commented.body);
    let nowhere = secretary
        .call(
            "comment_on_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("anchor", "item:p99"),
                ("text", "x"),
            ],
        )
        .await;
    assert!(matches!(nowhere.error(), AppError::Invalid(_)));
    let no_reason = secretary
        .call(
            "decide_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("decision", "returned"),
                ("reason", " "),
            ],
        )
        .await;
    assert!(matches!(no_reason.error(), AppError::Invalid(m) if m.contains("理由")));
    let returned = secretary
        .call(
            "decide_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("decision", "returned"),
                ("reason", "请补充具体事例"),
            ],
        )
        .await;
    assert!(returned.status.is_success(), "{}", returned.body);
    let twice = secretary
        .call(
            "decide_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("decision", "approved"),
                ("reason", ""),
            ],
        )
        .await;
    assert!(
        matches!(twice.error(), AppError::Conflict(_)),
        "a round is decided once"
    );

    // The author sees the decision and the comment beside the problem, revises, resubmits.
    let view = editor(&mut zhang, &material).await;
    assert_eq!(view.decisions.len(), 1);
    assert_eq!(view.decisions[0].reason, "请补充具体事例");
    assert_eq!(view.comments.len(), 1);
    assert_eq!(view.comments[0].anchor, anchor);
    assert!(view.comments[0].anchor_label.contains("学用结合不够紧密"));
    fill_and_submit(
        &mut zhang,
        &material,
        "学用结合不够紧密，今年3月起学习后未写心得",
    )
    .await;

    let second = review(&mut secretary, &material).await;
    assert_eq!(second.round, 2);
    assert!(
        second
            .changes
            .iter()
            .any(|l| l.text.contains("今年3月起学习后未写心得")),
        "{:?}",
        second.changes
    );
    assert_eq!(
        second.comments.len(),
        1,
        "round 1's comment stays in the history"
    );
    let approved = secretary
        .call(
            "decide_material",
            &[
                ("material_id", &material),
                ("round", "2"),
                ("decision", "approved"),
                ("reason", ""),
            ],
        )
        .await;
    assert!(approved.status.is_success(), "{}", approved.body);
    let view = dashboard(&mut secretary, &meeting).await;
    assert_eq!(view.approved, 1);
    let history = review(&mut secretary, &material).await;
    let decisions: Vec<(i64, String)> = history
        .decisions
        .iter()
        .map(|d| (d.round, d.decision.clone()))
        .collect();
    assert_eq!(
        decisions,
        vec![(1, "退回修改".to_string()), (2, "审核通过".to_string())]
    );
    assert!(!history.pending);

    // The approved material is in the 汇编, the zip and the summary sheet.
    let book = secretary
        .get(&format!("/meetings/{meeting}/book.docx"))
        .await;
    assert!(book.status.is_success());
    assert!(
        book.header("content-disposition")
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    let zip = secretary
        .get(&format!("/meetings/{meeting}/book.zip"))
        .await;
    assert!(zip.status.is_success());
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let sheet = secretary
        .get(&format!("/meetings/{meeting}/summary.xlsx"))
        .await;
    assert!(sheet.status.is_success());
    assert!(
        app.store
            .count_audit("session.export_book", Some(&meeting))
            .await
            .unwrap()
            == 1
    );
    assert!(
        app.store
            .count_audit("material.approve", Some(&material))
            .await
            .unwrap()
            == 1
    );
}

#[tokio::test]
async fn nobody_but_the_branch_secretary_reaches_a_meeting_its_reviews_or_its_exports() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (branch, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    fill_and_submit(&mut zhang, &material, "学用结合不够紧密").await;

    let mut outsiders = vec![
        ("author", zhang),
        ("same-branch member", app.logged_in("liufang").await),
        ("other-branch secretary", app.logged_in("shuji2").await),
        ("other-branch member", app.logged_in("chenjing").await),
        ("org admin", app.logged_in("admin").await),
        ("anonymous", app.client()),
    ];
    let form = meeting_form(&branch.branch_id, &[("plan[everyone]", "true")]);
    let template = xingshen::domain::template_form::TemplateForm::of(
        &xingshen::domain::template::Template::branch_meeting_default(),
    );
    let template_owned = template_fields(&meeting, &template);
    let template_form: Vec<(&str, &str)> = template_owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for (who, client) in &mut outsiders {
        let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("meeting_dashboard", vec![("meeting_id", &meeting)]),
            ("review_material", vec![("material_id", &material)]),
            (
                "comment_on_material",
                vec![
                    ("material_id", &material),
                    ("round", "1"),
                    ("anchor", "whole"),
                    ("text", "x"),
                ],
            ),
            (
                "decide_material",
                vec![
                    ("material_id", &material),
                    ("round", "1"),
                    ("decision", "approved"),
                    ("reason", ""),
                ],
            ),
            ("create_meeting", form.clone()),
            ("meeting_template", vec![("meeting_id", &meeting)]),
            ("save_meeting_template", template_form.clone()),
            ("publish_org_template", template_form.clone()),
        ];
        let mut calls = calls;
        if *who != "author" && *who != "org admin" {
            calls.push(("similarity_check", vec![("material_id", &material)]));
        }
        if *who == "org admin" {
            // An administrator publishes templates; the meeting's own stays the secretary's.
            calls.retain(|(function, _)| *function != "publish_org_template");
        }
        for (function, fields) in calls {
            let reply = client.call(function, &fields).await;
            let expected = if *who == "anonymous" {
                AppError::Unauthenticated
            } else {
                AppError::NotFound
            };
            assert_eq!(reply.error(), expected, "{who} → {function}");
        }
        if *who != "anonymous" {
            let branches: Vec<BranchMeetings> = client.call("my_branch_meetings", &[]).await.json();
            assert!(
                branches.iter().all(|b| b.branch_id != branch.branch_id),
                "{who} sees the branch's meetings"
            );
        }
        for export in ["book.docx", "book.zip", "summary.xlsx"] {
            let reply = client.get(&format!("/meetings/{meeting}/{export}")).await;
            assert_eq!(reply.status.as_u16(), 404, "{who} → {export}");
        }
    }
    // Nothing changed: still one round, undecided, no comments.
    let round = review(&mut secretary, &material).await;
    assert!(round.pending && round.comments.is_empty() && round.decisions.is_empty());
    assert_eq!(
        app.store
            .count_audit("session.export_book", None)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_similarity_check_shows_both_sides_to_the_reviewer_and_only_their_own_to_the_author() {
    use xingshen::server::meetings::SimilarityView;
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mine = start(&mut zhang, &meeting).await;
    let mut liu = app.logged_in("liufang").await;
    let theirs = start(&mut liu, &meeting).await;
    fill_and_submit(&mut zhang, &mine, "学用结合不够紧密").await;
    // 刘芳 writes the same text but has not submitted: a draft is compared with nothing.
    let version = fill(&mut liu, &theirs, "学用结合不够紧密").await;
    let check = |view: &SimilarityView| view.in_meeting.clone();
    let alone: SimilarityView = zhang
        .call("similarity_check", &[("material_id", &mine)])
        .await
        .json();
    assert_eq!(check(&alone), None);
    submit(&mut liu, &theirs, version).await;

    let reviewer: SimilarityView = secretary
        .call("similarity_check", &[("material_id", &mine)])
        .await
        .json();
    let found = reviewer.in_meeting.expect("the copy is found");
    assert!(found.percent >= 90 && found.warn, "{found:?}");
    assert!(found.with.contains("刘芳"));
    assert!(
        found
            .passages
            .iter()
            .any(|p| p.ours.contains("联系实际思考不够") && p.theirs.contains("联系实际思考不够"))
    );
    assert_eq!(
        app.store
            .count_audit("material.similarity_read", Some(&mine))
            .await
            .unwrap(),
        1
    );

    let author: SimilarityView = zhang
        .call("similarity_check", &[("material_id", &mine)])
        .await
        .json();
    let found = author.in_meeting.expect("the author is warned too");
    assert!(!found.with.contains("刘芳"), "{found:?}");
    assert!(
        found.passages.iter().all(|p| p.theirs.is_empty()),
        "a colleague's text stays theirs"
    );
    assert_eq!(author.own_past, None);

    // The pages show the check, rendered on the server (no JavaScript needed).
    let page = secretary.get(&format!("/review/{mine}")).await.text();
    assert!(!page.contains("服务器暂时出错"), "{page}");
    assert!(
        page.contains("雷同检查与本次会议其他材料相比：与刘芳 的材料相似 100%"),
        "{page}"
    );
    let page = zhang
        .get(&format!("/materials/{mine}?step=check"))
        .await
        .text();
    assert!(!page.contains("服务器暂时出错"), "{page}");
    assert!(
        page.contains("与本次会议另一位同志的材料相似 100%"),
        "{page}"
    );
    assert!(!page.contains("刘芳"), "{page}");

    for (who, mut client) in [
        ("same-branch member", app.logged_in("liufang").await),
        ("other-branch secretary", app.logged_in("shuji2").await),
        ("org admin", app.logged_in("admin").await),
    ] {
        let reply = client
            .call("similarity_check", &[("material_id", &mine)])
            .await;
        assert_eq!(reply.error(), AppError::NotFound, "{who}");
    }
    let reply = app
        .client()
        .call("similarity_check", &[("material_id", &mine)])
        .await;
    assert_eq!(reply.error(), AppError::Unauthenticated);
}

/// A template form as the page posts it.
pub(crate) fn template_fields(
    meeting: &str,
    form: &xingshen::domain::template_form::TemplateForm,
) -> Vec<(String, String)> {
    let mut fields = vec![
        ("meeting_id".to_string(), meeting.to_string()),
        ("template[name]".into(), form.name.clone()),
        ("template[aspects]".into(), form.aspects.clone()),
        (
            "template[min_problem_chars]".into(),
            form.min_problem_chars.clone(),
        ),
        (
            "template[thought_dimensions]".into(),
            form.thought_dimensions.clone(),
        ),
        ("template[stock_phrases]".into(), form.stock_phrases.clone()),
        (
            "template[stock_phrases_per_thousand]".into(),
            form.stock_phrases_per_thousand.clone(),
        ),
        ("template[term_fixes]".into(), form.term_fixes.clone()),
        (
            "template[agenda_reports]".into(),
            form.agenda_reports.clone(),
        ),
    ];
    // Unchecked boxes are not sent at all.
    if form.rectification_table {
        fields.push(("template[rectification_table]".into(), "true".into()));
    }
    for (index, part) in form.parts.iter().enumerate() {
        let field = |name: &str| format!("template[parts][{index}][{name}]");
        fields.extend([
            (field("kind"), part.kind.clone()),
            (field("order"), part.order.clone()),
            (field("heading"), part.heading.clone()),
            (field("guidance"), part.guidance.clone()),
            (field("example"), part.example.clone()),
            (field("min_chars"), part.min_chars.clone()),
            (field("max_chars"), part.max_chars.clone()),
        ]);
        // Unchecked boxes are not sent at all.
        if part.included {
            fields.push((field("included"), "true".into()));
        }
        if part.required {
            fields.push((field("required"), "true".into()));
        }
    }
    fields
}

#[tokio::test]
async fn a_secretary_edits_the_meeting_template_and_new_materials_follow_it() {
    use xingshen::server::meetings::TemplateEditView;
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let view: TemplateEditView = secretary
        .call("meeting_template", &[("meeting_id", &meeting)])
        .await
        .json();
    assert_eq!(view.started, 0);
    let mut form = view.form.clone();
    let duty = form.parts.iter().position(|p| p.kind == "duty").unwrap();
    form.parts[duty].included = false;
    let measures = form
        .parts
        .iter()
        .position(|p| p.kind == "measures")
        .unwrap();
    form.parts[measures].heading = "努力方向和改进措施".into();
    form.aspects = "在政治忠诚方面\n在担当作为方面".into();

    // A bad form is refused whole, in Chinese, and changes nothing.
    let mut bad = form.clone();
    let problems = bad.parts.iter().position(|p| p.kind == "problems").unwrap();
    bad.parts[problems].included = false;
    let fields = template_fields(&meeting, &bad);
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = secretary.call("save_meeting_template", &borrowed).await;
    assert!(
        matches!(refused.error(), AppError::InvalidRows(m) if m.iter().any(|m| m.contains("存在的问题"))),
        "{}",
        refused.body
    );

    let fields = template_fields(&meeting, &form);
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for outsider in ["zhangming", "shuji2", "admin"] {
        let reply = app
            .logged_in(outsider)
            .await
            .call("save_meeting_template", &borrowed)
            .await;
        assert_eq!(reply.error(), AppError::NotFound, "{outsider}");
        let reply = app
            .logged_in(outsider)
            .await
            .call("meeting_template", &[("meeting_id", &meeting)])
            .await;
        assert_eq!(reply.error(), AppError::NotFound, "{outsider}");
    }
    let saved = secretary.call("save_meeting_template", &borrowed).await;
    assert!(saved.status.is_success(), "{}", saved.body);
    assert_eq!(
        app.store
            .count_audit("session.template", Some(&meeting))
            .await
            .unwrap(),
        1
    );
    let page = secretary
        .get(&format!("/meetings/{meeting}/template"))
        .await;
    assert!(page.status.is_success(), "{}", page.status);
    assert!(page.body.contains("努力方向和改进措施") && page.body.contains("在担当作为方面"));

    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    let view = editor(&mut zhang, &material).await;
    assert!(view.content.parts.iter().all(|p| p.kind != PartKind::Duty));
    assert!(
        view.content
            .parts
            .iter()
            .any(|p| p.heading == "努力方向和改进措施")
    );
    assert_eq!(view.template.aspects, ["在政治忠诚方面", "在担当作为方面"]);
}

#[tokio::test]
async fn an_org_admin_publishes_a_template_every_branch_can_start_from() {
    use xingshen::server::templates::OrgTemplatesView;
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let view: OrgTemplatesView = admin
        .call("org_templates", &[("from", "leadership-2024")])
        .await
        .json();
    assert!(view.published.is_empty());
    let page = admin.get("/admin/templates?from=themed-2023").await;
    assert!(page.status.is_success());
    assert!(page.body.contains("发布到全部支部") && page.body.contains("廉洁自律方面"));
    let mut form = view.form.clone();
    assert!(form.aspects.contains("四个") || form.aspects.contains("带头"));
    form.name = "本局2026年度组织生活会模板".into();
    let fields: Vec<(String, String)> = template_fields("", &form)
        .into_iter()
        .filter(|(name, _)| name != "meeting_id")
        .collect();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for outsider in ["shuji1", "zhangming"] {
        let reply = app
            .logged_in(outsider)
            .await
            .call("publish_org_template", &borrowed)
            .await;
        assert_eq!(reply.error(), AppError::NotFound, "{outsider}");
    }
    let published = admin.call("publish_org_template", &borrowed).await;
    assert!(published.status.is_success(), "{}", published.body);

    // Both branches' secretaries see it and can set up a meeting from it.
    for login in ["shuji1", "shuji2"] {
        let mut secretary = app.logged_in(login).await;
        let (branch, _) = demo_meeting(&mut secretary).await;
        let choice = branch
            .templates
            .iter()
            .find(|t| t.name.contains("本局2026年度组织生活会模板"))
            .unwrap_or_else(|| panic!("{login} does not see the template"))
            .clone();
        let created = secretary
            .call(
                "create_meeting",
                &meeting_form(
                    &branch.branch_id,
                    &[("template", &choice.key), ("plan[everyone]", "true")],
                ),
            )
            .await;
        assert!(created.status.is_success(), "{}", created.body);
        let meeting: String = created.json();
        let meeting = app.store.meeting(&meeting).await.unwrap().unwrap();
        assert_eq!(meeting.template.name, "本局2026年度组织生活会模板");
    }

    let view: OrgTemplatesView = admin.call("org_templates", &[("from", "")]).await.json();
    let id = view.published[0].id.clone();
    let reply = app
        .logged_in("shuji1")
        .await
        .call("withdraw_org_template", &[("template_id", &id)])
        .await;
    assert_eq!(reply.error(), AppError::NotFound);
    let withdrawn = admin
        .call("withdraw_org_template", &[("template_id", &id)])
        .await;
    assert!(withdrawn.status.is_success(), "{}", withdrawn.body);
    let (branch, _) = demo_meeting(&mut app.logged_in("shuji1").await).await;
    assert!(
        branch
            .templates
            .iter()
            .all(|t| !t.name.contains("本局2026年度"))
    );
    assert_eq!(
        app.store
            .count_audit("template.publish", None)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_second_reviewer_approves_after_the_secretary_and_may_return_a_round() {
    use xingshen::server::meetings::WaitingReview;
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (branch, _) = demo_meeting(&mut secretary).await;
    let admin_id = branch.reviewers[0].user_id.clone();
    let zhang_id = branch
        .members
        .iter()
        .find(|m| m.name == "张明")
        .unwrap()
        .user_id
        .clone();
    let not_admin = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch.branch_id,
                &[("plan[everyone]", "true"), ("second_reviewer", &zhang_id)],
            ),
        )
        .await;
    assert!(matches!(not_admin.error(), AppError::Invalid(m) if m.contains("组织管理员")));
    let created = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch.branch_id,
                &[("plan[everyone]", "true"), ("second_reviewer", &admin_id)],
            ),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let meeting: String = created.json();

    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    fill_and_submit(&mut zhang, &material, "学用结合不够紧密").await;
    // 刘芳 hands in the same text: the 雷同 check has a colleague's material to show.
    let mut liu = app.logged_in("liufang").await;
    let liu_material = start(&mut liu, &meeting).await;
    fill_and_submit(&mut liu, &liu_material, "学用结合不够紧密").await;
    let mut admin = app.logged_in("admin").await;
    // Before the secretary decides, the round does not exist for the second reviewer: not
    // to read, not to check, not to decide.
    for function in ["review_material", "similarity_check"] {
        let early = admin.call(function, &[("material_id", &material)]).await;
        assert_eq!(early.error(), AppError::NotFound, "{function}");
    }
    let early = admin
        .call(
            "decide_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("decision", "approved"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(early.error(), AppError::NotFound);
    let waiting: Vec<WaitingReview> = admin.call("my_second_reviews", &[]).await.json();
    assert!(waiting.is_empty());
    // It waits for the secretary, and their home page says so.
    let pending: Vec<WaitingReview> = secretary.call("my_pending_reviews", &[]).await.json();
    let mut pending: Vec<(&str, i64)> = pending
        .iter()
        .map(|w| (w.material_id.as_str(), w.round))
        .collect();
    pending.sort();
    let mut expected = [(material.as_str(), 1), (liu_material.as_str(), 1)];
    expected.sort();
    assert_eq!(
        pending, expected,
        "both handed in, both wait for the secretary"
    );
    let home = secretary.get("/").await.body;
    assert!(
        home.contains("待审核") && home.contains(&format!("/review/{material}")),
        "{home}"
    );
    let none: Vec<WaitingReview> = zhang.call("my_pending_reviews", &[]).await.json();
    assert!(none.is_empty(), "a member reviews nobody");

    let approved = secretary
        .call(
            "decide_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("decision", "approved"),
                ("reason", ""),
            ],
        )
        .await;
    assert!(approved.status.is_success(), "{}", approved.body);
    let view = dashboard(&mut secretary, &meeting).await;
    let row = view.rows.iter().find(|r| r.name == "张明").unwrap();
    assert!(
        row.awaiting_second && row.progress == Progress::Submitted,
        "{row:?}"
    );
    assert_eq!(
        view.approved, 0,
        "not approved until the second reviewer agrees"
    );

    let pending: Vec<WaitingReview> = secretary.call("my_pending_reviews", &[]).await.json();
    assert!(
        pending.iter().all(|w| w.material_id != material),
        "decided: no longer the secretary's"
    );
    let waiting: Vec<WaitingReview> = admin.call("my_second_reviews", &[]).await.json();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].material_id, material);
    let page = admin.get("/reviews").await;
    assert!(page.status.is_success() && page.body.contains("张明") && page.body.contains("第1轮"));
    let round = review(&mut admin, &material).await;
    assert!(round.pending);
    // The 雷同 check tells the second reviewer how much repeats, in 张明's own words only:
    // 刘芳's material was never handed to them (the secretary sees both sides).
    let similarity = |reply: crate::support::Reply| {
        reply
            .json::<xingshen::server::meetings::SimilarityView>()
            .in_meeting
            .expect("the colleague's copy is found")
    };
    let for_admin = similarity(
        admin
            .call("similarity_check", &[("material_id", &material)])
            .await,
    );
    assert!(!for_admin.passages.is_empty());
    assert!(
        for_admin
            .passages
            .iter()
            .all(|p| p.theirs.is_empty() && !p.ours.is_empty())
    );
    let for_secretary = similarity(
        secretary
            .call("similarity_check", &[("material_id", &material)])
            .await,
    );
    assert!(for_secretary.passages.iter().any(|p| !p.theirs.is_empty()));
    // 刘芳's round, not yet approved, stays out of the second reviewer's sight.
    let hidden = admin
        .call("review_material", &[("material_id", &liu_material)])
        .await;
    assert_eq!(hidden.error(), AppError::NotFound);
    let returned = admin
        .call(
            "decide_material",
            &[
                ("material_id", &material),
                ("round", "1"),
                ("decision", "returned"),
                ("reason", "事例再具体些"),
            ],
        )
        .await;
    assert!(returned.status.is_success(), "{}", returned.body);
    let view = editor(&mut zhang, &material).await;
    assert_eq!(
        view.state,
        xingshen::domain::material::MaterialState::Returned
    );
    assert_eq!(view.decisions.last().unwrap().stage, "上级审核");

    // Round 2: both approve, and only then is the material approved.
    fill_and_submit(&mut zhang, &material, "学用结合不够紧密，3月起未写心得").await;
    for client in [&mut secretary, &mut admin] {
        let reply = client
            .call(
                "decide_material",
                &[
                    ("material_id", &material),
                    ("round", "2"),
                    ("decision", "approved"),
                    ("reason", ""),
                ],
            )
            .await;
        assert!(reply.status.is_success(), "{}", reply.body);
    }
    assert_eq!(dashboard(&mut secretary, &meeting).await.approved, 1);
    // The second reviewer reviews rounds; the meeting's dashboard stays the secretary's.
    let reply = admin
        .call("meeting_dashboard", &[("meeting_id", &meeting)])
        .await;
    assert_eq!(reply.error(), AppError::NotFound);
}

#[tokio::test]
async fn the_addresses_from_before_the_rename_lead_to_the_meeting_pages() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;

    let moved = [
        ("/sessions".to_string(), "/meetings".to_string()),
        (
            format!("/sessions/{meeting}"),
            format!("/meetings/{meeting}/materials"),
        ),
        (
            format!("/sessions/{meeting}/opinions?x=1"),
            format!("/meetings/{meeting}/opinions?x=1"),
        ),
        (
            format!("/sessions/{meeting}/book.docx"),
            format!("/meetings/{meeting}/book.docx"),
        ),
    ];
    for (old, new) in moved {
        let reply = secretary.get(&old).await;
        assert_eq!(reply.status, 308, "{old}");
        assert_eq!(reply.header("location"), Some(new.as_str()), "{old}");
        let page = secretary.get(&new).await;
        assert!(page.status.is_success(), "{new}: {}", page.status);
    }

    // A form on a page loaded before the upgrade posts to the old function name: the 308
    // keeps it a POST, to the new name.
    let reply = secretary
        .call("session_dashboard", &[("meeting_id", &meeting)])
        .await;
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), Some("/api/meeting_dashboard"));
    // The new name answers.
    dashboard(&mut secretary, &meeting).await;
}
