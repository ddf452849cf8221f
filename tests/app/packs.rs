//! Policy packs: an organisation's administrator downloads a yearly template as a TOML file,
//! edits it and uploads it; the organisation's branches then set up meetings from it. A bad
//! file is refused with its problems on their lines and changes nothing; nobody else may
//! upload, and another organisation goes on seeing the shipped pack.

use crate::meetings::{demo_meeting, meeting_form};
use crate::support::{Client, TestApp, multipart_body};
use axum::body::Body;
use axum::http::{Request, header};
use xingshen::domain::pack::shipped_pack_text;
use xingshen::server::AppError;
use xingshen::server::templates::OrgTemplatesView;

const KEY: &str = "2025-branch-member";
const SHIPPED_NAME: &str = "组织生活会（党员个人，2025年度）";
const OUR_NAME: &str = "本局组织生活会（党员个人，2025年度，含五个方面）";
const OUR_ASPECT: &str = "联系服务群众方面";

fn shipped() -> &'static str {
    shipped_pack_text(KEY).unwrap()
}

/// The shipped pack as an administrator edits it: another name, one more aspect.
fn edited() -> String {
    shipped().replace(SHIPPED_NAME, OUR_NAME).replacen(
        "[[parts]]",
        &format!("[[aspects]]\nheading = \"{OUR_ASPECT}\"\nsource = \"本局通知\"\n\n[[parts]]"),
        1,
    )
}

