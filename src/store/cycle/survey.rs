//! 征求意见 storage: the answers, kept apart from who answered (see docs/SECURITY.md).

use super::*;

/// An answer of the 征求意见, as the secretary reads it: what and about whom, never by whom.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct SurveyAnswerRow {
    pub id: String,
    pub about_id: Option<String>,
    pub text: String,
}
impl Store {
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

    pub async fn has_answered_survey(&self, meeting_id: &str, user_id: &str) -> Result<bool> {
        self.any_row(
            "SELECT VALUE id FROM survey_respondent
             WHERE meeting = $meeting AND respondent = $user LIMIT 1",
            meeting_id,
            user_id,
        )
        .await
    }

    pub async fn survey_respondent_count(&self, meeting_id: &str) -> Result<usize> {
        self.count_in("survey_respondent", meeting_id).await
    }

    /// How many boxes of the 征求意见 were filled in, all respondents together.
    pub async fn survey_answer_count(&self, meeting_id: &str) -> Result<usize> {
        self.count_in("survey_answer", meeting_id).await
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
}
