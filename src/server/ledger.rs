//! 整改台账: each person's items, a branch's ledger for its secretary, an organisation's for
//! its administrators, and the changes the ledger rules allow. The owner reports progress
//! and completion; the secretary (or an org admin) confirms, sends back, approves
//! extensions and reopens — never on their own items. 逾期 / 临期 are computed per request.
//!
//! Long because every 台账 action is a public endpoint with its own guard; they share
//! the view types defined here.

use super::AppError;
use crate::domain::ledger::{ItemStatus, Urgency};
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
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
    pub stats: crate::domain::ledger_stats::LedgerStats,
    /// A branch ledger's meetings, each with whether its 整改清单 is published.
    pub meetings: Vec<MeetingPublication>,
    /// The warning tiers in force, for the page to explain its colours.
    pub tiers: crate::domain::ledger::WarningTiers,
    /// The organisation's ledger lists only the items late or coming due, the earliest
    /// first and at most [`ORG_ATTENTION_ROWS`]; this is how many there are in all.
    /// `None` where `rows` holds every item.
    pub attention_total: Option<usize>,
    /// The organisation's ledger links each branch's own (id, name).
    pub branches: Vec<(String, String)>,
    /// A rolled-up ledger's counts per node just below the one read, to drill down to.
    pub nodes: Vec<NodeTally>,
}

/// The 台账 counts of one node below the reader's, everything under it included: the
/// drill-down rows of a rolled-up ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeTally {
    pub id: String,
    pub name: String,
    pub kind_label: String,
    pub total: usize,
    pub closed: usize,
    pub overdue: usize,
}

/// How many items the organisation's ledger lists: with thousands of items a page of all of
/// them helps nobody, so it shows what needs attention and leads on to each branch's ledger
/// (where the filters are) and to the export of everything.
pub const ORG_ATTENTION_ROWS: usize = 200;

/// A meeting of a branch's ledger and the publication of its 整改清单.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingPublication {
    pub meeting_id: String,
    pub title: String,
    /// The day it was published (YYYY-MM-DD).
    pub published_on: Option<String>,
}

/// A branch's published 整改清单 as its members see it: who does what by when, and how it
/// stands — no notes, no evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedList {
    pub title: String,
    pub rows: Vec<PublishedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedRow {
    pub owner_name: String,
    pub category: String,
    pub problem: String,
    pub measure: String,
    pub deadline: String,
    pub status: ItemStatus,
}

/// A line of an item's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteView {
    pub author: String,
    pub kind: String,
    pub on: String,
    pub text: String,
    /// The 佐证材料 the note came with: its download address and name.
    pub evidence: Option<(String, String)>,
}

/// One evidence file of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceView {
    pub href: String,
    pub name: String,
    pub size: String,
    pub uploader: String,
}

/// Where an evidence file downloads.
pub fn evidence_href(evidence_id: &str) -> String {
    format!("/ledger/evidence/{evidence_id}")
}

