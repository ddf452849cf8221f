//! 整改方案 of a meeting (issue 28 item 4): its items with their 问题 / 整改任务 / 责任领导 /
//! 责任部门 / 时限 / 完成标准 / 类型 / 来源. The secretary of the meeting's group adds, edits
//! and removes them and brings in the measures of a settled material; the administrators
//! above read them. The items are ledger items: progress, evidence and 销号 go through
//! `server::ledger`, with 销号 decided by [`super::access::may_close_plan_item`].
#![allow(
    clippy::too_many_arguments,
    reason = "save_plan_item takes one argument per form field, so the form posts without JavaScript; the server macro's client half cannot carry an attribute"
)]

use super::AppError;
use crate::domain::ledger::{ItemStatus, Urgency};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One item as the plan page shows it, with what its edit form starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRow {
    pub id: String,
    /// 序号 in the plan, from 1.
    pub number: usize,
    pub revision: i64,
    pub problem: String,
    pub task: String,
    pub owner_id: String,
    pub owner_name: String,
    pub department: String,
    /// The 时限 as shown: a date, 长期坚持 or 未定.
    pub deadline: String,
    /// The 时限 for the edit form (YYYY-MM-DD or empty).
    pub deadline_value: String,
    pub standard: String,
    /// A `MeasureKind` code and its label.
    pub kind: String,
    pub kind_label: String,
    /// A `PlanSource` code, the 来源 as the 问题清单 writes it, and the form's source fields.
    pub source: String,
    pub source_label: String,
    pub opinion_id: String,
    pub feedback_kind: String,
    pub issuer: String,
    pub document_number: String,
    pub status: ItemStatus,
    pub urgency: Urgency,
    /// Closed items are history: they are no longer edited.
    pub editable: bool,
}

/// A meeting's 整改方案 page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub meeting_id: String,
    pub title: String,
    /// The reader is the secretary of the meeting's group (the administrators above read).
    pub may_edit: bool,
    pub rows: Vec<PlanRow>,
    /// The group's members, who may be 责任领导: (id, name).
    pub members: Vec<(String, String)>,
    /// The 征求意见 about the group as a whole: (id, text).
    pub opinions: Vec<(String, String)>,
    /// Materials of the meeting whose measures may join the plan: (id, author).
    pub materials: Vec<(String, String)>,
    /// Who closes (销号) its items, in words.
    pub closure: String,
    pub today: String,
}

/// Where the 整改方案 .docx downloads.
pub fn plan_docx_href(meeting_id: &str) -> String {
    format!("/meetings/{meeting_id}/rectification/plan.docx")
}

