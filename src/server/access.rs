//! Access guards: each loads one thing and hands it over only to an actor who may see or
//! change it. To anyone else the thing does not exist: `NotFound`, the same answer as for
//! an id that was never issued, so a guessed id tells nothing (STYLE habit 4).
//!
//! One signature: `guard(store, actor, id) -> Result<Thing, AppError>`. The rules they
//! apply are the pure ones of `domain::policy`; the guards add the loading.

use super::AppError;
use crate::domain::cycle::SurveyScope;
use crate::domain::ledger::Standing;
use crate::domain::material::Material;
use crate::domain::policy::{Actor, can_run_branch};
use crate::store::Store;
use crate::store::cycle::{CycleSettings, OpinionRow};
use crate::store::ledger::LedgerItem;
use crate::store::materials::MaterialRecord;
use crate::store::meetings::{MeetingRecord, ReviewRow, ReviewStage};

/// A material for its author; anyone else gets "not found".
pub async fn own_material(
    store: &Store,
    actor: &Actor,
    material_id: &str,
) -> Result<MaterialRecord, AppError> {
    let material = store
        .material(material_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if material.owner_id != actor.user_id {
        return Err(AppError::NotFound);
    }
    Ok(material)
}

/// A material whose 修订记录 the actor may read: their own, or the collective 班子对照检查材料
/// of a 民主生活会 they take part in (the 班子 follows every version of it).
pub async fn history_material(
    store: &Store,
    actor: &Actor,
    material_id: &str,
) -> Result<MaterialRecord, AppError> {
    let material = store
        .material(material_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if material.owner_id == actor.user_id {
        return Ok(material);
    }
    if material.collective {
        participant_meeting(store, actor, &material.meeting_id).await?;
        return Ok(material);
    }
    Err(AppError::NotFound)
}

/// A meeting, whoever asks: for guards and for the owner of a thing already checked.
pub async fn meeting(store: &Store, meeting_id: &str) -> Result<MeetingRecord, AppError> {
    store.meeting(meeting_id).await?.ok_or(AppError::NotFound)
}

/// The meeting, if the actor is the secretary of its branch.
pub async fn secretary_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = meeting(store, meeting_id).await?;
    if !can_run_branch(actor, &meeting.branch_id) {
        return Err(AppError::NotFound);
    }
    Ok(meeting)
}

/// The meeting, if the actor takes part in it (or runs its branch).
pub async fn participant_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = meeting(store, meeting_id).await?;
    let takes_part =
        actor.role_in(&meeting.branch_id).is_some() && meeting.includes(&actor.user_id);
    if takes_part || can_run_branch(actor, &meeting.branch_id) {
        Ok(meeting)
    } else {
        Err(AppError::NotFound)
    }
}

/// The meeting, if the actor is one of its members (its secretary only when also a member
/// of it): the people who write a material for it.
pub async fn member_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = meeting(store, meeting_id).await?;
    if actor.role_in(&meeting.branch_id).is_none() || !meeting.includes(&actor.user_id) {
        return Err(AppError::NotFound);
    }
    Ok(meeting)
}

/// The meeting, if the actor oversees its branch's ledger (see [`oversees`]).
pub async fn overseen_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = meeting(store, meeting_id).await?;
    if !oversees(store, actor, &meeting.branch_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(meeting)
}

/// The meeting and its 会前会后 settings, if the actor may answer its 征求意见: one of its
/// participants, or anyone of the organisation when the survey is open to the whole of it.
pub async fn survey_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<(MeetingRecord, CycleSettings), AppError> {
    let meeting = meeting(store, meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let takes_part =
        actor.role_in(&meeting.branch_id).is_some() && meeting.includes(&actor.user_id);
    let may = takes_part
        || (settings.survey_scope == SurveyScope::Org
            && store
                .branch_in_org(&actor.org_id, &meeting.branch_id)
                .await?);
    if !may {
        return Err(AppError::NotFound);
    }
    Ok((meeting, settings))
}

/// An opinion released to the actor, its recipient.
pub async fn received_opinion(
    store: &Store,
    actor: &Actor,
    opinion_id: &str,
) -> Result<OpinionRow, AppError> {
    store
        .opinion(opinion_id)
        .await?
        .filter(|o| o.recipient_id == actor.user_id && o.released)
        .ok_or(AppError::NotFound)
}

/// An opinion the actor may remove: its giver, or the secretary of its meeting's branch.
pub async fn removable_opinion(
    store: &Store,
    actor: &Actor,
    opinion_id: &str,
) -> Result<OpinionRow, AppError> {
    let opinion = store.opinion(opinion_id).await?.ok_or(AppError::NotFound)?;
    let meeting = meeting(store, &opinion.meeting_id).await?;
    let may = can_run_branch(actor, &meeting.branch_id)
        || opinion.giver_id.as_deref() == Some(actor.user_id.as_str());
    if !may {
        return Err(AppError::NotFound);
    }
    Ok(opinion)
}

/// The meeting, if the actor is its secretary or its designated recorder.
pub async fn recorder_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = participant_meeting(store, actor, meeting_id).await?;
    let recorder = store.cycle_settings(&meeting.id).await?.recorder;
    if can_run_branch(actor, &meeting.branch_id)
        || recorder.as_deref() == Some(actor.user_id.as_str())
    {
        Ok(meeting)
    } else {
        Err(AppError::NotFound)
    }
}

