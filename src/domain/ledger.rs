//! 整改台账 (docs/DOMAIN.md §4): a ledger item's status, who may move it where,
//! and how urgent it is on a given day. Pure: today and the warning tiers are passed in, so
//! 逾期 and 临期 are computed on every read and never stored.
//!
//! Long because the item's state machine and its urgency are read together; over
//! half is tests.

use super::material::{Deadline, Item, Material, PartKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

super::coded_enum! {
    /// The stored status (docs/DOMAIN.md §4.2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ItemStatus {
        /// 未启动
        NotStarted => ("not_started", "未启动"),
        /// 整改中
        InProgress => ("in_progress", "整改中"),
        /// 待销号: the owner reported it done, with evidence.
        AwaitingClose => ("awaiting_close", "待销号"),
        /// 长期坚持: the initial work is confirmed; kept under review at its check dates.
        Ongoing => ("ongoing", "长期坚持"),
        /// 已销号: a reviewer checked the evidence against the 完成标准.
        Closed => ("closed", "已销号"),
    }
}

impl ItemStatus {
    /// Still work to do (counts as unfinished in statistics and carry-over).
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Ongoing)
    }
}

super::coded_enum! {
    /// 整改类型.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MeasureKind {
        /// 限期整改: done by a date.
        ByDate => ("by_date", "限期整改"),
        /// 长期坚持: kept up; confirmed once, then checked at its follow-up dates.
        LongTerm => ("long_term", "长期坚持"),
        /// 立行立改: done at once. Its 时限 is a near date the secretary sets (at most
        /// `rectification_plan::IMMEDIATE_MAX_DAYS` ahead); it warns and turns 逾期 like a
        /// 限期整改 item, but is never extended.
        Immediate => ("immediate", "立行立改"),
    }
}

impl MeasureKind {
    /// Work with a 时限 that can be missed (限期整改, 立行立改), as against 长期坚持.
    pub fn is_dated(self) -> bool {
        !matches!(self, Self::LongTerm)
    }
}

/// A pending 申请延期.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    pub until: NaiveDate,
    pub reason: String,
}

/// What the rules need of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemState {
    pub status: ItemStatus,
    pub kind: MeasureKind,
    /// The 时限 written in the material; kept when an extension is approved.
    pub original_deadline: Option<NaiveDate>,
    /// The 时限 in force.
    pub deadline: Option<NaiveDate>,
    /// 跟踪督办 / 回头看 dates, ascending.
    pub follow_ups: Vec<NaiveDate>,
    /// When the owner reported the work done.
    pub completed_on: Option<NaiveDate>,
    /// The latest progress note's date.
    pub last_progress_on: Option<NaiveDate>,
    pub extension: Option<ExtensionRequest>,
}

impl ItemState {
    /// A new item for a measure as written.
    pub fn for_measure(deadline: Option<&Deadline>, follow_ups: &[NaiveDate]) -> Self {
        let mut follow_ups = follow_ups.to_vec();
        follow_ups.sort();
        follow_ups.dedup();
        let (kind, date) = match deadline {
            Some(Deadline::Ongoing) => (MeasureKind::LongTerm, None),
            Some(Deadline::By(date)) => (MeasureKind::ByDate, Some(*date)),
            None => (MeasureKind::ByDate, None),
        };
        Self {
            status: ItemStatus::NotStarted,
            kind,
            original_deadline: date,
            deadline: date,
            follow_ups,
            completed_on: None,
            last_progress_on: None,
            extension: None,
        }
    }

    /// The 时限 as shown: a date, 长期坚持, or 未定.
    pub fn deadline_label(&self) -> String {
        match (self.kind, self.deadline) {
            (MeasureKind::LongTerm, _) => Deadline::ONGOING.into(),
            (_, Some(date)) => date.to_string(),
            (_, None) => "未定".into(),
        }
    }

    /// The deadline as a material's text writes it: "2026年6月30日", "长期坚持" or "未定".
    pub fn deadline_in_words(&self) -> String {
        match (self.kind, self.deadline) {
            (MeasureKind::LongTerm, _) | (_, None) => self.deadline_label(),
            (_, Some(date)) => super::meeting::chinese_date(date),
        }
    }

    /// The 时限 written in the material, when an approved extension moved it.
    pub fn extended_from(&self) -> Option<NaiveDate> {
        self.original_deadline
            .filter(|original| Some(*original) != self.deadline)
    }

    /// The date this item is measured against today: the 时限 for dated work; for
    /// 长期坚持 the first check date not yet answered by a progress note (a note on or after
    /// a check date answers it).
    pub fn due_date(&self) -> Option<NaiveDate> {
        match (self.kind, self.status) {
            (_, ItemStatus::Closed) => None,
            (MeasureKind::LongTerm, _) => {
                let answered = self.last_progress_on;
                self.follow_ups
                    .iter()
                    .copied()
                    .find(|check| answered.is_none_or(|note| note < *check))
            }
            (MeasureKind::ByDate | MeasureKind::Immediate, _) => self.deadline,
        }
    }

