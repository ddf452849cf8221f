//! The meeting and after: 征求意见, opinions addressed to a person, 批评意见 pairs, 谈心谈话,
//! the meeting record, 民主测评, 定稿 and 报送.
//!
//! Anonymity lives in the shape of the data. A 征求意见 answer row has no respondent and no
//! time; the row saying someone answered has no answer and no time; both get random keys, so
//! neither order nor key links them, and they are committed in separate transactions, so no
//! commit does either. The same holds for 民主测评: who voted, and tallies,
//! never a ballot. Nothing here writes an audit row for answering or voting.

use super::{Result, Store, StoreError, new_key, record};
use crate::collation::sort_by_pinyin;
use crate::domain::cycle::{
    CriticismMode, Grade, OpinionKind, SpeakerStatus, SurveyAnswer, SurveyScope, TalkEntry,
};
use crate::store::AuditEntry;
use surrealdb::types::SurrealValue;

/// The session's settings for the meeting cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleSettings {
    pub survey_open: bool,
    pub survey_closed: bool,
    pub survey_scope: SurveyScope,
    pub criticism_mode: CriticismMode,
    pub talks_required: bool,
    pub recorder: Option<String>,
    pub minutes_notes: String,
    pub ballot_enabled: bool,
    pub ballot_open: bool,
    pub ballot_closed: bool,
    pub reported_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(SurrealValue)]
struct SettingsRow {
    survey_opened_at: Option<chrono::DateTime<chrono::Utc>>,
    survey_closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `None` on sessions set up before the cycle existed: the defaults below.
    survey_scope: Option<SurveyScope>,
    criticism_mode: Option<CriticismMode>,
    talks_required: Option<bool>,
    recorder: Option<String>,
    minutes_notes: Option<String>,
    ballot_enabled: Option<bool>,
    ballot_opened_at: Option<chrono::DateTime<chrono::Utc>>,
    ballot_closed_at: Option<chrono::DateTime<chrono::Utc>>,
    reported_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The options a secretary sets for a session's cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleOptions {
    pub survey_scope: SurveyScope,
    pub criticism_mode: CriticismMode,
    pub talks_required: bool,
    pub ballot_enabled: bool,
    pub recorder: Option<String>,
}

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

macro_rules! opinion_fields {
    () => {
        "SELECT type::string(record::id(id)) AS id, type::string(record::id(meeting)) AS meeting_id,
            type::string(record::id(recipient)) AS recipient_id, recipient.name AS recipient_name,
            kind, IF giver THEN type::string(record::id(giver)) END AS giver_id,
            IF giver THEN giver.name END AS giver_name, text, released_at != NONE AS released,
            response, declined, created_at
         FROM opinion "
    };
}

/// An answer of the 征求意见, as the secretary reads it: what and about whom, never by whom.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SurveyAnswerRow {
    pub id: String,
    pub about_id: Option<String>,
    pub text: String,
}

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

/// One tally of the 民主测评.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct TallyRow {
    pub member_id: String,
    pub grade: Grade,
    pub count: i64,
}

/// The two parts of a session that open and close: the 征求意见 and the 民主测评.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Survey,
    Ballot,
}

/// What became of a write that depends on the session's phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseOutcome {
    Done,
    /// The survey / ballot is not open (not yet, or closed already).
    NotOpen,
    /// This person already answered / voted.
    Already,
}

const NOT_OPEN: &str = "cycle phase not open";
const STALE_SPEAKER: &str = "stale speaker version";
const NOT_SPOKEN: &str = "material not in the spoken state";

fn speaker_key(meeting_id: &str, person_id: &str) -> String {
    format!("{meeting_id}_{person_id}")
}

fn tally_key(meeting_id: &str, member_id: &str, grade: Grade) -> String {
    format!("{meeting_id}_{member_id}_{}", grade.code())
}

fn phase_outcome(result: Result<surrealdb::IndexedResults>) -> Result<PhaseOutcome> {
    match result {
        Ok(_) => Ok(PhaseOutcome::Done),
        Err(StoreError::Database(message)) if message.contains(NOT_OPEN) => {
            Ok(PhaseOutcome::NotOpen)
        }
        Err(StoreError::Conflict(_)) => Ok(PhaseOutcome::Already),
        Err(other) => Err(other),
    }
}

