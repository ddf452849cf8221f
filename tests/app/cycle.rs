//! The meeting and after, through HTTP: 征求意见 that never names its respondents, opinions and
//! written criticism that reach a person once released and must be answered in the material,
//! 谈心谈话, the meeting record, a secret ballot that keeps only tallies, the 定稿 and the
//! 报送 package — and that nobody outside the meeting reaches any of it.

use crate::editor::{editor, save, step_of};
use crate::meetings::{demo_meeting, fill, start, submit};
use crate::support::{Client, TestApp, ok};
use xingshen::domain::cycle::{OpinionKind, SpeakerStatus};
use xingshen::domain::health::Rule;
use xingshen::domain::material::MaterialState;
use xingshen::domain::material::PartKind;
use xingshen::seed::DEMO_PASSWORD;
use xingshen::server::AppError;
use xingshen::server::cycle::{
    BallotView, CycleAdminView, MemberCycleView, MinutesView, ReportView, SurveyView,
};
use xingshen::server::materials::SaveReply;

async fn admin_view(secretary: &mut Client, meeting: &str) -> CycleAdminView {
    let reply = secretary
        .call("cycle_admin", &[("meeting_id", meeting)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

async fn member_view(member: &mut Client, meeting: &str) -> MemberCycleView {
    let reply = member
        .call("member_cycle", &[("meeting_id", meeting)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

async fn refused(client: &mut Client, function: &str, fields: &[(&str, &str)]) -> AppError {
    client.call(function, fields).await.error()
}

/// The ids of the demo branch's three people: (李红梅 the secretary, 张明, 刘芳).
async fn people(secretary: &mut Client, meeting: &str) -> (String, String, String) {
    let view = admin_view(secretary, meeting).await;
    let id = |name: &str| {
        view.people
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} takes part"))
            .user_id
            .clone()
    };
    (id("李红梅"), id("张明"), id("刘芳"))
}

async fn set_options(secretary: &mut Client, meeting: &str, fields: &[(&str, &str)]) {
    let mut form = vec![
        ("meeting_id", meeting),
        ("survey_scope", "members"),
        ("criticism_mode", "open"),
    ];
    for (name, value) in fields {
        match form.iter_mut().find(|(n, _)| n == name) {
            Some(existing) => existing.1 = value,
            None => form.push((name, value)),
        }
    }
    ok(secretary, "save_cycle_options", &form).await;
}

async fn phase(secretary: &mut Client, function: &str, meeting: &str, phase: &str) {
    ok(
        secretary,
        function,
        &[("meeting_id", meeting), ("phase", phase)],
    )
    .await;
}

/// The whole database row of each table, as text, to search for what must not be there.
async fn dump(app: &TestApp, table: &str) -> Vec<String> {
    app.store
        .table_json(table)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.to_string())
        .collect()
}

/// 周强 joins 第一党支部 as a member who can log in with the demo password: a fourth
/// person, so that the secretary reading answers or tallies has three others beside them.
async fn fourth_member(app: &TestApp) -> (Client, String) {
    use xingshen::domain::{LoginName, PersonName, Post, Role};
    use xingshen::store::AuditEntry;
    use xingshen::store::users::NewUser;

    let org = app.store.list_orgs().await.unwrap()[0].id.clone();
    let branch = app
        .store
        .find_branch_by_name(&org, "第一党支部")
        .await
        .unwrap()
        .unwrap();
    let hash = xingshen::auth::password::hash(DEMO_PASSWORD.to_string().into())
        .await
        .unwrap();
    let ids = app
        .store
        .create_users(
            &org,
            vec![NewUser {
                login: LoginName::parse("zhouqiang").unwrap(),
                name: PersonName::parse("周强").unwrap(),
                post: Post::default(),
                password_hash: hash,
                is_org_admin: false,
                must_change_password: false,
                branch: Some((branch, Role::Member)),
            }],
            &AuditEntry::new("test"),
        )
        .await
        .unwrap();
    (app.logged_in("zhouqiang").await, ids[0].clone())
}

/// Everything the app logs while it is alive, at the default level plus every level of the
/// app's own code.
#[derive(Clone, Default)]
pub(crate) struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLog {
    type Writer = CapturedLog;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl CapturedLog {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn survey_answers_reach_the_secretary_without_their_respondents() {
    let log = CapturedLog::default();
    let _logging = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_env_filter("info,xingshen=trace")
            .finish(),
    );
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;
    let (mut zhou, zhou_id) = fourth_member(&app).await;

    let about_liu = format!("about[u{liu_id}]");
    let answer = [
        ("meeting_id", meeting.as_str()),
        ("general", "支部学习形式比较单一"),
        (about_liu.as_str(), "刘芳同志下基层调研次数偏少"),
    ];
    assert!(matches!(
        refused(&mut zhang, "answer_survey", &answer).await,
        AppError::Conflict(_)
    ));
    phase(&mut secretary, "set_survey_phase", &meeting, "open").await;
    let form: SurveyView = zhang
        .call("survey_form", &[("meeting_id", &meeting)])
        .await
        .json();
    assert!(form.open && !form.answered);
    assert_eq!(form.people.len(), 3, "everyone but 张明 himself");
    ok(&mut zhang, "answer_survey", &answer).await;
    assert!(matches!(
        refused(&mut zhang, "answer_survey", &answer).await,
        AppError::Conflict(_)
    ));
    let about_zhang = format!("about[u{zhang_id}]");
    ok(
        &mut liu,
        "answer_survey",
        &[
            ("meeting_id", &meeting),
            (&about_zhang, "张明同志工作方法有待改进"),
        ],
    )
    .await;
    // Before the survey closes, nothing of the answers shows, however many there are.
    ok(
        &mut secretary,
        "answer_survey",
        &[("meeting_id", &meeting), ("general", "会议前多交流")],
    )
    .await;
    ok(
        &mut zhou,
        "answer_survey",
        &[("meeting_id", &meeting), ("general", "多开展谈心谈话")],
    )
    .await;
    // Not even how many answered shows while it is open: a moving count dates each answer.
    let open = admin_view(&mut secretary, &meeting).await;
    assert_eq!(open.respondents, None);
    assert!(open.answers.is_none());

    phase(&mut secretary, "set_survey_phase", &meeting, "close").await;
    let closed = admin_view(&mut secretary, &meeting).await;
    assert_eq!(closed.respondents, Some(4));
    let answers = closed
        .answers
        .expect("three respondents besides the secretary: shown");
    let texts: Vec<&str> = answers.iter().map(|a| a.text.as_str()).collect();
    for text in [
        "支部学习形式比较单一",
        "刘芳同志下基层调研次数偏少",
        "张明同志工作方法有待改进",
        "会议前多交流",
    ] {
        assert!(texts.contains(&text), "{text} missing from {texts:?}");
    }
    let about: Vec<(&str, &str)> = answers
        .iter()
        .map(|a| (a.about.as_str(), a.text.as_str()))
        .collect();
    assert!(about.contains(&("刘芳", "刘芳同志下基层调研次数偏少")));
    assert!(about.contains(&("支部整体", "支部学习形式比较单一")));
    assert!(matches!(
        refused(&mut zhang, "answer_survey", &answer).await,
        AppError::Conflict(_)
    ));

    // The database itself cannot tell who said what: answers carry no respondent and no
    // time; the respondent rows carry no answer.
    for row in dump(&app, "survey_answer").await {
        let mut value: serde_json::Value = serde_json::from_str(&row).unwrap();
        let fields = value.as_object_mut().unwrap();
        // About the branch as a whole, `about` is absent.
        assert!(
            fields
                .keys()
                .all(|key| ["about", "id", "meeting", "text"].contains(&key.as_str())),
            "{row}"
        );
        // Apart from whom it is about, no person appears in an answer.
        fields.remove("about");
        let rest = value.to_string();
        for person in [&zhang_id, &li, &liu_id, &zhou_id] {
            assert!(!rest.contains(person.as_str()), "{row}");
        }
    }
    let respondents = dump(&app, "survey_respondent").await;
    assert_eq!(respondents.len(), 4);
    for row in &respondents {
        assert!(!row.contains("调研") && !row.contains("单一"), "{row}");
        let value: serde_json::Value = serde_json::from_str(row).unwrap();
        let mut keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["id", "meeting", "respondent"], "{row}");
    }
    // No audit row, no opinion and no page a colleague reaches holds the answers' authors.
    for row in dump(&app, "audit_event").await {
        assert!(!row.contains("survey.answer"), "{row}");
    }
    let page = secretary
        .get(&format!("/meetings/{meeting}/opinions"))
        .await;
    assert!(page.status.is_success());
    let page = page.body;
    assert!(page.contains("刘芳同志下基层调研次数偏少"));
    // Each person's opinions fold under their name, with nothing stray beside it.
    assert!(page.contains(r#"class="person-opinions""#), "{page}");
    assert!(
        !page.contains("0&gt;") && !page.contains("0 &gt;"),
        "{page}"
    );
    assert!(page.contains("查看收到的意见（"), "{page}");

    // The 报送 package reports how many answered, never what or who: no answer is exported.
    let package = secretary
        .get(&format!("/meetings/{meeting}/package.zip"))
        .await;
    assert!(package.status.is_success(), "{}", package.body);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package.bytes.clone())).unwrap();
    for index in 0..archive.len() {
        use std::io::Read;
        let mut file = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if file.name().ends_with(".docx") {
            let text = xingshen::export::docx::docx_paragraphs(&bytes)
                .unwrap()
                .join("\n");
            assert!(!text.contains("调研次数偏少") && !text.contains("会议前多交流"));
            if file.name().starts_with("01-") {
                assert!(text.contains("共4人参与"), "{text}");
            }
        }
    }

    // A member never reaches the secretary's view.
    assert_eq!(
        refused(&mut zhang, "cycle_admin", &[("meeting_id", &meeting)]).await,
        AppError::NotFound
    );
    // Nothing the app logged names a respondent (and the capture does see what the app
    // logs on the request path: a forged cross-site post is logged).
    let forged = axum::http::Request::post("/api/answer_survey")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://forged.example")
        .body(axum::body::Body::from(format!("meeting_id={meeting}")))
        .unwrap();
    assert!(!zhang.send(forged).await.status.is_success());
    let logged = log.text();
    assert!(logged.contains("refused a cross-site request"), "{logged}");
    for person in [&zhang_id, &li, &liu_id] {
        assert!(!logged.contains(person.as_str()), "{logged}");
    }
    for login in ["zhangming", "liufang", "shuji1"] {
        assert!(!logged.contains(login), "{logged}");
    }
}

#[tokio::test]
async fn fewer_than_three_respondents_show_nothing() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    phase(&mut secretary, "set_survey_phase", &meeting, "open").await;
    ok(
        &mut zhang,
        "answer_survey",
        &[("meeting_id", &meeting), ("general", "希望多组织集体学习")],
    )
    .await;
    phase(&mut secretary, "set_survey_phase", &meeting, "close").await;
    let view = admin_view(&mut secretary, &meeting).await;
    assert_eq!(view.respondents, Some(1));
    assert!(view.answers.is_none());
    let page = secretary
        .get(&format!("/meetings/{meeting}/opinions"))
        .await;
    assert!(page.text().contains("填写人数不足 3 人"));
    assert!(!page.text().contains("希望多组织集体学习"));
    // Reopening a closed survey would let its timing tell: refused.
    assert!(matches!(
        refused(
            &mut secretary,
            "set_survey_phase",
            &[("meeting_id", &meeting), ("phase", "open")]
        )
        .await,
        AppError::Conflict(_)
    ));
}

#[tokio::test]
async fn a_members_own_survey_form_asks_about_everyone_but_them() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    set_options(&mut secretary, &meeting, &[("survey_scope", "org")]).await;
    phase(&mut secretary, "set_survey_phase", &meeting, "open").await;
    let mut zhang = app.logged_in("zhangming").await;
    let form: SurveyView = zhang
        .call("survey_form", &[("meeting_id", &meeting)])
        .await
        .json();
    let asked: Vec<&str> = form.people.iter().map(|p| p.user_id.as_str()).collect();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(asked.contains(&li.as_str()) && asked.contains(&liu_id.as_str()));
    assert!(!asked.contains(&zhang_id.as_str()), "not about himself");
    let page = zhang.get(&format!("/survey/{meeting}")).await.text();
    assert!(page.contains("对刘芳同志的意见建议"), "{page}");
    assert!(!page.contains("对张明同志的意见建议"), "{page}");

    // A box about oneself, however it was sent, is refused and nothing is handed in.
    let about_self = format!("about[u{zhang_id}]");
    let refusal = refused(
        &mut zhang,
        "answer_survey",
        &[("meeting_id", &meeting), (&about_self, "我自己学习不够")],
    )
    .await;
    assert!(
        matches!(&refusal, AppError::Invalid(m) if m.contains("不能填写对本人的意见")),
        "{refusal:?}"
    );
    assert!(dump(&app, "survey_respondent").await.is_empty());

    // Someone of the organisation who does not take part is asked about all three.
    let mut outsider = app.logged_in("chenjing").await;
    let form: SurveyView = outsider
        .call("survey_form", &[("meeting_id", &meeting)])
        .await
        .json();
    assert_eq!(form.people.len(), 3);
}

#[tokio::test]
async fn an_org_wide_survey_takes_anyone_of_the_organisation() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut outsider = app.logged_in("chenjing").await;
    phase(&mut secretary, "set_survey_phase", &meeting, "open").await;
    let fields = [
        ("meeting_id", meeting.as_str()),
        ("general", "多听群众意见"),
    ];
    assert_eq!(
        refused(&mut outsider, "answer_survey", &fields).await,
        AppError::NotFound
    );
    set_options(&mut secretary, &meeting, &[("survey_scope", "org")]).await;
    ok(&mut outsider, "answer_survey", &fields).await;
    // Still not a participant: the member page stays closed to them.
    assert_eq!(
        refused(&mut outsider, "member_cycle", &[("meeting_id", &meeting)]).await,
        AppError::NotFound
    );
}

/// 张明's material started and filled with one problem; returns (material, version, problem).
async fn drafted(zhang: &mut Client, meeting: &str) -> (String, i64, String) {
    let material = start(zhang, meeting).await;
    let version = fill(zhang, &material, "学用结合不够紧密").await;
    let view = editor(zhang, &material).await;
    let index: usize = step_of(&view, PartKind::Problems).parse().unwrap();
    let problem = view.content.parts[index].items[0].id.0.clone();
    (material, version, problem)
}

#[tokio::test]
async fn released_opinions_must_be_answered_in_the_material_or_declined() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (_, zhang_id, _) = people(&mut secretary, &meeting).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;

    ok(
        &mut secretary,
        "curate_opinion",
        &[
            ("meeting_id", &meeting),
            ("recipient_id", &zhang_id),
            ("text", "群众反映：希望多深入基层了解情况"),
        ],
    )
    .await;
    ok(
        &mut liu,
        "write_criticism",
        &[
            ("meeting_id", &meeting),
            ("recipient_id", &zhang_id),
            ("text", "张明同志有时完成任务只求过得去"),
        ],
    )
    .await;
    // Nothing reaches 张明 before the secretary passes it on.
    assert!(member_view(&mut zhang, &meeting).await.received.is_empty());
    ok(
        &mut secretary,
        "release_opinions",
        &[("meeting_id", &meeting), ("recipient_id", &zhang_id)],
    )
    .await;
    let received = member_view(&mut zhang, &meeting).await.received;
    assert_eq!(received.len(), 2);
    let survey = received
        .iter()
        .find(|o| o.kind == OpinionKind::Survey)
        .unwrap();
    let criticism = received
        .iter()
        .find(|o| o.kind == OpinionKind::Criticism)
        .unwrap();
    assert_eq!(survey.from, None);
    assert_eq!(criticism.from.as_deref(), Some("刘芳"));
    // Released: the writer cannot take it back any more.
    assert!(matches!(
        refused(&mut liu, "remove_opinion", &[("opinion_id", &criticism.id)]).await,
        AppError::Conflict(_)
    ));

    let (material, version, problem) = drafted(&mut zhang, &meeting).await;
    let view = editor(&mut zhang, &material).await;
    assert_eq!(view.opinions.len(), 2);
    let unanswered = view
        .findings
        .iter()
        .filter(|f| f.rule == Rule::OpinionUnanswered)
        .count();
    assert_eq!(unanswered, 2);
    let version_text = version.to_string();
    let blocked = refused(
        &mut zhang,
        "submit_material",
        &[("material_id", &material), ("version", &version_text)],
    )
    .await;
    match blocked {
        AppError::Blocked(messages) => {
            assert!(
                messages.iter().any(|m| m.contains("希望多深入基层")),
                "{messages:?}"
            )
        }
        other => panic!("expected a block, got {other:?}"),
    }

    // The problem answers the survey opinion; the criticism is declined with a reason.
    let problems = step_of(&view, PartKind::Problems);
    let saved: SaveReply = save(
        &mut zhang,
        &material,
        version,
        "answer-opinion",
        &problems,
        &[
            ("item.0.id", &problem),
            ("item.0.source", "survey"),
            ("item.0.answers_shown", "1"),
            ("item.0.answers", &survey.id),
        ],
    )
    .await
    .json();
    ok(
        &mut zhang,
        "answer_opinion",
        &[
            ("opinion_id", &criticism.id),
            ("response", "感谢刘芳同志提醒，我会注意"),
            ("declined", "已在工作作风问题中一并查摆"),
        ],
    )
    .await;
    let view = editor(&mut zhang, &material).await;
    let index: usize = problems.parse().unwrap();
    let item = &view.content.parts[index].items[0];
    assert_eq!(item.answers, vec![survey.id.clone()]);
    assert_eq!(
        item.source,
        Some(xingshen::domain::material::ProblemSource::Survey)
    );
    assert!(
        !view
            .findings
            .iter()
            .any(|f| f.rule == Rule::OpinionUnanswered)
    );
    submit(&mut zhang, &material, saved.version).await;

    // The writer sees the 回应; the secretary sees both.
    let written = member_view(&mut liu, &meeting).await.written;
    assert_eq!(
        written[0].response.as_deref(),
        Some("感谢刘芳同志提醒，我会注意")
    );
    let admin = admin_view(&mut secretary, &meeting).await;
    let zhang_row = admin.people.iter().find(|p| p.user_id == zhang_id).unwrap();
    assert!(
        zhang_row
            .opinions
            .iter()
            .any(|o| o.declined.as_deref() == Some("已在工作作风问题中一并查摆"))
    );
    // Only the recipient answers an opinion.
    assert_eq!(
        refused(
            &mut liu,
            "answer_opinion",
            &[("opinion_id", &criticism.id), ("response", "x")]
        )
        .await,
        AppError::NotFound
    );
}

