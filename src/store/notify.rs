//! Notification channels, the outbound queue and its delivery log (migration 0018).
//!
//! A channel's target and secret arrive here already sealed (`crate::notify::seal`); the
//! store never sees them in plain text.
//!
//! Long because the three notification tables (channels, outbox, attempts) share their
//! rows, and the queue's claim, lease and retry rules are read together.

use super::{AuditEntry, Result, Store, StoreError, record};
use crate::domain::notify::{ChannelKind, EventKind, Notice};
use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

const CHANNEL: &str = "notify_channel";
const OUTBOX: &str = "notify_outbox";

/// States of a queued notice.
pub mod state {
    /// To be sent at `next_at`.
    pub const PENDING: &str = "pending";
    /// Waiting for its channel's daily digest.
    pub const HELD: &str = "held";
    /// Went out inside a digest.
    pub const DIGESTED: &str = "digested";
    pub const SENT: &str = "sent";
    /// Every attempt failed.
    pub const FAILED: &str = "failed";
}

/// A channel as stored, its target and secret still sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecord {
    pub id: String,
    pub org_id: String,
    pub branch_id: Option<String>,
    pub branch_name: Option<String>,
    pub name: String,
    pub kind: ChannelKind,
    pub sealed_target: String,
    pub target_hint: String,
    pub sealed_secret: Option<String>,
    pub events: Vec<EventKind>,
    pub digest: bool,
    pub enabled: bool,
}

impl ChannelRecord {
    /// Whether an event about `branch_id` goes to this channel: an organisation-wide channel
    /// hears every branch, a branch's channel only its own.
    pub fn hears(&self, event: EventKind, branch_id: Option<&str>) -> bool {
        self.enabled
            && self.events.contains(&event)
            && match (&self.branch_id, branch_id) {
                (None, _) => true,
                (Some(own), Some(about)) => own == about,
                (Some(_), None) => false,
            }
    }
}

#[derive(SurrealValue)]
struct ChannelRow {
    id: String,
    org_id: String,
    branch_id: Option<String>,
    branch_name: Option<String>,
    name: String,
    kind: String,
    target: String,
    target_hint: String,
    secret: Option<String>,
    events: Vec<String>,
    digest: bool,
    enabled: bool,
}

impl TryFrom<ChannelRow> for ChannelRecord {
    type Error = StoreError;

    fn try_from(row: ChannelRow) -> Result<Self> {
        let kind = ChannelKind::from_code(&row.kind)
            .ok_or_else(|| StoreError::Database(format!("unknown channel kind {}", row.kind)))?;
        Ok(Self {
            id: row.id,
            org_id: row.org_id,
            branch_id: row.branch_id,
            branch_name: row.branch_name,
            name: row.name,
            kind,
            sealed_target: row.target,
            target_hint: row.target_hint,
            sealed_secret: row.secret,
            // An event code this build does not know (from a newer one) is left out.
            events: row
                .events
                .iter()
                .filter_map(|code| EventKind::from_code(code))
                .collect(),
            digest: row.digest,
            enabled: row.enabled,
        })
    }
}

/// The fields of a [`ChannelRow`], as a literal so queries are `concat!`-ed whole.
macro_rules! channel_fields {
    () => {
        "SELECT type::string(record::id(id)) AS id, \
            type::string(record::id(org)) AS org_id, \
            IF branch THEN type::string(record::id(branch)) END AS branch_id, \
            IF branch THEN branch.name END AS branch_name, \
            name, kind, target, target_hint, secret, events, digest, enabled"
    };
}

/// What an administrator sets on a channel. `sealed_target` / `sealed_secret` `None` on an
/// update keep the stored ones (the form never shows them back).
#[derive(Debug, Clone)]
pub struct ChannelSettings {
    pub name: String,
    pub kind: ChannelKind,
    pub sealed_target: Option<String>,
    pub target_hint: Option<String>,
    /// `Some(None)` removes the secret; `None` keeps it.
    pub sealed_secret: Option<Option<String>>,
    pub events: Vec<EventKind>,
    pub digest: bool,
    pub enabled: bool,
}

/// A queued notice, claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: String,
    pub org_id: String,
    pub channel_id: String,
    pub notice: Notice,
    pub attempts: u32,
}

#[derive(SurrealValue)]
struct OutboxRow {
    id: String,
    org_id: String,
    channel_id: String,
    notice: String,
    attempts: i64,
}

impl TryFrom<OutboxRow> for OutboxItem {
    type Error = StoreError;

