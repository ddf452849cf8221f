//! Logging in and out, login_sessions, throttling, password changes, the same-origin guard.

use crate::support::{COOKIE, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use xingshen::domain::account::LoginName;
use xingshen::server::AppError;
use xingshen::store::login_sessions::{LoginSessionStore, USER_ID_KEY};

#[tokio::test]
async fn a_member_logs_in_with_a_strict_http_only_cookie_and_is_audited() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let reply = client
        .call(
            "login",
            &[("login", "ZhangMing"), ("password", "xingshen-demo")],
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let cookie = reply.header("set-cookie").expect("a session cookie");
    assert!(cookie.starts_with(&format!("{COOKIE}=")));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Strict"));
    assert!(cookie.contains("Path=/"));
    assert_eq!(client.whoami().await.as_deref(), Some("zhangming"));
    assert_eq!(
        app.store
            .count_audit("login.ok", Some("zhangming"))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong = app
        .client()
        .call(
            "login",
            &[("login", "zhangming"), ("password", "not the password")],
        )
        .await;
    let unknown = app
        .client()
        .call(
            "login",
            &[("login", "nobody"), ("password", "not the password")],
        )
        .await;
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(
        wrong.error(),
        AppError::Invalid("登录名或密码不正确".into())
    );
    assert!(wrong.header("set-cookie").is_none());
    assert_eq!(
        app.store
            .count_audit("login.failed", Some("zhangming"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.store
            .count_audit("login.failed", Some("nobody"))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_bad_login_name_is_just_a_failed_login() {
    let app = TestApp::new().await;
    let reply = app
        .client()
        .call("login", &[("login", "张 三"), ("password", "whatever")])
        .await;
    assert_eq!(
        reply.error(),
        AppError::Invalid("登录名或密码不正确".into())
    );
}

#[tokio::test]
async fn an_overlong_login_name_or_password_is_refused_before_throttling_or_audit() {
    let app = TestApp::new().await;
    let failed_before = app.store.count_audit("login.failed", None).await.unwrap();
    let long_name = "z".repeat(65);
    // More tries than the account throttle allows: none of them counts as a guess.
    for _ in 0..7 {
        let reply = app
            .client()
            .call("login", &[("login", &long_name), ("password", "guess")])
            .await;
        assert_eq!(
            reply.error(),
            AppError::Invalid("登录名不能超过 64 个字符".into())
        );
    }
    let long_password = "p".repeat(1025);
    for _ in 0..7 {
        let reply = app
            .client()
            .call(
                "login",
                &[("login", "zhangming"), ("password", &long_password)],
            )
            .await;
        assert_eq!(
            reply.error(),
            AppError::Invalid("密码不能超过 1024 个字符".into())
        );
    }
    assert_eq!(
        app.store.count_audit("login.failed", None).await.unwrap(),
        failed_before,
        "refused forms leave no audit row"
    );
    // Nor did they close the account to its owner.
    let mut owner = app.logged_in("zhangming").await;
    assert_eq!(owner.whoami().await.as_deref(), Some("zhangming"));
}

#[tokio::test]
async fn a_failed_login_keeps_no_record_of_a_name_that_is_not_a_login_name() {
    let app = TestApp::new().await;
    let failed_before = app.store.count_audit("login.failed", None).await.unwrap();
    // A password typed into the name field by mistake.
    let typed = "青山依旧在 Secret-2026";
    let reply = app
        .client()
        .call("login", &[("login", typed), ("password", "zhangming")])
        .await;
    assert_eq!(
        reply.error(),
        AppError::Invalid("登录名或密码不正确".into())
    );
    assert_eq!(
        app.store.count_audit("login.failed", None).await.unwrap(),
        failed_before + 1,
        "the failure itself is recorded"
    );
    for stored in [typed, typed.trim(), &typed.to_lowercase()] {
        assert_eq!(
            app.store
                .count_audit("login.failed", Some(stored))
                .await
                .unwrap(),
            0,
            "{stored} was written down"
        );
    }
}

#[tokio::test]
async fn logging_in_again_renews_the_session_id_and_the_old_one_dies() {
    let app = TestApp::new().await;
    let mut client = app.logged_in("zhangming").await;
    let first = client.cookie.clone().unwrap();
    let reply = client
        .call(
            "login",
            &[("login", "zhangming"), ("password", "xingshen-demo")],
        )
        .await;
    assert!(reply.status.is_success());
    let second = client.cookie.clone().unwrap();
    assert_ne!(first, second);
    let mut stale = app.client();
    stale.cookie = Some(first);
    assert_eq!(stale.whoami().await, None);
    assert_eq!(client.whoami().await.as_deref(), Some("zhangming"));
}

#[tokio::test]
async fn after_logout_the_session_is_dead_even_if_the_cookie_is_replayed() {
    let app = TestApp::new().await;
    let mut client = app.logged_in("zhangming").await;
    let cookie = client.cookie.clone();
    let reply = client.call("logout", &[]).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    assert_eq!(client.whoami().await, None);
    let mut replay = app.client();
    replay.cookie = cookie;
    assert_eq!(replay.whoami().await, None);
    assert_eq!(
        app.store
            .count_audit("logout", Some("zhangming"))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_sixth_quick_attempt_on_one_account_is_throttled_without_locking_it() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let reply = app
            .client()
            .call("login", &[("login", "liufang"), ("password", "guess")])
            .await;
        assert_eq!(
            reply.error(),
            AppError::Invalid("登录名或密码不正确".into())
        );
    }
    let reply = app
        .client()
        .call(
            "login",
            &[("login", "liufang"), ("password", "xingshen-demo")],
        )
        .await;
    let AppError::Throttled { seconds } = reply.error() else {
        panic!("not throttled: {}", reply.body)
    };
    assert!(seconds > 0 && seconds <= 60);
    assert_eq!(reply.status.as_u16(), 429);
    assert_eq!(
        reply
            .headers
            .get("retry-after")
            .map(|v| v.to_str().unwrap()),
        Some(seconds.to_string().as_str())
    );
    // Other accounts are unaffected.
    app.logged_in("zhangming").await;
}

#[tokio::test]
async fn logging_in_again_and_again_is_never_throttled() {
    let app = TestApp::new().await;
    // A person on a phone, a laptop and a shared office PC, logging out in between.
    for _ in 0..12 {
        let mut client = app.logged_in("zhangming").await;
        assert!(client.call("logout", &[]).await.status.is_success());
    }
}

#[tokio::test]
async fn guessing_the_current_password_from_a_session_is_throttled() {
    let app = TestApp::new().await;
    let mut client = app.logged_in("liufang").await;
    let fields = |current| {
        [
            ("current", current),
            ("new", "a-new-long-password-1"),
            ("confirm", "a-new-long-password-1"),
        ]
    };
    for _ in 0..5 {
        let reply = client.call("change_password", &fields("guess")).await;
        assert_eq!(reply.error(), AppError::Invalid("当前密码不正确".into()));
    }
    let reply = client
        .call("change_password", &fields("xingshen-demo"))
        .await;
    assert!(matches!(reply.error(), AppError::Throttled { .. }));
}

#[tokio::test]
async fn without_javascript_a_login_redirects_and_a_failure_comes_back_in_the_url() {
    let app = TestApp::new().await;
    let mut client = app.client();
    let reply = client
        .post_form(
            "login",
            "/login?next=/account/password",
            &[
                ("login", "zhangming"),
                ("password", "wrong"),
                ("next", "/account/password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.header("location").unwrap();
    assert!(
        location.starts_with("http://localhost/login?next=/account/password"),
        "{location}"
    );
    assert!(location.contains("__err="), "{location}");
    assert!(client.cookie.is_none());

    let reply = client
        .post_form(
            "login",
            "/login?next=/account/password",
            &[
                ("login", "zhangming"),
                ("password", "xingshen-demo"),
                ("next", "/account/password"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.header("location"), Some("/account/password"));
    assert_eq!(client.whoami().await.as_deref(), Some("zhangming"));
}

#[tokio::test]
async fn a_login_never_redirects_off_site() {
    let app = TestApp::new().await;
    let reply = app
        .client()
        .post_form(
            "login",
            "/login",
            &[
                ("login", "zhangming"),
                ("password", "xingshen-demo"),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(reply.header("location"), Some("/"));
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_but_keeps_this_one() {
    let app = TestApp::new().await;
    let mut phone = app.logged_in("zhangming").await;
    let mut desk = app.logged_in("zhangming").await;

    let reply = desk
        .call(
            "change_password",
            &[
                ("current", "wrong"),
                ("new", "新的密码-已经足够长了"),
                ("confirm", "新的密码-已经足够长了"),
            ],
        )
        .await;
    assert_eq!(reply.error(), AppError::Invalid("当前密码不正确".into()));
    let reply = desk
        .call(
            "change_password",
            &[
                ("current", "xingshen-demo"),
                ("new", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(
        reply.error(),
        AppError::Invalid("新密码至少需要 10 个字符".into())
    );
    let reply = desk
        .call(
            "change_password",
            &[
                ("current", "xingshen-demo"),
                ("new", "新的密码-已经足够长了"),
                ("confirm", "新的密码-已经足够长了"),
            ],
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);

    assert_eq!(desk.whoami().await.as_deref(), Some("zhangming"));
    assert_eq!(phone.whoami().await, None);

    app.logged_in_with("zhangming", "新的密码-已经足够长了")
        .await;
    let old = app
        .client()
        .call(
            "login",
            &[("login", "zhangming"), ("password", "xingshen-demo")],
        )
        .await;
    assert!(!old.status.is_success());
    assert_eq!(
        app.store
            .count_audit("password.change", Some("zhangming"))
            .await
            .unwrap(),
        1
    );

    // Without JavaScript the form comes back to its page, which says the change was made.
    let posted = desk
        .post_form(
            "change_password",
            "/account/password",
            &[
                ("current", "新的密码-已经足够长了"),
                ("new", "又一个新的密码-足够长"),
                ("confirm", "又一个新的密码-足够长"),
            ],
        )
        .await;
    let location = posted.header("location").unwrap().to_string();
    assert_eq!(
        location,
        "http://localhost/account/password?__done=/api/change_password"
    );
    let page = desk
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert!(page.text().contains("密码已修改"), "{}", page.body);
    let page = desk.get("/account/password").await;
    assert!(!page.text().contains("密码已修改"), "{}", page.body);
}

#[tokio::test]
async fn change_password_needs_a_login() {
    let app = TestApp::new().await;
    let reply = app
        .client()
        .call(
            "change_password",
            &[("current", "x"), ("new", "y"), ("confirm", "y")],
        )
        .await;
    assert_eq!(reply.error(), AppError::Unauthenticated);
    assert_eq!(reply.status.as_u16(), 401);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let request = Request::post("/api/create_branch")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from("name=%E6%81%B6%E6%84%8F%E6%94%AF%E9%83%A8"))
        .unwrap();
    let reply = admin.send(request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("请求来源校验失败"));

    let request = Request::post("/api/create_branch")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from("name=x"))
        .unwrap();
    assert_eq!(admin.send(request).await.status, StatusCode::FORBIDDEN);

    let branches = admin.call("list_branches", &[]).await;
    let names: Vec<xingshen::server::branches::BranchView> = branches.json();
    assert_eq!(names.len(), 2);
}

#[tokio::test]
async fn over_https_the_cookie_is_a_secure_host_cookie_and_logout_clears_it() {
    let app = TestApp::over_https().await;
    let mut client = app.client();
    let reply = client
        .call(
            "login",
            &[("login", "zhangming"), ("password", "xingshen-demo")],
        )
        .await;
    let cookie = reply.header("set-cookie").expect("a session cookie");
    assert!(cookie.starts_with("__Host-xingshen="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
    let value = cookie["__Host-xingshen=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let request = Request::post("/api/logout")
        .header(header::COOKIE, format!("__Host-xingshen={value}"))
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    let reply = client.send(request).await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let cleared: Vec<&str> = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with("__Host-xingshen=;"))
        .collect();
    assert!(
        cleared
            .iter()
            .any(|c| c.contains("Max-Age=0") && c.contains("Secure")),
        "a removal cookie browsers accept for __Host-: {cleared:?}"
    );
}

/// An unknown login costs the same password hashing as a wrong password, so the time of the
/// answer does not tell whether an account exists. The bound is loose (a missing dummy hash
/// would make unknown logins some twenty times faster), so a busy machine does not fail it.
#[tokio::test]
async fn unknown_and_known_logins_take_about_as_long() {
    let app = TestApp::new().await;
    async fn median(app: &TestApp, login: &str) -> std::time::Duration {
        let mut times = Vec::new();
        for _ in 0..5 {
            let started = std::time::Instant::now();
            let reply = app
                .client()
                .call("login", &[("login", login), ("password", "wrong-password")])
                .await;
            times.push(started.elapsed());
            assert!(!reply.status.is_success());
        }
        times.sort();
        times[2]
    }
    // Different accounts each time, so the per-account throttle stays out of it.
    let known = median(&app, "liufang").await;
    let unknown = median(&app, "nobody-here").await;
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!(
        (0.4..2.5).contains(&ratio),
        "unknown {unknown:?} against known {known:?}"
    );
}

/// zhangming's session as a request loaded it, stored; with the store and his account key.
async fn zhangmings_login_session(app: &TestApp) -> (LoginSessionStore, Record, String) {
    let login_sessions = LoginSessionStore::new(app.store.clone());
    let user_id = app
        .store
        .find_user_by_login(&LoginName::parse("zhangming").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut data = std::collections::HashMap::new();
    data.insert(USER_ID_KEY.to_string(), serde_json::json!(user_id));
    let mut record = Record {
        id: Id::default(),
        data,
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    login_sessions
        .create(&mut record)
        .await
        .expect("session created");
    (login_sessions, record, user_id)
}

#[tokio::test]
async fn a_request_still_running_at_logout_cannot_bring_the_session_back() {
    let app = TestApp::new().await;
    let (login_sessions, loaded, _) = zhangmings_login_session(&app).await;
    // Logout deletes the session while another request of the same browser still holds it;
    // that request then refreshes its expiry and saves.
    login_sessions.delete(&loaded.id).await.unwrap();
    let mut refreshed = loaded.clone();
    refreshed
        .data
        .insert("last_seen".into(), serde_json::json!(1));
    login_sessions.save(&refreshed).await.unwrap();
    assert!(
        login_sessions.load(&loaded.id).await.unwrap().is_none(),
        "a logged-out session came back to life"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_requests_of_one_browser_all_save_their_session() {
    let app = TestApp::new().await;
    let (login_sessions, loaded, user_id) = zhangmings_login_session(&app).await;
    // A page's parallel requests after a pause each refresh the expiry of the same session.
    let saves: Vec<_> = (0..32)
        .map(|n| {
            let login_sessions = login_sessions.clone();
            let mut record = loaded.clone();
            record.data.insert("last_seen".into(), serde_json::json!(n));
            tokio::spawn(async move { login_sessions.save(&record).await })
        })
        .collect();
    for save in saves {
        save.await.unwrap().expect("every refresh is saved");
    }
    let stored = login_sessions
        .load(&loaded.id)
        .await
        .unwrap()
        .expect("still logged in");
    assert_eq!(stored.data[USER_ID_KEY], serde_json::json!(user_id));
}

#[tokio::test]
async fn a_login_ends_after_its_absolute_lifetime_however_active() {
    let app = TestApp::new().await;
    let mut zhang = app.logged_in("zhangming").await;
    assert_eq!(zhang.whoami().await.as_deref(), Some("zhangming"));
    // The session as the store holds it, dated as if the login were eight days old while
    // the person kept it alive by using it every hour.
    let login_sessions = LoginSessionStore::new(app.store.clone());
    let id: Id = zhang.cookie.clone().unwrap().parse().unwrap();
    let mut record = login_sessions.load(&id).await.unwrap().expect("logged in");
    let eight_days_ago = chrono::Utc::now().timestamp() - 8 * 24 * 3600;
    record
        .data
        .insert("logged_in_at".into(), serde_json::json!(eight_days_ago));
    record.data.insert(
        "last_seen".into(),
        serde_json::json!(chrono::Utc::now().timestamp()),
    );
    login_sessions.save(&record).await.unwrap();

    assert_eq!(zhang.whoami().await, None, "the old login still worked");
    assert!(
        login_sessions.load(&id).await.unwrap().is_none(),
        "the session was ended"
    );
    // A fresh login works again.
    let mut again = app.logged_in("zhangming").await;
    assert_eq!(again.whoami().await.as_deref(), Some("zhangming"));
}
