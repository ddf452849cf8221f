//! A secretary's sessions (会议): set one up, watch who has handed in, and review what was
//! submitted. Only the secretary of the session's branch reaches any of these; to everyone
//! else they do not exist. A review reads frozen submission rounds, never a draft.

use super::AppError;
use crate::domain::health::Finding;
use crate::domain::material::Material;
use crate::domain::outline::DiffLine;
use crate::domain::review::AnchorChoice;
#[cfg(feature = "ssr")]
use crate::domain::review::Decision;
use crate::domain::session::{Progress, SessionForm};
use crate::domain::template::Template;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A template a session can start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoice {
    pub key: String,
    pub name: String,
}

/// A member who can take part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChoice {
    pub user_id: String,
    pub name: String,
    pub post: Option<String>,
}

/// A session of one of the secretary's branches, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionEntry {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub meeting_on: Option<String>,
}

/// One branch the actor runs, with its sessions and what a new session can start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchSessions {
    pub branch_id: String,
    pub branch_name: String,
    pub sessions: Vec<SessionEntry>,
    pub templates: Vec<TemplateChoice>,
    pub members: Vec<MemberChoice>,
    /// Who may be a session's second reviewer: the organisation's administrators.
    pub reviewers: Vec<MemberChoice>,
}

/// The template key that copies the branch's newest session.
pub const COPY_LAST: &str = "copy-last";
/// The prefix of a template the organisation published.
pub const ORG_TEMPLATE: &str = "org:";
/// The template key that takes the newest policy pack of the meeting's type: the default,
/// so a new meeting follows this year's round without the secretary knowing which pack.
pub const NEWEST_PACK: &str = "newest";

/// One participant's line on the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantRow {
    pub name: String,
    pub post: Option<String>,
    pub progress: Progress,
    /// "MM-DD HH:MM" of the last change, if the material was started.
    pub last_activity: Option<String>,
    /// For sorting: RFC 3339.
    pub last_activity_key: String,
    /// Set once a round was submitted: the review page.
    pub review_material_id: Option<String>,
    /// 材料体检 of the latest submitted round: (errors, warnings).
    pub health: Option<(usize, usize)>,
    /// Not handed in and the deadline has passed.
    pub late: bool,
    /// Approved by the secretary, waiting for the session's second reviewer.
    pub awaiting_second: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub meeting_id: String,
    pub title: String,
    pub kind: String,
    pub theme: String,
    pub branch_name: String,
    /// (label, "2026年1月15日") for each date the session has.
    pub dates: Vec<(String, String)>,
    /// Countdown to the materials deadline, e.g. "还有 3 天".
    pub countdown: Option<String>,
    pub past_deadline: bool,
    pub rows: Vec<ParticipantRow>,
    /// (progress, count) for every progress value.
    pub counts: Vec<(Progress, usize)>,
    pub handed_in: usize,
    pub total: usize,
    /// "未提交（2人）：张明、刘芳", to paste into a message.
    pub not_handed_in: String,
    pub approved: usize,
}

/// A comment as shown beside its spot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub round: i64,
    pub author: String,
    pub anchor: String,
    pub anchor_label: String,
    pub text: String,
    pub at: String,
}

/// A decision in the review history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub round: i64,
    /// "支部书记" or "上级审核".
    pub stage: String,
    pub reviewer: String,
    pub decision: String,
    pub reason: String,
    pub at: String,
}

/// The next round waiting for the same reviewer in the session, offered after a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextReview {
    pub material_id: String,
    pub author: String,
    pub round: i64,
}

/// What the reviewer reads: the latest submitted round, never the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub material_id: String,
    pub meeting_id: String,
    pub meeting_title: String,
    pub author: String,
    pub progress: Progress,
    pub round: i64,
    pub content: Material,
    pub template: Template,
    pub findings: Vec<Finding>,
    pub anchors: Vec<AnchorChoice>,
    pub comments: Vec<CommentView>,
    pub decisions: Vec<DecisionView>,
    /// From the previous round to this one (empty for round 1).
    pub changes: Vec<DiffLine>,
    /// Whether this round still waits for this reviewer's decision.
    pub pending: bool,
    /// Where the reviewer came from: the session's dashboard, or the second reviewer's list.
    pub back: String,
    /// Another material of the session waiting for this reviewer, the earliest handed in.
    pub next: Option<NextReview>,
}

