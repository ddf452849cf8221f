//! 谈心谈话: a participant logs a talk they had.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkView {
    pub by: String,
    pub partner: String,
    pub on: String,
    pub topics: String,
}

/// Logs a 谈心谈话 the actor had with another participant.
#[server(endpoint = "log_talk")]
pub async fn log_talk(
    meeting_id: String,
    partner_id: String,
    on: String,
    topics: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::talk_entry;
    use crate::server::context::{actor, state};
    use backend::*;

    let actor = actor().await?;
    let talk = talk_entry(&on, &partner_id, &topics, &actor.user_id)?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    if !participants(store, &meeting)
        .await?
        .iter()
        .any(|p| p.user_id == talk.partner)
    {
        return Err(AppError::Invalid("谈话对象不在本次会议名单中".into()));
    }
    store.add_talk(&meeting.id, &actor.user_id, &talk).await?;
    Ok(())
}
