//! The meeting and after (docs/DOMAIN.md §2): 征求意见, written 批评意见, 谈心谈话, the meeting
//! record, 民主测评, 定稿 and the 报送.
//!
//! Who reaches what: a session's participants reach its member page, the survey (or anyone
//! of the organisation, when the secretary opens it so) and the ballot; the branch's
//! secretary reaches the administration, the record and the report; the designated recorder
//! reaches the record. To everyone else these sessions do not exist. No function here ever
//! returns who answered the survey or how anyone voted: the store does not know it.

use super::AppError;
#[cfg(feature = "ssr")]
use super::access::{
    meeting, participant_meeting, recorder_meeting, secretary_meeting, survey_meeting,
};
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

/// A criticism the reader wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenCriticism {
    pub id: String,
    pub to: String,
    pub text: String,
    pub released: bool,
    pub response: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkView {
    pub by: String,
    pub partner: String,
    pub on: String,
    pub topics: String,
}

/// A participant's page of the session: what reaches them, what they write, and where the
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
    /// The reader's material of this session, with its state.
    pub material: Option<(String, MaterialState)>,
}

/// An answer of the 征求意见 as the secretary reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswerView {
    /// The person's name, or "支部整体".
    pub about: String,
    pub about_id: Option<String>,
    pub text: String,
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

/// One participant's line of the meeting record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerView {
    pub user_id: String,
    pub name: String,
    pub present: bool,
    pub status: SpeakerStatus,
    pub criticisms: String,
    pub pledge: String,
    pub version: i64,
    pub material_state: Option<MaterialState>,
}

/// A member's 民主测评 tallies, in `Grade::ALL` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyView {
    pub name: String,
    pub counts: Vec<usize>,
}

/// The meeting record page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesView {
    pub meeting_id: String,
    pub title: String,
    pub meeting_on: Option<String>,
    pub quorum: Quorum,
    pub quorum_text: String,
    pub recorder: Option<String>,
    pub is_secretary: bool,
    pub notes: String,
    pub speakers: Vec<SpeakerView>,
    pub ballot_enabled: bool,
    pub ballot_open: bool,
    pub ballot_closed: bool,
    /// How many voted: `None` until the ballot closed (a moving count dates each ballot).
    pub voters: Option<usize>,
    /// Shown once the ballot closed with at least three voters besides the reader.
    pub tallies: Option<Vec<TallyView>>,
}

/// A participant's line on the report page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalRow {
    pub name: String,
    pub state: Option<MaterialState>,
    /// From the approved version to the 定稿 (or to the text so far).
    pub changes: Vec<DiffLine>,
}

/// The secretary's page after the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub meeting_id: String,
    /// For the link to the branch's 整改台账, where the 整改清单 is published.
    pub branch_id: String,
    pub title: String,
    pub report_due: Option<String>,
    pub countdown: Option<String>,
    pub overdue: bool,
    pub reported_at: Option<String>,
    pub rows: Vec<FinalRow>,
    pub finals: usize,
    pub ledger_published: bool,
    pub report: Material,
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

/// The released opinions addressed to a person in a session, for the editor.
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
        material,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