/// Whether the round still waits for this stage's decision, given the decisions so far.
#[cfg(feature = "ssr")]
fn waits_for(
    stage: crate::store::meetings::ReviewStage,
    state: Option<crate::domain::material::MaterialState>,
    round: i64,
    decisions: &[crate::store::meetings::ReviewRow],
) -> bool {
    use crate::domain::material::MaterialState;
    use crate::store::meetings::ReviewStage;
    let decided = |stage: i64| {
        decisions
            .iter()
            .find(|d| d.round == round && d.stage == stage)
            .map(|d| d.decision)
    };
    state == Some(MaterialState::Submitted)
        && match stage {
            ReviewStage::Secretary { .. } => decided(1).is_none(),
            ReviewStage::Second => decided(1) == Some(Decision::Approved) && decided(2).is_none(),
        }
}

/// The organisation's enabled administrators, who may review a session's rounds second.
#[cfg(feature = "ssr")]
async fn second_reviewer_choices(
    store: &crate::store::Store,
    org_id: &str,
) -> Result<Vec<MemberChoice>, AppError> {
    Ok(store
        .active_org_admins(org_id)
        .await?
        .into_iter()
        .map(|u| MemberChoice {
            user_id: u.id,
            name: u.name,
            post: u.post,
        })
        .collect())
}

#[server(endpoint = "my_branch_sessions")]
pub async fn my_branch_sessions() -> Result<Vec<BranchSessions>, AppError> {
    use super::context::{actor, state};
    use super::packs::backend::org_effective_packs;
    use crate::domain::Role;

    let actor = actor().await?;
    let store = &state()?.store;
    let mut branches = Vec::new();
    let packs = org_effective_packs(store, &actor.org_id).await?;
    let reviewers = second_reviewer_choices(store, &actor.org_id).await?;
    for membership in actor
        .memberships
        .iter()
        .filter(|m| m.role == Role::Secretary)
    {
        let sessions = store
            .meetings_of_branch(&membership.branch_id)
            .await?
            .into_iter()
            .map(|m| SessionEntry {
                id: m.id,
                title: m.title,
                kind: m.kind.label().to_string(),
                meeting_on: m.meeting_on,
            })
            .collect::<Vec<_>>();
        let mut templates = vec![TemplateChoice {
            key: NEWEST_PACK.into(),
            name: "按会议类型使用最新年度模板（推荐）".into(),
        }];
        // The organisation's own packs over the shipped ones, newest year first.
        templates.extend(packs.iter().map(|p| TemplateChoice {
            key: p.pack.key.clone(),
            name: if p.uploaded_text.is_some() {
                format!("本单位：{}", p.pack.template.name)
            } else {
                p.pack.template.name.clone()
            },
        }));
        for published in store.org_templates(&actor.org_id).await? {
            templates.push(TemplateChoice {
                key: format!("{ORG_TEMPLATE}{}", published.id),
                name: format!("本单位发布：{}", published.template.name),
            });
        }
        if let Some(last) = sessions.first() {
            templates.insert(
                1,
                TemplateChoice {
                    key: COPY_LAST.into(),
                    name: format!("沿用上次会议「{}」的模板", last.title),
                },
            );
        }
        let members = store
            .branch_members(&membership.branch_id)
            .await?
            .into_iter()
            .map(|m| MemberChoice {
                user_id: m.user_id,
                name: m.name,
                post: m.post,
            })
            .collect();
        branches.push(BranchSessions {
            reviewers: reviewers.clone(),
            branch_id: membership.branch_id.clone(),
            branch_name: membership.branch_name.clone(),
            sessions,
            templates,
            members,
        });
    }
    Ok(branches)
}

