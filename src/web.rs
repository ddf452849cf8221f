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

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
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
    Router::new()
        .route(
            "/materials/{id}/download.docx",
            get(crate::server::downloads::material_docx),
        )
        .route(
            "/sessions/{id}/book.docx",
            get(crate::server::downloads::session_book_docx),
        )
        .route(
            "/sessions/{id}/book.zip",
            get(crate::server::downloads::session_book_zip),
        )
        .route(
            "/sessions/{id}/package.zip",
            get(crate::server::downloads::session_package),
        )
        .route(
            "/sessions/{id}/summary.xlsx",
            get(crate::server::downloads::session_summary_xlsx),
        )
        .route(
            "/ledger/mine.xlsx",
            get(crate::server::downloads::my_ledger_xlsx),
        )
        .route(
            "/ledger/org.xlsx",
            get(crate::server::downloads::org_ledger_xlsx),
        )
        .route(
            "/ledger/org.docx",
            get(crate::server::downloads::org_ledger_docx),
        )
        .route(
            "/ledger/mine.docx",
            get(crate::server::downloads::my_ledger_docx),
        )
        .route(
            "/ledger/branch/{id}/ledger.docx",
            get(crate::server::downloads::branch_ledger_docx),
        )
        .route(
            "/ledger/branch/{id}/ledger.xlsx",
            get(crate::server::downloads::branch_ledger_xlsx),
        )
        .route(
            "/ledger/evidence/{id}",
            get(crate::server::downloads::ledger_evidence),
        )
        .route(
            "/calendar/{file}",
            get(crate::server::downloads::calendar_feed),
        )
        .route(
            "/format/download.docx",
            post(crate::server::downloads::format_docx).layer(DefaultBodyLimit::max(
                crate::server::format::MAX_DRAFT_BYTES + 64 * 1024,
            )),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(require_same_origin))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}
