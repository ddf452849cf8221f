//! 整改方案 (issue 28 item 4): a meeting's 问题清单 / 任务清单 / 责任清单. Each item is a ledger
//! item (`domain::ledger`) with a 责任领导 (its owner), a 责任部门 and a source: a material's
//! measures, an opinion of the 征求意见, the 督导组's 点评, or feedback from the 上级 (巡察,
//! 审计, 督查) with its issuing body and 文号. Pure: the form is checked against today, and
//! the 整改落实情况报告 replays each item's history up to the chosen day.

use super::ledger::{ItemStatus, MeasureKind};
use super::meeting::parse_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

super::coded_enum! {
    /// Where a 整改方案 item comes from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PlanSource {
        /// A measure of a material of the meeting (the collective 对照检查材料 or a member's).
        Material => ("material", "对照检查材料"),
        /// An opinion collected for the meeting.
        Opinion => ("opinion", "征求意见"),
        /// The 督导组's 点评 at the meeting, as typed in.
        Supervision => ("supervision", "督导组点评"),
        /// Feedback from the 上级, typed in with its issuing body and 文号.
        Superior => ("superior", "上级反馈"),
    }
}

super::coded_enum! {
    /// What kind of 上级 feedback an item answers.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum FeedbackKind {
        Inspection => ("inspection", "巡察"),
        Audit => ("audit", "审计"),
        Oversight => ("oversight", "督查"),
        Other => ("other", "其他"),
    }
}

/// How far ahead a 立行立改 item's 时限 may lie: "at once" means within a month.
pub const IMMEDIATE_MAX_DAYS: i64 = 30;
/// The longest 问题, 整改任务 or 完成标准, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// The longest 责任部门, issuing body or 文号.
pub const MAX_NAME_CHARS: usize = 60;

/// An item's source with what it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// `reference`: the material the measure came from, when imported.
    Material {
        reference: Option<String>,
    },
    /// `reference`: the opinion's id.
    Opinion {
        reference: Option<String>,
    },
    Supervision,
    Superior {
        kind: FeedbackKind,
        issuer: String,
        document_number: String,
    },
}

impl Source {
    pub fn kind(&self) -> PlanSource {
        match self {
            Self::Material { .. } => PlanSource::Material,
            Self::Opinion { .. } => PlanSource::Opinion,
            Self::Supervision => PlanSource::Supervision,
            Self::Superior { .. } => PlanSource::Superior,
        }
    }

    /// The 来源 column of the 问题清单: "巡察（省委第三巡察组，X巡反〔2026〕3号）".
    pub fn label(&self) -> String {
        match self {
            Self::Superior {
                kind,
                issuer,
                document_number,
            } => format!("{}（{issuer}，{document_number}）", kind.label()),
            other => other.kind().label().to_string(),
        }
    }
}

/// The form as typed: every field a string, so a refused form comes back whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItemForm {
    pub problem: String,
    pub task: String,
    /// The 责任领导's account id.
    pub owner_id: String,
    pub department: String,
    pub deadline: String,
    pub standard: String,
    /// A [`MeasureKind`] code.
    pub kind: String,
    /// A [`PlanSource`] code.
    pub source: String,
    /// The opinion chosen, for a 征求意见 item.
    pub opinion_id: String,
    /// A [`FeedbackKind`] code, for 上级反馈.
    pub feedback_kind: String,
    pub issuer: String,
    pub document_number: String,
}

/// A checked item, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub problem: String,
    pub task: String,
    pub owner_id: String,
    pub department: String,
    /// `None` for 长期坚持 only.
    pub deadline: Option<NaiveDate>,
    pub standard: String,
    pub kind: MeasureKind,
    pub source: Source,
}

/// What a form is checked against besides itself.
#[derive(Debug, Clone, Copy)]
pub struct FormContext<'a> {
    pub today: NaiveDate,
    /// The accounts that may be 责任领导: the members of the meeting's group.
    pub members: &'a [String],
    /// The opinions of the meeting an item may answer.
    pub opinions: &'a [String],
    /// The item's 时限 as stored, when editing: kept even if it has passed meanwhile.
    pub stored_deadline: Option<NaiveDate>,
}

/// Every problem of a form, one Chinese sentence each, in the order of the fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.join("；"))]
pub struct FormErrors(pub Vec<String>);

