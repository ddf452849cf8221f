//! 民主评议党员 through HTTP: settings, 个人自评 only the member and the secretary read, the
//! secret 互评/测评 (who voted, tallies, remarks without authors), the 支委会 评定 with its
//! required reasons and the share of 优秀, the 反馈 and its .docx, the 统计表 and the package,
//! and what follows a 基本合格 or 不合格.
//!
//! Long because one test walks the whole evaluation, as a branch does, checking secrecy at
//! each step.

use crate::meetings::demo_meeting;
use crate::support::{Client, TestApp, ok};
use xingshen::domain::cycle::Grade;
use xingshen::seed::DEMO_PASSWORD;
use xingshen::server::AppError;
use xingshen::server::cycle::{EvaluationAdminView, EvaluationView};

/// A member of 第一党支部 who logs in with the demo password.
async fn add_member(app: &TestApp, login: &str, name: &str) -> Client {
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
    app.store
        .create_users(
            &org,
            vec![NewUser {
                login: LoginName::parse(login).unwrap(),
                name: PersonName::parse(name).unwrap(),
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
    app.logged_in(login).await
}

async fn admin(secretary: &mut Client, meeting: &str) -> EvaluationAdminView {
    ok(secretary, "evaluation_admin", &[("meeting_id", meeting)])
        .await
        .json()
}

async fn form(member: &mut Client, meeting: &str) -> EvaluationView {
    ok(member, "evaluation_form", &[("meeting_id", meeting)])
        .await
        .json()
}

async fn settings(secretary: &mut Client, meeting: &str, voters: &str) {
    ok(
        secretary,
        "save_evaluation_settings",
        &[
            ("meeting_id", meeting),
            ("enabled", "on"),
            ("opens_on", "2026-01-05"),
            ("closes_on", "2026-01-09"),
            ("excellent_share", "30"),
            ("voters", voters),
            ("assembly_needed", "on"),
        ],
    )
    .await;
}

async fn phase(secretary: &mut Client, meeting: &str, phase: &str) {
    ok(
        secretary,
        "set_evaluation_phase",
        &[("meeting_id", meeting), ("phase", phase)],
    )
    .await;
}

/// The user id of each name on the secretary's page.
fn id_of(view: &EvaluationAdminView, name: &str) -> String {
    view.members
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name} is evaluated"))
        .user_id
        .clone()
}

/// Casts a 互评 form: `grade` for every other member, and the given remarks.
async fn vote(
    client: &mut Client,
    meeting: &str,
    others: &[&str],
    grade: &str,
    remarks: &[(&str, &str)],
) -> Result<(), AppError> {
    let grades: Vec<(String, String)> = others
        .iter()
        .map(|id| (format!("grades[u{id}]"), grade.to_string()))
        .chain(
            remarks
                .iter()
                .map(|(id, text)| (format!("remarks[u{id}]"), text.to_string())),
        )
        .collect();
    let mut fields = vec![("meeting_id", meeting)];
    fields.extend(grades.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let reply = client.call("cast_evaluation", &fields).await;
    if reply.status.is_success() {
        Ok(())
    } else {
        Err(reply.error())
    }
}

fn voted(outcome: Result<(), AppError>) {
    assert_eq!(outcome, Ok(()), "the vote counts");
}

async fn write_self(client: &mut Client, meeting: &str, shortcomings: &str, grade: &str) {
    ok(
        client,
        "save_self_assessment",
        &[
            ("meeting_id", meeting),
            ("ideals", "坚定理想信念，认真学习党的创新理论"),
            ("discipline", "严守政治纪律和政治规矩"),
            ("conduct", "立足岗位，带头完成任务"),
            ("shortcomings", shortcomings),
            ("grade", grade),
        ],
    )
    .await;
}

async fn grade(
    secretary: &mut Client,
    meeting: &str,
    member: &str,
    grade: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reply = secretary
        .call(
            "set_evaluation_grade",
            &[
                ("meeting_id", meeting),
                ("member_id", member),
                ("grade", grade),
                ("reason", reason),
            ],
        )
        .await;
    if reply.status.is_success() {
        Ok(())
    } else {
        Err(reply.error())
    }
}

fn keys(row: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = row.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn docx_text(bytes: &[u8]) -> String {
    xingshen::export::docx::docx_paragraphs(bytes)
        .unwrap()
        .join("\n")
}

const REMARKS: [&str; 3] = [
    "希望加强理论学习",
    "调研不够深入，建议多下基层",
    "工作作风扎实，继续保持",
];

#[tokio::test]
async fn the_evaluation_runs_from_self_assessment_to_feedback_and_keeps_votes_secret() {
    let log = crate::cycle::CapturedLog::default();
    let _logging = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_env_filter("info,xingshen=trace")
            .finish(),
    );
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;
    let mut zhou = add_member(&app, "zhouqiang", "周强").await;
    let mut wang = add_member(&app, "wanggang", "王刚").await;

    // No evaluation until the secretary holds one.
    assert_eq!(
        zhang
            .call("evaluation_form", &[("meeting_id", &meeting)])
            .await
            .error(),
        AppError::NotFound
    );
    let refused = secretary
        .call(
            "save_evaluation_settings",
            &[
                ("meeting_id", &meeting),
                ("enabled", "on"),
                ("excellent_share", "百分之三十"),
                ("voters", "all"),
            ],
        )
        .await
        .error();
    assert_eq!(
        refused,
        AppError::Invalid("优秀比例请填写 0 到 100 之间的整数，如 30".into())
    );
    settings(&mut secretary, &meeting, "all").await;
    let view = admin(&mut secretary, &meeting).await;
    assert_eq!(view.members.len(), 5);
    assert_eq!(view.excellent_cap, 1, "30% of five");
    let li_id = id_of(&view, "李红梅");
    let zhang_id = id_of(&view, "张明");
    let liu_id = id_of(&view, "刘芳");
    let zhou_id = id_of(&view, "周强");
    let wang_id = id_of(&view, "王刚");

    // 个人自评: the member and the secretary read it, another member does not.
    let secret_self = "对群众工作用心不够，调研走访少";
    let missing = zhang
        .call(
            "save_self_assessment",
            &[
                ("meeting_id", &meeting),
                ("ideals", "坚定"),
                ("discipline", "遵守"),
                ("conduct", "带头"),
                ("shortcomings", " "),
                ("grade", "qualified"),
            ],
        )
        .await
        .error();
    assert_eq!(missing, AppError::Invalid("存在不足不能为空".into()));
    write_self(&mut zhang, &meeting, secret_self, "qualified").await;
    let own = form(&mut zhang, &meeting).await;
    assert_eq!(own.points[3].text, secret_self);
    assert_eq!(own.self_grade, Some(Grade::Qualified));
    let liu_page = liu
        .call("evaluation_form", &[("meeting_id", &meeting)])
        .await;
    assert!(liu_page.status.is_success());
    assert!(!liu_page.body.contains(secret_self), "{}", liu_page.body);
    assert_eq!(
        liu.call("evaluation_admin", &[("meeting_id", &meeting)])
            .await
            .error(),
        AppError::NotFound
    );
    let seen = admin(&mut secretary, &meeting).await;
    let zhang_row = seen.members.iter().find(|m| m.user_id == zhang_id).unwrap();
    let (sections, self_grade) = zhang_row.self_assessment.clone().unwrap();
    assert_eq!(
        sections[3],
        ("存在不足".to_string(), secret_self.to_string())
    );
    assert_eq!(self_grade, Grade::Qualified);

    // 互评/测评: nobody votes before it opens.
    let all = [&li_id, &zhang_id, &liu_id, &zhou_id, &wang_id];
    let others = |me: &str| -> Vec<&str> {
        all.iter()
            .map(|id| id.as_str())
            .filter(|id| *id != me)
            .collect()
    };
    assert!(matches!(
        vote(&mut zhang, &meeting, &others(&zhang_id), "qualified", &[]).await,
        Err(AppError::Conflict(m)) if m.contains("未开始")
    ));
    phase(&mut secretary, &meeting, "open").await;
    // A form that leaves someone out is refused whole.
    assert!(matches!(
        vote(&mut zhang, &meeting, &[&li_id], "qualified", &[]).await,
        Err(AppError::Invalid(_))
    ));
    voted(
        vote(
            &mut liu,
            &meeting,
            &others(&liu_id),
            "qualified",
            &[(&zhang_id, REMARKS[1])],
        )
        .await,
    );
    voted(
        vote(
            &mut zhou,
            &meeting,
            &others(&zhou_id),
            "excellent",
            &[(&zhang_id, REMARKS[0])],
        )
        .await,
    );
    voted(
        vote(
            &mut secretary,
            &meeting,
            &others(&li_id),
            "qualified",
            &[(&zhang_id, REMARKS[2])],
        )
        .await,
    );
    voted(vote(&mut zhang, &meeting, &others(&zhang_id), "qualified", &[]).await);
    assert!(matches!(
        vote(&mut zhang, &meeting, &others(&zhang_id), "excellent", &[]).await,
        Err(AppError::Conflict(m)) if m.contains("只能评一次")
    ));
    // While open: who has not voted, never a count or a tally.
    let live = admin(&mut secretary, &meeting).await;
    assert_eq!(live.not_voted, ["王刚"]);
    assert_eq!(live.voters, None);
    assert!(
        live.members
            .iter()
            .all(|m| m.tallies.is_none() && m.remarks.is_none())
    );
    voted(
        vote(
            &mut wang,
            &meeting,
            &others(&wang_id),
            "basic",
            &[(&liu_id, "请多关心青年党员")],
        )
        .await,
    );
    phase(&mut secretary, &meeting, "close").await;

    let closed = admin(&mut secretary, &meeting).await;
    assert_eq!(closed.voters, Some(5));
    assert!(closed.not_voted.is_empty());
    let zhang_row = closed
        .members
        .iter()
        .find(|m| m.user_id == zhang_id)
        .unwrap();
    // 刘芳, 李红梅 qualified; 周强 excellent; 王刚 basic.
    assert_eq!(zhang_row.tallies, Some(vec![1, 2, 1, 0]));
    let mut expected: Vec<String> = REMARKS.iter().map(|r| r.to_string()).collect();
    expected.sort();
    assert_eq!(zhang_row.remarks, Some(expected.clone()), "sorted by text");
    // The secretary's own tally: four voters besides them.
    let li_row = closed.members.iter().find(|m| m.user_id == li_id).unwrap();
    assert_eq!(li_row.tallies, Some(vec![1, 2, 1, 0]));

    // The stored rows tie no voter to a grade or a remark.
    for row in app.store.table_json("evaluation_tally").await.unwrap() {
        assert_eq!(
            keys(&row),
            ["count", "grade", "id", "meeting", "member"],
            "{row}"
        );
    }
    for row in app.store.table_json("evaluation_voter").await.unwrap() {
        assert_eq!(keys(&row), ["id", "meeting", "voter"], "{row}");
        let text = row.to_string();
        assert!(
            !text.contains("qualified") && !text.contains("excellent"),
            "{text}"
        );
    }
    let remarks = app.store.table_json("evaluation_remark").await.unwrap();
    assert_eq!(remarks.len(), 4);
    for row in &remarks {
        assert_eq!(keys(row), ["id", "meeting", "member", "text"], "{row}");
        let text = row.to_string();
        for voter in [&li_id, &liu_id, &zhou_id, &wang_id] {
            assert!(!row["id"].to_string().contains(voter.as_str()), "{text}");
        }
    }

    // 支委会 评定: reasons where required, the share of 优秀 enforced.
    let Err(refusal) = grade(&mut secretary, &meeting, &zhang_id, "basic", "").await else {
        panic!("基本合格 without a reason")
    };
    assert_eq!(
        refusal,
        AppError::Invalid("评定为“基本合格”的，须填写评定理由".into())
    );
    let Err(refusal) = grade(&mut secretary, &meeting, &zhang_id, "unqualified", " ").await else {
        panic!("不合格 without a reason")
    };
    assert_eq!(
        refusal,
        AppError::Invalid("评定为“不合格”的，须填写评定理由".into())
    );
    grade(
        &mut secretary,
        &meeting,
        &zhang_id,
        "basic",
        "群众工作不够扎实",
    )
    .await
    .unwrap();
    grade(&mut secretary, &meeting, &liu_id, "excellent", "")
        .await
        .unwrap();
    let Err(refusal) = grade(&mut secretary, &meeting, &zhou_id, "excellent", "").await else {
        panic!("a second 优秀 of five is beyond 30%")
    };
    assert!(
        matches!(&refusal, AppError::Invalid(m) if m.contains("超过规定比例")),
        "{refusal:?}"
    );
    grade(
        &mut secretary,
        &meeting,
        &zhou_id,
        "excellent",
        "获评市级优秀共产党员",
    )
    .await
    .unwrap();
    // Nothing is lost by a refusal: 张明's grade stands.
    let graded = admin(&mut secretary, &meeting).await;
    let zhang_row = graded
        .members
        .iter()
        .find(|m| m.user_id == zhang_id)
        .unwrap();
    assert_eq!(zhang_row.grade, Some(Grade::BasicallyQualified));
    assert_eq!(zhang_row.reason.as_deref(), Some("群众工作不够扎实"));

    // Finalising needs every member graded and the 党员大会 date.
    let early = secretary
        .call(
            "finalise_evaluation",
            &[("meeting_id", &meeting), ("committee_on", "2026-01-10")],
        )
        .await
        .error();
    assert_eq!(
        early,
        AppError::Invalid("还有 2 名党员没有评定等次，请先逐一评定".into())
    );
    for id in [&li_id, &wang_id] {
        grade(&mut secretary, &meeting, id, "qualified", "")
            .await
            .unwrap();
    }
    let no_assembly = secretary
        .call(
            "finalise_evaluation",
            &[("meeting_id", &meeting), ("committee_on", "2026-01-10")],
        )
        .await
        .error();
    assert_eq!(
        no_assembly,
        AppError::Invalid("本次评议须经党员大会审议，请填写党员大会日期".into())
    );
    // No feedback before the result is final.
    assert!(form(&mut zhang, &meeting).await.feedback.is_none());
    assert_eq!(
        zhang
            .get(&format!("/meetings/{meeting}/evaluation/notice.docx"))
            .await
            .status
            .as_u16(),
        404
    );
    ok(
        &mut secretary,
        "finalise_evaluation",
        &[
            ("meeting_id", &meeting),
            ("committee_on", "2026-01-10"),
            ("assembly_on", "2026-01-12"),
        ],
    )
    .await;
    assert!(
        grade(&mut secretary, &meeting, &zhang_id, "qualified", "")
            .await
            .is_err(),
        "a final result stays"
    );

    // 反馈: the member's page and the .docx, the remarks without their authors.
    let feedback = form(&mut zhang, &meeting).await.feedback.unwrap();
    assert_eq!(feedback.grade, Grade::BasicallyQualified);
    assert_eq!(feedback.reason.as_deref(), Some("群众工作不够扎实"));
    assert_eq!(feedback.assembly_on.as_deref(), Some("2026-01-12"));
    assert_eq!(feedback.remarks, Some(expected.clone()));
    let notice = zhang
        .get(&format!("/meetings/{meeting}/evaluation/notice.docx"))
        .await;
    assert!(notice.status.is_success(), "{}", notice.body);
    let text = docx_text(&notice.bytes);
    assert!(
        text.contains("张明同志") && text.contains("基本合格"),
        "{text}"
    );
    for remark in REMARKS {
        assert!(text.contains(remark), "{text}");
    }
    for voter in ["李红梅", "刘芳", "周强", "王刚"] {
        assert!(!text.contains(voter), "no author in the notice: {text}");
    }
    // 刘芳's notice is her own: no remark to 张明 in it.
    let liu_notice = liu
        .get(&format!("/meetings/{meeting}/evaluation/notice.docx"))
        .await;
    let liu_text = docx_text(&liu_notice.bytes);
    assert!(
        liu_text.contains("刘芳同志") && !liu_text.contains(REMARKS[0]),
        "{liu_text}"
    );
    let mut outsider = app.logged_in("shuji2").await;
    assert_eq!(
        outsider
            .get(&format!("/meetings/{meeting}/evaluation/notice.docx"))
            .await
            .status
            .as_u16(),
        404
    );

    // The 统计表 for the secretary, and in the package.
    for file in ["sheet.xlsx", "sheet.docx"] {
        let path = format!("/meetings/{meeting}/evaluation/{file}");
        assert!(secretary.get(&path).await.status.is_success());
        assert_eq!(zhang.get(&path).await.status.as_u16(), 404);
    }
    let sheet = docx_text(
        &secretary
            .get(&format!("/meetings/{meeting}/evaluation/sheet.docx"))
            .await
            .bytes,
    );
    assert!(
        sheet.contains("参评党员 5 名：优秀 2 名，合格 2 名，基本合格 1 名，不合格 0 名"),
        "{sheet}"
    );
    let package = secretary
        .get(&format!("/meetings/{meeting}/package.zip"))
        .await;
    assert!(package.status.is_success());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package.bytes.clone())).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    assert!(
        names.contains(&"09-民主评议党员情况统计表.xlsx".to_string())
            && names.contains(&"10-民主评议党员情况统计表.docx".to_string()),
        "{names:?}"
    );
    let mut everything = Vec::new();
    for index in 0..archive.len() {
        use std::io::Read;
        let mut entry = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if entry.name().ends_with(".docx") {
            everything.push(docx_text(&bytes));
        }
    }
    let everything = everything.join("\n");
    for remark in REMARKS {
        assert!(
            !everything.contains(remark),
            "the package carries no remark"
        );
    }

    // The audit log records the secretary's steps, never a vote or a remark.
    let audit: Vec<String> = app
        .store
        .table_json("audit_event")
        .await
        .unwrap()
        .iter()
        .map(|row| row.to_string())
        .collect();
    assert!(audit.iter().any(|row| row.contains("evaluation.finalise")));
    assert!(
        audit
            .iter()
            .any(|row| row.contains("evaluation.export_notice"))
    );
    for row in &audit {
        assert!(!row.contains("cast"), "{row}");
        for remark in REMARKS {
            assert!(!row.contains(remark), "{row}");
        }
        assert!(!row.contains(secret_self), "{row}");
    }

    // Nothing the app logged carries a remark, a 自评 or who voted (and the capture does see
    // what the app logs on the request path: a forged cross-site vote is logged).
    let forged = axum::http::Request::post("/api/cast_evaluation")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://forged.example")
        .body(axum::body::Body::from(format!("meeting_id={meeting}")))
        .unwrap();
    assert!(!zhang.send(forged).await.status.is_success());
    let logged = log.text();
    assert!(logged.contains("refused a cross-site request"), "{logged}");
    for remark in REMARKS {
        assert!(!logged.contains(remark), "{logged}");
    }
    assert!(!logged.contains(secret_self), "{logged}");
    for login in ["zhangming", "liufang", "zhouqiang", "wanggang"] {
        assert!(!logged.contains(login), "{logged}");
    }
    for person in [&li_id, &zhang_id, &liu_id, &zhou_id, &wang_id] {
        assert!(!logged.contains(person.as_str()), "{logged}");
    }
}

#[tokio::test]
async fn fewer_than_three_voters_show_no_tallies_and_no_remarks() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;
    settings(&mut secretary, &meeting, "all").await;
    let view = admin(&mut secretary, &meeting).await;
    let ids: Vec<String> = view.members.iter().map(|m| m.user_id.clone()).collect();
    let zhang_id = id_of(&view, "张明");
    phase(&mut secretary, &meeting, "open").await;
    for (client, name) in [
        (&mut secretary, "李红梅"),
        (&mut zhang, "张明"),
        (&mut liu, "刘芳"),
    ] {
        let me = id_of(&view, name);
        let others: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| *id != me)
            .collect();
        let remarks: Vec<(&str, &str)> = if me == zhang_id {
            Vec::new()
        } else {
            vec![(zhang_id.as_str(), "多联系群众")]
        };
        voted(vote(client, &meeting, &others, "qualified", &remarks).await);
    }
    phase(&mut secretary, &meeting, "close").await;
    let closed = admin(&mut secretary, &meeting).await;
    assert_eq!(closed.voters, Some(3));
    assert!(
        closed
            .members
            .iter()
            .all(|m| m.tallies.is_none() && m.remarks.is_none()),
        "two voters besides each member"
    );
    for id in &ids {
        grade(&mut secretary, &meeting, id, "qualified", "")
            .await
            .unwrap();
    }
    ok(
        &mut secretary,
        "finalise_evaluation",
        &[
            ("meeting_id", &meeting),
            ("committee_on", "2026-01-10"),
            ("assembly_on", "2026-01-10"),
        ],
    )
    .await;
    let feedback = form(&mut zhang, &meeting).await.feedback.unwrap();
    assert_eq!(feedback.remarks, None);
    let notice = docx_text(
        &zhang
            .get(&format!("/meetings/{meeting}/evaluation/notice.docx"))
            .await
            .bytes,
    );
    assert!(!notice.contains("多联系群众"), "{notice}");
}

