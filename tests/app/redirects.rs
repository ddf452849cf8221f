//! Where the browser is sent, and what an address may make a page say (issue 27 items 4
//! and 9): a login's `next` and a form's way back lead only to this site, and an error
//! carried in a page address shows only when this server put it there for this person.

use crate::support::{Client, TestApp, form_body};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leptos::server_fn::error::ServerFnUrlError;
use xingshen::seed::DEMO_PASSWORD;
use xingshen::server::AppError;

/// Targets that reach another site, directly or once a browser, proxy or server decodes
/// them.
const HOSTILE_TARGETS: [&str; 10] = [
    "//evil.example",
    "///evil.example/",
    "/\\evil.example",
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "/%5C%5Cevil.example",
    "/%252F%252Fevil.example",
    "https://evil.example/",
    "/\t/evil.example",
    " //evil.example",
];

/// Whether `location`, followed from a page of this site, stays on it.
fn stays_here(location: &str) -> bool {
    let here = url::Url::parse("http://localhost/login").unwrap();
    here.join(location)
        .is_ok_and(|target| target.origin() == here.origin())
}

#[tokio::test]
async fn a_login_follows_no_hostile_next_with_or_without_javascript() {
    let app = TestApp::new().await;
    for next in HOSTILE_TARGETS {
        let fields = [
            ("login", "zhangming"),
            ("password", DEMO_PASSWORD),
            ("next", next),
        ];
        let reply = app.client().post_form("login", "/login", &fields).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{next:?}");
        assert_eq!(reply.header("location"), Some("/"), "{next:?}");
        let reply = app.client().call("login", &fields).await;
        assert!(reply.status.is_success(), "{next:?}: {}", reply.body);
        assert_eq!(reply.header("location"), Some("/"), "{next:?}");
    }
    // A path of this site is followed as it is.
    let reply = app
        .client()
        .post_form(
            "login",
            "/login",
            &[
                ("login", "zhangming"),
                ("password", DEMO_PASSWORD),
                ("next", "/ledger?status=open"),
            ],
        )
        .await;
    assert_eq!(reply.header("location"), Some("/ledger?status=open"));
}

/// Posts a form without JavaScript, as a client that sets its own Referer does.
async fn post_with_referer(
    client: &mut Client,
    function: &str,
    referer: &str,
    fields: &[(&str, &str)],
) -> String {
    let request = Request::post(format!("/api/{function}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, referer)
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form_body(fields)))
        .unwrap();
    let reply = client.send(request).await;
    assert!(
        reply.status.is_redirection(),
        "{function}: {}",
        reply.status
    );
    reply.header("location").unwrap().to_string()
}

#[tokio::test]
async fn a_form_sent_back_to_a_hostile_referer_stays_on_this_site() {
    let app = TestApp::new().await;
    let mut member = app.logged_in("zhangming").await;
    let mut referers: Vec<String> = HOSTILE_TARGETS
        .iter()
        .map(|target| format!("http://localhost{target}"))
        .collect();
    referers.push("http://evil.example/materials".into());
    referers.push("https://user@evil.example/".into());
    for referer in &referers {
        // A refusal (a wrong login) and a success (a form that went through).
        let refused = post_with_referer(
            &mut app.client(),
            "login",
            referer,
            &[("login", "zhangming"), ("password", "wrong-password")],
        )
        .await;
        assert!(stays_here(&refused), "{referer:?} → {refused}");
        assert!(!refused.contains("__done"), "{refused}");
        let done = post_with_referer(
            &mut member,
            "revoke_calendar_link",
            referer,
            &[("scope", "own")],
        )
        .await;
        assert!(stays_here(&done), "{referer:?} → {done}");
    }
    // The way back to a page of this site is kept.
    let done = post_with_referer(
        &mut member,
        "revoke_calendar_link",
        "http://localhost/ledger?status=open",
        &[("scope", "own")],
    )
    .await;
    assert_eq!(
        done,
        "http://localhost/ledger?status=open&__done=/api/revoke_calendar_link"
    );
}

/// A link as an attacker writes it: server_fn's own encoding of an error of their choice.
fn crafted_link(page: &str, function: &str, text: &str) -> String {
    let url = ServerFnUrlError::new(function, AppError::Invalid(text.into()))
        .to_url(&format!("http://localhost{page}"))
        .unwrap();
    format!("{}?{}", url.path(), url.query().unwrap())
}

const ATTACKER_TEXT: &str = "系统通知：您的账号存在风险，请立即拨打 400-000-0000";

#[tokio::test]
async fn a_crafted_error_link_puts_no_text_on_the_page() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let link = crafted_link("/login", "/api/login", ATTACKER_TEXT);
    let reply = visitor.get(&link).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.header("location"), Some("/login"));
    assert!(!reply.body.contains("400-000"), "{}", reply.body);

    // The page's own parameters are kept; only the error goes.
    let link = crafted_link("/login?next=/ledger", "/api/login", ATTACKER_TEXT);
    let reply = visitor.get(&link).await;
    assert_eq!(reply.header("location"), Some("/login?next=/ledger"));

    // A made-up seal does not help.
    let reply = visitor
        .get(&format!("{link}&__seal=4102444800.{}", "ab".repeat(32)))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    // Nor does a "just done" mark: it names a function, and only a function's own fixed
    // notice can show.
    let mut member = app.logged_in("zhangming").await;
    let encoded: String = url::form_urlencoded::byte_serialize(ATTACKER_TEXT.as_bytes()).collect();
    for page in [
        format!("/account/password?__done={encoded}"),
        format!("/ledger?__done=/api/{encoded}"),
    ] {
        let reply = member.get(&page).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(!reply.body.contains("400-000"), "{page}: {}", reply.body);
        assert!(!reply.body.contains("密码已修改"), "{page}");
    }
}

#[tokio::test]
async fn a_real_refusal_without_javascript_still_shows_its_message_to_its_person_only() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let back = visitor
        .post_form(
            "login",
            "/login?next=/ledger",
            &[("login", "zhangming"), ("password", "wrong-password")],
        )
        .await;
    let location = back.header("location").unwrap().to_string();
    assert!(location.contains("__seal="), "{location}");
    let page = visitor
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{location}");
    assert!(page.text().contains("登录名或密码不正确"), "{}", page.body);
    assert!(location.contains("next=/ledger"), "{location}");

    // The same address, sent on to someone logged in, shows them nothing.
    let mut member = app.logged_in("liufang").await;
    let reply = member
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    // Nor does the seal cover another text in its place.
    let forged = crafted_link("/login", "/api/login", ATTACKER_TEXT);
    let seal = location.split("__seal=").nth(1).unwrap();
    let reply = visitor.get(&format!("{forged}&__seal={seal}")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    // A refusal after an earlier one shows the newest message, once.
    let again = visitor
        .post_form(
            "login",
            location.trim_start_matches("http://localhost"),
            &[("login", ""), ("password", "x")],
        )
        .await;
    let location = again.header("location").unwrap().to_string();
    assert_eq!(location.matches("__err=").count(), 1, "{location}");
    let page = visitor
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{location}");
}
