//! Server-rendered pages: access, status codes and security headers.

use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn the_login_page_renders_in_chinese_with_a_nonce_policy() {
    let app = TestApp::new().await;
    let reply = app.client().get("/login").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("<html lang=\"zh-CN\""));
    assert!(reply.body.contains("登录省身"));
    assert!(
        reply.body.contains("action=\"/api/login\""),
        "a plain form post works without JS"
    );
    let csp = reply.header("content-security-policy").expect("a CSP");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in script-src");
    assert!(
        reply.body.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the nonce"
    );
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(reply.header("referrer-policy"), Some("same-origin"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let other = app.client().get("/login").await;
    assert_ne!(
        other.header("content-security-policy"),
        Some(csp),
        "a fresh nonce per response"
    );
}

#[tokio::test]
async fn private_pages_send_visitors_to_the_login_page() {
    let app = TestApp::new().await;
    let reply = app.client().get("/admin/users").await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.header("location"), Some("/login?next=/admin/users"));
}

#[tokio::test]
async fn the_home_page_greets_the_person_and_shows_their_branch() {
    let app = TestApp::new().await;
    let mut client = app.logged_in("zhangming").await;
    let reply = client.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("张明，您好"));
    assert!(reply.body.contains("第一党支部"));
    assert!(
        !reply.body.contains("管理账号"),
        "members see no admin links"
    );
}

#[tokio::test]
async fn admin_pages_are_not_found_for_members_and_shown_to_admins() {
    let app = TestApp::new().await;
    let mut member = app.logged_in("zhangming").await;
    let reply = member.get("/admin/users").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("页面不存在"));
    let mut admin = app.logged_in("admin").await;
    let reply = admin.get("/admin/users").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("账号管理"));
    assert!(reply.body.contains("王建国"));
}

#[tokio::test]
async fn an_unknown_address_gets_the_chinese_404_page() {
    let app = TestApp::new().await;
    let reply = app.client().get("/no/such/page").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("页面不存在"));
    assert!(reply.header("content-security-policy").is_some());
}

#[tokio::test]
async fn an_oversized_request_is_refused_before_it_is_read() {
    let app = TestApp::new().await;
    let mut member = app.logged_in("zhangming").await;
    let huge = format!(
        "material_id={}",
        "x".repeat(xingshen::web::MAX_REQUEST_BYTES)
    );
    let request = axum::http::Request::post("/api/material_editor")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", huge.len())
        .header("origin", "http://localhost")
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::from(huge))
        .unwrap();
    let reply = member.send(request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The same client is still served.
    let reply = member.call("my_materials", &[]).await;
    assert!(reply.status.is_success());
}

#[tokio::test]
async fn a_form_that_is_not_multipart_is_refused_by_a_multipart_function() {
    let app = TestApp::new().await;
    let mut member = app.logged_in("zhangming").await;
    for endpoint in [
        "save_material_step",
        "import_material",
        "attach_ledger_evidence",
        "import_roster",
        "recognise_draft",
    ] {
        let reply = member.call(endpoint, &[("material_id", "x")]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{endpoint}");
        assert!(reply.body.contains("提交的内容格式不对"), "{endpoint}");
    }
}

/// Every page the app routes, for a visitor, the author and the secretary: each HTML answer
/// carries the full set of security headers, a fresh script nonce, and is never cached.
#[tokio::test]
async fn every_page_answers_with_the_security_headers_and_no_caching() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = crate::meetings::demo_meeting(&mut secretary).await;
    let mut author = app.logged_in("zhangming").await;
    let material = crate::meetings::start(&mut author, &meeting).await;
    let paths: Vec<String> = xingshen::web::route_list()
        .iter()
        .map(|route| {
            route
                .path()
                .split('/')
                .map(|segment| {
                    if !(segment.starts_with(':') || segment.starts_with('{')) {
                        segment.to_string()
                    } else if route.path().starts_with("/materials")
                        || route.path().starts_with("/review")
                    {
                        material.clone()
                    } else {
                        meeting.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .chain(["/no/such/page".to_string()])
        .collect();
    assert!(paths.len() > 25, "{paths:?}");
    let mut visitor = app.client();
    let mut html_answers = 0;
    for client in [&mut visitor, &mut author, &mut secretary] {
        for path in &paths {
            let reply = client.get(path).await;
            let is_html = reply
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/html"));
            if !is_html {
                continue;
            }
            html_answers += 1;
            let csp = reply
                .header("content-security-policy")
                .unwrap_or_else(|| panic!("{path}: no CSP"));
            for directive in [
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
            ] {
                assert!(
                    csp.contains(directive),
                    "{path}: {directive} missing in {csp}"
                );
            }
            assert_eq!(
                reply.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert_eq!(
                reply.header("referrer-policy"),
                Some("same-origin"),
                "{path}"
            );
            assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
            let scripts = csp
                .split(';')
                .find(|d| d.trim_start().starts_with("script-src"))
                .unwrap_or_default();
            assert!(
                scripts.contains("'nonce-") && !scripts.contains("unsafe-inline"),
                "{path}: {csp}"
            );
        }
    }
    assert!(
        html_answers >= paths.len() * 3 - 3,
        "{html_answers} HTML answers"
    );
}

/// The editor page renders four parts that each need the logged-in person (the header, its
/// reminder count, the material, the 雷同 check). It reads the meeting and looks the person
/// up once, not once per part: the page costs what its parts cost when asked one by one,
/// less a meeting read and a lookup for every part after the first.
#[tokio::test]
async fn a_page_looks_up_the_logged_in_person_once() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = crate::meetings::demo_meeting(&mut secretary).await;
    let mut member = app.logged_in("zhangming").await;
    let material = crate::meetings::start(&mut member, &meeting).await;

    let editor = [
        ("current_user", vec![]),
        ("my_reminder_count", vec![]),
        ("my_supervisions", vec![]),
        ("material_editor", vec![("material_id", material.as_str())]),
    ];
    // A draft opens on its first step; only the check step shows the 雷同 check.
    let check = [
        editor.as_slice(),
        &[("similarity_check", vec![("material_id", material.as_str())])],
    ]
    .concat();
    for (path, parts) in [
        (format!("/materials/{material}"), editor.as_slice()),
        (
            format!("/materials/{material}?step=check"),
            check.as_slice(),
        ),
    ] {
        let before = app.store.queries_issued();
        let reply = member.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.contains("张明"), "the page is the member's");
        let page = app.store.queries_issued() - before;

        let before = app.store.queries_issued();
        for (function, fields) in parts {
            let reply = member.call(function, fields).await;
            assert!(reply.status.is_success(), "{function}: {}", reply.body);
        }
        let one_by_one = app.store.queries_issued() - before;
        // A meeting read and an account lookup per request.
        let per_request = 2;
        assert_eq!(
            page,
            one_by_one - per_request * (parts.len() as u64 - 1),
            "{path}: page {page} queries, its parts one by one {one_by_one}"
        );
    }
}
