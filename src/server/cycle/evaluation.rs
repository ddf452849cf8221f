//! 民主评议党员: the settings, each member's 个人自评, the secret 互评/测评, the 支委会 评定 and
//! the 反馈. A 自评 reaches its author and the branch's secretary only; the 互评 is stored
//! as the 民主测评 is (who voted; tallies and remarks without a voter), and tallies and
//! remarks are shown only after close with at least three voters besides the reader.
//!
//! Long because each step of the evaluation (settings, 自评, 互评, 评定, 定稿, 后续处理) is
//! a public endpoint with its own guard, and the secrecy rules are read best side by side.
#![allow(
    clippy::too_many_arguments,
    reason = "save_follow_up takes one argument per form field; the server macro's client half cannot carry an attribute"
)]

use super::*;
use crate::domain::cycle::{EvaluationSettings, FollowUp, Grade};

/// One point of the 自评 form: field name, heading, hint, and what the member wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfPointView {
    pub field: String,
    pub heading: String,
    pub hint: String,
    pub text: String,
}

/// A member's result, once the 评定 is final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub grade: Grade,
    pub reason: Option<String>,
    pub committee_on: String,
    pub assembly_on: Option<String>,
    /// The remarks others addressed to the member, anonymous; `None` when fewer than three
    /// others voted.
    pub remarks: Option<Vec<String>>,
    /// What follows a 基本合格 or a 不合格, once recorded.
    pub follow_up: Option<FollowUp>,
}

/// A participant's page of the evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub meeting_id: String,
    pub title: String,
    pub is_secretary: bool,
    pub settings: EvaluationSettings,
    pub open: bool,
    pub closed: bool,
    pub finalised: bool,
    /// Whether the reader is one of those evaluated (and so writes a 自评).
    pub evaluated: bool,
    pub points: Vec<SelfPointView>,
    pub self_grade: Option<Grade>,
    /// Whether the reader grades the others in the 互评/测评.
    pub votes: bool,
    pub voted: bool,
    /// The members the reader grades.
    pub others: Vec<PersonChoice>,
    pub feedback: Option<FeedbackView>,
}

/// One member on the secretary's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEvaluation {
    pub user_id: String,
    pub name: String,
    /// (heading, text) of the member's 自评, and its grade; `None` until written.
    pub self_assessment: Option<(Vec<(String, String)>, Grade)>,
    /// Shown after close with three voters besides this member and the reader.
    pub tallies: Option<Vec<usize>>,
    pub remarks: Option<Vec<String>>,
    pub grade: Option<Grade>,
    pub reason: Option<String>,
    pub follow_up: Option<FollowUp>,
    /// A 限期改正 whose period ended with no further step: the branch decides what next.
    pub lapsed: bool,
}

/// The secretary's page of the evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationAdminView {
    pub meeting_id: String,
    pub title: String,
    pub settings: EvaluationSettings,
    pub open: bool,
    pub closed: bool,
    pub finalised: bool,
    /// How many voted; `None` until the 互评/测评 closed.
    pub voters: Option<usize>,
    /// Who may vote and has not: names only, never what anyone gave.
    pub not_voted: Vec<String>,
    /// The most 优秀 within the share.
    pub excellent_cap: usize,
    pub members: Vec<MemberEvaluation>,
    pub committee_on: Option<String>,
    pub assembly_on: Option<String>,
}

#[cfg(feature = "ssr")]
pub(crate) mod evaluation_backend {
    use super::backend::participants;
    use super::*;
    use crate::domain::cycle::SheetRow;
    use crate::domain::cycle::{VoterScope, group_shown};
    use crate::domain::org::Role;
    use crate::store::Store;
    use crate::store::cycle::{EvaluationState, TallyRow};
    use crate::store::meetings::{BranchMember, MeetingRecord};

