//! What every server function needs from the request: the app state, the login session, the
//! logged-in actor and the client address.

use super::AppError;
use crate::auth::link_seal::LinkSeal;
use crate::auth::throttle::{LoginThrottle, ToolThrottle};
use crate::domain::policy::Actor;
use crate::store::login_sessions::USER_ID_KEY;
use crate::store::{AuditEntry, Store};
use axum::extract::{ConnectInfo, FromRef};
use leptos::prelude::{LeptosOptions, use_context};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tower_sessions::Session;

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub throttle: Arc<LoginThrottle>,
    /// For the public tools that need no account.
    pub tool_throttle: Arc<ToolThrottle>,
    /// Where every uploaded file is read: off the async threads, a few at a time.
    pub uploads: Arc<super::uploads::UploadGate>,
    /// Served over https (behind a TLS proxy): `Secure` + `__Host-` cookies.
    pub secure_cookies: bool,
    /// How long a login lasts however active it is (the idle expiry is the session layer's).
    pub login_session_max_age: chrono::Duration,
    /// Proxies whose `X-Forwarded-For` names the client; none unless configured.
    pub trusted_proxies: Arc<crate::auth::client_address::TrustedProxies>,
    /// Days an initial or reset password logs in before the person has replaced it.
    pub initial_password_days: u32,
    /// The key sealing error texts carried in page addresses, read from the store once.
    pub link_seal: Arc<tokio::sync::OnceCell<LinkSeal>>,
}

impl AppState {
    /// How many days an initial or reset password logs in unless configured otherwise.
    pub const DEFAULT_INITIAL_PASSWORD_DAYS: u32 = 7;

    /// The installation's key for sealing error texts in page addresses.
    pub async fn link_seal(&self) -> Result<&LinkSeal, crate::store::StoreError> {
        self.link_seal
            .get_or_try_init(|| async {
                let secret = self.store.link_seal_secret().await?;
                Ok::<_, crate::store::StoreError>(LinkSeal::new(secret.as_bytes()))
            })
            .await
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Session key of the last time the session was refreshed, in unix seconds.
const LAST_SEEN_KEY: &str = "last_seen";
/// Session key of when the person logged in, in unix seconds.
const LOGGED_IN_AT_KEY: &str = "logged_in_at";
/// Refresh the inactivity expiry at most this often, so reads do not write every time.
const REFRESH_AFTER_SECONDS: i64 = 300;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        // A page's resources run on after its client hung up and the page's reactive owner
        // is gone; nobody waits for their answer. Anywhere else this is a reactive-owner
        // bug, which the backtrace (at debug level) locates.
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::debug!(%backtrace, "AppState missing from the server-function context");
        tracing::warn!("AppState missing: a page rendering for a client that went away?");
        AppError::Internal
    })
}

pub async fn login_session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|error| {
        tracing::error!(%error, "login session layer missing");
        AppError::Internal
    })
}

/// The logged-in person of one request, looked up once: a page's resources (header, page
/// data, checks) each ask for it while the page renders. Put in every request's extensions
/// by [`remember_actor`]; emptied when the request logs in or out.
#[derive(Clone, Default)]
pub struct ActorMemo(Arc<tokio::sync::Mutex<Option<Option<Actor>>>>);

/// Middleware: gives the request an empty [`ActorMemo`].
pub async fn remember_actor(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    request.extensions_mut().insert(ActorMemo::default());
    next.run(request).await
}

fn actor_memo() -> Option<ActorMemo> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<ActorMemo>()
        .cloned()
}

/// Forgets who this request's person is, after it logged in or out.
async fn forget_actor() {
    if let Some(memo) = actor_memo() {
        *memo.0.lock().await = None;
    }
}

/// The logged-in person, or `None`. A disabled or deleted account counts as logged out
/// and its session is ended here.
pub async fn optional_actor() -> Result<Option<Actor>, AppError> {
    let Some(memo) = actor_memo() else {
        return look_up_actor().await;
    };
    // Held across the lookup, so the resources of one page wait for the first one's answer
    // instead of each asking the database.
    let mut known = memo.0.lock().await;
    if let Some(actor) = &*known {
        return Ok(actor.clone());
    }
    let actor = look_up_actor().await?;
    *known = Some(actor.clone());
    Ok(actor)
}

