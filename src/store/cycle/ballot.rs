//! 民主测评 storage: who voted, and the tallies only (no ballot is kept).

use super::*;

/// One tally of the 民主测评.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct TallyRow {
    pub member_id: String,
    pub grade: Grade,
    pub count: i64,
}

fn tally_key(meeting_id: &str, member_id: &str, grade: Grade) -> String {
    format!("{meeting_id}_{member_id}_{}", grade.code())
}
impl Store {
    /// Counts one ballot: the voter is marked as having voted and each member's tally for
    /// the chosen grade goes up by one. No ballot is kept.
    ///
    /// As with the 征求意见, the voter's marker and the tallies are two transactions, so no
    /// commit holds both; the marker first (vote once), taken back if the tallies fail.
    pub async fn cast_ballot(
        &self,
        meeting_id: &str,
        voter_id: &str,
        marks: &[(String, Grade)],
    ) -> Result<PhaseOutcome> {
        let voter_key = new_key();
        let marked = phase_outcome(
            self.run(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     IF $meeting.ballot_opened_at = NONE OR $meeting.ballot_closed_at != NONE {
                        THROW '",
                        "cycle phase not open",
                        "' };
                     CREATE type::record('ballot_voter', $voter_key) SET meeting = $meeting, voter = $voter;
                     COMMIT;"
                    ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("voter", record("user", voter_id)))
                    .bind(("voter_key", voter_key.clone())),
            )
            .await,
        )?;
        if marked != PhaseOutcome::Done {
            return Ok(marked);
        }
        let tallies: Vec<serde_json::Value> = marks
            .iter()
            .map(|(member, grade)| {
                serde_json::json!({
                    "key": tally_key(meeting_id, member, *grade),
                    "member": member,
                    "grade": grade.code(),
                })
            })
            .collect();
        let counted = phase_outcome(
            self.run(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     IF $meeting.ballot_closed_at != NONE { THROW '",
                        "cycle phase not open",
                        "' };
                     FOR $tally IN $tallies {
                        UPSERT type::record('ballot_tally', $tally.key) SET meeting = $meeting,
                            member = type::record('user', $tally.member), grade = $tally.grade,
                            count = (count ?? 0) + 1;
                     };
                     COMMIT;"
                    ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("tallies", tallies)),
            )
            .await,
        );
        if !matches!(counted, Ok(PhaseOutcome::Done)) {
            self.take_back_marker("ballot_voter", &voter_key).await?;
        }
        counted
    }

    pub async fn has_voted(&self, meeting_id: &str, user_id: &str) -> Result<bool> {
        self.any_row(
            "SELECT VALUE id FROM ballot_voter WHERE meeting = $meeting AND voter = $user LIMIT 1",
            meeting_id,
            user_id,
        )
        .await
    }

    pub async fn ballot_voter_count(&self, meeting_id: &str) -> Result<usize> {
        self.count_in("ballot_voter", meeting_id).await
    }

    pub async fn ballot_tallies(&self, meeting_id: &str) -> Result<Vec<TallyRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(member)) AS member_id, grade, count
                 FROM ballot_tally WHERE meeting = $meeting",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }
}
