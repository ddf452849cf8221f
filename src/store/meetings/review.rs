//! The review of submitted rounds: decisions by stage, comments, and the rounds waiting
//! for a reviewer.

use super::*;

/// A review decision on one round.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct ReviewRow {
    pub round: i64,
    pub stage: i64,
    pub reviewer_name: String,
    pub decision: Decision,
    pub reason: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A comment on one round, anchored to the whole text, a part or an item.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct CommentRow {
    pub id: String,
    pub round: i64,
    pub author_name: String,
    pub anchor: String,
    pub text: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Who decides: the secretary (stage 1; a second reviewer may follow) or the meeting's
/// second reviewer (stage 2, only after the secretary approved the round).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStage {
    Secretary { second_follows: bool },
    Second,
}

impl ReviewStage {
    fn number(self) -> i64 {
        match self {
            Self::Secretary { .. } => 1,
            Self::Second => 2,
        }
    }
}

/// A submitted round waiting for a reviewer's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingRound {
    pub material_id: String,
    pub owner_name: String,
    pub round: i64,
}

#[derive(SurrealValue)]
struct WaitingRow {
    material_id: String,
    owner_name: String,
    round: i64,
    /// The stages that decided the round already.
    decided: Vec<i64>,
    submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A macro so the plan test can append `EXPLAIN` to the very same literal.
macro_rules! rounds_awaiting {
    () => {
        "SELECT type::string(record::id(id)) AS material_id, owner.name AS owner_name,
            fn::latest_round(id) AS round, fn::latest_round_stages(id) AS decided, submitted_at
         FROM material WHERE meeting = $meeting AND state = 'submitted' ORDER BY submitted_at"
    };
}

/// What became of a review decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionOutcome {
    Recorded,
    /// The material is no longer waiting on this round (withdrawn, resubmitted, decided).
    NotPending,
}

/// The message SurrealDB reports when a decision meets a material that moved on.
const NOT_PENDING: &str = "review round not pending";
impl Store {
    /// Records the decision on a submitted round — `returned` (with its reason) or
    /// `approved` — if the material still waits on exactly that round. The state change,
    /// the decision and the audit row commit together.
    pub async fn decide_review(
        &self,
        material_id: &str,
        round: i64,
        stage: ReviewStage,
        decision: &'static str,
        reason: &str,
        audit: &AuditEntry,
    ) -> Result<DecisionOutcome> {
        let outcome = self.run(audit.bind(
            self.db()
                .query(concat!(
                    "BEGIN;
                     LET $latest = math::max((SELECT VALUE round FROM submission WHERE material = $id));
                     LET $state = (SELECT VALUE state FROM ONLY $id);
                     LET $first = (SELECT VALUE decision FROM review
                        WHERE material = $id AND round = $round AND stage = 1);
                     IF $state != 'submitted' OR $latest != $round
                        OR ($stage = 2 AND $first != ['approved']) { THROW '",
                    "review round not pending",
                    "' };
                     CREATE review SET material = $id, round = $round, stage = $stage,
                        reviewer = $audit_actor, decision = $decision, reason = $reason,
                        at = time::now();
                     UPDATE $id SET state = IF $decision = 'approved' AND $stage = 1 AND $second
                        THEN 'submitted' ELSE $decision END;
                     -- Approved for good: the 台账 items stop following the text.
                     IF (SELECT VALUE state FROM ONLY $id) = 'approved' {
                        UPDATE ledger_item SET settled = true WHERE material = $id;
                     };",
                    insert_audit!(),
                    "COMMIT;"
                ))
                .bind(("id", record("material", material_id)))
                .bind(("round", round))
                .bind(("stage", stage.number()))
                .bind(("second", stage == ReviewStage::Secretary { second_follows: true }))
                .bind(("decision", decision))
                .bind(("reason", reason.to_string())),
        ))
        .await;
        match outcome {
            Ok(_) => Ok(DecisionOutcome::Recorded),
            Err(StoreError::Database(message)) if message.contains(NOT_PENDING) => {
                Ok(DecisionOutcome::NotPending)
            }
            Err(StoreError::Conflict(_)) => Ok(DecisionOutcome::NotPending),
            Err(other) => Err(other),
        }
    }

    /// The decisions on a material, oldest first.
    pub async fn reviews(&self, material_id: &str) -> Result<Vec<ReviewRow>> {
        Ok(self.run(self
            .db()
            .query(
                "SELECT round, stage, reviewer.name AS reviewer_name, decision, reason, at FROM review
                 WHERE material = $id ORDER BY round, stage",
            )
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?)
    }

    /// The meeting's submitted rounds that wait for `stage`, the earliest handed in first:
    /// for the secretary, rounds nobody decided yet; for the second reviewer, rounds the
    /// secretary approved (a material the secretary approved stays submitted only when a
    /// second reviewer follows).
    pub async fn rounds_awaiting(
        &self,
        meeting_id: &str,
        stage: ReviewStage,
    ) -> Result<Vec<WaitingRound>> {
        let rows: Vec<WaitingRow> = self
            .run(
                self.db()
                    .query(rounds_awaiting!())
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        let waits = |decided: &[i64]| match stage {
            ReviewStage::Secretary { .. } => decided.is_empty(),
            ReviewStage::Second => decided == [1],
        };
        Ok(rows
            .into_iter()
            .filter(|row| waits(&row.decided))
            .map(|row| WaitingRound {
                material_id: row.material_id,
                owner_name: row.owner_name,
                round: row.round,
            })
            .collect())
    }

    /// Adds a comment to a round of a material.
    pub async fn add_review_comment(
        &self,
        material_id: &str,
        round: i64,
        author_id: &str,
        anchor: &str,
        text: &str,
    ) -> Result<String> {
        let key = new_key();
        self.run(
            self.db()
                .query(
                    "CREATE $id SET material = $material, round = $round, author = $author,
                    anchor = $anchor, text = $text, at = time::now()",
                )
                .bind(("id", record("review_comment", &key)))
                .bind(("material", record("material", material_id)))
                .bind(("round", round))
                .bind(("author", record("user", author_id)))
                .bind(("anchor", anchor.to_string()))
                .bind(("text", text.to_string())),
        )
        .await?;
        Ok(key)
    }

    /// Every comment on a material, in the order written.
    pub async fn review_comments(&self, material_id: &str) -> Result<Vec<CommentRow>> {
        Ok(self.run(self
            .db()
            .query(
                "SELECT type::string(record::id(id)) AS id, round, author.name AS author_name,
                    anchor, text, at FROM review_comment WHERE material = $id ORDER BY at",
            )
            .bind(("id", record("material", material_id))))
        .await?
        .take(0)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_rounds_waiting_in_a_meeting_are_an_index_lookup() {
        let store = Store::in_memory().await.unwrap();
        crate::store::assert_index_lookup(
            &store,
            concat!(rounds_awaiting!(), " EXPLAIN"),
            "meeting",
            record("meeting", "someone"),
            "material_meeting",
        )
        .await;
    }
}
