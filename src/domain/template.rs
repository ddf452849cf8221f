//! A meeting's template: which parts a material has, in which order, with guidance,
//! target lengths, the 查摆 aspects and the word lists the health check uses. Templates are
//! data; the defaults here are what ships when a secretary picks nothing else.

use super::material::PartKind;
use serde::{Deserialize, Serialize};

/// One part as the template wants it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePart {
    pub kind: PartKind,
    pub heading: String,
    pub required: bool,
    pub guidance: String,
    pub example: String,
    /// Target length in 字 (whitespace excluded); outside it the health check warns.
    pub min_chars: Option<usize>,
    pub max_chars: Option<usize>,
}

/// A wrong or outdated 提法 and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermFix {
    pub wrong: String,
    pub right: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    pub parts: Vec<TemplatePart>,
    /// The 查摆 aspects with the exact heading text they must carry.
    pub aspects: Vec<String>,
    /// A problem's 表现 plus 事例 should reach this many 字.
    pub min_problem_chars: usize,
    /// Cause dimensions that count as 思想根源 (subjective roots, not work pressure).
    pub thought_dimensions: Vec<String>,
    pub stock_phrases: Vec<String>,
    /// More stock phrases than this per 1,000 字 draws a warning.
    pub stock_phrases_per_thousand: usize,
    pub term_fixes: Vec<TermFix>,
    /// Whether a measure without 时限 blocks submission (otherwise the check only warns).
    /// Templates stored before the setting existed keep the old, strict behaviour.
    #[serde(default = "strict")]
    pub deadline_required: bool,
    /// Whether the document lists 责任人 / 时限 / 完成标准 in an appended 整改清单 table, as
    /// materials are handed in, instead of reading them aloud inside each measure. Templates
    /// stored before the setting existed get the table too.
    #[serde(default = "with_table")]
    pub rectification_table: bool,
    /// The meeting's agenda from its pack (会议议程), in order: the 通报 items are written
    /// out for the minutes and the 报送 package (`domain::cycle::agenda`). Empty for
    /// templates stored before agendas, and for those without one: the usual two apply.
    #[serde(default)]
    pub agenda_reports: Vec<String>,
    /// Whether a 整改方案 item is closed (销号) by an administrator of a node above the
    /// meeting's group rather than by its secretary (`server::access::may_close_plan_item`).
    /// Set by the pack; templates stored before it close as before.
    #[serde(default)]
    pub closure_by_superior: bool,
    /// Whether the 上级 vets the meeting (issue 28): its 督导组 approves the 会议方案 before
    /// members may start their materials, and reviews each round after the secretary. Set by
    /// the leadership (民主生活会) packs; templates stored before it existed do not ask.
    #[serde(default)]
    pub plan_approval_required: bool,
}

fn with_table() -> bool {
    true
}

fn strict() -> bool {
    true
}

impl Template {
    /// How its materials are laid out as a document.
    pub fn layout(&self) -> super::document::Layout {
        super::document::Layout {
            rectification_table: self.rectification_table,
        }
    }