#[tokio::test]
async fn criticism_follows_the_pairs_and_the_meeting_mode() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (_, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;
    set_options(&mut secretary, &meeting, &[("criticism_mode", "pairs")]).await;
    ok(
        &mut secretary,
        "set_criticism_pair",
        &[
            ("meeting_id", &meeting),
            ("giver_id", &liu_id),
            ("recipient_id", &zhang_id),
            ("action", "assign"),
        ],
    )
    .await;
    let to_liu = [
        ("meeting_id", meeting.as_str()),
        ("recipient_id", liu_id.as_str()),
        ("text", "工作中有时急躁"),
    ];
    assert!(matches!(
        refused(&mut zhang, "write_criticism", &to_liu).await,
        AppError::Invalid(_)
    ));
    assert!(
        member_view(&mut zhang, &meeting)
            .await
            .may_criticise
            .is_empty()
    );
    let may = member_view(&mut liu, &meeting).await.may_criticise;
    assert_eq!(may.len(), 1);
    assert_eq!(may[0].user_id, zhang_id);
    ok(
        &mut liu,
        "write_criticism",
        &[
            ("meeting_id", &meeting),
            ("recipient_id", &zhang_id),
            ("text", "学习不够系统"),
        ],
    )
    .await;
    // The writer may withdraw it before it is passed on.
    let written = member_view(&mut liu, &meeting).await.written;
    ok(
        &mut liu,
        "remove_opinion",
        &[("opinion_id", &written[0].id)],
    )
    .await;
    assert!(member_view(&mut liu, &meeting).await.written.is_empty());
    set_options(&mut secretary, &meeting, &[("criticism_mode", "off")]).await;
    assert!(matches!(
        refused(
            &mut liu,
            "write_criticism",
            &[
                ("meeting_id", &meeting),
                ("recipient_id", &zhang_id),
                ("text", "学习不够系统"),
            ]
        )
        .await,
        AppError::Invalid(_)
    ));
}

