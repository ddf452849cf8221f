//! Notification channels (通知): the organisation's administrator sets them up for the
//! organisation or a branch; a branch's secretary for their own branch where the
//! organisation allows it. Every function checks that itself.
#![allow(
    clippy::too_many_arguments,
    reason = "save_notify_channel takes one argument per form field; the server macro's client half cannot carry an attribute"
)]

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A channel as its administrator sees it: the target masked, the secret never.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelView {
    pub id: String,
    pub name: String,
    /// The kind's code (`ChannelKind`), for the edit form.
    pub kind: String,
    pub branch_id: Option<String>,
    pub branch: Option<String>,
    pub target_hint: String,
    pub signed: bool,
    /// The chosen events' codes (`EventKind`), in the page's order.
    pub events: Vec<String>,
    pub digest: bool,
    pub enabled: bool,
}

/// One delivery attempt in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub channel: String,
    pub at: String,
    pub title: String,
    pub ok: bool,
    pub error: Option<String>,
    pub state: String,
}

/// The 通知 page: channels, and the newest delivery attempts with their errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyPageView {
    pub channels: Vec<ChannelView>,
    pub attempts: Vec<AttemptView>,
    /// The branch the page is for (a secretary's), or `None` for the whole organisation.
    pub branch_name: Option<String>,
    /// The organisation's branches a new channel may be limited to (administrators only).
    pub branches: Vec<BranchChoice>,
    /// Whether branch secretaries may set up their own branch's channels.
    pub branches_allowed: bool,
}

/// A branch in the administrator's scope selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchChoice {
    pub id: String,
    pub name: String,
}

/// The branch whose channels the actor may manage: `None` for the organisation's
/// administrator (every channel), the branch for its secretary where the org allows it.
#[cfg(feature = "ssr")]
async fn managed_scope(
    store: &crate::store::Store,
    actor: &crate::domain::policy::Actor,
    branch_id: &str,
) -> Result<Option<String>, AppError> {
    use crate::domain::policy::{can_administer_org, can_run_branch};
    if can_administer_org(actor, &actor.org_id) {
        return Ok(None);
    }
    if branch_id.is_empty() || !can_run_branch(actor, branch_id) {
        return Err(AppError::NotFound);
    }
    if !store.notify_branches_allowed(&actor.org_id).await? {
        return Err(AppError::Invalid(BRANCHES_NOT_ALLOWED.into()));
    }
    Ok(Some(branch_id.to_string()))
}

/// Why a secretary cannot set up channels (they run the branch, so they may know why).
pub const BRANCHES_NOT_ALLOWED: &str =
    "本单位管理员尚未允许支部自行设置通知渠道，如需开通请联系管理员";

#[server(endpoint = "notify_overview")]
pub async fn notify_overview(
    #[server(default)] branch_id: String,
) -> Result<NotifyPageView, AppError> {
    use super::context::{actor, state};
    let actor = actor().await?;
    let store = state()?.store;
    let scope = managed_scope(&store, &actor, &branch_id).await?;
    let channels = store
        .notify_channels(&actor.org_id, scope.as_deref())
        .await?
        .into_iter()
        .map(|channel| ChannelView {
            id: channel.id,
            name: channel.name,
            kind: channel.kind.code().to_string(),
            branch_id: channel.branch_id,
            branch: channel.branch_name,
            target_hint: channel.target_hint,
            signed: channel.sealed_secret.is_some(),
            events: channel
                .events
                .iter()
                .map(|event| event.code().to_string())
                .collect(),
            digest: channel.digest,
            enabled: channel.enabled,
        })
        .collect();
    let attempts = store
        .notify_attempts(&actor.org_id, scope.as_deref(), 100)
        .await?
        .into_iter()
        .map(|line| AttemptView {
            channel: line.channel_name,
            at: chrono::DateTime::from_timestamp(line.at, 0)
                .map(|at| super::clock::china_time(at, "%Y-%m-%d %H:%M:%S"))
                .unwrap_or_default(),
            title: line.title,
            ok: line.ok,
            error: line.error,
            state: line.state,
        })
        .collect();
    let branches = match scope {
        Some(_) => Vec::new(),
        None => store
            .list_branches(&actor.org_id)
            .await?
            .into_iter()
            .map(|branch| BranchChoice {
                id: branch.id,
                name: branch.name,
            })
            .collect(),
    };
    let branch_name = match &scope {
        Some(own) => actor
            .memberships
            .iter()
            .find(|membership| &membership.branch_id == own)
            .map(|membership| membership.branch_name.clone()),
        None => None,
    };
    Ok(NotifyPageView {
        channels,
        attempts,
        branch_name,
        branches,
        branches_allowed: store.notify_branches_allowed(&actor.org_id).await?,
    })
}

