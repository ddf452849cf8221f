//! Branches and accounts, for each kind of person who might call.

use crate::support::TestApp;
use xingshen::server::AppError;
use xingshen::server::branches::BranchView;
use xingshen::server::users::{IssuedPassword, UserView};

#[tokio::test]
async fn an_admin_creates_a_branch_and_sees_it_listed() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let reply = admin
        .call("create_branch", &[("name", "  第三党支部 ")])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let branches: Vec<BranchView> = admin.call("list_branches", &[]).await.json();
    let third = branches
        .iter()
        .find(|b| b.name == "第三党支部")
        .expect("listed");
    assert_eq!(third.member_count, 0);
    let first = branches.iter().find(|b| b.name == "第一党支部").unwrap();
    assert_eq!(first.member_count, 3);
    assert_eq!(first.secretaries, vec!["李红梅".to_string()]);
}

#[tokio::test]
async fn branch_names_must_be_present_and_unique() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let reply = admin.call("create_branch", &[("name", "   ")]).await;
    assert_eq!(reply.error(), AppError::Invalid("支部名称不能为空".into()));
    let reply = admin.call("create_branch", &[("name", "第一党支部")]).await;
    assert_eq!(reply.error(), AppError::Conflict("该支部名称已存在".into()));
}

#[tokio::test]
async fn branch_and_account_functions_are_not_found_for_non_admins() {
    let app = TestApp::new().await;
    for login in ["zhangming", "shuji1"] {
        let mut client = app.logged_in(login).await;
        for (function, fields) in [
            ("list_branches", vec![]),
            ("create_branch", vec![("name", "第九党支部")]),
            ("list_users", vec![]),
            (
                "create_user",
                vec![
                    ("name", "某人"),
                    ("login", "mouren"),
                    ("post", ""),
                    ("role", "member"),
                    ("branch_id", "x"),
                ],
            ),
            ("reset_user_password", vec![("user_id", "x")]),
            (
                "set_user_disabled",
                vec![("user_id", "x"), ("disabled", "true")],
            ),
        ] {
            let reply = client.call(function, &fields).await;
            assert_eq!(
                reply.error(),
                AppError::NotFound,
                "{login} calling {function}"
            );
        }
    }
    let mut anonymous = app.client();
    for function in ["list_branches", "list_users"] {
        assert_eq!(
            anonymous.call(function, &[]).await.error(),
            AppError::Unauthenticated
        );
    }
}

async fn first_branch_id(client: &mut crate::support::Client) -> String {
    let branches: Vec<BranchView> = client.call("list_branches", &[]).await.json();
    branches
        .into_iter()
        .find(|b| b.name == "第一党支部")
        .unwrap()
        .id
}

#[tokio::test]
async fn an_admin_creates_an_account_whose_one_time_password_works_and_must_be_changed() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let branch = first_branch_id(&mut admin).await;
    let reply = admin
        .call(
            "create_user",
            &[
                ("name", "孙丽"),
                ("login", "13900000001"),
                ("post", "科员"),
                ("role", "member"),
                ("branch_id", &branch),
            ],
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let issued: IssuedPassword = reply.json();
    assert_eq!(issued.login, "13900000001");
    assert_eq!(issued.password.len(), 14);

    let mut newcomer = app.logged_in_with("13900000001", &issued.password).await;
    let me: Option<xingshen::domain::policy::Actor> =
        newcomer.call("current_user", &[]).await.json();
    let me = me.unwrap();
    assert!(me.must_change_password);
    assert_eq!(me.memberships[0].branch_name, "第一党支部");
    assert_eq!(me.post.as_deref(), Some("科员"));

    let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
    let listed = users.iter().find(|u| u.login == "13900000001").unwrap();
    assert_eq!(
        listed.memberships,
        vec![("第一党支部".to_string(), "党员".to_string())]
    );
    assert!(!reply.body.contains("argon2"));
    assert!(!serde_json::to_string(&users).unwrap().contains("argon2"));
}

