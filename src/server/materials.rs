//! A member's own material: start it, edit it step by step, keep every refused save, check
//! it, submit it, and walk its history. Only the author reaches any of these; to everyone
//! else the material does not exist.
//!
//! Long because the author's whole path (start, edit, import, submit, history, 定稿)
//! shares the guard and the view of one material.

use super::AppError;
#[cfg(feature = "ssr")]
use super::clock::china_time;
use crate::domain::health::Finding;
use crate::domain::material::Material;
use crate::domain::material::MaterialState;
use crate::domain::outline::DiffLine;
#[cfg(feature = "ssr")]
use crate::domain::review::Decision;
use crate::domain::template::Template;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// A meeting (会议) of one of the actor's branches, with the actor's material if started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingEntry {
    pub meeting_id: String,
    pub title: String,
    pub branch_name: String,
    /// A 民主生活会: each 班子成员 writes a 发言提纲, and the 班子 one collective material.
    pub leadership: bool,
    pub material: Option<MaterialEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialEntry {
    pub id: String,
    pub state: MaterialState,
    pub updated_at: String,
}

/// A material the reviewer returned, as its author is told of it: on the home page and
/// among the reminders, until it is submitted again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnedMaterial {
    pub material_id: String,
    pub meeting_title: String,
    /// The round that was returned.
    pub round: i64,
    pub reason: String,
    pub reviewer: String,
    /// "YYYY-MM-DD HH:MM", China time.
    pub at: String,
}

impl ReturnedMaterial {
    /// The sentence that tells the author, with the reason.
    pub fn notice(&self) -> String {
        crate::domain::review::return_notice(&self.meeting_title, self.round, &self.reason)
    }
}

/// A refused save kept for the author, with what it would change in the current text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptView {
    pub id: String,
    /// "stale" (another page saved first) or "locked" (the material was submitted).
    pub reason: String,
    pub at: String,
    /// From the current text to the kept one.
    pub diff: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    pub round: i64,
    pub version: i64,
    pub at: String,
}

/// Everything the editor, the preview and the check page show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorView {
    pub material_id: String,
    pub meeting_title: String,
    pub state: MaterialState,
    pub version: i64,
    pub updated_at: String,
    pub content: Material,
    pub template: Template,
    /// Who holds the meeting, for the words of the page (支部书记 or 主要负责人).
    pub group_kind: crate::domain::org::GroupKind,
    /// The 班子对照检查材料, drafted for the whole 班子.
    pub collective: bool,
    /// 班子成员's comments on the collective material as it is drafted, oldest first.
    pub colleague_comments: Vec<super::meetings::collective::GroupCommentView>,
    pub findings: Vec<Finding>,
    pub kept: Vec<KeptView>,
    pub rounds: Vec<RoundView>,
    /// The reviewer's 批注 on submitted rounds, and the decisions, oldest first.
    pub comments: Vec<super::meetings::CommentView>,
    pub decisions: Vec<super::meetings::DecisionView>,
    pub meeting_id: String,
    /// The released opinions addressed to the author (征求意见 and 批评意见).
    pub opinions: Vec<super::cycle::ReceivedOpinion>,
    /// After the meeting: from the approved version to the text now (the 定稿 to be).
    pub since_approved: Vec<crate::domain::outline::DiffLine>,
    /// The id the next save from this page carries; a retry reuses it.
    pub request_id: String,
}

/// What the editor hears back from a save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveReply {
    pub version: i64,
    /// "HH:MM", China time.
    pub saved_at: String,
    /// For the next save.
    pub next_request_id: String,
}

/// One stretch of work in the 修订记录: the versions one author saved without pausing for
/// half an hour (see `domain::revision`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionEntry {
    /// The stretch's last version: what restoring it brings back.
    pub version: i64,
    /// Its first version (the same as `version` when it holds one save).
    pub first: i64,
    /// How many versions it holds.
    pub saves: usize,
    /// When its first version was saved, "2026-01-15 09:02", China time.
    pub started: String,
    /// When its last version was saved.
    pub at: String,
    pub restored_from: Option<i64>,
    /// Every version of the stretch, oldest first, with the time it was saved ("09:05:12").
    pub versions: Vec<(i64, String)>,
}