    /// The date the item's urgency is measured against; `None` once it can no longer warn.
    /// The store keeps a copy per item for its overdue index (migration 0010), held equal to
    /// this by a test.
    pub fn alert_date(&self) -> Option<NaiveDate> {
        if self.status == ItemStatus::Closed {
            return None;
        }
        let due = self.due_date()?;
        // Work reported done in time is never late, even while it waits for 销号.
        if self.kind.is_dated() && self.completed_on.is_some_and(|done| done <= due) {
            return None;
        }
        Some(due)
    }

    /// How urgent the item is on `today`.
    pub fn urgency(&self, today: NaiveDate, tiers: WarningTiers) -> Urgency {
        let Some(due) = self.alert_date() else {
            return Urgency::None;
        };
        let days_left = (due - today).num_days();
        if days_left < 0 {
            Urgency::Overdue
        } else if days_left <= tiers.red_days {
            Urgency::DueVerySoon
        } else if days_left <= tiers.yellow_days {
            Urgency::DueSoon
        } else {
            Urgency::None
        }
    }
}

/// When a coming date turns yellow (owner warned) and red (owner and secretary warned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningTiers {
    pub yellow_days: i64,
    pub red_days: i64,
}

impl Default for WarningTiers {
    fn default() -> Self {
        Self {
            yellow_days: 20,
            red_days: 10,
        }
    }
}

impl WarningTiers {
    pub const MAX_DAYS: i64 = 365;

    pub fn new(yellow_days: i64, red_days: i64) -> Result<Self, super::DomainError> {
        if !(0..=Self::MAX_DAYS).contains(&red_days) || !(0..=Self::MAX_DAYS).contains(&yellow_days)
        {
            return Err(super::DomainError::Invalid(format!(
                "提醒天数应在 0 到 {} 天之间",
                Self::MAX_DAYS
            )));
        }
        if red_days > yellow_days {
            return Err(super::DomainError::Invalid(
                "红色提醒的天数不能多于黄色提醒".into(),
            ));
        }
        Ok(Self {
            yellow_days,
            red_days,
        })
    }
}

/// Derived from today, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Urgency {
    None,
    /// 临期, yellow: the owner is reminded.
    DueSoon,
    /// 临期, red: the owner and the secretary are reminded.
    DueVerySoon,
    /// 逾期, red.
    Overdue,
}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "",
            Self::DueSoon | Self::DueVerySoon => "临期",
            Self::Overdue => "逾期",
        }
    }

    /// CSS class of the colour convention (红 / 黄).
    pub fn colour(self) -> &'static str {
        match self {
            Self::None => "",
            Self::DueSoon => "yellow",
            Self::DueVerySoon | Self::Overdue => "red",
        }
    }

    pub fn warns_secretary(self) -> bool {
        matches!(self, Self::DueVerySoon | Self::Overdue)
    }
}

/// Who is acting on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// 责任人.
    Owner,
    /// The branch secretary or an org admin, when not the owner.
    Reviewer,
}

/// A change someone asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// The owner notes what was done; a not-started item becomes 整改中.
    Progress {
        on: NaiveDate,
        text: String,
    },
    /// The owner reports the work done; `evidence` is the 完成情况.
    ReportDone {
        on: NaiveDate,
        evidence: String,
    },
    /// 销号 (a 长期坚持 item moves to 长期坚持 instead, to be checked at its dates).
    Confirm,
    /// The evidence does not meet the 完成标准: back to the owner.
    SendBack {
        reason: String,
    },
    RequestExtension {
        until: NaiveDate,
        reason: String,
    },
    ApproveExtension,
    RejectExtension {
        reason: String,
    },
    /// 重新打开 a closed or 长期坚持 item (反弹).
    Reopen {
        reason: String,
    },
    /// A 跟踪督办 / 回头看 date set by the reviewer, also after 销号 (回头看 looks for 反弹).
    AddFollowUp {
        on: NaiveDate,
    },
}

