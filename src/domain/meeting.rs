//! A 会议 (meeting) as a branch secretary plans it — kind, title, theme sentence, the four
//! dates, who takes part — and the collection view over it: each participant's progress, the
//! countdown to the deadline, who has not submitted. Pure: forms in, checked values out.

use super::material::MaterialState;
use super::{DomainError, text};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

super::coded_enum! {
    /// The kind of meeting (docs/DOMAIN.md §1).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MeetingKind {
        /// 组织生活会: a branch, all members.
        BranchMeeting => ("branch", "组织生活会"),
        /// 民主生活会: a leading group.
        LeadershipMeeting => ("leadership", "民主生活会"),
        /// 专题组织生活会: themed, at the end of a campaign.
        Themed => ("themed", "专题组织生活会"),
    }
}

/// The meeting's dates (docs/DOMAIN.md §2): 方案 (optional), 材料截止, 会议, 报送截止.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDates {
    pub plan_on: Option<NaiveDate>,
    pub materials_due: NaiveDate,
    pub meeting_on: NaiveDate,
    pub report_due: NaiveDate,
}

/// The 报送 deadline when none is given: 15 days after the meeting (docs/DOMAIN.md §2.3 A4).
pub const REPORT_DAYS_AFTER_MEETING: u64 = 15;

/// A meeting plan as typed, every field kept as text so that a refused form comes back with
/// everything the secretary wrote. Fields left out of a form post are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingForm {
    pub kind: String,
    pub title: String,
    pub theme: String,
    pub plan_on: String,
    pub materials_due: String,
    pub meeting_on: String,
    pub report_due: String,
    /// When false, only `participants` (user ids) take part.
    pub everyone: bool,
    pub participants: Vec<String>,
}

/// A checked plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingPlan {
    pub kind: MeetingKind,
    pub title: String,
    pub theme: String,
    pub dates: MeetingDates,
    /// `None`: every member of the branch.
    pub participants: Option<Vec<String>>,
}

/// One problem with one field of the form, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub const TITLE_MAX: usize = 60;
pub const THEME_MAX: usize = 300;

/// Reads a date as people write it: 2026-01-15, 2026/1/15, 2026.1.15 or 2026年1月15日.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let numbers: Vec<u32> = raw
        .trim()
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .map(|part| part.trim().parse().ok())
        .collect::<Option<_>>()?;
    match numbers[..] {
        [year, month, day] => NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day),
        _ => None,
    }
}

/// "2026年1月15日", the way dates are written in these documents (no zero padding).
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// Checks a meeting form; every problem is reported at once, each with its field.
pub fn parse_plan(form: &MeetingForm) -> Result<MeetingPlan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = MeetingKind::parse(&form.kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "请选择会议类型"));
    }
    let title = text::single_line("会议名称", &form.title, TITLE_MAX)
        .map_err(|e| errors.push(FieldError::new("title", e.to_string())))
        .ok();
    let theme = form.theme.trim().to_string();
    if theme.chars().count() > THEME_MAX {
        errors.push(FieldError::new(
            "theme",
            DomainError::TooLong {
                field: "会议主题".into(),
                max: THEME_MAX,
            }
            .to_string(),
        ));
    }
    let mut date = |field: &str, label: &str, raw: &str, required: bool| {
        if raw.trim().is_empty() {
            if required {
                errors.push(FieldError::new(field, format!("请填写{label}")));
            }
            return None;
        }
        let parsed = parse_date(raw);
        if parsed.is_none() {
            errors.push(FieldError::new(
                field,
                format!(
                    "{label}「{}」不是有效日期，请按 2026-01-15 的格式填写",
                    raw.trim()
                ),
            ));
        }
        parsed
    };
    let plan_on = date("plan_on", "方案日期", &form.plan_on, false);
    let materials_due = date("materials_due", "材料截止日期", &form.materials_due, true);
    let meeting_on = date("meeting_on", "会议日期", &form.meeting_on, true);
    let report_due = date("report_due", "报送截止日期", &form.report_due, false).or_else(|| {
        meeting_on.and_then(|m| m.checked_add_days(chrono::Days::new(REPORT_DAYS_AFTER_MEETING)))
    });
    let order = [
        (
            "materials_due",
            plan_on,
            materials_due,
            "材料截止日期不能早于方案日期",
        ),
        (
            "meeting_on",
            materials_due,
            meeting_on,
            "会议日期不能早于材料截止日期",
        ),
        (
            "report_due",
            meeting_on,
            report_due,
            "报送截止日期不能早于会议日期",
        ),
    ];
    for (field, earlier, later, message) in order {
        if let (Some(earlier), Some(later)) = (earlier, later)
            && later < earlier
        {
            errors.push(FieldError::new(field, message));
        }
    }
    let participants = if form.everyone {
        None
    } else {
        let mut chosen: Vec<String> = form
            .participants
            .iter()
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .collect();
        chosen.sort();
        chosen.dedup();
        if chosen.is_empty() {
            errors.push(FieldError::new(
                "participants",
                "请至少选择一名参会人员，或选择“支部全体党员”",
            ));
        }
        Some(chosen)
    };
    match (kind, title, materials_due, meeting_on, report_due) {
        (Some(kind), Some(title), Some(materials_due), Some(meeting_on), Some(report_due))
            if errors.is_empty() =>
        {
            Ok(MeetingPlan {
                kind,
                title,
                theme,
                dates: MeetingDates {
                    plan_on,
                    materials_due,
                    meeting_on,
                    report_due,
                },
                participants,
            })
        }
        _ => Err(errors),
    }
}