#[tokio::test]
async fn a_required_talk_comes_before_submission() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (_, _, liu_id) = people(&mut secretary, &meeting).await;
    set_options(&mut secretary, &meeting, &[("talks_required", "on")]).await;
    let mut zhang = app.logged_in("zhangming").await;
    let (material, version, _) = drafted(&mut zhang, &meeting).await;
    let version = version.to_string();
    let submit_fields = [("material_id", material.as_str()), ("version", &version)];
    match refused(&mut zhang, "submit_material", &submit_fields).await {
        AppError::Blocked(messages) => assert!(messages[0].contains("谈心谈话")),
        other => panic!("expected a block, got {other:?}"),
    }
    assert!(matches!(
        refused(
            &mut zhang,
            "log_talk",
            &[
                ("meeting_id", &meeting),
                ("partner_id", &liu_id),
                ("on", ""),
                ("topics", "交流学习体会")
            ]
        )
        .await,
        AppError::Invalid(_)
    ));
    ok(
        &mut zhang,
        "log_talk",
        &[
            ("meeting_id", &meeting),
            ("partner_id", &liu_id),
            ("on", "2026-11-20"),
            ("topics", "交流学习体会，互提意见"),
        ],
    )
    .await;
    ok(&mut zhang, "submit_material", &submit_fields).await;
    // The partner sees the talk too; the secretary sees who has not talked yet.
    let liu_talks = member_view(&mut app.logged_in("liufang").await, &meeting)
        .await
        .talks;
    assert_eq!(liu_talks.len(), 1);
    let admin = admin_view(&mut secretary, &meeting).await;
    let li = admin.people.iter().find(|p| p.name == "李红梅").unwrap();
    assert!(!li.talked);
}