#[tokio::test]
async fn when_only_the_committee_votes_members_cannot() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    settings(&mut secretary, &meeting, "committee").await;
    phase(&mut secretary, &meeting, "open").await;
    let view = admin(&mut secretary, &meeting).await;
    assert_eq!(view.not_voted, ["李红梅"]);
    let page = form(&mut zhang, &meeting).await;
    assert!(!page.votes && page.evaluated);
    let others: Vec<&str> = view
        .members
        .iter()
        .map(|m| m.user_id.as_str())
        .filter(|id| *id != id_of(&view, "张明"))
        .collect();
    assert_eq!(
        vote(&mut zhang, &meeting, &others, "qualified", &[]).await,
        Err(AppError::NotFound)
    );
}

/// A meeting of the three demo people whose 评定 is final: 李红梅 合格, 张明 基本合格, 刘芳
/// 不合格 (支委会 2026-01-10).
async fn finalised(app: &TestApp) -> (Client, Client, Client, String, [String; 3]) {
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let mut liu = app.logged_in("liufang").await;
    settings(&mut secretary, &meeting, "all").await;
    let view = admin(&mut secretary, &meeting).await;
    let ids = [
        id_of(&view, "李红梅"),
        id_of(&view, "张明"),
        id_of(&view, "刘芳"),
    ];
    phase(&mut secretary, &meeting, "open").await;
    for (client, me) in [(&mut secretary, 0), (&mut zhang, 1), (&mut liu, 2)] {
        let others: Vec<&str> = (0..3)
            .filter(|i| *i != me)
            .map(|i| ids[i].as_str())
            .collect();
        voted(vote(client, &meeting, &others, "qualified", &[]).await);
    }
    phase(&mut secretary, &meeting, "close").await;
    for (id, level, reason) in [
        (&ids[0], "qualified", ""),
        (&ids[1], "basic", "群众工作不够扎实"),
        (&ids[2], "unqualified", "长期不参加组织生活"),
    ] {
        grade(&mut secretary, &meeting, id, level, reason)
            .await
            .unwrap();
    }
    ok(
        &mut secretary,
        "finalise_evaluation",
        &[
            ("meeting_id", &meeting),
            ("committee_on", "2026-01-10"),
            ("assembly_on", "2026-01-12"),
        ],
    )
    .await;
    (secretary, zhang, liu, meeting, ids)
}

