//! Logging in and out, the current user, and changing one's own password.

use super::AppError;
use crate::domain::local_path::safe_local_path;
use crate::domain::policy::Actor;
use leptos::prelude::*;

/// Only paths of this site are followed after login ([`safe_local_path`]), so a crafted
/// link cannot send a person to another site; nor to a server function's address.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(safe_local_path)
        .filter(|path| !path.starts_with("/api/"))
        .unwrap_or("/")
        .to_string()
}

#[cfg(feature = "ssr")]
fn throttled(wait: crate::auth::throttle::RetryAfter) -> AppError {
    AppError::Throttled {
        seconds: wait.0.as_secs().max(1),
    }
}

/// Where a person replaces their password; the one page open while they must.
pub const PASSWORD_PAGE: &str = "/account/password";

/// The one message for an unknown login name and a wrong password alike.
pub const BAD_CREDENTIALS: &str = "登录名或密码不正确";

#[server(endpoint = "login")]
pub async fn login(login: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::context::{begin_login_session, client_ip, login_session, state};
    use crate::auth::password;
    use crate::domain::LoginName;
    use crate::domain::account::{check_login_bounds, issued_password_expired};
    use crate::store::AuditEntry;
    use secrecy::SecretString;

    check_login_bounds(&login, &password)?;
    let state = state()?;
    let login_session = login_session().await?;
    let ip = client_ip();
    let attempt = state.throttle.attempt(&login, ip).map_err(throttled)?;
    // Only a well-formed login name is ever written down: what does not parse may be a
    // password typed into the wrong field.
    let name = LoginName::parse(&login).ok();
    let account = match &name {
        Some(name) => state.store.find_user_by_login(name).await?,
        None => None,
    };
    let password = SecretString::from(password);
    let verified =
        password::verify(password, account.as_ref().map(|a| a.password_hash.clone())).await;
    let audit = |action, org_id: Option<String>, actor_id: Option<String>| AuditEntry {
        org_id,
        actor_id,
        action,
        target: name.as_ref().map(|name| name.as_str().to_string()),
        detail: None,
        ip: ip.map(|ip| ip.to_string()),
    };
    let account = match account {
        Some(account) if verified => account,
        other => {
            attempt.failed();
            let (org, id) = other.map(|a| (Some(a.org), Some(a.id))).unwrap_or_default();
            state
                .store
                .record_audit(&audit("login.failed", org, id))
                .await?;
            return Err(AppError::Invalid(BAD_CREDENTIALS.into()));
        }
    };
    if account.disabled {
        state
            .store
            .record_audit(&audit(
                "login.disabled",
                Some(account.org),
                Some(account.id),
            ))
            .await?;
        return Err(AppError::Invalid("该账号已停用，请联系组织管理员".into()));
    }
    let lifetime = state.initial_password_days;
    if account.must_change_password
        && issued_password_expired(
            account.password_set_at,
            chrono::Utc::now().timestamp(),
            lifetime,
        )
    {
        state
            .store
            .record_audit(&audit(
                "login.expired_password",
                Some(account.org),
                Some(account.id),
            ))
            .await?;
        return Err(AppError::Invalid(format!(
            "初始密码已过期（有效期 {lifetime} 天），请联系组织管理员重新生成密码"
        )));
    }
    begin_login_session(&login_session, &account.id).await?;
    state
        .store
        .record_audit(&audit("login.ok", Some(account.org), Some(account.id)))
        .await?;
    // Nothing else opens until an initial or reset password is replaced: go there first.
    let target = if account.must_change_password {
        PASSWORD_PAGE.to_string()
    } else {
        safe_next(next.as_deref())
    };
    leptos_axum::redirect(&target);
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::context::{audit, end_login_session, login_session, optional_actor, state};

    let state = state()?;
    let actor = optional_actor().await?;
    end_login_session(&login_session().await?).await?;
    if let Some(actor) = actor {
        state
            .store
            .record_audit(&audit(&actor, "logout", Some(actor.login.clone())))
            .await?;
    }
    if state.secure_cookies {
        // tower-sessions' removal cookie lacks `Secure`, which browsers require to
        // overwrite a `__Host-` cookie; send a proper one.
        let response = expect_context::<leptos_axum::ResponseOptions>();
        response.append_header(
            http::header::SET_COOKIE,
            http::HeaderValue::from_static(
                "__Host-xingshen=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict",
            ),
        );
    }
    leptos_axum::redirect("/login");
    Ok(())
}

/// The logged-in person, or `None` for a visitor.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<Actor>, AppError> {
    super::context::optional_actor().await
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use super::context::{actor_changing_password, audit, login_session, state};
    use crate::auth::password;
    use crate::domain::account::MAX_TYPED_PASSWORD;
    use crate::domain::{LoginName, NewPassword};
    use crate::store::login_sessions::login_session_key;
    use secrecy::SecretString;

    let actor = actor_changing_password().await?;
    // No password is that long: refused before it is hashed.
    if current.chars().count() > MAX_TYPED_PASSWORD {
        return Err(AppError::Invalid("当前密码不正确".into()));
    }
    let state = state()?;
    let login = LoginName::parse(&actor.login)?;
    let new = NewPassword::parse(&new, &confirm, &login)?;
    let account = state
        .store
        .find_user(&actor.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let stored = account.password_hash;
    // A stolen session must not become a way to guess the password.
    let attempt = state
        .throttle
        .attempt(&actor.login, super::context::client_ip())
        .map_err(throttled)?;
    if !password::verify(SecretString::from(current), Some(stored.clone())).await {
        attempt.failed();
        return Err(AppError::Invalid("当前密码不正确".into()));
    }
    drop(attempt);
    if password::verify(SecretString::from(new.expose().to_string()), Some(stored)).await {
        return Err(AppError::Invalid("新密码不能与当前密码相同".into()));
    }
    let hash = password::hash(SecretString::from(new.expose().to_string()))
        .await
        .map_err(|detail| {
            tracing::error!(%detail, "password hashing failed");
            AppError::Internal
        })?;
    let keep = login_session().await?.id().map(|id| login_session_key(&id));
    state
        .store
        .set_password(
            &actor.user_id,
            hash,
            false,
            keep,
            &audit(&actor, "password.change", Some(actor.login.clone())),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.org")), "/");
        assert_eq!(safe_next(Some("/\\evil.org")), "/");
        assert_eq!(safe_next(Some("https://evil.org")), "/");
        assert_eq!(safe_next(Some("/api/logout")), "/");
        assert_eq!(safe_next(Some("/%2F%2Fevil.org")), "/");
        assert_eq!(safe_next(Some("/%09/evil.org")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
