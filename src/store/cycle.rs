//! The meeting and after: 征求意见, opinions addressed to a person, 批评意见 pairs, 谈心谈话,
//! the meeting record, 民主测评, 定稿 and 报送.
//!
//! Anonymity lives in the shape of the data. A 征求意见 answer row has no respondent and no
//! time; the row saying someone answered has no answer and no time; both get random keys, so
//! neither order nor key links them, and they are committed in separate transactions, so no
//! commit does either. The same holds for 民主测评: who voted, and tallies,
//! never a ballot. Nothing here writes an audit row for answering or voting.

use super::{Result, Store, StoreError, new_key, record};
use crate::domain::cycle::{
    CriticismMode, Grade, OpinionKind, SpeakerStatus, SurveyAnswer, SurveyScope, TalkEntry,
};
use crate::store::AuditEntry;
use surrealdb::types::SurrealValue;

/// The meeting's settings for the meeting cycle.
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
    /// `None` on meetings set up before the cycle existed: the defaults below.
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

/// The options a secretary sets for a meeting's cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleOptions {
    pub survey_scope: SurveyScope,
    pub criticism_mode: CriticismMode,
    pub talks_required: bool,
    pub ballot_enabled: bool,
    pub recorder: Option<String>,
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

/// The two parts of a meeting that open and close: the 征求意见 and the 民主测评.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Survey,
    Ballot,
}

/// What became of a write that depends on the meeting's phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseOutcome {
    Done,
    /// The survey / ballot is not open (not yet, or closed already).
    NotOpen,
    /// This person already answered / voted.
    Already,
}

const NOT_OPEN: &str = "cycle phase not open";

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
}

// After the macros above, which the submodules use.
mod ballot;
mod criticism;
mod evaluation;
mod minutes;
mod opinions;
mod report;
mod survey;
mod talks;

pub use ballot::*;
pub use evaluation::*;
pub use minutes::*;
pub use opinions::*;
pub use survey::*;
pub use talks::*;
