//! The 上级's overview (/admin/overview, issue 28 item 6) at county scale: 500 branches
//! under a 上级党委 → 党委 → 党总支 tree, 10,000 members, about 100,000 ledger items
//! (`xingshen seed --members 10000 --branches 500 --items 100000 --tree`). The page goes
//! through the real router — session, authentication, the server function, SSR — as a
//! browser's request does, one request at a time; times are wall-clock per request.
//!
//! usage: cargo bench --features ssr --bench overview -- DIR [RUNS]
//! DIR holds the SurrealKV database; it is seeded on the first run (several minutes) and
//! reused after.

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;
use xingshen::auth::throttle::LoginThrottle;
use xingshen::domain::LoginName;
use xingshen::seed::synthetic::{SYNTHETIC_PASSWORD, Scale, create_synthetic};
use xingshen::server::context::AppState;
use xingshen::server::overview::OverviewView;
use xingshen::store::Store;

const ADMIN: &str = "u000000";

fn report(label: &str, mut took: Vec<f64>) {
    took.sort_by(f64::total_cmp);
    let at = |share: f64| took[((took.len() - 1) as f64 * share).round() as usize];
    println!(
        "{label:<44} n {:>4}  p50 {:>8.1} ms  p90 {:>8.1} ms  max {:>8.1} ms",
        took.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}

struct Browser {
    router: axum::Router,
    cookie: Option<String>,
}

impl Browser {
    async fn send(&mut self, mut request: Request<Body>) -> (u16, String) {
        if let Some(cookie) = &self.cookie {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        request
            .headers_mut()
            .insert(header::HOST, "localhost".parse().unwrap());
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        if let Some(set) = response.headers().get(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            self.cookie = set.split(';').next().map(str::to_string);
        }
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    async fn call(&mut self, function: &str, body: String) -> (u16, String) {
        let request = Request::post(format!("/api/{function}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, "http://localhost")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    async fn get(&mut self, path: &str) -> (u16, String) {
        let request = Request::get(path)
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    let dir = args.next().expect("usage: overview DIR [RUNS]");
    let runs: usize = args.next().map_or(20, |raw| raw.parse().expect("RUNS"));
    let (store, _) = Store::connect(&format!("surrealkv://{dir}"))
        .await
        .expect("the database");
    let admin = LoginName::parse(ADMIN).unwrap();
    if store.find_user_by_login(&admin).await.unwrap().is_none() {
        let started = Instant::now();
        let created = create_synthetic(
            &store,
            Scale {
                members: 10_000,
                branches: 500,
                items: 100_000,
                seed: 1,
                tree: true,
            },
        )
        .await
        .expect("seeding");
        println!(
            "seeded in {:.0} s: {} branches, {} meetings, {} materials, {} ledger items",
            started.elapsed().as_secs_f64(),
            created.branches,
            created.meetings,
            created.materials,
            created.measures
        );
    }
    let state = AppState {
        store: store.clone(),
        leptos_options: leptos::prelude::LeptosOptions::builder()
            .output_name("xingshen")
            .site_root("target/site")
            .build(),
        throttle: Arc::new(LoginThrottle::default()),
        tool_throttle: Arc::default(),
        uploads: Arc::default(),
        secure_cookies: false,
        login_session_max_age: chrono::Duration::days(7),
        trusted_proxies: Arc::default(),
        initial_password_days: AppState::DEFAULT_INITIAL_PASSWORD_DAYS,
        link_seal: Arc::default(),
    };
    let mut browser = Browser {
        router: xingshen::web::router(state),
        cookie: None,
    };
    let (status, body) = browser
        .call(
            "login",
            format!("login={ADMIN}&password={SYNTHETIC_PASSWORD}"),
        )
        .await;
    assert_eq!(status, 200, "login: {body}");

    // What the page shows, once, so the figures below are of the real page.
    let (status, body) = browser
        .call("org_overview", "node_id=&stage=&page=1&nodes_page=1".into())
        .await;
    assert_eq!(status, 200, "{body}");
    let view: OverviewView = serde_json::from_str(&body).unwrap();
    let counts: Vec<String> = view
        .stages
        .iter()
        .zip(&view.total.counts)
        .map(|(stage, count)| format!("{} {count}", stage.label))
        .collect();
    println!(
        "{}: {} branches, {} meetings ({}), 报送逾期 {}, 整改逾期 {}, {} nodes below, {} meeting pages",
        view.node_name,
        view.total.branches,
        view.total.meetings,
        counts.join(", "),
        view.total.report_overdue,
        view.total.items_overdue,
        view.children_page.total,
        view.meetings_page.pages
    );
    let committee = view.children[0].id.clone().unwrap();
    let general = {
        let (_, body) = browser
            .call(
                "org_overview",
                format!("node_id={committee}&stage=&page=1&nodes_page=1"),
            )
            .await;
        let view: OverviewView = serde_json::from_str(&body).unwrap();
        view.children[0].id.clone().unwrap()
    };

    // Where the county page's time goes: its store reads, one at a time.
    let today = xingshen::server::clock::today();
    let root = view.node_id.clone();
    let mut parts: [Vec<f64>; 4] = Default::default();
    for _ in 0..runs.min(10) {
        let started = Instant::now();
        let ids = store.subtree_ids(&root).await.unwrap();
        parts[0].push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let branches = store.branch_places(&ids).await.unwrap();
        parts[1].push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let branch_ids: Vec<String> = branches.iter().map(|b| b.id.clone()).collect();
        store.overview_meetings(&branch_ids, today).await.unwrap();
        parts[2].push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let mut nodes: Vec<&str> = branches.iter().map(|b| b.node.as_str()).collect();
        nodes.sort_unstable();
        nodes.dedup();
        for node in nodes {
            store.overdue_items_of_node(node, today).await.unwrap();
        }
        parts[3].push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let [subtree, places, meetings, overdue] = parts;
    report("  store: the subtree's nodes", subtree);
    report("  store: their branches", places);
    report("  store: the meetings with stage facts", meetings);
    report("  store: overdue 整改 per node", overdue);

    let pages = [
        (
            "/admin/overview (the county)".to_string(),
            "/admin/overview".to_string(),
        ),
        (
            "/admin/overview?page=10 (meetings 451-500)".into(),
            "/admin/overview?page=10".into(),
        ),
        (
            "/admin/overview?stage=rectifying".into(),
            "/admin/overview?stage=rectifying".into(),
        ),
        (
            "/admin/overview?node=<a 党委> (50 branches)".into(),
            format!("/admin/overview?node={committee}"),
        ),
        (
            "/admin/overview?node=<a 党总支> (10 branches)".into(),
            format!("/admin/overview?node={general}"),
        ),
    ];
    for (label, path) in pages {
        let (status, body) = browser.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("会议总览"), "{path}: not the overview");
        let mut took = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let (status, _) = browser.get(&path).await;
            took.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(status, 200);
        }
        report(&label, took);
    }
}
