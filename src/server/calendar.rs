//! Calendar subscriptions: a secret, revocable address per person (their own 整改 dates)
//! and per branch (for its secretary), so deadlines and follow-ups show in phone calendars.
//! The address itself is the key; a new one replaces the old, and stopping it ends it.

use super::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The scope code of a person's own feed; a branch feed's scope is the branch id.
pub const OWN_SCOPE: &str = "own";

/// One subscription the person may have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarLink {
    pub scope: String,
    pub label: String,
    /// The address to subscribe to, once issued.
    pub address: Option<String>,
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::*;
    use crate::domain::policy::Actor;
    use crate::export::calendar::CalendarEntry;
    use crate::store::calendar::FeedScope;
    use crate::store::ledger::LedgerItem;

    /// The scope a form names, if the actor may have it: their own, or a branch they run.
    pub fn scope(actor: &Actor, code: &str) -> Result<FeedScope, AppError> {
        if code == OWN_SCOPE {
            return Ok(FeedScope::Own);
        }
        if crate::domain::policy::can_run_branch(actor, code) {
            Ok(FeedScope::Branch(code.to_string()))
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The address of a token on this server (https when cookies are secure, as deployed).
    pub fn address(token: &str) -> String {
        let parts = use_context::<http::request::Parts>();
        let host = parts
            .as_ref()
            .and_then(|parts| parts.headers.get(http::header::HOST))
            .and_then(|host| host.to_str().ok())
            .unwrap_or("localhost");
        let secure = crate::server::context::state().is_ok_and(|state| state.secure_cookies);
        let scheme = if secure { "https" } else { "http" };
        format!("{scheme}://{host}{}", path(token))
    }

    pub fn path(token: &str) -> String {
        format!("/calendar/{token}.ics")
    }

    /// Each open item's 时限 and every follow-up date, as calendar entries. `with_owner`
    /// names the owner in each title (a branch's feed).
    pub fn entries(items: &[LedgerItem], with_owner: bool) -> Vec<CalendarEntry> {
        use crate::domain::ledger::{ItemStatus, MeasureKind};
        let mut entries = Vec::new();
        for item in items {
            let state = &item.state;
            let who = if with_owner {
                format!("{} · ", item.owner_name)
            } else {
                String::new()
            };
            let description = format!(
                "责任人：{}\n问题：{}\n完成标准：{}\n状态：{}\n会议：{}",
                item.owner_name,
                item.problem,
                item.standard,
                state.status.label(),
                item.meeting_title
            );
            let deadline = state
                .deadline
                .filter(|_| state.kind.is_dated() && state.status != ItemStatus::Closed);
            if let Some(date) = deadline {
                entries.push(CalendarEntry {
                    uid: format!("{}-deadline@xingshen", item.id),
                    date,
                    summary: format!("{who}整改时限：{}", item.measure),
                    description: description.clone(),
                });
            }
            for date in &state.follow_ups {
                let what = match state.kind {
                    MeasureKind::LongTerm => "长期坚持检查",
                    MeasureKind::ByDate | MeasureKind::Immediate => "跟踪督办",
                };
                entries.push(CalendarEntry {
                    uid: format!("{}-check-{date}@xingshen", item.id),
                    date: *date,
                    summary: format!("{who}{what}：{}", item.measure),
                    description: description.clone(),
                });
            }
        }
        entries
    }

    /// A fresh unguessable token: two record keys, 40 characters of [a-z0-9] (about 206 bits).
    pub fn new_token() -> String {
        use crate::store::new_key;
        format!("{}{}", new_key(), new_key())
    }
}

/// The person's possible subscriptions: their own dates, and each branch they run.
#[server(endpoint = "calendar_links")]
pub async fn calendar_links() -> Result<Vec<CalendarLink>, AppError> {
    use super::context::{actor, state};
    use crate::domain::org::Role;
    use crate::store::calendar::FeedScope;

    let actor = actor().await?;
    let feeds = state()?.store.calendar_feeds(&actor.user_id).await?;
    let address_of = |scope: &FeedScope| {
        feeds
            .iter()
            .find(|feed| &feed.scope == scope)
            .map(|feed| backend::address(&feed.token))
    };
    let mut links = vec![CalendarLink {
        scope: OWN_SCOPE.into(),
        label: "我的整改时限和跟踪日期".into(),
        address: address_of(&FeedScope::Own),
    }];
    for membership in actor
        .memberships
        .iter()
        .filter(|m| m.role == Role::Secretary)
    {
        links.push(CalendarLink {
            scope: membership.branch_id.clone(),
            label: format!("{}全部整改事项的时限和跟踪日期", membership.branch_name),
            address: address_of(&FeedScope::Branch(membership.branch_id.clone())),
        });
    }
    Ok(links)
}

/// Issues a new secret address for the scope; an earlier one stops working.
#[server(endpoint = "issue_calendar_link")]
pub async fn issue_calendar_link(scope: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let feed_scope = backend::scope(&actor, &scope)?;
    state()?
        .store
        .issue_calendar_feed(
            &actor.user_id,
            &feed_scope,
            &backend::new_token(),
            &audit(&actor, "calendar.issue", Some(scope)),
        )
        .await?;
    Ok(())
}

/// Stops the scope's address from working.
#[server(endpoint = "revoke_calendar_link")]
pub async fn revoke_calendar_link(scope: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let feed_scope = backend::scope(&actor, &scope)?;
    state()?
        .store
        .revoke_calendar_feed(
            &actor.user_id,
            &feed_scope,
            &audit(&actor, "calendar.revoke", Some(scope)),
        )
        .await?;
    Ok(())
}