impl Store {
    pub async fn cycle_settings(&self, meeting_id: &str) -> Result<CycleSettings> {
        let mut rows: Vec<SettingsRow> = self.run(self
            .db()
            .query(
                "SELECT survey_opened_at, survey_closed_at, survey_scope, criticism_mode,
                    talks_required, IF recorder THEN type::string(record::id(recorder)) END AS recorder,
                    minutes_notes, ballot_enabled, ballot_opened_at, ballot_closed_at, reported_at
                 FROM $id",
            )
            .bind(("id", record("meeting", meeting_id))))
        .await?
        .take(0)?;
        let row = rows.pop().ok_or(StoreError::NotFound)?;
        Ok(CycleSettings {
            survey_open: row.survey_opened_at.is_some() && row.survey_closed_at.is_none(),
            survey_closed: row.survey_closed_at.is_some(),
            survey_scope: row.survey_scope.unwrap_or(SurveyScope::Members),
            criticism_mode: row.criticism_mode.unwrap_or(CriticismMode::Open),
            talks_required: row.talks_required.unwrap_or(false),
            recorder: row.recorder,
            minutes_notes: row.minutes_notes.unwrap_or_default(),
            ballot_enabled: row.ballot_enabled.unwrap_or(false),
            ballot_open: row.ballot_opened_at.is_some() && row.ballot_closed_at.is_none(),
            ballot_closed: row.ballot_closed_at.is_some(),
            reported_at: row.reported_at,
        })
    }