    /// The template's wording for a kind of part, if it has one.
    pub fn part(&self, kind: PartKind) -> Option<&TemplatePart> {
        self.parts.iter().find(|p| p.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pack::{builtin_template, builtin_templates};

    #[test]
    fn the_packs_reproduce_the_templates_that_were_written_in_rust() {
        // Stored meetings and tests refer to these keys; their content must not drift.
        for (key, template) in legacy::builtin_templates() {
            assert_eq!(builtin_template(key).as_ref(), Some(&template), "{key}");
        }
    }

    #[test]
    fn built_in_templates_have_distinct_names_and_their_own_aspects() {
        let templates = builtin_templates();
        assert!(templates.len() >= 3);
        for (key, template) in &templates {
            assert_eq!(builtin_template(key).as_ref(), Some(template));
            assert!(!template.aspects.is_empty(), "{key}");
        }
        let mut names: Vec<&str> = templates.iter().map(|(_, t)| t.name.as_str()).collect();
        names.dedup();
        assert_eq!(names.len(), templates.len());
        assert_eq!(
            builtin_template("leadership-2024").unwrap().aspects.len(),
            4
        );
        assert_eq!(builtin_template("nothing"), None);
    }

    #[test]
    fn the_default_template_requires_problems_causes_and_measures_in_order() {
        let template = Template::branch_meeting_default();
        let required: Vec<PartKind> = template
            .parts
            .iter()
            .filter(|p| p.required)
            .map(|p| p.kind)
            .collect();
        assert_eq!(
            required,
            vec![PartKind::Problems, PartKind::Causes, PartKind::Measures]
        );
        assert_eq!(template.aspects.len(), 6);
        assert!(template.parts.iter().all(|p| !p.guidance.is_empty()));
    }

    /// The templates as they were written in Rust before they became packs.
    mod legacy {
        use super::super::*;

        fn part(
            kind: PartKind,
            heading: &str,
            required: bool,
            guidance: &str,
            example: &str,
            range: (usize, usize),
        ) -> TemplatePart {
            TemplatePart {
                kind,
                heading: heading.into(),
                required,
                guidance: guidance.into(),
                example: example.into(),
                min_chars: Some(range.0),
                max_chars: Some(range.1),
            }
        }

        fn strings(items: &[&str]) -> Vec<String> {
            items.iter().map(|s| (*s).to_string()).collect()
        }

        pub(super) struct Legacy;

        impl Legacy {
            /// The 组织生活会 template for ordinary members, with the 2024年度 six aspects
            /// (DOMAIN.md §3.5) and the practice lengths of §3.1.
            pub fn branch_meeting_default() -> Template {
                Template {
                    name: "组织生活会（党员个人，2024年度六个方面）".into(),
                    parts: vec![
                        part(
                            PartKind::Carryover,
                            "上次整改措施落实情况",
                            false,
                            "逐条说明上次查摆问题的整改情况：已完成的写做了什么，未完成的写原因和下一步打算。",
                            "上次组织生活会查摆的3个问题中，已完成整改2个，长期坚持1个。",
                            (100, 600),
                        ),
                        part(
                            PartKind::Duty,
                            "对岗位职责的认识",
                            false,
                            "结合本职岗位，写清自己的职责和本次主题对岗位的要求，不写成绩。",
                            "作为办公室科员，我的主要职责是……",
                            (150, 800),
                        ),
                        part(
                            PartKind::Problems,
                            "存在的问题",
                            true,
                            "对照六个方面逐条查摆，每个问题写清具体表现，并举出时间、事情、数字具体的事例（比如……），见人见事见思想。",
                            "在理论学习方面，学用结合不够紧密。比如，今年3月起草调研报告时，……",
                            (800, 3500),
                        ),
                        part(
                            PartKind::Causes,
                            "问题产生的原因",
                            true,
                            "从理想信念、党性修养、宗旨意识、纪律规矩等主观方面剖析思想根源，不能只讲工作忙、任务重。",
                            "一是理论武装不够深入。……",
                            (300, 1500),
                        ),
                        part(
                            PartKind::Measures,
                            "整改措施",
                            true,
                            "针对每个问题写出具体措施（做什么、做多少），写明时限（日期或长期坚持）和完成标准。",
                            "每月精读原著不少于2篇，撰写学习笔记，2026年6月底前完成。",
                            (300, 1500),
                        ),
                        part(
                            PartKind::Suggestions,
                            "意见建议",
                            false,
                            "对支部工作的意见建议，可不写。",
                            "建议支部每季度组织一次集中研讨。",
                            (0, 500),
                        ),
                    ],
                    aspects: strings(&[
                        "政治信仰方面",
                        "党员意识方面",
                        "理论学习方面",
                        "能力本领方面",
                        "作用发挥方面",
                        "纪律作风方面",
                    ]),
                    min_problem_chars: 80,
                    thought_dimensions: strings(&[
                        "理想信念",
                        "理论武装",
                        "党性",
                        "宗旨",
                        "群众观点",
                        "纪律",
                        "规矩",
                        "廉洁",
                        "担当",
                        "政绩观",
                        "世界观",
                        "思想",
                    ]),
                    stock_phrases: strings(&[
                        "进一步",
                        "不断",
                        "切实",
                        "认真",
                        "扎实",
                        "深入",
                        "持续",
                        "全面",
                        "积极",
                        "努力",
                        "着力",
                        "有效",
                    ]),
                    stock_phrases_per_thousand: 12,
                    // 两学一做学习教育 is an official name, not a wrong 提法; fixes are the
                    // secretary's to add.
                    term_fixes: vec![],
                    deadline_required: true,
                    rectification_table: true,
                    agenda_reports: Vec::new(),
                    closure_by_superior: false,
                    plan_approval_required: false,
                }
            }

            /// The member's template worded for a 班子成员: their duties are a leader's, and
            /// their suggestions go to the 班子, not to a 支部.
            fn for_leaders(mut template: Template) -> Template {
                for part in &mut template.parts {
                    match part.kind {
                        PartKind::Duty => {
                            part.example = "作为分管……工作的班子成员，我的主要职责是……".into();
                        }
                        PartKind::Suggestions => {
                            part.guidance = "对班子和班子成员的意见建议，可不写。".into();
                            part.example = "建议班子每季度专题研究一次作风建设。".into();
                        }
                        _ => {}
                    }
                }
                template
            }

            /// The same parts and word lists with other 查摆 aspects, for another meeting or year.
            fn with_aspects(
                mut template: Template,
                name: &str,
                aspects: &[&str],
                problems_guidance: &str,
            ) -> Template {
                template.name = name.into();
                template.aspects = strings(aspects);
                if let Some(problems) = template
                    .parts
                    .iter_mut()
                    .find(|p| p.kind == PartKind::Problems)
                {
                    problems.guidance = problems_guidance.into();
                }
                template
            }
        }

        /// The templates that ship with the app, by key: the aspects of DOMAIN.md §3.5 as data. A
        /// secretary picks one when setting up a meeting (or copies the last meeting's).
        pub fn builtin_templates() -> Vec<(&'static str, Template)> {
            let branch = Legacy::branch_meeting_default();
            let mut templates = vec![
                ("branch-2024", branch.clone()),
                (
                    "themed-2023",
                    Legacy::with_aspects(
                        branch.clone(),
                        "专题组织生活会（主题教育，六个方面）",
                        &[
                            "理论学习方面",
                            "政治素质方面",
                            "能力本领方面",
                            "担当作为方面",
                            "工作作风方面",
                            "廉洁自律方面",
                        ],
                        "对照理论学习、政治素质、能力本领、担当作为、工作作风、廉洁自律六个方面逐条查摆，每个问题写清具体表现，并举出具体事例，见人见事见思想。",
                    ),
                ),
                (
                    "leadership-2024",
                    Legacy::with_aspects(
                        Legacy::for_leaders(branch.clone()),
                        "民主生活会（2024年度，四个带头）",
                        &[
                            "带头严守政治纪律和政治规矩、维护党的团结统一方面",
                            "带头增强党性、严守纪律、砥砺作风方面",
                            "带头在遵规守纪、清正廉洁前提下勇于担责、敢于创新方面",
                            "带头履行全面从严治党政治责任方面",
                        ],
                        "对照四个方面逐条查摆，联系分管领域和个人思想、工作、作风实际，每个问题写清具体表现和事例。",
                    ),
                ),
            ];
            // A 民主生活会 waits for its 督导组's approval of the plan, as its packs do.
            for (key, template) in &mut templates {
                template.plan_approval_required = *key == "leadership-2024";
            }
            templates
        }
    }
}