    /// The meeting's evaluation, if it has one: anyone else's call finds nothing.
    pub async fn enabled(store: &Store, meeting_id: &str) -> Result<EvaluationState, AppError> {
        let state = store.evaluation_state(meeting_id).await?;
        if !state.settings.enabled {
            return Err(AppError::NotFound);
        }
        Ok(state)
    }

    /// Those who grade the others: every member, or the 支委 only.
    pub fn eligible_voters(people: &[BranchMember], scope: VoterScope) -> Vec<&BranchMember> {
        people
            .iter()
            .filter(|p| scope == VoterScope::All || p.role == Role::Secretary.code())
            .collect()
    }

    /// Whether the grades and remarks about `member` may be read by `reader`: closed, and
    /// at least three voters besides the member (who grades nobody to themselves) and the
    /// reader (who knows what they gave).
    pub fn shown_about(
        state: &EvaluationState,
        voters: &[String],
        member: &str,
        reader: &str,
    ) -> bool {
        let others = voters.iter().filter(|v| *v != member).count();
        state.closed && group_shown(others, voters.iter().any(|v| v == reader && v != member))
    }

    pub fn counts(tallies: &[TallyRow], member: &str) -> Vec<usize> {
        Grade::ALL
            .iter()
            .map(|grade| {
                tallies
                    .iter()
                    .filter(|t| t.member_id == member && t.grade == *grade)
                    .map(|t| t.count.max(0) as usize)
                    .sum()
            })
            .collect()
    }

    /// The 民主评议党员情况统计表 rows, in stroke order of the names; `None` if the meeting
    /// has no evaluation. Tallies as the 上级 may read them: three voters besides the member.
    pub async fn sheet_rows(
        store: &Store,
        meeting: &MeetingRecord,
    ) -> Result<Option<Vec<SheetRow>>, AppError> {
        let state = store.evaluation_state(&meeting.id).await?;
        if !state.settings.enabled {
            return Ok(None);
        }
        let people = participants(store, meeting).await?;
        let voters = store.evaluation_voters(&meeting.id).await?;
        let tallies = store.evaluation_tallies(&meeting.id).await?;
        let selves = store.self_assessments(&meeting.id, None).await?;
        let results = store.evaluation_results(&meeting.id).await?;
        let mut rows: Vec<SheetRow> = people
            .iter()
            .map(|p| {
                let result = results.iter().find(|r| r.member_id == p.user_id);
                SheetRow {
                    name: p.name.clone(),
                    self_grade: selves
                        .iter()
                        .find(|s| s.member_id == p.user_id)
                        .map(|s| s.grade),
                    tallies: shown_about(&state, &voters, &p.user_id, "")
                        .then(|| counts(&tallies, &p.user_id)),
                    grade: result.map(|r| r.grade),
                    reason: result.and_then(|r| r.reason.clone()),
                }
            })
            .collect();
        crate::collation::sort_by_strokes(&mut rows, |row| &row.name);
        Ok(Some(rows))
    }
}

#[cfg(feature = "ssr")]
fn points(sections: Option<&[String]>) -> Vec<SelfPointView> {
    use crate::domain::cycle::SELF_POINTS;
    SELF_POINTS
        .iter()
        .enumerate()
        .map(|(i, (field, heading, hint))| SelfPointView {
            field: field.to_string(),
            heading: heading.to_string(),
            hint: hint.to_string(),
            text: sections.and_then(|s| s.get(i)).cloned().unwrap_or_default(),
        })
        .collect()
}

