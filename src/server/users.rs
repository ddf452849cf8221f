//! Accounts of the administrator's organisation.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An account as shown on the administration page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub login: String,
    pub name: String,
    pub post: Option<String>,
    pub is_org_admin: bool,
    pub disabled: bool,
    /// (branch name, role label)
    pub memberships: Vec<(String, String)>,
}

/// A password generated for someone, shown once to the administrator and never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub name: String,
    pub login: String,
    pub password: String,
}

/// The role picked on the "new account" form.
#[cfg(feature = "ssr")]
enum AccountKind {
    BranchRole(crate::domain::Role),
    OrgAdmin,
}

#[cfg(feature = "ssr")]
fn parse_account_kind(raw: &str) -> Result<AccountKind, AppError> {
    match raw {
        "admin" => Ok(AccountKind::OrgAdmin),
        other => Ok(AccountKind::BranchRole(crate::domain::Role::from_form(
            other,
        )?)),
    }
}

#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserView>, AppError> {
    use super::context::{actor, state};
    use crate::domain::policy::can_administer_org;

    let actor = actor().await?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    let users = state()?.store.list_users(&actor.org_id).await?;
    Ok(users
        .into_iter()
        .map(|user| UserView {
            id: user.id,
            login: user.login,
            name: user.name,
            post: user.post,
            is_org_admin: user.is_org_admin,
            disabled: user.disabled,
            memberships: user
                .memberships
                .into_iter()
                .map(|(branch, role)| (branch, role.label().to_string()))
                .collect(),
        })
        .collect())
}

#[server(endpoint = "create_user")]
pub async fn create_user(
    name: String,
    login: String,
    post: String,
    role: String,
    branch_id: Option<String>,
) -> Result<IssuedPassword, AppError> {
    use super::context::{actor, audit, state};
    use crate::auth::password;
    use crate::domain::{LoginName, PersonName, Post, policy::can_administer_org};
    use crate::store::users::NewUser;
    use secrecy::ExposeSecret;

    let actor = actor().await?;
    let name = PersonName::parse(&name)?;
    let login = LoginName::parse(&login)?;
    let post = Post::parse(&post)?;
    let kind = parse_account_kind(&role)?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    let state = state()?;
    let branch = match kind {
        AccountKind::OrgAdmin => None,
        AccountKind::BranchRole(role) => {
            let branch_id = branch_id
                .filter(|id| !id.is_empty())
                .ok_or_else(|| AppError::Invalid("请选择所在支部".into()))?;
            if !super::access::administers_branch(&state.store, &actor, &branch_id).await? {
                return Err(AppError::Invalid("所选支部不存在，请刷新页面后重选".into()));
            }
            Some((branch_id, role))
        }
    };
    let initial = password::generate_initial();
    let hash = password::hash(initial.clone()).await.map_err(|detail| {
        tracing::error!(%detail, "password hashing failed");
        AppError::Internal
    })?;
    state
        .store
        .create_users(
            &actor.org_id,
            vec![NewUser {
                login: login.clone(),
                name: name.clone(),
                post,
                password_hash: hash,
                is_org_admin: matches!(kind, AccountKind::OrgAdmin),
                must_change_password: true,
                branch,
            }],
            &audit(&actor, "user.create", Some(login.as_str().to_string())),
        )
        .await?;
    Ok(IssuedPassword {
        name: name.as_str().to_string(),
        login: login.as_str().to_string(),
        password: initial.expose_secret().to_string(),
    })
}

/// Loads an account of the administrator's node or of a node below it, or "not found".
#[cfg(feature = "ssr")]
async fn account_in_org(
    actor: &crate::domain::policy::Actor,
    user_id: &str,
) -> Result<crate::store::users::UserRecord, AppError> {
    let store = &super::context::state()?.store;
    let user = store.find_user(user_id).await?.ok_or(AppError::NotFound)?;
    if !super::access::administers_node(store, actor, &user.org).await? {
        return Err(AppError::NotFound);
    }
    Ok(user)
}

#[server(endpoint = "reset_user_password")]
pub async fn reset_user_password(user_id: String) -> Result<IssuedPassword, AppError> {
    use super::context::{actor, audit, state};
    use crate::auth::password;
    use secrecy::ExposeSecret;

    let actor = actor().await?;
    let user = account_in_org(&actor, &user_id).await?;
    let initial = password::generate_initial();
    let hash = password::hash(initial.clone()).await.map_err(|detail| {
        tracing::error!(%detail, "password hashing failed");
        AppError::Internal
    })?;
    state()?
        .store
        .set_password(
            &user.id,
            hash,
            true,
            None,
            &audit(&actor, "user.reset_password", Some(user.login.clone())),
        )
        .await?;
    Ok(IssuedPassword {
        name: user.name,
        login: user.login,
        password: initial.expose_secret().to_string(),
    })
}

#[server(endpoint = "set_user_disabled")]
pub async fn set_user_disabled(user_id: String, disabled: bool) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let user = account_in_org(&actor, &user_id).await?;
    if disabled && user.id == actor.user_id {
        return Err(AppError::Invalid("不能停用自己的账号".into()));
    }
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    state()?
        .store
        .set_user_disabled(&user.id, disabled, &audit(&actor, action, Some(user.login)))
        .await?;
    Ok(())
}