/// Where the 整改落实情况报告 .docx downloads (add `?on=YYYY-MM-DD`).
pub fn report_docx_href(meeting_id: &str) -> String {
    format!("/meetings/{meeting_id}/rectification/report.docx")
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::*;
    use crate::domain::rectification_plan::{FormContext, PlanItem, PlanItemForm, Source};
    use crate::server::ledger::backend::AsOf;
    use crate::store::Store;
    use crate::store::ledger::{LedgerItem, LedgerScope};
    use crate::store::meetings::MeetingRecord;
    use crate::store::rectification_plan::PlanExtra;

    /// The meeting's plan items with their plan fields, in 序号 order.
    pub async fn plan_items(
        store: &Store,
        meeting_id: &str,
    ) -> Result<Vec<(LedgerItem, PlanExtra)>, AppError> {
        let mut extras = store.plan_extras(meeting_id).await?;
        let mut items: Vec<(LedgerItem, PlanExtra)> = store
            .ledger_items(LedgerScope::Plan(meeting_id))
            .await?
            .into_iter()
            .filter_map(|item| extras.remove(&item.id).map(|extra| (item, extra)))
            .collect();
        items.sort_by_key(|(_, extra)| extra.position);
        Ok(items)
    }

    pub fn row(number: usize, item: &LedgerItem, extra: &PlanExtra, as_of: AsOf) -> PlanRow {
        let state = &item.state;
        let (opinion_id, feedback_kind, issuer, document_number) = match &extra.source {
            Source::Opinion { reference } => (reference.clone().unwrap_or_default(), "", "", ""),
            Source::Superior {
                kind,
                issuer,
                document_number,
            } => (
                String::new(),
                kind.code(),
                issuer.as_str(),
                document_number.as_str(),
            ),
            _ => (String::new(), "", "", ""),
        };
        PlanRow {
            id: item.id.clone(),
            number,
            revision: item.revision,
            problem: item.problem.clone(),
            task: item.measure.clone(),
            owner_id: item.owner_id.clone(),
            owner_name: item.owner_name.clone(),
            department: extra.department.clone(),
            deadline: state.deadline_label(),
            deadline_value: state.deadline.map(|d| d.to_string()).unwrap_or_default(),
            standard: item.standard.clone(),
            kind: state.kind.code().into(),
            kind_label: state.kind.label().into(),
            source: extra.source.kind().code().into(),
            source_label: extra.source.label(),
            opinion_id,
            feedback_kind: feedback_kind.into(),
            issuer: issuer.into(),
            document_number: document_number.into(),
            status: state.status,
            urgency: state.urgency(as_of.today, as_of.tiers),
            editable: state.status != ItemStatus::Closed,
        }
    }

    /// The 征求意见 about the group as a whole (not about one person): (id, text).
    pub async fn group_opinions(
        store: &Store,
        meeting_id: &str,
    ) -> Result<Vec<(String, String)>, AppError> {
        Ok(store
            .survey_answers(meeting_id)
            .await?
            .into_iter()
            .filter(|answer| answer.about_id.is_none())
            .map(|answer| (answer.id, answer.text))
            .collect())
    }

    /// Checks the form against the meeting: its members lead, its opinions are answered.
    /// An opinion item with no 问题 typed takes the opinion's words.
    pub async fn checked(
        store: &Store,
        meeting: &MeetingRecord,
        mut form: PlanItemForm,
        stored_deadline: Option<chrono::NaiveDate>,
    ) -> Result<PlanItem, AppError> {
        let members: Vec<String> = store
            .branch_members(&meeting.branch_id)
            .await?
            .into_iter()
            .map(|member| member.user_id)
            .collect();
        let opinions = group_opinions(store, &meeting.id).await?;
        if form.source == "opinion"
            && form.problem.trim().is_empty()
            && let Some((_, text)) = opinions.iter().find(|(id, _)| *id == form.opinion_id)
        {
            form.problem = text.clone();
        }
        let ids: Vec<String> = opinions.into_iter().map(|(id, _)| id).collect();
        form.check(FormContext {
            today: crate::server::clock::today(),
            members: &members,
            opinions: &ids,
            stored_deadline,
        })
        .map_err(|errors| AppError::Invalid(errors.to_string()))
    }

    /// A plan item of this meeting, for its secretary.
    pub async fn plan_item_of(
        store: &Store,
        meeting: &MeetingRecord,
        item_id: &str,
    ) -> Result<LedgerItem, AppError> {
        store
            .ledger_item(item_id)
            .await?
            .filter(|item| item.plan && item.meeting_id == meeting.id)
            .ok_or(AppError::NotFound)
    }
}

/// The meeting's 整改方案: for the secretary of its group, and to read for the
/// administrators above it.
#[server(endpoint = "rectification_plan")]
pub async fn rectification_plan(meeting_id: String) -> Result<PlanView, AppError> {
    use super::context::{actor, state};
    use crate::domain::policy::can_run_branch;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = super::access::overseen_meeting(store, &actor, &meeting_id).await?;
    let as_of = crate::server::ledger::backend::AsOf::now(store, &actor.org_id).await?;
    let rows = backend::plan_items(store, &meeting.id)
        .await?
        .iter()
        .enumerate()
        .map(|(index, (item, extra))| backend::row(index + 1, item, extra, as_of))
        .collect();
    let may_edit = can_run_branch(&actor, &meeting.branch_id);
    let members = store
        .branch_members(&meeting.branch_id)
        .await?
        .into_iter()
        .map(|member| (member.user_id, member.name))
        .collect();
    let (opinions, materials) = if may_edit {
        (
            backend::group_opinions(store, &meeting.id).await?,
            store
                .settled_materials(&meeting.id)
                .await?
                .into_iter()
                .map(|material| (material.id, material.owner_name))
                .collect(),
        )
    } else {
        // 征求意见 stay with the group's secretary (docs/SECURITY.md).
        (Vec::new(), Vec::new())
    };
    let closure = if meeting.template.closure_by_superior {
        "按本次会议的政策包，整改事项由上级党组织管理员对账销号"
    } else {
        "整改事项由支部书记（主要负责人）对账销号"
    };
    Ok(PlanView {
        meeting_id: meeting.id.clone(),
        title: format!("{}整改方案", meeting.title),
        may_edit,
        rows,
        members,
        opinions,
        materials,
        closure: closure.into(),
        today: as_of.today.to_string(),
    })
}