/// What versions `first` to `version` changed, against the version before `first`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionChanges {
    pub version: i64,
    pub first: i64,
    pub previous: Option<i64>,
    pub lines: Vec<DiffLine>,
}

/// Shown when a save could not be applied; the text is kept, never dropped.
pub const KEPT_STALE: &str = "这份材料已在其他页面或设备上保存过更新的版本。您这次的修改没有覆盖它，已完整另存，请在页面上方对照处理。";
pub const KEPT_LOCKED: &str =
    "材料已提交，暂时不能修改。您这次的修改已完整另存，撤回提交后可在页面上方采用。";

/// The largest editor form accepted (a long material is ~30 KB of UTF-8).
#[cfg(feature = "ssr")]
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

#[cfg(feature = "ssr")]
fn new_request_id() -> String {
    crate::store::new_key()
}

#[server(endpoint = "my_materials")]
pub async fn my_materials() -> Result<Vec<MeetingEntry>, AppError> {
    use super::context::{actor, state};
    use std::collections::HashMap;

    let actor = actor().await?;
    let store = &state()?.store;
    let mine: HashMap<String, MaterialEntry> = store
        .materials_of_owner(&actor.user_id)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.meeting_id,
                MaterialEntry {
                    id: m.id,
                    state: m.state,
                    updated_at: china_time(m.updated_at, "%Y-%m-%d %H:%M"),
                },
            )
        })
        .collect();
    let mut entries = Vec::new();
    for membership in &actor.memberships {
        for meeting in store.meetings_of_branch(&membership.branch_id).await? {
            // A meeting with chosen participants is not on anyone else's list; the
            // material of someone no longer chosen still is.
            let started = mine.contains_key(&meeting.id);
            if !started
                && !store
                    .meeting(&meeting.id)
                    .await?
                    .is_some_and(|m| m.includes(&actor.user_id))
            {
                continue;
            }
            entries.push(MeetingEntry {
                leadership: meeting.kind == crate::domain::meeting::MeetingKind::LeadershipMeeting,
                material: mine.get(&meeting.id).cloned(),
                meeting_id: meeting.id,
                title: meeting.title,
                branch_name: membership.branch_name.clone(),
            });
        }
    }
    Ok(entries)
}

/// The owner's returned materials, each with the decision that returned it.
#[cfg(feature = "ssr")]
pub(crate) async fn returned_materials(
    store: &crate::store::Store,
    owner_id: &str,
) -> Result<Vec<ReturnedMaterial>, AppError> {
    let mut returned = Vec::new();
    for row in store.returned_materials(owner_id).await? {
        // The latest return (a second reviewer may return a round the secretary approved).
        let Some(decision) = store
            .reviews(&row.material_id)
            .await?
            .into_iter()
            .rev()
            .find(|review| review.decision == Decision::Returned)
        else {
            continue;
        };
        returned.push(ReturnedMaterial {
            material_id: row.material_id,
            meeting_title: row.meeting_title,
            round: decision.round,
            reason: decision.reason,
            reviewer: decision.reviewer_name,
            at: china_time(decision.at, "%Y-%m-%d %H:%M"),
        });
    }
    Ok(returned)
}

/// The actor's materials that were returned to them, with the reasons.
#[server(endpoint = "my_returned_materials")]
pub async fn my_returned_materials() -> Result<Vec<ReturnedMaterial>, AppError> {
    use super::context::{actor, state};

    let actor = actor().await?;
    returned_materials(&state()?.store, &actor.user_id).await
}

