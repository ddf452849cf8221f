//! `TestApp`: one app over a fresh database with the demo organisation, and a client per
//! person that keeps its session cookie like a browser does.
//!
//! The database is in memory, or — when `XINGSHEN_TEST_DB` names a SurrealDB server
//! (`ws://127.0.0.1:PORT`, as `cargo xtask test` does in its second pass) — a new database of
//! its own on that server, so the same suite proves the app over the network protocol too.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tower::ServiceExt;
use xingshen::auth::throttle::LoginThrottle;
use xingshen::seed::{self, DEMO_PASSWORD};
use xingshen::server::AppError;
use xingshen::server::context::AppState;
use xingshen::store::Store;

pub const COOKIE: &str = "xingshen_session";

/// Far above any request's real time, even on a loaded 2-core machine.
const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    state: AppState,
}

/// One browser: the app plus its own cookie.
pub struct Client {
    router: Router,
    pub cookie: Option<String>,
    /// The address the connection comes from, as the served app sees it; none by default
    /// (a router called in process has no peer).
    pub peer: Option<std::net::SocketAddr>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent, for files.
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not the expected JSON ({error}): {}", self.body))
    }

    /// The server function's error, sent as JSON with the error's own status: every test
    /// that reads an error checks that status too.
    pub fn error(&self) -> AppError {
        assert!(
            !self.status.is_success(),
            "expected an error, got {}: {}",
            self.status,
            self.body
        );
        let error: AppError = self.json();
        assert_eq!(
            self.status.as_u16(),
            error.http_status(),
            "the status of {error:?}"
        );
        error
    }

    /// A page's text as a reader sees it: no tags, no scripts (the hydration data), no
    /// hydration markers.
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.body.len());
        let mut rest = self.body.as_str();
        while let Some(start) = rest.find('<') {
            text.push_str(&rest[..start]);
            let tag = &rest[start..];
            let skip_to = if tag.starts_with("<script") {
                tag.find("</script>").map(|end| end + "</script>".len())
            } else {
                tag.find('>').map(|end| end + 1)
            };
            rest = &tag[skip_to.unwrap_or(tag.len())..];
        }
        text.push_str(rest);
        text
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The SurrealDB server the suite runs against, when it runs against one.
pub fn test_server() -> Option<String> {
    std::env::var("XINGSHEN_TEST_DB")
        .ok()
        .filter(|endpoint| !endpoint.is_empty())
}

/// A name no other store of any run against the same server has used.
pub fn unique_database_name() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("test_{}_{started}_{number}", std::process::id())
}

/// An empty database with the schema: in memory, or a new database on the test server.
pub async fn fresh_store() -> Store {
    match test_server() {
        Some(endpoint) => {
            Store::connect_database(&endpoint, &unique_database_name())
                .await
                .unwrap_or_else(|error| panic!("test database on {endpoint}: {error}"))
                .0
        }
        None => Store::in_memory().await.expect("in-memory store"),
    }
}

impl TestApp {
    pub async fn new() -> Self {
        let store = fresh_store().await;
        seed::create_demo(&store).await.expect("demo data");
        Self::with_store(store)
    }

    /// Always in memory, for tests that back the database up (the SDK exports from embedded
    /// engines only).
    pub async fn embedded() -> Self {
        let store = Store::in_memory().await.expect("in-memory store");
        seed::create_demo(&store).await.expect("demo data");
        Self::with_store(store)
    }

    pub fn with_store(store: Store) -> Self {
        Self::configured(store, false)
    }

    /// An app served over https (behind a TLS proxy): `__Host-` + `Secure` cookies.
    pub async fn over_https() -> Self {
        let store = fresh_store().await;
        seed::create_demo(&store).await.expect("demo data");
        Self::configured(store, true)
    }

    /// An app behind reverse proxies it trusts to name the client (`--trusted-proxies`).
    pub async fn behind_proxies(proxies: &str) -> Self {
        let store = fresh_store().await;
        seed::create_demo(&store).await.expect("demo data");
        let mut app = Self::configured(store, false);
        app.router = xingshen::web::router(AppState {
            trusted_proxies: Arc::new(proxies.parse().expect("proxy list")),
            ..app.state.clone()
        });
        app
    }

    /// The demo organisation, with initial and reset passwords lasting `days` days.
    pub async fn with_initial_password_days(days: u32) -> Self {
        let store = fresh_store().await;
        seed::create_demo(&store).await.expect("demo data");
        Self::from_state(store, false, days)
    }

    fn configured(store: Store, secure_cookies: bool) -> Self {
        Self::from_state(
            store,
            secure_cookies,
            AppState::DEFAULT_INITIAL_PASSWORD_DAYS,
        )
    }