/// 张明's material submitted and approved by the secretary; returns the material.
async fn approved(app: &TestApp, meeting: &str) -> (Client, String) {
    let mut zhang = app.logged_in("zhangming").await;
    let (material, version, _) = drafted(&mut zhang, meeting).await;
    submit(&mut zhang, &material, version).await;
    let mut secretary = app.logged_in("shuji1").await;
    ok(
        &mut secretary,
        "decide_material",
        &[
            ("material_id", &material),
            ("round", "1"),
            ("decision", "approved"),
            ("reason", ""),
        ],
    )
    .await;
    (zhang, material)
}

async fn minutes(client: &mut Client, meeting: &str) -> MinutesView {
    let reply = client
        .call("meeting_record", &[("meeting_id", meeting)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

#[tokio::test]
async fn the_meeting_record_takes_attendance_speakers_and_moves_materials_on() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    let (mut zhang, material) = approved(&app, &meeting).await;
    let mut liu = app.logged_in("liufang").await;

    // Only the secretary and the designated recorder reach the record.
    assert_eq!(
        refused(&mut liu, "meeting_record", &[("meeting_id", &meeting)]).await,
        AppError::NotFound
    );
    set_options(&mut secretary, &meeting, &[("recorder", &liu_id)]).await;
    let view = minutes(&mut liu, &meeting).await;
    assert!(!view.is_secretary);
    assert_eq!(view.speakers.len(), 3);
    assert_eq!(view.quorum.present, 3);

    // 张明 speaks first, 刘芳 second, 李红梅 is absent.
    let order_zhang = format!("order[u{zhang_id}]");
    let order_liu = format!("order[u{liu_id}]");
    let order_li = format!("order[u{li}]");
    let present_zhang = format!("present[u{zhang_id}]");
    let present_liu = format!("present[u{liu_id}]");
    ok(
        &mut liu,
        "save_attendance",
        &[
            ("meeting_id", &meeting),
            (&order_zhang, "1"),
            (&order_liu, "2"),
            (&order_li, "3"),
            (&present_zhang, "on"),
            (&present_liu, "on"),
        ],
    )
    .await;
    let view = minutes(&mut liu, &meeting).await;
    let names: Vec<&str> = view.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["张明", "刘芳", "李红梅"]);
    assert_eq!(view.quorum.present, 2);
    assert!(!view.speakers[2].present);

    let first = &view.speakers[0];
    let version = first.version.to_string();
    ok(
        &mut liu,
        "save_speaker",
        &[
            ("meeting_id", &meeting),
            ("person_id", &zhang_id),
            ("version", &version),
            ("spoken", "on"),
            ("criticisms", "刘芳：调研不够深入\n李红梅：学习不够系统"),
            ("pledge", "诚恳接受，逐条整改"),
        ],
    )
    .await;
    // A second recorder saving from the same old version is refused, not overwriting.
    assert!(matches!(
        refused(
            &mut secretary,
            "save_speaker",
            &[
                ("meeting_id", &meeting),
                ("person_id", &zhang_id),
                ("version", &version),
                ("criticisms", "覆盖"),
            ]
        )
        .await,
        AppError::Conflict(_)
    ));
    let view = minutes(&mut secretary, &meeting).await;
    assert_eq!(view.speakers[0].status, SpeakerStatus::Spoken);
    assert_eq!(view.speakers[0].pledge, "诚恳接受，逐条整改");
    assert_eq!(view.speakers[0].material_state, Some(MaterialState::Spoken));
    // The absent secretary's line becomes a 书面发言.
    let li_version = view.speakers[2].version.to_string();
    ok(
        &mut secretary,
        "save_speaker",
        &[
            ("meeting_id", &meeting),
            ("person_id", &li),
            ("version", &li_version),
            ("spoken", "on"),
        ],
    )
    .await;
    let view = minutes(&mut secretary, &meeting).await;
    assert_eq!(view.speakers[2].status, SpeakerStatus::Written);
    // The spoken material is editable again, for the 定稿.
    let editor_view = editor(&mut zhang, &material).await;
    assert_eq!(editor_view.state, MaterialState::Spoken);
}

/// 周强 joins the demo branch through the roster import, as happens after a meeting.
async fn newcomer_joins(app: &TestApp) {
    let mut admin = app.logged_in("admin").await;
    let csv = "姓名,登录名/手机,职务,支部\n周强,zhouqiang,科员,第一党支部\n";
    let reply = admin
        .upload("import_roster", "roster", "名单.csv", csv.as_bytes())
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
}

/// The paragraphs of one .docx of the meeting's 报送 package.
async fn package_text(secretary: &mut Client, meeting: &str, name: &str) -> String {
    use std::io::Read;
    let package = secretary
        .get(&format!("/meetings/{meeting}/package.zip"))
        .await;
    assert!(package.status.is_success(), "{}", package.body);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package.bytes.clone())).unwrap();
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    xingshen::export::docx::docx_paragraphs(&bytes)
        .unwrap()
        .join("\n")
}

/// The 会议情况报告 as the report page previews it.
async fn report_text(secretary: &mut Client, meeting: &str) -> String {
    let report: ReportView = secretary
        .call("meeting_report", &[("meeting_id", meeting)])
        .await
        .json();
    std::iter::once(report.report.title.clone())
        .chain(
            report.report.parts.iter().flat_map(|part| {
                std::iter::once(part.heading.clone()).chain(part.paragraphs.clone())
            }),
        )
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn attendance_is_fixed_when_the_meeting_is_recorded() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    let attendance = |li: &str, zhang: &str, liu: &str| {
        vec![
            ("meeting_id".to_string(), meeting.clone()),
            (format!("order[u{zhang}]"), "1".to_string()),
            (format!("order[u{liu}]"), "2".to_string()),
            (format!("order[u{li}]"), "3".to_string()),
            (format!("present[u{zhang}]"), "on".to_string()),
            (format!("present[u{liu}]"), "on".to_string()),
        ]
    };
    let form = attendance(&li, &zhang_id, &liu_id);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ok(&mut secretary, "save_attendance", &fields).await;

    // Someone who joins the branch after the meeting was recorded is not on its record:
    // neither 应到 nor present, not even when the attendance form is posted again.
    newcomer_joins(&app).await;
    let view = minutes(&mut secretary, &meeting).await;
    let names: Vec<&str> = view.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["张明", "刘芳", "李红梅"]);
    assert_eq!(view.quorum_text, "应到3人，实到2人");
    ok(&mut secretary, "save_attendance", &fields).await;
    let view = minutes(&mut secretary, &meeting).await;
    assert_eq!(view.speakers.len(), 3);
    assert_eq!((view.quorum.expected, view.quorum.present), (3, 2));
    let report = report_text(&mut secretary, &meeting).await;
    assert!(report.contains("应到3人，实到2人"), "{report}");
    let minutes_text = package_text(&mut secretary, &meeting, "02-会议记录.docx").await;
    assert!(
        minutes_text.contains("出席情况：应到3人，实到2人"),
        "{minutes_text}"
    );
    assert!(!minutes_text.contains("周强"), "{minutes_text}");
}