/// Sets up a session and goes to its dashboard.
#[server(endpoint = "create_session")]
pub async fn create_session(
    branch_id: String,
    template: String,
    plan: SessionForm,
    #[server(default)] second_reviewer: String,
) -> Result<String, AppError> {
    use super::context::{actor, audit, state};
    use super::packs::backend::org_effective_packs;
    use crate::domain::pack::{MeetingType, Pack, newest_pack};
    use crate::domain::policy::can_run_branch;
    use crate::domain::session::parse_plan;

    let actor = actor().await?;
    let plan = parse_plan(&plan)
        .map_err(|errors| AppError::InvalidRows(errors.into_iter().map(|e| e.message).collect()))?;
    if !can_run_branch(&actor, &branch_id) {
        return Err(AppError::NotFound);
    }
    let store = &state()?.store;
    if let Some(chosen) = &plan.participants {
        let members = store.branch_members(&branch_id).await?;
        if let Some(stranger) = chosen
            .iter()
            .find(|id| !members.iter().any(|m| &m.user_id == *id))
        {
            tracing::warn!(%stranger, "session participant outside the branch");
            return Err(AppError::Invalid("参会人员须是本支部党员".into()));
        }
    }
    let template = if template == COPY_LAST {
        store
            .latest_meeting_of_branch(&branch_id)
            .await?
            .map(|last| last.template)
            .ok_or_else(|| AppError::Invalid("本支部还没有以往的会议可以沿用".into()))?
    } else if let Some(id) = template.strip_prefix(ORG_TEMPLATE) {
        store
            .org_templates(&actor.org_id)
            .await?
            .into_iter()
            .find(|published| published.id == id)
            .map(|published| published.template)
            .ok_or_else(|| AppError::Invalid("该模板已撤回，请重新选择".into()))?
    } else {
        let packs = org_effective_packs(store, &actor.org_id).await?;
        let chosen = if template == NEWEST_PACK {
            let all: Vec<Pack> = packs.into_iter().map(|p| p.pack).collect();
            newest_pack(&all, MeetingType::for_session(plan.kind)).cloned()
        } else {
            packs
                .into_iter()
                .map(|p| p.pack)
                .find(|p| p.key == template)
        };
        chosen
            .map(|pack| pack.template)
            .ok_or_else(|| AppError::Invalid("请选择材料模板".into()))?
    };
    let second_reviewer = match second_reviewer.trim() {
        "" => None,
        id => {
            if !second_reviewer_choices(store, &actor.org_id)
                .await?
                .iter()
                .any(|r| r.user_id == id)
            {
                return Err(AppError::Invalid("上级审核人须是本单位的组织管理员".into()));
            }
            Some(id.to_string())
        }
    };
    let id = store
        .create_session(
            &branch_id,
            &plan,
            &template,
            second_reviewer.as_deref(),
            &audit(&actor, "session.create", None),
        )
        .await?;
    leptos_axum::redirect(&format!("/sessions/{id}"));
    Ok(id)
}

#[server(endpoint = "session_dashboard")]
pub async fn session_dashboard(meeting_id: String) -> Result<DashboardView, AppError> {
    use super::context::{actor, state};

    let actor = actor().await?;
    let meeting = super::access::secretary_meeting(&state()?.store, &actor, &meeting_id).await?;
    build_dashboard(&state()?.store, &actor, meeting).await
}