/// Lets (or stops letting) branch secretaries set up their own branch's channels; their
/// channels stay, and keep sending, when it is turned off — the administrator sees and may
/// stop them on the 通知 page.
#[server(endpoint = "allow_branch_notify")]
pub async fn allow_branch_notify(#[server(default)] allowed: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::policy::can_administer_org;
    let actor = actor().await?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    let allowed = !allowed.is_empty();
    state()?
        .store
        .set_notify_branches_allowed(
            &actor.org_id,
            allowed,
            &audit(&actor, "notify.branches", None),
        )
        .await?;
    Ok(())
}

/// Removes a channel with its queue and delivery log; nothing more goes out through it.
#[server(endpoint = "delete_notify_channel")]
pub async fn delete_notify_channel(
    channel_id: String,
    #[server(default)] branch_id: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    let actor = actor().await?;
    let store = state()?.store;
    let scope = managed_scope(&store, &actor, &branch_id).await?;
    let channel = owned_channel(&store, &actor, &channel_id, scope.as_deref()).await?;
    store
        .delete_notify_channel(
            &channel.id,
            &audit(&actor, "notify.channel.delete", Some(channel.id.clone())),
        )
        .await?;
    Ok(())
}

/// Adds a channel (`channel_id` empty) or changes one. A target or secret left empty on a
/// change keeps the stored one. The events are codes separated by commas in `events`, or
/// the page's checkboxes `chosen_events[<code>]` (a form without JavaScript cannot join
/// them into one field); both are read.
#[server(endpoint = "save_notify_channel")]
pub async fn save_notify_channel(
    #[server(default)] channel_id: String,
    #[server(default)] branch_id: String,
    name: String,
    kind: String,
    #[server(default)] target: String,
    #[server(default)] secret: String,
    #[server(default)] events: String,
    #[server(default)] chosen_events: std::collections::HashMap<String, String>,
    #[server(default)] digest: String,
    #[server(default)] disabled: String,
) -> Result<String, AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::notify::{
        ChannelKind, EventKind, masked_target, parse_channel_name, parse_dingtalk_secret,
        parse_target,
    };
    use crate::notify::NotifySeal;
    use crate::store::notify::ChannelSettings;

    let actor = actor().await?;
    let name = parse_channel_name(&name)?;
    let kind =
        ChannelKind::parse(&kind).ok_or_else(|| AppError::Invalid("请选择通知方式".into()))?;
    let target = match target.trim() {
        "" if !channel_id.is_empty() => None,
        raw => Some(parse_target(kind, raw)?),
    };
    let secret = match kind {
        ChannelKind::DingTalk => parse_dingtalk_secret(&secret)?,
        _ => None,
    };
    let mut chosen = Vec::new();
    let ticked = chosen_events
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(code, _)| code.as_str());
    for code in events
        .split([',', ' '])
        .filter(|code| !code.is_empty())
        .chain(ticked)
    {
        let event = EventKind::from_code(code)
            .filter(|event| EventKind::SUBSCRIBABLE.contains(event))
            .ok_or_else(|| AppError::Invalid(format!("不认识的通知事件：{code}")))?;
        if !chosen.contains(&event) {
            chosen.push(event);
        }
    }
    if chosen.is_empty() {
        return Err(AppError::Invalid("请至少选择一种要通知的事件".into()));
    }
    // The checkboxes arrive in no particular order; keep the page's order.
    chosen.sort_by_key(|event| EventKind::ALL.iter().position(|known| known == event));
    let store = state()?.store;
    let scope = managed_scope(&store, &actor, &branch_id).await?;
    let branch = match (&scope, branch_id.is_empty()) {
        (Some(own), _) => Some(own.clone()),
        (None, true) => None,
        (None, false) => {
            if !store.branch_in_org(&actor.org_id, &branch_id).await? {
                return Err(AppError::NotFound);
            }
            Some(branch_id.clone())
        }
    };
    let seal = NotifySeal::load(&store).await?;
    let settings = ChannelSettings {
        name,
        kind,
        target_hint: target.as_deref().map(|raw| masked_target(kind, raw)),
        sealed_target: target.as_deref().map(|raw| seal.seal(raw)),
        sealed_secret: match (kind, &secret) {
            (ChannelKind::DingTalk, Some(secret)) => Some(Some(seal.seal(secret))),
            (ChannelKind::DingTalk, None) if !channel_id.is_empty() => None,
            _ => Some(None),
        },
        events: chosen,
        digest: !digest.is_empty(),
        enabled: disabled.is_empty(),
    };
    if channel_id.is_empty() {
        if settings.sealed_target.is_none() {
            return Err(AppError::Invalid("请填写 Webhook 地址或收件邮箱".into()));
        }
        let id = store
            .create_notify_channel(
                &actor.org_id,
                branch.as_deref(),
                &settings,
                &audit(&actor, "notify.channel.create", None),
            )
            .await?;
        return Ok(id);
    }
    let existing = owned_channel(&store, &actor, &channel_id, scope.as_deref()).await?;
    store
        .update_notify_channel(
            &existing.id,
            &settings,
            &audit(&actor, "notify.channel.update", Some(existing.id.clone())),
        )
        .await?;
    Ok(existing.id)
}

