//! The collective 班子对照检查材料 of a 民主生活会 (issue 28 item 2). The 主要负责人 starts it
//! and names who drafts it (themself or a 班子成员); the drafter writes it in the guided
//! editor like any material and hands it in for review; every 班子成员 taking part reads the
//! draft as it stands, comments on a part or an item, and reads each version's changes in
//! its 修订记录. Nobody outside the 班子 sees the draft.

use crate::domain::material::{Material, MaterialState};
use crate::domain::org::GroupKind;
use crate::domain::review::AnchorChoice;
use crate::server::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A 班子成员's comment on the draft, as shown to the 班子 and in the drafter's editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCommentView {
    pub author: String,
    pub version: i64,
    pub anchor_label: String,
    pub text: String,
    pub at: String,
}

/// A 班子成员 the 主要负责人 may name as drafter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrafterChoice {
    pub user_id: String,
    pub name: String,
}

/// The collective material as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectiveDraft {
    pub material_id: String,
    pub drafter_id: String,
    pub drafter: String,
    pub state: MaterialState,
    pub version: i64,
    pub updated_at: String,
    pub content: Material,
    /// The group template it is written from (for its layout on the page).
    pub template: crate::domain::template::Template,
    pub anchors: Vec<AnchorChoice>,
    pub comments: Vec<GroupCommentView>,
}

/// The page of the collective material for one 班子成员.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectiveView {
    pub meeting_id: String,
    pub meeting_title: String,
    pub group_kind: GroupKind,
    /// The actor is the 主要负责人: starts it and names the drafter.
    pub is_head: bool,
    /// The actor drafts it: edits it in the editor.
    pub is_drafter: bool,
    /// `None` until the 主要负责人 starts it.
    pub draft: Option<CollectiveDraft>,
    /// For the 主要负责人: who may draft it.
    pub drafters: Vec<DrafterChoice>,
}

/// The 民主生活会, if the actor is one of its 班子成员 (or its 主要负责人). A 组织生活会 has no
/// collective material here: "not found", like anything else one may not reach.
#[cfg(feature = "ssr")]
async fn group_meeting(
    store: &crate::store::Store,
    actor: &crate::domain::policy::Actor,
    meeting_id: &str,
) -> Result<crate::store::meetings::MeetingRecord, AppError> {
    use crate::domain::meeting::MeetingKind;

    let meeting = crate::server::access::participant_meeting(store, actor, meeting_id).await?;
    if meeting.kind != MeetingKind::LeadershipMeeting {
        return Err(AppError::NotFound);
    }
    Ok(meeting)
}

/// The comments on the collective material, each with the place it is about.
#[cfg(feature = "ssr")]
pub(crate) async fn comment_views(
    store: &crate::store::Store,
    material: &crate::store::materials::MaterialRecord,
) -> Result<Vec<GroupCommentView>, AppError> {
    use crate::domain::review::anchor_label;
    use crate::server::clock::china_time;

    Ok(store
        .group_comments(&material.id)
        .await?
        .into_iter()
        .map(|row| GroupCommentView {
            anchor_label: anchor_label(&material.content, &row.anchor)
                .unwrap_or_else(|| "全文".into()),
            author: row.author_name,
            version: row.version,
            text: row.text,
            at: china_time(row.at, "%Y-%m-%d %H:%M"),
        })
        .collect())
}

