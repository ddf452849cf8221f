//! 谈心谈话 storage.

use super::*;

/// A logged 谈心谈话.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct TalkRow {
    pub id: String,
    pub by_id: String,
    pub by_name: String,
    pub partner_id: String,
    pub partner_name: String,
    pub on: String,
    pub topics: String,
}
impl Store {
    pub async fn add_talk(&self, meeting_id: &str, by_id: &str, talk: &TalkEntry) -> Result<()> {
        self.run(self
            .db()
            .query(
                "CREATE talk SET meeting = $meeting, recorded_by = $by, partner = $partner, on = $on,
                    topics = $topics, created_at = time::now()",
            )
            .bind(("meeting", record("meeting", meeting_id)))
            .bind(("by", record("user", by_id)))
            .bind(("partner", record("user", &talk.partner)))
            .bind(("on", talk.on.to_string()))
            .bind(("topics", talk.topics.clone())))
        .await?;
        Ok(())
    }

    /// Whether the person took part in at least one logged talk of the session.
    pub async fn has_talked(&self, meeting_id: &str, user_id: &str) -> Result<bool> {
        self.any_row(
            "SELECT VALUE id FROM talk
             WHERE meeting = $meeting AND (recorded_by = $user OR partner = $user) LIMIT 1",
            meeting_id,
            user_id,
        )
        .await
    }

    /// The meeting's talks, by date.
    pub async fn talks(&self, meeting_id: &str) -> Result<Vec<TalkRow>> {
        Ok(self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, type::string(record::id(recorded_by)) AS by_id,
                    recorded_by.name AS by_name, type::string(record::id(partner)) AS partner_id,
                    partner.name AS partner_name, on, topics, created_at
                 FROM talk WHERE meeting = $meeting ORDER BY on, created_at",
            )
            .bind(("meeting", record("meeting", meeting_id))))
        .await?
        .take(0)?)
    }
}