#[server(endpoint = "evaluation_form")]
pub async fn evaluation_form(meeting_id: String) -> Result<EvaluationView, AppError> {
    use crate::domain::policy::can_run_branch;
    use crate::server::context::{actor, state};
    use backend::*;
    use evaluation_backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    let state = enabled(store, &meeting.id).await?;
    let people = participants(store, &meeting).await?;
    let me = actor.user_id.as_str();
    let evaluated = people.iter().any(|p| p.user_id == me);
    let own = store.self_assessments(&meeting.id, Some(me)).await?.pop();
    let voters = store.evaluation_voters(&meeting.id).await?;
    let votes = eligible_voters(&people, state.settings.voters)
        .iter()
        .any(|p| p.user_id == me);
    let feedback = if state.finalised && evaluated {
        match (
            store
                .evaluation_results(&meeting.id)
                .await?
                .into_iter()
                .find(|r| r.member_id == me),
            state.committee_on,
        ) {
            (Some(result), Some(committee_on)) => Some(FeedbackView {
                grade: result.grade,
                reason: result.reason,
                committee_on: committee_on.to_string(),
                assembly_on: state.assembly_on.map(|d| d.to_string()),
                follow_up: store
                    .follow_ups(&meeting.id, Some(me))
                    .await?
                    .pop()
                    .map(|(_, follow_up)| follow_up),
                remarks: if shown_about(&state, &voters, me, me) {
                    Some(
                        store
                            .evaluation_remarks(&meeting.id, Some(me))
                            .await?
                            .into_iter()
                            .map(|r| r.text)
                            .collect(),
                    )
                } else {
                    None
                },
            }),
            _ => None,
        }
    } else {
        None
    };
    let others: Vec<_> = people.iter().filter(|p| p.user_id != me).cloned().collect();
    Ok(EvaluationView {
        is_secretary: can_run_branch(&actor, &meeting.branch_id),
        open: state.open,
        closed: state.closed,
        finalised: state.finalised,
        evaluated,
        points: points(own.as_ref().map(|o| o.sections.as_slice())),
        self_grade: own.map(|o| o.grade),
        votes,
        voted: voters.iter().any(|v| v == me),
        others: choices(&others),
        feedback,
        settings: state.settings,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// Saves the actor's own 个人自评; it can be rewritten until the 评定 is final.
#[server(endpoint = "save_self_assessment")]
pub async fn save_self_assessment(
    meeting_id: String,
    #[server(default)] ideals: String,
    #[server(default)] discipline: String,
    #[server(default)] conduct: String,
    #[server(default)] shortcomings: String,
    #[server(default)] grade: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::self_assessment;
    use crate::server::context::{actor, state};
    use crate::store::cycle::PhaseOutcome;
    use backend::*;
    use evaluation_backend::*;

    let actor = actor().await?;
    let assessment = self_assessment(&[&ideals, &discipline, &conduct, &shortcomings], &grade)?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    enabled(store, &meeting.id).await?;
    if !participants(store, &meeting)
        .await?
        .iter()
        .any(|p| p.user_id == actor.user_id)
    {
        return Err(AppError::NotFound);
    }
    match store
        .save_self_assessment(&meeting.id, &actor.user_id, &assessment)
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        _ => Err(AppError::Conflict("评议结果已确定，自评不能再修改".into())),
    }
}

/// Counts one 互评/测评 form: a grade for every other member and optional remarks. Only the
/// tallies, the remarks (without their author) and that the actor voted are kept.
#[server(endpoint = "cast_evaluation")]
pub async fn cast_evaluation(
    meeting_id: String,
    #[server(default)] grades: std::collections::HashMap<String, String>,
    #[server(default)] remarks: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::domain::cycle::{ballot, remarks as read_remarks};
    use crate::server::context::{actor, state};
    use crate::store::cycle::PhaseOutcome;
    use backend::*;
    use evaluation_backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = participant_meeting(store, &actor, &meeting_id).await?;
    let state = enabled(store, &meeting.id).await?;
    let people = participants(store, &meeting).await?;
    if !eligible_voters(&people, state.settings.voters)
        .iter()
        .any(|p| p.user_id == actor.user_id)
    {
        return Err(AppError::NotFound);
    }
    let others: Vec<String> = people
        .iter()
        .map(|p| p.user_id.clone())
        .filter(|id| *id != actor.user_id)
        .collect();
    let marks = ballot(&by_person(grades), &others)?;
    let remarks = read_remarks(&by_person(remarks), &others)?;
    match store
        .cast_evaluation(&meeting.id, &actor.user_id, &marks, &remarks)
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        PhaseOutcome::NotOpen => Err(AppError::Conflict(
            "互评测评未开始或已结束，您的评议票没有计入".into(),
        )),
        PhaseOutcome::Already => Err(AppError::Conflict(
            "您已经参加过互评测评，每人只能评一次".into(),
        )),
    }
}

#[server(endpoint = "evaluation_admin")]
pub async fn evaluation_admin(meeting_id: String) -> Result<EvaluationAdminView, AppError> {
    use crate::domain::cycle::{SELF_POINTS, excellent_cap};
    use crate::server::context::{actor, state};
    use backend::*;
    use evaluation_backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let state = store.evaluation_state(&meeting.id).await?;
    let people = participants(store, &meeting).await?;
    let voters = store.evaluation_voters(&meeting.id).await?;
    let tallies = store.evaluation_tallies(&meeting.id).await?;
    let remarks = store.evaluation_remarks(&meeting.id, None).await?;
    let selves = store.self_assessments(&meeting.id, None).await?;
    let results = store.evaluation_results(&meeting.id).await?;
    let follow_ups = store.follow_ups(&meeting.id, None).await?;
    let today = crate::server::clock::today();
    let not_voted = if state.open || state.closed {
        eligible_voters(&people, state.settings.voters)
            .into_iter()
            .filter(|p| !voters.contains(&p.user_id))
            .map(|p| p.name.clone())
            .collect()
    } else {
        Vec::new()
    };
    let members = people
        .iter()
        .map(|p| {
            let shown = shown_about(&state, &voters, &p.user_id, &actor.user_id);
            let result = results.iter().find(|r| r.member_id == p.user_id);
            let follow_up = follow_ups
                .iter()
                .find(|(id, _)| *id == p.user_id)
                .map(|(_, f)| f.clone());
            MemberEvaluation {
                lapsed: follow_up
                    .as_ref()
                    .is_some_and(|f| crate::domain::cycle::correction_lapsed(f, today)),
                follow_up,
                self_assessment: selves.iter().find(|s| s.member_id == p.user_id).map(|s| {
                    (
                        SELF_POINTS
                            .iter()
                            .zip(&s.sections)
                            .map(|((_, heading, _), text)| (heading.to_string(), text.clone()))
                            .collect(),
                        s.grade,
                    )
                }),
                tallies: shown.then(|| counts(&tallies, &p.user_id)),
                remarks: shown.then(|| {
                    remarks
                        .iter()
                        .filter(|r| r.member_id == p.user_id)
                        .map(|r| r.text.clone())
                        .collect()
                }),
                grade: result.map(|r| r.grade),
                reason: result.and_then(|r| r.reason.clone()),
                user_id: p.user_id.clone(),
                name: p.name.clone(),
            }
        })
        .collect();
    Ok(EvaluationAdminView {
        open: state.open,
        closed: state.closed,
        finalised: state.finalised,
        voters: state.closed.then_some(voters.len()),
        not_voted,
        excellent_cap: excellent_cap(people.len(), state.settings.excellent_share),
        members,
        committee_on: state.committee_on.map(|d| d.to_string()),
        assembly_on: state.assembly_on.map(|d| d.to_string()),
        settings: state.settings,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// The evaluation's settings on the meeting: whether it is held, its dates, the share of
/// 优秀, who votes, whether a 党员大会 decides.
#[server(endpoint = "save_evaluation_settings")]
pub async fn save_evaluation_settings(
    meeting_id: String,
    #[server(default)] enabled: Option<String>,
    #[server(default)] opens_on: String,
    #[server(default)] closes_on: String,
    #[server(default)] excellent_share: String,
    #[server(default)] voters: String,
    #[server(default)] assembly_needed: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::cycle::evaluation_settings;
    use crate::server::context::{actor, audit, state};
    use crate::store::cycle::PhaseOutcome;

    let actor = actor().await?;
    let settings = evaluation_settings(
        enabled.is_some(),
        &opens_on,
        &closes_on,
        &excellent_share,
        &voters,
        assembly_needed.is_some(),
    )?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    match store
        .set_evaluation_settings(
            &meeting.id,
            &settings,
            &audit(&actor, "evaluation.settings", Some(meeting.id.clone())),
        )
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        _ => Err(AppError::Conflict("评议结果已确定，设置不能再修改".into())),
    }
}

/// Opens (`open`) or closes (`close`) the 互评/测评. A closed one stays closed.
#[server(endpoint = "set_evaluation_phase")]
pub async fn set_evaluation_phase(meeting_id: String, phase: String) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};
    use crate::store::cycle::PhaseOutcome;

    let actor = actor().await?;
    let open = phase_flag(&phase)?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let (action, refusal) = if open {
        ("evaluation.open", "民主评议未启用或互评测评已经开始过")
    } else {
        ("evaluation.close", "互评测评尚未开始或已经结束")
    };
    match store
        .set_evaluation_phase(
            &meeting.id,
            open,
            &audit(&actor, action, Some(meeting.id.clone())),
        )
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        _ => Err(AppError::Conflict(refusal.into())),
    }
}