    fn from_state(store: Store, secure_cookies: bool, initial_password_days: u32) -> Self {
        let state = AppState {
            store: store.clone(),
            leptos_options: LeptosOptions::builder()
                .output_name("xingshen")
                .site_root("target/site")
                .build(),
            throttle: Arc::new(LoginThrottle::default()),
            tool_throttle: Arc::default(),
            uploads: Arc::default(),
            secure_cookies,
            login_session_max_age: chrono::Duration::days(7),
            trusted_proxies: Arc::default(),
            initial_password_days,
            link_seal: Arc::default(),
        };
        Self {
            router: xingshen::web::router(state.clone()),
            state,
            store,
        }
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookie: None,
            peer: None,
        }
    }

    /// A client logged in as one of the demo accounts.
    pub async fn logged_in(&self, login: &str) -> Client {
        self.logged_in_with(login, DEMO_PASSWORD).await
    }

    pub async fn logged_in_with(&self, login: &str, password: &str) -> Client {
        let mut client = self.client();
        let reply = client
            .call("login", &[("login", login), ("password", password)])
            .await;
        assert!(
            reply.status.is_success(),
            "login of {login} failed: {} {}",
            reply.status,
            reply.body
        );
        client
    }
}

/// Fields as `application/x-www-form-urlencoded`.
/// A new, empty directory under the system's temporary directory, unique to this process and
/// moment, for a test's databases and files.
pub fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "xingshen-{name}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Text fields, then optionally one file (field, file name, bytes), as
/// `multipart/form-data`; returns the content type and the body.
pub fn multipart_body(
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> (String, Vec<u8>) {
    let boundary = "----xingshen-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((field, file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Calls a server function that must succeed, and returns its answer.
pub async fn ok(client: &mut Client, function: &str, fields: &[(&str, &str)]) -> Reply {
    let reply = client.call(function, fields).await;
    assert!(reply.status.is_success(), "{function}: {}", reply.body);
    reply
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Client {
    pub async fn send(&mut self, mut request: Request<Body>) -> Reply {
        if let Some(cookie) = &self.cookie {
            request.headers_mut().insert(
                header::COOKIE,
                format!("{COOKIE}={cookie}").parse().unwrap(),
            );
        }
        if let Some(peer) = self.peer {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        request
            .headers_mut()
            .entry(header::HOST)
            .or_insert("localhost".parse().unwrap());
        // A request that never finishes (a page whose render never resolves) fails the test
        // with its address instead of hanging the whole suite.
        let what = format!("{} {}", request.method(), request.uri());
        let response = tokio::time::timeout(REQUEST_LIMIT, self.router.clone().oneshot(request))
            .await
            .unwrap_or_else(|_| panic!("{what}: no response within {REQUEST_LIMIT:?}"))
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            if let Some(rest) = set.strip_prefix(&format!("{COOKIE}=")) {
                let value = rest.split(';').next().unwrap_or("");
                let expired = set.contains("Max-Age=0") || value.is_empty();
                self.cookie = (!expired).then(|| value.to_string());
            }
        }
        let bytes = tokio::time::timeout(REQUEST_LIMIT, response.into_body().collect())
            .await
            .unwrap_or_else(|_| panic!("{what}: the body did not finish within {REQUEST_LIMIT:?}"))
            .unwrap()
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// Calls a server function the way the hydrated page does (form-encoded, JSON back).
    pub async fn call(&mut self, function: &str, fields: &[(&str, &str)]) -> Reply {
        let request = Request::post(format!("/api/{function}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, "http://localhost")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form_body(fields)))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form as a browser without JavaScript does (HTML accepted, Referer set).
    pub async fn post_form(
        &mut self,
        function: &str,
        referer: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let request = Request::post(format!("/api/{function}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, format!("http://localhost{referer}"))
            .header(header::ORIGIN, "http://localhost")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form_body(fields)))
            .unwrap();
        self.send(request).await
    }

    /// Uploads one file as multipart form data to a server function.
    pub async fn upload(
        &mut self,
        function: &str,
        field: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Reply {
        self.upload_with(function, &[], field, file_name, bytes)
            .await
    }

    /// Uploads text fields, then one file, as multipart form data to a server function.
    pub async fn upload_with(
        &mut self,
        function: &str,
        fields: &[(&str, &str)],
        field: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Reply {
        let (content_type, body) = multipart_body(fields, Some((field, file_name, bytes)));
        let request = Request::post(format!("/api/{function}"))
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, "http://localhost")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts text fields as multipart form data, in order: as the hydrated editor does
    /// (JSON back), or with `referer` as a browser without JavaScript does (HTML accepted).
    pub async fn multipart(
        &mut self,
        function: &str,
        fields: &[(&str, &str)],
        referer: Option<&str>,
    ) -> Reply {
        let (content_type, body) = multipart_body(fields, None);
        let mut request = Request::post(format!("/api/{function}"))
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ORIGIN, "http://localhost")
            .header("sec-fetch-site", "same-origin");
        request = match referer {
            Some(referer) => request
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::REFERER, format!("http://localhost{referer}")),
            None => request.header(header::ACCEPT, "application/json"),
        };
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = Request::get(path)
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// The logged-in person's login name, or `None`.
    pub async fn whoami(&mut self) -> Option<String> {
        let reply = self.call("current_user", &[]).await;
        assert!(reply.status.is_success(), "{}", reply.body);
        let actor: Option<xingshen::domain::policy::Actor> = reply.json();
        actor.map(|a| a.login)
    }
}