async fn follow_up(
    secretary: &mut Client,
    meeting: &str,
    member: &str,
    fields: &[(&str, &str)],
) -> Result<(), AppError> {
    let mut form = vec![("meeting_id", meeting), ("member_id", member)];
    form.extend_from_slice(fields);
    let reply = secretary.call("save_follow_up", &form).await;
    if reply.status.is_success() {
        Ok(())
    } else {
        Err(reply.error())
    }
}

#[tokio::test]
async fn a_basic_grade_brings_a_reminder_talk_and_items_on_the_members_own_ledger() {
    let app = TestApp::new().await;
    let (mut secretary, mut zhang, mut liu, meeting, [li_id, zhang_id, _]) = finalised(&app).await;
    assert_eq!(
        follow_up(
            &mut secretary,
            &meeting,
            &zhang_id,
            &[
                ("talk_by", "李红梅"),
                ("measure1", "每月走访群众两次"),
                ("due1", "2026-06-30")
            ],
        )
        .await,
        Err(AppError::Invalid("请填写谈话提醒的日期".into()))
    );
    assert_eq!(
        follow_up(
            &mut secretary,
            &meeting,
            &li_id,
            &[("talk_on", "2026-01-15"), ("talk_by", "李红梅")],
        )
        .await,
        Err(AppError::Invalid(
            "只有评定为基本合格或不合格的党员需要后续处理".into()
        ))
    );
    follow_up(
        &mut secretary,
        &meeting,
        &zhang_id,
        &[
            ("talk_on", "2026-01-15"),
            ("talk_by", "李红梅"),
            ("measure1", "每月走访群众两次"),
            ("due1", "2026-06-30"),
            ("measure2", "每季度向支部书面汇报思想"),
            ("due2", "2026-12-31"),
        ],
    )
    .await
    .unwrap();
    // The plan is on 张明's 我的整改.
    let mine = ok(&mut zhang, "my_ledger", &[]).await;
    assert!(mine.body.contains("每月走访群众两次"), "{}", mine.body);
    assert!(
        mine.body.contains("每季度向支部书面汇报思想"),
        "{}",
        mine.body
    );
    // Saving again keeps one item per line.
    follow_up(
        &mut secretary,
        &meeting,
        &zhang_id,
        &[
            ("talk_on", "2026-01-16"),
            ("talk_by", "李红梅"),
            ("measure1", "每月走访群众三次"),
            ("due1", "2026-06-30"),
        ],
    )
    .await
    .unwrap();
    let mine = ok(&mut zhang, "my_ledger", &[]).await;
    assert!(
        mine.body.contains("每月走访群众三次") && !mine.body.contains("每月走访群众两次"),
        "{}",
        mine.body
    );
    let feedback = form(&mut zhang, &meeting).await.feedback.unwrap();
    assert_eq!(
        feedback.follow_up.unwrap().summary(),
        "2026-01-16 由李红梅进行谈话提醒"
    );
    // A published 整改清单 of the meeting does not carry it to the other members.
    ok(
        &mut secretary,
        "publish_ledger_list",
        &[("meeting_id", &meeting), ("publish", "1")],
    )
    .await;
    let published = ok(&mut liu, "published_ledgers", &[]).await;
    assert!(!published.body.contains("走访群众"), "{}", published.body);
    // Nor does anyone but the secretary and the organisation's administrators see it.
    assert_eq!(
        liu.call("evaluation_follow_ups", &[("meeting_id", &meeting)])
            .await
            .error(),
        AppError::NotFound
    );
    let mut admin_user = app.logged_in("admin").await;
    let seen: Vec<xingshen::server::cycle::FollowUpView> = ok(
        &mut admin_user,
        "evaluation_follow_ups",
        &[("meeting_id", &meeting)],
    )
    .await
    .json();
    assert_eq!(seen.len(), 2, "张明 and 刘芳");
    assert!(
        seen.iter()
            .any(|v| v.name == "张明" && v.follow_up.is_some())
    );
}

