//! 民主测评: the ballot form and casting it.

use super::*;

/// A member's 民主测评 tallies, in `Grade::ALL` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyView {
    pub name: String,
    pub counts: Vec<usize>,
}

/// The 民主测评 ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotView {
    pub meeting_id: String,
    pub title: String,
    pub open: bool,
    pub closed: bool,
    pub voted: bool,
    pub members: Vec<PersonChoice>,
}

#[server(endpoint = "ballot_form")]
pub async fn ballot_form(meeting_id: String) -> Result<BallotView, AppError> {
    use crate::server::context::{actor, state};
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    if !settings.ballot_enabled {
        return Err(AppError::NotFound);
    }
    Ok(BallotView {
        open: settings.ballot_open,
        closed: settings.ballot_closed,
        voted: store.has_voted(&meeting.id, &actor.user_id).await?,
        members: choices(&participants(store, &meeting).await?),
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// Counts a secret ballot: only the tallies change, and that the actor voted.
#[server(endpoint = "cast_ballot")]
pub async fn cast_ballot(
    meeting_id: String,
    #[server(default)] grades: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::domain::cycle::ballot;
    use crate::server::context::{actor, state};
    use crate::store::cycle::PhaseOutcome;
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    let members: Vec<String> = participants(store, &meeting)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    if !members.contains(&actor.user_id) {
        return Err(AppError::NotFound);
    }
    let grades = by_person(grades);
    let marks = ballot(&grades, &members)?;
    match store
        .cast_ballot(&meeting.id, &actor.user_id, &marks)
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        PhaseOutcome::NotOpen => Err(AppError::Conflict(
            "民主测评未开始或已结束，您的测评票没有计入".into(),
        )),
        PhaseOutcome::Already => Err(AppError::Conflict("您已经投过票，每人只能投一次".into())),
    }
}