/// The collection view of a session the actor runs (also behind the summary sheet).
#[cfg(feature = "ssr")]
pub(crate) async fn build_dashboard(
    store: &crate::store::Store,
    actor: &crate::domain::policy::Actor,
    meeting: crate::store::meetings::MeetingRecord,
) -> Result<DashboardView, AppError> {
    use super::clock::china_time;
    use crate::domain::health::{Severity, check};
    use crate::domain::session::{chinese_date, countdown, not_handed_in_list};
    use std::collections::HashMap;

    let materials: HashMap<String, _> = store
        .session_materials(&meeting.id)
        .await?
        .into_iter()
        .map(|m| (m.owner_id.clone(), m))
        .collect();
    // Every handed-in text in one query, not one per participant.
    let submitted_texts: HashMap<String, _> = store
        .session_submissions(&meeting.id)
        .await?
        .into_iter()
        .map(|text| (text.material_id, text.content))
        .collect();
    let today = super::clock::today();
    let past_deadline = meeting
        .dates
        .is_some_and(|dates| dates.materials_due < today);
    let mut rows = Vec::new();
    for member in store.branch_members(&meeting.branch_id).await? {
        if !meeting.includes(&member.user_id) {
            continue;
        }
        let material = materials.get(&member.user_id);
        let progress = Progress::of(material.map(|m| m.state));
        let submitted = material.filter(|m| m.submitted_at.is_some());
        let health = submitted
            .and_then(|m| submitted_texts.get(&m.id))
            .map(|content| {
                let findings = check(content, &meeting.template);
                let errors = findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count();
                (errors, findings.len() - errors)
            });
        let awaiting_second = match submitted {
            Some(m) if meeting.second_reviewer.is_some() && progress == Progress::Submitted => {
                let reviews = store.reviews(&m.id).await?;
                let latest = reviews.iter().map(|r| r.round).max();
                reviews.iter().any(|r| {
                    Some(r.round) == latest && r.stage == 1 && r.decision == Decision::Approved
                }) && !reviews
                    .iter()
                    .any(|r| Some(r.round) == latest && r.stage == 2)
            }
            _ => false,
        };
        rows.push(ParticipantRow {
            awaiting_second,
            name: member.name,
            post: member.post,
            progress,
            last_activity: material.map(|m| china_time(m.updated_at, "%m-%d %H:%M")),
            last_activity_key: material
                .map(|m| m.updated_at.to_rfc3339())
                .unwrap_or_default(),
            review_material_id: submitted.map(|m| m.id.clone()),
            health,
            late: past_deadline && !progress.handed_in(),
        });
    }
    let counts = Progress::ALL
        .into_iter()
        .map(|p| (p, rows.iter().filter(|r| r.progress == p).count()))
        .collect();
    let owing: Vec<&str> = rows
        .iter()
        .filter(|r| !r.progress.handed_in())
        .map(|r| r.name.as_str())
        .collect();
    let not_handed_in = not_handed_in_list(&owing);
    let branch_name = actor
        .memberships
        .iter()
        .find(|m| m.branch_id == meeting.branch_id)
        .map(|m| m.branch_name.clone())
        .unwrap_or_default();
    let mut dates = Vec::new();
    if let Some(d) = meeting.dates {
        if let Some(plan_on) = d.plan_on {
            dates.push(("方案".to_string(), chinese_date(plan_on)));
        }
        dates.push(("材料截止".to_string(), chinese_date(d.materials_due)));
        dates.push(("会议".to_string(), chinese_date(d.meeting_on)));
        dates.push(("报送截止".to_string(), chinese_date(d.report_due)));
    }
    Ok(DashboardView {
        handed_in: rows.iter().filter(|r| r.progress.handed_in()).count(),
        approved: rows
            .iter()
            .filter(|r| r.progress == Progress::Approved)
            .count(),
        total: rows.len(),
        countdown: meeting.dates.map(|d| countdown(today, d.materials_due)),
        meeting_id: meeting.id,
        title: meeting.title,
        kind: meeting.kind.label().to_string(),
        theme: meeting.theme,
        branch_name,
        dates,
        past_deadline,
        rows,
        counts,
        not_handed_in,
    })
}

