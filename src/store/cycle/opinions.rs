//! Opinions addressed to one person: added, released, answered or declined.

use super::*;

/// An opinion addressed to a person.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct OpinionRow {
    pub id: String,
    pub meeting_id: String,
    pub recipient_id: String,
    pub recipient_name: String,
    pub kind: OpinionKind,
    /// `None` for a 征求意见 opinion, always.
    pub giver_id: Option<String>,
    pub giver_name: Option<String>,
    pub text: String,
    pub released: bool,
    pub response: Option<String>,
    pub declined: Option<String>,
}
impl Store {
    /// Adds an opinion addressed to `recipient_id`: a curated 征求意见 one (no giver) or a
    /// named criticism. Not visible to the recipient until released.
    pub async fn add_opinion(
        &self,
        meeting_id: &str,
        recipient_id: &str,
        giver_id: Option<&str>,
        text: &str,
        audit: &AuditEntry,
    ) -> Result<String> {
        let key = new_key();
        let kind = if giver_id.is_some() {
            OpinionKind::Criticism
        } else {
            OpinionKind::Survey
        };
        let mut audit = audit.clone();
        audit.target = Some(key.clone());
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     CREATE $id SET meeting = $meeting, recipient = $recipient, kind = $kind,
                        giver = $giver, text = $text, created_at = time::now();",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("opinion", &key)))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("recipient", record("user", recipient_id)))
                    .bind(("kind", kind.code()))
                    .bind(("giver", giver_id.map(|id| record("user", id))))
                    .bind(("text", text.to_string())),
            ),
        )
        .await?;
        Ok(key)
    }

    pub async fn opinion(&self, opinion_id: &str) -> Result<Option<OpinionRow>> {
        let mut rows: Vec<OpinionRow> = self
            .run(
                self.db()
                    .query(concat!(opinion_fields!(), "WHERE id = $id"))
                    .bind(("id", record("opinion", opinion_id))),
            )
            .await?
            .take(0)?;
        Ok(rows.pop())
    }

    /// Every opinion of a meeting, per recipient in 拼音 order, oldest first.
    pub async fn meeting_opinions(&self, meeting_id: &str) -> Result<Vec<OpinionRow>> {
        let mut opinions: Vec<OpinionRow> = self
            .run(
                self.db()
                    .query(concat!(
                        opinion_fields!(),
                        "WHERE meeting = $meeting ORDER BY recipient_id, created_at"
                    ))
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        // Stable: each recipient's opinions stay oldest first.
        crate::collation::sort_by_pinyin(&mut opinions, |opinion| &opinion.recipient_name);
        Ok(opinions)
    }

    /// The released opinions addressed to a person in a meeting, oldest first.
    pub async fn opinions_to(
        &self,
        meeting_id: &str,
        recipient_id: &str,
    ) -> Result<Vec<OpinionRow>> {
        Ok(self
            .run(
                self.db()
                    .query(concat!(
                opinion_fields!(),
                "WHERE meeting = $meeting AND recipient = $recipient AND released_at != NONE
                 ORDER BY created_at"
            ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("recipient", record("user", recipient_id))),
            )
            .await?
            .take(0)?)
    }

    /// Releases every unreleased opinion addressed to a person.
    pub async fn release_opinions(
        &self,
        meeting_id: &str,
        recipient_id: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(audit.bind(
            self.db()
                .query(concat!(
                    "BEGIN;
                     UPDATE opinion SET released_at = time::now()
                        WHERE meeting = $meeting AND recipient = $recipient AND released_at = NONE;",
                    insert_audit!(),
                    "COMMIT;"
                ))
                .bind(("meeting", record("meeting", meeting_id)))
                .bind(("recipient", record("user", recipient_id))),
        ))
        .await?;
        Ok(())
    }

    /// Removes an opinion not yet released. `false` if it was released meanwhile.
    pub async fn remove_unreleased_opinion(
        &self,
        opinion_id: &str,
        audit: &AuditEntry,
    ) -> Result<bool> {
        let outcome = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     IF $id.released_at != NONE { THROW '",
                            "cycle phase not open",
                            "' };
                     DELETE $id;",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("opinion", opinion_id))),
                ),
            )
            .await;
        match phase_outcome(outcome)? {
            PhaseOutcome::Done => Ok(true),
            _ => Ok(false),
        }
    }

    /// The recipient's 回应 and / or reason for not taking it up in the material.
    pub async fn answer_opinion(
        &self,
        opinion_id: &str,
        response: Option<&str>,
        declined: Option<&str>,
    ) -> Result<()> {
        self.run(self
            .db()
            .query(
                "UPDATE $id SET response = $response, declined = $declined, answered_at = time::now()
                 WHERE released_at != NONE",
            )
            .bind(("id", record("opinion", opinion_id)))
            .bind(("response", response.map(str::to_string)))
            .bind(("declined", declined.map(str::to_string))))
        .await?;
        Ok(())
    }
}
