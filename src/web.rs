//! The HTTP application: pages, server functions and static files behind the session,
//! same-origin and security-header layers.

use crate::app::{App, shell};
use crate::auth::{headers::security_headers, origin::require_same_origin};
use crate::server::context::AppState;
use crate::store::sessions::SurrealSessionStore;
use axum::Router;
use axum::extract::DefaultBodyLimit;
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
const MULTIPART_ENDPOINTS: [&str; 5] = [
    "/api/save_material_step",
    "/api/import_material",
    "/api/attach_ledger_evidence",
    "/api/import_roster",
    "/api/recognise_draft",
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
/// or an expired session would look like a failure of the server to every proxy and log.
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

/// A form posted without JavaScript that went through is sent back to its page; this marks
/// the address with the server function (`?__done=/api/…`, as the islands do when they load
/// the page again) so the page can say it was saved. A refusal already carries its error
/// there, and a function that chose where to go is left alone.
async fn mark_done(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use crate::ui::components::post_form::marked_done;
    use axum::http::{HeaderValue, Method, header};
    let function = (request.method() == Method::POST && request.uri().path().starts_with("/api/"))
        .then(|| request.uri().path().to_string());
    let mut response = next.run(request).await;
    let Some(function) = function else {
        return response;
    };
    let back_to_the_form = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        // Server_fn sends the browser back to the Referer, which is always absolute; the
        // functions' own redirects are paths.
        .filter(|location| location.starts_with("http") && !location.contains("__err="))
        .map(|location| marked_done(location, &function));
    if response.status().is_redirection()
        && let Some(marked) = back_to_the_form
        && let Ok(value) = HeaderValue::from_str(&marked)
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
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

/// Sessions end after this long without activity.
pub const SESSION_IDLE_HOURS: i64 = 8;

/// The cookie name: `__Host-` (Secure, Path=/, no Domain) whenever served over https.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-xingshen"
    } else {
        "xingshen_session"
    }
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
            "/sessions/{id}/book.docx",
            get(downloads::session_book_docx),
        ),
        ("/sessions/{id}/book.zip", get(downloads::session_book_zip)),
        (
            "/sessions/{id}/package.zip",
            get(downloads::session_package),
        ),
        (
            "/sessions/{id}/summary.xlsx",
            get(downloads::session_summary_xlsx),
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
    let sessions = SessionManagerLayer::new(SurrealSessionStore::new(state.store.clone()))
        .with_name(session_cookie_name(state.secure_cookies))
        .with_secure(state.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::hours(SESSION_IDLE_HOURS)));
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
        .layer(middleware::from_fn(mark_done))
        .layer(sessions)
        .layer(middleware::from_fn(require_multipart))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_REQUEST_BYTES,
        ))
        .layer(middleware::from_fn(require_same_origin))
        .layer(middleware::from_fn(security_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .with_state(state)
}
