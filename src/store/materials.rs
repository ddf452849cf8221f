//! Members' materials and their revisions. Every save names the version it started from: a
//! save from a stale version is refused with the current text, so two tabs never silently
//! overwrite each other; a retried save (same request id) is answered, not applied twice;
//! a save that changes nothing writes nothing.

use super::{Result, Store, StoreError, new_key, record, run};
use crate::domain::material::Material;
use surrealdb::types::SurrealValue;

/// A material as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialRecord {
    pub id: String,
    pub meeting_id: String,
    pub owner_id: String,
    pub version: i64,
    pub state: String,
    pub content: Material,
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
}

/// A meeting (会次) as listed.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct MeetingRow {
    pub id: String,
    pub title: String,
    pub kind: String,
}

/// One entry of the revision history.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct RevisionSummary {
    pub version: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub restored_from: Option<i64>,
}

#[derive(SurrealValue)]
struct MaterialRow {
    id: String,
    meeting_id: String,
    owner_id: String,
    version: i64,
    state: String,
    content: String,
}

#[derive(SurrealValue)]
struct ContentRow {
    content: String,
}

fn to_json(content: &Material) -> Result<String> {
    serde_json::to_string(content).map_err(|error| StoreError::Database(error.to_string()))
}

fn from_json(content: &str) -> Result<Material> {
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
            version: row.version,
            state: row.state,
        })
    }
}

/// The key of a member's material for a meeting: one per pair, by construction.
pub fn material_key(meeting_id: &str, owner_id: &str) -> String {
    format!("{meeting_id}_{owner_id}")
}

/// The message SurrealDB reports for the `THROW` of a stale save.
const STALE: &str = "stale material version";

impl Store {
    /// Creates a meeting (会次) of a branch with a template (Template JSON).
    pub async fn create_meeting(
        &self,
        branch_id: &str,
        title: &str,
        kind: &str,
        template_json: String,
    ) -> Result<String> {
        let key = new_key();
        run(self
            .db()
            .query("CREATE $id SET branch = $branch, title = $title, kind = $kind, template = $template, created_at = time::now()")
            .bind(("id", record("meeting", &key)))
            .bind(("branch", record("branch", branch_id)))
            .bind(("title", title.to_string()))
            .bind(("kind", kind.to_string()))
            .bind(("template", template_json)))
        .await?;
        Ok(key)
    }

    /// The meetings of a branch, newest first.
    pub async fn meetings_of_branch(&self, branch_id: &str) -> Result<Vec<MeetingRow>> {
        Ok(run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, title, kind, created_at FROM meeting
                 WHERE branch = $branch ORDER BY created_at DESC",
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
        let created = run(self
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
        let mut rows: Vec<MaterialRow> = run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, type::string(record::id(meeting)) AS meeting_id,
                    type::string(record::id(owner)) AS owner_id, version, state, content FROM $id",
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
        if current.version != base_version {
            return Ok(SaveOutcome::Stale {
                current: Box::new(current),
            });
        }
        if &current.content == content {
            return Ok(SaveOutcome::Unchanged {
                version: current.version,
            });
        }
        let next = base_version + 1;
        // The version check is repeated inside the transaction: another save may have
        // landed since the read above.
        let outcome = run(self
            .db()
            .query(concat!(
                "BEGIN;
                 LET $updated = (UPDATE $id SET version = $next, content = $content, updated_at = time::now()
                    WHERE version = $base RETURN VALUE version);
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
            .bind(("content", to_json(content)?))
            .bind(("author", record("user", author_id)))
            .bind(("request", request_id.to_string()))
            .bind(("restored_from", restored_from)))
        .await;
        match outcome {
            Ok(_) => Ok(SaveOutcome::Saved { version: next }),
            Err(StoreError::Database(message)) if message.contains(STALE) => {
                Ok(SaveOutcome::Stale {
                    current: Box::new(self.existing_material(material_id).await?),
                })
            }
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
        let versions: Vec<i64> = run(self
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
        Ok(run(self
            .db()
            .query("SELECT version, at, restored_from FROM revision WHERE material = $id ORDER BY version DESC")
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
        let mut rows: Vec<ContentRow> = run(self
            .db()
            .query("SELECT content FROM revision WHERE material = $id AND version = $version")
            .bind(("id", record("material", material_id)))
            .bind(("version", version)))
        .await?
        .take(0)?;
        rows.pop().map(|row| from_json(&row.content)).transpose()
    }
}