impl PlanItemForm {
    /// Checks every field; all problems at once, so the secretary fixes them in one go.
    pub fn check(&self, context: FormContext<'_>) -> Result<PlanItem, FormErrors> {
        let mut errors = Vec::new();
        let mut text = |raw: &str, field: &str, max: usize, required: bool| {
            let trimmed = raw.trim();
            if required && trimmed.is_empty() {
                errors.push(format!("请填写{field}"));
            } else if trimmed.chars().count() > max {
                errors.push(format!("{field}不能超过 {max} 个字"));
            }
            trimmed.to_string()
        };
        let problem = text(&self.problem, "问题", MAX_TEXT_CHARS, true);
        let task = text(&self.task, "整改任务（措施）", MAX_TEXT_CHARS, true);
        let department = text(&self.department, "责任部门", MAX_NAME_CHARS, true);
        let standard = text(&self.standard, "完成标准", MAX_TEXT_CHARS, true);
        let issuer = text(&self.issuer, "反馈单位", MAX_NAME_CHARS, false);
        let document_number = text(&self.document_number, "文号", MAX_NAME_CHARS, false);
        let owner_id = self.owner_id.trim().to_string();
        if owner_id.is_empty() {
            errors.push("请选择责任领导".into());
        } else if !context.members.contains(&owner_id) {
            errors.push("责任领导须是本班子（支部）的成员".into());
        }
        let kind = MeasureKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push("请选择整改类型：立行立改、限期整改或长期坚持".into());
        }
        let deadline = match (kind, self.deadline.trim()) {
            (Some(MeasureKind::LongTerm), "") | (None, _) => None,
            (Some(MeasureKind::LongTerm), _) => {
                errors.push("长期坚持的事项不设时限，请清空时限，或改选限期整改".into());
                None
            }
            (Some(_), "") => {
                errors.push("请填写时限".into());
                None
            }
            (Some(kind), raw) => match parse_date(raw) {
                None => {
                    errors.push("时限请写成 2026-03-31 或 2026年3月31日".into());
                    None
                }
                Some(date) if Some(date) == context.stored_deadline => Some(date),
                Some(date) if date < context.today => {
                    errors.push("时限不能早于今天".into());
                    None
                }
                Some(date)
                    if kind == MeasureKind::Immediate
                        && (date - context.today).num_days() > IMMEDIATE_MAX_DAYS =>
                {
                    errors.push(format!(
                        "立行立改的时限应在 {IMMEDIATE_MAX_DAYS} 天之内；需要更长时间的，请改选限期整改"
                    ));
                    None
                }
                Some(date) => Some(date),
            },
        };
        let source = match PlanSource::from_code(self.source.trim()) {
            None => {
                errors.push("请选择问题来源".into());
                None
            }
            Some(PlanSource::Material) => Some(Source::Material { reference: None }),
            Some(PlanSource::Supervision) => Some(Source::Supervision),
            Some(PlanSource::Opinion) => {
                let chosen = self.opinion_id.trim();
                if chosen.is_empty() {
                    errors.push("请选择对应的征求意见".into());
                    None
                } else if !context.opinions.iter().any(|id| id == chosen) {
                    errors.push("所选的征求意见不属于本次会议".into());
                    None
                } else {
                    Some(Source::Opinion {
                        reference: Some(chosen.to_string()),
                    })
                }
            }
            Some(PlanSource::Superior) => {
                let kind = FeedbackKind::from_code(self.feedback_kind.trim());
                if kind.is_none() {
                    errors.push("请选择上级反馈的类型：巡察、审计、督查或其他".into());
                }
                if issuer.is_empty() {
                    errors.push("请填写反馈单位（如 省委第三巡察组）".into());
                }
                if document_number.is_empty() {
                    errors.push("请填写反馈文件的文号".into());
                }
                kind.map(|kind| Source::Superior {
                    kind,
                    issuer: issuer.clone(),
                    document_number: document_number.clone(),
                })
            }
        };
        match (kind, source) {
            (Some(kind), Some(source)) if errors.is_empty() => Ok(PlanItem {
                problem,
                task,
                owner_id,
                department,
                deadline,
                standard,
                kind,
                source,
            }),
            _ => Err(FormErrors(errors)),
        }
    }
}

/// One line of an item's history, as the report replays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// The `ledger_note` kind: progress, report_done, confirm, send_back, reopen, ….
    pub kind: String,
    pub on: NaiveDate,
}

