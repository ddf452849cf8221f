//! A secretary's meetings (会议): set one up, watch who has handed in, and review what was
//! submitted. Only the secretary of the meeting's branch reaches any of these; to everyone
//! else they do not exist. A review reads frozen submission rounds, never a draft.

pub mod collective;
mod review;

pub use review::*;

use super::AppError;
use crate::domain::health::Finding;
use crate::domain::material::Material;
use crate::domain::meeting::{MeetingForm, Progress};
use crate::domain::outline::DiffLine;
use crate::domain::review::AnchorChoice;
#[cfg(feature = "ssr")]
use crate::domain::review::Decision;
use crate::domain::template::Template;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A template a meeting can start from.
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

/// A meeting of one of the secretary's branches, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingListing {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub meeting_on: Option<String>,
}

/// One branch the actor runs, with its meetings and what a new meeting can start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchMeetings {
    pub branch_id: String,
    pub branch_name: String,
    /// A 领导班子 holds 民主生活会 and names its roles differently.
    pub group_kind: crate::domain::org::GroupKind,
    pub meetings: Vec<MeetingListing>,
    pub templates: Vec<TemplateChoice>,
    pub members: Vec<MemberChoice>,
    /// Who may be a meeting's second reviewer: the organisation's administrators.
    pub reviewers: Vec<MemberChoice>,
    /// Whether the secretary may set up the branch's own notification channels.
    pub notify_allowed: bool,
}

/// The template key that copies the branch's newest meeting.
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
    /// Approved by the secretary, waiting for the meeting's second reviewer.
    pub awaiting_second: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub meeting_id: String,
    pub title: String,
    pub kind: String,
    /// A 民主生活会, with its collective 班子对照检查材料.
    pub leadership: bool,
    pub theme: String,
    pub branch_name: String,
    /// (label, "2026年1月15日") for each date the meeting has.
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

/// The organisation's enabled administrators, who may review a meeting's rounds second.
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

#[server(endpoint = "my_branch_meetings")]
pub async fn my_branch_meetings() -> Result<Vec<BranchMeetings>, AppError> {
    use super::context::{actor, state};
    use super::packs::backend::org_effective_packs;
    use crate::domain::Role;

    let actor = actor().await?;
    let store = &state()?.store;
    let mut branches = Vec::new();
    let packs = org_effective_packs(store, &actor.org_id).await?;
    let reviewers = second_reviewer_choices(store, &actor.org_id).await?;
    let notify_allowed = store.notify_branches_allowed(&actor.org_id).await?;
    for membership in actor
        .memberships
        .iter()
        .filter(|m| m.role == Role::Secretary)
    {
        let meetings = store
            .meetings_of_branch(&membership.branch_id)
            .await?
            .into_iter()
            .map(|m| MeetingListing {
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
        if let Some(last) = meetings.first() {
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
        branches.push(BranchMeetings {
            group_kind: membership.group_kind,
            reviewers: reviewers.clone(),
            branch_id: membership.branch_id.clone(),
            branch_name: membership.branch_name.clone(),
            meetings,
            templates,
            members,
            notify_allowed,
        });
    }
    Ok(branches)
}

/// Sets up a meeting and goes to its dashboard.
#[server(endpoint = "create_meeting")]
pub async fn create_meeting(
    branch_id: String,
    template: String,
    plan: MeetingForm,
    #[server(default)] second_reviewer: String,
) -> Result<String, AppError> {
    use super::context::{actor, audit, state};
    use super::packs::backend::org_effective_packs;
    use crate::domain::meeting::parse_plan;
    use crate::domain::pack::{MeetingType, Pack, newest_pack};
    use crate::domain::policy::can_run_branch;

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
            tracing::warn!(%stranger, "meeting participant outside the branch");
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
            newest_pack(&all, MeetingType::for_meeting(plan.kind)).cloned()
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
        .create_meeting(
            &branch_id,
            &plan,
            &template,
            second_reviewer.as_deref(),
            &audit(&actor, "session.create", None),
        )
        .await?;
    leptos_axum::redirect(&format!("/meetings/{id}/materials"));
    Ok(id)
}

#[server(endpoint = "meeting_dashboard")]
pub async fn meeting_dashboard(meeting_id: String) -> Result<DashboardView, AppError> {
    use super::context::{actor, state};

    let actor = actor().await?;
    let meeting = super::access::secretary_meeting(&state()?.store, &actor, &meeting_id).await?;
    build_dashboard(&state()?.store, &actor, meeting).await
}

/// The collection view of a meeting the actor runs (also behind the summary sheet).
#[cfg(feature = "ssr")]
pub(crate) async fn build_dashboard(
    store: &crate::store::Store,
    actor: &crate::domain::policy::Actor,
    meeting: crate::store::meetings::MeetingRecord,
) -> Result<DashboardView, AppError> {
    use super::clock::china_time;
    use crate::domain::health::{Severity, check};
    use crate::domain::meeting::{chinese_date, countdown, not_handed_in_list};
    use std::collections::HashMap;

    let materials: HashMap<String, _> = store
        .meeting_materials(&meeting.id)
        .await?
        .into_iter()
        .map(|m| (m.owner_id.clone(), m))
        .collect();
    // Every handed-in text in one query, not one per participant.
    let submitted_texts: HashMap<String, _> = store
        .meeting_submissions(&meeting.id)
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
        leadership: meeting.kind == crate::domain::meeting::MeetingKind::LeadershipMeeting,
        theme: meeting.theme,
        branch_name,
        dates,
        past_deadline,
        rows,
        counts,
        not_handed_in,
    })
}

/// A meeting's template as an editable form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateEditView {
    pub meeting_id: String,
    pub meeting_title: String,
    pub form: crate::domain::template_form::TemplateForm,
    /// Materials already started keep their parts.
    pub started: usize,
}

#[server(endpoint = "meeting_template")]
pub async fn meeting_template(meeting_id: String) -> Result<TemplateEditView, AppError> {
    use super::context::{actor, state};
    use crate::domain::template_form::TemplateForm;

    let actor = actor().await?;
    let meeting = super::access::secretary_meeting(&state()?.store, &actor, &meeting_id).await?;
    let started = state()?.store.meeting_materials(&meeting.id).await?.len();
    Ok(TemplateEditView {
        form: TemplateForm::of(&meeting.template),
        meeting_id: meeting.id,
        meeting_title: meeting.title,
        started,
    })
}

/// Saves an edited template for the meeting and goes back to its dashboard.
#[server(endpoint = "save_meeting_template")]
pub async fn save_meeting_template(
    meeting_id: String,
    template: crate::domain::template_form::TemplateForm,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let mut template = template
        .parse()
        .map_err(|errors| AppError::InvalidRows(errors.into_iter().map(|e| e.message).collect()))?;
    let meeting = super::access::secretary_meeting(&state()?.store, &actor, &meeting_id).await?;
    // Whether the 督导组 must approve the plan is the pack's rule, not the secretary's.
    template.plan_approval_required = meeting.template.plan_approval_required;
    state()?
        .store
        .update_meeting_template(
            &meeting.id,
            &template,
            &audit(&actor, "session.template", Some(meeting.id.clone())),
        )
        .await?;
    leptos_axum::redirect(&format!("/meetings/{}/materials", meeting.id));
    Ok(())
}