    fn try_from(row: OutboxRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            org_id: row.org_id,
            channel_id: row.channel_id,
            notice: serde_json::from_str(&row.notice)
                .map_err(|error| StoreError::Database(error.to_string()))?,
            attempts: u32::try_from(row.attempts).unwrap_or(0),
        })
    }
}

/// The fields of an outbox row as the worker claims it.
macro_rules! outbox_fields {
    () => {
        "type::string(record::id(id)) AS id, \
            type::string(record::id(org)) AS org_id, \
            type::string(record::id(channel)) AS channel_id, notice, attempts"
    };
}

/// The delivery log's fields, as a literal so queries are `concat!`-ed whole.
macro_rules! attempt_fields {
    () => {
        "SELECT type::string(record::id(channel)) AS channel_id, channel.name AS channel_name,
            time::unix(at) AS at, ok, error, outbox.state AS state,
            outbox.attempts AS attempts, outbox.notice AS notice
         FROM notify_attempt"
    };
}

/// One line of the delivery log an administrator sees.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct AttemptLine {
    pub channel_id: String,
    pub channel_name: String,
    /// Unix seconds.
    pub at: i64,
    pub ok: bool,
    pub error: Option<String>,
    pub title: String,
    /// The notice's state now: pending (will be retried), sent, failed.
    pub state: String,
    pub attempts: i64,
}

/// A notice whose attempts are spent, for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct FailedNotice {
    pub channel_id: String,
    pub channel_name: String,
    pub title: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// The record key of a dedupe key: its SHA-256 in hex, so any key makes a valid, fixed-size
