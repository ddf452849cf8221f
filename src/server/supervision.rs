//! The 督导组 (issue 28, item 3). An administrator of the meeting's branch assigns users of
//! a 上级 node to one meeting; the secretary submits the 会议方案 and a member approves or
//! returns it; members read the meeting's page and its 会前准备情况报告 and record their 点评.
//! Every read of a member goes through `access::supervises`: this meeting only, until its
//! 整改 is over, never a draft nor a survey answer.

use super::AppError;
use crate::domain::material::Material;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A person on (or offered for) a 督导组.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorView {
    pub user_id: String,
    pub name: String,
    /// The 上级 node they come from.
    pub org_name: String,
}

/// The administrator's section of a meeting: its 督导组 and who may join it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionPanel {
    pub meeting_id: String,
    pub meeting_title: String,
    pub members: Vec<SupervisorView>,
    /// Users of the nodes above the meeting's organisation (of the organisation itself when
    /// it has none above it), not yet members.
    pub candidates: Vec<SupervisorView>,
}

/// One participant's material as the 督导组 sees it: where it stands, never its draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisedMaterial {
    pub author: String,
    /// 未提交 / 已提交 / 退回修改 / 审核通过 …
    pub state: String,
    /// The round waiting for the 督导组's decision, or decided by it: the review page.
    pub review_material_id: Option<String>,
}

/// One 点评 as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemarkView {
    pub author: String,
    pub at: String,
    pub text: String,
}

/// A meeting as its 督导组 and its secretary see it on the 督导 page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionView {
    pub meeting_id: String,
    pub title: String,
    pub branch: String,
    pub kind: String,
    pub theme: String,
    pub dates: Vec<(String, String)>,
    pub participants: Vec<String>,
    pub agenda: Vec<String>,
    /// `meeting.plan_state`'s code ("" when never submitted) and its words.
    pub plan_state: String,
    pub plan_label: String,
    pub plan_return_reason: Option<String>,
    pub plan_decided: Option<String>,
    pub approval_required: bool,
    pub supervisors: Vec<String>,
    pub materials: Vec<SupervisedMaterial>,
    pub remarks: Vec<RemarkView>,
    /// What the caller may do here.
    pub is_supervisor: bool,
    pub can_submit_plan: bool,
    pub can_decide_plan: bool,
}

/// A meeting on the "我的督导" page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisedMeeting {
    pub meeting_id: String,
    pub title: String,
    pub branch: String,
    pub meeting_on: Option<String>,
    pub plan_label: String,
    /// Rounds waiting for the 督导组's review.
    pub waiting_reviews: usize,
}

