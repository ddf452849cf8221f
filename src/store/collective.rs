//! The collective 班子对照检查材料 of a 民主生活会: one per meeting, drafted by the 主要负责人
//! or the 班子成员 they name, commented on by the 班子 as it is written. Its text, revisions
//! and review rounds are those of any material (`materials`); this is what only it has.

use super::materials::to_json;
use super::{AuditEntry, Result, Store, StoreError, record};
use crate::domain::material::Material;
use crate::domain::template::Template;
use surrealdb::types::SurrealValue;

/// The key of a meeting's collective material: one per meeting, whoever drafts it.
pub fn collective_key(meeting_id: &str) -> String {
    format!("{meeting_id}_collective")
}

/// A 班子成员's comment on the collective material, as listed.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct GroupCommentRow {
    pub author_name: String,
    /// The version the comment was written against.
    pub version: i64,
    pub anchor: String,
    pub text: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Starts the meeting's collective material for its drafter, keeping the group template
    /// it is written from on the meeting (the editor and the checks read it there).
    pub async fn create_collective_material(
        &self,
        meeting_id: &str,
        drafter_id: &str,
        content: &Material,
        group_template: &Template,
        request_id: &str,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = collective_key(meeting_id);
        let template = serde_json::to_string(group_template)
            .map_err(|error| StoreError::Database(error.to_string()))?;
        let query = self
            .db()
            .query(concat!(
                "BEGIN;
                 CREATE $id SET meeting = $meeting, owner = $owner, collective = true, version = 1,
                    content = $content, state = 'draft', created_at = time::now(),
                    updated_at = time::now();
                 CREATE revision SET material = $id, version = 1, content = $content,
                    author = $owner, request_id = $request, at = time::now();
                 UPDATE $meeting SET group_template = $template;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("id", record("material", &key)))
            .bind(("meeting", record("meeting", meeting_id)))
            .bind(("owner", record("user", drafter_id)))
            .bind(("content", to_json(content)?))
            .bind(("template", template))
            .bind(("request", request_id.to_string()));
        match self.run(audit.bind(query)).await {
            Ok(_) => Ok(key),
            Err(StoreError::Database(message)) if message.contains("already exists") => {
                Err(StoreError::Conflict("本次会议已有班子对照检查材料".into()))
            }
            Err(other) => Err(other),
        }
    }

    /// Hands the collective material to another drafter; its text and history stay.
    pub async fn set_collective_drafter(
        &self,
        material_id: &str,
        drafter_id: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN; UPDATE $id SET owner = $owner WHERE collective = true;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("id", record("material", material_id)))
            .bind(("owner", record("user", drafter_id)));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// Records a 班子成员's comment on the version they read.
    pub async fn add_group_comment(
        &self,
        material_id: &str,
        author_id: &str,
        version: i64,
        anchor: &str,
        text: &str,
    ) -> Result<()> {
        self.run(
            self.db()
                .query(
                    "CREATE group_comment SET material = $material, author = $author,
                        version = $version, anchor = $anchor, text = $text, at = time::now()",
                )
                .bind(("material", record("material", material_id)))
                .bind(("author", record("user", author_id)))
                .bind(("version", version))
                .bind(("anchor", anchor.to_string()))
                .bind(("text", text.to_string())),
        )
        .await?;
        Ok(())
    }

    /// The comments on the collective material, oldest first.
    pub async fn group_comments(&self, material_id: &str) -> Result<Vec<GroupCommentRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT author.name AS author_name, version, anchor, text, at
                         FROM group_comment WHERE material = $material ORDER BY at",
                    )
                    .bind(("material", record("material", material_id))),
            )
            .await?
            .take(0)?)
    }
}