/// Why a transition is refused; each renders as one Chinese sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum LedgerError {
    #[error("只有责任人本人可以这样做")]
    OwnerOnly,
    #[error("责任人不能为自己的整改事项销号或审批，请由支部书记办理")]
    ReviewerOnly,
    #[error("该事项当前状态为“{0}”，不能这样做")]
    WrongStatus(String),
    #[error("{0}不能为空")]
    Missing(&'static str),
    #[error("{0}不能超过 {1} 个字，请精简，或分几次记录")]
    TooLong(&'static str, usize),
    #[error("新的时限必须晚于现在的时限")]
    ExtensionNotLater,
    #[error("没有待审批的延期申请")]
    NoExtension,
    #[error("立行立改的事项应立即整改到位，不能申请延期")]
    ImmediateNotExtended,
    #[error("已有一项延期申请等待审批")]
    ExtensionPending,
    #[error("日期不能晚于今天")]
    DateInFuture,
    #[error("跟踪日期不能早于今天")]
    FollowUpInPast,
    #[error("这个跟踪日期已经有了")]
    FollowUpExists,
}

/// The longest note, reason or 完成情况 an item takes, in characters: a long report of a
/// quarter's work fits, a pasted book does not.
pub const MAX_NOTE_CHARS: usize = 3000;

/// Applies `transition` by `who` on `today`; the item is unchanged on refusal.
pub fn apply(
    state: &ItemState,
    who: Standing,
    transition: &Transition,
    today: NaiveDate,
) -> Result<ItemState, LedgerError> {
    use ItemStatus::*;
    let wrong = || LedgerError::WrongStatus(state.status.label().into());
    let owner_only = || match who {
        Standing::Owner => Ok(()),
        Standing::Reviewer => Err(LedgerError::OwnerOnly),
    };
    let reviewer_only = || match who {
        Standing::Reviewer => Ok(()),
        Standing::Owner => Err(LedgerError::ReviewerOnly),
    };
    let required = |text: &str, field: &'static str| {
        if text.trim().is_empty() {
            Err(LedgerError::Missing(field))
        } else if text.chars().count() > MAX_NOTE_CHARS {
            Err(LedgerError::TooLong(field, MAX_NOTE_CHARS))
        } else {
            Ok(())
        }
    };
    let not_after_today = |on: &NaiveDate| {
        if *on > today {
            Err(LedgerError::DateInFuture)
        } else {
            Ok(())
        }
    };
    let mut next = state.clone();
    match transition {
        Transition::Progress { on, text } => {
            owner_only()?;
            if state.status == Closed {
                return Err(wrong());
            }
            required(text, "进展情况")?;
            not_after_today(on)?;
            if state.status == NotStarted {
                next.status = InProgress;
            }
            next.last_progress_on = next.last_progress_on.max(Some(*on));
        }
        Transition::ReportDone { on, evidence } => {
            owner_only()?;
            if !matches!(state.status, NotStarted | InProgress) {
                return Err(wrong());
            }
            required(evidence, "完成情况")?;
            not_after_today(on)?;
            next.status = AwaitingClose;
            next.completed_on = Some(*on);
            next.last_progress_on = next.last_progress_on.max(Some(*on));
        }
        Transition::Confirm => {
            reviewer_only()?;
            next.status = match (state.status, state.kind) {
                (AwaitingClose, MeasureKind::LongTerm) => Ongoing,
                (AwaitingClose | Ongoing, _) => Closed,
                _ => return Err(wrong()),
            };
            next.extension = None;
        }
        Transition::SendBack { reason } => {
            reviewer_only()?;
            required(reason, "退回理由")?;
            if state.status != AwaitingClose {
                return Err(wrong());
            }
            next.status = InProgress;
            next.completed_on = None;
        }
        Transition::RequestExtension { until, reason } => {
            owner_only()?;
            required(reason, "延期理由")?;
            if !state.status.is_open() || state.kind == MeasureKind::LongTerm {
                return Err(wrong());
            }
            if state.kind == MeasureKind::Immediate {
                return Err(LedgerError::ImmediateNotExtended);
            }
            if state.extension.is_some() {
                return Err(LedgerError::ExtensionPending);
            }
            if state.deadline.is_some_and(|deadline| *until <= deadline) || *until <= today {
                return Err(LedgerError::ExtensionNotLater);
            }
            next.extension = Some(ExtensionRequest {
                until: *until,
                reason: reason.trim().into(),
            });
        }
        Transition::ApproveExtension => {
            reviewer_only()?;
            let request = state.extension.as_ref().ok_or(LedgerError::NoExtension)?;
            next.deadline = Some(request.until);
            next.extension = None;
        }
        Transition::RejectExtension { reason } => {
            reviewer_only()?;
            required(reason, "不同意的理由")?;
            if state.extension.is_none() {
                return Err(LedgerError::NoExtension);
            }
            next.extension = None;
        }
        Transition::Reopen { reason } => {
            reviewer_only()?;
            required(reason, "重新打开的理由")?;
            if !matches!(state.status, Closed | Ongoing) {
                return Err(wrong());
            }
            next.status = InProgress;
            next.completed_on = None;
        }
        Transition::AddFollowUp { on } => {
            reviewer_only()?;
            if *on < today {
                return Err(LedgerError::FollowUpInPast);
            }
            if state.follow_ups.contains(on) {
                return Err(LedgerError::FollowUpExists);
            }
            next.follow_ups.push(*on);
            next.follow_ups.sort();
        }
    }
    Ok(next)
}

/// Something about an item that the person should act on, derived from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reminder {
    /// The date the item is measured against comes (yellow or red) or has passed.
    Due {
        urgency: Urgency,
        due: NaiveDate,
        days_left: i64,
    },
    /// The owner reported it done: the reviewer checks and closes it.
    AwaitsClosing,
    /// The owner asked for a new 时限: the reviewer decides.
    ExtensionToDecide,
}