#[server(endpoint = "survey_form")]
pub async fn survey_form(meeting_id: String) -> Result<SurveyView, AppError> {
    use super::context::{actor, state};
    use crate::domain::cycle::survey_subjects;
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
    use super::context::{actor, state};
    use crate::domain::cycle::survey_answers;
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

/// A named, written criticism to a colleague, before the meeting. The secretary passes it
/// on (releases it) with the other opinions addressed to that person.
#[server(endpoint = "write_criticism")]
pub async fn write_criticism(
    meeting_id: String,
    recipient_id: String,
    text: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::cycle::{may_criticise, opinion_text};
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

/// The recipient's 回应 to an opinion, and / or why it is not taken up in the material.
#[server(endpoint = "answer_opinion")]
pub async fn answer_opinion(
    opinion_id: String,
    #[server(default)] response: String,
    #[server(default)] declined: String,
) -> Result<(), AppError> {
    use super::context::{actor, state};
    use crate::domain::cycle::{OPINION_MAX, optional_long_text};

    let actor = actor().await?;
    let response = optional_long_text("回应", &response, OPINION_MAX)?;
    let declined = optional_long_text("不采纳的理由", &declined, OPINION_MAX)?;
    let store = &state()?.store;
    let opinion = super::access::received_opinion(store, &actor, &opinion_id).await?;
    store
        .answer_opinion(
            &opinion.id,
            (!response.is_empty()).then_some(response.as_str()),
            (!declined.is_empty()).then_some(declined.as_str()),
        )
        .await?;
    Ok(())
}

/// Logs a 谈心谈话 the actor had with another participant.
#[server(endpoint = "log_talk")]
pub async fn log_talk(
    meeting_id: String,
    partner_id: String,
    on: String,
    topics: String,
) -> Result<(), AppError> {
    use super::context::{actor, state};
    use crate::domain::cycle::talk_entry;
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

#[server(endpoint = "ballot_form")]
pub async fn ballot_form(meeting_id: String) -> Result<BallotView, AppError> {
    use super::context::{actor, state};
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
    use super::context::{actor, state};
    use crate::domain::cycle::ballot;
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
    let opinions = store.session_opinions(&meeting.id).await?;
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

/// The session's cycle options: who answers the survey, how criticism is collected,
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

/// A curated 征求意见 opinion for one participant, written by the secretary (from the
/// answers, or from 座谈 and 意见箱): it reaches the person without any respondent's name.
#[server(endpoint = "curate_opinion")]
pub async fn curate_opinion(
    meeting_id: String,
    recipient_id: String,
    text: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::cycle::opinion_text;
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
    use super::context::{actor, audit, state};

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
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let opinion = super::access::removable_opinion(store, &actor, &opinion_id).await?;
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

/// Assigns (`assign`) or removes (`remove`) a 批评意见 pair.
#[server(endpoint = "set_criticism_pair")]
pub async fn set_criticism_pair(
    meeting_id: String,
    giver_id: String,
    recipient_id: String,
    action: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
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

#[server(endpoint = "meeting_record")]
pub async fn meeting_record(meeting_id: String) -> Result<MinutesView, AppError> {
    use super::context::{actor, state};
    use crate::domain::cycle::{Grade, group_shown};
    use crate::domain::policy::can_run_branch;
    use crate::domain::session::chinese_date;
    use crate::store::materials::material_key;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let speakers = speakers_in_order(store, &meeting).await?;
    let recorder = recorder_name(store, &meeting, settings.recorder.as_deref(), &speakers).await?;
    let states = store.session_materials(&meeting.id).await?;
    let mut views = Vec::new();
    for (member, row) in speakers {
        let key = material_key(&meeting.id, &member.user_id);
        views.push(SpeakerView {
            material_state: states.iter().find(|m| m.id == key).map(|m| m.state),
            present: row.as_ref().is_none_or(|r| r.present),
            status: row.as_ref().map_or(SpeakerStatus::Pending, |r| r.status),
            criticisms: row
                .as_ref()
                .map(|r| r.criticisms.clone())
                .unwrap_or_default(),
            pledge: row.as_ref().map(|r| r.pledge.clone()).unwrap_or_default(),
            version: row.as_ref().map_or(0, |r| r.version),
            user_id: member.user_id,
            name: member.name,
        });
    }
    let kind = meeting.kind;
    let quorum = Quorum::of(
        kind,
        views.len(),
        views.iter().filter(|s| s.present).count(),
    );
    let is_secretary = can_run_branch(&actor, &meeting.branch_id);
    let voters = store.ballot_voter_count(&meeting.id).await?;
    let voted = store.has_voted(&meeting.id, &actor.user_id).await?;
    let tallies = if is_secretary && settings.ballot_closed && group_shown(voters, voted) {
        let rows = store.ballot_tallies(&meeting.id).await?;
        Some(
            views
                .iter()
                .map(|s| TallyView {
                    name: s.name.clone(),
                    counts: Grade::ALL
                        .iter()
                        .map(|grade| {
                            rows.iter()
                                .find(|r| r.member_id == s.user_id && r.grade == *grade)
                                .map_or(0, |r| r.count.max(0) as usize)
                        })
                        .collect(),
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(MinutesView {
        meeting_on: meeting.dates.map(|d| chinese_date(d.meeting_on)),
        quorum,
        quorum_text: quorum.summary(),
        recorder,
        is_secretary,
        notes: settings.minutes_notes,
        speakers: views,
        ballot_enabled: settings.ballot_enabled,
        ballot_open: settings.ballot_open,
        ballot_closed: settings.ballot_closed,
        voters: settings.ballot_closed.then_some(voters),
        tallies,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// What the 会议记录 document and the 测评 table are made of: the speakers' lines in
/// order, the recorder's name, who was absent, the general notes, and the tallies (name and
/// counts per grade) when they may be shown to `reader`.
#[cfg(feature = "ssr")]
pub(crate) async fn meeting_record_rows(
    store: &crate::store::Store,
    reader: &crate::domain::policy::Actor,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<
    (
        Vec<crate::domain::cycle::MinutesSpeaker>,
        Option<String>,
        Vec<String>,
        String,
        Option<Vec<Vec<String>>>,
    ),
    AppError,
> {
    use crate::domain::cycle::{Grade, MinutesSpeaker, group_shown};
    let settings = store.cycle_settings(&meeting.id).await?;
    let speakers = speakers_in_order(store, meeting).await?;
    let recorder = recorder_name(store, meeting, settings.recorder.as_deref(), &speakers).await?;
    // The record's lists of people are official lists: 按姓氏笔画. The speakers' lines
    // keep the order they spoke in.
    let mut absent: Vec<String> = speakers
        .iter()
        .filter(|(_, row)| row.as_ref().is_some_and(|r| !r.present))
        .map(|(p, _)| p.name.clone())
        .collect();
    crate::collation::sort_by_strokes(&mut absent, |name| name);
    let voters = store.ballot_voter_count(&meeting.id).await?;
    let voted = store.has_voted(&meeting.id, &reader.user_id).await?;
    let tallies = if settings.ballot_closed && group_shown(voters, voted) {
        let rows = store.ballot_tallies(&meeting.id).await?;
        let mut table: Vec<Vec<String>> = speakers
            .iter()
            .map(|(person, _)| {
                std::iter::once(person.name.clone())
                    .chain(Grade::ALL.iter().map(|grade| {
                        rows.iter()
                            .find(|r| r.member_id == person.user_id && r.grade == *grade)
                            .map_or(0, |r| r.count)
                            .to_string()
                    }))
                    .collect()
            })
            .collect();
        crate::collation::sort_by_strokes(&mut table, |row| &row[0]);
        Some(table)
    } else {
        None
    };
    let lines = speakers
        .into_iter()
        .map(|(person, row)| MinutesSpeaker {
            name: person.name,
            status: row.as_ref().map_or(SpeakerStatus::Pending, |r| r.status),
            criticisms: row
                .as_ref()
                .map(|r| r.criticisms.clone())
                .unwrap_or_default(),
            pledge: row.map(|r| r.pledge).unwrap_or_default(),
        })
        .collect();
    Ok((lines, recorder, absent, settings.minutes_notes, tallies))
}

/// The people of the meeting record in speaking order, with what was recorded for them.
/// Until attendance is recorded these are the session's participants in roster order;
/// from then on the record is fixed: exactly the people it recorded, so someone who joins
/// the branch later is neither 应到 nor present, and someone who leaves stays on it.
#[cfg(feature = "ssr")]
pub(crate) async fn speakers_in_order(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<Vec<(PersonChoice, Option<crate::store::cycle::SpeakerRow>)>, AppError> {
    let rows = store.speakers(&meeting.id).await?;
    if !rows.is_empty() {
        // The store reads them in recorded order.
        return Ok(rows
            .into_iter()
            .map(|row| {
                let person = PersonChoice {
                    user_id: row.person_id.clone(),
                    name: row.name.clone().unwrap_or_default(),
                };
                (person, Some(row))
            })
            .collect());
    }
    let people = backend::participants(store, meeting).await?;
    Ok(backend::choices(&people)
        .into_iter()
        .map(|person| (person, None))
        .collect())
}

/// Whether the meeting record has fixed its people yet.
#[cfg(feature = "ssr")]
fn recorded(speakers: &[(PersonChoice, Option<crate::store::cycle::SpeakerRow>)]) -> bool {
    speakers.iter().any(|(_, row)| row.is_some())
}

/// The name the record gives as 记录人: the designated recorder, else the branch's
/// secretary (or secretaries). The page and the .docx both use this.
#[cfg(feature = "ssr")]
pub(crate) async fn recorder_name(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
    recorder: Option<&str>,
    speakers: &[(PersonChoice, Option<crate::store::cycle::SpeakerRow>)],
) -> Result<Option<String>, AppError> {
    let members = store.branch_members(&meeting.branch_id).await?;
    let names: Vec<String> = match recorder {
        Some(id) => speakers
            .iter()
            .map(|(person, _)| person)
            .find(|person| person.user_id == id)
            .map(|person| person.name.clone())
            .or_else(|| {
                members
                    .iter()
                    .find(|m| m.user_id == id)
                    .map(|m| m.name.clone())
            })
            .into_iter()
            .collect(),
        None => members
            .into_iter()
            .filter(|m| m.role == crate::domain::org::Role::Secretary.code())
            .map(|m| m.name)
            .collect(),
    };
    Ok((!names.is_empty()).then(|| names.join("、")))
}

/// Attendance and speaking order: `order[u<user id>]` is a number (lower speaks first) and
/// `present[u<user id>]` is set for everyone present.
#[server(endpoint = "save_attendance")]
pub async fn save_attendance(
    meeting_id: String,
    #[server(default)] order: std::collections::HashMap<String, String>,
    #[server(default)] present: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    // Once recorded, the record keeps its people: a later member is not added to it.
    let people: Vec<PersonChoice> = speakers_in_order(store, &meeting)
        .await?
        .into_iter()
        .map(|(person, _)| person)
        .collect();
    let order = by_person(order);
    let present = by_person(present);
    let mut placed = Vec::new();
    for (index, person) in people.iter().enumerate() {
        let position = match order
            .iter()
            .find(|(id, _)| *id == person.user_id)
            .map(|(_, raw)| raw.trim())
        {
            None | Some("") => index as i64 + 1,
            Some(raw) => raw
                .parse::<i64>()
                .map_err(|_| AppError::Invalid(format!("{}的发言顺序须是数字", person.name)))?,
        };
        placed.push((position, index, person.user_id.clone()));
    }
    placed.sort();
    let rows: Vec<(String, bool)> = placed
        .into_iter()
        .map(|(_, _, id)| {
            let here = present.iter().any(|(person, _)| *person == id);
            (id, here)
        })
        .collect();
    store
        .save_attendance(
            &meeting.id,
            &rows,
            &audit(&actor, "minutes.attendance", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}

/// One speaker's line: how they spoke, the criticisms raised, their 表态. Marking them as
/// spoken moves their approved material to 已发言 (a 书面发言 when they were absent).
#[server(endpoint = "save_speaker")]
pub async fn save_speaker(
    meeting_id: String,
    person_id: String,
    version: i64,
    #[server(default)] spoken: Option<String>,
    #[server(default)] criticisms: String,
    #[server(default)] pledge: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::cycle::{MINUTES_MAX, optional_long_text};
    use crate::store::cycle::SpeakerEntry;

    let actor = actor().await?;
    let criticisms = optional_long_text("批评意见", &criticisms, MINUTES_MAX)?;
    let pledge = optional_long_text("表态", &pledge, MINUTES_MAX)?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    let speakers = speakers_in_order(store, &meeting).await?;
    let (index, (_, row)) = speakers
        .iter()
        .enumerate()
        .find(|(_, (person, _))| person.user_id == person_id)
        .ok_or(AppError::NotFound)?;
    let present = row.as_ref().is_none_or(|r| r.present);
    let status = if spoken.is_some() {
        SpeakerStatus::after_speaking(present)
    } else {
        SpeakerStatus::Pending
    };
    match store
        .save_speaker(
            &meeting.id,
            &person_id,
            row.as_ref().map_or(index as i64 + 1, |r| r.position),
            version,
            status,
            &SpeakerEntry { criticisms, pledge },
            // The first line recorded fixes who the meeting had, as the page showed them.
            &if recorded(&speakers) {
                Vec::new()
            } else {
                speakers
                    .iter()
                    .map(|(person, _)| person.user_id.clone())
                    .collect()
            },
            &audit(&actor, "minutes.speaker", Some(person_id.clone())),
        )
        .await?
    {
        Some(_) => Ok(()),
        None => Err(AppError::Conflict(
            "这位同志的记录刚被他人更新：您填写的内容还在页面上，请复制保存后刷新页面再合并".into(),
        )),
    }
}

#[server(endpoint = "save_minutes_notes")]
pub async fn save_minutes_notes(meeting_id: String, notes: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::cycle::{MINUTES_MAX, optional_long_text};

    let actor = actor().await?;
    let notes = optional_long_text("会议记录", &notes, MINUTES_MAX)?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    store
        .save_minutes_notes(
            &meeting.id,
            &notes,
            &audit(&actor, "minutes.notes", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}

/// Hands in the revised, spoken material as the 定稿 (frozen from then on).
#[server(endpoint = "finalise_material")]
pub async fn finalise_material(material_id: String, version: i64) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::health::{Severity, check};

    let actor = actor().await?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    let store = &state()?.store;
    if record.state != MaterialState::Spoken {
        return Err(AppError::Conflict(
            "只有会上发言（或书面发言）之后的材料才能提交定稿".into(),
        ));
    }
    let meeting = meeting(store, &record.meeting_id).await?;
    let blocking: Vec<String> = check(&record.content, &meeting.template)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message)
        .collect();
    if !blocking.is_empty() {
        return Err(AppError::Blocked(blocking));
    }
    if !store
        .finalise_material(
            &record.id,
            version,
            &audit(&actor, "material.finalise", Some(record.id.clone())),
        )
        .await?
    {
        return Err(AppError::Conflict(
            "材料在检查之后又有修改，请刷新后再提交定稿".into(),
        ));
    }
    Ok(())
}

/// The facts behind the 会议情况报告, counted from the session.
#[cfg(feature = "ssr")]
pub(crate) async fn report_facts(
    store: &crate::store::Store,
    actor: &crate::domain::policy::Actor,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<crate::domain::cycle::ReportFacts, AppError> {
    use crate::domain::cycle::{Grade, ReportFacts, group_shown, raised_criticisms};
    use crate::domain::material::PartKind;
    use crate::domain::session::chinese_date;

    let settings = store.cycle_settings(&meeting.id).await?;
    let speakers = speakers_in_order(store, meeting).await?;
    let rows: Vec<_> = speakers
        .iter()
        .filter_map(|(_, row)| row.as_ref())
        .collect();
    let kind = meeting.kind;
    let present = speakers
        .iter()
        .filter(|(_, row)| row.as_ref().is_none_or(|r| r.present))
        .count();
    let contents: Vec<Material> = final_or_approved(store, meeting)
        .await?
        .into_iter()
        .map(|(_, _, content)| content)
        .collect();
    let problems: Vec<_> = contents
        .iter()
        .flat_map(|m| m.items(PartKind::Problems))
        .collect();
    let opinions = store.session_opinions(&meeting.id).await?;
    let voters = store.ballot_voter_count(&meeting.id).await?;
    let voted = store.has_voted(&meeting.id, &actor.user_id).await?;
    let ballot = if settings.ballot_closed && group_shown(voters, voted) {
        let tallies = store.ballot_tallies(&meeting.id).await?;
        Some(
            Grade::ALL
                .iter()
                .map(|grade| {
                    let total: i64 = tallies
                        .iter()
                        .filter(|t| t.grade == *grade)
                        .map(|t| t.count)
                        .sum();
                    (grade.label().to_string(), total.max(0) as usize)
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(ReportFacts {
        branch: actor
            .memberships
            .iter()
            .find(|m| m.branch_id == meeting.branch_id)
            .map(|m| m.branch_name.clone())
            .unwrap_or_default(),
        title: meeting.title.clone(),
        kind_label: kind.label().to_string(),
        theme: meeting.theme.clone(),
        meeting_on: meeting
            .dates
            .map(|d| chinese_date(d.meeting_on))
            .unwrap_or_else(|| "【会议日期】".into()),
        // Counts only of a closed survey: one still open would date each answer.
        survey_respondents: match settings.survey_closed {
            true => store.survey_respondent_count(&meeting.id).await?,
            false => 0,
        },
        survey_opinions: match settings.survey_closed {
            true => store.survey_answer_count(&meeting.id).await?,
            false => 0,
        },
        talks: store.talks(&meeting.id).await?.len(),
        written_criticisms: opinions
            .iter()
            .filter(|o| o.kind == OpinionKind::Criticism)
            .count(),
        opinions_passed_on: opinions.iter().filter(|o| o.released).count(),
        opinions_pending: opinions.iter().filter(|o| !o.released).count(),
        quorum: Quorum::of(kind, speakers.len(), present),
        spoken: rows
            .iter()
            .filter(|r| r.status == SpeakerStatus::Spoken)
            .count(),
        written_speeches: rows
            .iter()
            .filter(|r| r.status == SpeakerStatus::Written)
            .count(),
        raised_criticisms: rows.iter().map(|r| raised_criticisms(&r.criticisms)).sum(),
        problems: problems.len(),
        problems_by_category: meeting
            .template
            .aspects
            .iter()
            .map(|aspect| {
                (
                    aspect.clone(),
                    problems
                        .iter()
                        .filter(|p| p.category.as_deref() == Some(aspect.as_str()))
                        .count(),
                )
            })
            .collect(),
        measures: contents
            .iter()
            .map(|m| m.items(PartKind::Measures).count())
            .sum(),
        ledger_published: store.ledger_published(&meeting.id).await?,
        ballot,
        ballot_voters: voters,
    })
}

/// Every participant's material past approval, 按姓氏笔画 (it fills documents: the 报送
/// package's 汇编 and the report's contents): (owner name, whether it is the 定稿, the
/// text). The 定稿 where there is one; otherwise the approved round.
#[cfg(feature = "ssr")]
pub(crate) async fn final_or_approved(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<Vec<(String, bool, Material)>, AppError> {
    let mut out = Vec::new();
    let names: std::collections::HashMap<String, String> = backend::participants(store, meeting)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.name))
        .collect();
    for status in store.session_materials(&meeting.id).await? {
        let state = status.state;
        if !state.approved() {
            continue;
        }
        let Some(name) = names.get(&status.owner_id) else {
            continue;
        };
        let finalised = matches!(state, MaterialState::Final | MaterialState::Reported);
        let content = if finalised {
            store.material(&status.id).await?.map(|m| m.content)
        } else {
            store
                .latest_submission(&status.id)
                .await?
                .map(|(_, content)| content)
        };
        if let Some(content) = content {
            out.push((name.clone(), finalised, content));
        }
    }
    crate::collation::sort_by_strokes(&mut out, |(name, _, _)| name);
    Ok(out)
}

#[server(endpoint = "session_report")]
pub async fn session_report(meeting_id: String) -> Result<ReportView, AppError> {
    use super::clock::china_time;
    use super::clock::today;
    use super::context::{actor, state};
    use crate::domain::cycle::report_document;
    use crate::domain::outline::diff;
    use crate::domain::session::{chinese_date, countdown};
    use crate::store::materials::material_key;
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let mut rows = Vec::new();
    for person in participants(store, &meeting).await? {
        let material = store
            .material(&material_key(&meeting.id, &person.user_id))
            .await?;
        let state = material.as_ref().map(|m| m.state);
        let changes = match (&material, state) {
            (
                Some(m),
                Some(MaterialState::Final | MaterialState::Reported | MaterialState::Spoken),
            ) => match store.latest_submission(&m.id).await? {
                Some((_, approved)) => diff(&approved, &m.content),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        rows.push(FinalRow {
            name: person.name,
            state,
            changes,
        });
    }
    let today = today();
    let due = meeting.dates.map(|d| d.report_due);
    Ok(ReportView {
        report_due: due.map(chinese_date),
        countdown: due.map(|d| countdown(today, d)),
        overdue: settings.reported_at.is_none() && due.is_some_and(|d| d < today),
        reported_at: settings
            .reported_at
            .map(|at| china_time(at, "%Y-%m-%d %H:%M")),
        finals: rows
            .iter()
            .filter(|r| {
                matches!(
                    r.state,
                    Some(MaterialState::Final | MaterialState::Reported)
                )
            })
            .count(),
        ledger_published: store.ledger_published(&meeting.id).await?,
        report: report_document(&report_facts(store, &actor, &meeting).await?),
        rows,
        branch_id: meeting.branch_id,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// Records that the package went to the 上级: the 定稿 materials become 已报送.
#[server(endpoint = "mark_reported")]
pub async fn mark_reported(meeting_id: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    store
        .mark_reported(
            &meeting.id,
            &audit(&actor, "session.report", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}
