//! The groups of the administrator's organisation that hold meetings: 党支部 and 领导班子.

use super::AppError;
use crate::domain::org::GroupKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A branch as shown on the administration page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchView {
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
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
            kind: GroupKind::from_stored(row.kind.as_deref()),
            name: row.name,
            member_count: row.member_count,
            secretaries: row.secretaries,
        })
        .collect())
}

/// Creates a 党支部, or a 领导班子 when `kind` says so (a form without the field makes a 支部).
#[server(endpoint = "create_branch")]
pub async fn create_branch(name: String, #[server(default)] kind: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::{BranchName, policy::can_administer_org};

    let actor = actor().await?;
    let name = BranchName::parse(&name)?;
    let kind = GroupKind::from_form(&kind)?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    state()?
        .store
        .create_group(
            &actor.org_id,
            &name,
            kind,
            &audit(
                &actor,
                "branch.create",
                Some(format!("{}（{}）", name.as_str(), kind.label())),
            ),
        )
        .await?;
    Ok(())
}

/// Makes one of the organisation's groups a 党支部 or a 领导班子 (a 党组 set up as a 支部
/// before 班子 existed); members, meetings and ledger stay as they are.
#[server(endpoint = "set_group_kind")]
pub async fn set_group_kind(branch_id: String, kind: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::policy::can_administer_org;

    let actor = actor().await?;
    let kind = GroupKind::from_form(&kind)?;
    let store = &state()?.store;
    if !can_administer_org(&actor, &actor.org_id)
        || !store.branch_in_org(&actor.org_id, &branch_id).await?
    {
        return Err(AppError::NotFound);
    }
    store
        .set_group_kind(
            &branch_id,
            kind,
            &audit(
                &actor,
                "branch.kind",
                Some(format!("{branch_id} {}", kind.code())),
            ),
        )
        .await?;
    Ok(())
}