crate::domain::coded_enum! {
    /// What the viewer may do with an item.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum LedgerAction {
        Progress => ("progress", "记录进展"),
        ReportDone => ("report_done", "报告完成，申请销号"),
        RequestExtension => ("request_extension", "申请延期"),
        Confirm => ("confirm", "对账销号"),
        SendBack => ("send_back", "退回继续整改"),
        ApproveExtension => ("approve_extension", "同意延期"),
        RejectExtension => ("reject_extension", "不同意延期"),
        Reopen => ("reopen", "重新打开"),
        AddFollowUp => ("add_follow_up", "安排跟踪督办 / 回头看"),
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
    pub evidence: Vec<EvidenceView>,
    /// Whether the viewer may attach evidence now.
    pub may_attach: bool,
    pub actions: Vec<LedgerAction>,
    pub today: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod backend {
    use super::*;
    use crate::domain::ledger::{LedgerError, Standing, Transition, WarningTiers, apply};
    use crate::domain::meeting::parse_date;
    use crate::store::ledger::LedgerItem;
    use chrono::NaiveDate;

    impl From<LedgerError> for AppError {
        fn from(error: LedgerError) -> Self {
            AppError::Invalid(error.to_string())
        }
    }

    /// The day and the organisation's warning tiers that 逾期 / 临期 are measured by.
    #[derive(Debug, Clone, Copy)]
    pub struct AsOf {
        pub today: NaiveDate,
        pub tiers: WarningTiers,
    }

    impl AsOf {
        /// Today (UTC+8) by the organisation's tiers.
        pub async fn now(store: &crate::store::Store, org_id: &str) -> Result<Self, AppError> {
            Ok(Self {
                today: crate::server::clock::today(),
                tiers: store.warning_tiers(org_id).await?,
            })
        }
    }

    pub fn row(item: &LedgerItem, as_of: AsOf) -> LedgerRow {
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
            urgency: state.urgency(as_of.today, as_of.tiers),
            extension_pending: state.extension.is_some(),
        }
    }

    /// The items as spreadsheet rows, with each item's latest report (`reports` by item id);
    /// `with_branch` names the branch before the meeting (an organisation's sheet).
    pub fn sheet_rows(
        mut items: Vec<LedgerItem>,
        mut reports: std::collections::HashMap<String, String>,
        as_of: AsOf,
        with_branch: bool,
    ) -> Vec<crate::export::ledger::LedgerSheetRow> {
        // A 台账 handed on is an official list: its people 按姓氏笔画, not the screen's 拼音.
        crate::store::ledger::order_ledger(&mut items, crate::collation::NameOrder::Strokes);
        items
            .into_iter()
            .map(|item| {
                let shown = row(&item, as_of);
                let closed = item.closed_label().unwrap_or_default();
                let state = item.state;
                crate::export::ledger::LedgerSheetRow {
                    progress: reports.remove(&item.id).unwrap_or_default(),
                    meeting: if with_branch {
                        format!("{} · {}", item.branch_name, item.meeting_title)
                    } else {
                        item.meeting_title
                    },
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

    /// Every item as a row, with the counts and statistics of them all.
    pub fn list(title: String, export: String, items: &[LedgerItem], as_of: AsOf) -> LedgerList {
        LedgerList {
            rows: items.iter().map(|item| row(item, as_of)).collect(),
            ..summary(title, export, items, as_of)
        }
    }

    /// The counts and statistics of the items, without their rows.
    pub fn summary(title: String, export: String, items: &[LedgerItem], as_of: AsOf) -> LedgerList {
        use crate::domain::ledger_stats::{StatItem, statistics};
        let count = |keep: &dyn Fn(&LedgerItem) -> bool| items.iter().filter(|i| keep(i)).count();
        let urgency = |item: &LedgerItem| item.state.urgency(as_of.today, as_of.tiers);
        let stat_items: Vec<StatItem<'_>> = items
            .iter()
            .map(|item| StatItem {
                branch: &item.branch_name,
                category: &item.category,
                state: &item.state,
            })
            .collect();
        LedgerList {
            meetings: Vec::new(),
            attention_total: None,
            branches: Vec::new(),
            nodes: Vec::new(),
            stats: statistics(&stat_items, as_of.today, as_of.tiers),
            tiers: as_of.tiers,
            title,
            export,
            total: items.len(),
            closed: count(&|i| i.state.status == ItemStatus::Closed),
            ongoing: count(&|i| i.state.status == ItemStatus::Ongoing),
            awaiting_close: count(&|i| i.state.status == ItemStatus::AwaitingClose),
            overdue: count(&|i| urgency(i) == Urgency::Overdue),
            due_soon: count(&|i| matches!(urgency(i), Urgency::DueSoon | Urgency::DueVerySoon)),
            rows: Vec::new(),
        }
    }

    /// "<branch>整改台账", named after the items' branch.
    pub fn branch_title(items: &[LedgerItem]) -> String {
        match items.first() {
            Some(item) => format!("{}整改台账", item.branch_name),
            None => "支部整改台账".into(),
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
            LedgerAction::AddFollowUp => Transition::AddFollowUp { on: until? },
        })
    }

    /// A file size as people read it.
    pub fn size_label(bytes: i64) -> String {
        if bytes >= 1024 * 1024 {
            format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
        } else {
            format!("{} KB", (bytes + 1023) / 1024)
        }
    }

    pub fn date_field(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
        parse_date(raw)
            .ok_or_else(|| AppError::Invalid(format!("{field}请写成 2026-03-31 或 2026年3月31日")))
    }
}

/// The logged-in person's own items.
#[server(endpoint = "my_ledger")]
pub async fn my_ledger() -> Result<LedgerList, AppError> {
    use super::context::{actor, state};
    use crate::store::ledger::LedgerScope;

    let actor = actor().await?;
    let store = &state()?.store;
    let items = store
        .ledger_items(LedgerScope::Owner(&actor.user_id))
        .await?;
    Ok(backend::list(
        "我的整改".into(),
        "/ledger/mine.xlsx".into(),
        &items,
        backend::AsOf::now(store, &actor.org_id).await?,
    ))
}

/// A branch's ledger, for its secretary and the org's administrators.
#[server(endpoint = "branch_ledger")]
pub async fn branch_ledger(branch_id: String) -> Result<LedgerList, AppError> {
    use super::context::{actor, audit, state};
    use crate::store::ledger::LedgerScope;

    let actor = actor().await?;
    let store = &state()?.store;
    if !super::access::oversees(store, &actor, &branch_id).await? {
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
    let as_of = backend::AsOf::now(store, &actor.org_id).await?;
    let mut list = backend::list(title, export, &items, as_of);
    list.meetings = store
        .ledger_meetings(std::slice::from_ref(&branch_id))
        .await?
        .into_iter()
        .map(|meeting| MeetingPublication {
            meeting_id: meeting.meeting_id,
            title: meeting.title,
            published_on: meeting.published_at.map(|at| at.chars().take(10).collect()),
        })
        .collect();
    Ok(list)
}

/// One item with its history, for its owner and its reviewers.
#[server(endpoint = "ledger_entry")]
pub async fn ledger_entry(item_id: String) -> Result<LedgerDetail, AppError> {
    use super::context::{actor, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let (item, who) = super::access::visible_ledger_item(store, &actor, &item_id).await?;
    let as_of = backend::AsOf::now(store, &actor.org_id).await?;
    let today = as_of.today;
    let notes = store
        .ledger_notes(&item.id)
        .await?
        .into_iter()
        .map(|note| NoteView {
            author: note.author_name,
            kind: match note.kind.as_str() {
                "evidence" => "上传佐证材料".to_string(),
                code => LedgerAction::from_code(code)
                    .map(|action| action.label().to_string())
                    .unwrap_or(note.kind),
            },
            on: note.on,
            text: note.text,
            evidence: note
                .evidence_id
                .map(|id| (evidence_href(&id), note.evidence_name.unwrap_or_default())),
        })
        .collect();
    let evidence = store
        .ledger_evidence(&item.id)
        .await?
        .into_iter()
        .map(|file| EvidenceView {
            href: evidence_href(&file.id),
            size: backend::size_label(file.size),
            name: file.name,
            uploader: file.uploader_name,
        })
        .collect();
    let mut actions = backend::possible_actions(&item, who, today);
    if item.plan && !super::access::may_close_plan_item(store, &actor, &item).await? {
        actions.retain(|action| *action != LedgerAction::Confirm);
    }
    let state = &item.state;
    Ok(LedgerDetail {
        row: backend::row(&item, as_of),
        revision: item.revision,
        follow_ups: state.follow_ups.iter().map(|d| d.to_string()).collect(),
        completed_on: state.completed_on.map(|d| d.to_string()),
        closed: item.closed_label(),
        extension: state
            .extension
            .as_ref()
            .map(|e| format!("申请延期至 {}：{}", e.until, e.reason)),
        notes,
        evidence,
        may_attach: crate::domain::ledger::may_attach_evidence(state, who).is_ok(),
        actions,
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
    use super::clock::today;
    use super::context::{actor, audit, state};
    use crate::domain::ledger::apply;
    use crate::store::ledger::{ChangeOutcome, LedgerChange};

    let actor = actor().await?;
    let store = &state()?.store;
    let (item, who) = super::access::visible_ledger_item(store, &actor, &item_id).await?;
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
    let until_label = match action {
        LedgerAction::AddFollowUp => "跟踪日期",
        _ => "新的时限",
    };
    let until = match until.trim() {
        "" => None,
        raw => Some(backend::date_field(raw, until_label)?),
    };
    if action == LedgerAction::Confirm
        && item.plan
        && who == crate::domain::ledger::Standing::Reviewer
        && !super::access::may_close_plan_item(store, &actor, &item).await?
    {
        return Err(AppError::Invalid(
            "按本次会议的政策包，整改方案事项须由上级党组织对账销号".into(),
        ));
    }
    let transition = backend::transition(action, on, until, &text)
        .ok_or_else(|| AppError::Invalid(format!("请填写{until_label}")))?;
    let next = apply(&item.state, who, &transition, today)?;
    // A follow-up's note says which date was set, with what is to be checked.
    let text = match (action, until) {
        (LedgerAction::AddFollowUp, Some(date)) if text.trim().is_empty() => format!("{date}"),
        (LedgerAction::AddFollowUp, Some(date)) => format!("{date}：{}", text.trim()),
        _ => text.trim().to_string(),
    };
    let change = LedgerChange {
        kind: action.code(),
        on,
        text: &text,
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

/// Publishes a meeting's 整改清单 to the branch's members (`publish` = "1"), or withdraws
/// it. For the branch's secretary and the organisation's administrators.
#[server(endpoint = "publish_ledger_list")]
pub async fn publish_ledger_list(meeting_id: String, publish: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = super::access::overseen_meeting(store, &actor, &meeting_id).await?;
    let publish = publish == "1";
    let action = if publish {
        "ledger.publish"
    } else {
        "ledger.withdraw"
    };
    store
        .publish_ledger(
            &meeting.id,
            publish,
            &audit(&actor, action, Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}

/// The published 整改清单 of the person's branches, newest meeting first.
#[server(endpoint = "published_ledgers")]
pub async fn published_ledgers() -> Result<Vec<PublishedList>, AppError> {
    use super::context::{actor, state};
    use crate::store::ledger::LedgerScope;

    let actor = actor().await?;
    let store = &state()?.store;
    let branches: Vec<String> = actor
        .memberships
        .iter()
        .map(|m| m.branch_id.clone())
        .collect();
    let mut lists = Vec::new();
    for meeting in store.ledger_meetings(&branches).await? {
        if meeting.published_at.is_none() {
            continue;
        }
        let items = store
            .ledger_items(LedgerScope::Meeting(&meeting.meeting_id))
            .await?;
        lists.push(PublishedList {
            title: format!("{}{}整改清单", meeting.branch_name, meeting.title),
            rows: items
                .into_iter()
                .map(|item| PublishedRow {
                    owner_name: item.owner_name,
                    category: item.category,
                    problem: item.problem,
                    measure: item.measure,
                    deadline: item.state.deadline_label(),
                    status: item.state.status,
                })
                .collect(),
        });
    }
    Ok(lists)
}

/// A reminder as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderView {
    /// "red" or "yellow".
    pub colour: String,
    pub text: String,
    pub href: String,
}

/// Where a person's reminders come from: their own items (from the yellow tier on) and,
/// for each branch they run, its items (from the red tier on) and decisions waiting.
#[cfg(feature = "ssr")]
fn reminder_scopes(
    actor: &crate::domain::policy::Actor,
    as_of: backend::AsOf,
) -> Vec<(
    crate::store::ledger::ReminderScope<'_>,
    crate::domain::ledger::Standing,
)> {
    use crate::domain::ledger::Standing;
    use crate::domain::org::Role;
    use crate::store::ledger::ReminderScope;

    let days = |n: i64| as_of.today + chrono::Days::new(n.max(0) as u64);
    let tiers = as_of.tiers;
    let own = ReminderScope::Owner {
        user_id: &actor.user_id,
        cutoff: days(tiers.yellow_days.max(tiers.red_days)),
    };
    std::iter::once((own, Standing::Owner))
        .chain(
            actor
                .memberships
                .iter()
                .filter(|m| m.role == Role::Secretary)
                .map(|m| {
                    let branch = ReminderScope::Branch {
                        branch_id: &m.branch_id,
                        cutoff: days(tiers.red_days),
                    };
                    (branch, Standing::Reviewer)
                }),
        )
        .collect()
}

/// What needs the person's attention today: their materials returned for revision (with
/// the reason), their own items coming due or late, and — for a secretary — the branch's red
/// items, completions to check and extensions to decide. Derived on every request, so a
/// reminder disappears as soon as its cause does.
#[server(endpoint = "my_reminders")]
pub async fn my_reminders() -> Result<Vec<ReminderView>, AppError> {
    use super::context::{actor, state};
    use crate::domain::ledger::{Reminder, Standing, reminders};
    use crate::store::ledger::LedgerItem;

    let actor = actor().await?;
    let store = &state()?.store;
    // A returned material comes first: the member has to act on it before anything else.
    let returned: Vec<ReminderView> = super::materials::returned_materials(store, &actor.user_id)
        .await?
        .into_iter()
        .map(|material| ReminderView {
            colour: "red".into(),
            text: material.notice(),
            href: format!("/materials/{}", material.material_id),
        })
        .collect();
    let as_of = backend::AsOf::now(store, &actor.org_id).await?;
    let mut found: Vec<(Reminder, LedgerItem, Standing)> = Vec::new();
    for (scope, standing) in reminder_scopes(&actor, as_of) {
        for item in store.reminder_candidates(scope).await? {
            // A secretary's own items remind them as the owner, not twice.
            if standing == Standing::Reviewer && item.owner_id == actor.user_id {
                continue;
            }
            for reminder in reminders(&item.state, standing, as_of.today, as_of.tiers) {
                found.push((reminder, item.clone(), standing));
            }
        }
    }
    // The latest first: late items, then the nearest dates, then decisions waiting.
    found.sort_by_key(|(reminder, _, _)| match reminder {
        Reminder::Due { days_left, .. } => (0, *days_left),
        Reminder::AwaitsClosing | Reminder::ExtensionToDecide => (1, 0),
    });
    Ok(returned
        .into_iter()
        .chain(found.into_iter().map(|(reminder, item, who)| {
            let owner = (who == Standing::Reviewer).then_some(item.owner_name.as_str());
            ReminderView {
                colour: reminder.colour().into(),
                text: reminder.sentence(&item.measure, owner),
                href: format!("/ledger/item/{}", item.id),
            }
        }))
        .collect())
}

/// How many reminders [`my_reminders`] lists: the header's badge on every page, counted
/// from the materials' and items' states without reading their reasons, names and titles.
#[server(endpoint = "my_reminder_count")]
pub async fn my_reminder_count() -> Result<usize, AppError> {
    use super::context::{actor, state};
    use crate::domain::ledger::{Standing, reminders};

    let actor = actor().await?;
    let store = &state()?.store;
    let as_of = backend::AsOf::now(store, &actor.org_id).await?;
    let mut count = store.returned_materials(&actor.user_id).await?.len();
    for (scope, standing) in reminder_scopes(&actor, as_of) {
        for (owner_id, state) in store.reminder_states(scope).await? {
            if standing == Standing::Reviewer && owner_id == actor.user_id {
                continue;
            }
            count += reminders(&state, standing, as_of.today, as_of.tiers).len();
        }
    }
    Ok(count)
}

/// Sets when a coming date turns yellow and red, for the whole organisation.
#[server(endpoint = "save_warning_tiers")]
pub async fn save_warning_tiers(yellow_days: String, red_days: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::ledger::WarningTiers;

    let actor = actor().await?;
    if !actor.is_org_admin {
        return Err(AppError::NotFound);
    }
    let days = |raw: &str, label: &str| {
        raw.trim()
            .parse::<i64>()
            .map_err(|_| AppError::Invalid(format!("{label}请填写整数天数")))
    };
    let tiers = WarningTiers::new(
        days(&yellow_days, "黄色提醒")?,
        days(&red_days, "红色提醒")?,
    )?;
    state()?
        .store
        .set_warning_tiers(
            &actor.org_id,
            tiers,
            &audit(&actor, "ledger.tiers", Some(actor.org_id.clone())),
        )
        .await?;
    Ok(())
}

/// The form field carrying the evidence file.
pub const EVIDENCE_FIELD: &str = "file";

/// Attaches a 佐证材料 to an item, with an optional line on what it shows. Checked for size
/// and type before anything is stored; the owner and the item's reviewers may attach.
#[server(endpoint = "attach_ledger_evidence", input = MultipartFormData)]
pub async fn attach_ledger_evidence(data: MultipartData) -> Result<(), AppError> {
    use super::clock::today;
    use super::context::{actor, audit, state};
    use crate::domain::evidence::{MAX_EVIDENCE_BYTES, check_evidence, check_quota};
    use crate::domain::ledger::may_attach_evidence;
    use crate::store::evidence::{EvidenceOutcome, NewEvidence};

    let actor = actor().await?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let unreadable = |_| AppError::Invalid("上传的文件没有完整收到，请重试".into());
    let (mut item_id, mut text, mut file) = (String::new(), String::new(), None);
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            bytes.extend_from_slice(&chunk);
            // One byte over is enough for the check below to say the file is too large.
            if bytes.len() > MAX_EVIDENCE_BYTES {
                break;
            }
        }
        match name.as_str() {
            "item_id" => item_id = String::from_utf8_lossy(&bytes).trim().to_string(),
            "text" => text = String::from_utf8_lossy(&bytes).trim().to_string(),
            EVIDENCE_FIELD => file = Some((file_name.unwrap_or_default(), bytes)),
            _ => {}
        }
        if file
            .as_ref()
            .is_some_and(|(_, bytes)| bytes.len() > MAX_EVIDENCE_BYTES)
        {
            break;
        }
    }
    let store = &state()?.store;
    let (item, who) = super::access::visible_ledger_item(store, &actor, &item_id).await?;
    may_attach_evidence(&item.state, who)?;
    // A form sent without choosing a file still carries the field, nameless and empty.
    let Some((file_name, bytes)) =
        file.filter(|(name, bytes)| !(name.is_empty() && bytes.is_empty()))
    else {
        return Err(AppError::Invalid("请选择要上传的佐证文件".into()));
    };
    let checked = check_evidence(&file_name, &bytes)?;
    if text.chars().count() > 500 {
        return Err(AppError::Invalid("说明不能超过 500 个字".into()));
    }
    let (on_item, by_uploader) = store.evidence_usage(&item.id, &actor.user_id).await?;
    check_quota(on_item, by_uploader, bytes.len())?;
    let evidence = NewEvidence {
        item_id: &item.id,
        name: &checked.name,
        kind: checked.kind,
        bytes: &bytes,
        on: &today().to_string(),
        text: &text,
    };
    let outcome = store
        .add_ledger_evidence(
            &evidence,
            &audit(&actor, "ledger.evidence_add", Some(item.id.clone())),
        )
        .await?;
    if outcome == EvidenceOutcome::OverQuota {
        // Another upload filled the quota after the check above: say which one is full.
        let (on_item, by_uploader) = store.evidence_usage(&item.id, &actor.user_id).await?;
        check_quota(on_item, by_uploader, bytes.len())?;
        return Err(AppError::Invalid("佐证文件已达上限，请刷新后再试".into()));
    }
    Ok(())
}
