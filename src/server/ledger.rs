//! 整改台账: each person's items, a branch's ledger for its secretary, an organisation's for
//! its administrators, and the changes the ledger rules allow. The owner reports progress
//! and completion; the secretary (or an org admin) confirms, sends back, approves
//! extensions and reopens — never on their own items. 逾期 / 临期 are computed per request.

use super::AppError;
use crate::domain::ledger::{ItemStatus, Urgency};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One item as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub id: String,
    pub meeting_title: String,
    pub branch_name: String,
    pub owner_name: String,
    pub position: i64,
    pub category: String,
    pub problem: String,
    pub measure: String,
    pub standard: String,
    pub kind: String,
    pub status: ItemStatus,
    pub deadline: String,
    /// The 时限 written in the material, when an extension moved it.
    pub original_deadline: Option<String>,
    pub urgency: Urgency,
    pub extension_pending: bool,
}

/// A list of items with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerList {
    pub title: String,
    /// Where the same list downloads as .xlsx.
    pub export: String,
    pub rows: Vec<LedgerRow>,
    pub total: usize,
    pub closed: usize,
    pub ongoing: usize,
    pub awaiting_close: usize,
    pub overdue: usize,
    pub due_soon: usize,
}

/// A line of an item's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub author: String,
    pub kind: String,
    pub on: String,
    pub text: String,
}

/// What the viewer may do with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LedgerAction {
    Progress,
    ReportDone,
    RequestExtension,
    Confirm,
    SendBack,
    ApproveExtension,
    RejectExtension,
    Reopen,
}

impl LedgerAction {
    pub const ALL: [Self; 8] = [
        Self::Progress,
        Self::ReportDone,
        Self::RequestExtension,
        Self::Confirm,
        Self::SendBack,
        Self::ApproveExtension,
        Self::RejectExtension,
        Self::Reopen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Progress => "progress",
            Self::ReportDone => "report_done",
            Self::RequestExtension => "request_extension",
            Self::Confirm => "confirm",
            Self::SendBack => "send_back",
            Self::ApproveExtension => "approve_extension",
            Self::RejectExtension => "reject_extension",
            Self::Reopen => "reopen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Progress => "记录进展",
            Self::ReportDone => "报告完成，申请销号",
            Self::RequestExtension => "申请延期",
            Self::Confirm => "对账销号",
            Self::SendBack => "退回继续整改",
            Self::ApproveExtension => "同意延期",
            Self::RejectExtension => "不同意延期",
            Self::Reopen => "重新打开",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.code() == code)
    }
}