/// The 会前准备情况报告 as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparationView {
    pub meeting_id: String,
    pub facts: crate::domain::supervision::PreparationFacts,
    pub report: Material,
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::{PreparationView, SupervisorView};
    use crate::domain::meeting::chinese_date;
    use crate::domain::supervision::{PreparationFacts, Remark};
    use crate::server::AppError;
    use crate::server::clock::china_time;
    use crate::store::Store;
    use crate::store::meetings::MeetingRecord;

    /// Who may be put on this meeting's 督导组: the users of the nodes above its
    /// organisation; where the organisation has none above it, its own users (it is its
    /// own 上级, as a single-level installation always was with its second reviewer).
    pub async fn candidate_nodes(
        store: &Store,
        meeting: &MeetingRecord,
    ) -> Result<Vec<String>, AppError> {
        let Some(node) = store.branch_node(&meeting.branch_id).await? else {
            return Ok(Vec::new());
        };
        let above = store.nodes_above(&node).await?;
        Ok(if above.is_empty() { vec![node] } else { above })
    }

    pub async fn candidates(
        store: &Store,
        meeting: &MeetingRecord,
    ) -> Result<Vec<SupervisorView>, AppError> {
        let nodes = candidate_nodes(store, meeting).await?;
        Ok(store
            .supervisor_candidates(&nodes)
            .await?
            .into_iter()
            .map(|c| SupervisorView {
                user_id: c.user_id,
                name: c.name,
                org_name: c.org_name,
            })
            .collect())
    }

    /// The 点评 as the documents print them.
    pub async fn remarks(store: &Store, meeting_id: &str) -> Result<Vec<Remark>, AppError> {
        Ok(store
            .remarks(meeting_id)
            .await?
            .into_iter()
            .map(|r| Remark {
                author: r.author_name,
                on: china_time(r.at, "%Y年%-m月%-d日"),
                text: r.text,
            })
            .collect())
    }

    /// The 会前准备情况报告, counted from the meeting.
    pub async fn preparation(
        store: &Store,
        meeting: &MeetingRecord,
    ) -> Result<PreparationView, AppError> {
        use crate::domain::material::MaterialState;
        use crate::domain::supervision::preparation_document;
        let settings = store.cycle_settings(&meeting.id).await?;
        let members = store.branch_members(&meeting.branch_id).await?;
        let participants = members
            .iter()
            .filter(|m| meeting.includes(&m.user_id))
            .count();
        let materials = store.meeting_materials(&meeting.id).await?;
        let mut handed_in = 0;
        for material in &materials {
            if store.latest_submission(&material.id).await?.is_some() {
                handed_in += 1;
            }
        }
        let approved = materials
            .iter()
            .filter(|m| {
                matches!(
                    m.state,
                    MaterialState::Approved
                        | MaterialState::Spoken
                        | MaterialState::Final
                        | MaterialState::Reported
                )
            })
            .count();
        let opinions = store.meeting_opinions(&meeting.id).await?;
        let date =
            |d: Option<chrono::NaiveDate>| d.map(chinese_date).unwrap_or_else(|| "【未定】".into());
        let dates = meeting.dates;
        let facts = PreparationFacts {
            title: meeting.title.clone(),
            branch: store.branch_title(&meeting.branch_id).await?,
            theme: meeting.theme.clone(),
            plan_on: date(dates.and_then(|d| d.plan_on)),
            materials_due: date(dates.map(|d| d.materials_due)),
            meeting_on: date(dates.map(|d| d.meeting_on)),
            plan: meeting.plan_state,
            participants,
            // Counts only of a closed survey, as the 会议情况报告 counts them: one still
            // open would date each answer.
            survey_respondents: match settings.survey_closed {
                true => store.survey_respondent_count(&meeting.id).await?,
                false => 0,
            },
            survey_opinions: match settings.survey_closed {
                true => store.survey_answer_count(&meeting.id).await?,
                false => 0,
            },
            opinions_passed_on: opinions.iter().filter(|o| o.released).count(),
            talks: store.talks(&meeting.id).await?.len(),
            materials_started: materials.len(),
            materials_handed_in: handed_in,
            materials_approved: approved,
        };
        Ok(PreparationView {
            meeting_id: meeting.id.clone(),
            report: preparation_document(&facts),
            facts,
        })
    }
}