/// The item's status at the end of `on`, from its history (oldest first); `None` if the
/// item did not exist yet. The stored status is today's; a report for the 上级 as of an
/// earlier day must not count work done since.
pub fn status_on(
    created_on: NaiveDate,
    kind: MeasureKind,
    history: &[HistoryLine],
    on: NaiveDate,
) -> Option<ItemStatus> {
    use ItemStatus::*;
    if created_on > on {
        return None;
    }
    let mut status = NotStarted;
    for line in history.iter().filter(|line| line.on <= on) {
        status = match (line.kind.as_str(), status) {
            ("progress", NotStarted) => InProgress,
            ("report_done", _) => AwaitingClose,
            ("confirm", AwaitingClose) if kind == MeasureKind::LongTerm => Ongoing,
            ("confirm", _) => Closed,
            ("send_back" | "reopen", _) => InProgress,
            (_, unchanged) => unchanged,
        };
    }
    Some(status)
}

/// The counts of the 整改落实情况报告.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCounts {
    pub total: usize,
    pub not_started: usize,
    pub in_progress: usize,
    pub awaiting_close: usize,
    pub ongoing: usize,
    pub closed: usize,
    /// Dated items still open after their 时限.
    pub overdue: usize,
}

impl ReportCounts {
    /// Counts items as they stood on `on`: (status then, kind, 时限).
    pub fn of(items: &[(ItemStatus, MeasureKind, Option<NaiveDate>)], on: NaiveDate) -> Self {
        let mut counts = Self::default();
        for (status, kind, deadline) in items {
            counts.total += 1;
            match status {
                ItemStatus::NotStarted => counts.not_started += 1,
                ItemStatus::InProgress => counts.in_progress += 1,
                ItemStatus::AwaitingClose => counts.awaiting_close += 1,
                ItemStatus::Ongoing => counts.ongoing += 1,
                ItemStatus::Closed => counts.closed += 1,
            }
            let late = kind.is_dated()
                && matches!(status, ItemStatus::NotStarted | ItemStatus::InProgress)
                && deadline.is_some_and(|deadline| deadline < on);
            counts.overdue += usize::from(late);
        }
        counts
    }

