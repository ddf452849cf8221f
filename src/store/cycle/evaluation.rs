//! 民主评议党员 storage: settings on the meeting, 自评 rows, and for the 互评/测评 only who
//! voted, tallies and remarks without authors (like the 民主测评), then the 支委会 评定.

use super::*;
use crate::domain::cycle::{EvaluationSettings, FollowUp, SelfAssessment, Verdict, VoterScope};
use chrono::NaiveDate;

/// Where a meeting's evaluation stands, with its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationState {
    pub settings: EvaluationSettings,
    pub open: bool,
    pub closed: bool,
    pub committee_on: Option<NaiveDate>,
    pub assembly_on: Option<NaiveDate>,
    pub finalised: bool,
}

#[derive(SurrealValue)]
struct StateRow {
    evaluation_enabled: Option<bool>,
    evaluation_opens_on: Option<String>,
    evaluation_closes_on: Option<String>,
    evaluation_excellent_share: Option<i64>,
    evaluation_voters: Option<VoterScope>,
    evaluation_assembly_needed: Option<bool>,
    evaluation_opened_at: Option<chrono::DateTime<chrono::Utc>>,
    evaluation_closed_at: Option<chrono::DateTime<chrono::Utc>>,
    evaluation_committee_on: Option<String>,
    evaluation_assembly_on: Option<String>,
    evaluation_finalised_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A member's stored 自评.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SelfRow {
    pub member_id: String,
    pub sections: Vec<String>,
    pub grade: Grade,
}

/// A remark addressed to a member; it has no author.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct RemarkRow {
    pub member_id: String,
    pub text: String,
}

/// The 支委会's grade for a member.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct ResultRow {
    pub member_id: String,
    pub grade: Grade,
    pub reason: Option<String>,
}

fn day(raw: Option<String>) -> Option<NaiveDate> {
    raw.and_then(|text| text.parse().ok())
}

fn evaluation_tally_key(meeting_id: &str, member_id: &str, grade: Grade) -> String {
    format!("{meeting_id}_{member_id}_{}", grade.code())
}