impl Reminder {
    /// The sentence a reminder list shows, naming the measure (and, for reviewers, whose).
    pub fn sentence(&self, measure: &str, owner: Option<&str>) -> String {
        let whose = owner.map(|name| format!("{name}的")).unwrap_or_default();
        match *self {
            Self::Due {
                urgency: Urgency::Overdue,
                due,
                days_left,
            } => format!(
                "{whose}“{measure}”已逾期 {} 天（应于 {due} 完成）",
                -days_left
            ),
            Self::Due {
                due, days_left: 0, ..
            } => format!("{whose}“{measure}”今天（{due}）到期"),
            Self::Due { due, days_left, .. } => {
                format!("{whose}“{measure}”还有 {days_left} 天到期（{due}）")
            }
            Self::AwaitsClosing => format!("{whose}“{measure}”已报告完成，等待对账销号"),
            Self::ExtensionToDecide => format!("{whose}“{measure}”申请延期，等待审批"),
        }
    }

    /// The colour convention: red for what is late or nearly so and for decisions waiting.
    pub fn colour(&self) -> &'static str {
        match self {
            Self::Due { urgency, .. } => urgency.colour(),
            Self::AwaitsClosing | Self::ExtensionToDecide => "red",
        }
    }
}

/// What `who` should be reminded of about an item on `today`. The owner hears of every
/// coming date (yellow and red); the reviewer of red ones only, and of decisions waiting.
pub fn reminders(
    state: &ItemState,
    who: Standing,
    today: NaiveDate,
    tiers: WarningTiers,
) -> Vec<Reminder> {
    let mut found = Vec::new();
    let urgency = state.urgency(today, tiers);
    let heard = match who {
        Standing::Owner => urgency != Urgency::None,
        Standing::Reviewer => urgency.warns_secretary(),
    };
    if heard && let Some(due) = state.due_date() {
        found.push(Reminder::Due {
            urgency,
            due,
            days_left: (due - today).num_days(),
        });
    }
    if who == Standing::Reviewer {
        if state.status == ItemStatus::AwaitingClose {
            found.push(Reminder::AwaitsClosing);
        }
        if state.extension.is_some() {
            found.push(Reminder::ExtensionToDecide);
        }
    }
    found
}

/// The items needing attention on `today` — late, or coming due within the warning tiers —
/// the earliest date first (ties keep their order), at most `limit` of them, as indexes into
/// `states`; with how many there are in all.
pub fn needing_attention<'a>(
    states: impl IntoIterator<Item = &'a ItemState>,
    today: NaiveDate,
    tiers: WarningTiers,
    limit: usize,
) -> (Vec<usize>, usize) {
    let mut found: Vec<(NaiveDate, usize)> = states
        .into_iter()
        .enumerate()
        .filter(|(_, state)| state.urgency(today, tiers) != Urgency::None)
        // Urgency is measured against the alert date, so every item kept has one.
        .filter_map(|(index, state)| Some((state.alert_date()?, index)))
        .collect();
    found.sort();
    let total = found.len();
    (
        found
            .into_iter()
            .take(limit)
            .map(|(_, index)| index)
            .collect(),
        total,
    )
}

/// Whether `who` may attach a 佐证材料 now: the owner until the item is 已销号 (then it must
/// be reopened first), the reviewer always (a 回头看 leaves its own record).
pub fn may_attach_evidence(state: &ItemState, who: Standing) -> Result<(), LedgerError> {
    match (who, state.status) {
        (Standing::Owner, ItemStatus::Closed) => {
            Err(LedgerError::WrongStatus(state.status.label().into()))
        }
        _ => Ok(()),
    }
}

/// One measure of a material as a ledger entry: everything the item copies from the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureEntry {
    /// The measure's id in the material: the item follows it while the material changes.
    pub measure_id: String,
    pub measure: String,
    pub standard: String,
    /// The headline of the first problem the measure answers.
    pub problem: String,
    /// 问题类别: that problem's aspect.
    pub category: String,
    pub deadline: Option<Deadline>,
    pub follow_ups: Vec<NaiveDate>,
}

/// Every measure of `material`, ready to become (or update) ledger items. A measures part
/// written as plain paragraphs (no structured items) gives one item per paragraph, so no
/// measure is left out of the ledger.
pub fn measures_of(material: &Material) -> Vec<MeasureEntry> {
    let problems: Vec<&Item> = material
        .parts
        .iter()
        .filter(|part| part.kind == PartKind::Problems)
        .flat_map(|part| part.items.iter())
        .collect();
    let mut entries = Vec::new();
    for (part_index, part) in material.parts.iter().enumerate() {
        if part.kind != PartKind::Measures {
            continue;
        }
        if part.items.is_empty() {
            entries.extend(
                part.paragraphs
                    .iter()
                    .enumerate()
                    .filter(|(_, text)| !text.trim().is_empty())
                    .map(|(index, text)| MeasureEntry {
                        measure_id: format!("part{part_index}-paragraph{index}"),
                        measure: text.trim().to_string(),
                        standard: String::new(),
                        problem: String::new(),
                        category: String::new(),
                        deadline: None,
                        follow_ups: Vec::new(),
                    }),
            );
            continue;
        }
        for measure in &part.items {
            let problem = measure
                .links
                .iter()
                .find_map(|link| problems.iter().find(|problem| problem.id == *link));
            let measure_text = match (measure.heading.trim(), measure.text.trim()) {
                ("", text) => text.to_string(),
                (heading, "") => heading.to_string(),
                (heading, text) => format!("{heading}。{text}"),
            };
            if measure_text.is_empty() {
                continue;
            }
            entries.push(MeasureEntry {
                measure_id: measure.id.0.clone(),
                measure: measure_text,
                standard: measure.standard.clone().unwrap_or_default(),
                problem: problem.map(|p| p.heading.clone()).unwrap_or_default(),
                category: problem.and_then(|p| p.category.clone()).unwrap_or_default(),
                deadline: measure.deadline,
                follow_ups: measure.follow_ups.clone(),
            });
        }
    }
    entries
}