    /// The report's opening sentence of figures.
    pub fn sentence(&self) -> String {
        format!(
            "整改方案共列整改事项{}项，其中已销号{}项、长期坚持{}项、待销号{}项、整改中{}项、未启动{}项；逾期未完成{}项。",
            self.total,
            self.closed,
            self.ongoing,
            self.awaiting_close,
            self.in_progress,
            self.not_started,
            self.overdue
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn members() -> Vec<String> {
        vec!["wang".into(), "li".into()]
    }

    fn filled() -> PlanItemForm {
        PlanItemForm {
            problem: "调查研究不够深入".into(),
            task: "班子成员每人每季度蹲点调研1次".into(),
            owner_id: "wang".into(),
            department: "办公室".into(),
            deadline: "2026-06-30".into(),
            standard: "形成调研报告4篇".into(),
            kind: "by_date".into(),
            source: "supervision".into(),
            ..PlanItemForm::default()
        }
    }

    fn check(form: &PlanItemForm) -> Result<PlanItem, FormErrors> {
        form.check(FormContext {
            today: day(1),
            members: &members(),
            opinions: &["o1".into()],
            stored_deadline: None,
        })
    }

    #[test]
    fn a_filled_form_becomes_an_item() {
        let item = check(&filled()).unwrap();
        assert_eq!(item.kind, MeasureKind::ByDate);
        assert_eq!(item.deadline, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(item.source, Source::Supervision);
    }

    #[test]
    fn an_empty_form_names_every_missing_field() {
        let errors = check(&PlanItemForm::default()).unwrap_err().to_string();
        for field in [
            "请填写问题",
            "请填写整改任务",
            "请填写责任部门",
            "请填写完成标准",
            "请选择责任领导",
            "请选择整改类型",
            "请选择问题来源",
        ] {
            assert!(errors.contains(field), "{field} in {errors}");
        }
    }

    #[test]
    fn the_leader_must_belong_to_the_group() {
        let form = PlanItemForm {
            owner_id: "stranger".into(),
            ..filled()
        };
        assert!(check(&form).unwrap_err().to_string().contains("成员"));
    }

    #[test]
    fn an_immediate_item_is_due_within_a_month() {
        let soon = PlanItemForm {
            kind: "immediate".into(),
            deadline: "2026-03-20".into(),
            ..filled()
        };
        assert_eq!(check(&soon).unwrap().kind, MeasureKind::Immediate);
        let late = PlanItemForm {
            deadline: "2026-06-30".into(),
            ..soon.clone()
        };
        assert!(check(&late).unwrap_err().to_string().contains("30 天"));
        let none = PlanItemForm {
            deadline: String::new(),
            ..soon
        };
        assert!(check(&none).unwrap_err().to_string().contains("请填写时限"));
    }

    #[test]
    fn a_long_term_item_takes_no_deadline() {
        let form = PlanItemForm {
            kind: "long_term".into(),
            ..filled()
        };
        assert!(check(&form).unwrap_err().to_string().contains("不设时限"));
        let kept = PlanItemForm {
            deadline: String::new(),
            ..form
        };
        assert_eq!(check(&kept).unwrap().deadline, None);
    }

    #[test]
    fn a_past_deadline_is_refused_unless_it_is_the_stored_one() {
        let form = PlanItemForm {
            deadline: "2026-02-01".into(),
            ..filled()
        };
        assert!(check(&form).unwrap_err().to_string().contains("早于今天"));
        let editing = form.check(FormContext {
            today: day(1),
            members: &members(),
            opinions: &[],
            stored_deadline: NaiveDate::from_ymd_opt(2026, 2, 1),
        });
        assert!(editing.is_ok());
    }

    #[test]
    fn superior_feedback_needs_its_kind_body_and_number() {
        let form = PlanItemForm {
            source: "superior".into(),
            ..filled()
        };
        let errors = check(&form).unwrap_err().to_string();
        assert!(errors.contains("巡察、审计"));
        assert!(errors.contains("反馈单位"));
        assert!(errors.contains("文号"));
        let complete = PlanItemForm {
            feedback_kind: "inspection".into(),
            issuer: "省委第三巡察组".into(),
            document_number: "X巡反〔2026〕3号".into(),
            ..form
        };
        let item = check(&complete).unwrap();
        assert_eq!(
            item.source.label(),
            "巡察（省委第三巡察组，X巡反〔2026〕3号）"
        );
    }

    #[test]
    fn an_opinion_item_names_an_opinion_of_the_meeting() {
        let form = PlanItemForm {
            source: "opinion".into(),
            opinion_id: "elsewhere".into(),
            ..filled()
        };
        assert!(
            check(&form)
                .unwrap_err()
                .to_string()
                .contains("不属于本次会议")
        );
        let chosen = PlanItemForm {
            opinion_id: "o1".into(),
            ..form
        };
        assert_eq!(
            check(&chosen).unwrap().source,
            Source::Opinion {
                reference: Some("o1".into())
            }
        );
    }

    #[test]
    fn the_status_on_a_day_ignores_what_happened_after_it() {
        let history = [
            HistoryLine {
                kind: "progress".into(),
                on: day(5),
            },
            HistoryLine {
                kind: "report_done".into(),
                on: day(10),
            },
            HistoryLine {
                kind: "confirm".into(),
                on: day(12),
            },
        ];
        let at = |d| status_on(day(2), MeasureKind::ByDate, &history, day(d));
        assert_eq!(at(1), None);
        assert_eq!(at(3), Some(ItemStatus::NotStarted));
        assert_eq!(at(6), Some(ItemStatus::InProgress));
        assert_eq!(at(11), Some(ItemStatus::AwaitingClose));
        assert_eq!(at(20), Some(ItemStatus::Closed));
        let long = status_on(day(2), MeasureKind::LongTerm, &history, day(20));
        assert_eq!(long, Some(ItemStatus::Ongoing));
    }

    #[test]
    fn the_report_counts_open_dated_work_past_its_deadline_as_overdue() {
        let counts = ReportCounts::of(
            &[
                (ItemStatus::InProgress, MeasureKind::Immediate, Some(day(5))),
                (ItemStatus::Closed, MeasureKind::ByDate, Some(day(5))),
                (ItemStatus::NotStarted, MeasureKind::LongTerm, None),
            ],
            day(10),
        );
        assert_eq!(counts.total, 3);
        assert_eq!(counts.overdue, 1);
        assert_eq!(counts.closed, 1);
        assert!(counts.sentence().contains("共列整改事项3项"));
    }
}