    pub async fn set_cycle_options(
        &self,
        meeting_id: &str,
        options: &CycleOptions,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.run(
            audit.bind(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     UPDATE $id SET survey_scope = $scope, criticism_mode = $mode,
                        talks_required = $talks, ballot_enabled = $ballot, recorder = $recorder;",
                        insert_audit!(),
                        "COMMIT;"
                    ))
                    .bind(("id", record("meeting", meeting_id)))
                    .bind(("scope", options.survey_scope.code()))
                    .bind(("mode", options.criticism_mode.code()))
                    .bind(("talks", options.talks_required))
                    .bind(("ballot", options.ballot_enabled))
                    .bind((
                        "recorder",
                        options.recorder.as_deref().map(|id| record("user", id)),
                    )),
            ),
        )
        .await?;
        Ok(())
    }

    /// Opens a phase (once) or closes it (for good: answers and tallies are read only after
    /// it closed, so their timing tells nothing). A ballot opens only where it is enabled.
    pub async fn set_phase(
        &self,
        meeting_id: &str,
        phase: Phase,
        open: bool,
        audit: &AuditEntry,
    ) -> Result<PhaseOutcome> {
        let statement = match (phase, open) {
            (Phase::Survey, true) => {
                "IF $id.survey_opened_at != NONE { THROW 'cycle phase not open' };
                 UPDATE $id SET survey_opened_at = time::now();"
            }
            (Phase::Survey, false) => {
                "IF $id.survey_opened_at = NONE OR $id.survey_closed_at != NONE {
                    THROW 'cycle phase not open' };
                 UPDATE $id SET survey_closed_at = time::now();"
            }
            (Phase::Ballot, true) => {
                "IF $id.ballot_opened_at != NONE OR $id.ballot_enabled != true {
                    THROW 'cycle phase not open' };
                 UPDATE $id SET ballot_opened_at = time::now();"
            }
            (Phase::Ballot, false) => {
                "IF $id.ballot_opened_at = NONE OR $id.ballot_closed_at != NONE {
                    THROW 'cycle phase not open' };
                 UPDATE $id SET ballot_closed_at = time::now();"
            }
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

    /// Stores one person's 征求意见: that they answered, and what, in two unlinked tables.
    ///
    /// The two are written in two transactions, never one: a commit (its sequence number in
    /// the engine's log, its version on an engine that keeps them) would otherwise hold the
    /// respondent and their answers together. The marker comes first, so the unique index
    /// still lets each person answer once; if the answers then cannot be written, the marker
    /// is taken back so the person can answer again and nothing they wrote is half kept.
    pub async fn answer_survey(
        &self,
        meeting_id: &str,
        respondent_id: &str,
        answers: &[SurveyAnswer],
    ) -> Result<PhaseOutcome> {
        let marker_key = new_key();
        let marked = phase_outcome(
            self.run(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     IF $meeting.survey_opened_at = NONE OR $meeting.survey_closed_at != NONE {
                        THROW '",
                        "cycle phase not open",
                        "' };
                     CREATE type::record('survey_respondent', $respondent_key)
                        SET meeting = $meeting, respondent = $respondent;
                     COMMIT;"
                    ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("respondent", record("user", respondent_id)))
                    .bind(("respondent_key", marker_key.clone())),
            )
            .await,
        )?;
        if marked != PhaseOutcome::Done {
            return Ok(marked);
        }
        let rows: Vec<_> = answers
            .iter()
            .map(|a| {
                serde_json::json!({
                    "key": new_key(),
                    "about": a.about,
                    "text": a.text,
                })
            })
            .collect();
        let written = phase_outcome(
            self.run(
                self.db()
                    .query(concat!(
                        "BEGIN;
                     IF $meeting.survey_closed_at != NONE { THROW '",
                        "cycle phase not open",
                        "' };
                     FOR $answer IN $answers {
                        CREATE type::record('survey_answer', $answer.key) SET meeting = $meeting,
                            about = IF $answer.about THEN type::record('user', $answer.about) END,
                            text = $answer.text;
                     };
                     COMMIT;"
                    ))
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("answers", rows)),
            )
            .await,
        );
        if !matches!(written, Ok(PhaseOutcome::Done)) {
            self.take_back_marker("survey_respondent", &marker_key)
                .await?;
        }
        written
    }

    /// Removes a has-answered / has-voted marker whose answers or tallies were not written.
    async fn take_back_marker(&self, table: &str, key: &str) -> Result<()> {
        self.run(
            self.db()
                .query("DELETE type::record($table, $key)")
                .bind(("table", table.to_string()))
                .bind(("key", key.to_string())),
        )
        .await?;
        Ok(())
    }

    pub async fn has_answered_survey(&self, meeting_id: &str, user_id: &str) -> Result<bool> {
        self.any_row(
            "SELECT VALUE id FROM survey_respondent
             WHERE meeting = $meeting AND respondent = $user LIMIT 1",
            meeting_id,
            user_id,
        )
        .await
    }

    /// Whether `query` (binding `$meeting` and `$user`) finds any row.
    async fn any_row(&self, query: &'static str, meeting_id: &str, user_id: &str) -> Result<bool> {
        let found: Vec<surrealdb::types::RecordId> = self
            .run(
                self.db()
                    .query(query)
                    .bind(("meeting", record("meeting", meeting_id)))
                    .bind(("user", record("user", user_id))),
            )
            .await?
            .take(0)?;
        Ok(!found.is_empty())
    }

    pub async fn survey_respondent_count(&self, meeting_id: &str) -> Result<usize> {
        self.count_in("survey_respondent", meeting_id).await
    }

    /// How many boxes of the 征求意见 were filled in, all respondents together.
    pub async fn survey_answer_count(&self, meeting_id: &str) -> Result<usize> {
        self.count_in("survey_answer", meeting_id).await
    }

    async fn count_in(&self, table: &str, meeting_id: &str) -> Result<usize> {
        let counts: Vec<super::CountRow> = self.run(self
            .db()
            .query("SELECT count() AS count FROM type::table($table) WHERE meeting = $meeting GROUP ALL")
            .bind(("table", table.to_string()))
            .bind(("meeting", record("meeting", meeting_id))))
        .await?
        .take(0)?;
        Ok(counts.first().map_or(0, |row| row.count.max(0) as usize))
    }

    /// Every answer, grouped by whom it is about and sorted by its text: the order says
    /// nothing about who answered when.
    pub async fn survey_answers(&self, meeting_id: &str) -> Result<Vec<SurveyAnswerRow>> {
        Ok(self
            .run(
                self.db()
                    .query(
                        "SELECT type::string(record::id(id)) AS id,
                    IF about THEN type::string(record::id(about)) END AS about_id, text
                 FROM survey_answer WHERE meeting = $meeting ORDER BY about_id, text",
                    )
                    .bind(("meeting", record("meeting", meeting_id))),
            )
            .await?
            .take(0)?)
    }

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

    /// Every opinion of a session, per recipient in 拼音 order, oldest first.
    pub async fn session_opinions(&self, meeting_id: &str) -> Result<Vec<OpinionRow>> {
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
        sort_by_pinyin(&mut opinions, |opinion| &opinion.recipient_name);
        Ok(opinions)
    }

    /// The released opinions addressed to a person in a session, oldest first.
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

    /// The criticisms a person wrote in a session, oldest first.
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

    /// Who is to criticise whom in a session, by the giver's name in 拼音 order.
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
        sort_by_pinyin(&mut rows, |row| &row.giver_name);
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

    /// The session's talks, by date.
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

    /// Freezes a spoken material's current version as its 定稿. `false` if it is not in the
    /// 已发言 state at that version (changed meanwhile, or not spoken).
    pub async fn finalise_material(
        &self,
        material_id: &str,
        version: i64,
        audit: &AuditEntry,
    ) -> Result<bool> {
        let outcome = self
            .run(
                audit.bind(
                    self.db()
                        .query(concat!(
                            "BEGIN;
                     LET $changed = (UPDATE $id SET state = 'final', final_version = version
                        WHERE state = 'spoken' AND version = $version RETURN VALUE id);
                     IF array::len($changed) = 0 { THROW '",
                            "material not in the spoken state",
                            "' };",
                            insert_audit!(),
                            "COMMIT;"
                        ))
                        .bind(("id", record("material", material_id)))
                        .bind(("version", version)),
                ),
            )
            .await;
        match outcome {
            Ok(_) => Ok(true),
            Err(StoreError::Database(message)) if message.contains(NOT_SPOKEN) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// Whether the session's 整改清单 is published to its branch.
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

    /// Records the 报送: the session's 定稿 materials become 已报送.
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