#[cfg(feature = "ssr")]
fn comment_views(
    rows: Vec<crate::store::meetings::CommentRow>,
    rounds: &std::collections::HashMap<i64, Material>,
) -> Vec<CommentView> {
    use super::clock::china_time;
    use crate::domain::review::anchor_label;
    rows.into_iter()
        .map(|c| CommentView {
            anchor_label: rounds
                .get(&c.round)
                .and_then(|m| anchor_label(m, &c.anchor))
                .unwrap_or_else(|| "全文".into()),
            round: c.round,
            author: c.author_name,
            anchor: c.anchor,
            text: c.text,
            at: china_time(c.at, "%Y-%m-%d %H:%M"),
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn decision_views(rows: Vec<crate::store::meetings::ReviewRow>) -> Vec<DecisionView> {
    use super::clock::china_time;
    rows.into_iter()
        .map(|r| DecisionView {
            stage: if r.stage == 2 {
                "上级审核"
            } else {
                "支部书记"
            }
            .into(),
            round: r.round,
            reviewer: r.reviewer_name,
            decision: r.decision.label().to_string(),
            reason: r.reason,
            at: china_time(r.at, "%Y-%m-%d %H:%M"),
        })
        .collect()
}

/// The comments and decisions on a material, for its author or its reviewer.
#[cfg(feature = "ssr")]
pub(crate) async fn review_history(
    material_id: &str,
    latest: Option<(i64, &Material)>,
) -> Result<(Vec<CommentView>, Vec<DecisionView>), AppError> {
    use std::collections::HashMap;
    let store = &super::context::state()?.store;
    let comments = store.review_comments(material_id).await?;
    let mut rounds: HashMap<i64, Material> = HashMap::new();
    if let Some((round, content)) = latest {
        rounds.insert(round, content.clone());
    }
    for round in comments.iter().map(|c| c.round) {
        if !rounds.contains_key(&round)
            && let Some(content) = store.submission_content(material_id, round).await?
        {
            rounds.insert(round, content);
        }
    }
    Ok((
        comment_views(comments, &rounds),
        decision_views(store.reviews(material_id).await?),
    ))
}

#[server(endpoint = "review_material")]
pub async fn review_material(material_id: String) -> Result<ReviewView, AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::health::check;
    use crate::domain::outline::diff;
    use crate::domain::review::anchors;

    let actor = actor().await?;
    let (material, meeting, round, content) =
        super::access::reviewable_material(&state()?.store, &actor, &material_id).await?;
    let store = &state()?.store;
    let changes = match round {
        1 => Vec::new(),
        _ => match store.submission_content(&material.id, round - 1).await? {
            Some(previous) => diff(&previous, &content),
            None => Vec::new(),
        },
    };
    let (comments, decisions) = review_history(&material.id, Some((round, &content))).await?;
    let author = store
        .find_user(&material.owner_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let state_now = Some(material.state);
    // Reading another person's material is audited.
    store
        .record_audit(&audit(
            &actor,
            "material.review_read",
            Some(material.id.clone()),
        ))
        .await?;
    let stage = super::access::reviewer_stage(&actor, &meeting).ok_or(AppError::NotFound)?;
    let pending = waits_for(stage, state_now, round, &store.reviews(&material.id).await?);
    let next = store
        .rounds_awaiting(&meeting.id, stage)
        .await?
        .into_iter()
        .find(|waiting| waiting.material_id != material.id)
        .map(|waiting| NextReview {
            material_id: waiting.material_id,
            author: waiting.owner_name,
            round: waiting.round,
        });
    Ok(ReviewView {
        next,
        back: match stage {
            crate::store::meetings::ReviewStage::Second => "/reviews".into(),
            _ => format!("/sessions/{}", meeting.id),
        },
        progress: Progress::of(state_now),
        pending,
        findings: check(&content, &meeting.template),
        anchors: anchors(&content),
        material_id: material.id,
        meeting_id: meeting.id,
        meeting_title: meeting.title,
        author,
        round,
        content,
        template: meeting.template,
        comments,
        decisions,
        changes,
    })
}

/// Adds a 批注 to the round being reviewed, anchored to a spot of that round's text.
#[server(endpoint = "comment_on_material")]
pub async fn comment_on_material(
    material_id: String,
    round: i64,
    anchor: String,
    text: String,
) -> Result<(), AppError> {
    use super::context::{actor, state};
    use crate::domain::review::{anchor_label, comment_text};

    let actor = actor().await?;
    let text = comment_text(&text)?;
    let (_, _, latest, content) =
        super::access::reviewable_material(&state()?.store, &actor, &material_id).await?;
    if round != latest {
        return Err(AppError::Conflict(
            "作者已重新提交，请刷新后对最新一轮批注".into(),
        ));
    }
    if anchor_label(&content, &anchor).is_none() {
        return Err(AppError::Invalid("批注的位置在这一轮材料中不存在".into()));
    }
    state()?
        .store
        .add_review_comment(&material_id, round, &actor.user_id, &anchor, &text)
        .await?;
    Ok(())
}

/// 退回修改 (reason required) or 审核通过 for the round being reviewed. Neither is assumed: a
/// post that names no decision is refused. The reviewer stays on the round's page, which then
/// confirms the decision and offers the next material waiting.
#[server(endpoint = "decide_material")]
pub async fn decide_material(
    material_id: String,
    round: i64,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::review::{Decision, chosen_decision, decision_reason};
    use crate::store::meetings::DecisionOutcome;

    let actor = actor().await?;
    let decision = chosen_decision(&decision)?;
    let reason = decision_reason(decision, &reason)?;
    let (material, meeting, _, _) =
        super::access::reviewable_material(&state()?.store, &actor, &material_id).await?;
    let stage = super::access::reviewer_stage(&actor, &meeting).ok_or(AppError::NotFound)?;
    let action = match decision {
        Decision::Returned => "material.return",
        Decision::Approved => "material.approve",
    };
    match state()?
        .store
        .decide_review(
            &material.id,
            round,
            stage,
            decision.code(),
            &reason,
            &audit(&actor, action, Some(material.id.clone())),
        )
        .await?
    {
        DecisionOutcome::Recorded => {
            super::notify::material_decided(
                &actor,
                &material.id,
                &material.owner_id,
                round,
                &meeting,
                decision == Decision::Returned,
            )
            .await;
            Ok(())
        }
        DecisionOutcome::NotPending => Err(AppError::Conflict(
            "这一轮材料已不在待审状态（作者可能已撤回或重新提交），请刷新后再看".into(),
        )),
    }
}

/// The material most like this one, with the repeated passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarityMatch {
    pub percent: u32,
    /// Whose or which material: a name for the reviewer; never a colleague's name or text
    /// for the author.
    pub with: String,
    pub passages: Vec<crate::domain::similarity::MatchedPassage>,
    /// At or over the warning score.
    pub warn: bool,
}

/// 雷同 check of one material: against the session's other submitted materials, and
/// against the author's own materials of earlier sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarityView {
    pub in_session: Option<SimilarityMatch>,
    pub own_past: Option<SimilarityMatch>,
}

/// The sentences a template supplies itself (guidance and examples): repeating them is not
/// 雷同.
#[cfg(feature = "ssr")]
fn template_sentences(template: &Template) -> Vec<String> {
    template
        .parts
        .iter()
        .flat_map(|part| [part.guidance.as_str(), part.example.as_str()])
        .flat_map(|text| text.split(['。', '；', '\n']))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[server(endpoint = "similarity_check")]
pub async fn similarity_check(material_id: String) -> Result<SimilarityView, AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::similarity::{WARNING_SCORE, most_similar};

    let actor = actor().await?;
    let store = &state()?.store;
    let record = store
        .material(&material_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_author = record.owner_id == actor.user_id;
    // The author checks the current text; a reviewer only ever reads the submitted round.
    let (meeting, ours) = if is_author {
        let meeting = store
            .meeting(&record.meeting_id)
            .await?
            .ok_or(AppError::NotFound)?;
        (meeting, record.content.clone())
    } else {
        let (_, meeting, _, content) =
            super::access::reviewable_material(&state()?.store, &actor, &material_id).await?;
        store
            .record_audit(&audit(
                &actor,
                "material.similarity_read",
                Some(record.id.clone()),
            ))
            .await?;
        (meeting, content)
    };
    // The 上级 reviewer learns how much repeats and where, never the other materials' text:
    // those were not handed to them.
    let sees_other_texts = !is_author
        && super::access::reviewer_stage(&actor, &meeting)
            != Some(crate::store::meetings::ReviewStage::Second);
    let common = template_sentences(&meeting.template);
    let found = |similarity: crate::domain::similarity::Similarity, with: String| SimilarityMatch {
        percent: similarity.percent(),
        warn: similarity.score >= WARNING_SCORE,
        with,
        passages: similarity.passages,
    };

    let colleagues: Vec<_> = store
        .session_submissions(&meeting.id)
        .await?
        .into_iter()
        .filter(|s| s.owner_id != record.owner_id)
        .collect();
    let only_ours = |similarity: &mut crate::domain::similarity::Similarity| {
        for passage in &mut similarity.passages {
            passage.theirs.clear();
        }
    };
    let in_session = most_similar(&ours, colleagues.iter().map(|s| &s.content), &common).map(
        |(index, mut similarity)| {
            if !sees_other_texts {
                // A colleague's text stays theirs: only our own sentences are shown.
                only_ours(&mut similarity);
            }
            if is_author {
                found(similarity, "本次会议另一位同志的材料".into())
            } else {
                let with = format!("{} 的材料", colleagues[index].owner_name);
                found(similarity, with)
            }
        },
    );

    let past: Vec<_> = store
        .submissions_of_owner(&record.owner_id)
        .await?
        .into_iter()
        .filter(|s| s.meeting_id != meeting.id)
        // A reviewer sees the author's past only where they reviewed it: in this branch.
        .filter(|s| is_author || s.branch_id == meeting.branch_id)
        .collect();
    let own_past = most_similar(&ours, past.iter().map(|s| &s.content), &common).map(
        |(index, mut similarity)| {
            if !is_author && !sees_other_texts {
                only_ours(&mut similarity);
            }
            found(
                similarity,
                format!("「{}」的材料", past[index].meeting_title),
            )
        },
    );
    Ok(SimilarityView {
        in_session,
        own_past,
    })
}

/// A session's template as an editable form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateEditView {
    pub meeting_id: String,
    pub meeting_title: String,
    pub form: crate::domain::template_form::TemplateForm,
    /// Materials already started keep their parts.
    pub started: usize,
}

#[server(endpoint = "session_template")]
pub async fn session_template(meeting_id: String) -> Result<TemplateEditView, AppError> {
    use super::context::{actor, state};
    use crate::domain::template_form::TemplateForm;

    let actor = actor().await?;
    let meeting = super::access::secretary_meeting(&state()?.store, &actor, &meeting_id).await?;
    let started = state()?.store.session_materials(&meeting.id).await?.len();
    Ok(TemplateEditView {
        form: TemplateForm::of(&meeting.template),
        meeting_id: meeting.id,
        meeting_title: meeting.title,
        started,
    })
}

/// Saves an edited template for the session and goes back to its dashboard.
#[server(endpoint = "save_session_template")]
pub async fn save_session_template(
    meeting_id: String,
    template: crate::domain::template_form::TemplateForm,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let template = template
        .parse()
        .map_err(|errors| AppError::InvalidRows(errors.into_iter().map(|e| e.message).collect()))?;
    let meeting = super::access::secretary_meeting(&state()?.store, &actor, &meeting_id).await?;
    state()?
        .store
        .update_session_template(
            &meeting.id,
            &template,
            &audit(&actor, "session.template", Some(meeting.id.clone())),
        )
        .await?;
    leptos_axum::redirect(&format!("/sessions/{}", meeting.id));
    Ok(())
}

/// A submitted round waiting for the actor's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingReview {
    pub material_id: String,
    pub author: String,
    pub meeting_title: String,
    pub round: i64,
}