/// A material under review, as its reviewer reaches it.
pub struct UnderReview {
    pub material: MaterialRecord,
    pub meeting: MeetingRecord,
    /// The round submitted last.
    pub round: i64,
    /// That round's content: what the reviewer reads (never the current draft).
    pub content: Material,
    /// The stage the actor decides in.
    pub stage: ReviewStage,
    /// Every decision taken on the material so far, oldest first.
    pub reviews: Vec<ReviewRow>,
}

/// A material under review, if the actor reviews its meeting (the branch's secretary, or
/// the meeting's second reviewer) and a round of it was submitted. A material never
/// submitted does not exist for a reviewer, and for the second reviewer a round exists only
/// once the secretary approved it: the stages go in order.
pub async fn reviewable_material(
    store: &Store,
    actor: &Actor,
    material_id: &str,
) -> Result<UnderReview, AppError> {
    let material = store
        .material(material_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let meeting = meeting(store, &material.meeting_id).await?;
    let stage = reviewer_stage(actor, &meeting).ok_or(AppError::NotFound)?;
    let (round, content) = store
        .latest_submission(material_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reviews = store.reviews(material_id).await?;
    if stage == ReviewStage::Second && !secretary_approved(&reviews, round) {
        return Err(AppError::NotFound);
    }
    // A 督导组 member reviews only while they supervise the meeting.
    let is_second_reviewer = meeting.second_reviewer.as_deref() == Some(actor.user_id.as_str());
    if stage == ReviewStage::Second
        && !is_second_reviewer
        && !supervises(store, actor, &meeting).await?
    {
        return Err(AppError::NotFound);
    }
    Ok(UnderReview {
        material,
        meeting,
        round,
        content,
        stage,
        reviews,
    })
}

/// Which stage of the review the actor decides in this meeting, if any: the branch's
/// secretary decides first; after them the meeting's second reviewer, or any member of its
/// 督导组 where the template puts the meeting under the 上级's eye
/// (`plan_approval_required`). [`reviewable_material`] adds the 督导组's time limit.
pub fn reviewer_stage(actor: &Actor, meeting: &MeetingRecord) -> Option<ReviewStage> {
    let supervisors_review =
        meeting.template.plan_approval_required && !meeting.supervisors.is_empty();
    if can_run_branch(actor, &meeting.branch_id) {
        Some(ReviewStage::Secretary {
            second_follows: meeting.second_reviewer.is_some() || supervisors_review,
        })
    } else if meeting.second_reviewer.as_deref() == Some(actor.user_id.as_str())
        || (supervisors_review && meeting.supervisors.contains(&actor.user_id))
    {
        Some(ReviewStage::Second)
    } else {
        None
    }
}

/// Whether the actor is a member of the meeting's 督导组 and still sees it: until its 整改
/// is over (every ledger item 已销号 or 长期坚持; a meeting without items is not over). The
/// one check of a 督导组 member's reach (issue 28): every read and action of theirs goes
/// through it, and it reaches this one meeting, nothing of any other.
pub async fn supervises(
    store: &Store,
    actor: &Actor,
    meeting: &MeetingRecord,
) -> Result<bool, AppError> {
    use crate::domain::supervision::rectification_closed;
    if !meeting.supervisors.contains(&actor.user_id) {
        return Ok(false);
    }
    Ok(!rectification_closed(
        &store.meeting_item_statuses(&meeting.id).await?,
    ))
}

/// The meeting, if the actor supervises it (see [`supervises`]).
pub async fn supervised_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = meeting(store, meeting_id).await?;
    if !supervises(store, actor, &meeting).await? {
        return Err(AppError::NotFound);
    }
    Ok(meeting)
}

/// The meeting, if the actor supervises it or is the secretary of its branch: the two who
/// read the 会前准备情况报告 and the 督导组's page of the meeting.
pub async fn supervised_or_run_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = meeting(store, meeting_id).await?;
    if !can_run_branch(actor, &meeting.branch_id) && !supervises(store, actor, &meeting).await? {
        return Err(AppError::NotFound);
    }
    Ok(meeting)
}