/// Opens the actor's material for a meeting of their branch, creating it from the
/// meeting's template the first time, and goes to the editor.
#[server(endpoint = "start_material")]
pub async fn start_material(meeting_id: String) -> Result<String, AppError> {
    use super::context::{actor, state};
    use crate::domain::editing::new_material;
    use crate::store::materials::material_key;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = super::access::member_meeting(store, &actor, &meeting_id).await?;
    let key = material_key(&meeting.id, &actor.user_id);
    if store.material(&key).await?.is_none() {
        collection_open(&meeting, "开始撰写材料")?;
        let speaker = match &actor.post {
            Some(post) => format!("{post} {}", actor.name),
            None => actor.name.clone(),
        };
        let kind_of_material = match meeting.kind {
            crate::domain::meeting::MeetingKind::LeadershipMeeting => "个人发言提纲",
            _ => "个人发言材料",
        };
        let mut content = new_material(
            &meeting.template,
            &format!("{}{kind_of_material}", meeting.title),
            &speaker,
        );
        carry_over(store, &actor.user_id, &meeting.id, &mut content).await?;
        match store
            .create_material(&meeting.id, &actor.user_id, &content, &new_request_id())
            .await
        {
            // Created by a concurrent click: open that one.
            Ok(_) | Err(crate::store::StoreError::Conflict(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    leptos_axum::redirect(&format!("/materials/{key}"));
    Ok(key)
}

/// Refuses to start or hand in a material while the meeting's 会议方案 waits for the
/// 督导组's approval, where its template asks for one (issue 28).
#[cfg(feature = "ssr")]
fn collection_open(
    meeting: &crate::store::meetings::MeetingRecord,
    doing: &str,
) -> Result<(), AppError> {
    use crate::domain::supervision::{collection_closed_message, collection_open};
    if collection_open(meeting.template.plan_approval_required, meeting.plan_state) {
        Ok(())
    } else {
        Err(AppError::Conflict(collection_closed_message(doing)))
    }
}

/// Pre-fills the "上次整改落实情况" part from the owner's items of their latest earlier
/// meeting, as the ledger has them; the author edits it like any other text.
#[cfg(feature = "ssr")]
async fn carry_over(
    store: &crate::store::Store,
    owner_id: &str,
    meeting_id: &str,
    content: &mut Material,
) -> Result<(), AppError> {
    use crate::domain::ledger::{CarriedItem, carryover_paragraphs};
    use crate::domain::material::PartKind;
    use crate::store::ledger::LedgerScope;

    let Some(part) = content
        .parts
        .iter_mut()
        .find(|part| part.kind == PartKind::Carryover)
    else {
        return Ok(());
    };
    let earlier: Vec<_> = store
        .ledger_items(LedgerScope::Owner(owner_id))
        .await?
        .into_iter()
        .filter(|item| item.meeting_id != meeting_id)
        .collect();
    // Items come by meeting date: the last one's meeting is the previous meeting.
    let Some(previous) = earlier.last().map(|item| item.meeting_id.clone()) else {
        return Ok(());
    };
    let items: Vec<_> = earlier
        .into_iter()
        .filter(|item| item.meeting_id == previous)
        .collect();
    let ids: Vec<String> = items.iter().map(|item| item.id.clone()).collect();
    let mut reports = store.ledger_last_reports(&ids).await?;
    let carried: Vec<CarriedItem> = items
        .into_iter()
        .map(|item| CarriedItem {
            last_report: reports.remove(&item.id),
            measure: item.measure,
            state: item.state,
        })
        .collect();
    part.paragraphs = carryover_paragraphs(&carried);
    Ok(())
}

#[server(endpoint = "material_editor")]
pub async fn material_editor(material_id: String) -> Result<EditorView, AppError> {
    use super::context::{actor, state};
    use crate::domain::{health, outline};

    let actor = actor().await?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    let store = &state()?.store;
    let meeting = store
        .meeting(&record.meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let kept = store
        .kept_copies(&record.id)
        .await?
        .into_iter()
        .map(|kept| KeptView {
            diff: outline::diff(&record.content, &kept.content),
            id: kept.id,
            reason: kept.reason,
            at: china_time(kept.at, "%m-%d %H:%M"),
        })
        .collect();
    let rounds = store
        .submissions(&record.id)
        .await?
        .into_iter()
        .map(|round| RoundView {
            round: round.round,
            version: round.version,
            at: china_time(round.at, "%Y-%m-%d %H:%M"),
        })
        .collect();
    let (comments, decisions) =
        super::meetings::review_history(&record.id, None, meeting.group_kind).await?;
    let colleague_comments = if record.collective {
        super::meetings::collective::comment_views(store, &record).await?
    } else {
        Vec::new()
    };
    let opinions = super::cycle::received_opinions(store, &meeting.id, &actor.user_id).await?;
    let addressed: Vec<_> = opinions.iter().map(|o| o.addressed()).collect();
    let template = meeting.template_for(record.collective).clone();
    let mut findings = health::check(&record.content, &template);
    findings.extend(crate::domain::cycle::unanswered_opinions(
        &record.content,
        &addressed,
    ));
    let state = record.state;
    let since_approved = match state {
        MaterialState::Spoken | MaterialState::Final | MaterialState::Reported => store
            .latest_submission(&record.id)
            .await?
            .map(|(_, approved)| outline::diff(&approved, &record.content))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(EditorView {
        comments,
        decisions,
        opinions,
        since_approved,
        meeting_id: meeting.id,
        state,
        findings,
        updated_at: china_time(record.updated_at, "%H:%M"),
        material_id: record.id,
        meeting_title: meeting.title,
        version: record.version,
        content: record.content,
        template,
        group_kind: meeting.group_kind,
        collective: record.collective,
        colleague_comments,
        kept,
        rounds,
        request_id: new_request_id(),
    })
}

/// Reads the editor form: every field, in order, as text.
#[cfg(feature = "ssr")]
async fn read_form(data: MultipartData) -> Result<Vec<(String, String)>, AppError> {
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let unreadable =
        |_| AppError::Invalid("提交的内容没有完整收到，请重试；页面上的文字仍在".into());
    let mut fields = Vec::new();
    let mut total = 0;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        let value = field.text().await.map_err(unreadable)?;
        total += name.len() + value.len();
        if total > MAX_FORM_BYTES {
            return Err(AppError::Invalid(
                "一次提交的内容过长（超过 2 MB），请分几次保存".into(),
            ));
        }
        fields.push((name, value));
    }
    Ok(fields)
}

/// A save that could not be applied (stale or locked), to be kept whole.
#[cfg(feature = "ssr")]
struct Refused<'a> {
    material_id: &'a str,
    author_id: &'a str,
    base_version: i64,
    request_id: &'a str,
}

#[cfg(feature = "ssr")]
impl Refused<'_> {
    /// Keeps `content` beside the material and returns what to tell the author.
    async fn keep(
        &self,
        outcome: &crate::store::materials::SaveOutcome,
        content: &crate::domain::material::Material,
    ) -> Result<AppError, AppError> {
        use crate::store::materials::SaveOutcome;
        let (reason, message) = match outcome {
            SaveOutcome::Locked { .. } => ("locked", KEPT_LOCKED),
            _ => ("stale", KEPT_STALE),
        };
        super::context::state()?
            .store
            .keep_copy(
                self.material_id,
                self.author_id,
                self.base_version,
                content,
                reason,
                self.request_id,
            )
            .await?;
        Ok(AppError::Conflict(message.into()))
    }
}

#[cfg(feature = "ssr")]
fn take_field(fields: &[(String, String)], name: &str) -> Result<String, AppError> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .ok_or_else(|| AppError::Invalid(format!("提交的内容不完整（缺少 {name}），请刷新页面")))
}

/// Saves one step of the editor (fields, plus an operation such as adding an item).
/// A save from a stale version, or onto a submitted material, is not applied: its whole
/// text is kept beside the material and the author is told so.
#[server(endpoint = "save_material_step", input = MultipartFormData)]
pub async fn save_material_step(data: MultipartData) -> Result<SaveReply, AppError> {
    use super::context::{actor, state};
    use crate::domain::editing::{Operation, Step, StepForm, apply};
    use crate::domain::material::ItemId;
    use crate::store::materials::SaveOutcome;

    let actor = actor().await?;
    let fields = read_form(data).await?;
    let material_id = take_field(&fields, "material_id")?;
    let base_version: i64 = take_field(&fields, "base_version")?
        .parse()
        .map_err(|_| AppError::Invalid("版本号无效，请刷新页面".into()))?;
    let request_id = take_field(&fields, "request_id")?;
    let step = Step::parse(&take_field(&fields, "step")?)
        .ok_or_else(|| AppError::Invalid("无法识别的步骤，请刷新页面".into()))?;
    let operation = Operation::parse(
        fields
            .iter()
            .find(|(key, _)| key == "op")
            .map(|(_, value)| value.as_str())
            .unwrap_or("save"),
    )?;
    let form = StepForm::new(&fields)?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    let store = &state()?.store;
    let content = apply(
        &record.content,
        step,
        &form,
        &operation,
        ItemId(crate::store::new_key()),
    )?;
    let outcome = store
        .save_material(
            &record.id,
            &actor.user_id,
            base_version,
            &content,
            &request_id,
        )
        .await?;
    let version = match outcome {
        SaveOutcome::Saved { version }
        | SaveOutcome::Unchanged { version }
        | SaveOutcome::Replayed { version } => version,
        SaveOutcome::Stale { .. } | SaveOutcome::Locked { .. } => {
            let refused = Refused {
                material_id: &record.id,
                author_id: &actor.user_id,
                base_version,
                request_id: &request_id,
            };
            return Err(refused.keep(&outcome, &content).await?);
        }
    };
    // Without JavaScript the browser follows the answer: to the step asked for, or back
    // to the page it came from. With it, the page moves on by itself.
    let scripted = fields.iter().any(|(key, _)| key == "js");
    if let Some(target) = fields
        .iter()
        .find(|(key, _)| key == "go")
        .and_then(|(_, go)| crate::domain::editing::Step::destination(&record.id, go))
        .filter(|_| !scripted)
    {
        leptos_axum::redirect(&target);
    }
    Ok(SaveReply {
        version,
        saved_at: china_time(chrono::Utc::now(), "%H:%M"),
        next_request_id: new_request_id(),
    })
}

/// Makes a kept copy the current text (as a new revision) and settles it.
#[server(endpoint = "adopt_kept_copy")]
pub async fn adopt_kept_copy(
    material_id: String,
    kept_id: String,
    base_version: i64,
    request_id: String,
) -> Result<(), AppError> {
    use super::context::{actor, state};
    use crate::store::materials::SaveOutcome;

    let actor = actor().await?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    let store = &state()?.store;
    let kept = store
        .kept_copies(&record.id)
        .await?
        .into_iter()
        .find(|kept| kept.id == kept_id)
        .ok_or(AppError::NotFound)?;
    match store
        .save_material(
            &record.id,
            &actor.user_id,
            base_version,
            &kept.content,
            &request_id,
        )
        .await?
    {
        SaveOutcome::Saved { .. }
        | SaveOutcome::Unchanged { .. }
        | SaveOutcome::Replayed { .. } => {
            store.settle_kept_copy(&record.id, &kept.id).await?;
            Ok(())
        }
        SaveOutcome::Stale { .. } => Err(AppError::Conflict(
            "材料刚刚又有更新，请刷新页面后再选择".into(),
        )),
        SaveOutcome::Locked { .. } => Err(AppError::Conflict(
            "材料已提交，请先撤回提交再采用这份修改".into(),
        )),
    }
}

/// Sets a kept copy aside: it stays stored, but is no longer shown.
#[server(endpoint = "set_aside_kept_copy")]
pub async fn set_aside_kept_copy(material_id: String, kept_id: String) -> Result<(), AppError> {
    use super::context::{actor, state};

    let actor = actor().await?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    if !state()?
        .store
        .settle_kept_copy(&record.id, &kept_id)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Submits the version the author checked, if it is still current and passes the
/// blocking checks; the submitted text is frozen for the reviewer.
#[server(endpoint = "submit_material")]
pub async fn submit_material(material_id: String, version: i64) -> Result<i64, AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::cycle::unanswered_opinions;
    use crate::domain::health::{Severity, check};
    use crate::domain::ledger::measures_of;
    use crate::store::ledger::LedgerEntryRow;
    use crate::store::materials::SubmitOutcome;

    let actor = actor().await?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    let store = &state()?.store;
    if record.version != version {
        return Err(AppError::Conflict(
            "材料在检查之后又有修改，请查看最新的体检结果后再提交".into(),
        ));
    }
    let current = record.state;
    if !current.submittable() {
        // A repeat of a submission that went through but whose answer was lost: the same
        // answer again, not an error about something that succeeded.
        if current == MaterialState::Submitted
            && let Some(latest) = store.submissions(&record.id).await?.first()
            && latest.version == version
        {
            return Ok(latest.round);
        }
        return Err(AppError::Conflict(
            "材料已提交或已审核通过，无需重复提交".into(),
        ));
    }
    let meeting = store
        .meeting(&record.meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    collection_open(&meeting, "提交材料")?;
    let settings = store.cycle_settings(&meeting.id).await?;
    // The collective material is the 班子's, not the drafter's own: their talks do not gate it.
    if settings.talks_required
        && !record.collective
        && !store.has_talked(&meeting.id, &actor.user_id).await?
    {
        return Err(AppError::Blocked(vec![
            "本次会议要求提交材料前开展谈心谈话：请先在“征求意见”页登记至少一次谈心谈话".into(),
        ]));
    }
    let opinions = super::cycle::addressed_opinions(store, &meeting.id, &actor.user_id).await?;
    let blocking: Vec<String> = check(&record.content, meeting.template_for(record.collective))
        .into_iter()
        .chain(unanswered_opinions(&record.content, &opinions))
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message)
        .collect();
    if !blocking.is_empty() {
        return Err(AppError::Blocked(blocking));
    }
    match store
        .submit_material(
            &record.id,
            version,
            &LedgerEntryRow::rows(&measures_of(&record.content)),
            &audit(&actor, "material.submit", Some(record.id.clone())),
        )
        .await?
    {
        SubmitOutcome::Submitted { round } => Ok(round),
        SubmitOutcome::Refused => Err(AppError::Conflict(
            "材料在检查之后又有修改，请查看最新的体检结果后再提交".into(),
        )),
    }
}

/// Takes a submitted material back for more changes (before any review decision).
#[server(endpoint = "withdraw_material")]
pub async fn withdraw_material(material_id: String) -> Result<(), AppError> {
    use super::context::{actor, audit, state};

    let actor = actor().await?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    if !state()?
        .store
        .withdraw_material(
            &record.id,
            &audit(&actor, "material.withdraw", Some(record.id.clone())),
        )
        .await?
    {
        return Err(AppError::Conflict(
            "材料当前不是“已提交”状态，无法撤回".into(),
        ));
    }
    Ok(())
}

/// What the 修订记录 page needs besides the versions: where the material stands, whether
/// the reader may restore (its author, while it is editable) and where "back" goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryHead {
    pub material_id: String,
    pub version: i64,
    pub may_restore: bool,
    pub back: String,
}

#[server(endpoint = "material_history_head")]
pub async fn material_history_head(material_id: String) -> Result<HistoryHead, AppError> {
    use super::context::{actor, state};

    let actor = actor().await?;
    let record = super::access::history_material(&state()?.store, &actor, &material_id).await?;
    let own = record.owner_id == actor.user_id;
    Ok(HistoryHead {
        back: if own {
            format!("/materials/{}", record.id)
        } else {
            format!("/meetings/{}/collective", record.meeting_id)
        },
        may_restore: own && record.state.editable(),
        version: record.version,
        material_id: record.id,
    })
}

/// The history as stretches of work, newest first.
#[server(endpoint = "material_revisions")]
pub async fn material_revisions(material_id: String) -> Result<Vec<RevisionEntry>, AppError> {
    use super::context::{actor, state};
    use crate::domain::revision::stretches;

    let actor = actor().await?;
    let record = super::access::history_material(&state()?.store, &actor, &material_id).await?;
    let revisions: Vec<_> = state()?
        .store
        .revisions(&record.id)
        .await?
        .iter()
        .map(|summary| summary.revision())
        .collect();
    let minute = "%Y-%m-%d %H:%M";
    Ok(stretches(&revisions)
        .into_iter()
        .map(|stretch| RevisionEntry {
            version: stretch.last,
            first: stretch.first,
            saves: stretch.saves,
            started: china_time(stretch.started, minute),
            at: china_time(stretch.ended, minute),
            restored_from: stretch.restored_from,
            versions: stretch
                .versions
                .into_iter()
                .map(|(version, at)| (version, china_time(at, "%H:%M:%S")))
                .collect(),
        })
        .collect())
}

/// What versions `first` (by default `version` itself) to `version` changed against the
/// version before `first`: one save, or a whole stretch of work.
#[server(endpoint = "revision_diff")]
pub async fn revision_diff(
    material_id: String,
    version: i64,
    #[server(default)] first: Option<i64>,
) -> Result<RevisionChanges, AppError> {
    use super::context::{actor, state};
    use crate::domain::outline;

    let actor = actor().await?;
    let first = first.unwrap_or(version);
    if !(1..=version).contains(&first) {
        return Err(AppError::NotFound);
    }
    let record = super::access::history_material(&state()?.store, &actor, &material_id).await?;
    let store = &state()?.store;
    let content = store
        .revision_content(&record.id, version)
        .await?
        .ok_or(AppError::NotFound)?;
    let previous = match first {
        1 => None,
        _ => store.revision_content(&record.id, first - 1).await?,
    };
    let lines = match &previous {
        Some(previous) => outline::diff(previous, &content),
        None => outline::outline(&content)
            .into_iter()
            .map(|text| DiffLine {
                change: outline::Change::Added,
                text,
            })
            .collect(),
    };
    Ok(RevisionChanges {
        version,
        first,
        previous: previous.map(|_| first - 1),
        lines,
    })
}

/// Makes an old revision current again; the restore is itself a new revision.
#[server(endpoint = "restore_material_revision")]
pub async fn restore_material_revision(
    material_id: String,
    version: i64,
    base_version: i64,
    request_id: String,
) -> Result<i64, AppError> {
    use super::context::{actor, state};
    use crate::store::materials::SaveOutcome;

    let actor = actor().await?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    match state()?
        .store
        .restore_revision(
            &record.id,
            &actor.user_id,
            base_version,
            version,
            &request_id,
        )
        .await?
    {
        SaveOutcome::Saved { version }
        | SaveOutcome::Unchanged { version }
        | SaveOutcome::Replayed { version } => Ok(version),
        SaveOutcome::Stale { .. } => Err(AppError::Conflict(
            "材料刚刚又有更新，请刷新修订记录后再恢复".into(),
        )),
        SaveOutcome::Locked { .. } => Err(AppError::Conflict(
            "材料已提交，请先撤回提交再恢复旧版本".into(),
        )),
    }
}

/// Replaces the material's text with an existing draft (pasted or uploaded), as a new
/// revision: the previous text stays in the history and can be restored. A title or speaker
/// line the draft lacks is kept from the material.
#[server(endpoint = "import_material", input = MultipartFormData)]
pub async fn import_material(data: MultipartData) -> Result<(), AppError> {
    use super::context::{actor, state};
    use super::format::DraftInput;
    use crate::store::materials::SaveOutcome;

    let actor = actor().await?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let unreadable = |_| AppError::Invalid("内容没有完整收到，请重试".into());
    let mut input = DraftInput::default();
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(unreadable)?;
        match name.as_str() {
            "text" | "file" => input.add(&name, file_name, bytes.to_vec())?,
            _ => fields.push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    let material_id = take_field(&fields, "material_id")?;
    let base_version: i64 = take_field(&fields, "base_version")?
        .parse()
        .map_err(|_| AppError::Invalid("版本号无效，请刷新页面".into()))?;
    let request_id = take_field(&fields, "request_id")?;
    let record = super::access::own_material(&state()?.store, &actor, &material_id).await?;
    let state = state()?;
    // "6月底前" in a draft without a date of its own is the June after the meeting.
    let meeting_on = state
        .store
        .meeting(&record.meeting_id)
        .await?
        .and_then(|meeting| meeting.dates)
        .map(|dates| dates.meeting_on);
    let mut content = state
        .uploads
        .read(move || input.material_on(meeting_on))
        .await??;
    if content.title.trim().is_empty() {
        content.title = record.content.title.clone();
    }
    if content.speaker.is_none() {
        content.speaker = record.content.speaker.clone();
    }
    match state
        .store
        .save_material(
            &record.id,
            &actor.user_id,
            base_version,
            &content,
            &request_id,
        )
        .await?
    {
        SaveOutcome::Saved { .. }
        | SaveOutcome::Unchanged { .. }
        | SaveOutcome::Replayed { .. } => {
            leptos_axum::redirect(&format!("/materials/{}", record.id));
            Ok(())
        }
        refused => {
            let keeper = Refused {
                material_id: &record.id,
                author_id: &actor.user_id,
                base_version,
                request_id: &request_id,
            };
            Err(keeper.keep(&refused, &content).await?)
        }
    }
}

/// Hands in the revised, spoken material as the 定稿 (frozen from then on).
#[server(endpoint = "finalise_material")]
pub async fn finalise_material(material_id: String, version: i64) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::health::{Severity, check};

    let actor = actor().await?;
    let store = &state()?.store;
    let record = super::access::own_material(store, &actor, &material_id).await?;
    if record.state != MaterialState::Spoken {
        return Err(AppError::Conflict(
            "只有会上发言（或书面发言）之后的材料才能提交定稿".into(),
        ));
    }
    let meeting = super::access::meeting(store, &record.meeting_id).await?;
    let blocking: Vec<String> = check(&record.content, meeting.template_for(record.collective))
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
