//! Branches (党支部) of the administrator's organisation.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A branch as shown on the administration page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchView {
    pub id: String,
    pub name: String,
    pub member_count: i64,
    pub secretaries: Vec<String>,
}

#[server(endpoint = "list_branches")]
pub async fn list_branches() -> Result<Vec<BranchView>, AppError> {
    use super::context::{actor, state};
    use crate::domain::policy::can_administer_org;

    let actor = actor().await?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    let rows = state()?.store.list_branches(&actor.org_id).await?;
    Ok(rows
        .into_iter()
        .map(|row| BranchView {
            id: row.id,
            name: row.name,
            member_count: row.member_count,
            secretaries: row.secretaries,
        })
        .collect())
}

#[server(endpoint = "create_branch")]
pub async fn create_branch(name: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::{BranchName, policy::can_administer_org};

    let actor = actor().await?;
    let name = BranchName::parse(&name)?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    state()?
        .store
        .create_branch(
            &actor.org_id,
            &name,
            &audit(&actor, "branch.create", Some(name.as_str().to_string())),
        )
        .await?;
    Ok(())
}