#[tokio::test]
async fn an_unqualified_grade_takes_its_disposal_steps_in_order() {
    let app = TestApp::new().await;
    let (mut secretary, _, mut liu, meeting, [_, _, liu_id]) = finalised(&app).await;
    let refused = follow_up(
        &mut secretary,
        &meeting,
        &liu_id,
        &[("disposal", "removal"), ("decision_on", "2026-01-20")],
    )
    .await;
    assert_eq!(
        refused,
        Err(AppError::Invalid(
            "除名须报上级党组织批准，请填写批准日期".into()
        ))
    );
    let early = follow_up(
        &mut secretary,
        &meeting,
        &liu_id,
        &[
            ("disposal", "correction"),
            ("decision_on", "2026-01-05"),
            ("period_until", "2026-07-20"),
            ("measure1", "按时参加组织生活"),
            ("due1", "2026-07-20"),
        ],
    )
    .await;
    assert_eq!(
        early,
        Err(AppError::Invalid("支部大会决定不能早于支委会评定".into()))
    );
    follow_up(
        &mut secretary,
        &meeting,
        &liu_id,
        &[
            ("disposal", "correction"),
            ("decision_on", "2026-01-20"),
            ("period_until", "2026-07-20"),
            ("defence", "因长期外派，未能按时参加"),
            ("measure1", "按时参加组织生活"),
            ("due1", "2026-07-20"),
        ],
    )
    .await
    .unwrap();
    let mine = ok(&mut liu, "my_ledger", &[]).await;
    assert!(mine.body.contains("按时参加组织生活"), "{}", mine.body);
    let feedback = form(&mut liu, &meeting).await.feedback.unwrap();
    let next = feedback.follow_up.unwrap();
    assert_eq!(
        next.summary(),
        "2026-01-20 支部大会决定限期改正；改正期限至 2026-07-20"
    );
    let view = admin(&mut secretary, &meeting).await;
    let row = view.members.iter().find(|m| m.user_id == liu_id).unwrap();
    assert!(row.follow_up.is_some());
    assert!(
        row.lapsed,
        "the period ended before today: the page asks for the next step"
    );
}