/// An item of an earlier meeting, for the "上次整改落实情况" of the next material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedItem {
    pub measure: String,
    pub state: ItemState,
    /// What the owner last reported (完成情况 or the latest progress note).
    pub last_report: Option<String>,
}

impl CarriedItem {
    /// Where the item stands, in words, with what its owner last reported.
    pub fn standing(&self) -> String {
        let report = self
            .last_report
            .as_deref()
            .map(|text| format!("{}。", text.trim().trim_end_matches('。')))
            .unwrap_or_default();
        match self.state.status {
            ItemStatus::Closed => format!("已完成整改。{report}"),
            ItemStatus::Ongoing => format!("已取得阶段性成效，需长期坚持。{report}"),
            ItemStatus::AwaitingClose => format!("已完成，待支部销号。{report}"),
            ItemStatus::NotStarted | ItemStatus::InProgress => {
                format!(
                    "正在整改，时限为{}。{report}",
                    self.state.deadline_in_words()
                )
            }
        }
    }
}

/// The "上次整改落实情况" paragraphs: the counts, then each measure with where it stands.
/// A starting point the author edits, so nothing is claimed that the ledger does not say.
pub fn carryover_paragraphs(items: &[CarriedItem]) -> Vec<String> {
    if items.is_empty() {
        return Vec::new();
    }
    let count = |status: ItemStatus| items.iter().filter(|i| i.state.status == status).count();
    let (closed, ongoing) = (count(ItemStatus::Closed), count(ItemStatus::Ongoing));
    let open = items.len() - closed - ongoing;
    let mut paragraphs = vec![format!(
        "上次提出的{}项整改措施中，已完成整改销号{closed}项，长期坚持{ongoing}项，正在整改{open}项。",
        items.len()
    )];
    for item in items {
        let measure = item.measure.trim_end_matches(['。', '；', ';', '.']);
        paragraphs.push(format!("{measure}：{}", item.standing()));
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dated(deadline: NaiveDate) -> ItemState {
        ItemState::for_measure(Some(&Deadline::By(deadline)), &[])
    }

    #[test]
    fn needing_attention_lists_late_and_soon_due_items_earliest_first_and_counts_them_all() {
        let today = day(2026, 5, 1);
        let tiers = WarningTiers::default();
        let states = [
            dated(day(2026, 12, 31)),          // far off: not listed
            dated(day(2026, 5, 10)),           // due soon
            dated(day(2026, 4, 1)),            // a month late
            ItemState::for_measure(None, &[]), // no date: never
            dated(day(2026, 4, 20)),           // late
            dated(day(2026, 5, 10)),           // due soon, same day as index 1
        ];
        assert_eq!(
            needing_attention(&states, today, tiers, 10),
            (vec![2, 4, 1, 5], 4)
        );
        assert_eq!(needing_attention(&states, today, tiers, 2), (vec![2, 4], 4));
        assert_eq!(needing_attention(&states, today, tiers, 0), (vec![], 4));
    }

    #[test]
    fn urgency_turns_yellow_then_red_then_overdue() {
        let item = dated(day(2026, 3, 31));
        let tiers = WarningTiers::default();
        assert_eq!(item.urgency(day(2026, 3, 10), tiers), Urgency::None);
        assert_eq!(item.urgency(day(2026, 3, 11), tiers), Urgency::DueSoon);
        assert_eq!(item.urgency(day(2026, 3, 21), tiers), Urgency::DueVerySoon);
        assert_eq!(item.urgency(day(2026, 3, 31), tiers), Urgency::DueVerySoon);
        assert_eq!(item.urgency(day(2026, 4, 1), tiers), Urgency::Overdue);
    }

    #[test]
    fn work_reported_in_time_is_never_overdue_but_late_work_stays_overdue_until_closed() {
        let today = day(2026, 5, 1);
        let item = dated(day(2026, 3, 31));
        let on_time = apply(
            &item,
            Standing::Owner,
            &Transition::ReportDone {
                on: day(2026, 3, 30),
                evidence: "已完成".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(
            on_time.urgency(today, WarningTiers::default()),
            Urgency::None
        );
        let late = apply(
            &item,
            Standing::Owner,
            &Transition::ReportDone {
                on: day(2026, 4, 2),
                evidence: "已完成".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(
            late.urgency(today, WarningTiers::default()),
            Urgency::Overdue
        );
        let closed = apply(&late, Standing::Reviewer, &Transition::Confirm, today).unwrap();
        assert_eq!(closed.status, ItemStatus::Closed);
        assert_eq!(
            closed.urgency(today, WarningTiers::default()),
            Urgency::None
        );
    }

    #[test]
    fn owners_never_close_their_own_items_and_reviewers_never_report_for_them() {
        let today = day(2026, 3, 1);
        let item = dated(day(2026, 3, 31));
        let done = apply(
            &item,
            Standing::Owner,
            &Transition::ReportDone {
                on: today,
                evidence: "制度已修订".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(
            apply(&done, Standing::Owner, &Transition::Confirm, today),
            Err(LedgerError::ReviewerOnly)
        );
        assert_eq!(
            apply(
                &item,
                Standing::Reviewer,
                &Transition::ReportDone {
                    on: today,
                    evidence: "x".into()
                },
                today
            ),
            Err(LedgerError::OwnerOnly)
        );
    }

    #[test]
    fn reporting_done_needs_evidence_and_a_date_not_in_the_future() {
        let today = day(2026, 3, 1);
        let item = dated(day(2026, 3, 31));
        let report = |on, evidence: &str| Transition::ReportDone {
            on,
            evidence: evidence.into(),
        };
        assert_eq!(
            apply(&item, Standing::Owner, &report(today, "  "), today),
            Err(LedgerError::Missing("完成情况"))
        );
        assert_eq!(
            apply(
                &item,
                Standing::Owner,
                &report(day(2026, 3, 2), "好"),
                today
            ),
            Err(LedgerError::DateInFuture)
        );
    }

    #[test]
    fn a_sent_back_item_is_in_progress_again_without_its_completion_date() {
        let today = day(2026, 3, 1);
        let done = apply(
            &dated(day(2026, 3, 31)),
            Standing::Owner,
            &Transition::ReportDone {
                on: today,
                evidence: "完成".into(),
            },
            today,
        )
        .unwrap();
        let back = apply(
            &done,
            Standing::Reviewer,
            &Transition::SendBack {
                reason: "佐证不足".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(back.status, ItemStatus::InProgress);
        assert_eq!(back.completed_on, None);
    }

    #[test]
    fn an_approved_extension_moves_the_deadline_and_keeps_the_original() {
        let today = day(2026, 3, 1);
        let item = dated(day(2026, 3, 31));
        let refused = apply(
            &item,
            Standing::Owner,
            &Transition::RequestExtension {
                until: day(2026, 3, 31),
                reason: "调研未完成".into(),
            },
            today,
        );
        assert_eq!(refused, Err(LedgerError::ExtensionNotLater));
        let asked = apply(
            &item,
            Standing::Owner,
            &Transition::RequestExtension {
                until: day(2026, 6, 30),
                reason: "调研未完成".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(
            asked.deadline,
            Some(day(2026, 3, 31)),
            "not before approval"
        );
        let approved = apply(
            &asked,
            Standing::Reviewer,
            &Transition::ApproveExtension,
            today,
        )
        .unwrap();
        assert_eq!(approved.deadline, Some(day(2026, 6, 30)));
        assert_eq!(approved.original_deadline, Some(day(2026, 3, 31)));
        assert_eq!(approved.extension, None);
    }

    #[test]
    fn a_long_term_item_is_confirmed_into_ongoing_and_warned_at_unanswered_check_dates() {
        let today = day(2026, 3, 1);
        let item = ItemState::for_measure(
            Some(&Deadline::Ongoing),
            &[day(2026, 6, 30), day(2026, 3, 31)],
        );
        assert_eq!(item.kind, MeasureKind::LongTerm);
        assert_eq!(item.due_date(), Some(day(2026, 3, 31)));
        let done = apply(
            &item,
            Standing::Owner,
            &Transition::ReportDone {
                on: today,
                evidence: "建立学习制度".into(),
            },
            today,
        )
        .unwrap();
        let ongoing = apply(&done, Standing::Reviewer, &Transition::Confirm, today).unwrap();
        assert_eq!(ongoing.status, ItemStatus::Ongoing);
        // The report on 3月1日 came before the 3月31日 check: that check is still to answer.
        assert_eq!(ongoing.due_date(), Some(day(2026, 3, 31)));
        assert_eq!(
            ongoing.urgency(day(2026, 4, 2), WarningTiers::default()),
            Urgency::Overdue
        );
        let answered = apply(
            &ongoing,
            Standing::Owner,
            &Transition::Progress {
                on: day(2026, 4, 2),
                text: "第二季度学习记录".into(),
            },
            day(2026, 4, 2),
        )
        .unwrap();
        assert_eq!(answered.due_date(), Some(day(2026, 6, 30)));
        assert_eq!(
            answered.urgency(day(2026, 4, 2), WarningTiers::default()),
            Urgency::None
        );
        let reopened = apply(
            &answered,
            Standing::Reviewer,
            &Transition::Reopen {
                reason: "问题反弹".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(reopened.status, ItemStatus::InProgress);
    }

    #[test]
    fn measures_carry_their_problem_and_category_and_paragraph_measures_are_not_lost() {
        use crate::domain::material::{ItemId, Part};
        let item = |id: &str, heading: &str| Item {
            id: ItemId(id.into()),
            heading: heading.into(),
            ..Item::default()
        };
        let mut problem = item("p1", "学用结合不够紧密");
        problem.category = Some("理论学习方面".into());
        let mut measure = item("m1", "");
        measure.text = "每月精读原著2篇".into();
        measure.links = vec![ItemId("p1".into())];
        measure.deadline = Some(Deadline::By(day(2026, 6, 30)));
        measure.standard = Some("读书笔记12篇".into());
        let part = |kind, items, paragraphs: &[&str]| Part {
            kind,
            heading: String::new(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            items,
        };
        let material = Material {
            parts: vec![
                part(PartKind::Problems, vec![problem], &[]),
                part(
                    PartKind::Measures,
                    vec![measure, item("m2", "  ")],
                    &["引言不算"],
                ),
                part(PartKind::Measures, vec![], &["加强学习。", " "]),
            ],
            title: String::new(),
            speaker: None,
            preamble: Vec::new(),
            closing: None,
            date: None,
            removed: Vec::new(),
        };
        let entries = measures_of(&material);
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0].measure_id, "m1");
        assert_eq!(entries[0].problem, "学用结合不够紧密");
        assert_eq!(entries[0].category, "理论学习方面");
        assert_eq!(entries[0].standard, "读书笔记12篇");
        assert_eq!(entries[1].measure, "加强学习。");
        assert_eq!(entries[1].deadline, None);
    }

    #[test]
    fn carryover_counts_and_states_each_measure_as_the_ledger_has_it() {
        let mut closed = dated(day(2026, 3, 31));
        closed.status = ItemStatus::Closed;
        let open = dated(day(2026, 6, 30));
        let items = [
            CarriedItem {
                measure: "每月精读原著2篇。".into(),
                state: closed,
                last_report: Some("全年精读原著24篇".into()),
            },
            CarriedItem {
                measure: "每季度走访社区".into(),
                state: open,
                last_report: None,
            },
        ];
        assert_eq!(
            carryover_paragraphs(&items),
            vec![
                "上次提出的2项整改措施中，已完成整改销号1项，长期坚持0项，正在整改1项。"
                    .to_string(),
                "每月精读原著2篇：已完成整改。全年精读原著24篇。".to_string(),
                "每季度走访社区：正在整改，时限为2026年6月30日。".to_string(),
            ]
        );
        assert!(carryover_paragraphs(&[]).is_empty());
    }

    #[test]
    fn only_the_owner_notes_progress_and_not_on_a_closed_item() {
        let today = day(2026, 3, 1);
        let note = |text: &str| Transition::Progress {
            on: today,
            text: text.into(),
        };
        let item = dated(day(2026, 3, 31));
        let started = apply(&item, Standing::Owner, &note("已读1篇"), today).unwrap();
        assert_eq!(started.status, ItemStatus::InProgress);
        assert_eq!(started.last_progress_on, Some(today));
        assert_eq!(
            apply(&item, Standing::Reviewer, &note("代写"), today),
            Err(LedgerError::OwnerOnly)
        );
        assert_eq!(
            apply(&item, Standing::Owner, &note(" "), today),
            Err(LedgerError::Missing("进展情况"))
        );
        let longest = "学".repeat(MAX_NOTE_CHARS);
        assert!(apply(&item, Standing::Owner, &note(&longest), today).is_ok());
        assert_eq!(
            apply(
                &item,
                Standing::Owner,
                &note(&format!("{longest}。")),
                today
            ),
            Err(LedgerError::TooLong("进展情况", MAX_NOTE_CHARS))
        );
        let mut closed = item;
        closed.status = ItemStatus::Closed;
        assert!(matches!(
            apply(&closed, Standing::Owner, &note("又读1篇"), today),
            Err(LedgerError::WrongStatus(_))
        ));
    }

    #[test]
    fn the_reviewer_adds_follow_up_dates_in_order_even_after_closing() {
        let today = day(2026, 3, 1);
        let add = |on| Transition::AddFollowUp { on };
        let mut item = dated(day(2026, 6, 30));
        item.status = ItemStatus::Closed;
        let later = apply(&item, Standing::Reviewer, &add(day(2026, 9, 1)), today).unwrap();
        let both = apply(&later, Standing::Reviewer, &add(day(2026, 4, 1)), today).unwrap();
        assert_eq!(both.follow_ups, vec![day(2026, 4, 1), day(2026, 9, 1)]);
        assert_eq!(both.status, ItemStatus::Closed);
        assert_eq!(
            apply(&both, Standing::Reviewer, &add(day(2026, 4, 1)), today),
            Err(LedgerError::FollowUpExists)
        );
        assert_eq!(
            apply(&item, Standing::Reviewer, &add(day(2026, 2, 28)), today),
            Err(LedgerError::FollowUpInPast)
        );
        assert_eq!(
            apply(&item, Standing::Owner, &add(day(2026, 4, 1)), today),
            Err(LedgerError::ReviewerOnly)
        );
    }

    #[test]
    fn owners_attach_evidence_until_closing_and_reviewers_always() {
        let mut item = dated(day(2026, 6, 30));
        assert!(may_attach_evidence(&item, Standing::Owner).is_ok());
        item.status = ItemStatus::Closed;
        assert!(matches!(
            may_attach_evidence(&item, Standing::Owner),
            Err(LedgerError::WrongStatus(_))
        ));
        assert!(may_attach_evidence(&item, Standing::Reviewer).is_ok());
    }

    #[test]
    fn owners_hear_of_yellow_and_red_reviewers_of_red_and_of_decisions() {
        let today = day(2026, 3, 1);
        let tiers = WarningTiers::default();
        let yellow = dated(day(2026, 3, 16));
        assert_eq!(
            reminders(&yellow, Standing::Owner, today, tiers),
            vec![Reminder::Due {
                urgency: Urgency::DueSoon,
                due: day(2026, 3, 16),
                days_left: 15
            }]
        );
        assert!(reminders(&yellow, Standing::Reviewer, today, tiers).is_empty());
        let mut late = dated(day(2026, 2, 27));
        late.status = ItemStatus::AwaitingClose;
        late.completed_on = Some(day(2026, 2, 28));
        late.extension = None;
        let reviewer = reminders(&late, Standing::Reviewer, today, tiers);
        assert_eq!(reviewer.len(), 2, "{reviewer:?}");
        assert_eq!(
            reviewer[0].sentence("每月精读原著", Some("张明")),
            "张明的“每月精读原著”已逾期 2 天（应于 2026-02-27 完成）"
        );
        assert_eq!(
            reviewer[1].sentence("每月精读原著", None),
            "“每月精读原著”已报告完成，等待对账销号"
        );
        assert!(reminders(&dated(day(2026, 6, 1)), Standing::Owner, today, tiers).is_empty());
        let due_today = reminders(&dated(today), Standing::Owner, today, tiers);
        assert_eq!(
            due_today[0].sentence("走访", None),
            "“走访”今天（2026-03-01）到期"
        );
    }

    #[test]
    fn warning_tiers_are_checked() {
        assert!(WarningTiers::new(20, 10).is_ok());
        assert!(WarningTiers::new(10, 20).is_err());
        assert!(WarningTiers::new(400, 10).is_err());
        assert!(WarningTiers::new(20, -1).is_err());
    }

    mod model {
        //! Urgency against a naive model that walks the calendar day by day.
        use super::*;
        use proptest::prelude::*;

        fn any_day() -> impl Strategy<Value = NaiveDate> {
            // 2024 and 2028 are leap years; month ends are covered by the day-by-day walk.
            (0i64..(365 * 5)).prop_map(|offset| day(2024, 1, 1) + chrono::Duration::days(offset))
        }

        /// Counts calendar days one at a time instead of subtracting dates.
        fn days_until(today: NaiveDate, due: NaiveDate) -> i64 {
            let (mut count, mut cursor) = (0i64, today);
            while cursor < due {
                cursor = cursor.succ_opt().unwrap();
                count += 1;
            }
            while cursor > due {
                cursor = cursor.pred_opt().unwrap();
                count -= 1;
            }
            count
        }

        proptest! {
            #[test]
            fn urgency_matches_the_naive_model(
                deadline in any_day(),
                today in any_day(),
                completed in proptest::option::of(any_day()),
                yellow in 0i64..60,
                red in 0i64..60,
            ) {
                let tiers = WarningTiers { yellow_days: yellow.max(red), red_days: red.min(yellow) };
                let mut item = dated(deadline);
                if let Some(done) = completed.filter(|done| *done <= today) {
                    item.status = ItemStatus::AwaitingClose;
                    item.completed_on = Some(done);
                }
                let left = days_until(today, deadline);
                let done_in_time = item.completed_on.is_some_and(|done| days_until(done, deadline) >= 0);
                let expected = if done_in_time {
                    Urgency::None
                } else if left < 0 {
                    Urgency::Overdue
                } else if left <= tiers.red_days {
                    Urgency::DueVerySoon
                } else if left <= tiers.yellow_days {
                    Urgency::DueSoon
                } else {
                    Urgency::None
                };
                prop_assert_eq!(item.urgency(today, tiers), expected);
                // Closed items never warn; work finished before its deadline is never overdue.
                let mut closed = item.clone();
                closed.status = ItemStatus::Closed;
                prop_assert_eq!(closed.urgency(today, tiers), Urgency::None);
                if done_in_time {
                    prop_assert_ne!(item.urgency(today, tiers), Urgency::Overdue);
                }
            }
        }
    }
}
