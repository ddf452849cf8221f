//! The periodic scan: finds the date-driven events of every organisation with enabled
//! channels (整改 items entering a warning tier or overdue, meetings' 材料收集 and 报送
//! deadlines), queues them under their dedupe keys, and queues each digest channel's
//! daily digest once its hour has come.

use super::enqueue_for;
use crate::domain::ledger::Urgency;
use crate::domain::notify::{
    DueItem, EventKind, MeetingDeadline, digest, item_notice, meeting_notice,
};
use crate::store::ledger::AlertScope;
use crate::store::notify::ChannelRecord;
use crate::store::{Result, Store};
use chrono::{DateTime, FixedOffset, NaiveDate, Timelike, Utc};
use std::collections::BTreeMap;

/// The most alerting items one scan reads per organisation.
const ITEMS_PER_SCAN: usize = 2000;

/// What one scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Notices newly queued (or held for a digest).
    pub queued: usize,
    /// Digests newly queued.
    pub digests: usize,
}

/// Where the users are: China time (UTC+8), as `server::clock` reads it.
fn china(now: DateTime<Utc>) -> DateTime<FixedOffset> {
    now.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
}

/// One scan at `now`; the digests go out from `digest_hour` (China time) on.
pub async fn scan(store: &Store, now: DateTime<Utc>, digest_hour: u32) -> Result<ScanReport> {
    let local = china(now);
    let today = local.date_naive();
    let mut by_org: BTreeMap<String, Vec<ChannelRecord>> = BTreeMap::new();
    for channel in store.enabled_notify_channels().await? {
        by_org
            .entry(channel.org_id.clone())
            .or_default()
            .push(channel);
    }
    let mut report = ScanReport::default();
    for (org_id, channels) in &by_org {
        report.queued += scan_org(store, org_id, channels, today, now).await?;
        if local.hour() >= digest_hour {
            for channel in channels.iter().filter(|channel| channel.digest) {
                if queue_digest(store, channel, today, now).await? {
                    report.digests += 1;
                }
            }
        }
    }
    Ok(report)
}

async fn scan_org(
    store: &Store,
    org_id: &str,
    channels: &[ChannelRecord],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut queued = 0;
    let tiers = store.warning_tiers(org_id).await?;
    let cutoff = today + chrono::Duration::days(tiers.yellow_days);
    let items = store
        .ledger_alerts(AlertScope::Org(org_id), cutoff, ITEMS_PER_SCAN)
        .await?;
    for item in &items {
        let event = match item.state.urgency(today, tiers) {
            Urgency::None => continue,
            Urgency::DueSoon => EventKind::ItemDueSoon,
            Urgency::DueVerySoon => EventKind::ItemDueVerySoon,
            Urgency::Overdue => EventKind::ItemOverdue,
        };
        let Some(due) = item.state.alert_date() else {
            continue;
        };
        let notice = item_notice(
            event,
            &DueItem {
                item_id: &item.id,
                owner_name: &item.owner_name,
                branch_name: &item.branch_name,
                meeting_title: &item.meeting_title,
                measure: &item.measure,
                due,
            },
            today,
        );
        queued += enqueue_for(store, channels, Some(&item.branch_id), &notice, now).await?;
    }
    for meeting in store.meeting_deadlines(org_id).await? {
        for (event, date) in [
            (EventKind::MaterialsDue, &meeting.materials_due),
            (EventKind::ReportDue, &meeting.report_due),
        ] {
            let Some(due) = date
                .as_deref()
                .and_then(|raw| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
            else {
                continue;
            };
            let deadline = MeetingDeadline {
                meeting_id: &meeting.meeting_id,
                branch_name: &meeting.branch_name,
                meeting_title: &meeting.title,
                due,
            };
            if let Some(notice) = meeting_notice(event, &deadline, today) {
                queued +=
                    enqueue_for(store, channels, Some(&meeting.branch_id), &notice, now).await?;
            }
        }
    }
    Ok(queued)
}

/// Queues the channel's digest of `today` when it holds notices; true when queued.
async fn queue_digest(
    store: &Store,
    channel: &ChannelRecord,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool> {
    let held = store.held_notices(&channel.id).await?;
    if held.is_empty() {
        return Ok(false);
    }
    let (ids, notices): (Vec<String>, Vec<_>) = held.into_iter().unzip();
    let notice = digest(&channel.id, today, &notices);
    store
        .enqueue_digest(&channel.org_id, &channel.id, &notice, &ids, now)
        .await
}
