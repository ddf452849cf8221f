//! The 督导组 (issue 28, item 3): the people a 上级 sends to one meeting. The rules here are
//! pure: where the 会议方案 stands and what may follow from it, whether the meeting's 整改
//! is over (after which its 督导组 no longer sees it), the texts a member writes, and the
//! documents made from the meeting's data (会前准备情况报告, 督导组点评意见, the 点评 part of
//! the 会议记录).

use super::DomainError;
use super::cycle::document;
use super::ledger::ItemStatus;
use super::material::{Material, Part, PartKind};
use serde::{Deserialize, Serialize};

super::coded_enum! {
    /// Where the 会议方案 stands (`meeting.plan_state`; none: never submitted).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PlanState {
        /// 待审批: handed to the 督导组.
        Submitted => ("submitted", "待督导组审批"),
        /// 已批准.
        Approved => ("approved", "已批准"),
        /// 已退回: the secretary revises and submits again.
        Returned => ("returned", "已退回"),
    }
}

/// The longest 退回理由 or 点评 accepted.
pub const REMARK_MAX: usize = 5000;

/// Whether the members may start and hand in their materials: always, unless the meeting's
/// template asks for the 上级's approval of the plan and it is not approved yet.
pub fn collection_open(approval_required: bool, plan: Option<PlanState>) -> bool {
    !approval_required || plan == Some(PlanState::Approved)
}

/// The refusal a member reads when collection waits for the plan's approval; `doing` names
/// what they tried ("开始撰写材料").
pub fn collection_closed_message(doing: &str) -> String {
    format!("会议方案尚未经上级批准，暂不能{doing}。请待督导组批准会议方案后再试")
}

/// Whether the secretary may submit the plan now: never submitted, or returned.
pub fn plan_submittable(plan: Option<PlanState>) -> bool {
    matches!(plan, None | Some(PlanState::Returned))
}

/// Whether a meeting's 整改 is over: it has ledger items and none is still open (each is
/// 已销号 or confirmed 长期坚持). A meeting with no items yet is not over: its 督导组 still
/// follows it.
pub fn rectification_closed(statuses: &[ItemStatus]) -> bool {
    !statuses.is_empty() && statuses.iter().all(|status| !status.is_open())
}

/// The reason the 督导组 gives when returning the plan: required, bounded.
pub fn return_reason(raw: &str) -> Result<String, DomainError> {
    bounded_text(raw, "退回理由")
}

/// The text of a 点评: required, bounded.
pub fn remark_text(raw: &str) -> Result<String, DomainError> {
    bounded_text(raw, "点评意见")
}

fn bounded_text(raw: &str, field: &str) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::Empty {
            field: field.into(),
        });
    }
    if text.chars().count() > REMARK_MAX {
        return Err(DomainError::TooLong {
            field: field.into(),
            max: REMARK_MAX,
        });
    }
    Ok(text.to_string())
}

/// One 点评 as the documents print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remark {
    pub author: String,
    /// "2026年1月15日".
    pub on: String,
    pub text: String,
}

fn remark_paragraphs(remarks: &[Remark]) -> Vec<String> {
    remarks
        .iter()
        .flat_map(|remark| {
            std::iter::once(format!("督导组成员{}（{}）：", remark.author, remark.on)).chain(
                remark
                    .text
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_string),
            )
        })
        .collect()
}

/// The 会议记录 with the 督导组's 点评 added after the speakers, where the meeting has any.
pub fn minutes_with_remarks(mut minutes: Material, remarks: &[Remark]) -> Material {
    if !remarks.is_empty() {
        minutes.parts.push(Part {
            kind: PartKind::Other,
            heading: "督导组点评".into(),
            paragraphs: remark_paragraphs(remarks),
            items: Vec::new(),
        });
    }
    minutes
}

/// The 督导组点评意见 document of the 报送 package.
pub fn remarks_document(title: &str, remarks: &[Remark]) -> Material {
    document(
        format!("{title}督导组点评意见"),
        Vec::new(),
        vec![("点评意见".into(), remark_paragraphs(remarks))],
    )
}

