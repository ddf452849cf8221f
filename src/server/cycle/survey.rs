//! 征求意见: the form a participant (or, when opened so, anyone of the organisation) answers.

use super::*;

/// An answer of the 征求意见 as the secretary reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswerView {
    /// The person's name, or "支部整体".
    pub about: String,
    pub about_id: Option<String>,
    pub text: String,
}

/// The 征求意见 form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyView {
    pub meeting_id: String,
    pub title: String,
    pub open: bool,
    pub closed: bool,
    pub answered: bool,
    pub people: Vec<PersonChoice>,
}

#[server(endpoint = "survey_form")]
pub async fn survey_form(meeting_id: String) -> Result<SurveyView, AppError> {
    use crate::domain::cycle::survey_subjects;
    use crate::server::context::{actor, state};
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let (meeting, settings) = survey_meeting(store, &actor, &meeting_id).await?;
    let members = participants(store, &meeting).await?;
    // A respondent is asked about everyone else, never about themselves.
    let asked = survey_subjects(
        &members
            .iter()
            .map(|m| m.user_id.clone())
            .collect::<Vec<_>>(),
        &actor.user_id,
    );
    Ok(SurveyView {
        open: settings.survey_open,
        closed: settings.survey_closed,
        answered: store
            .has_answered_survey(&meeting.id, &actor.user_id)
            .await?,
        people: choices(&members)
            .into_iter()
            .filter(|person| asked.contains(&person.user_id))
            .collect(),
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// Hands in one person's 征求意见. Nothing about who answered is kept with the answers, and
/// nothing is audited: the answer rows are all there is.
#[server(endpoint = "answer_survey")]
pub async fn answer_survey(
    meeting_id: String,
    #[server(default)] general: String,
    #[server(default)] about: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::domain::cycle::survey_answers;
    use crate::server::context::{actor, state};
    use crate::store::cycle::PhaseOutcome;
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let (meeting, _) = survey_meeting(store, &actor, &meeting_id).await?;
    let people: Vec<String> = participants(store, &meeting)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let about = by_person(about);
    let answers = survey_answers(&general, &about, &people, &actor.user_id)?;
    match store
        .answer_survey(&meeting.id, &actor.user_id, &answers)
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        PhaseOutcome::NotOpen => Err(AppError::Conflict(
            "征求意见未开始或已结束，您填写的内容没有提交".into(),
        )),
        PhaseOutcome::Already => Err(AppError::Conflict(
            "您已经提交过本次征求意见，每人只能提交一次".into(),
        )),
    }
}