impl Store {
    pub async fn evaluation_state(&self, meeting_id: &str) -> Result<EvaluationState> {
        let mut rows: Vec<StateRow> = self
            .run(
                self.db()
                    .query(
                        "SELECT evaluation_enabled, evaluation_opens_on, evaluation_closes_on,
                    evaluation_excellent_share, evaluation_voters, evaluation_assembly_needed,
                    evaluation_opened_at, evaluation_closed_at, evaluation_committee_on,
                    evaluation_assembly_on, evaluation_finalised_at
                 FROM $id",
                    )
                    .bind(("id", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?;
        let row = rows.pop().ok_or(StoreError::NotFound)?;
        let defaults = EvaluationSettings::default();
        Ok(EvaluationState {
            settings: EvaluationSettings {
                enabled: row.evaluation_enabled.unwrap_or(defaults.enabled),
                opens_on: day(row.evaluation_opens_on),
                closes_on: day(row.evaluation_closes_on),
                excellent_share: row
                    .evaluation_excellent_share
                    .and_then(|n| u8::try_from(n).ok())
                    .unwrap_or(defaults.excellent_share),
                voters: row.evaluation_voters.unwrap_or(defaults.voters),
                assembly_needed: row
                    .evaluation_assembly_needed
                    .unwrap_or(defaults.assembly_needed),
            },
            open: row.evaluation_opened_at.is_some() && row.evaluation_closed_at.is_none(),
            closed: row.evaluation_closed_at.is_some(),
            committee_on: day(row.evaluation_committee_on),
            assembly_on: day(row.evaluation_assembly_on),
            finalised: row.evaluation_finalised_at.is_some(),
        })
    }

    /// Saves the settings; refused (`NotOpen`) once the 评定 is final.
    pub async fn set_evaluation_settings(
        &self,
        meeting_id: &str,
        settings: &EvaluationSettings,
        audit: &AuditEntry,
    ) -> Result<PhaseOutcome> {
        phase_outcome(
            self.run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     IF $id.evaluation_finalised_at != NONE { THROW 'cycle phase not open' };
                     UPDATE $id SET evaluation_enabled = $enabled, evaluation_opens_on = $opens_on,
                        evaluation_closes_on = $closes_on, evaluation_excellent_share = $share,
                        evaluation_voters = $voters, evaluation_assembly_needed = $assembly;",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("meeting", meeting_id)))
                        .bind(("enabled", settings.enabled))
                        .bind(("opens_on", settings.opens_on.map(|d| d.to_string())))
                        .bind(("closes_on", settings.closes_on.map(|d| d.to_string())))
                        .bind(("share", i64::from(settings.excellent_share)))
                        .bind(("voters", settings.voters.code()))
                        .bind(("assembly", settings.assembly_needed)),
                ),
            )
            .await,
        )
    }

    /// Opens the 互评/测评 (once, where enabled) or closes it for good.
    pub async fn set_evaluation_phase(
        &self,
        meeting_id: &str,
        open: bool,
        audit: &AuditEntry,
    ) -> Result<PhaseOutcome> {
        let statement = if open {
            "IF $id.evaluation_opened_at != NONE OR $id.evaluation_enabled != true {
                THROW 'cycle phase not open' };
             UPDATE $id SET evaluation_opened_at = time::now();"
        } else {
            "IF $id.evaluation_opened_at = NONE OR $id.evaluation_closed_at != NONE {
                THROW 'cycle phase not open' };
             UPDATE $id SET evaluation_closed_at = time::now();"
        };
        phase_outcome(
            self.run(
                audit.bind(
                    self.db()
                        .query("BEGIN;")
                        .query(statement)
                        .query(insert_audit!())
                        .query("COMMIT;")
                        .bind(("id", record("meeting", meeting_id))),
                ),
            )
            .await,
        )
    }

    /// Writes (or rewrites) a member's 自评; refused once the 评定 is final.
    pub async fn save_self_assessment(
        &self,
        meeting_id: &str,
        member_id: &str,
        assessment: &SelfAssessment,
    ) -> Result<PhaseOutcome> {
        phase_outcome(
            self.run(
                self.db()
                    .query(
                        "BEGIN;
                 IF $meeting.evaluation_finalised_at != NONE { THROW 'cycle phase not open' };
                 UPSERT type::record('evaluation_self', $key) SET meeting = $meeting,
                    member = $member, sections = $sections, grade = $grade,
                    updated_at = time::now();
                 COMMIT;",
                    )
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("member", record("user", member_id)))
                    .bind(("key", format!("{meeting_id}_{member_id}")))
                    .bind(("sections", assessment.sections.clone()))
                    .bind(("grade", assessment.grade.code())),
            )
            .await,
        )
    }

    /// The meeting's 自评, for the secretary; or one member's, with `member_id`.
    pub async fn self_assessments(
        &self,
        meeting_id: &str,
        member_id: Option<&str>,
    ) -> Result<Vec<SelfRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(member)) AS member_id, sections, grade
                 FROM evaluation_self
                 WHERE meeting = $meeting AND ($member = NONE OR member = $member)",
                    )
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("member", member_id.map(|id| record("user", id)))),
            )
            .await?
            .take(0)?)
    }

    /// Counts one 互评 form: the voter is marked as having voted, then — in a transaction
    /// of its own, so no commit holds both — each grade goes onto its tally and each remark
    /// is stored with its recipient only, under a random key. Nothing is kept of the form.
    pub async fn cast_evaluation(
        &self,
        meeting_id: &str,
        voter_id: &str,
        marks: &[(String, Grade)],
        remarks: &[(String, String)],
    ) -> Result<PhaseOutcome> {
        let voter_key = new_key();
        let marked = phase_outcome(
            self.run(
                self.db()
                    .query(
                        "BEGIN;
                 IF $meeting.evaluation_opened_at = NONE OR $meeting.evaluation_closed_at != NONE {
                    THROW 'cycle phase not open' };
                 CREATE type::record('evaluation_voter', $voter_key) SET meeting = $meeting, voter = $voter;
                 COMMIT;",
                    )
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
                    "key": evaluation_tally_key(meeting_id, member, *grade),
                    "member": member,
                    "grade": grade.code(),
                })
            })
            .collect();
        let remarks: Vec<serde_json::Value> = remarks
            .iter()
            .map(|(member, text)| {
                serde_json::json!({ "key": new_key(), "member": member, "text": text })
            })
            .collect();
        let counted = phase_outcome(
            self.run(
                self.db()
                    .query(
                        "BEGIN;
                 IF $meeting.evaluation_closed_at != NONE { THROW 'cycle phase not open' };
                 FOR $tally IN $tallies {
                    UPSERT type::record('evaluation_tally', $tally.key) SET meeting = $meeting,
                        member = type::record('user', $tally.member), grade = $tally.grade,
                        count = (count ?? 0) + 1;
                 };
                 FOR $remark IN $remarks {
                    CREATE type::record('evaluation_remark', $remark.key) SET meeting = $meeting,
                        member = type::record('user', $remark.member), text = $remark.text;
                 };
                 COMMIT;",
                    )
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("tallies", tallies))
                    .bind(("remarks", remarks)),
            )
            .await,
        );
        if !matches!(counted, Ok(PhaseOutcome::Done)) {
            self.take_back_marker("evaluation_voter", &voter_key)
                .await?;
        }
        counted
    }

    /// The ids of those who voted in the 互评/测评 — never what they gave.
    pub async fn evaluation_voters(&self, meeting_id: &str) -> Result<Vec<String>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT VALUE type::string(record::id(voter)) FROM evaluation_voter
                 WHERE meeting = $meeting",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }

    pub async fn evaluation_tallies(&self, meeting_id: &str) -> Result<Vec<TallyRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(member)) AS member_id, grade, count
                 FROM evaluation_tally WHERE meeting = $meeting",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }

    /// The remarks of the meeting, or those to one member: sorted by their text, so their
    /// order says nothing about who wrote them or when.
    pub async fn evaluation_remarks(
        &self,
        meeting_id: &str,
        member_id: Option<&str>,
    ) -> Result<Vec<RemarkRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(member)) AS member_id, text
                 FROM evaluation_remark
                 WHERE meeting = $meeting AND ($member = NONE OR member = $member)
                 ORDER BY text",
                    )
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("member", member_id.map(|id| record("user", id)))),
            )
            .await?
            .take(0)?)
    }

    /// Sets the 支委会's grade for a member: only after the 互评/测评 closed, before the 评定
    /// is final.
    pub async fn set_evaluation_result(
        &self,
        meeting_id: &str,
        member_id: &str,
        verdict: &Verdict,
        audit: &AuditEntry,
    ) -> Result<PhaseOutcome> {
        phase_outcome(
            self.run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     IF $meeting.evaluation_closed_at = NONE OR $meeting.evaluation_finalised_at != NONE {
                        THROW 'cycle phase not open' };
                     UPSERT type::record('evaluation_result', $key) SET meeting = $meeting,
                        member = $member, grade = $grade, reason = $reason;",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("meeting", record("meeting", meeting_id)))
                        .bind(("member", record("user", member_id)))
                        .bind(("key", format!("{meeting_id}_{member_id}")))
                        .bind(("grade", verdict.grade.code()))
                        .bind(("reason", verdict.reason.clone())),
                ),
            )
            .await,
        )
    }

    pub async fn evaluation_results(&self, meeting_id: &str) -> Result<Vec<ResultRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(member)) AS member_id, grade, reason
                 FROM evaluation_result WHERE meeting = $meeting",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }

    /// Closes the 评定 with the dates of the 支委会 and of the 党员大会.
    pub async fn finalise_evaluation(
        &self,
        meeting_id: &str,
        committee_on: NaiveDate,
        assembly_on: Option<NaiveDate>,
        audit: &AuditEntry,
    ) -> Result<PhaseOutcome> {
        phase_outcome(
            self.run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     IF $id.evaluation_closed_at = NONE OR $id.evaluation_finalised_at != NONE {
                        THROW 'cycle phase not open' };
                     UPDATE $id SET evaluation_committee_on = $committee,
                        evaluation_assembly_on = $assembly, evaluation_finalised_at = time::now();",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("meeting", meeting_id)))
                        .bind(("committee", committee_on.to_string()))
                        .bind(("assembly", assembly_on.map(|d| d.to_string()))),
                ),
            )
            .await,
        )
    }
}

