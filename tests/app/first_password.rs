//! An initial or reset password opens nothing but the page that replaces it, and runs out
//! (issue 27 item 3): the administrator who issued it, and so saw it, cannot act as the
//! person with it.

use crate::editor::editor;
use crate::meetings::{demo_meeting, fill, start};
use crate::support::{Client, TestApp, ok};
use axum::http::StatusCode;
use xingshen::server::AppError;
use xingshen::server::users::{IssuedPassword, UserView};

const OWN_PASSWORD: &str = "我自己的新密码-足够长";
const PROBLEM: &str = "理论学习不够深入系统，只满足于读原文";

/// The administrator resets `login`'s password and is shown the new one.
async fn reset_password(admin: &mut Client, login: &str) -> String {
    let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
    let id = users.iter().find(|u| u.login == login).unwrap().id.clone();
    let issued: IssuedPassword = ok(admin, "reset_user_password", &[("user_id", &id)])
        .await
        .json();
    issued.password
}

/// zhangming's draft for the demo meeting, with a problem written in it.
async fn zhangmings_draft(app: &TestApp) -> String {
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut member = app.logged_in("zhangming").await;
    let material = start(&mut member, &meeting).await;
    fill(&mut member, &material, PROBLEM).await;
    material
}

#[tokio::test]
async fn the_admin_who_saw_a_reset_password_cannot_read_the_members_draft_with_it() {
    let app = TestApp::new().await;
    let material = zhangmings_draft(&app).await;
    let mut admin = app.logged_in("admin").await;
    let password = reset_password(&mut admin, "zhangming").await;

    // The administrator logs in as zhangming with the password they were shown.
    let mut intruder = app.logged_in_with("zhangming", &password).await;
    for (function, fields) in [
        ("material_editor", vec![("material_id", material.as_str())]),
        ("my_materials", vec![]),
        ("my_ledger", vec![]),
        ("my_reminder_count", vec![]),
        ("start_material", vec![("meeting_id", "any")]),
    ] {
        let reply = intruder.call(function, &fields).await;
        assert!(!reply.body.contains(PROBLEM), "{function}: {}", reply.body);
        let error = reply.error();
        assert_eq!(error, AppError::PasswordChangeRequired, "{function}");
        assert_eq!(error.to_string(), "请先修改初始密码");
    }
    let download = intruder
        .get(&format!("/materials/{material}/download.docx"))
        .await;
    assert_eq!(download.status, StatusCode::FORBIDDEN);
    assert_eq!(download.body, "请先修改初始密码");
    for page in [
        format!("/materials/{material}"),
        format!("/materials/{material}/preview"),
        "/".to_string(),
        "/ledger".to_string(),
    ] {
        let reply = intruder.get(&page).await;
        assert!(reply.status.is_redirection(), "{page}: {}", reply.status);
        assert_eq!(
            reply.header("location"),
            Some("/account/password"),
            "{page}"
        );
        assert!(!reply.body.contains(PROBLEM), "{page}");
    }
    // Without JavaScript, a form post is refused the same way, in its page's address.
    let posted = intruder.post_form("my_materials", "/materials", &[]).await;
    let location = posted.header("location").unwrap().to_string();
    assert!(location.contains("__err="), "{location}");

    // What stays open: who am I, the password page, and logging out.
    assert_eq!(intruder.whoami().await.as_deref(), Some("zhangming"));
    let page = intruder.get("/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("初始密码"), "{}", page.body);
    let mut other_tab = app.logged_in_with("zhangming", &password).await;
    ok(&mut other_tab, "logout", &[]).await;

    // Once the person sets a password of their own, everything opens again.
    ok(
        &mut intruder,
        "change_password",
        &[
            ("current", &password),
            ("new", OWN_PASSWORD),
            ("confirm", OWN_PASSWORD),
        ],
    )
    .await;
    let view = editor(&mut intruder, &material).await;
    assert!(
        serde_json::to_string(&view.content)
            .unwrap()
            .contains(PROBLEM),
        "the draft is whole"
    );
    let download = intruder
        .get(&format!("/materials/{material}/download.docx"))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    let page = intruder.get(&format!("/materials/{material}")).await;
    assert_eq!(page.status, StatusCode::OK);
    ok(&mut intruder, "my_ledger", &[]).await;
}

#[tokio::test]
async fn a_new_account_logs_in_to_the_password_page_and_nothing_else() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let branches: Vec<xingshen::server::branches::BranchView> =
        admin.call("list_branches", &[]).await.json();
    let branch = branches[0].id.clone();
    let issued: IssuedPassword = ok(
        &mut admin,
        "create_user",
        &[
            ("name", "孙丽"),
            ("login", "sunli"),
            ("post", ""),
            ("role", "member"),
            ("branch_id", &branch),
        ],
    )
    .await
    .json();

    // Without JavaScript the login form leads straight to the password page.
    let mut newcomer = app.client();
    let login = newcomer
        .post_form(
            "login",
            "/login?next=/materials",
            &[
                ("login", "sunli"),
                ("password", &issued.password),
                ("next", "/materials"),
            ],
        )
        .await;
    assert_eq!(login.header("location"), Some("/account/password"));
    let error = newcomer.call("my_materials", &[]).await.error();
    assert_eq!(error, AppError::PasswordChangeRequired);
    let page = newcomer.get("/materials").await;
    assert_eq!(page.header("location"), Some("/account/password"));

    ok(
        &mut newcomer,
        "change_password",
        &[
            ("current", &issued.password),
            ("new", OWN_PASSWORD),
            ("confirm", OWN_PASSWORD),
        ],
    )
    .await;
    ok(&mut newcomer, "my_materials", &[]).await;
    let page = newcomer.get("/materials").await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn an_initial_or_reset_password_past_its_days_no_longer_logs_in() {
    // Initial passwords that last zero days: every one has run out by the time it is used.
    let app = TestApp::with_initial_password_days(0).await;
    let mut admin = app.logged_in("admin").await;
    let password = reset_password(&mut admin, "liufang").await;
    let reply = app
        .client()
        .call("login", &[("login", "liufang"), ("password", &password)])
        .await;
    let message = reply.error().to_string();
    assert!(message.contains("初始密码已过期"), "{message}");
    assert!(message.contains("组织管理员"), "{message}");
    assert_eq!(app.client().whoami().await, None);
    // A password the person chose does not run out.
    app.logged_in("zhangming").await;
    // A wrong password still says only that it is wrong: the expiry tells nothing to
    // someone who does not know the password.
    let reply = app
        .client()
        .call(
            "login",
            &[("login", "liufang"), ("password", "not-the-one")],
        )
        .await;
    assert_eq!(reply.error().to_string(), "登录名或密码不正确");
}
