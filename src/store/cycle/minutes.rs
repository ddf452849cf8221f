//! The 会议记录: attendance, each speaker's record, the secretary's notes.

use super::*;

/// A participant's line of the meeting record, once something was recorded for them.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SpeakerRow {
    pub person_id: String,
    /// The person's name, read with the line: once attendance is recorded the record names
    /// its people even if they later leave the branch.
    pub name: Option<String>,
    pub position: i64,
    pub present: bool,
    pub status: SpeakerStatus,
    pub criticisms: String,
    pub pledge: String,
    pub version: i64,
}

/// What the recorder writes for one speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerEntry {
    pub criticisms: String,
    pub pledge: String,
}

const STALE_SPEAKER: &str = "stale speaker version";

fn speaker_key(meeting_id: &str, person_id: &str) -> String {
    format!("{meeting_id}_{person_id}")
}
impl Store {
    /// The recorded lines of the meeting record, in speaking order.
    pub async fn speakers(&self, meeting_id: &str) -> Result<Vec<SpeakerRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(person)) AS person_id, person.name AS name,
                    position, present, status,
                    criticisms, pledge, version
                 FROM speaker WHERE meeting = $meeting ORDER BY position",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }

    /// Sets attendance and speaking order for every participant at once (`order` lists
    /// them in speaking order with whether each is present).
    pub async fn save_attendance(
        &self,
        meeting_id: &str,
        order: &[(String, bool)],
        audit: &AuditEntry,
    ) -> Result<()> {
        let rows: Vec<serde_json::Value> = order
            .iter()
            .enumerate()
            .map(|(position, (person, present))| {
                serde_json::json!({
                    "key": speaker_key(meeting_id, person),
                    "person": person,
                    "position": position as i64 + 1,
                    "present": present,
                })
            })
            .collect();
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     FOR $row IN $rows {
                        UPSERT type::record('speaker', $row.key) SET meeting = $meeting,
                            person = type::record('user', $row.person), position = $row.position,
                            present = $row.present, version += 1;
                     };",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("rows", rows)),
            ),
        )
        .await?;
        Ok(())
    }

    /// Records what was said about and by one speaker, and how they spoke. Marking someone
    /// 已发言 / 书面发言 moves their approved material to 已发言 in the same transaction.
    /// `None` when the line changed since `base_version` (another recorder saved first).
    ///
    /// When this is the record's first line, it also fixes who the meeting had: everyone
    /// of `roster` (in speaking order) gets a line, present, with nothing recorded yet
    /// (version 0, as a page without the line knows it).
    #[expect(
        clippy::too_many_arguments,
        reason = "each argument is one field of the speaker's line as the form posts it"
    )]
    pub async fn save_speaker(
        &self,
        meeting_id: &str,
        person_id: &str,
        // Where the line goes if it is the person's first: where the record shows them now.
        position: i64,
        base_version: i64,
        status: SpeakerStatus,
        entry: &SpeakerEntry,
        roster: &[String],
        audit: &AuditEntry,
    ) -> Result<Option<i64>> {
        let roster: Vec<serde_json::Value> = roster
            .iter()
            .enumerate()
            .filter(|(_, person)| person.as_str() != person_id)
            .map(|(position, person)| {
                serde_json::json!({
                    "key": speaker_key(meeting_id, person),
                    "person": person,
                    "position": position as i64 + 1,
                })
            })
            .collect();
        let outcome = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     LET $current = $id.version ?? 0;
                     IF $current != $base { THROW '",
                            "stale speaker version",
                            "' };
                     IF array::len((SELECT VALUE id FROM speaker WHERE meeting = $meeting)) = 0 {
                        FOR $row IN $roster {
                            CREATE type::record('speaker', $row.key) SET meeting = $meeting,
                                person = type::record('user', $row.person),
                                position = $row.position, present = true, version = 0;
                        };
                     };
                     UPSERT $id SET meeting = $meeting, person = $person,
                        position = position ?? $position, present = present ?? true,
                        status = $status, criticisms = $criticisms, pledge = $pledge,
                        version = $current + 1;
                     IF $status != 'pending' {
                        UPDATE material SET state = 'spoken'
                            WHERE meeting = $meeting AND owner = $person AND state = 'approved';
                     };",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("speaker", &speaker_key(meeting_id, person_id))))
                        .bind(("meeting", record("meeting", meeting_id)))
                        .bind(("person", record("user", person_id)))
                        .bind(("base", base_version))
                        .bind(("position", position))
                        .bind(("status", status.code()))
                        .bind(("criticisms", entry.criticisms.clone()))
                        .bind(("pledge", entry.pledge.clone()))
                        .bind(("roster", roster)),
                ),
            )
            .await;
        match outcome {
            // The THROW above guarantees the line was at `base_version`.
            Ok(_) => Ok(Some(base_version + 1)),
            Err(StoreError::Database(message)) if message.contains(STALE_SPEAKER) => Ok(None),
            Err(other) => Err(other),
        }
    }

    pub async fn save_minutes_notes(
        &self,
        meeting_id: &str,
        notes: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN; UPDATE $id SET minutes_notes = $notes;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("meeting", meeting_id)))
                    .bind(("notes", notes.to_string())),
            ),
        )
        .await?;
        Ok(())
    }
}