/// A member's stored follow-up.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct FollowUpRow {
    pub member_id: String,
    pub detail: String,
}

impl Store {
    /// Records what follows a member's grade and, in the same transaction, puts its plan on
    /// the member's 整改台账: one item per line, no material, settled (it follows no text).
    /// A line saved before keeps its item; its text and date change while not started.
    /// Only once the 评定 is final.
    pub async fn save_follow_up(
        &self,
        meeting_id: &str,
        member_id: &str,
        follow_up: &FollowUp,
        audit: &AuditEntry,
    ) -> Result<PhaseOutcome> {
        let problem = match follow_up {
            FollowUp::Reminder { .. } => "民主评议党员评定为基本合格".to_string(),
            FollowUp::Disposal { disposal, .. } => {
                format!("民主评议党员评定为不合格（{}）", disposal.label())
            }
        };
        let items: Vec<serde_json::Value> = follow_up
            .plan()
            .iter()
            .enumerate()
            .map(|(index, item)| {
                serde_json::json!({
                    "measure_id": format!("evaluation-{meeting_id}-{member_id}-{}", index + 1),
                    "position": index + 1,
                    "measure": item.measure,
                    "due": item.due.to_string(),
                })
            })
            .collect();
        let detail = serde_json::to_string(follow_up)
            .map_err(|error| StoreError::Database(error.to_string()))?;
        phase_outcome(
            self.run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     IF $meeting.evaluation_finalised_at = NONE { THROW 'cycle phase not open' };
                     UPSERT type::record('evaluation_follow_up', $key) SET meeting = $meeting,
                        member = $member, detail = $detail, updated_at = time::now();
                     FOR $item IN $items {
                        LET $existing = (SELECT VALUE id FROM ledger_item
                            WHERE owner = $member AND measure_id = $item.measure_id);
                        IF array::len($existing) = 0 {
                            CREATE ledger_item CONTENT {
                                branch: $meeting.branch, meeting: $meeting, material: NONE,
                                owner: $member, measure_id: $item.measure_id,
                                position: $item.position, measure: $item.measure, standard: '',
                                problem: $problem, category: '民主评议', kind: 'by_date',
                                status: 'not_started', original_deadline: $item.due,
                                deadline: $item.due, follow_ups: [], settled: true, revision: 0,
                                created_at: time::now(), updated_at: time::now()
                            };
                        } ELSE {
                            UPDATE $existing[0] SET measure = $item.measure, problem = $problem,
                                original_deadline = $item.due, deadline = $item.due,
                                revision += 1, updated_at = time::now()
                            WHERE status = 'not_started';
                        };
                     };",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("meeting", record("meeting", meeting_id)))
                        .bind(("member", record("user", member_id)))
                        .bind(("key", format!("{meeting_id}_{member_id}")))
                        .bind(("detail", detail))
                        .bind(("problem", problem))
                        .bind(("items", items)),
                ),
            )
            .await,
        )
    }

    /// The meeting's follow-ups, or one member's.
    pub async fn follow_ups(
        &self,
        meeting_id: &str,
        member_id: Option<&str>,
    ) -> Result<Vec<(String, FollowUp)>> {
        let rows: Vec<FollowUpRow> = self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(member)) AS member_id, detail
                 FROM evaluation_follow_up
                 WHERE meeting = $meeting AND ($member = NONE OR member = $member)",
                    )
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("member", member_id.map(|id| record("user", id)))),
            )
            .await?
            .take(0)?;
        rows.into_iter()
            .map(|row| {
                serde_json::from_str(&row.detail)
                    .map(|follow_up| (row.member_id, follow_up))
                    .map_err(|error| StoreError::Database(format!("bad follow-up: {error}")))
            })
            .collect()
    }
}