/// What the 会前准备情况报告 is counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparationFacts {
    pub title: String,
    pub branch: String,
    pub theme: String,
    /// "2026年1月15日", or a placeholder when the meeting has no dates.
    pub plan_on: String,
    pub materials_due: String,
    pub meeting_on: String,
    pub plan: Option<PlanState>,
    pub participants: usize,
    /// 征求意见: people who answered and answers given (of a closed survey only).
    pub survey_respondents: usize,
    pub survey_opinions: usize,
    /// Opinions addressed to a person, passed on to them.
    pub opinions_passed_on: usize,
    pub talks: usize,
    /// Materials started, handed in (at least once) and approved.
    pub materials_started: usize,
    pub materials_handed_in: usize,
    pub materials_approved: usize,
}

/// The 会前准备情况报告, laid out as a material so it exports in the official format.
pub fn preparation_document(facts: &PreparationFacts) -> Material {
    let plan = match facts.plan {
        Some(state) => format!("会议方案{}。", state.label()),
        None => "会议方案尚未报督导组审批。".to_string(),
    };
    document(
        format!("{}会前准备情况报告", facts.title),
        vec![format!("{}：", facts.branch)],
        vec![
            (
                "一、会议安排".into(),
                vec![
                    if facts.theme.is_empty() {
                        "会议主题：【请填写】。".to_string()
                    } else {
                        format!("会议主题：{}。", facts.theme)
                    },
                    format!(
                        "方案制定：{}；材料提交截止：{}；会议召开：{}。",
                        facts.plan_on, facts.materials_due, facts.meeting_on
                    ),
                    plan,
                ],
            ),
            (
                "二、征求意见情况".into(),
                vec![if facts.survey_respondents > 0 {
                    format!(
                        "会前开展征求意见，共{}人参与，收集意见{}条，向本人反馈意见{}条。",
                        facts.survey_respondents, facts.survey_opinions, facts.opinions_passed_on
                    )
                } else {
                    format!(
                        "征求意见尚未结束或未收到意见，已向本人反馈意见{}条。",
                        facts.opinions_passed_on
                    )
                }],
            ),
            (
                "三、谈心谈话情况".into(),
                vec![format!("已开展谈心谈话{}人次。", facts.talks)],
            ),
            (
                "四、对照检查材料准备情况".into(),
                vec![format!(
                    "应参会{}人，已开始撰写{}份，已提交{}份，审核通过{}份。",
                    facts.participants,
                    facts.materials_started,
                    facts.materials_handed_in,
                    facts.materials_approved
                )],
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_waits_for_approval_only_where_the_template_asks_for_it() {
        assert!(collection_open(false, None));
        assert!(!collection_open(true, None));
        assert!(!collection_open(true, Some(PlanState::Submitted)));
        assert!(!collection_open(true, Some(PlanState::Returned)));
        assert!(collection_open(true, Some(PlanState::Approved)));
    }

    #[test]
    fn a_plan_is_submitted_again_only_after_a_return() {
        assert!(plan_submittable(None));
        assert!(plan_submittable(Some(PlanState::Returned)));
        assert!(!plan_submittable(Some(PlanState::Submitted)));
        assert!(!plan_submittable(Some(PlanState::Approved)));
    }

    #[test]
    fn rectification_is_closed_once_every_item_is_closed_or_ongoing_and_not_before_any() {
        assert!(!rectification_closed(&[]));
        assert!(!rectification_closed(&[
            ItemStatus::Closed,
            ItemStatus::InProgress
        ]));
        assert!(rectification_closed(&[
            ItemStatus::Closed,
            ItemStatus::Ongoing
        ]));
    }

    #[test]
    fn returning_the_plan_needs_a_reason() {
        assert!(return_reason("  ").is_err());
        assert_eq!(return_reason(" 议程缺少通报 ").unwrap(), "议程缺少通报");
        assert!(remark_text(&"字".repeat(REMARK_MAX + 1)).is_err());
    }

    #[test]
    fn remarks_follow_the_speakers_in_the_minutes() {
        let minutes = document("记录".into(), Vec::new(), vec![("张明".into(), vec![])]);
        let remark = Remark {
            author: "周明".into(),
            on: "2026年1月15日".into(),
            text: "查摆问题较为深刻。\n\n整改措施要再具体。".into(),
        };
        let with = minutes_with_remarks(minutes.clone(), std::slice::from_ref(&remark));
        assert_eq!(with.parts.last().unwrap().heading, "督导组点评");
        assert_eq!(
            with.parts.last().unwrap().paragraphs,
            vec![
                "督导组成员周明（2026年1月15日）：",
                "查摆问题较为深刻。",
                "整改措施要再具体。"
            ]
        );
        assert_eq!(minutes_with_remarks(minutes.clone(), &[]), minutes);
    }
}
