//! The meeting and after (docs/DOMAIN.md §2): 征求意见, written 批评意见, 谈心谈话, the meeting
//! record, 民主测评, 定稿 and the 报送.
//!
//! Who reaches what: a meeting's participants reach its member page, the survey (or anyone
//! of the organisation, when the secretary opens it so) and the ballot; the branch's
//! secretary reaches the administration, the record and the report; the designated recorder
//! reaches the record. To everyone else these meetings do not exist. No function here ever
//! returns who answered the survey or how anyone voted: the store does not know it.

mod ballot;
mod criticism;
mod evaluation;
mod minutes;
mod opinions;
mod report;
mod survey;
mod talks;

pub use ballot::*;
pub use criticism::*;
pub use evaluation::*;
pub use minutes::*;
pub use opinions::*;
pub use report::*;
pub use survey::*;
pub use talks::*;

use super::AppError;
#[cfg(feature = "ssr")]
use super::access::{participant_meeting, recorder_meeting, secretary_meeting, survey_meeting};
use crate::domain::cycle::{
    AddressedOpinion, CriticismMode, OpinionKind, Quorum, SpeakerStatus, SurveyScope,
};
use crate::domain::material::Material;
use crate::domain::material::MaterialState;
use crate::domain::outline::DiffLine;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A person to pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonChoice {
    pub user_id: String,
    pub name: String,
}

/// A participant's page of the meeting: what reaches them, what they write, and where the
/// survey and the ballot stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberCycleView {
    pub meeting_id: String,
    pub title: String,
    pub is_secretary: bool,
    pub is_recorder: bool,
    pub survey_open: bool,
    pub survey_answered: bool,
    pub criticism_mode: CriticismMode,
    /// Whom the reader may write a criticism to.
    pub may_criticise: Vec<PersonChoice>,
    pub received: Vec<ReceivedOpinion>,
    pub written: Vec<WrittenCriticism>,
    pub talks_required: bool,
    pub talks: Vec<TalkView>,
    pub partners: Vec<PersonChoice>,
    pub ballot_open: bool,
    pub voted: bool,
    /// Whether the meeting holds a 民主评议党员 (its page: `/evaluation/<id>`).
    pub evaluation_enabled: bool,
    /// The reader's material of this meeting, with its state.
    pub material: Option<(String, MaterialState)>,
}

/// The secretary's page of the cycle before the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleAdminView {
    pub meeting_id: String,
    pub title: String,
    pub survey_scope: SurveyScope,
    pub survey_open: bool,
    pub survey_closed: bool,
    /// How many answered: `None` until the survey closed, since a count that moves while
    /// people answer tells who answered what to anyone who watches it.
    pub respondents: Option<usize>,
    /// Shown once the survey closed with at least three respondents besides the reader.
    pub answers: Option<Vec<SurveyAnswerView>>,
    pub criticism_mode: CriticismMode,
    /// (giver id, giver, recipient id, recipient).
    pub pairs: Vec<(String, String, String, String)>,
    pub talks_required: bool,
    pub talks: Vec<TalkView>,
    pub ballot_enabled: bool,
    pub recorder: Option<String>,
    pub people: Vec<PersonOpinions>,
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::*;
    use crate::store::Store;
    use crate::store::cycle::OpinionRow;
    use crate::store::meetings::{BranchMember, MeetingRecord};

    pub async fn participants(
        store: &Store,
        meeting: &MeetingRecord,
    ) -> Result<Vec<BranchMember>, AppError> {
        Ok(store
            .branch_members(&meeting.branch_id)
            .await?
            .into_iter()
            .filter(|m| meeting.includes(&m.user_id))
            .collect())
    }

    pub fn choices(members: &[BranchMember]) -> Vec<PersonChoice> {
        members
            .iter()
            .map(|m| PersonChoice {
                user_id: m.user_id.clone(),
                name: m.name.clone(),
            })
            .collect()
    }

    pub fn received(row: OpinionRow) -> ReceivedOpinion {
        let kind = row.kind;
        ReceivedOpinion {
            // A 征求意见 opinion has no giver in the store; this keeps it so at the edge too.
            from: match kind {
                OpinionKind::Criticism => row.giver_name,
                OpinionKind::Survey => None,
            },
            kind,
            id: row.id,
            text: row.text,
            response: row.response,
            declined: row.declined,
        }
    }
}

/// The prefix of a person's key in a form map (`about[u<id>]`): a bare key that starts with
/// a digit would be read as a list index by the form decoder.
pub const PERSON_KEY: &str = "u";