/// The 支委会's grade for one member, with its reason where one is required.
#[server(endpoint = "set_evaluation_grade")]
pub async fn set_evaluation_grade(
    meeting_id: String,
    member_id: String,
    #[server(default)] grade: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::verdict;
    use crate::server::context::{actor, audit, state};
    use crate::store::cycle::PhaseOutcome;
    use backend::*;
    use evaluation_backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let state = enabled(store, &meeting.id).await?;
    let people = participants(store, &meeting).await?;
    if !people.iter().any(|p| p.user_id == member_id) {
        return Err(AppError::NotFound);
    }
    let other_excellent = store
        .evaluation_results(&meeting.id)
        .await?
        .iter()
        .filter(|r| r.member_id != member_id && r.grade == Grade::Excellent)
        .count();
    let decided = verdict(
        &grade,
        &reason,
        other_excellent,
        people.len(),
        state.settings.excellent_share,
    )?;
    match store
        .set_evaluation_result(
            &meeting.id,
            &member_id,
            &decided,
            &audit(&actor, "evaluation.grade", Some(meeting.id.clone())),
        )
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        _ => Err(AppError::Conflict(
            "互评测评结束后、评议结果确定前才能评定等次".into(),
        )),
    }
}

/// Closes the 评定 with the dates of the 支委会 and, where needed, of the 党员大会; every
/// member then sees their result.
#[server(endpoint = "finalise_evaluation")]
pub async fn finalise_evaluation(
    meeting_id: String,
    #[server(default)] committee_on: String,
    #[server(default)] assembly_on: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::finalisation;
    use crate::server::context::{actor, audit, state};
    use crate::store::cycle::PhaseOutcome;
    use backend::*;
    use evaluation_backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let state = enabled(store, &meeting.id).await?;
    let people = participants(store, &meeting).await?;
    let results = store.evaluation_results(&meeting.id).await?;
    let undecided = people
        .iter()
        .filter(|p| !results.iter().any(|r| r.member_id == p.user_id))
        .count();
    let (committee, assembly) = finalisation(
        &committee_on,
        &assembly_on,
        state.settings.assembly_needed,
        undecided,
    )?;
    match store
        .finalise_evaluation(
            &meeting.id,
            committee,
            assembly,
            &audit(&actor, "evaluation.finalise", Some(meeting.id.clone())),
        )
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        _ => Err(AppError::Conflict(
            "互评测评尚未结束，或评议结果已经确定".into(),
        )),
    }
}

