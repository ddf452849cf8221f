//! Written 批评意见: the criticism a person gave, and the pairs the secretary assigned.

use super::*;

impl Store {
    /// The criticisms a person wrote in a meeting, oldest first.
    pub async fn criticisms_by(&self, meeting_id: &str, giver_id: &str) -> Result<Vec<OpinionRow>> {
        Ok(self
            .run(
                self.db()
                    .query(concat!(
                        opinion_fields!(),
                        "WHERE meeting = $meeting AND giver = $giver ORDER BY created_at"
                    ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("giver", record("user", giver_id))),
            )
            .await?
            .take(0)?)
    }

    /// Who is to criticise whom in a meeting, by the giver's name in 拼音 order.
    pub async fn criticism_pairs(&self, meeting_id: &str) -> Result<Vec<(String, String)>> {
        #[derive(SurrealValue)]
        struct PairRow {
            giver: String,
            recipient: String,
            giver_name: String,
        }
        let mut rows: Vec<PairRow> = self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(giver)) AS giver,
                    type::string(record::id(recipient)) AS recipient, giver.name AS giver_name
                 FROM criticism_pair WHERE meeting = $meeting ORDER BY giver, recipient",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        crate::collation::sort_by_pinyin(&mut rows, |row| &row.giver_name);
        Ok(rows.into_iter().map(|r| (r.giver, r.recipient)).collect())
    }

    pub async fn set_criticism_pair(
        &self,
        meeting_id: &str,
        giver_id: &str,
        recipient_id: &str,
        assigned: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        let statement = if assigned {
            "IF array::len((SELECT id FROM criticism_pair WHERE meeting = $meeting AND giver = $giver
                AND recipient = $recipient)) = 0 {
                CREATE criticism_pair SET meeting = $meeting, giver = $giver, recipient = $recipient;
             };"
        } else {
            "DELETE criticism_pair WHERE meeting = $meeting AND giver = $giver AND recipient = $recipient;"
        };
        self.run(
            audit.bind(
                self.db()
                    .query("BEGIN;")
                    .query(statement)
                    .query(insert_audit!())
                    .query("COMMIT;")
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("giver", record("user", giver_id)))
                    .bind(("recipient", record("user", recipient_id))),
            ),
        )
        .await?;
        Ok(())
    }
}