/// Adds an item to the plan (no `item_id`) or rewrites one (with its `revision`). Every
/// field is checked; a refusal names each problem and the form keeps what was typed.
#[server(endpoint = "save_plan_item")]
pub async fn save_plan_item(
    meeting_id: String,
    #[server(default)] item_id: String,
    #[server(default)] revision: i64,
    #[server(default)] problem: String,
    #[server(default)] task: String,
    #[server(default)] owner_id: String,
    #[server(default)] department: String,
    #[server(default)] deadline: String,
    #[server(default)] standard: String,
    #[server(default)] kind: String,
    #[server(default)] source: String,
    #[server(default)] opinion_id: String,
    #[server(default)] feedback_kind: String,
    #[server(default)] issuer: String,
    #[server(default)] document_number: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::rectification_plan::PlanItemForm;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = super::access::secretary_meeting(store, &actor, &meeting_id).await?;
    let form = PlanItemForm {
        problem,
        task,
        owner_id,
        department,
        deadline,
        standard,
        kind,
        source,
        opinion_id,
        feedback_kind,
        issuer,
        document_number,
    };
    if item_id.trim().is_empty() {
        let item = backend::checked(store, &meeting, form, None).await?;
        let entry = audit(&actor, "plan.add_item", Some(meeting.id.clone()));
        store.add_plan_item(&meeting.id, &item, &entry).await?;
        return Ok(());
    }
    let stored = backend::plan_item_of(store, &meeting, item_id.trim()).await?;
    if stored.state.status == ItemStatus::Closed {
        return Err(AppError::Invalid(
            "该事项已销号，不能再修改；如有反弹，请在台账中重新打开".into(),
        ));
    }
    let item = backend::checked(store, &meeting, form, stored.state.deadline).await?;
    let entry = audit(&actor, "plan.edit_item", Some(stored.id.clone()));
    if store
        .update_plan_item(&stored.id, revision, &item, &entry)
        .await?
    {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "该事项刚被别人更新过，请刷新后再修改；您填写的内容还在表单里".into(),
        ))
    }
}

/// Takes an item out of the plan: a typed-in item is deleted (refused once it has notes or
/// evidence), a material's measure goes back to being only its owner's ledger item.
#[server(endpoint = "remove_plan_item")]
pub async fn remove_plan_item(meeting_id: String, item_id: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::store::rectification_plan::Removal;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = super::access::secretary_meeting(store, &actor, &meeting_id).await?;
    let item = backend::plan_item_of(store, &meeting, &item_id).await?;
    let entry = audit(&actor, "plan.remove_item", Some(item.id.clone()));
    match store.remove_plan_item(&item.id, &entry).await? {
        Removal::Deleted | Removal::Unlinked => Ok(()),
        Removal::HasHistory => Err(AppError::Invalid(
            "该事项已有整改记录或佐证材料，不能删除；如不再需要，请在台账中办理销号".into(),
        )),
    }
}

/// Brings the measures of a settled (approved or later) material of this meeting into the
/// plan, as the ledger items they already are.
#[server(endpoint = "import_plan_measures")]
pub async fn import_plan_measures(meeting_id: String, material_id: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = super::access::secretary_meeting(store, &actor, &meeting_id).await?;
    let settled = store.settled_materials(&meeting.id).await?;
    if !settled.iter().any(|material| material.id == material_id) {
        return Err(AppError::Invalid(
            "请选择本次会议一份已审核通过的对照检查材料".into(),
        ));
    }
    let entry = audit(&actor, "plan.import_measures", Some(material_id.clone()));
    let joined = store
        .import_material_items(&meeting.id, &material_id, &entry)
        .await?;
    if joined == 0 {
        return Err(AppError::Invalid(
            "这份材料没有可以列入方案的整改措施（可能已经全部列入）".into(),
        ));
    }
    Ok(())
}