/// Records what follows a member's 基本合格 (谈话提醒, improvement plan) or 不合格 (处置 with
/// its decision, 申辩 and approval); the plan's lines become the member's 整改台账 items.
#[server(endpoint = "save_follow_up")]
pub async fn save_follow_up(
    meeting_id: String,
    member_id: String,
    #[server(default)] talk_on: String,
    #[server(default)] talk_by: String,
    #[server(default)] disposal: String,
    #[server(default)] decision_on: String,
    #[server(default)] period_until: String,
    #[server(default)] defence: String,
    #[server(default)] approval_on: String,
    #[server(default)] measure1: String,
    #[server(default)] due1: String,
    #[server(default)] measure2: String,
    #[server(default)] due2: String,
    #[server(default)] measure3: String,
    #[server(default)] due3: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::{FollowUpForm, follow_up};
    use crate::server::context::{actor, audit, state};
    use crate::store::cycle::PhaseOutcome;
    use evaluation_backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let state = enabled(store, &meeting.id).await?;
    let (Some(committee_on), true) = (state.committee_on, state.finalised) else {
        return Err(AppError::Conflict("评议结果确定后才能登记后续处理".into()));
    };
    let result = store
        .evaluation_results(&meeting.id)
        .await?
        .into_iter()
        .find(|r| r.member_id == member_id)
        .ok_or(AppError::NotFound)?;
    let form = FollowUpForm {
        talk_on: &talk_on,
        talk_by: &talk_by,
        disposal: &disposal,
        decision_on: &decision_on,
        period_until: &period_until,
        defence: &defence,
        approval_on: &approval_on,
        plan: vec![(&measure1, &due1), (&measure2, &due2), (&measure3, &due3)],
    };
    let next = follow_up(result.grade, committee_on, &form)?;
    match store
        .save_follow_up(
            &meeting.id,
            &member_id,
            &next,
            &audit(&actor, "evaluation.follow_up", Some(meeting.id.clone())),
        )
        .await?
    {
        PhaseOutcome::Done => Ok(()),
        _ => Err(AppError::Conflict("评议结果确定后才能登记后续处理".into())),
    }
}

