//! Members' materials and their revisions. Every save names the version it started from: a
//! save from a stale version is refused with the current text, so two tabs never silently
//! overwrite each other; a retried save (same request id) is answered, not applied twice;
//! a save that changes nothing writes nothing.
//!
//! Long because every query of the `material`, `revision` and `submission` tables sits
//! here, next to the concurrency rules they share.

use super::ledger::{LedgerEntryRow, sync_ledger};
use super::{Result, Store, StoreError, record};
use crate::domain::material::Material;
use crate::domain::material::MaterialState;
use crate::domain::meeting::MeetingKind;
use crate::store::AuditEntry;
use surrealdb::types::SurrealValue;

/// A material as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialRecord {
    pub id: String,
    pub meeting_id: String,
    /// The author; of the collective 班子对照检查材料, its drafter.
    pub owner_id: String,
    /// The 班子对照检查材料 of a 民主生活会, not one person's own.
    pub collective: bool,
    pub version: i64,
    pub state: MaterialState,
    pub content: Material,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What became of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new revision was written.
    Saved { version: i64 },
    /// The content equals the current one; nothing was written.
    Unchanged { version: i64 },
    /// This request id was saved before (a retry); its version is returned.
    Replayed { version: i64 },
    /// The save started from an older version: nothing was written, here is what is current.
    Stale { current: Box<MaterialRecord> },
    /// The material is submitted or approved and cannot be edited: nothing was written.
    Locked { current: Box<MaterialRecord> },
}

impl SaveOutcome {
    /// Why a save that cannot apply to `current` is refused.
    fn refused(current: MaterialRecord) -> Self {
        let current = Box::new(current);
        if current.is_editable() {
            Self::Stale { current }
        } else {
            Self::Locked { current }
        }
    }
}

impl MaterialRecord {
    pub fn is_editable(&self) -> bool {
        self.state.editable()
    }
}

/// One of a person's materials, as listed.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct MaterialSummary {
    pub id: String,
    pub meeting_id: String,
    pub version: i64,
    pub state: MaterialState,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One of a person's materials that a reviewer returned to them.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct ReturnedRow {
    pub material_id: String,
    pub meeting_title: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One submission round.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SubmissionSummary {
    pub round: i64,
    pub version: i64,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A refused save, kept whole until the author settles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptCopy {
    pub id: String,
    pub base_version: i64,
    pub reason: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub content: Material,
}

#[derive(SurrealValue)]
struct KeptRow {
    id: String,
    base_version: i64,
    reason: String,
    at: chrono::DateTime<chrono::Utc>,
    content: String,
}

/// A meeting (会议) as listed.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct MeetingRow {
    pub id: String,
    pub title: String,
    pub kind: MeetingKind,
    /// YYYY-MM-DD, when the meeting has dates.
    pub meeting_on: Option<String>,
}

/// One entry of the revision history.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct RevisionSummary {
    pub version: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub author_id: String,
    pub restored_from: Option<i64>,
}

impl RevisionSummary {
    /// The entry as the history groups it.
    pub fn revision(&self) -> crate::domain::revision::Revision {
        crate::domain::revision::Revision {
            version: self.version,
            at: self.at,
            author: self.author_id.clone(),
            restored_from: self.restored_from,
        }
    }
}

#[derive(SurrealValue)]
struct MaterialRow {
    id: String,
    meeting_id: String,
    owner_id: String,
    collective: Option<bool>,
    version: i64,
    state: MaterialState,
    content: String,
    updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(SurrealValue)]
struct ContentRow {
    content: String,
}

pub(super) fn to_json(content: &Material) -> Result<String> {
    serde_json::to_string(content).map_err(|error| StoreError::Database(error.to_string()))
}

pub(super) fn from_json(content: &str) -> Result<Material> {
    serde_json::from_str(content).map_err(|error| StoreError::Database(error.to_string()))
}

impl TryFrom<MaterialRow> for MaterialRecord {
    type Error = StoreError;