#[tokio::test]
async fn the_first_line_recorded_fixes_who_the_meeting_had() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, _) = people(&mut secretary, &meeting).await;
    let before = minutes(&mut secretary, &meeting).await;
    let order: Vec<String> = before.speakers.iter().map(|s| s.name.clone()).collect();
    ok(
        &mut secretary,
        "save_speaker",
        &[
            ("meeting_id", &meeting),
            ("person_id", &zhang_id),
            ("version", "0"),
            ("spoken", "on"),
        ],
    )
    .await;
    newcomer_joins(&app).await;
    let view = minutes(&mut secretary, &meeting).await;
    let names: Vec<String> = view.speakers.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, order, "the order the page showed, without 周强");
    assert_eq!(view.quorum_text, "应到3人，实到3人");
    // The others' lines are fixed with nothing recorded yet: a page loaded before still
    // saves them.
    let li_line = view.speakers.iter().find(|s| s.user_id == li).unwrap();
    assert_eq!(li_line.version, 0);
    ok(
        &mut secretary,
        "save_speaker",
        &[
            ("meeting_id", &meeting),
            ("person_id", &li),
            ("version", "0"),
            ("pledge", "虚心接受"),
        ],
    )
    .await;
}

#[tokio::test]
async fn the_package_names_the_recorder_the_page_shows_and_reports_only_what_happened() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (_, zhang_id, liu_id) = people(&mut secretary, &meeting).await;

    // Nobody designated: the branch secretary records, on the page and in the file.
    let view = minutes(&mut secretary, &meeting).await;
    assert_eq!(view.recorder.as_deref(), Some("李红梅"));
    let minutes_text = package_text(&mut secretary, &meeting, "02-会议记录.docx").await;
    assert!(minutes_text.contains("记录人：李红梅"), "{minutes_text}");
    set_options(&mut secretary, &meeting, &[("recorder", &liu_id)]).await;
    let view = minutes(&mut secretary, &meeting).await;
    assert_eq!(view.recorder.as_deref(), Some("刘芳"));
    let minutes_text = package_text(&mut secretary, &meeting, "02-会议记录.docx").await;
    assert!(minutes_text.contains("记录人：刘芳"), "{minutes_text}");

    // The report names the meeting once and says nothing of what did not happen.
    let report = report_text(&mut secretary, &meeting).await;
    assert!(report.contains("召开2026年度组织生活会。"), "{report}");
    assert!(!report.contains("组织生活会（组织生活会）"), "{report}");
    for nothing in ["0名同志", "0人次", "0条", "反馈"] {
        assert!(!report.contains(nothing), "{nothing} in {report}");
    }

    // An opinion not passed on yet is not said to be fed back.
    ok(
        &mut secretary,
        "curate_opinion",
        &[
            ("meeting_id", &meeting),
            ("recipient_id", &zhang_id),
            ("text", "群众反映：希望多深入基层了解情况"),
        ],
    )
    .await;
    let report = report_text(&mut secretary, &meeting).await;
    assert!(!report.contains("逐一反馈"), "{report}");
    assert!(report.contains("尚未反馈本人（共1条）"), "{report}");
    ok(
        &mut secretary,
        "release_opinions",
        &[("meeting_id", &meeting), ("recipient_id", &zhang_id)],
    )
    .await;
    let report = package_text(&mut secretary, &meeting, "01-会议情况报告.docx").await;
    assert!(report.contains("以上意见已逐一反馈本人。"), "{report}");
    assert!(
        !report.contains(" "),
        "numbers sit in the text without spaces: {report}"
    );
}

#[tokio::test]
async fn a_secret_ballot_keeps_only_tallies() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;
    let (mut zhou, zhou_id) = fourth_member(&app).await;
    assert_eq!(
        refused(&mut zhang, "ballot_form", &[("meeting_id", &meeting)]).await,
        AppError::NotFound
    );
    // Opening needs the ballot enabled for the meeting.
    assert!(matches!(
        refused(
            &mut secretary,
            "set_ballot_phase",
            &[("meeting_id", &meeting), ("phase", "open")]
        )
        .await,
        AppError::Conflict(_)
    ));
    set_options(&mut secretary, &meeting, &[("ballot_enabled", "on")]).await;
    phase(&mut secretary, "set_ballot_phase", &meeting, "open").await;
    let form: BallotView = zhang
        .call("ballot_form", &[("meeting_id", &meeting)])
        .await
        .json();
    assert!(form.open && !form.voted);
    let (g_li, g_zhang, g_liu, g_zhou) = (
        format!("grades[u{li}]"),
        format!("grades[u{zhang_id}]"),
        format!("grades[u{liu_id}]"),
        format!("grades[u{zhou_id}]"),
    );
    let incomplete = [
        ("meeting_id", meeting.as_str()),
        (g_li.as_str(), "excellent"),
    ];
    assert!(matches!(
        refused(&mut zhang, "cast_ballot", &incomplete).await,
        AppError::Invalid(_)
    ));
    let ballot = |a: &'static str, b: &'static str, c: &'static str, d: &'static str| {
        vec![
            ("meeting_id", meeting.clone()),
            (g_li.as_str(), a.to_string()),
            (g_zhang.as_str(), b.to_string()),
            (g_liu.as_str(), c.to_string()),
            (g_zhou.as_str(), d.to_string()),
        ]
    };
    let as_fields = |form: &[(&str, String)]| -> Vec<(String, String)> {
        form.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    for (client, marks) in [
        (
            &mut zhang,
            ballot("excellent", "qualified", "excellent", "qualified"),
        ),
        (
            &mut liu,
            ballot("excellent", "qualified", "qualified", "qualified"),
        ),
        (
            &mut secretary,
            ballot("qualified", "basic", "excellent", "excellent"),
        ),
        (
            &mut zhou,
            ballot("qualified", "basic", "qualified", "qualified"),
        ),
    ] {
        let owned = as_fields(&marks);
        let fields: Vec<(&str, &str)> = owned
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        ok(client, "cast_ballot", &fields).await;
    }
    let again = as_fields(&ballot("excellent", "excellent", "excellent", "excellent"));
    let again: Vec<(&str, &str)> = again
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(matches!(
        refused(&mut zhang, "cast_ballot", &again).await,
        AppError::Conflict(_)
    ));
    // No tallies, nor how many voted, while the ballot is open.
    let open = minutes(&mut secretary, &meeting).await;
    assert_eq!(open.voters, None);
    assert!(open.tallies.is_none());
    phase(&mut secretary, "set_ballot_phase", &meeting, "close").await;
    let closed = minutes(&mut secretary, &meeting).await;
    assert_eq!(closed.voters, Some(4));
    let tallies = closed
        .tallies
        .expect("closed, three voters besides the secretary");
    let row = |name: &str| {
        tallies
            .iter()
            .find(|t| t.name == name)
            .unwrap()
            .counts
            .clone()
    };
    assert_eq!(row("李红梅"), [2, 2, 0, 0]);
    assert_eq!(row("张明"), [0, 2, 2, 0]);
    assert_eq!(row("刘芳"), [2, 2, 0, 0]);
    assert_eq!(row("周强"), [1, 3, 0, 0]);

    // Who voted and how are never in one row, and there is no ballot row at all.
    for row in dump(&app, "ballot_tally").await {
        // A tally names the member it counts, never a voter.
        let value: serde_json::Value = serde_json::from_str(&row).unwrap();
        let mut keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["count", "grade", "id", "meeting", "member"], "{row}");
    }
    for row in dump(&app, "ballot_voter").await {
        let value: serde_json::Value = serde_json::from_str(&row).unwrap();
        let mut keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["id", "meeting", "voter"], "{row}");
        assert!(!row.contains("excellent") && !row.contains("qualified"));
    }
    for row in dump(&app, "audit_event").await {
        assert!(!row.contains("ballot.cast"), "{row}");
    }
}