/// The account a session is logged in as. A session older than `max_age` since its login
/// is ended here, however active it was: a stolen cookie does not live for ever. (Sessions
/// from before logins were dated get this request's time as their start.)
pub async fn login_session_user(
    login_session: &Session,
    max_age: chrono::Duration,
) -> Result<Option<String>, AppError> {
    let user_id: Option<String> = login_session
        .get(USER_ID_KEY)
        .await
        .map_err(login_session_error)?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp();
    let logged_in_at: Option<i64> = login_session
        .get(LOGGED_IN_AT_KEY)
        .await
        .map_err(login_session_error)?;
    match logged_in_at {
        Some(at) if now - at > max_age.num_seconds() => {
            login_session.flush().await.map_err(login_session_error)?;
            Ok(None)
        }
        Some(_) => Ok(Some(user_id)),
        None => {
            login_session
                .insert(LOGGED_IN_AT_KEY, now)
                .await
                .map_err(login_session_error)?;
            Ok(Some(user_id))
        }
    }
}

async fn look_up_actor() -> Result<Option<Actor>, AppError> {
    let state = state()?;
    let login_session = login_session().await?;
    let Some(user_id) = login_session_user(&login_session, state.login_session_max_age).await?
    else {
        return Ok(None);
    };
    let Some(actor) = state.store.actor(&user_id).await? else {
        login_session.flush().await.map_err(login_session_error)?;
        return Ok(None);
    };
    let now = chrono::Utc::now().timestamp();
    let last_seen: i64 = login_session
        .get(LAST_SEEN_KEY)
        .await
        .map_err(login_session_error)?
        .unwrap_or(0);
    if now - last_seen > REFRESH_AFTER_SECONDS {
        login_session
            .insert(LAST_SEEN_KEY, now)
            .await
            .map_err(login_session_error)?;
    }
    Ok(Some(actor))
}

/// The logged-in person; `Unauthenticated` otherwise. While the account still has an
/// initial or reset password, `PasswordChangeRequired`: whoever issued or saw that password
/// (an administrator) must not be able to act as the person with it. Every server function
/// asks here, so none of them needs to remember the rule.
pub async fn actor() -> Result<Actor, AppError> {
    let actor = actor_changing_password().await?;
    if actor.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(actor)
}

/// The logged-in person, even while they must still replace an initial or reset password:
/// for changing that password only.
pub async fn actor_changing_password() -> Result<Actor, AppError> {
    optional_actor().await?.ok_or(AppError::Unauthenticated)
}

/// Starts a logged-in session under a new id (no session fixation).
pub async fn begin_login_session(login_session: &Session, user_id: &str) -> Result<(), AppError> {
    forget_actor().await;
    login_session
        .cycle_id()
        .await
        .map_err(login_session_error)?;
    login_session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(login_session_error)?;
    let now = chrono::Utc::now().timestamp();
    login_session
        .insert(LOGGED_IN_AT_KEY, now)
        .await
        .map_err(login_session_error)?;
    login_session
        .insert(LAST_SEEN_KEY, now)
        .await
        .map_err(login_session_error)
}

/// Ends the request's session: logout.
pub async fn end_login_session(login_session: &Session) -> Result<(), AppError> {
    forget_actor().await;
    login_session.flush().await.map_err(login_session_error)
}

pub fn login_session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "login session store failure");
    AppError::Internal
}

/// The client's address: the peer's, or behind a trusted proxy the client it names.
pub fn client_ip() -> Option<IpAddr> {
    request_client_ip(&use_context::<http::request::Parts>()?.extensions)
}

/// The client's address as the router settled it for this request.
pub fn request_client_ip(extensions: &http::Extensions) -> Option<IpAddr> {
    use crate::auth::client_address::ClientAddress;
    extensions
        .get::<ClientAddress>()
        .map(|ClientAddress(address)| *address)
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip())
        })
}

/// An audit row for an action by this actor from this request's client.
pub fn audit(actor: &Actor, action: &'static str, target: Option<String>) -> AuditEntry {
    audit_from(client_ip(), actor, action, target)
}

/// An audit row as [`audit`] writes it, from a client the caller names: the plain download
/// routes have no Leptos context for [`client_ip`] to read it from.
pub fn audit_from(
    client: Option<IpAddr>,
    actor: &Actor,
    action: &'static str,
    target: Option<String>,
) -> AuditEntry {
    AuditEntry {
        org_id: Some(actor.org_id.clone()),
        actor_id: Some(actor.user_id.clone()),
        action,
        target,
        detail: None,
        ip: client.map(|ip| ip.to_string()),
    }
}