#[server(endpoint = "collective_material")]
pub async fn collective_material(meeting_id: String) -> Result<CollectiveView, AppError> {
    use crate::domain::policy::can_run_branch;
    use crate::domain::review::anchors;
    use crate::server::clock::china_time;
    use crate::server::context::{actor, state};
    use crate::store::collective::collective_key;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = group_meeting(store, &actor, &meeting_id).await?;
    let is_head = can_run_branch(&actor, &meeting.branch_id);
    let draft = match store.material(&collective_key(&meeting.id)).await? {
        Some(material) => Some(CollectiveDraft {
            drafter: store
                .find_user(&material.owner_id)
                .await?
                .map(|user| user.name)
                .unwrap_or_default(),
            comments: comment_views(store, &material).await?,
            anchors: anchors(&material.content),
            template: meeting.template_for(true).clone(),
            updated_at: china_time(material.updated_at, "%Y-%m-%d %H:%M"),
            material_id: material.id,
            drafter_id: material.owner_id,
            state: material.state,
            version: material.version,
            content: material.content,
        }),
        None => None,
    };
    let drafters = if is_head {
        store
            .branch_members(&meeting.branch_id)
            .await?
            .into_iter()
            .filter(|member| meeting.includes(&member.user_id) || member.role == "secretary")
            .map(|member| DrafterChoice {
                user_id: member.user_id,
                name: member.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(CollectiveView {
        is_drafter: draft
            .as_ref()
            .is_some_and(|d| d.drafter_id == actor.user_id),
        meeting_id: meeting.id,
        meeting_title: meeting.title,
        group_kind: meeting.group_kind,
        is_head,
        draft,
        drafters,
    })
}

/// The 主要负责人's check that `drafter_id` is one of the 班子 who may draft.
#[cfg(feature = "ssr")]
async fn checked_drafter(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
    drafter_id: &str,
) -> Result<String, AppError> {
    let member = store
        .branch_members(&meeting.branch_id)
        .await?
        .into_iter()
        .find(|member| member.user_id == drafter_id.trim());
    match member {
        Some(member) => Ok(member.user_id),
        None => Err(AppError::Invalid("起草人须是本班子的成员".into())),
    }
}

/// Starts the collective material from the year's 班子 pack and opens it for its drafter
/// (the 主要负责人 themself, or the 班子成员 named).
#[server(endpoint = "start_collective_material")]
pub async fn start_collective_material(
    meeting_id: String,
    #[server(default)] drafter_id: String,
) -> Result<String, AppError> {
    use crate::domain::editing::new_material;
    use crate::domain::pack::{MeetingType, Pack, newest_pack};
    use crate::domain::policy::can_run_branch;
    use crate::server::context::{actor, audit, state};
    use crate::server::packs::backend::org_effective_packs;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = group_meeting(store, &actor, &meeting_id).await?;
    if !can_run_branch(&actor, &meeting.branch_id) {
        return Err(AppError::NotFound);
    }
    let drafter = match drafter_id.trim() {
        "" => actor.user_id.clone(),
        chosen => checked_drafter(store, &meeting, chosen).await?,
    };
    let packs: Vec<Pack> = org_effective_packs(store, &actor.org_id)
        .await?
        .into_iter()
        .map(|p| p.pack)
        .collect();
    // The year's 班子 pack; without one, the meeting's own template (its parts and checks
    // still fit a 班子's material).
    let template = newest_pack(&packs, MeetingType::LeadershipGroup)
        .map(|pack| pack.template.clone())
        .unwrap_or_else(|| meeting.template.clone());
    let group = actor
        .memberships
        .iter()
        .find(|m| m.branch_id == meeting.branch_id)
        .map(|m| m.branch_name.clone())
        .unwrap_or_default();
    let content = new_material(
        &template,
        &format!("{}{}对照检查材料", group, meeting.title),
        &group,
    );
    let key = store
        .create_collective_material(
            &meeting.id,
            &drafter,
            &content,
            &template,
            &crate::store::new_key(),
            &audit(
                &actor,
                "material.collective.start",
                Some(meeting.id.clone()),
            ),
        )
        .await?;
    let next = if drafter == actor.user_id {
        format!("/materials/{key}")
    } else {
        format!("/meetings/{}/collective", meeting.id)
    };
    leptos_axum::redirect(&next);
    Ok(key)
}

/// The 主要负责人 hands the drafting to another 班子成员 (or takes it back).
#[server(endpoint = "set_collective_drafter")]
pub async fn set_collective_drafter(
    meeting_id: String,
    drafter_id: String,
) -> Result<(), AppError> {
    use crate::domain::policy::can_run_branch;
    use crate::server::context::{actor, audit, state};
    use crate::store::collective::collective_key;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = group_meeting(store, &actor, &meeting_id).await?;
    if !can_run_branch(&actor, &meeting.branch_id) {
        return Err(AppError::NotFound);
    }
    let key = collective_key(&meeting.id);
    store.material(&key).await?.ok_or(AppError::NotFound)?;
    let drafter = checked_drafter(store, &meeting, &drafter_id).await?;
    store
        .set_collective_drafter(
            &key,
            &drafter,
            &audit(
                &actor,
                "material.collective.drafter",
                Some(format!("{key} {drafter}")),
            ),
        )
        .await?;
    Ok(())
}

/// A 班子成员 comments on the draft as it stands: the whole, a part or an item.
#[server(endpoint = "comment_collective_material")]
pub async fn comment_collective_material(
    meeting_id: String,
    anchor: String,
    text: String,
) -> Result<(), AppError> {
    use crate::domain::review::{anchors, comment_text};
    use crate::server::context::{actor, state};
    use crate::store::collective::collective_key;

    let actor = actor().await?;
    let text = comment_text(&text)?;
    let store = &state()?.store;
    let meeting = group_meeting(store, &actor, &meeting_id).await?;
    let material = store
        .material(&collective_key(&meeting.id))
        .await?
        .ok_or(AppError::NotFound)?;
    let anchor = anchor.trim();
    if !anchors(&material.content)
        .iter()
        .any(|choice| choice.code == anchor)
    {
        return Err(AppError::Invalid(
            "所选位置已不在材料中（材料刚刚修改过），请刷新后重新选择".into(),
        ));
    }
    store
        .add_group_comment(
            &material.id,
            &actor.user_id,
            material.version,
            anchor,
            &text,
        )
        .await?;
    Ok(())
}