#[tokio::test]
async fn the_final_version_and_the_package_for_the_higher_committee() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (_, zhang_id, _) = people(&mut secretary, &meeting).await;
    let (mut zhang, material) = approved(&app, &meeting).await;

    // Not spoken yet: no 定稿.
    let view = editor(&mut zhang, &material).await;
    let version = view.version.to_string();
    assert!(matches!(
        refused(
            &mut zhang,
            "finalise_material",
            &[("material_id", &material), ("version", &version)]
        )
        .await,
        AppError::Conflict(_)
    ));
    let record = minutes(&mut secretary, &meeting).await;
    let order: Vec<String> = record.speakers.iter().map(|s| s.name.clone()).collect();
    let zhang_line = record
        .speakers
        .iter()
        .find(|s| s.user_id == zhang_id)
        .unwrap();
    let line_version = zhang_line.version.to_string();
    ok(
        &mut secretary,
        "save_speaker",
        &[
            ("meeting_id", &meeting),
            ("person_id", &zhang_id),
            ("version", &line_version),
            ("spoken", "on"),
            ("criticisms", "刘芳：调研不够深入"),
        ],
    )
    .await;

    // Recording one speaker first does not move them in the speaking order.
    let after: Vec<String> = minutes(&mut secretary, &meeting)
        .await
        .speakers
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(after, order);

    // Revised after the meeting, then handed in as the 定稿.
    let view = editor(&mut zhang, &material).await;
    let closing_step = "closing";
    let saved: SaveReply = save(
        &mut zhang,
        &material,
        view.version,
        "after-meeting",
        closing_step,
        &[("closing", "以上发言，请同志们继续批评帮助。")],
    )
    .await
    .json();
    let view = editor(&mut zhang, &material).await;
    assert!(!view.since_approved.is_empty());
    let stale = (saved.version - 1).to_string();
    assert!(matches!(
        refused(
            &mut zhang,
            "finalise_material",
            &[("material_id", &material), ("version", &stale)]
        )
        .await,
        AppError::Conflict(_)
    ));
    let current = saved.version.to_string();
    ok(
        &mut zhang,
        "finalise_material",
        &[("material_id", &material), ("version", &current)],
    )
    .await;
    let view = editor(&mut zhang, &material).await;
    assert_eq!(view.state, MaterialState::Final);
    // Frozen: a save is kept aside, not applied.
    let refused_save = save(
        &mut zhang,
        &material,
        view.version,
        "after-final",
        closing_step,
        &[("closing", "再改一次")],
    )
    .await;
    assert!(!refused_save.status.is_success());

    let report: ReportView = secretary
        .call("meeting_report", &[("meeting_id", &meeting)])
        .await
        .json();
    assert_eq!(report.finals, 1);
    let zhang_row = report.rows.iter().find(|r| r.name == "张明").unwrap();
    assert_eq!(zhang_row.state, Some(MaterialState::Final));
    assert!(!zhang_row.changes.is_empty());
    assert!(report.report.title.contains("第一党支部关于召开"));
    assert!(report.countdown.is_some());

    let package = secretary
        .get(&format!("/meetings/{meeting}/package.zip"))
        .await;
    assert!(package.status.is_success(), "{}", package.body);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package.bytes.clone())).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    for expected in [
        "01-会议情况报告.docx",
        "02-会议记录.docx",
        "03-定稿材料汇编.docx",
        "05-整改台账.xlsx",
        "06-整改台账.docx",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert!(names.iter().any(|n| n.starts_with("04-定稿材料/01-张明-")));
    let minutes_text = {
        use std::io::Read;
        let mut bytes = Vec::new();
        archive
            .by_name("02-会议记录.docx")
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        xingshen::export::docx::docx_paragraphs(&bytes)
            .unwrap()
            .join("\n")
    };
    assert!(
        minutes_text.contains("刘芳：调研不够深入"),
        "{minutes_text}"
    );
    let book = {
        use std::io::Read;
        let mut bytes = Vec::new();
        archive
            .by_name("03-定稿材料汇编.docx")
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        xingshen::export::docx::docx_paragraphs(&bytes)
            .unwrap()
            .join("\n")
    };
    assert!(book.contains("以上发言，请同志们继续批评帮助。"));

    // Nobody else gets the package.
    let mut liu = app.logged_in("liufang").await;
    assert_eq!(
        liu.get(&format!("/meetings/{meeting}/package.zip"))
            .await
            .status,
        axum::http::StatusCode::NOT_FOUND
    );
    ok(&mut secretary, "mark_reported", &[("meeting_id", &meeting)]).await;
    assert_eq!(
        editor(&mut zhang, &material).await.state,
        MaterialState::Reported
    );
    let report: ReportView = secretary
        .call("meeting_report", &[("meeting_id", &meeting)])
        .await
        .json();
    assert!(report.reported_at.is_some());
}