/// A channel of the actor's organisation (and of `scope`'s branch, for a secretary).
#[cfg(feature = "ssr")]
async fn owned_channel(
    store: &crate::store::Store,
    actor: &crate::domain::policy::Actor,
    channel_id: &str,
    scope: Option<&str>,
) -> Result<crate::store::notify::ChannelRecord, AppError> {
    let channel = store
        .notify_channel(channel_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if channel.org_id != actor.org_id
        || scope.is_some_and(|branch| channel.branch_id.as_deref() != Some(branch))
    {
        return Err(AppError::NotFound);
    }
    Ok(channel)
}

/// 发送测试消息: queues a test notice for the channel; the worker sends it within its
/// interval and the log shows the outcome.
#[server(endpoint = "send_test_notification")]
pub async fn send_test_notification(
    channel_id: String,
    #[server(default)] branch_id: String,
) -> Result<(), AppError> {
    use super::context::{actor, state};
    use crate::domain::notify::test_notice;

    let actor = actor().await?;
    let store = state()?.store;
    let scope = managed_scope(&store, &actor, &branch_id).await?;
    let channel = owned_channel(&store, &actor, &channel_id, scope.as_deref()).await?;
    let now = chrono::Utc::now();
    let notice = test_notice(
        &channel.id,
        &channel.name,
        &now.timestamp_nanos_opt().unwrap_or_default().to_string(),
    );
    store
        .enqueue_notice(&channel.org_id, &channel.id, &notice, false, now)
        .await?;
    Ok(())
}

/// Queues the notice of a reviewer's decision for the channels that hear it. A failure to
/// queue is logged and does not undo the decision, which is already recorded.
#[cfg(feature = "ssr")]
pub(super) async fn material_decided(
    actor: &crate::domain::policy::Actor,
    material_id: &str,
    owner_id: &str,
    round: i64,
    meeting: &crate::store::meetings::MeetingRecord,
    returned: bool,
) {
    use crate::domain::notify::{ReviewedMaterial, review_notice};
    let Ok(state) = super::context::state() else {
        return;
    };
    let store = &state.store;
    let owner_name = match store.find_user(owner_id).await {
        Ok(Some(user)) => user.name,
        Ok(None) => return,
        Err(error) => {
            tracing::warn!(%error, "the decision's notice was not queued");
            return;
        }
    };
    let notice = review_notice(
        returned,
        &ReviewedMaterial {
            material_id,
            round,
            owner_name: &owner_name,
            meeting_title: &meeting.title,
        },
    );
    if let Err(error) = crate::notify::enqueue_event(
        store,
        &actor.org_id,
        Some(&meeting.branch_id),
        &notice,
        chrono::Utc::now(),
    )
    .await
    {
        tracing::warn!(%error, "the decision's notice was not queued");
    }
}
