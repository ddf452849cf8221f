//! The HTTP application: pages, server functions and static files behind the login session,
//! same-origin and security-header layers.
//!
//! Long because the request layers (origin, multipart, sealed errors, form redirects) are
//! read together, in the order they run.

use crate::app::{App, shell};
use crate::auth::client_address::{ClientAddress, TrustedProxies};
use crate::auth::link_seal::{SEAL_LIFETIME_SECONDS, SEAL_PARAM};
use crate::auth::{headers::security_headers, origin::require_same_origin};
use crate::domain::local_path::safe_local_path;
use crate::server::context::AppState;
use crate::store::login_sessions::LoginSessionStore;
use crate::store::login_sessions::USER_ID_KEY;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::middleware;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The largest request body the app reads: a 10 MB 佐证材料 with its form around it. Server
/// functions read their bodies whole, so without this a client could make the server buffer
/// any amount; routes with smaller needs set their own, lower limits.
pub const MAX_REQUEST_BYTES: usize = 12 * 1024 * 1024;

/// The server functions that read multipart forms. Their decoder (server_fn 0.8) panics on a
/// request that is not multipart, so such requests are refused before they reach it.
/// server_fn keeps no record of a function's encoding at run time, so the list is written
/// here; a test reads every `#[server(… input = MultipartFormData)]` in `src/server` and
/// fails when one is missing.
const MULTIPART_ENDPOINTS: [&str; 6] = [
    "/api/save_material_step",
    "/api/import_material",
    "/api/attach_ledger_evidence",
    "/api/import_roster",
    "/api/recognise_draft",
    "/api/upload_policy_pack",
];

/// Refuses a post to a multipart server function that is not `multipart/form-data` with a
/// boundary, with 400 and a Chinese message.
async fn require_multipart(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
                && value.contains("boundary=")
        });
    if multipart || !MULTIPART_ENDPOINTS.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "提交的内容格式不对：请回到省身页面重新操作。",
    )
        .into_response()
}

/// The most of an error answer [`error_status`] reads: the app's errors are a few hundred
/// bytes; a row-by-row import error a few kilobytes.
const ERROR_BODY_LIMIT: usize = 1024 * 1024;