    fn try_from(row: MaterialRow) -> Result<Self> {
        Ok(Self {
            content: from_json(&row.content)?,
            id: row.id,
            meeting_id: row.meeting_id,
            owner_id: row.owner_id,
            collective: row.collective.unwrap_or(false),
            version: row.version,
            state: row.state,
            updated_at: row.updated_at,
        })
    }
}

/// The key of a member's material for a meeting: one per pair, by construction.
pub fn material_key(meeting_id: &str, owner_id: &str) -> String {
    format!("{meeting_id}_{owner_id}")
}

/// The message SurrealDB reports for the `THROW` of a save that lost a race.
const STALE: &str = "stale material version";

/// The stored codes of the states a rule of `MaterialState` admits (`editable`,
/// `submittable`), for the checks inside a transaction.
fn state_codes(admitted: fn(MaterialState) -> bool) -> Vec<&'static str> {
    MaterialState::ALL
        .into_iter()
        .filter(|state| admitted(*state))
        .map(MaterialState::code)
        .collect()
}

/// A macro so the plan test can append `EXPLAIN` to the very same literal.
macro_rules! materials_of_owner {
    () => {
        "SELECT type::string(record::id(id)) AS id, type::string(record::id(meeting)) AS meeting_id,
            version, state, updated_at FROM material WHERE owner = $owner AND collective != true
            ORDER BY updated_at DESC"
    };
}

