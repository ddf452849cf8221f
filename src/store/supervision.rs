//! The 督导组 (issue 28, item 3): who supervises which meeting, the 会议方案's approval, and
//! the 点评 recorded at the meeting. Who may do any of it is decided in `server::access`.

use super::{AuditEntry, Result, Store, StoreError, record};
use crate::domain::ledger::ItemStatus;
use crate::domain::supervision::PlanState;
use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

/// Thrown inside a transaction when the plan is not in a state the change applies to.
const PLAN_NOT_PENDING: &str = "plan not in the expected state";

/// A member of a meeting's 督导组.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SupervisorRow {
    pub user_id: String,
    pub name: String,
    /// The node (上级) the member belongs to.
    pub org_name: String,
    pub assigned_at: DateTime<Utc>,
}

/// Someone who may be put on a 督导组: a user of a node above the meeting's organisation.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SupervisorCandidate {
    pub user_id: String,
    pub name: String,
    pub org_name: String,
}

/// The 会议方案's last decision.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct PlanDetail {
    pub submitted_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
}

/// One 点评.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct RemarkRow {
    pub author_id: String,
    pub author_name: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// Whether a change to the plan applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanOutcome {
    Recorded,
    /// The plan was not in the state the change needs (submitted twice, decided twice).
    NotPending,
}

impl Store {
    /// Puts a user on a meeting's 督导组; a second time is a conflict.
    pub async fn assign_supervisor(
        &self,
        meeting_id: &str,
        user_id: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN; CREATE supervisor SET meeting = $meeting, user = $user,
                    assigned_by = $audit_actor, assigned_at = time::now();",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("meeting", record("meeting", meeting_id)))
            .bind(("user", record("user", user_id)));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// Takes a user off a meeting's 督导组. Their 点评 and review decisions stay: they were
    /// given while they were on it.
    pub async fn remove_supervisor(
        &self,
        meeting_id: &str,
        user_id: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN; DELETE supervisor WHERE meeting = $meeting AND user = $user;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("meeting", record("meeting", meeting_id)))
            .bind(("user", record("user", user_id)));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// A meeting's 督导组, in the order they were assigned.
    pub async fn supervisors(&self, meeting_id: &str) -> Result<Vec<SupervisorRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(user)) AS user_id, user.name AS name,
                            user.org.name AS org_name, assigned_at
                         FROM supervisor WHERE meeting = $meeting ORDER BY assigned_at",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }

