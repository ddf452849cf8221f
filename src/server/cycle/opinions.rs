//! Opinions addressed to one person: what they received and answer, and the secretary's
//! curating of survey answers into opinions, releasing them and taking one back.

use super::*;

/// An opinion addressed to the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedOpinion {
    pub id: String,
    pub kind: OpinionKind,
    /// The colleague who wrote a criticism; never set for 征求意见.
    pub from: Option<String>,
    pub text: String,
    pub response: Option<String>,
    pub declined: Option<String>,
}

impl ReceivedOpinion {
    pub fn addressed(&self) -> AddressedOpinion {
        AddressedOpinion {
            id: self.id.clone(),
            kind: self.kind,
            text: self.text.clone(),
            declined: self.declined.is_some(),
        }
    }
}

/// An opinion as the secretary manages it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedOpinion {
    pub id: String,
    pub kind: OpinionKind,
    pub from: Option<String>,
    pub text: String,
    pub released: bool,
    pub response: Option<String>,
    pub declined: Option<String>,
}

/// Everything addressed to one participant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonOpinions {
    pub user_id: String,
    pub name: String,
    pub opinions: Vec<ManagedOpinion>,
    pub unreleased: usize,
    pub talked: bool,
}

/// The released opinions addressed to a person in a meeting, for the editor.
#[cfg(feature = "ssr")]
pub(crate) async fn received_opinions(
    store: &crate::store::Store,
    meeting_id: &str,
    user_id: &str,
) -> Result<Vec<ReceivedOpinion>, AppError> {
    Ok(store
        .opinions_to(meeting_id, user_id)
        .await?
        .into_iter()
        .map(backend::received)
        .collect())
}

/// The same, as the 材料体检 reads them.
#[cfg(feature = "ssr")]
pub(crate) async fn addressed_opinions(
    store: &crate::store::Store,
    meeting_id: &str,
    user_id: &str,
) -> Result<Vec<AddressedOpinion>, AppError> {
    Ok(received_opinions(store, meeting_id, user_id)
        .await?
        .iter()
        .map(ReceivedOpinion::addressed)
        .collect())
}

/// The recipient's 回应 to an opinion, and / or why it is not taken up in the material.
#[server(endpoint = "answer_opinion")]
pub async fn answer_opinion(
    opinion_id: String,
    #[server(default)] response: String,
    #[server(default)] declined: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::{OPINION_MAX, optional_long_text};
    use crate::server::context::{actor, state};

    let actor = actor().await?;
    let response = optional_long_text("回应", &response, OPINION_MAX)?;
    let declined = optional_long_text("不采纳的理由", &declined, OPINION_MAX)?;
    let store = &state()?.store;
    let opinion = crate::server::access::received_opinion(store, &actor, &opinion_id).await?;
    store
        .answer_opinion(
            &opinion.id,
            (!response.is_empty()).then_some(response.as_str()),
            (!declined.is_empty()).then_some(declined.as_str()),
        )
        .await?;
    Ok(())
}

/// A curated 征求意见 opinion for one participant, written by the secretary (from the
/// answers, or from 座谈 and 意见箱): it reaches the person without any respondent's name.
#[server(endpoint = "curate_opinion")]
pub async fn curate_opinion(
    meeting_id: String,
    recipient_id: String,
    text: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::opinion_text;
    use crate::server::context::{actor, audit, state};
    use backend::*;

    let actor = actor().await?;
    let text = opinion_text("意见", &text)?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    if !participants(store, &meeting)
        .await?
        .iter()
        .any(|p| p.user_id == recipient_id)
    {
        return Err(AppError::Invalid("该同志不在本次会议名单中".into()));
    }
    store
        .add_opinion(
            &meeting.id,
            &recipient_id,
            None,
            &text,
            &audit(&actor, "survey.curate", None),
        )
        .await?;
    Ok(())
}

/// Passes every opinion not yet released on to the person it is addressed to.
#[server(endpoint = "release_opinions")]
pub async fn release_opinions(meeting_id: String, recipient_id: String) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    store
        .release_opinions(
            &meeting.id,
            &recipient_id,
            &audit(&actor, "opinion.release", Some(recipient_id.clone())),
        )
        .await?;
    Ok(())
}

/// Removes an opinion before it reaches its recipient: the secretary (moderating), or the
/// colleague who wrote the criticism.
#[server(endpoint = "remove_opinion")]
pub async fn remove_opinion(opinion_id: String) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let opinion = crate::server::access::removable_opinion(store, &actor, &opinion_id).await?;
    if !store
        .remove_unreleased_opinion(&opinion.id, &audit(&actor, "opinion.remove", None))
        .await?
    {
        return Err(AppError::Conflict(
            "这条意见已经反馈本人，不能再删除".into(),
        ));
    }
    Ok(())
}