#[tokio::test]
async fn outsiders_reach_none_of_the_cycle() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (_, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    let s = meeting.as_str();
    let member_fns: [(&str, Vec<(&str, &str)>); 6] = [
        ("member_cycle", vec![("meeting_id", s)]),
        ("survey_form", vec![("meeting_id", s)]),
        ("ballot_form", vec![("meeting_id", s)]),
        (
            "write_criticism",
            vec![
                ("meeting_id", s),
                ("recipient_id", &zhang_id),
                ("text", "x"),
            ],
        ),
        (
            "log_talk",
            vec![
                ("meeting_id", s),
                ("partner_id", &zhang_id),
                ("on", "2026-11-20"),
                ("topics", "x"),
            ],
        ),
        ("cast_ballot", vec![("meeting_id", s)]),
    ];
    let secretary_fns: [(&str, Vec<(&str, &str)>); 12] = [
        ("cycle_admin", vec![("meeting_id", s)]),
        (
            "save_cycle_options",
            vec![
                ("meeting_id", s),
                ("survey_scope", "members"),
                ("criticism_mode", "open"),
            ],
        ),
        (
            "set_survey_phase",
            vec![("meeting_id", s), ("phase", "open")],
        ),
        (
            "curate_opinion",
            vec![
                ("meeting_id", s),
                ("recipient_id", &zhang_id),
                ("text", "x"),
            ],
        ),
        (
            "release_opinions",
            vec![("meeting_id", s), ("recipient_id", &zhang_id)],
        ),
        (
            "set_criticism_pair",
            vec![
                ("meeting_id", s),
                ("giver_id", &liu_id),
                ("recipient_id", &zhang_id),
                ("action", "assign"),
            ],
        ),
        ("meeting_record", vec![("meeting_id", s)]),
        ("save_attendance", vec![("meeting_id", s)]),
        (
            "save_speaker",
            vec![
                ("meeting_id", s),
                ("person_id", &zhang_id),
                ("version", "0"),
            ],
        ),
        (
            "save_minutes_notes",
            vec![("meeting_id", s), ("notes", "x")],
        ),
        (
            "set_ballot_phase",
            vec![("meeting_id", s), ("phase", "open")],
        ),
        ("meeting_report", vec![("meeting_id", s)]),
    ];
    // Another branch's people: not found, whatever they ask.
    for login in ["chenjing", "shuji2", "admin"] {
        let mut outsider = app.logged_in(login).await;
        for (function, fields) in member_fns.iter().chain(secretary_fns.iter()) {
            let error = refused(&mut outsider, function, fields).await;
            // The survey form answers "not found" too (members-only scope by default).
            assert_eq!(error, AppError::NotFound, "{login} → {function}");
        }
        assert_eq!(
            refused(&mut outsider, "mark_reported", &[("meeting_id", s)]).await,
            AppError::NotFound
        );
    }
    // A member of the branch: not the secretary's functions.
    let mut zhang = app.logged_in("zhangming").await;
    for (function, fields) in secretary_fns.iter() {
        assert_eq!(
            refused(&mut zhang, function, fields).await,
            AppError::NotFound,
            "zhangming → {function}"
        );
    }
    // Nobody logged in: asked to log in.
    let mut anonymous = app.client();
    for (function, fields) in member_fns.iter().chain(secretary_fns.iter()) {
        assert_eq!(
            refused(&mut anonymous, function, fields).await,
            AppError::Unauthenticated,
            "anonymous → {function}"
        );
    }
}

/// The fields of each stored row of `table`, sorted, as the storage holds them.
async fn stored_fields(app: &TestApp, table: &str) -> Vec<Vec<String>> {
    app.store
        .table_json(table)
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            let mut keys: Vec<String> = row.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        })
        .collect()
}

/// A secretary who answered the 征求意见 themselves, with two others, would read two answers
/// from two people they can name: their own answer does not count towards the three.
#[tokio::test]
async fn the_readers_own_answer_does_not_count_towards_the_three() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    phase(&mut secretary, "set_survey_phase", &meeting, "open").await;
    for (login, text) in [
        ("shuji1", "会前多交流"),
        ("zhangming", "希望多组织集体学习"),
        ("liufang", "会议通知可以再早一些"),
    ] {
        let mut client = app.logged_in(login).await;
        ok(
            &mut client,
            "answer_survey",
            &[("meeting_id", &meeting), ("general", text)],
        )
        .await;
    }
    phase(&mut secretary, "set_survey_phase", &meeting, "close").await;
    let view = admin_view(&mut secretary, &meeting).await;
    assert_eq!(view.respondents, Some(3));
    assert!(
        view.answers.is_none(),
        "only two besides the reader: {:?}",
        view.answers
    );
    let page = secretary
        .get(&format!("/meetings/{meeting}/opinions"))
        .await
        .text();
    assert!(page.contains("填写人数不足 3 人（不计您本人"), "{page}");
    assert!(!page.contains("希望多组织集体学习"), "{page}");
}

/// Likewise the secretary's own vote: three ballots, one of them theirs, show no tallies —
/// not on the page, not in the 会议记录 of the package, not in the report.
#[tokio::test]
async fn the_readers_own_vote_does_not_count_towards_the_three() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    set_options(&mut secretary, &meeting, &[("ballot_enabled", "on")]).await;
    phase(&mut secretary, "set_ballot_phase", &meeting, "open").await;
    let (g_li, g_zhang, g_liu) = (
        format!("grades[u{li}]"),
        format!("grades[u{zhang_id}]"),
        format!("grades[u{liu_id}]"),
    );
    for login in ["shuji1", "zhangming", "liufang"] {
        let mut client = app.logged_in(login).await;
        ok(
            &mut client,
            "cast_ballot",
            &[
                ("meeting_id", meeting.as_str()),
                (g_li.as_str(), "excellent"),
                (g_zhang.as_str(), "qualified"),
                (g_liu.as_str(), "excellent"),
            ],
        )
        .await;
    }
    phase(&mut secretary, "set_ballot_phase", &meeting, "close").await;
    let view = minutes(&mut secretary, &meeting).await;
    assert_eq!(view.voters, Some(3));
    assert!(view.tallies.is_none(), "{:?}", view.tallies);
    let page = secretary
        .get(&format!("/meetings/{meeting}/minutes"))
        .await
        .text();
    assert!(page.contains("投票人数不足 3 人（不计您本人"), "{page}");
    let report = report_text(&mut secretary, &meeting).await;
    assert!(!report.contains("无记名投票"), "{report}");
}

/// While the survey or the ballot is open the secretary sees neither answers nor how many
/// answered: a count that moves as people answer, watched, says who answered when.
#[tokio::test]
async fn live_counts_stay_hidden_until_close() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    set_options(&mut secretary, &meeting, &[("ballot_enabled", "on")]).await;
    phase(&mut secretary, "set_survey_phase", &meeting, "open").await;
    phase(&mut secretary, "set_ballot_phase", &meeting, "open").await;
    let mut zhang = app.logged_in("zhangming").await;
    ok(
        &mut zhang,
        "answer_survey",
        &[("meeting_id", &meeting), ("general", "希望多组织集体学习")],
    )
    .await;
    let (g_li, g_zhang, g_liu) = (
        format!("grades[u{li}]"),
        format!("grades[u{zhang_id}]"),
        format!("grades[u{liu_id}]"),
    );
    ok(
        &mut zhang,
        "cast_ballot",
        &[
            ("meeting_id", meeting.as_str()),
            (g_li.as_str(), "excellent"),
            (g_zhang.as_str(), "qualified"),
            (g_liu.as_str(), "excellent"),
        ],
    )
    .await;

    assert_eq!(admin_view(&mut secretary, &meeting).await.respondents, None);
    assert_eq!(minutes(&mut secretary, &meeting).await.voters, None);
    let opinions = secretary
        .get(&format!("/meetings/{meeting}/opinions"))
        .await
        .text();
    assert!(
        opinions.contains("状态：进行中（填写人数在结束后显示）"),
        "{opinions}"
    );
    assert!(!opinions.contains("1 人填写"), "{opinions}");
    let record = secretary
        .get(&format!("/meetings/{meeting}/minutes"))
        .await
        .text();
    assert!(
        record.contains("状态：进行中（投票人数在结束后显示）"),
        "{record}"
    );
    assert!(!record.contains("1 人投票"), "{record}");
    let report = report_text(&mut secretary, &meeting).await;
    assert!(!report.contains("征求意见，共"), "{report}");

    phase(&mut secretary, "set_survey_phase", &meeting, "close").await;
    phase(&mut secretary, "set_ballot_phase", &meeting, "close").await;
    assert_eq!(
        admin_view(&mut secretary, &meeting).await.respondents,
        Some(1)
    );
    assert_eq!(minutes(&mut secretary, &meeting).await.voters, Some(1));
    let opinions = secretary
        .get(&format!("/meetings/{meeting}/opinions"))
        .await
        .text();
    assert!(
        opinions.contains("状态：已结束 · 共 1 人填写"),
        "{opinions}"
    );
}