/// A form map keyed by person, with the prefix taken off the keys. A key without it is kept
/// whole, so the domain refuses it as someone not on the list.
#[cfg(feature = "ssr")]
fn by_person(map: std::collections::HashMap<String, String>) -> Vec<(String, String)> {
    map.into_iter()
        .map(|(key, value)| match key.strip_prefix(PERSON_KEY) {
            Some(id) => (id.to_string(), value),
            None => (key, value),
        })
        .collect()
}

#[server(endpoint = "member_cycle")]
pub async fn member_cycle(meeting_id: String) -> Result<MemberCycleView, AppError> {
    use super::context::{actor, state};
    use crate::domain::cycle::may_criticise;
    use crate::domain::policy::can_run_branch;
    use crate::store::materials::material_key;
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let people = participants(store, &meeting).await?;
    let pairs = store.criticism_pairs(&meeting.id).await?;
    let others: Vec<_> = people
        .iter()
        .filter(|p| p.user_id != actor.user_id)
        .cloned()
        .collect();
    let may = others
        .iter()
        .filter(|p| may_criticise(settings.criticism_mode, &actor.user_id, &p.user_id, &pairs))
        .cloned()
        .collect::<Vec<_>>();
    let written = store
        .criticisms_by(&meeting.id, &actor.user_id)
        .await?
        .into_iter()
        .map(|row| WrittenCriticism {
            id: row.id,
            to: row.recipient_name,
            text: row.text,
            released: row.released,
            // The recipient's 回应 is addressed to the writer too.
            response: row.response,
        })
        .collect();
    let talks = store
        .talks(&meeting.id)
        .await?
        .into_iter()
        .filter(|t| t.by_id == actor.user_id || t.partner_id == actor.user_id)
        .map(|t| TalkView {
            by: t.by_name,
            partner: t.partner_name,
            on: t.on,
            topics: t.topics,
        })
        .collect();
    let material = store
        .material(&material_key(&meeting.id, &actor.user_id))
        .await?
        .map(|m| (m.id, m.state));
    Ok(MemberCycleView {
        is_secretary: can_run_branch(&actor, &meeting.branch_id),
        is_recorder: settings.recorder.as_deref() == Some(actor.user_id.as_str()),
        survey_open: settings.survey_open,
        survey_answered: store
            .has_answered_survey(&meeting.id, &actor.user_id)
            .await?,
        criticism_mode: settings.criticism_mode,
        may_criticise: choices(&may),
        received: received_opinions(store, &meeting.id, &actor.user_id).await?,
        written,
        talks_required: settings.talks_required,
        talks,
        partners: choices(&others),
        ballot_open: settings.ballot_open,
        voted: store.has_voted(&meeting.id, &actor.user_id).await?,
        evaluation_enabled: store.evaluation_state(&meeting.id).await?.settings.enabled,
        material,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

#[server(endpoint = "cycle_admin")]
pub async fn cycle_admin(meeting_id: String) -> Result<CycleAdminView, AppError> {
    use super::context::{actor, state};
    use crate::domain::cycle::group_shown;
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let people = participants(store, &meeting).await?;
    let name_of = |id: &str| {
        people
            .iter()
            .find(|p| p.user_id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "（已不在名单）".into())
    };
    let respondents = store.survey_respondent_count(&meeting.id).await?;
    let answered = store
        .has_answered_survey(&meeting.id, &actor.user_id)
        .await?;
    let answers = if settings.survey_closed && group_shown(respondents, answered) {
        Some(
            store
                .survey_answers(&meeting.id)
                .await?
                .into_iter()
                .map(|a| SurveyAnswerView {
                    about: a
                        .about_id
                        .as_deref()
                        .map_or_else(|| "支部整体".to_string(), name_of),
                    about_id: a.about_id,
                    text: a.text,
                })
                .collect(),
        )
    } else {
        None
    };
    let pairs = store
        .criticism_pairs(&meeting.id)
        .await?
        .into_iter()
        .map(|(giver, recipient)| {
            let (g, r) = (name_of(&giver), name_of(&recipient));
            (giver, g, recipient, r)
        })
        .collect();
    let talks = store.talks(&meeting.id).await?;
    let opinions = store.meeting_opinions(&meeting.id).await?;
    let people_view = people
        .iter()
        .map(|p| {
            let mine: Vec<ManagedOpinion> = opinions
                .iter()
                .filter(|o| o.recipient_id == p.user_id)
                .map(|o| ManagedOpinion {
                    id: o.id.clone(),
                    kind: o.kind,
                    from: match o.kind {
                        OpinionKind::Criticism => o.giver_name.clone(),
                        OpinionKind::Survey => None,
                    },
                    text: o.text.clone(),
                    released: o.released,
                    response: o.response.clone(),
                    declined: o.declined.clone(),
                })
                .collect();
            PersonOpinions {
                unreleased: mine.iter().filter(|o| !o.released).count(),
                talked: talks
                    .iter()
                    .any(|t| t.by_id == p.user_id || t.partner_id == p.user_id),
                opinions: mine,
                user_id: p.user_id.clone(),
                name: p.name.clone(),
            }
        })
        .collect();
    Ok(CycleAdminView {
        survey_scope: settings.survey_scope,
        survey_open: settings.survey_open,
        survey_closed: settings.survey_closed,
        respondents: settings.survey_closed.then_some(respondents),
        answers,
        criticism_mode: settings.criticism_mode,
        pairs,
        talks_required: settings.talks_required,
        talks: talks
            .into_iter()
            .map(|t| TalkView {
                by: t.by_name,
                partner: t.partner_name,
                on: t.on,
                topics: t.topics,
            })
            .collect(),
        ballot_enabled: settings.ballot_enabled,
        recorder: settings.recorder,
        people: people_view,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// The meeting's cycle options: who answers the survey, how criticism is collected,
/// whether talks are required, whether a 民主测评 is held, who records the meeting.
#[server(endpoint = "save_cycle_options")]
pub async fn save_cycle_options(
    meeting_id: String,
    survey_scope: String,
    criticism_mode: String,
    #[server(default)] talks_required: Option<String>,
    #[server(default)] ballot_enabled: Option<String>,
    #[server(default)] recorder: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::store::cycle::CycleOptions;
    use backend::*;

    let actor = actor().await?;
    let survey_scope = SurveyScope::parse(&survey_scope)
        .ok_or_else(|| AppError::Invalid("请选择征求意见范围".into()))?;
    let criticism_mode = CriticismMode::parse(&criticism_mode)
        .ok_or_else(|| AppError::Invalid("请选择批评意见收集方式".into()))?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let recorder = match recorder.trim() {
        "" => None,
        id => {
            if !participants(store, &meeting)
                .await?
                .iter()
                .any(|p| p.user_id == id)
            {
                return Err(AppError::Invalid("记录人须是本次会议的参会人员".into()));
            }
            Some(id.to_string())
        }
    };
    store
        .set_cycle_options(
            &meeting.id,
            &CycleOptions {
                survey_scope,
                criticism_mode,
                talks_required: talks_required.is_some(),
                ballot_enabled: ballot_enabled.is_some(),
                recorder,
            },
            &audit(&actor, "session.cycle_options", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}

/// Opens (`open`) or closes (`close`) the 征求意见. A closed survey stays closed.
#[server(endpoint = "set_survey_phase")]
pub async fn set_survey_phase(meeting_id: String, phase: String) -> Result<(), AppError> {
    change_phase(&meeting_id, &phase, crate::store::cycle::Phase::Survey).await
}

/// Opens (`open`) or closes (`close`) the 民主测评. A closed ballot stays closed.
#[server(endpoint = "set_ballot_phase")]
pub async fn set_ballot_phase(meeting_id: String, phase: String) -> Result<(), AppError> {
    change_phase(&meeting_id, &phase, crate::store::cycle::Phase::Ballot).await
}

#[cfg(feature = "ssr")]
async fn change_phase(
    meeting_id: &str,
    open_or_close: &str,
    phase: crate::store::cycle::Phase,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::store::cycle::{Phase, PhaseOutcome};

    let actor = actor().await?;
    let open = phase_flag(open_or_close)?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, meeting_id).await?;
    let (action, refusal) = match (phase, open) {
        (Phase::Survey, true) => ("survey.open", "征求意见已经开始过，不能再次开始"),
        (Phase::Survey, false) => ("survey.close", "征求意见尚未开始或已经结束"),
        (Phase::Ballot, true) => ("ballot.open", "民主测评未启用或已经开始过"),
        (Phase::Ballot, false) => ("ballot.close", "民主测评尚未开始或已经结束"),
    };
    match store
        .set_phase(
            &meeting.id,
            phase,
            open,
            &audit(&actor, action, Some(meeting.id.clone())),
        )
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        _ => Err(AppError::Conflict(refusal.into())),
    }
}

#[cfg(feature = "ssr")]
fn phase_flag(phase: &str) -> Result<bool, AppError> {
    match phase {
        "open" => Ok(true),
        "close" => Ok(false),
        _ => Err(AppError::Invalid("无法识别的操作".into())),
    }
}