/// The meeting, if the actor administers its branch: the one who assigns its 督导组.
pub async fn administered_meeting(
    store: &Store,
    actor: &Actor,
    meeting_id: &str,
) -> Result<MeetingRecord, AppError> {
    let meeting = meeting(store, meeting_id).await?;
    if !administers_branch(store, actor, &meeting.branch_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(meeting)
}

/// Whether the branch's secretary (stage 1) approved this round.
fn secretary_approved(decisions: &[ReviewRow], round: i64) -> bool {
    decisions.iter().any(|d| {
        d.round == round && d.stage == 1 && d.decision == crate::domain::review::Decision::Approved
    })
}

/// Whether the actor oversees a branch's ledger: its secretary, or an administrator of
/// its node or of a node above it.
pub async fn oversees(store: &Store, actor: &Actor, branch_id: &str) -> Result<bool, AppError> {
    Ok(can_run_branch(actor, branch_id) || administers_branch(store, actor, branch_id).await?)
}

/// Whether the actor administers this node of the organisation tree: they are an
/// administrator of it or of a node above it. Sideways and upward: no. The one check of
/// an administrator's scope (issue 28); everything an administrator may reach below their
/// node goes through it or through [`Store::subtree_ids`].
pub async fn administers_node(
    store: &Store,
    actor: &Actor,
    node_id: &str,
) -> Result<bool, AppError> {
    Ok(actor.is_org_admin && store.node_within(&actor.org_id, node_id).await?)
}

/// Whether a branch hangs under a node the actor administers (see [`administers_node`]).
pub async fn administers_branch(
    store: &Store,
    actor: &Actor,
    branch_id: &str,
) -> Result<bool, AppError> {
    if !actor.is_org_admin {
        return Ok(false);
    }
    match store.branch_node(branch_id).await? {
        Some(node) => administers_node(store, actor, &node).await,
        None => Ok(false),
    }
}

/// A ledger item and how the actor stands to it; `NotFound` if it is not there or not
/// theirs to see.
pub async fn visible_ledger_item(
    store: &Store,
    actor: &Actor,
    item_id: &str,
) -> Result<(LedgerItem, Standing), AppError> {
    let item = store
        .ledger_item(item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let who = standing(store, actor, &item).await?;
    Ok((item, who))
}

/// How the actor stands to a ledger item; `NotFound` if they may not see it.
pub async fn standing(
    store: &Store,
    actor: &Actor,
    item: &LedgerItem,
) -> Result<Standing, AppError> {
    if item.owner_id == actor.user_id {
        Ok(Standing::Owner)
    } else if oversees(store, actor, &item.branch_id).await? {
        Ok(Standing::Reviewer)
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether the actor may 销号 (confirm) this 整改方案 item: the one place that decides it.
/// Where the meeting's pack says the 上级 closes (`Template::closure_by_superior`), only an
/// administrator of a node strictly above the group's own node may; otherwise whoever
/// reviews the item in the ledger (the secretary, or an administrator over the group).
/// Never the item's own 责任领导.
pub async fn may_close_plan_item(
    store: &Store,
    actor: &Actor,
    item: &LedgerItem,
) -> Result<bool, AppError> {
    if item.owner_id == actor.user_id {
        return Ok(false);
    }
    let meeting = meeting(store, &item.meeting_id).await?;
    if !meeting.template.closure_by_superior {
        return oversees(store, actor, &item.branch_id).await;
    }
    if !actor.is_org_admin {
        return Ok(false);
    }
    match store.branch_node(&item.branch_id).await? {
        Some(node) if node != actor.org_id => administers_node(store, actor, &node).await,
        _ => Ok(false),
    }
}