/// The meeting's 督导组 and who may join it, for an administrator of its branch.
#[server(endpoint = "supervision_setup")]
pub async fn supervision_setup(meeting_id: String) -> Result<SupervisionPanel, AppError> {
    use crate::server::context::{actor, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = crate::server::access::administered_meeting(store, &actor, &meeting_id).await?;
    let members: Vec<SupervisorView> = store
        .supervisors(&meeting.id)
        .await?
        .into_iter()
        .map(|s| SupervisorView {
            user_id: s.user_id,
            name: s.name,
            org_name: s.org_name,
        })
        .collect();
    let candidates = backend::candidates(store, &meeting)
        .await?
        .into_iter()
        .filter(|c| !members.iter().any(|m| m.user_id == c.user_id))
        .collect();
    Ok(SupervisionPanel {
        meeting_id: meeting.id,
        meeting_title: meeting.title,
        members,
        candidates,
    })
}

/// Puts a user of a 上级 node on the meeting's 督导组.
#[server(endpoint = "assign_supervisor")]
pub async fn assign_supervisor(meeting_id: String, user_id: String) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = crate::server::access::administered_meeting(store, &actor, &meeting_id).await?;
    let user_id = user_id.trim();
    if !backend::candidates(store, &meeting)
        .await?
        .iter()
        .any(|c| c.user_id == user_id)
    {
        return Err(AppError::Invalid(
            "督导组成员须是本组织上级党组织的人员，请从名单中选择".into(),
        ));
    }
    store
        .assign_supervisor(
            &meeting.id,
            user_id,
            &audit(&actor, "supervisor.assign", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}

/// Takes a user off the meeting's 督导组.
#[server(endpoint = "remove_supervisor")]
pub async fn remove_supervisor(meeting_id: String, user_id: String) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = crate::server::access::administered_meeting(store, &actor, &meeting_id).await?;
    if !meeting.supervisors.iter().any(|id| id == user_id.trim()) {
        return Err(AppError::Invalid("此人不在本次会议的督导组中".into()));
    }
    store
        .remove_supervisor(
            &meeting.id,
            user_id.trim(),
            &audit(&actor, "supervisor.remove", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}

/// The secretary hands the 会议方案 (theme, dates, participants, agenda: the meeting as set
/// up) to the 督导组 for approval.
#[server(endpoint = "submit_meeting_plan")]
pub async fn submit_meeting_plan(meeting_id: String) -> Result<(), AppError> {
    use crate::domain::supervision::plan_submittable;
    use crate::server::context::{actor, audit, state};
    use crate::store::supervision::PlanOutcome;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = crate::server::access::secretary_meeting(store, &actor, &meeting_id).await?;
    if meeting.supervisors.is_empty() {
        return Err(AppError::Conflict(
            "本次会议尚未指定督导组，请联系上级党组织指定后再报批会议方案".into(),
        ));
    }
    if meeting.dates.is_none() {
        return Err(AppError::Invalid(
            "请先填写会议方案的各项日期，再报督导组审批".into(),
        ));
    }
    let refused = || AppError::Conflict("会议方案已报批或已批准，无需重复报批".into());
    if !plan_submittable(meeting.plan_state) {
        return Err(refused());
    }
    match store
        .submit_plan(
            &meeting.id,
            &audit(&actor, "meeting.plan_submit", Some(meeting.id.clone())),
        )
        .await?
    {
        PlanOutcome::Recorded => Ok(()),
        PlanOutcome::NotPending => Err(refused()),
    }
}

/// A member of the 督导组 approves the submitted 会议方案 or returns it with a reason (shown
/// to the secretary; both audited).
#[server(endpoint = "decide_meeting_plan")]
pub async fn decide_meeting_plan(
    meeting_id: String,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::domain::supervision::{PlanState, return_reason};
    use crate::server::context::{actor, audit, state};
    use crate::store::supervision::PlanOutcome;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = crate::server::access::supervised_meeting(store, &actor, &meeting_id).await?;
    let (decision, reason, action) = match decision.trim() {
        "approved" => (PlanState::Approved, None, "meeting.plan_approve"),
        "returned" => (
            PlanState::Returned,
            Some(return_reason(&reason)?),
            "meeting.plan_return",
        ),
        _ => {
            return Err(AppError::Invalid("请选择审批结论：批准或退回修改".into()));
        }
    };
    let refused = || AppError::Conflict("会议方案不在待审批状态，请刷新后再看".into());
    if meeting.plan_state != Some(PlanState::Submitted) {
        return Err(refused());
    }
    match store
        .decide_plan(
            &meeting.id,
            decision,
            reason.as_deref(),
            &audit(&actor, action, Some(meeting.id.clone())),
        )
        .await?
    {
        PlanOutcome::Recorded => Ok(()),
        PlanOutcome::NotPending => Err(refused()),
    }
}

/// The meeting as its 督导组 (or its secretary) reads it: plan, participants, where each
/// material stands (never a draft's text), the 点评.
#[server(endpoint = "supervision_meeting")]
pub async fn supervision_meeting(meeting_id: String) -> Result<SupervisionView, AppError> {
    use crate::domain::material::MaterialState;
    use crate::domain::meeting::chinese_date;
    use crate::domain::policy::can_run_branch;
    use crate::domain::supervision::{PlanState, plan_submittable};
    use crate::server::access::{reviewer_stage, supervised_or_run_meeting, supervises};
    use crate::server::clock::china_time;
    use crate::server::context::{actor, state};
    use crate::store::meetings::ReviewStage;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = supervised_or_run_meeting(store, &actor, &meeting_id).await?;
    let is_supervisor = supervises(store, &actor, &meeting).await?;
    let is_secretary = can_run_branch(&actor, &meeting.branch_id);
    let members = store.branch_members(&meeting.branch_id).await?;
    let materials_rows = store.meeting_materials(&meeting.id).await?;
    let reviews_here = reviewer_stage(&actor, &meeting) == Some(ReviewStage::Second);
    let mut materials = Vec::new();
    for member in members.iter().filter(|m| meeting.includes(&m.user_id)) {
        let row = materials_rows.iter().find(|r| r.owner_id == member.user_id);
        let submitted = match row {
            Some(row) => store.latest_submission(&row.id).await?.is_some(),
            None => false,
        };
        // A draft (or a material never handed in) is "未提交": its state says nothing more.
        let state = match row.map(|r| r.state) {
            Some(state) if submitted && state != MaterialState::Draft => state.label(),
            _ => "未提交",
        };
        materials.push(super::supervision::SupervisedMaterial {
            author: member.name.clone(),
            state: state.to_string(),
            review_material_id: row
                .filter(|_| submitted && reviews_here && is_supervisor)
                .map(|r| r.id.clone()),
        });
    }
    let detail = store.plan_detail(&meeting.id).await?;
    let date = |d: chrono::NaiveDate| chinese_date(d);
    let mut dates = Vec::new();
    if let Some(d) = meeting.dates {
        if let Some(plan_on) = d.plan_on {
            dates.push(("方案制定".to_string(), date(plan_on)));
        }
        dates.push(("材料提交截止".to_string(), date(d.materials_due)));
        dates.push(("会议召开".to_string(), date(d.meeting_on)));
        dates.push(("报送截止".to_string(), date(d.report_due)));
    }
    let supervisors = store
        .supervisors(&meeting.id)
        .await?
        .into_iter()
        .map(|s| format!("{}（{}）", s.name, s.org_name))
        .collect();
    let remarks = store
        .remarks(&meeting.id)
        .await?
        .into_iter()
        .map(|r| RemarkView {
            author: r.author_name,
            at: china_time(r.at, "%Y-%m-%d %H:%M"),
            text: r.text,
        })
        .collect();
    Ok(SupervisionView {
        title: meeting.title.clone(),
        branch: store.branch_title(&meeting.branch_id).await?,
        kind: meeting.kind.label().to_string(),
        theme: meeting.theme.clone(),
        dates,
        participants: members
            .iter()
            .filter(|m| meeting.includes(&m.user_id))
            .map(|m| m.name.clone())
            .collect(),
        agenda: meeting.template.agenda_reports.clone(),
        plan_state: meeting
            .plan_state
            .map(|s| s.code().to_string())
            .unwrap_or_default(),
        plan_label: meeting
            .plan_state
            .map(|s| s.label().to_string())
            .unwrap_or_else(|| "未报批".into()),
        plan_return_reason: detail
            .return_reason
            .filter(|_| meeting.plan_state == Some(PlanState::Returned)),
        plan_decided: match (detail.decided_by, detail.decided_at) {
            (Some(by), Some(at)) => Some(format!("{by} {}", china_time(at, "%Y-%m-%d %H:%M"))),
            _ => None,
        },
        approval_required: meeting.template.plan_approval_required,
        supervisors,
        materials,
        remarks,
        is_supervisor,
        can_submit_plan: is_secretary
            && !meeting.supervisors.is_empty()
            && plan_submittable(meeting.plan_state),
        can_decide_plan: is_supervisor && meeting.plan_state == Some(PlanState::Submitted),
        meeting_id: meeting.id,
    })
}

/// A member of the 督导组 records their 点评 at the meeting.
#[server(endpoint = "record_supervisor_remark")]
pub async fn record_supervisor_remark(meeting_id: String, text: String) -> Result<(), AppError> {
    use crate::domain::supervision::remark_text;
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let text = remark_text(&text)?;
    let store = &state()?.store;
    let meeting = crate::server::access::supervised_meeting(store, &actor, &meeting_id).await?;
    store
        .add_remark(
            &meeting.id,
            &text,
            &audit(
                &actor,
                "meeting.supervisor_remark",
                Some(meeting.id.clone()),
            ),
        )
        .await?;
    Ok(())
}

/// The 会前准备情况报告, generated from the meeting, for its 督导组 and its secretary.
#[server(endpoint = "preparation_report")]
pub async fn preparation_report(meeting_id: String) -> Result<PreparationView, AppError> {
    use crate::server::context::{actor, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting =
        crate::server::access::supervised_or_run_meeting(store, &actor, &meeting_id).await?;
    backend::preparation(store, &meeting).await
}

/// The meetings the actor supervises (while they see them), for "我的督导".
#[server(endpoint = "my_supervisions")]
pub async fn my_supervisions() -> Result<Vec<SupervisedMeeting>, AppError> {
    use crate::domain::meeting::chinese_date;
    use crate::server::context::{actor, state};
    use crate::store::meetings::ReviewStage;

    let actor = actor().await?;
    let store = &state()?.store;
    let mut listed = Vec::new();
    for meeting_id in store.meetings_supervised_by(&actor.user_id).await? {
        let meeting = crate::server::access::meeting(store, &meeting_id).await?;
        if !crate::server::access::supervises(store, &actor, &meeting).await? {
            continue;
        }
        let waiting = if crate::server::access::reviewer_stage(&actor, &meeting)
            == Some(ReviewStage::Second)
        {
            store
                .rounds_awaiting(&meeting.id, ReviewStage::Second)
                .await?
                .len()
        } else {
            0
        };
        listed.push(SupervisedMeeting {
            branch: store.branch_title(&meeting.branch_id).await?,
            meeting_on: meeting.dates.map(|d| chinese_date(d.meeting_on)),
            plan_label: meeting
                .plan_state
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| "未报批".into()),
            waiting_reviews: waiting,
            meeting_id: meeting.id,
            title: meeting.title,
        });
    }
    Ok(listed)
}