/// One member's follow-up, as the secretary and the organisation's administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpView {
    pub name: String,
    pub grade: Grade,
    pub follow_up: Option<FollowUp>,
    pub lapsed: bool,
}

/// The members rated 基本合格 or 不合格 and what follows: for the branch's secretary and the
/// organisation's administrators (the 上级), never for other members.
#[server(endpoint = "evaluation_follow_ups")]
pub async fn evaluation_follow_ups(meeting_id: String) -> Result<Vec<FollowUpView>, AppError> {
    use crate::domain::cycle::correction_lapsed;
    use crate::server::access::overseen_meeting;
    use crate::server::context::{actor, state};
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = overseen_meeting(store, &actor, &meeting_id).await?;
    let people = participants(store, &meeting).await?;
    let follow_ups = store.follow_ups(&meeting.id, None).await?;
    let today = crate::server::clock::today();
    let mut views: Vec<FollowUpView> = store
        .evaluation_results(&meeting.id)
        .await?
        .into_iter()
        .filter(|r| matches!(r.grade, Grade::BasicallyQualified | Grade::Unqualified))
        .map(|r| {
            let follow_up = follow_ups
                .iter()
                .find(|(id, _)| *id == r.member_id)
                .map(|(_, f)| f.clone());
            FollowUpView {
                name: people
                    .iter()
                    .find(|p| p.user_id == r.member_id)
                    .map_or_else(|| "（已不在名单）".into(), |p| p.name.clone()),
                grade: r.grade,
                lapsed: follow_up
                    .as_ref()
                    .is_some_and(|f| correction_lapsed(f, today)),
                follow_up,
            }
        })
        .collect();
    crate::collation::sort_by_strokes(&mut views, |v| &v.name);
    Ok(views)
}