/// The rounds of these sessions' materials that wait for a decision at `stage`, session by
/// session in the order given.
#[cfg(feature = "ssr")]
async fn waiting_reviews(
    store: &crate::store::Store,
    meetings: Vec<(String, String)>,
    stage: crate::store::meetings::ReviewStage,
) -> Result<Vec<WaitingReview>, AppError> {
    let mut waiting = Vec::new();
    for (meeting_id, meeting_title) in meetings {
        for material in store.session_materials(&meeting_id).await? {
            let Some((round, _)) = store.latest_submission(&material.id).await? else {
                continue;
            };
            let state = Some(material.state);
            if waits_for(stage, state, round, &store.reviews(&material.id).await?) {
                waiting.push(WaitingReview {
                    author: store
                        .find_user(&material.owner_id)
                        .await?
                        .map(|u| u.name)
                        .unwrap_or_default(),
                    material_id: material.id,
                    meeting_title: meeting_title.clone(),
                    round,
                });
            }
        }
    }
    Ok(waiting)
}

/// The rounds waiting for the actor as a session's second reviewer.
#[server(endpoint = "my_second_reviews")]
pub async fn my_second_reviews() -> Result<Vec<WaitingReview>, AppError> {
    use super::context::{actor, state};
    use crate::store::meetings::ReviewStage;

    let actor = actor().await?;
    let store = &state()?.store;
    let meetings = store
        .meetings_reviewed_by(&actor.user_id)
        .await?
        .into_iter()
        .map(|meeting| (meeting.id, meeting.title))
        .collect();
    waiting_reviews(store, meetings, ReviewStage::Second).await
}

/// The rounds waiting for the actor as the secretary of their branches (待审核), for the
/// home page. Empty for anyone who is no branch's secretary.
#[server(endpoint = "my_pending_reviews")]
pub async fn my_pending_reviews() -> Result<Vec<WaitingReview>, AppError> {
    use super::context::{actor, state};
    use crate::domain::Role;
    use crate::store::meetings::ReviewStage;

    let actor = actor().await?;
    let store = &state()?.store;
    let mut meetings = Vec::new();
    for membership in actor
        .memberships
        .iter()
        .filter(|m| m.role == Role::Secretary)
    {
        meetings.extend(
            store
                .meetings_of_branch(&membership.branch_id)
                .await?
                .into_iter()
                .map(|meeting| (meeting.id, meeting.title)),
        );
    }
    let stage = ReviewStage::Secretary {
        second_follows: false,
    };
    waiting_reviews(store, meetings, stage).await
}