#[tokio::test]
async fn account_creation_refuses_bad_input_with_clear_messages() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let branch = first_branch_id(&mut admin).await;
    let cases = [
        (("", "abc", "member", branch.as_str()), "姓名不能为空"),
        (
            ("某人", "张三", "member", branch.as_str()),
            "登录名含有不允许的字符：「张」（只能用字母、数字和 _ . - @）",
        ),
        (
            ("某人", "zhangming", "member", branch.as_str()),
            "该登录名已被使用",
        ),
        (("某人", "mouren", "member", ""), "请选择所在支部"),
        (
            ("某人", "mouren", "member", "nosuchbranch"),
            "所选支部不存在，请刷新页面后重选",
        ),
        (
            ("某人", "mouren", "主席", branch.as_str()),
            "无法识别的角色「主席」（可填：党员、支部书记）",
        ),
    ];
    for ((name, login, role, branch_id), expected) in cases {
        let reply = admin
            .call(
                "create_user",
                &[
                    ("name", name),
                    ("login", login),
                    ("post", ""),
                    ("role", role),
                    ("branch_id", branch_id),
                ],
            )
            .await;
        let message = reply.error().to_string();
        assert_eq!(message, expected, "for {name}/{login}/{role}");
    }
}

#[tokio::test]
async fn a_reset_password_ends_the_persons_login_sessions_and_is_audited() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let mut member = app.logged_in("liufang").await;
    let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
    let liufang = users.iter().find(|u| u.login == "liufang").unwrap();
    let issued: IssuedPassword = admin
        .call("reset_user_password", &[("user_id", &liufang.id)])
        .await
        .json();
    assert_eq!(member.whoami().await, None);
    app.logged_in_with("liufang", &issued.password).await;
    assert_eq!(
        app.store
            .count_audit("user.reset_password", Some("liufang"))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_disabled_account_is_logged_out_at_once_and_cannot_log_in() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let mut member = app.logged_in("chenjing").await;
    let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
    let chenjing = users
        .iter()
        .find(|u| u.login == "chenjing")
        .unwrap()
        .id
        .clone();
    let me = users
        .iter()
        .find(|u| u.login == "admin")
        .unwrap()
        .id
        .clone();

    let reply = admin
        .call(
            "set_user_disabled",
            &[("user_id", &chenjing), ("disabled", "true")],
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    assert_eq!(member.whoami().await, None);
    let reply = app
        .client()
        .call(
            "login",
            &[("login", "chenjing"), ("password", "xingshen-demo")],
        )
        .await;
    assert_eq!(
        reply.error(),
        AppError::Invalid("该账号已停用，请联系组织管理员".into())
    );

    admin
        .call(
            "set_user_disabled",
            &[("user_id", &chenjing), ("disabled", "false")],
        )
        .await;
    app.logged_in("chenjing").await;

    let reply = admin
        .call(
            "set_user_disabled",
            &[("user_id", &me), ("disabled", "true")],
        )
        .await;
    assert_eq!(
        reply.error(),
        AppError::Invalid("不能停用自己的账号".into())
    );
}

#[tokio::test]
async fn an_admin_of_another_organisation_cannot_touch_our_accounts() {
    use xingshen::domain::{LoginName, PersonName, Post};
    use xingshen::store::AuditEntry;
    use xingshen::store::users::NewUser;

    let app = TestApp::new().await;
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
    let mut ours = app.logged_in("admin").await;
    let users: Vec<UserView> = ours.call("list_users", &[]).await.json();
    assert!(users.iter().all(|u| u.login != "otheradmin"));
    let target = users
        .iter()
        .find(|u| u.login == "zhangming")
        .unwrap()
        .id
        .clone();

    let mut theirs = app.logged_in_with("otheradmin", "另一个管理员的密码").await;
    let theirs_list: Vec<UserView> = theirs.call("list_users", &[]).await.json();
    assert_eq!(theirs_list.len(), 1);
    for (function, fields) in [
        ("reset_user_password", vec![("user_id", target.as_str())]),
        (
            "set_user_disabled",
            vec![("user_id", target.as_str()), ("disabled", "true")],
        ),
    ] {
        assert_eq!(
            theirs.call(function, &fields).await.error(),
            AppError::NotFound
        );
    }
    app.logged_in("zhangming").await;
}
