//! After the meeting: 定稿, the published 整改清单, 报送.

use super::*;

impl Store {
    /// Whether the meeting's 整改清单 is published to its branch.
    pub async fn ledger_published(&self, meeting_id: &str) -> Result<bool> {
        let published: Vec<bool> = self
            .run(
                self.db()
                    .query("SELECT VALUE ledger_published_at != NONE FROM $id")
                    .bind(("id", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        Ok(published.first().copied().unwrap_or(false))
    }

    /// Records the 报送: the meeting's 定稿 materials become 已报送.
    pub async fn mark_reported(&self, meeting_id: &str, audit: &AuditEntry) -> Result<()> {
        self.run(audit.bind(
            self.db()
                .query(concat!(
                    "BEGIN;
                     UPDATE $id SET reported_at = time::now() WHERE reported_at = NONE;
                     UPDATE material SET state = 'reported' WHERE meeting = $id AND state = 'final';",
                    insert_audit!(),
                    "COMMIT;"
                ))
                .bind(("id", record("meeting", meeting_id))),
        ))
        .await?;
        Ok(())
    }
}