    /// The meetings a user supervises (by the `supervisor_user` index).
    pub async fn meetings_supervised_by(&self, user_id: &str) -> Result<Vec<String>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT VALUE type::string(record::id(meeting)) FROM supervisor
                         WHERE user = $user",
                    )
                    .bind(("user", record("user", user_id))),
            )
            .await?
            .take(0)?)
    }

    /// The nodes strictly above `node`, nearest first.
    pub async fn nodes_above(&self, node: &str) -> Result<Vec<String>> {
        let mut above = Vec::new();
        let mut current = node.to_string();
        // The tree has no cycle (see `store::tree`); the bound guards a damaged database.
        for _ in 0..32 {
            let parents: Vec<Option<String>> = self
                .run(
                    self.db()
                        .query(
                            "SELECT VALUE IF parent = NONE { NONE }
                                ELSE { type::string(record::id(parent)) } FROM $node",
                        )
                        .bind(("node", record("org", &current))),
                )
                .await?
                .take(0)?;
            match parents.into_iter().next().flatten() {
                Some(parent) if !above.contains(&parent) => {
                    above.push(parent.clone());
                    current = parent;
                }
                _ => break,
            }
        }
        Ok(above)
    }

    /// The active users of these nodes, by node then name.
    pub async fn supervisor_candidates(
        &self,
        nodes: &[String],
    ) -> Result<Vec<SupervisorCandidate>> {
        let nodes: Vec<_> = nodes.iter().map(|node| record("org", node)).collect();
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS user_id, name, org.name AS org_name
                         FROM user WHERE org IN $nodes AND disabled = false ORDER BY org_name, name",
                    )
                    .bind(("nodes", nodes)),
            )
            .await?
            .take(0)?)
    }

    /// The secretary hands the plan to the 督导组: only a plan never submitted or returned.
    pub async fn submit_plan(&self, meeting_id: &str, audit: &AuditEntry) -> Result<PlanOutcome> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN;
                 LET $state = (SELECT VALUE plan_state FROM ONLY $meeting);
                 IF $state != NONE AND $state != 'returned' { THROW '",
                "plan not in the expected state",
                "' };
                 UPDATE $meeting SET plan_state = 'submitted', plan_submitted_at = time::now();",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("meeting", record("meeting", meeting_id)));
        plan_outcome(self.run(audit.bind(query)).await)
    }

    /// A member of the 督导组 approves or returns a submitted plan (the reason only with a
    /// return).
    pub async fn decide_plan(
        &self,
        meeting_id: &str,
        decision: PlanState,
        reason: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<PlanOutcome> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN;
                 IF (SELECT VALUE plan_state FROM ONLY $meeting) != 'submitted' { THROW '",
                "plan not in the expected state",
                "' };
                 UPDATE $meeting SET plan_state = $decision, plan_return_reason = $reason,
                    plan_decided_at = time::now(), plan_decided_by = $audit_actor;",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("meeting", record("meeting", meeting_id)))
            .bind(("decision", decision.code()))
            .bind(("reason", reason.map(str::to_string)));
        plan_outcome(self.run(audit.bind(query)).await)
    }

    /// When the plan was submitted and how it was last decided.
    pub async fn plan_detail(&self, meeting_id: &str) -> Result<PlanDetail> {
        let rows: Vec<PlanDetail> = self
            .run(
                self.db()
                    .query(
                        "SELECT plan_submitted_at AS submitted_at, plan_return_reason AS return_reason,
                            plan_decided_at AS decided_at, plan_decided_by.name AS decided_by
                         FROM $meeting",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        rows.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Records a 点评 by a member of the meeting's 督导组.
    pub async fn add_remark(&self, meeting_id: &str, text: &str, audit: &AuditEntry) -> Result<()> {
        let query = self
            .db()
            .query(concat!(
                "BEGIN; CREATE supervisor_remark SET meeting = $meeting, author = $audit_actor,
                    text = $text, at = time::now();",
                insert_audit!(),
                "COMMIT;"
            ))
            .bind(("meeting", record("meeting", meeting_id)))
            .bind(("text", text.to_string()));
        self.run(audit.bind(query)).await?;
        Ok(())
    }

    /// A meeting's 点评, oldest first.
    pub async fn remarks(&self, meeting_id: &str) -> Result<Vec<RemarkRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(author)) AS author_id,
                            author.name AS author_name, text, at
                         FROM supervisor_remark WHERE meeting = $meeting ORDER BY at",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }

    /// A branch's name ("" if it is gone).
    pub async fn branch_title(&self, branch_id: &str) -> Result<String> {
        let names: Vec<String> = self
            .run(
                self.db()
                    .query("SELECT VALUE name FROM $branch")
                    .bind(("branch", record("branch", branch_id))),
            )
            .await?
            .take(0)?;
        Ok(names.into_iter().next().unwrap_or_default())
    }

    /// The statuses of a meeting's ledger items: whether its 整改 is over.
    pub async fn meeting_item_statuses(&self, meeting_id: &str) -> Result<Vec<ItemStatus>> {
        let codes: Vec<String> = self
            .run(
                self.db()
                    .query("SELECT VALUE status FROM ledger_item WHERE meeting = $meeting")
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        Ok(codes
            .iter()
            .filter_map(|code| ItemStatus::from_code(code))
            .collect())
    }
}

fn plan_outcome(result: Result<surrealdb::IndexedResults>) -> Result<PlanOutcome> {
    match result {
        Ok(_) => Ok(PlanOutcome::Recorded),
        Err(StoreError::Database(message)) if message.contains(PLAN_NOT_PENDING) => {
            Ok(PlanOutcome::NotPending)
        }
        Err(other) => Err(other),
    }
}