impl Store {
    /// The meetings of a branch, the latest meeting date first.
    pub async fn meetings_of_branch(&self, branch_id: &str) -> Result<Vec<MeetingRow>> {
        Ok(self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, title, kind, meeting_on, created_at FROM meeting
                 WHERE branch = $branch ORDER BY meeting_on DESC, created_at DESC",
            )
            .bind(("branch", record("branch", branch_id))))
        .await?
        .take(0)?)
    }

    /// Creates a member's material for a meeting as version 1, with its first revision.
    /// The record key is derived from the meeting and the owner, so a second material for
    /// the same pair is refused by the key itself, even when two requests race.
    pub async fn create_material(
        &self,
        meeting_id: &str,
        owner_id: &str,
        content: &Material,
        request_id: &str,
    ) -> Result<String> {
        let key = material_key(meeting_id, owner_id);
        let created = self.run(self
            .db()
            .query(
                "BEGIN;
                 CREATE $id SET meeting = $meeting, owner = $owner, version = 1, content = $content,
                    state = 'draft', created_at = time::now(), updated_at = time::now();
                 CREATE revision SET material = $id, version = 1, content = $content, author = $owner,
                    request_id = $request, at = time::now();
                 COMMIT;",
            )
            .bind(("id", record("material", &key)))
            .bind(("meeting", record("meeting", meeting_id)))
            .bind(("owner", record("user", owner_id)))
            .bind(("content", to_json(content)?))
            .bind(("request", request_id.to_string())))
        .await;
        match created {
            Ok(_) => Ok(key),
            Err(StoreError::Database(message)) if message.contains("already exists") => {
                Err(StoreError::Conflict("您在本次会议已有一份材料".into()))
            }
            Err(other) => Err(other),
        }
    }

    /// The material with this key, if any. Callers decide who may see it.
    pub async fn material(&self, material_id: &str) -> Result<Option<MaterialRecord>> {
        let mut rows: Vec<MaterialRow> = self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, type::string(record::id(meeting)) AS meeting_id,
                    type::string(record::id(owner)) AS owner_id, collective, version, state, content,
                    updated_at FROM $id",
            )
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?;
        rows.pop().map(MaterialRecord::try_from).transpose()
    }

    /// Saves new content over `base_version`. See the module documentation for the rules.
    pub async fn save_material(
        &self,
        material_id: &str,
        author_id: &str,
        base_version: i64,
        content: &Material,
        request_id: &str,
    ) -> Result<SaveOutcome> {
        self.write_revision(
            material_id,
            author_id,
            base_version,
            content,
            request_id,
            None,
        )
        .await
    }

    /// Makes an old revision's content current again, as a new revision.
    pub async fn restore_revision(
        &self,
        material_id: &str,
        author_id: &str,
        base_version: i64,
        version: i64,
        request_id: &str,
    ) -> Result<SaveOutcome> {
        let content = self
            .revision_content(material_id, version)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.write_revision(
            material_id,
            author_id,
            base_version,
            &content,
            request_id,
            Some(version),
        )
        .await
    }

    async fn write_revision(
        &self,
        material_id: &str,
        author_id: &str,
        base_version: i64,
        content: &Material,
        request_id: &str,
        restored_from: Option<i64>,
    ) -> Result<SaveOutcome> {
        if let Some(version) = self.replayed_version(material_id, request_id).await? {
            return Ok(SaveOutcome::Replayed { version });
        }
        let current = self.existing_material(material_id).await?;
        if current.version != base_version || !current.is_editable() {
            return Ok(SaveOutcome::refused(current));
        }
        if &current.content == content {
            return Ok(SaveOutcome::Unchanged {
                version: current.version,
            });
        }
        let next = base_version + 1;
        // The version check is repeated inside the transaction: another save may have
        // landed since the read above.
        let outcome = self.run(self
            .db()
            .query(concat!(
                "BEGIN;
                 LET $updated = (UPDATE $id SET version = $next, content = $content, updated_at = time::now()
                    WHERE version = $base AND state IN $editable RETURN VALUE version);
                 IF array::len($updated) = 0 { THROW '",
                "stale material version",
                "' };
                 CREATE revision SET material = $id, version = $next, content = $content, author = $author,
                    request_id = $request, restored_from = $restored_from, at = time::now();
                 COMMIT;"
            ))
            .bind(("id", record("material", material_id)))
            .bind(("next", next))
            .bind(("base", base_version))
            .bind(("editable", state_codes(MaterialState::editable)))
            .bind(("content", to_json(content)?))
            .bind(("author", record("user", author_id)))
            .bind(("request", request_id.to_string()))
            .bind(("restored_from", restored_from)))
        .await;
        match outcome {
            Ok(_) => Ok(SaveOutcome::Saved { version: next }),
            Err(StoreError::Database(message)) if message.contains(STALE) => Ok(
                SaveOutcome::refused(self.existing_material(material_id).await?),
            ),
            // The same request raced itself: the first one won; answer with its version.
            Err(StoreError::Conflict(_)) => {
                match self.replayed_version(material_id, request_id).await? {
                    Some(version) => Ok(SaveOutcome::Replayed { version }),
                    None => Err(StoreError::Database("revision conflict".into())),
                }
            }
            Err(other) => Err(other),
        }
    }

    async fn existing_material(&self, material_id: &str) -> Result<MaterialRecord> {
        self.material(material_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn replayed_version(&self, material_id: &str, request_id: &str) -> Result<Option<i64>> {
        let versions: Vec<i64> = self.run(self
            .db()
            .query(
                "SELECT VALUE version FROM revision WHERE material = $id AND request_id = $request",
            )
            .bind(("id", record("material", material_id)))
            .bind(("request", request_id.to_string())))
        .await?
        .take(0)?;
        Ok(versions.into_iter().next())
    }

    /// The revision history, newest first.
    pub async fn revisions(&self, material_id: &str) -> Result<Vec<RevisionSummary>> {
        Ok(self.run(self
            .db()
            .query("SELECT version, at, type::string(record::id(author)) AS author_id, restored_from
                FROM revision WHERE material = $id ORDER BY version DESC")
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?)
    }

    /// The content of one revision.
    pub async fn revision_content(
        &self,
        material_id: &str,
        version: i64,
    ) -> Result<Option<Material>> {
        let mut rows: Vec<ContentRow> = self
            .run(
                self.db()
                    .query(
                        "SELECT content FROM revision WHERE material = $id AND version = $version",
                    )
                    .bind(("id", record("material", material_id)))
                    .bind(("version", version)),
            )
            .await?
            .take(0)?;
        rows.pop().map(|row| from_json(&row.content)).transpose()
    }
}

/// What became of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Frozen as this round.
    Submitted { round: i64 },
    /// The material changed since the version the author checked, or is not editable.
    Refused,
}

impl Store {
    /// Every material of a person, newest change first.
    pub async fn materials_of_owner(&self, owner_id: &str) -> Result<Vec<MaterialSummary>> {
        Ok(self
            .run(
                self.db()
                    .query(materials_of_owner!())
                    .bind(("owner", record("user", owner_id))),
            )
            .await?
            .take(0)?)
    }

    /// A person's materials that wait for them to revise after a return, the latest first.
    pub async fn returned_materials(&self, owner_id: &str) -> Result<Vec<ReturnedRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS material_id,
                            meeting.title AS meeting_title, updated_at
                         FROM material WHERE owner = $owner AND state = 'returned'
                         ORDER BY updated_at DESC",
                    )
                    .bind(("owner", record("user", owner_id))),
            )
            .await?
            .take(0)?)
    }

    /// Freezes `version` of the material as the next submission round, if it is still the
    /// current version and the material is editable. Audited in the same transaction.
    ///
    /// `ledger` holds the measures of that version: they become (or update) 整改台账 items in
    /// the same transaction.
    pub async fn submit_material(
        &self,
        material_id: &str,
        version: i64,
        ledger: &[LedgerEntryRow],
        audit: &AuditEntry,
    ) -> Result<SubmitOutcome> {
        let outcome = self.run(audit.bind(
            self.db()
                .query(concat!(
                    "BEGIN;
                     LET $current = (SELECT version, state, content FROM ONLY $id);
                     IF $current.version != $version OR $current.state NOT IN $editable { THROW '",
                    "stale material version",
                    "' };
                     LET $round = array::len((SELECT VALUE id FROM submission WHERE material = $id)) + 1;
                     CREATE submission SET material = $id, round = $round, version = $version,
                        content = $current.content, at = time::now();
                     UPDATE $id SET state = 'submitted', submitted_at = time::now();",
                    sync_ledger!(),
                    insert_audit!(),
                    "COMMIT;"
                ))
                .bind(("id", record("material", material_id)))
                .bind(("version", version))
                .bind(("entries", ledger.to_vec()))
                .bind(("editable", state_codes(MaterialState::submittable))),
        ))
        .await;
        match outcome {
            Ok(_) => {
                let round = self
                    .submissions(material_id)
                    .await?
                    .first()
                    .map(|latest| latest.round)
                    .ok_or_else(|| StoreError::Database("submission round missing".into()))?;
                Ok(SubmitOutcome::Submitted { round })
            }
            Err(StoreError::Database(message)) if message.contains(STALE) => {
                Ok(SubmitOutcome::Refused)
            }
            Err(other) => Err(other),
        }
    }

    /// Takes a submitted material back into drafting. `false` if it was not submitted.
    pub async fn withdraw_material(&self, material_id: &str, audit: &AuditEntry) -> Result<bool> {
        let outcome = self.run(audit.bind(
            self.db()
                .query(concat!(
                    "BEGIN;
                     LET $changed = (UPDATE $id SET state = 'draft' WHERE state = 'submitted' RETURN VALUE id);
                     IF array::len($changed) = 0 { THROW '",
                    "stale material version",
                    "' };",
                    insert_audit!(),
                    "COMMIT;"
                ))
                .bind(("id", record("material", material_id))),
        ))
        .await;
        match outcome {
            Ok(_) => Ok(true),
            Err(StoreError::Database(message)) if message.contains(STALE) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// The submission rounds of a material, newest first.
    pub async fn submissions(&self, material_id: &str) -> Result<Vec<SubmissionSummary>> {
        Ok(self.run(self
            .db()
            .query("SELECT round, version, at FROM submission WHERE material = $id ORDER BY round DESC")
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?)
    }

    /// The frozen text of one submission round.
    pub async fn submission_content(
        &self,
        material_id: &str,
        round: i64,
    ) -> Result<Option<Material>> {
        let mut rows: Vec<ContentRow> = self
            .run(
                self.db()
                    .query("SELECT content FROM submission WHERE material = $id AND round = $round")
                    .bind(("id", record("material", material_id)))
                    .bind(("round", round)),
            )
            .await?
            .take(0)?;
        rows.pop().map(|row| from_json(&row.content)).transpose()
    }

    /// Keeps a refused save whole. A retry of the same request keeps it once.
    pub async fn keep_copy(
        &self,
        material_id: &str,
        author_id: &str,
        base_version: i64,
        content: &Material,
        reason: &str,
        request_id: &str,
    ) -> Result<()> {
        let kept = self.run(self
            .db()
            .query(
                "CREATE kept_copy SET material = $id, author = $author, base_version = $base,
                    content = $content, reason = $reason, request_id = $request, at = time::now()",
            )
            .bind(("id", record("material", material_id)))
            .bind(("author", record("user", author_id)))
            .bind(("base", base_version))
            .bind(("content", to_json(content)?))
            .bind(("reason", reason.to_string()))
            .bind(("request", request_id.to_string())))
        .await;
        match kept {
            Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
            Err(other) => Err(other),
        }
    }

    /// Refused saves the author has not settled yet, oldest first.
    pub async fn kept_copies(&self, material_id: &str) -> Result<Vec<KeptCopy>> {
        let rows: Vec<KeptRow> = self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, base_version, reason, at, content FROM kept_copy
                 WHERE material = $id AND settled_at = NONE ORDER BY at",
            )
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?;
        rows.into_iter()
            .map(|row| {
                Ok(KeptCopy {
                    content: from_json(&row.content)?,
                    id: row.id,
                    base_version: row.base_version,
                    reason: row.reason,
                    at: row.at,
                })
            })
            .collect()
    }

    /// Marks a kept copy as dealt with (it stays in the database).
    pub async fn settle_kept_copy(&self, material_id: &str, kept_id: &str) -> Result<bool> {
        let settled: Vec<String> = self.run(self
            .db()
            .query(
                "UPDATE $kept SET settled_at = time::now() WHERE material = $id AND settled_at = NONE
                 RETURN VALUE type::string(record::id(id))",
            )
            .bind(("kept", record("kept_copy", kept_id)))
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?;
        Ok(!settled.is_empty())
    }
}

/// Why a 定稿 was refused: the material is not 已发言 at the version shown (the same words
/// are thrown inside the query, which `concat!` needs as a literal).
const NOT_SPOKEN: &str = "material not in the spoken state";

impl Store {
    /// Freezes a spoken material's current version as its 定稿. `false` if it is not in the
    /// 已发言 state at that version (changed meanwhile, or not spoken).
    pub async fn finalise_material(
        &self,
        material_id: &str,
        version: i64,
        audit: &AuditEntry,
    ) -> Result<bool> {
        let outcome = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     LET $changed = (UPDATE $id SET state = 'final', final_version = version
                        WHERE state = 'spoken' AND version = $version RETURN VALUE id);
                     IF array::len($changed) = 0 { THROW '",
                            "material not in the spoken state",
                            "' };",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("material", material_id)))
                        .bind(("version", version)),
                ),
            )
            .await;
        match outcome {
            Ok(_) => Ok(true),
            Err(StoreError::Database(message)) if message.contains(NOT_SPOKEN) => Ok(false),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_persons_materials_are_an_index_lookup() {
        let store = Store::in_memory().await.unwrap();
        crate::store::assert_index_lookup(
            &store,
            concat!(materials_of_owner!(), " EXPLAIN"),
            "owner",
            record("user", "someone"),
            "material_owner",
        )
        .await;
    }
}