super::coded_enum! {
    /// Where a participant's material stands, as the secretary's list shows it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Progress {
        NotStarted => ("not_started", "未开始"),
        Drafting => ("drafting", "起草中"),
        Returned => ("returned", "退回修改"),
        Submitted => ("submitted", "已提交"),
        Approved => ("approved", "审核通过"),
        /// The 定稿 after the meeting (and after the 报送).
        Finalised => ("finalised", "已定稿"),
    }
}

impl Progress {
    pub fn of(state: Option<MaterialState>) -> Self {
        match state {
            None => Self::NotStarted,
            Some(MaterialState::Draft) => Self::Drafting,
            Some(MaterialState::Submitted) => Self::Submitted,
            Some(MaterialState::Returned) => Self::Returned,
            Some(MaterialState::Approved | MaterialState::Spoken) => Self::Approved,
            Some(MaterialState::Final | MaterialState::Reported) => Self::Finalised,
        }
    }

    /// Whether the secretary holds a version of the material (submitted or approved). A
    /// returned material counts as not submitted: the member owes a new version.
    pub fn handed_in(self) -> bool {
        matches!(self, Self::Submitted | Self::Approved | Self::Finalised)
    }
}

/// "还有 3 天", "今天截止", "已超过 2 天" — how far a deadline is from today.
pub fn countdown(today: NaiveDate, due: NaiveDate) -> String {
    let days = (due - today).num_days();
    match days {
        0 => "今天截止".into(),
        d if d > 0 => format!("还有 {d} 天"),
        d => format!("已超过 {} 天", -d),
    }
}

/// The people who still owe a material, as a line to paste into a message:
/// "未提交（2人）：张明、刘芳". Nobody is messaged by the app.
pub fn not_handed_in_list(names: &[&str]) -> String {
    if names.is_empty() {
        "全部已提交".into()
    } else {
        format!("未提交（{}人）：{}", names.len(), names.join("、"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MeetingForm {
        MeetingForm {
            kind: "branch".into(),
            title: "2026年度组织生活会".into(),
            theme: "深入学习贯彻党的二十届四中全会精神".into(),
            plan_on: "2026-01-05".into(),
            materials_due: "2026/1/12".into(),
            meeting_on: "2026年1月15日".into(),
            report_due: String::new(),
            everyone: true,
            participants: vec![],
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_complete_form_becomes_a_plan_with_the_report_due_fifteen_days_after() {
        let plan = parse_plan(&form()).unwrap();
        assert_eq!(plan.kind, MeetingKind::BranchMeeting);
        assert_eq!(plan.dates.materials_due, date(2026, 1, 12));
        assert_eq!(plan.dates.meeting_on, date(2026, 1, 15));
        assert_eq!(plan.dates.report_due, date(2026, 1, 30));
        assert_eq!(plan.participants, None);
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let bad = MeetingForm {
            kind: "party".into(),
            title: " ".into(),
            materials_due: "2026-02-30".into(),
            meeting_on: String::new(),
            everyone: false,
            ..form()
        };
        let errors = parse_plan(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind",
                "title",
                "materials_due",
                "meeting_on",
                "participants"
            ]
        );
        assert!(errors[2].message.contains("2026-02-30"), "{errors:?}");
    }

    #[test]
    fn dates_must_run_in_order() {
        let bad = MeetingForm {
            materials_due: "2026-01-20".into(),
            report_due: "2026-01-10".into(),
            ..form()
        };
        let errors = parse_plan(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["meeting_on", "report_due"]);
    }

    #[test]
    fn chosen_participants_are_kept_once_each() {
        let plan = parse_plan(&MeetingForm {
            everyone: false,
            participants: vec!["u2".into(), "u1".into(), "u2".into(), " ".into()],
            ..form()
        })
        .unwrap();
        assert_eq!(plan.participants, Some(vec!["u1".into(), "u2".into()]));
    }

    #[test]
    fn dates_are_read_as_people_write_them() {
        for raw in [
            "2026-01-15",
            "2026/1/15",
            "2026.1.15",
            "2026年1月15日",
            " 2026-1-15 ",
        ] {
            assert_eq!(parse_date(raw), Some(date(2026, 1, 15)), "{raw}");
        }
        for raw in ["", "2026-13-01", "15/1/2026x", "2026年1月", "明天"] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
        assert_eq!(chinese_date(date(2026, 1, 5)), "2026年1月5日");
    }

    #[test]
    fn countdown_and_the_list_of_who_owes_a_material() {
        let today = date(2026, 1, 10);
        assert_eq!(countdown(today, date(2026, 1, 12)), "还有 2 天");
        assert_eq!(countdown(today, today), "今天截止");
        assert_eq!(countdown(today, date(2026, 1, 7)), "已超过 3 天");
        assert_eq!(
            not_handed_in_list(&["张明", "刘芳"]),
            "未提交（2人）：张明、刘芳"
        );
        assert_eq!(not_handed_in_list(&[]), "全部已提交");
        assert!(!Progress::Returned.handed_in());
        assert!(Progress::Approved.handed_in());
    }
}
