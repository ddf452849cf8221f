//! Written 批评意见: a participant writes one; the secretary assigns who writes to whom.

use super::*;

/// A criticism the reader wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenCriticism {
    pub id: String,
    pub to: String,
    pub text: String,
    pub released: bool,
    pub response: Option<String>,
}

/// A named, written criticism to a colleague, before the meeting. The secretary passes it
/// on (releases it) with the other opinions addressed to that person.
#[server(endpoint = "write_criticism")]
pub async fn write_criticism(
    meeting_id: String,
    recipient_id: String,
    text: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::{may_criticise, opinion_text};
    use crate::server::context::{actor, audit, state};
    use backend::*;

    let actor = actor().await?;
    let text = opinion_text("批评意见", &text)?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let people = participants(store, &meeting).await?;
    let pairs = store.criticism_pairs(&meeting.id).await?;
    let known = people.iter().any(|p| p.user_id == recipient_id);
    if !known
        || !may_criticise(
            settings.criticism_mode,
            &actor.user_id,
            &recipient_id,
            &pairs,
        )
    {
        return Err(AppError::Invalid(
            "不能向该同志提出书面批评意见（不在名单中，或不在书记指定的结对中）".into(),
        ));
    }
    store
        .add_opinion(
            &meeting.id,
            &recipient_id,
            Some(&actor.user_id),
            &text,
            &audit(&actor, "criticism.write", None),
        )
        .await?;
    Ok(())
}

/// Assigns (`assign`) or removes (`remove`) a 批评意见 pair.
#[server(endpoint = "set_criticism_pair")]
pub async fn set_criticism_pair(
    meeting_id: String,
    giver_id: String,
    recipient_id: String,
    action: String,
) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};
    use backend::*;

    let actor = actor().await?;
    let assigned = match action.as_str() {
        "assign" => true,
        "remove" => false,
        _ => return Err(AppError::Invalid("无法识别的操作".into())),
    };
    if giver_id == recipient_id {
        return Err(AppError::Invalid("结对的两人不能是同一人".into()));
    }
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let people = participants(store, &meeting).await?;
    let known = |id: &str| people.iter().any(|p| p.user_id == id);
    if !known(&giver_id) || !known(&recipient_id) {
        return Err(AppError::Invalid("请从参会人员中选择结对的两人".into()));
    }
    store
        .set_criticism_pair(
            &meeting.id,
            &giver_id,
            &recipient_id,
            assigned,
            &audit(&actor, "criticism.pair", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}
