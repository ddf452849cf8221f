//! Outbound notifications: the periodic scan that finds date-driven events, the worker that
//! delivers the queue, and what both need (settings, the seal on stored secrets, senders).
//!
//! The queue lives in the database (`store::notify`), so a restart loses nothing: the scan
//! queues each notice under its dedupe key (never twice), the worker claims due rows with a
//! lease (a crash mid-send is retried after it), and a row once `sent` is never claimed
//! again. Delivery is at least once: a crash between the platform's answer and recording
//! it sends that one notice again.

pub mod scan;
pub mod seal;
pub mod send;

use crate::domain::notify::{MAX_ATTEMPTS, Notice, retry_delay};
use crate::store::notify::{ChannelRecord, OutboxItem};
use crate::store::{Result, Store};
use chrono::{DateTime, Utc};
use std::time::Duration;

pub use seal::NotifySeal;
pub use send::{Delivery, Sender, SmtpSettings};

/// How the notification tasks run; every value has a default and an environment variable.
#[derive(Debug, Clone)]
pub struct NotifySettings {
    /// Between two scans for date-driven events (`XINGSHEN_NOTIFY_SCAN_SECONDS`, 300).
    pub scan_every: Duration,
    /// Between two looks at the queue (`XINGSHEN_NOTIFY_DELIVER_SECONDS`, 20).
    pub deliver_every: Duration,
    /// The longest one HTTP or SMTP exchange may take (`XINGSHEN_NOTIFY_TIMEOUT_SECONDS`, 15).
    pub timeout: Duration,
    /// The hour (China time, 0–23) from which the day's digest goes out
    /// (`XINGSHEN_NOTIFY_DIGEST_HOUR`, 8).
    pub digest_hour: u32,
    /// SMTP for e-mail channels; `None` when `XINGSHEN_SMTP_HOST` is not set.
    pub smtp: Option<SmtpSettings>,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            scan_every: Duration::from_secs(300),
            deliver_every: Duration::from_secs(20),
            timeout: Duration::from_secs(15),
            digest_hour: 8,
            smtp: None,
        }
    }
}

impl NotifySettings {
    /// The settings from the environment (see README "连接群机器人与邮件").
    pub fn from_env() -> std::result::Result<Self, String> {
        let seconds = |name: &str, default: Duration| -> std::result::Result<Duration, String> {
            match std::env::var(name) {
                Ok(raw) => raw
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|value| *value > 0)
                    .map(Duration::from_secs)
                    .ok_or_else(|| format!("{name} 应为正整数（秒）")),
                Err(_) => Ok(default),
            }
        };
        let defaults = Self::default();
        let digest_hour = match std::env::var("XINGSHEN_NOTIFY_DIGEST_HOUR") {
            Ok(raw) => raw
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|hour| *hour < 24)
                .ok_or("XINGSHEN_NOTIFY_DIGEST_HOUR 应为 0 到 23 的整数")?,
            Err(_) => defaults.digest_hour,
        };
        Ok(Self {
            scan_every: seconds("XINGSHEN_NOTIFY_SCAN_SECONDS", defaults.scan_every)?,
            deliver_every: seconds("XINGSHEN_NOTIFY_DELIVER_SECONDS", defaults.deliver_every)?,
            timeout: seconds("XINGSHEN_NOTIFY_TIMEOUT_SECONDS", defaults.timeout)?,
            digest_hour,
            smtp: SmtpSettings::from_env()?,
        })
    }
}

/// How long a claimed notice is kept from other senders: longer than any one send.
const CLAIM_LEASE_SECONDS: i64 = 120;
/// The most notices one round of the worker sends.
const BATCH: usize = 50;

/// Queues `notice` for every enabled channel of the organisation that hears its event about
/// `branch_id`; held for a digest where the channel wants one. Returns how many were queued
/// (a notice queued before is not queued again).
pub async fn enqueue_event(
    store: &Store,
    org_id: &str,
    branch_id: Option<&str>,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<usize> {
    let channels = store.notify_channels(org_id, None).await?;
    enqueue_for(store, &channels, branch_id, notice, now).await
}

/// [`enqueue_event`] over channels already read.
async fn enqueue_for(
    store: &Store,
    channels: &[ChannelRecord],
    branch_id: Option<&str>,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut queued = 0;
    for channel in channels
        .iter()
        .filter(|channel| channel.hears(notice.event, branch_id))
    {
        if store
            .enqueue_notice(&channel.org_id, &channel.id, notice, channel.digest, now)
            .await?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// One round of the worker: claims the notices due at `now`, sends each and records the
/// attempt (sent; or failed and rescheduled by the backoff; or failed for good). Returns how
/// many were attempted.
pub async fn deliver_due(store: &Store, sender: &Sender, now: DateTime<Utc>) -> Result<usize> {
    let due = store
        .claim_due_notices(now, chrono::Duration::seconds(CLAIM_LEASE_SECONDS), BATCH)
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let seal = NotifySeal::load(store).await?;
    for item in &due {
        let outcome = match store.notify_channel(&item.channel_id).await? {
            Some(channel) if channel.enabled || item.notice.event.code() == "test" => {
                sender.deliver(&seal, &channel, &item.notice).await
            }
            Some(_) => Err("通知渠道已停用".to_string()),
            None => Err("通知渠道已删除".to_string()),
        };
        record(store, item, outcome, now).await?;
    }
    Ok(due.len())
}

async fn record(
    store: &Store,
    item: &OutboxItem,
    outcome: std::result::Result<(), String>,
    now: DateTime<Utc>,
) -> Result<()> {
    let attempt = item.attempts + 1;
    match outcome {
        Ok(()) => store.record_notice_attempt(item, now, Ok(())).await,
        Err(error) => {
            let retry_at = (attempt < MAX_ATTEMPTS)
                .then(|| retry_delay(attempt))
                .flatten()
                .map(|delay| now + delay);
            tracing::warn!(
                channel = %item.channel_id,
                attempt,
                will_retry = retry_at.is_some(),
                %error,
                "a notification could not be delivered"
            );
            store
                .record_notice_attempt(item, now, Err((&error, retry_at)))
                .await
        }
    }
}

/// Starts the scan and the worker as one background task.
pub fn spawn(store: Store, settings: NotifySettings) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let sender = match Sender::new(&settings) {
            Ok(sender) => sender,
            Err(error) => {
                tracing::error!(%error, "notifications are off: the sender could not be built");
                return;
            }
        };
        let mut scan = tokio::time::interval(settings.scan_every);
        let mut deliver = tokio::time::interval(settings.deliver_every);
        loop {
            tokio::select! {
                _ = scan.tick() => {
                    let now = Utc::now();
                    if let Err(error) = scan::scan(&store, now, settings.digest_hour).await {
                        tracing::warn!(%error, "the notification scan failed");
                    }
                }
                _ = deliver.tick() => {
                    if let Err(error) = deliver_due(&store, &sender, Utc::now()).await {
                        tracing::warn!(%error, "the notification worker failed");
                    }
                }
            }
        }
    })
}