/// Gives a server function's error answer the status of the error it carries
/// ([`AppError::http_status`]): server_fn answers every error with 500, so a wrong password
/// or an expired login session would look like a failure of the server to every proxy and log.
/// Plain form posts are not touched: they are redirected back to the form before this.
async fn error_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        // The error could not be read whole: answer the one generic error, as a failure.
        tracing::error!("a server function's error answer could not be read");
        let generic = serde_json::to_string(&crate::server::AppError::Internal).unwrap_or_default();
        parts.headers.remove(axum::http::header::CONTENT_LENGTH);
        return axum::response::Response::from_parts(parts, axum::body::Body::from(generic));
    };
    if let Ok(error) = serde_json::from_slice::<crate::server::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.http_status()) {
            parts.status = status;
        }
        if let crate::server::AppError::Throttled { seconds } = error {
            parts
                .headers
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Where the browser goes after a post to a server function. Every target is made a path
/// of this site ([`safe_local_path`]; anything else goes to `/`), whoever chose it: the
/// function itself, or server_fn sending a form posted without JavaScript back to its page
/// (the Referer, which is absolute and which a client may set to anything). An absolute
/// address keeps its origin only when that is this request's own host.
///
/// Back at its page, a form that went through is marked with the server function
/// (`?__done=/api/…`, as the islands do when they load the page again) so the page can say
/// it was saved; a refusal carries its error (`__path`, `__err`), which is sealed here for
/// this person ([`seal_error`]) so that only errors this server issued are shown.
async fn settle_form_redirect(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use crate::ui::components::post_form::{DONE_PARAM, marked_done};
    use axum::http::{HeaderValue, Method, header};
    let function = (request.method() == Method::POST && request.uri().path().starts_with("/api/"))
        .then(|| request.uri().path().to_string());
    let login_session = request
        .extensions()
        .get::<tower_sessions::Session>()
        .cloned();
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let mut response = next.run(request).await;
    let Some(function) = function else {
        return response;
    };
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
    else {
        return response;
    };
    // Server_fn sends the browser back to the Referer, which is always absolute; the
    // functions' own redirects are paths.
    let back_to_the_form = location.starts_with("http") && response.status().is_redirection();
    let failed = response
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER);
    let (origin, path) = split_origin(&location);
    let path = safe_local_path(path).unwrap_or("/");
    let settled = if !back_to_the_form {
        path.to_string()
    } else if query_pairs(path).any(|pair| param_name(pair) == "__err") {
        seal_error(&state, login_session.as_ref(), path).await
    } else if failed {
        // A refusal server_fn could not write into the address (a Referer it cannot
        // parse): back to the page, not marked as done.
        let kept: Vec<&str> = query_pairs(path)
            .filter(|pair| !carries_error(pair) && param_name(pair) != DONE_PARAM)
            .collect();
        with_query(path, &kept)
    } else {
        marked_done(path, &function)
    };
    // An absolute address stays absolute only on this very host; any other becomes a path.
    let settled = match origin {
        Some(origin)
            if host
                .as_deref()
                .is_some_and(|host| origin_host(origin) == host) =>
        {
            format!("{origin}{settled}")
        }
        _ => settled,
    };
    if let Ok(value) = HeaderValue::from_str(&settled) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Settles which client sent the request (the peer, or behind a trusted proxy the client it
/// names) once, for the throttles and the audit log to read as [`ClientAddress`].
async fn resolve_client(
    axum::extract::State(proxies): axum::extract::State<std::sync::Arc<TrustedProxies>>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    if let Some(peer) = peer {
        let forwarded: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        let client = proxies.client(peer, &forwarded);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// An absolute address as its origin (`scheme://authority`) and its path (with query and
/// fragment); a path as it is, without an origin.
fn split_origin(location: &str) -> (Option<&str>, &str) {
    let Some((scheme, rest)) = location
        .split_once("://")
        .filter(|(scheme, _)| scheme.bytes().all(|byte| byte.is_ascii_alphabetic()))
    else {
        return (None, location);
    };
    let authority_end = scheme.len() + 3 + rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let path = &location[authority_end..];
    let origin = &location[..authority_end];
    // Only http(s) with a plain authority (no user-info) can name this host.
    let plain = matches!(scheme, "http" | "https")
        && !origin[scheme.len() + 3..].contains(['@', '\\'])
        && !origin[scheme.len() + 3..].is_empty();
    let path = if path.starts_with('/') { path } else { "/" };
    (plain.then_some(origin), path)
}

/// The `host[:port]` of an origin from [`split_origin`].
fn origin_host(origin: &str) -> &str {
    origin.split_once("://").map_or(origin, |(_, host)| host)
}

/// The `name=value` pairs of an address's query, as written.
fn query_pairs(address: &str) -> impl Iterator<Item = &str> {
    let address = address.split('#').next().unwrap_or_default();
    address
        .split_once('?')
        .map_or("", |(_, query)| query)
        .split('&')
        .filter(|pair| !pair.is_empty())
}

fn param_name(pair: &str) -> &str {
    pair.split('=').next().unwrap_or_default()
}

/// The decoded value of the one `name` parameter of `pairs`; `None` when there is none, or
/// more than one.
fn only_value(pairs: &[&str], name: &str) -> Option<String> {
    let mut found = pairs.iter().filter(|pair| param_name(pair) == name);
    let pair = found.next()?;
    if found.next().is_some() {
        return None;
    }
    url::form_urlencoded::parse(pair.as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
}

/// The parameters that carry an error to a page: server_fn's, and the seal on them.
fn carries_error(pair: &str) -> bool {
    matches!(param_name(pair), "__err" | "__path" | SEAL_PARAM)
}

/// `path` with its query's `pairs` replaced by `kept` (the fragment dropped).
fn with_query(path: &str, kept: &[&str]) -> String {
    let base = path.split(['?', '#']).next().unwrap_or("/");
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The id of the person logged in on `login_session`, or empty for a visitor.
async fn login_session_user(login_session: Option<&tower_sessions::Session>) -> String {
    let Some(login_session) = login_session else {
        return String::new();
    };
    login_session
        .get::<String>(USER_ID_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// `path` (the form's page, with server_fn's `__path` and `__err` appended, after any left
/// from an earlier refusal) with only the newest error, sealed for the person now on the
/// login session. Without the installation's key the error is left out: the page shows the form
/// again, without a message, rather than an unsealed one.
async fn seal_error(
    state: &AppState,
    login_session: Option<&tower_sessions::Session>,
    path: &str,
) -> String {
    let pairs: Vec<&str> = query_pairs(path).collect();
    let newest = |name: &str| pairs.iter().rev().find(|pair| param_name(pair) == name);
    let mut kept: Vec<&str> = pairs
        .iter()
        .copied()
        .filter(|pair| !carries_error(pair))
        .collect();
    let (Some(function), Some(error)) = (newest("__path"), newest("__err")) else {
        return with_query(path, &kept);
    };
    let (Some(function_value), Some(error_value)) = (
        only_value(&[*function], "__path"),
        only_value(&[*error], "__err"),
    ) else {
        return with_query(path, &kept);
    };
    let key = match state.link_seal().await {
        Ok(key) => key,
        Err(error) => {
            tracing::error!(%error, "the link seal key could not be read; the error is not shown");
            return with_query(path, &kept);
        }
    };
    let user = login_session_user(login_session).await;
    let expires = chrono::Utc::now().timestamp() + SEAL_LIFETIME_SECONDS;
    let seal = format!(
        "{SEAL_PARAM}={}",
        key.seal(&user, expires, &function_value, &error_value)
    );
    kept.extend([*function, *error, seal.as_str()]);
    with_query(path, &kept)
}

/// A page address carrying an error (`__path`, `__err`) shows it only with this server's
/// seal for the person asking ([`seal_error`]); otherwise the browser is sent to the same
/// page without it. So a crafted link cannot put text of its own on a page as the
/// system's message.
async fn check_sealed_error(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{Method, StatusCode, header};
    use axum::response::IntoResponse;
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let query = request.uri().query().unwrap_or_default().to_string();
    let pairs: Vec<&str> = query.split('&').filter(|pair| !pair.is_empty()).collect();
    if !pairs.iter().any(|pair| carries_error(pair)) {
        return next.run(request).await;
    }
    let login_session = request
        .extensions()
        .get::<tower_sessions::Session>()
        .cloned();
    let user = login_session_user(login_session.as_ref()).await;
    let sealed = match (
        only_value(&pairs, "__path"),
        only_value(&pairs, "__err"),
        only_value(&pairs, SEAL_PARAM),
    ) {
        (Some(function), Some(error), Some(seal)) => match state.link_seal().await {
            Ok(key) => key.verify(
                &seal,
                &user,
                chrono::Utc::now().timestamp(),
                &function,
                &error,
            ),
            Err(error) => {
                tracing::error!(%error, "the link seal key could not be read");
                false
            }
        },
        _ => false,
    };
    if sealed {
        return next.run(request).await;
    }
    let kept: Vec<&str> = pairs
        .iter()
        .copied()
        .filter(|pair| !carries_error(pair))
        .collect();
    let page = safe_local_path(request.uri().path()).unwrap_or("/");
    let target = with_query(page, &kept);
    (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
}

/// Any panic while answering a request becomes a plain 500, never a dropped connection.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "服务器暂时出错，请稍后重试",
    )
        .into_response()
}

/// Meetings end after this long without activity.
pub const LOGIN_SESSION_IDLE_HOURS: i64 = 8;

/// The cookie name: `__Host-` (Secure, Path=/, no Domain) whenever served over https.
pub fn login_session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-xingshen"
    } else {
        "xingshen_session"
    }
}

/// Where an address from before the 会次 were called meetings everywhere now lives: the
/// secretary's pages and downloads under `/sessions/…`, and the server functions that had
/// "session" in their names. Bookmarks keep working, and so does a form on a page loaded
/// before the upgrade (a 308 keeps its POST a POST).
pub fn moved_address(path: &str) -> Option<String> {
    const RENAMED_FUNCTIONS: &[(&str, &str)] = &[
        ("/api/my_branch_sessions", "/api/my_branch_meetings"),
        ("/api/create_session", "/api/create_meeting"),
        ("/api/session_dashboard", "/api/meeting_dashboard"),
        ("/api/session_template", "/api/meeting_template"),
        ("/api/save_session_template", "/api/save_meeting_template"),
        ("/api/session_report", "/api/meeting_report"),
    ];
    if let Some((_, new)) = RENAMED_FUNCTIONS.iter().find(|(old, _)| *old == path) {
        return Some((*new).to_string());
    }
    if path == "/sessions" || path == "/sessions/" {
        return Some("/meetings".to_string());
    }
    let rest = path.strip_prefix("/sessions/")?;
    match rest.split_once('/') {
        // The secretary's overview of a meeting was `/sessions/{id}`.
        None if !rest.is_empty() => Some(format!("/meetings/{rest}/materials")),
        Some((id, tail)) if !id.is_empty() => Some(format!("/meetings/{id}/{tail}")),
        _ => None,
    }
}

/// Answers an old address with a permanent redirect to its new one, query kept.
async fn redirect_moved(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let Some(new) = moved_address(request.uri().path()) else {
        return next.run(request).await;
    };
    let location = match request.uri().query() {
        Some(query) => format!("{new}?{query}"),
        None => new,
    };
    (
        StatusCode::PERMANENT_REDIRECT,
        [(header::LOCATION, location)],
    )
        .into_response()
}

/// Every route outside the Leptos app and its server functions: the files people download
/// (and the format tool's posted download). The access-matrix test walks this list, so a new
/// download cannot be added without saying who may fetch it.
pub fn download_routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    use crate::server::downloads;
    vec![
        (
            "/materials/{id}/download.docx",
            get(downloads::material_docx),
        ),
        (
            "/meetings/{id}/book.docx",
            get(downloads::meeting_book_docx),
        ),
        ("/meetings/{id}/book.zip", get(downloads::meeting_book_zip)),
        (
            "/meetings/{id}/package.zip",
            get(downloads::meeting_package),
        ),
        (
            "/meetings/{id}/summary.xlsx",
            get(downloads::meeting_summary_xlsx),
        ),
        (
            "/meetings/{id}/agenda.docx",
            get(downloads::meeting_agenda_docx),
        ),
        (
            "/meetings/{id}/preparation.docx",
            get(downloads::meeting_preparation_docx),
        ),
        (
            "/meetings/{id}/evaluation/notice.docx",
            get(downloads::evaluation_notice_docx),
        ),
        (
            "/meetings/{id}/evaluation/sheet.xlsx",
            get(downloads::evaluation_sheet_xlsx),
        ),
        (
            "/meetings/{id}/evaluation/sheet.docx",
            get(downloads::evaluation_sheet_docx),
        ),
        ("/ledger/mine.xlsx", get(downloads::my_ledger_xlsx)),
        ("/ledger/org.xlsx", get(downloads::org_ledger_xlsx)),
        ("/ledger/org.docx", get(downloads::org_ledger_docx)),
        ("/ledger/mine.docx", get(downloads::my_ledger_docx)),
        (
            "/ledger/branch/{id}/ledger.docx",
            get(downloads::branch_ledger_docx),
        ),
        (
            "/ledger/branch/{id}/ledger.xlsx",
            get(downloads::branch_ledger_xlsx),
        ),
        ("/ledger/evidence/{id}", get(downloads::ledger_evidence)),
        (
            "/meetings/{id}/rectification/plan.docx",
            get(downloads::rectification_plan_docx),
        ),
        (
            "/meetings/{id}/rectification/report.docx",
            get(downloads::rectification_report_docx),
        ),
        ("/calendar/{file}", get(downloads::calendar_feed)),
        ("/admin/packs/{file}", get(downloads::policy_pack_toml)),
        (
            "/format/download.docx",
            post(downloads::format_docx).layer(DefaultBodyLimit::max(
                crate::server::format::MAX_DRAFT_BYTES + 64 * 1024,
            )),
        ),
    ]
}

/// The app's routes, found once per process by rendering the route tree: building them
/// again while other pages render (several routers in one test process) has left pages
/// waiting forever.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let login_sessions = SessionManagerLayer::new(LoginSessionStore::new(state.store.clone()))
        .with_name(login_session_cookie_name(state.secure_cookies))
        .with_secure(state.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::hours(
            LOGIN_SESSION_IDLE_HOURS,
        )));
    let mut downloads = Router::new();
    for (path, route) in download_routes() {
        downloads = downloads.route(path, route);
    }
    downloads
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(crate::server::context::remember_actor))
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            settle_form_redirect,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            check_sealed_error,
        ))
        .layer(login_sessions)
        .layer(middleware::from_fn(require_multipart))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_REQUEST_BYTES,
        ))
        .layer(middleware::from_fn(redirect_moved))
        .layer(middleware::from_fn(require_same_origin))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(
            state.trusted_proxies.clone(),
            resolve_client,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_multipart_server_function_is_guarded() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().map(str::trim) {
                    if line.starts_with("#[server(") && line.contains("MultipartFormData") {
                        let endpoint = line
                            .split("endpoint = \"")
                            .nth(1)
                            .and_then(|rest| rest.split('"').next())
                            .expect("a multipart server function names its endpoint");
                        found.push(format!("/api/{endpoint}"));
                    }
                }
            }
        }
        let mut multipart = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server"),
            &mut multipart,
        );
        assert!(
            multipart.len() >= 6,
            "the scan finds the known ones: {multipart:?}"
        );
        for endpoint in multipart {
            assert!(
                MULTIPART_ENDPOINTS.contains(&endpoint.as_str()),
                "{endpoint} reads multipart but is not in MULTIPART_ENDPOINTS"
            );
        }
    }

    #[test]
    fn the_addresses_of_before_the_rename_lead_to_the_meeting_pages() {
        assert_eq!(moved_address("/sessions").as_deref(), Some("/meetings"));
        assert_eq!(
            moved_address("/sessions/m1").as_deref(),
            Some("/meetings/m1/materials")
        );
        assert_eq!(
            moved_address("/sessions/m1/opinions").as_deref(),
            Some("/meetings/m1/opinions")
        );
        assert_eq!(
            moved_address("/sessions/m1/book.docx").as_deref(),
            Some("/meetings/m1/book.docx")
        );
        assert_eq!(
            moved_address("/api/create_session").as_deref(),
            Some("/api/create_meeting")
        );
        assert_eq!(moved_address("/meetings/m1"), None);
        assert_eq!(moved_address("/sessionsx"), None);
        assert_eq!(moved_address("/sessions//x"), None);
        assert_eq!(moved_address("/api/create_meeting"), None);
    }

    #[test]
    fn an_absolute_address_splits_into_its_origin_and_path() {
        assert_eq!(
            split_origin("http://localhost/ledger?x=1#a"),
            (Some("http://localhost"), "/ledger?x=1#a")
        );
        assert_eq!(
            split_origin("https://x.example:8443"),
            (Some("https://x.example:8443"), "/")
        );
        assert_eq!(
            split_origin("/ledger?u=http://a"),
            (None, "/ledger?u=http://a")
        );
        assert_eq!(split_origin("https://me@evil.example/"), (None, "/"));
        assert_eq!(split_origin("javascript://x/%0aalert(1)").0, None);
    }

    #[test]
    fn error_parameters_are_dropped_and_the_rest_kept() {
        let path = "/login?next=/ledger&__path=%2Fapi%2Flogin&__err=e30%3D&__seal=1.ab#top";
        let kept: Vec<&str> = query_pairs(path)
            .filter(|pair| !carries_error(pair))
            .collect();
        assert_eq!(with_query(path, &kept), "/login?next=/ledger");
        assert_eq!(with_query("/login?__err=x", &[]), "/login");
        let pairs: Vec<&str> = query_pairs(path).collect();
        assert_eq!(only_value(&pairs, "__path").as_deref(), Some("/api/login"));
        assert_eq!(only_value(&["__err=a", "__err=b"], "__err"), None);
    }
}
