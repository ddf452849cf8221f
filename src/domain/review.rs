//! Reviewing a submitted round: where a comment may be anchored (the whole text, a part, an
//! item), and what a decision needs. Pure.

use super::DomainError;
use super::material::Material;
use super::outline::chinese_number;
use serde::{Deserialize, Serialize};

/// A spot of a round's text a comment can point at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorChoice {
    /// "whole", "part:<index>" or "item:<id>".
    pub code: String,
    pub label: String,
}

pub const WHOLE: &str = "whole";

/// Every spot of `material` a comment can be anchored to, in reading order.
pub fn anchors(material: &Material) -> Vec<AnchorChoice> {
    let mut choices = vec![AnchorChoice {
        code: WHOLE.into(),
        label: "全文".into(),
    }];
    for (index, part) in material.parts.iter().enumerate() {
        choices.push(AnchorChoice {
            code: part_anchor(index),
            label: format!("{}、{}", chinese_number(index + 1), part.heading),
        });
        for (number, item) in part.items.iter().enumerate() {
            choices.push(AnchorChoice {
                code: item_anchor(&item.id.0),
                label: format!("（{}）{}", chinese_number(number + 1), item.label(20)),
            });
        }
    }
    choices
}

pub fn part_anchor(index: usize) -> String {
    format!("part:{index}")
}

pub fn item_anchor(id: &str) -> String {
    format!("item:{id}")
}

/// The label of an anchor in `material`, or `None` when the spot does not exist there.
pub fn anchor_label(material: &Material, code: &str) -> Option<String> {
    anchors(material)
        .into_iter()
        .find(|choice| choice.code == code)
        .map(|choice| choice.label)
}

super::coded_enum! {
    /// A secretary's decision on a round.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Decision {
        /// 退回修改: a reason is required.
        Returned => ("returned", "退回修改"),
        /// 审核通过.
        Approved => ("approved", "审核通过"),
    }
}

/// The decision a reviewer picked. There is no default: a form that names neither 退回修改
/// nor 审核通过 is refused, so nobody approves a material by pressing the button alone.
pub fn chosen_decision(raw: &str) -> Result<Decision, DomainError> {
    Decision::parse(raw.trim())
        .ok_or_else(|| DomainError::Invalid("请选择审核结论：退回修改或审核通过".into()))
}

/// Where a review round stands beside the latest submitted round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundAge {
    /// The latest round: what the author works on now.
    Current,
    /// The round before it.
    Previous,
    /// Any round before that.
    Older,
}

impl RoundAge {
    pub fn of(round: i64, latest: i64) -> Self {
        match latest - round {
            ..=0 => Self::Current,
            1 => Self::Previous,
            _ => Self::Older,
        }
    }
}

/// "第2轮（本轮）", "第1轮（上一轮）", "第1轮（更早）": a round as the reader of round
/// `latest` sees it.
pub fn round_label(round: i64, latest: i64) -> String {
    let age = match RoundAge::of(round, latest) {
        RoundAge::Current => "本轮",
        RoundAge::Previous => "上一轮",
        RoundAge::Older => "更早",
    };
    format!("第{round}轮（{age}）")
}

/// What the author of a returned material is told, wherever they are told it.
pub fn return_notice(meeting_title: &str, round: i64, reason: &str) -> String {
    format!("“{meeting_title}”的发言材料（第{round}轮提交）被退回修改：{reason}")
}

pub const REASON_MAX: usize = 2000;
pub const COMMENT_MAX: usize = 2000;

/// Checks a decision's reason: required (and kept as written) for a return, optional for
/// an approval.
pub fn decision_reason(decision: Decision, raw: &str) -> Result<String, DomainError> {
    let reason = raw.trim();
    if decision == Decision::Returned && reason.is_empty() {
        return Err(DomainError::Invalid("退回修改需要写明理由".into()));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(DomainError::TooLong {
            field: "理由".into(),
            max: REASON_MAX,
        });
    }
    Ok(reason.to_string())
}

/// Checks a comment's text (multi-line allowed).
pub fn comment_text(raw: &str) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::Empty {
            field: "批注".into(),
        });
    }
    if text.chars().count() > COMMENT_MAX {
        return Err(DomainError::TooLong {
            field: "批注".into(),
            max: COMMENT_MAX,
        });
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::parse_text;

    fn material() -> Material {
        parse_text(
            "发言材料\n一、存在的问题\n（一）学习不够深入。比如3月只学了1次。\n（二）调研不够。\n二、整改措施\n（一）加强学习。时限：长期坚持。",
        )
    }

    #[test]
    fn anchors_cover_the_whole_text_each_part_and_each_item() {
        let labels: Vec<String> = anchors(&material()).into_iter().map(|a| a.label).collect();
        assert_eq!(labels[0], "全文");
        assert_eq!(labels[1], "一、存在的问题");
        assert!(labels[2].starts_with("（一）学习不够深入"), "{labels:?}");
        assert!(labels[3].starts_with("（二）调研不够"), "{labels:?}");
        assert_eq!(labels[4], "二、整改措施");
        assert_eq!(labels.len(), 6);
        assert_eq!(
            anchor_label(&material(), "item:p2").as_deref(),
            Some(labels[3].as_str())
        );
        assert_eq!(anchor_label(&material(), "item:p9"), None);
        assert_eq!(anchor_label(&material(), "part:7"), None);
    }

    #[test]
    fn a_return_needs_a_reason_and_an_approval_does_not() {
        assert!(decision_reason(Decision::Returned, "  ").is_err());
        assert_eq!(
            decision_reason(Decision::Returned, " 事例不具体 ").unwrap(),
            "事例不具体"
        );
        assert_eq!(decision_reason(Decision::Approved, "").unwrap(), "");
        assert!(decision_reason(Decision::Approved, &"长".repeat(REASON_MAX + 1)).is_err());
        assert!(comment_text("\n").is_err());
        assert_eq!(
            comment_text(" 请补充事例\n时间要具体 ").unwrap(),
            "请补充事例\n时间要具体"
        );
        assert_eq!(Decision::parse("approved"), Some(Decision::Approved));
        assert_eq!(Decision::parse("x"), None);
    }

    #[test]
    fn a_decision_has_no_default_and_must_be_picked() {
        for missing in ["", "  ", "default", "on"] {
            let refused = chosen_decision(missing).unwrap_err().to_string();
            assert!(refused.contains("请选择审核结论"), "{refused}");
        }
        assert_eq!(chosen_decision("returned").unwrap(), Decision::Returned);
        assert_eq!(chosen_decision(" approved ").unwrap(), Decision::Approved);
    }

    #[test]
    fn comments_of_earlier_rounds_read_as_earlier_not_as_current() {
        assert_eq!(round_label(2, 2), "第2轮（本轮）");
        assert_eq!(round_label(1, 2), "第1轮（上一轮）");
        assert_eq!(round_label(1, 3), "第1轮（更早）");
        assert_eq!(RoundAge::of(3, 3), RoundAge::Current);
        assert_eq!(RoundAge::of(2, 3), RoundAge::Previous);
        assert_eq!(RoundAge::of(1, 3), RoundAge::Older);
    }

    #[test]
    fn a_return_notice_names_the_meeting_the_round_and_the_reason() {
        assert_eq!(
            return_notice("2025年度组织生活会", 2, "事例不具体"),
            "“2025年度组织生活会”的发言材料（第2轮提交）被退回修改：事例不具体"
        );
    }
}