async fn download(client: &mut Client, key: &str) -> (u16, String) {
    let reply = client
        .send(
            Request::get(format!("/admin/packs/{key}.toml"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    (reply.status.as_u16(), reply.body)
}

async fn upload(client: &mut Client, text: &str) -> crate::support::Reply {
    client
        .upload("upload_policy_pack", "pack", "pack.toml", text.as_bytes())
        .await
}

#[tokio::test]
async fn an_admin_downloads_a_shipped_pack_as_its_file() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let reply = admin
        .send(
            Request::get(format!("/admin/packs/{KEY}.toml"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    assert_eq!(
        reply.body,
        shipped(),
        "the file as it is, comments and sources too"
    );
    assert!(
        reply
            .header("content-disposition")
            .is_some_and(|d| d.contains(&format!("{KEY}.toml"))),
        "{:?}",
        reply.headers
    );
    assert_eq!(download(&mut admin, "no-such-pack").await.0, 404);
}

#[tokio::test]
async fn an_uploaded_pack_is_what_the_branches_set_up_meetings_from() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let text = edited();
    let reply = upload(&mut admin, &text).await;
    assert!(reply.status.is_success(), "{}", reply.body);

    // The administrator gets the edited file back, and the list says it is the unit's own.
    assert_eq!(download(&mut admin, KEY).await, (200, text.clone()));
    let view: OrgTemplatesView = admin.call("org_templates", &[("from", "")]).await.json();
    let entry = view.packs.iter().find(|p| p.key == KEY).unwrap();
    assert_eq!(entry.name, OUR_NAME);
    assert!(entry.uploaded && entry.newest, "{entry:?}");
    assert_eq!(view.packs.iter().filter(|p| p.key == KEY).count(), 1);

    // The branch secretary sees it in place of the shipped pack and sets up from it.
    let mut secretary = app.logged_in("shuji1").await;
    let (branch, _) = demo_meeting(&mut secretary).await;
    let choice = branch.templates.iter().find(|t| t.key == KEY).unwrap();
    assert!(choice.name.contains(OUR_NAME), "{choice:?}");
    assert!(
        branch.templates.iter().all(|t| t.name != SHIPPED_NAME),
        "the shipped pack of the same key is replaced"
    );
    let created = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch.branch_id,
                &[("template", KEY), ("plan[everyone]", "true")],
            ),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let meeting: String = created.json();
    let meeting = app.store.meeting(&meeting).await.unwrap().unwrap();
    assert_eq!(meeting.template.name, OUR_NAME);
    assert!(meeting.template.aspects.iter().any(|a| a == OUR_ASPECT));

    // "Newest of its type", the default, finds it too for a 组织生活会.
    let created = secretary
        .call(
            "create_meeting",
            &meeting_form(
                &branch.branch_id,
                &[
                    ("template", "newest"),
                    ("plan[kind]", "branch"),
                    ("plan[everyone]", "true"),
                ],
            ),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    let meeting: String = created.json();
    let meeting = app.store.meeting(&meeting).await.unwrap().unwrap();
    assert_eq!(meeting.template.name, OUR_NAME);
    assert_eq!(app.store.count_audit("pack.upload", None).await.unwrap(), 1);
}

#[tokio::test]
async fn a_new_meeting_defaults_to_the_newest_shipped_pack_of_its_type() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (branch, _) = demo_meeting(&mut secretary).await;
    assert_eq!(branch.templates[0].key, "newest", "the default comes first");
    for (kind, name) in [
        ("branch", SHIPPED_NAME),
        ("leadership", "民主生活会个人发言提纲（2025年度，五个带头）"),
        ("themed", "专题组织生活会（主题教育，六个方面）"),
    ] {
        let created = secretary
            .call(
                "create_meeting",
                &meeting_form(
                    &branch.branch_id,
                    &[
                        ("template", "newest"),
                        ("plan[kind]", kind),
                        ("plan[everyone]", "true"),
                    ],
                ),
            )
            .await;
        assert!(created.status.is_success(), "{}", created.body);
        let meeting: String = created.json();
        let meeting = app.store.meeting(&meeting).await.unwrap().unwrap();
        assert_eq!(meeting.template.name, name, "{kind}");
    }
}

#[tokio::test]
async fn a_broken_pack_is_refused_with_its_lines_and_changes_nothing() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    assert!(upload(&mut admin, &edited()).await.status.is_success());

    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let broken = edited().replace("year = 2025", "year = 25").replace(
        "meeting_type = \"组织生活会 党员个人\"",
        "meeting_type = \"年终总结会\"",
    );
    let year_line = line_of(&broken, "year = ");
    let type_line = line_of(&broken, "meeting_type = ");
    let reply = upload(&mut admin, &broken).await;
    let AppError::InvalidRows(problems) = reply.error() else {
        panic!("{}", reply.body)
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!("第{year_line}行")),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with(&format!("第{type_line}行")),
        "{problems:?}"
    );

    // Not TOML at all: the line it breaks on.
    let unterminated = edited()
        .lines()
        .map(|line| {
            if line.starts_with("theme = ") {
                "theme = \"没有结束的引号"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let theme_line = line_of(&unterminated, "theme = ");
    let AppError::InvalidRows(problems) = upload(&mut admin, &unterminated).await.error() else {
        panic!("not rows")
    };
    assert!(
        problems[0].starts_with(&format!("第{theme_line}行")),
        "{problems:?}"
    );
    assert!(problems[0].contains("缺少结尾的引号"), "{problems:?}");

    // The pack in effect is still the good one uploaded before.
    assert_eq!(download(&mut admin, KEY).await, (200, edited()));
    assert_eq!(app.store.count_audit("pack.upload", None).await.unwrap(), 1);
}

#[tokio::test]
async fn without_javascript_the_upload_comes_back_to_the_page_with_its_outcome() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let post = |text: String| {
        let (content_type, body) =
            multipart_body(&[], Some(("pack", "pack.toml", text.as_bytes())));
        Request::post("/api/upload_policy_pack")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, "http://localhost/admin/templates")
            .header(header::ORIGIN, "http://localhost")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap()
    };
    let refused = admin
        .send(post(edited().replace("year = 2025", "year = 25")))
        .await;
    let location = refused.header("location").unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    let page = admin
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert!(page.text().contains("行：year"), "{}", page.text());

    let done = admin.send(post(edited())).await;
    let location = done.header("location").unwrap().to_string();
    assert!(location.contains("__done="), "{location}");
    let page = admin
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert!(page.text().contains("模板文件已上传"), "{}", page.text());
    assert!(page.text().contains(OUR_NAME), "{}", page.text());
}

#[tokio::test]
async fn only_the_organisations_administrators_upload_or_download_packs() {
    let app = TestApp::new().await;
    for login in ["zhangming", "shuji1"] {
        let mut someone = app.logged_in(login).await;
        assert_eq!(
            upload(&mut someone, &edited()).await.error(),
            AppError::NotFound,
            "{login}"
        );
        assert_eq!(download(&mut someone, KEY).await.0, 404, "{login}");
    }
    let mut visitor = app.client();
    assert_eq!(
        upload(&mut visitor, &edited()).await.error(),
        AppError::Unauthenticated
    );
    assert_eq!(app.store.count_audit("pack.upload", None).await.unwrap(), 0);
    let mut admin = app.logged_in("admin").await;
    assert_eq!(
        download(&mut admin, KEY).await,
        (200, shipped().to_string())
    );
}

#[tokio::test]
async fn another_organisation_keeps_the_shipped_pack() {
    use xingshen::domain::{LoginName, PersonName, Post};
    use xingshen::store::AuditEntry;
    use xingshen::store::users::NewUser;

    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    assert!(upload(&mut admin, &edited()).await.status.is_success());

    let other_org = app.store.create_org("另一单位党委").await.unwrap();
    let hash = xingshen::auth::password::hash("另一个管理员的密码".to_string().into())
        .await
        .unwrap();
    app.store
        .create_users(
            &other_org,
            vec![NewUser {
                login: LoginName::parse("otheradmin").unwrap(),
                name: PersonName::parse("外单位管理员").unwrap(),
                post: Post::default(),
                password_hash: hash,
                is_org_admin: true,
                must_change_password: false,
                branch: None,
            }],
            &AuditEntry::new("test"),
        )
        .await
        .unwrap();
    let mut theirs = app.logged_in_with("otheradmin", "另一个管理员的密码").await;
    assert_eq!(
        download(&mut theirs, KEY).await,
        (200, shipped().to_string())
    );
    let view: OrgTemplatesView = theirs.call("org_templates", &[("from", "")]).await.json();
    let entry = view.packs.iter().find(|p| p.key == KEY).unwrap();
    assert_eq!(entry.name, SHIPPED_NAME);
    assert!(!entry.uploaded);
}