/// One item with its history and what the viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerDetail {
    pub row: LedgerRow,
    pub revision: i64,
    pub follow_ups: Vec<String>,
    pub completed_on: Option<String>,
    pub closed: Option<String>,
    pub extension: Option<String>,
    pub notes: Vec<NoteView>,
    pub actions: Vec<LedgerAction>,
    pub today: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::*;
    use crate::domain::ledger::{LedgerError, Standing, Transition, WarningTiers, apply};
    use crate::domain::policy::{Actor, can_run_branch};
    use crate::domain::session::parse_date;
    use crate::store::ledger::LedgerItem;
    use chrono::NaiveDate;

    impl From<LedgerError> for AppError {
        fn from(error: LedgerError) -> Self {
            AppError::Invalid(error.to_string())
        }
    }

    pub fn row(item: &LedgerItem, today: NaiveDate) -> LedgerRow {
        let state = &item.state;
        LedgerRow {
            id: item.id.clone(),
            meeting_title: item.meeting_title.clone(),
            branch_name: item.branch_name.clone(),
            owner_name: item.owner_name.clone(),
            position: item.position,
            category: item.category.clone(),
            problem: item.problem.clone(),
            measure: item.measure.clone(),
            standard: item.standard.clone(),
            kind: state.kind.label().into(),
            status: state.status,
            deadline: state.deadline_label(),
            original_deadline: state.extended_from().map(|date| date.to_string()),
            urgency: state.urgency(today, WarningTiers::default()),
            extension_pending: state.extension.is_some(),
        }
    }

    /// The items as spreadsheet rows, with each item's latest report (`reports` by item id).
    pub fn sheet_rows(
        items: Vec<LedgerItem>,
        mut reports: std::collections::HashMap<String, String>,
        today: NaiveDate,
    ) -> Vec<crate::export::ledger::LedgerSheetRow> {
        items
            .into_iter()
            .map(|item| {
                let shown = row(&item, today);
                let closed = item.closed_label().unwrap_or_default();
                let state = item.state;
                crate::export::ledger::LedgerSheetRow {
                    progress: reports.remove(&item.id).unwrap_or_default(),
                    session: item.meeting_title,
                    owner: item.owner_name,
                    category: item.category,
                    problem: item.problem,
                    measure: item.measure,
                    kind: shown.kind,
                    deadline: state.deadline,
                    deadline_text: shown.deadline,
                    original_deadline: state.extended_from(),
                    standard: item.standard,
                    completed_on: state.completed_on,
                    status: state.status.label().into(),
                    warning: shown.urgency.label().into(),
                    closed,
                }
            })
            .collect()
    }

    pub fn list(
        title: String,
        export: String,
        items: &[LedgerItem],
        today: NaiveDate,
    ) -> LedgerList {
        let rows: Vec<LedgerRow> = items.iter().map(|item| row(item, today)).collect();
        let count = |keep: &dyn Fn(&LedgerRow) -> bool| rows.iter().filter(|r| keep(r)).count();
        LedgerList {
            title,
            export,
            total: rows.len(),
            closed: count(&|r| r.status == ItemStatus::Closed),
            ongoing: count(&|r| r.status == ItemStatus::Ongoing),
            awaiting_close: count(&|r| r.status == ItemStatus::AwaitingClose),
            overdue: count(&|r| r.urgency == Urgency::Overdue),
            due_soon: count(&|r| matches!(r.urgency, Urgency::DueSoon | Urgency::DueVerySoon)),
            rows,
        }
    }

    /// "<branch>整改台账", named after the items' branch.
    pub fn branch_title(items: &[LedgerItem]) -> String {
        match items.first() {
            Some(item) => format!("{}整改台账", item.branch_name),
            None => "支部整改台账".into(),
        }
    }

    /// Whether the actor oversees a branch's ledger: its secretary, or an administrator of
    /// its organisation.
    pub async fn oversees(
        store: &crate::store::Store,
        actor: &Actor,
        branch_id: &str,
    ) -> Result<bool, AppError> {
        Ok(can_run_branch(actor, branch_id)
            || (actor.is_org_admin && store.branch_in_org(&actor.org_id, branch_id).await?))
    }

    /// The item and how the actor stands to it; `NotFound` if it is not there or not theirs
    /// to see.
    pub async fn visible_item(
        store: &crate::store::Store,
        actor: &Actor,
        item_id: &str,
    ) -> Result<(LedgerItem, Standing), AppError> {
        let item = store
            .ledger_item(item_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let who = standing(store, actor, &item).await?;
        Ok((item, who))
    }

    /// How the actor stands to the item; `NotFound` if they may not see it.
    pub async fn standing(
        store: &crate::store::Store,
        actor: &Actor,
        item: &LedgerItem,
    ) -> Result<Standing, AppError> {
        if item.owner_id == actor.user_id {
            Ok(Standing::Owner)
        } else if oversees(store, actor, &item.branch_id).await? {
            Ok(Standing::Reviewer)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The actions the rules would accept from `who` now: each is tried with a filled-in
    /// form (today's date, some text, a far-off new 时限).
    pub fn possible_actions(
        item: &LedgerItem,
        who: Standing,
        today: NaiveDate,
    ) -> Vec<LedgerAction> {
        let far = today + chrono::Duration::days(3650);
        LedgerAction::ALL
            .into_iter()
            .filter(|action| {
                transition(*action, today, Some(far), "已填写")
                    .is_some_and(|t| apply(&item.state, who, &t, today).is_ok())
            })
            .collect()
    }

    /// The form's action as a domain transition; `None` if an extension names no date.
    pub fn transition(
        action: LedgerAction,
        on: NaiveDate,
        until: Option<NaiveDate>,
        text: &str,
    ) -> Option<Transition> {
        let text = text.trim().to_string();
        Some(match action {
            LedgerAction::Progress => Transition::Progress { on, text },
            LedgerAction::ReportDone => Transition::ReportDone { on, evidence: text },
            LedgerAction::RequestExtension => Transition::RequestExtension {
                until: until?,
                reason: text,
            },
            LedgerAction::Confirm => Transition::Confirm,
            LedgerAction::SendBack => Transition::SendBack { reason: text },
            LedgerAction::ApproveExtension => Transition::ApproveExtension,
            LedgerAction::RejectExtension => Transition::RejectExtension { reason: text },
            LedgerAction::Reopen => Transition::Reopen { reason: text },
        })
    }

    pub fn date_field(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
        parse_date(raw)
            .ok_or_else(|| AppError::Invalid(format!("{field}请写成 2026-03-31 或 2026年3月31日")))
    }
}

/// The logged-in person's own items.
#[server(endpoint = "my_ledger")]
pub async fn my_ledger() -> Result<LedgerList, AppError> {
    use super::context::{actor, state, today};
    use crate::store::ledger::LedgerScope;

    let actor = actor().await?;
    let items = state()?
        .store
        .ledger_items(LedgerScope::Owner(&actor.user_id))
        .await?;
    Ok(backend::list(
        "我的整改".into(),
        "/ledger/mine.xlsx".into(),
        &items,
        today(),
    ))
}

/// A branch's ledger, for its secretary and the org's administrators.
#[server(endpoint = "branch_ledger")]
pub async fn branch_ledger(branch_id: String) -> Result<LedgerList, AppError> {
    use super::context::{actor, audit, state, today};
    use crate::store::ledger::LedgerScope;

    let actor = actor().await?;
    let store = &state()?.store;
    if !backend::oversees(store, &actor, &branch_id).await? {
        return Err(AppError::NotFound);
    }
    let items = store.ledger_items(LedgerScope::Branch(&branch_id)).await?;
    store
        .record_audit(&audit(
            &actor,
            "ledger.branch_read",
            Some(branch_id.clone()),
        ))
        .await?;
    let title = backend::branch_title(&items);
    let export = format!("/ledger/branch/{branch_id}/ledger.xlsx");
    Ok(backend::list(title, export, &items, today()))
}

/// One item with its history, for its owner and its reviewers.
#[server(endpoint = "ledger_entry")]
pub async fn ledger_entry(item_id: String) -> Result<LedgerDetail, AppError> {
    use super::context::{actor, state, today};

    let actor = actor().await?;
    let store = &state()?.store;
    let (item, who) = backend::visible_item(store, &actor, &item_id).await?;
    let today = today();
    let notes = store
        .ledger_notes(&item.id)
        .await?
        .into_iter()
        .map(|note| NoteView {
            author: note.author_name,
            kind: LedgerAction::from_code(&note.kind)
                .map(|action| action.label().to_string())
                .unwrap_or(note.kind),
            on: note.on,
            text: note.text,
        })
        .collect();
    let state = &item.state;
    Ok(LedgerDetail {
        row: backend::row(&item, today),
        revision: item.revision,
        follow_ups: state.follow_ups.iter().map(|d| d.to_string()).collect(),
        completed_on: state.completed_on.map(|d| d.to_string()),
        closed: item.closed_label(),
        extension: state
            .extension
            .as_ref()
            .map(|e| format!("申请延期至 {}：{}", e.until, e.reason)),
        notes,
        actions: backend::possible_actions(&item, who, today),
        today: today.to_string(),
    })
}

/// Records a progress note or a status change on an item.
#[server(endpoint = "act_on_ledger_item")]
pub async fn act_on_ledger_item(
    item_id: String,
    revision: i64,
    action: String,
    #[server(default)] on: String,
    #[server(default)] until: String,
    #[server(default)] text: String,
) -> Result<(), AppError> {
    use super::context::{actor, audit, state, today};
    use crate::domain::ledger::apply;
    use crate::store::ledger::{ChangeOutcome, LedgerChange};

    let actor = actor().await?;
    let store = &state()?.store;
    let (item, who) = backend::visible_item(store, &actor, &item_id).await?;
    let action =
        LedgerAction::from_code(&action).ok_or_else(|| AppError::Invalid("不认识的操作".into()))?;
    let today = today();
    // Only a progress note and a completion report carry a date of their own.
    let on = match (action, on.trim()) {
        (LedgerAction::Progress | LedgerAction::ReportDone, raw) if !raw.is_empty() => {
            backend::date_field(raw, "日期")?
        }
        _ => today,
    };
    let until = match until.trim() {
        "" => None,
        raw => Some(backend::date_field(raw, "新的时限")?),
    };
    let transition = backend::transition(action, on, until, &text)
        .ok_or_else(|| AppError::Invalid("请填写新的时限".into()))?;
    let next = apply(&item.state, who, &transition, today)?;
    let change = LedgerChange {
        kind: action.code(),
        on,
        text: text.trim(),
    };
    let entry = audit(&actor, "ledger.change", Some(item.id.clone()));
    match store
        .change_ledger_item(&item.id, revision, &next, &change, &entry)
        .await?
    {
        ChangeOutcome::Applied => Ok(()),
        ChangeOutcome::Stale => Err(AppError::Conflict(
            "该事项刚被别人更新过，请刷新后再操作；您填写的内容还在表单里".into(),
        )),
    }
}