/// What the storage holds — every row as the database returns it, and a backup file —
/// ties no respondent to an answer and no voter to a grade: the answer and tally rows name
/// no one but whom they are about, carry no time, and have random keys unrelated to the
/// has-answered rows; and an engine that keeps versions (which would date each write and
/// show the database between two answers) is refused outright.
#[tokio::test]
async fn the_stored_answers_and_ballots_tie_no_one_to_what_they_said() {
    let app = TestApp::embedded().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let (li, zhang_id, liu_id) = people(&mut secretary, &meeting).await;
    let (_, zhou_id) = fourth_member(&app).await;
    let everyone = [
        li.clone(),
        zhang_id.clone(),
        liu_id.clone(),
        zhou_id.clone(),
    ];
    set_options(&mut secretary, &meeting, &[("ballot_enabled", "on")]).await;
    phase(&mut secretary, "set_survey_phase", &meeting, "open").await;
    phase(&mut secretary, "set_ballot_phase", &meeting, "open").await;
    let about_liu = format!("about[u{liu_id}]");
    let grades: Vec<String> = everyone.iter().map(|id| format!("grades[u{id}]")).collect();
    for (login, general) in [
        ("shuji1", "甲意见：会前多交流"),
        ("zhangming", "乙意见：多组织集体学习"),
        ("liufang", "丙意见：通知再早一些"),
        ("zhouqiang", "丁意见：多开展谈心谈话"),
    ] {
        let mut client = app.logged_in(login).await;
        let about_text = format!("{general}（关于刘芳）");
        let mut fields = vec![("meeting_id", meeting.as_str()), ("general", general)];
        if login != "liufang" {
            fields.push((about_liu.as_str(), about_text.as_str()));
        }
        ok(&mut client, "answer_survey", &fields).await;
        let mut ballot = vec![("meeting_id", meeting.as_str())];
        ballot.extend(grades.iter().map(|g| (g.as_str(), "qualified")));
        ok(&mut client, "cast_ballot", &ballot).await;
    }
    phase(&mut secretary, "set_survey_phase", &meeting, "close").await;
    phase(&mut secretary, "set_ballot_phase", &meeting, "close").await;

    // The rows as the database holds them: only these fields, whatever was answered.
    for fields in stored_fields(&app, "survey_answer").await {
        assert!(
            fields == ["about", "id", "meeting", "text"] || fields == ["id", "meeting", "text"],
            "{fields:?}"
        );
    }
    for fields in stored_fields(&app, "survey_respondent").await {
        assert_eq!(fields, ["id", "meeting", "respondent"]);
    }
    for fields in stored_fields(&app, "ballot_tally").await {
        assert_eq!(fields, ["count", "grade", "id", "meeting", "member"]);
    }
    for fields in stored_fields(&app, "ballot_voter").await {
        assert_eq!(fields, ["id", "meeting", "voter"]);
    }
    // Keys: random, 20 characters, none shared or derived between the two sides.
    let key_of = |row: &serde_json::Value| -> String {
        match &row["id"] {
            serde_json::Value::String(id) => id.rsplit(':').next().unwrap().to_string(),
            other => other
                .get("key")
                .or(other.get("id"))
                .and_then(|key| key.as_str())
                .map_or_else(|| other.to_string(), str::to_string),
        }
    };
    let answers = app.store.table_json("survey_answer").await.unwrap();
    let respondents = app.store.table_json("survey_respondent").await.unwrap();
    assert_eq!((answers.len(), respondents.len()), (7, 4));
    let answer_keys: Vec<String> = answers.iter().map(key_of).collect();
    let respondent_keys: Vec<String> = respondents.iter().map(key_of).collect();
    for key in answer_keys.iter().chain(&respondent_keys) {
        let key = key.trim_matches(|c| c == '`' || c == '⟨' || c == '⟩');
        assert!(
            key.len() == 20
                && key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "not a random key: {key}"
        );
        for person in &everyone {
            assert!(!key.contains(person.as_str()), "{key}");
        }
    }
    for key in &answer_keys {
        assert!(!respondent_keys.contains(key));
    }
    // An answer names a person only as whom it is about.
    for row in &answers {
        let mut row = row.clone();
        row.as_object_mut().unwrap().remove("about");
        let text = row.to_string();
        for person in &everyone {
            assert!(!text.contains(person.as_str()), "{text}");
        }
    }

    // The backup file: the answer and tally sections hold no respondent, voter or time.
    let backup = crate::support::scratch_dir("anonymity").join("backup.surql");
    app.store.backup_to(&backup).await.unwrap();
    let dump = std::fs::read_to_string(&backup).unwrap();
    let section = |table: &str| -> String {
        let marker = format!("TABLE DATA: {table}");
        let start = dump
            .find(&marker)
            .unwrap_or_else(|| panic!("{marker} not in the backup"));
        let rest = &dump[start + marker.len()..];
        // Up to the next section's title: the next table's definitions are not data.
        rest[..rest.find("-- TABLE").unwrap_or(rest.len())].to_string()
    };
    let stored_answers = section("survey_answer");
    assert!(
        stored_answers.contains("乙意见：多组织集体学习"),
        "{stored_answers}"
    );
    let tallies = section("ballot_tally");
    assert!(tallies.contains("qualified"), "{tallies}");
    for text in [&stored_answers, &tallies] {
        // No datetime literal (d'2026-…') and no time function: nothing dates an answer.
        assert!(!text.contains("d'2") && !text.contains("time::"), "{text}");
        for login in ["shuji1", "zhangming", "liufang", "zhouqiang"] {
            assert!(!text.contains(login), "{text}");
        }
    }
    // Only 刘芳 is named in the answers, as whom three of them are about; the tallies name
    // only the members they count.
    for person in [&li, &zhang_id, &zhou_id] {
        assert!(
            !stored_answers.contains(person.as_str()),
            "{stored_answers}"
        );
    }
    assert_eq!(stored_answers.matches(liu_id.as_str()).count(), 3);
    assert!(!tallies.contains("voter"), "{tallies}");
    for text in [section("survey_respondent"), section("ballot_voter")] {
        assert!(
            !text.contains("意见") && !text.contains("qualified"),
            "{text}"
        );
    }

    // An engine that keeps every version would show the database between two answers.
    let versioned = format!(
        "surrealkv://{}?versioned=true",
        crate::support::scratch_dir("versioned")
            .join("db")
            .display()
    );
    assert!(
        xingshen::store::Store::connect(&versioned).await.is_err(),
        "a versioned engine must be refused"
    );
}