/// record id and the same key always the same record.
fn outbox_key(dedupe: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(dedupe.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A failed notice's fields, for the report of what never arrived.
macro_rules! failed_fields {
    () => {
        "SELECT type::string(record::id(channel)) AS channel_id, channel.name AS channel_name,
            notice, attempts, last_error, next_at FROM notify_outbox
         WHERE org = $org AND state = $failed"
    };
}

impl Store {
    /// Whether the organisation lets branch secretaries set up their branch's channels.
    pub async fn notify_branches_allowed(&self, org_id: &str) -> Result<bool> {
        let mut values: Vec<Option<bool>> = self
            .run(
                self.db()
                    .query("SELECT VALUE notify_branches FROM $org")
                    .bind(("org", record("org", org_id))),
            )
            .await?
            .take(0)?;
        Ok(values.pop().flatten().unwrap_or(false))
    }

    /// Sets [`Store::notify_branches_allowed`].
    pub async fn set_notify_branches_allowed(
        &self,
        org_id: &str,
        allowed: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN; UPDATE $org SET notify_branches = $allowed;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("org", record("org", org_id)))
                    .bind(("allowed", allowed)),
            ),
        )
        .await?;
        Ok(())
    }

    /// The organisation's channels (with `branch_id`, only that branch's), by name.
    pub async fn notify_channels(
        &self,
        org_id: &str,
        branch_id: Option<&str>,
    ) -> Result<Vec<ChannelRecord>> {
        let query = match branch_id {
            Some(_) => concat!(
                channel_fields!(),
                ", created_at FROM notify_channel WHERE org = $org AND branch = $branch ORDER BY created_at"
            ),
            None => concat!(
                channel_fields!(),
                ", created_at FROM notify_channel WHERE org = $org ORDER BY created_at"
            ),
        };
        let rows: Vec<ChannelRow> = self
            .run(
                self.db()
                    .query(query)
                    .bind(("org", record("org", org_id)))
                    .bind(("branch", branch_id.map(|id| record("branch", id)))),
            )
            .await?
            .take(0)?;
        rows.into_iter().map(ChannelRecord::try_from).collect()
    }

    /// Every enabled channel of every organisation, for the periodic scan.
    pub async fn enabled_notify_channels(&self) -> Result<Vec<ChannelRecord>> {
        let rows: Vec<ChannelRow> = self
            .run(self.db().query(concat!(
                channel_fields!(),
                " FROM notify_channel WHERE enabled = true"
            )))
            .await?
            .take(0)?;
        rows.into_iter().map(ChannelRecord::try_from).collect()
    }

    /// One channel, whatever its organisation (callers check it).
    pub async fn notify_channel(&self, channel_id: &str) -> Result<Option<ChannelRecord>> {
        let mut rows: Vec<ChannelRow> = self
            .run(
                self.db()
                    .query(concat!(channel_fields!(), " FROM $id"))
                    .bind(("id", record(CHANNEL, channel_id))),
            )
            .await?
            .take(0)?;
        rows.pop().map(ChannelRecord::try_from).transpose()
    }

    /// Creates a channel; its id.
    pub async fn create_notify_channel(
        &self,
        org_id: &str,
        branch_id: Option<&str>,
        settings: &ChannelSettings,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = super::new_key();
        let (Some(target), Some(hint)) = (&settings.sealed_target, &settings.target_hint) else {
            return Err(StoreError::Database(
                "a new channel needs its target".into(),
            ));
        };
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN; CREATE $id SET org = $org, branch = $branch, name = $name, kind = $kind,
                            target = $target, target_hint = $hint, secret = $secret, events = $events,
                            digest = $digest, enabled = $enabled, created_at = time::now(),
                            updated_at = time::now();",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record(CHANNEL, &key)))
                    .bind(("org", record("org", org_id)))
                    .bind(("branch", branch_id.map(|id| record("branch", id))))
                    .bind(("name", settings.name.clone()))
                    .bind(("kind", settings.kind.code().to_string()))
                    .bind(("target", target.clone()))
                    .bind(("hint", hint.clone()))
                    .bind(("secret", settings.sealed_secret.clone().flatten()))
                    .bind(("events", event_codes(&settings.events)))
                    .bind(("digest", settings.digest))
                    .bind(("enabled", settings.enabled)),
            ),
        )
        .await?;
        Ok(key)
    }

    /// Changes a channel; a target or secret left `None` stays as it was.
    pub async fn update_notify_channel(
        &self,
        channel_id: &str,
        settings: &ChannelSettings,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN; UPDATE $id SET name = $name, kind = $kind, events = $events,
                            digest = $digest, enabled = $enabled, updated_at = time::now();
                         IF $target != NONE { UPDATE $id SET target = $target, target_hint = $hint };
                         IF $change_secret { UPDATE $id SET secret = $secret };",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record(CHANNEL, channel_id)))
                    .bind(("name", settings.name.clone()))
                    .bind(("kind", settings.kind.code().to_string()))
                    .bind(("events", event_codes(&settings.events)))
                    .bind(("digest", settings.digest))
                    .bind(("enabled", settings.enabled))
                    .bind(("target", settings.sealed_target.clone()))
                    .bind(("hint", settings.target_hint.clone()))
                    .bind(("change_secret", settings.sealed_secret.is_some()))
                    .bind(("secret", settings.sealed_secret.clone().flatten())),
            ),
        )
        .await?;
        Ok(())
    }

    /// Deletes a channel, its queued notices and its delivery log.
    pub async fn delete_notify_channel(&self, channel_id: &str, audit: &AuditEntry) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN; DELETE notify_attempt WHERE channel = $id;
                         DELETE notify_outbox WHERE channel = $id;
                         DELETE $id;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record(CHANNEL, channel_id))),
            ),
        )
        .await?;
        Ok(())
    }

    /// Queues `notice` for a channel. `held` waits for the channel's digest instead of going
    /// out on its own. Returns false when the same notice was queued before (it is never
    /// queued twice: the record key is its dedupe key's hash).
    pub async fn enqueue_notice(
        &self,
        org_id: &str,
        channel_id: &str,
        notice: &Notice,
        held: bool,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let dedupe = notice.dedupe_key(channel_id);
        let id = record(OUTBOX, &outbox_key(&dedupe));
        let created = self
            .run(
                self.db()
                    .query(
                        "CREATE $id SET org = $org, channel = $channel, dedupe = $dedupe, event = $event,
                            notice = $notice, state = $state, attempts = 0, next_at = $now,
                            created_at = $now RETURN NONE",
                    )
                    .bind(("id", id))
                    .bind(("org", record("org", org_id)))
                    .bind(("channel", record(CHANNEL, channel_id)))
                    .bind(("dedupe", dedupe))
                    .bind(("event", notice.event.code().to_string()))
                    .bind(("notice", to_json(notice)?))
                    .bind(("state", if held { state::HELD } else { state::PENDING }))
                    .bind(("now", now)),
            )
            .await;
        match created {
            Ok(_) => Ok(true),
            // Queued before (by an earlier scan, another instance, before a restart).
            Err(StoreError::Database(message)) if message.contains("already exists") => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Claims up to `limit` notices due at `now` for sending: each is pushed `lease` into
    /// the future first, so a sender that dies mid-send leaves it to be tried again after
    /// the lease, never lost; a notice already sent is never claimed.
    pub async fn claim_due_notices(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: usize,
    ) -> Result<Vec<OutboxItem>> {
        let rows: Vec<OutboxRow> = self
            .run(
                self.db()
                    .query(concat!(
                        "UPDATE (SELECT VALUE id FROM notify_outbox WHERE state = $pending AND next_at <= $now
                            ORDER BY next_at LIMIT $limit)
                         SET next_at = $lease_end WHERE state = $pending AND next_at <= $now
                         RETURN ",
                        outbox_fields!()
                    ))
                    .bind(("pending", state::PENDING))
                    .bind(("now", now))
                    .bind(("lease_end", now + lease))
                    .bind(("limit", limit as i64)),
            )
            .await?
            .take(0)?;
        rows.into_iter().map(OutboxItem::try_from).collect()
    }

    /// Records one attempt to send a claimed notice: sent; or failed, to be tried again at
    /// `retry_at`, or (with `None`) for good.
    pub async fn record_notice_attempt(
        &self,
        item: &OutboxItem,
        now: DateTime<Utc>,
        outcome: std::result::Result<(), (&str, Option<DateTime<Utc>>)>,
    ) -> Result<()> {
        let (ok, error, next_state, next_at) = match outcome {
            Ok(()) => (true, None, state::SENT, now),
            Err((error, Some(retry_at))) => {
                (false, Some(error.to_string()), state::PENDING, retry_at)
            }
            Err((error, None)) => (false, Some(error.to_string()), state::FAILED, now),
        };
        self.run(
            self.db()
                .query(
                    "BEGIN;
                     UPDATE $id SET attempts += 1, state = $state, next_at = $next_at,
                        last_error = $error, sent_at = IF $ok THEN $now END;
                     CREATE notify_attempt SET org = $org, channel = $channel, outbox = $id,
                        at = $now, ok = $ok, error = $error;
                     COMMIT;",
                )
                .bind(("id", record(OUTBOX, &item.id)))
                .bind(("org", record("org", &item.org_id)))
                .bind(("channel", record(CHANNEL, &item.channel_id)))
                .bind(("state", next_state))
                .bind(("next_at", next_at))
                .bind(("error", error))
                .bind(("ok", ok))
                .bind(("now", now)),
        )
        .await?;
        Ok(())
    }

    /// The notices a channel holds for its digest, oldest first, with their record keys.
    pub async fn held_notices(&self, channel_id: &str) -> Result<Vec<(String, Notice)>> {
        #[derive(SurrealValue)]
        struct Held {
            id: String,
            notice: String,
        }
        let rows: Vec<Held> = self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS id, notice, created_at FROM notify_outbox
                         WHERE channel = $channel AND state = $held ORDER BY created_at",
                    )
                    .bind(("channel", record(CHANNEL, channel_id)))
                    .bind(("held", state::HELD)),
            )
            .await?
            .take(0)?;
        rows.into_iter()
            .map(|row| {
                serde_json::from_str(&row.notice)
                    .map(|notice| (row.id, notice))
                    .map_err(|error| StoreError::Database(error.to_string()))
            })
            .collect()
    }

    /// Queues a channel's digest and marks the held notices it carries as digested, in one
    /// transaction. False when that digest was queued before (then nothing changes).
    pub async fn enqueue_digest(
        &self,
        org_id: &str,
        channel_id: &str,
        digest: &Notice,
        held_ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let dedupe = digest.dedupe_key(channel_id);
        let id = record(OUTBOX, &outbox_key(&dedupe));
        let ids: Vec<_> = held_ids.iter().map(|key| record(OUTBOX, key)).collect();
        let made = self
            .run(
                self.db()
                    .query(
                        "BEGIN;
                         IF record::exists($id) { THROW 'digest already queued' };
                         CREATE $id SET org = $org, channel = $channel, dedupe = $dedupe,
                            event = $event, notice = $notice, state = $pending, attempts = 0,
                            next_at = $now, created_at = $now RETURN NONE;
                         UPDATE $held SET state = $digested WHERE state = $held_state RETURN NONE;
                         COMMIT;",
                    )
                    .bind(("id", id))
                    .bind(("org", record("org", org_id)))
                    .bind(("channel", record(CHANNEL, channel_id)))
                    .bind(("dedupe", dedupe))
                    .bind(("event", digest.event.code().to_string()))
                    .bind(("notice", to_json(digest)?))
                    .bind(("pending", state::PENDING))
                    .bind(("held", ids))
                    .bind(("digested", state::DIGESTED))
                    .bind(("held_state", state::HELD))
                    .bind(("now", now)),
            )
            .await;
        match made {
            Ok(_) => Ok(true),
            Err(StoreError::Database(message))
                if message.contains(DIGEST_QUEUED) || message.contains("already exists") =>
            {
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    /// The newest delivery attempts of an organisation's channels (with `branch_id`, that
    /// branch's channels only), newest first.
    pub async fn notify_attempts(
        &self,
        org_id: &str,
        branch_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AttemptLine>> {
        let query = match branch_id {
            Some(_) => concat!(
                attempt_fields!(),
                " WHERE org = $org AND channel.branch = $branch ORDER BY at DESC LIMIT $limit"
            ),
            None => concat!(
                attempt_fields!(),
                " WHERE org = $org ORDER BY at DESC LIMIT $limit"
            ),
        };
        Ok(self
            .run(
                self.db()
                    .query(query)
                    .bind(("org", record("org", org_id)))
                    .bind(("branch", branch_id.map(|id| record("branch", id))))
                    .bind(("limit", limit as i64)),
            )
            .await?
            .take::<Vec<AttemptRow>>(0)?
            .into_iter()
            .map(AttemptRow::line)
            .collect())
    }

    /// Notices whose attempts are spent, newest first.
    pub async fn failed_notices(
        &self,
        org_id: &str,
        branch_id: Option<&str>,
        limit: usize,
    ) -> Result<Vec<FailedNotice>> {
        #[derive(SurrealValue)]
        struct Row {
            channel_id: String,
            channel_name: String,
            notice: String,
            attempts: i64,
            last_error: Option<String>,
        }
        let query = match branch_id {
            Some(_) => concat!(
                failed_fields!(),
                " AND channel.branch = $branch ORDER BY next_at DESC LIMIT $limit"
            ),
            None => concat!(failed_fields!(), " ORDER BY next_at DESC LIMIT $limit"),
        };
        let rows: Vec<Row> = self
            .run(
                self.db()
                    .query(query)
                    .bind(("org", record("org", org_id)))
                    .bind(("branch", branch_id.map(|id| record("branch", id))))
                    .bind(("failed", state::FAILED))
                    .bind(("limit", limit as i64)),
            )
            .await?
            .take(0)?;
        Ok(rows
            .into_iter()
            .map(|row| FailedNotice {
                channel_id: row.channel_id,
                channel_name: row.channel_name,
                title: notice_title(&row.notice),
                attempts: row.attempts,
                last_error: row.last_error,
            })
            .collect())
    }
}

#[derive(SurrealValue)]
struct AttemptRow {
    channel_id: String,
    channel_name: String,
    at: i64,
    ok: bool,
    error: Option<String>,
    state: String,
    attempts: i64,
    notice: String,
}

impl AttemptRow {
    fn line(self) -> AttemptLine {
        AttemptLine {
            title: notice_title(&self.notice),
            channel_id: self.channel_id,
            channel_name: self.channel_name,
            at: self.at,
            ok: self.ok,
            error: self.error,
            state: self.state,
            attempts: self.attempts,
        }
    }
}

fn notice_title(stored: &str) -> String {
    serde_json::from_str::<Notice>(stored)
        .map(|notice| notice.title)
        .unwrap_or_default()
}

/// The error a transaction throws when the day's digest of a channel was queued before.
const DIGEST_QUEUED: &str = "digest already queued";

fn to_json(notice: &Notice) -> Result<String> {
    serde_json::to_string(notice).map_err(|error| StoreError::Database(error.to_string()))
}

fn event_codes(events: &[EventKind]) -> Vec<String> {
    events
        .iter()
        .map(|event| event.code().to_string())
        .collect()
}

/// A meeting's deadlines, for the scan.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct MeetingDeadlines {
    pub meeting_id: String,
    pub branch_id: String,
    pub branch_name: String,
    pub title: String,
    /// `YYYY-MM-DD`, when the meeting has dates.
    pub materials_due: Option<String>,
    pub report_due: Option<String>,
}

impl Store {
    /// The dated meetings of an organisation's branches.
    pub async fn meeting_deadlines(&self, org_id: &str) -> Result<Vec<MeetingDeadlines>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS meeting_id,
                            type::string(record::id(branch)) AS branch_id, branch.name AS branch_name,
                            title, materials_due, report_due
                         FROM meeting WHERE branch.org = $org AND (materials_due != NONE OR report_due != NONE)",
                    )
                    .bind(("org", record("org", org_id))),
            )
            .await?
            .take(0)?)
    }
}
