//! The 会议情况报告 sent to the 上级 after the meeting, filled from the facts the app holds.

use super::*;

/// What the 会议情况报告 is built from: everything counted, nothing of anyone's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFacts {
    pub branch: String,
    /// 支部 or 班子: the report's words for the group.
    pub group: crate::domain::org::GroupKind,
    pub title: String,
    pub kind_label: String,
    pub theme: String,
    /// "2026年1月15日".
    pub meeting_on: String,
    pub survey_respondents: usize,
    /// Answers received (boxes filled), counted only.
    pub survey_opinions: usize,
    pub talks: usize,
    pub written_criticisms: usize,
    /// Opinions addressed to a person (curated 征求意见 and written 批评意见) that the
    /// secretary passed on to them, and those not passed on yet.
    pub opinions_passed_on: usize,
    pub opinions_pending: usize,
    pub quorum: Quorum,
    pub spoken: usize,
    pub written_speeches: usize,
    /// Criticisms raised at the meeting, as the minutes count them (non-empty lines).
    pub raised_criticisms: usize,
    pub problems: usize,
    /// (category, count), in the template's order.
    pub problems_by_category: Vec<(String, usize)>,
    pub measures: usize,
    /// Whether the 整改清单 was published to the branch.
    pub ledger_published: bool,
    /// (grade label, total marks) when a 民主测评 was held and may be shown.
    pub ballot: Option<Vec<(String, usize)>>,
    pub ballot_voters: usize,
}

/// How the meeting is named in running text: its title, followed by the kind of meeting in
/// brackets only when the title does not say it already ("2025年度组织生活会", never
/// "2025年度组织生活会（组织生活会）").
pub fn meeting_name(title: &str, kind_label: &str) -> String {
    let title = title.trim();
    if kind_label.is_empty() || title.contains(kind_label) {
        title.to_string()
    } else if title.is_empty() {
        kind_label.to_string()
    } else {
        format!("{title}（{kind_label}）")
    }
}

/// Clauses joined into one sentence, or nothing when every clause was left out.
fn sentence_of(clauses: &[Option<String>], separator: &str) -> Option<String> {
    let kept: Vec<&str> = clauses.iter().flatten().map(String::as_str).collect();
    (!kept.is_empty()).then(|| format!("{}。", kept.join(separator)))
}

/// Whether the opinions reached the people they are about: "逐一反馈" only when every one
/// did; otherwise how many did and how many wait. Nothing when there were none.
fn feedback_sentence(passed_on: usize, pending: usize) -> Option<String> {
    match (passed_on, pending) {
        (0, 0) => None,
        (_, 0) => Some("以上意见已逐一反馈本人。".to_string()),
        (0, _) => Some(format!("以上意见尚未反馈本人（共{pending}条）。")),
        (_, _) => Some(format!(
            "已向本人反馈意见{passed_on}条，尚有{pending}条未反馈。"
        )),
    }
}

/// The 会议情况报告 skeleton, pre-filled with the facts, with bracketed places for what only
/// the secretary can write. Laid out as a material so it exports in the official format.
/// A count of zero leaves its sentence out ("0名同志……" says nothing a reader needs).
pub fn report_document(facts: &ReportFacts) -> Material {
    let counted = |n: usize, text: String| (n > 0).then_some(text);
    let mut sections = Vec::new();
    sections.push((
        "会议基本情况".to_string(),
        vec![
            format!(
                "{}于{}召开{}。{}。",
                facts.branch,
                facts.meeting_on,
                meeting_name(&facts.title, &facts.kind_label),
                facts.quorum.summary()
            ),
            if facts.theme.is_empty() {
                "会议主题：【请填写】。".to_string()
            } else {
                format!("会议主题：{}。", facts.theme)
            },
        ],
    ));
    let preparation = sentence_of(
        &[
            counted(
                facts.survey_respondents,
                format!(
                    "会前开展征求意见，共{}人参与，收集意见{}条",
                    facts.survey_respondents, facts.survey_opinions
                ),
            ),
            counted(facts.talks, format!("开展谈心谈话{}人次", facts.talks)),
            counted(
                facts.written_criticisms,
                format!("党员之间书面提出批评意见{}条", facts.written_criticisms),
            ),
        ],
        "；",
    )
    .map(|sentence| {
        // The first clause carries "会前" whichever it is.
        if sentence.starts_with("会前") {
            sentence
        } else {
            format!("会前{sentence}")
        }
    });
    let feedback = feedback_sentence(facts.opinions_passed_on, facts.opinions_pending);
    let mut prepared: Vec<String> = match (preparation, feedback) {
        (None, None) => Vec::new(),
        (first, second) => vec![first.into_iter().chain(second).collect()],
    };
    prepared.push("【请补充学习研讨、会议方案报批等情况】".to_string());
    sections.push(("会前准备情况".to_string(), prepared));

    let by_category = facts
        .problems_by_category
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(category, n)| format!("{category}{n}个"))
        .collect::<Vec<_>>()
        .join("，");
    let speeches = sentence_of(
        &[
            counted(
                facts.spoken,
                format!(
                    "{}名同志{}进行对照检查发言",
                    facts.spoken,
                    if facts.spoken > 1 { "逐一" } else { "" }
                ),
            ),
            counted(
                facts.written_speeches,
                format!("{}名同志因故缺席作书面发言", facts.written_speeches),
            ),
        ],
        "，",
    );
    let raised = counted(
        facts.raised_criticisms,
        format!("会上提出批评意见{}条。", facts.raised_criticisms),
    );
    let mut criticism = Vec::new();
    match (speeches, raised) {
        (None, None) => criticism.push("【请填写对照检查发言情况】".to_string()),
        (first, second) => criticism.push(first.into_iter().chain(second).collect()),
    }
    if facts.problems > 0 {
        criticism.push(if by_category.is_empty() {
            format!("共查摆问题{}个。", facts.problems)
        } else {
            format!("共查摆问题{}个，其中{}。", facts.problems, by_category)
        });
    }
    criticism.push("【请概述批评意见的主要内容和被批评同志的表态】".to_string());
    sections.push(("批评和自我批评情况".to_string(), criticism));

    sections.push((
        "整改措施".to_string(),
        vec![
            if facts.measures > 0 {
                format!(
                    "针对查摆出的问题，共制定整改措施{}条，已形成整改清单{}，明确责任人和整改时限。",
                    facts.measures,
                    if facts.ledger_published {
                        format!("并在{}内公布", facts.group.words().group)
                    } else {
                        format!("【尚未在{}内公布】", facts.group.words().group)
                    }
                )
            } else {
                "【请填写整改措施制定情况】".to_string()
            },
            "【请补充整改工作安排】".to_string(),
        ],
    ));
    if let Some(tallies) = &facts.ballot {
        let counts = tallies
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(grade, n)| format!("{grade}{n}票"))
            .collect::<Vec<_>>()
            .join("，");
        sections.push((
            "民主评议党员情况".to_string(),
            vec![format!(
                "会上以无记名投票方式开展民主测评，共{}人参加测评，合计{}。",
                facts.ballot_voters, counts
            )],
        ));
    }
    document(
        format!("{}关于召开{}情况的报告", facts.branch, facts.title),
        Vec::new(),
        sections,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> ReportFacts {
        ReportFacts {
            branch: "第一党支部".into(),
            group: crate::domain::org::GroupKind::Branch,
            title: "2025年度组织生活会".into(),
            kind_label: "组织生活会".into(),
            theme: String::new(),
            meeting_on: "2026年1月15日".into(),
            survey_respondents: 5,
            survey_opinions: 12,
            talks: 6,
            written_criticisms: 4,
            opinions_passed_on: 8,
            opinions_pending: 0,
            quorum: Quorum::of(MeetingKind::BranchMeeting, 3, 3),
            spoken: 2,
            written_speeches: 1,
            raised_criticisms: 7,
            problems: 9,
            problems_by_category: vec![("理论学习".into(), 4), ("工作作风".into(), 0)],
            measures: 9,
            ledger_published: true,
            ballot: Some(vec![
                ("优秀".into(), 3),
                ("合格".into(), 6),
                ("不合格".into(), 0),
            ]),
            ballot_voters: 3,
        }
    }

    fn report_text(facts: &ReportFacts) -> String {
        report_document(facts)
            .parts
            .iter()
            .flat_map(|part| std::iter::once(part.heading.clone()).chain(part.paragraphs.clone()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_report_skeleton_is_filled_with_counts_and_marks_the_rest() {
        let facts = facts();
        let report = report_document(&facts);
        assert_eq!(
            report.title,
            "第一党支部关于召开2025年度组织生活会情况的报告"
        );
        let text = report_text(&facts);
        assert!(
            text.contains("第一党支部于2026年1月15日召开2025年度组织生活会。应到3人，实到3人。")
        );
        assert!(text.contains(
            "会前开展征求意见，共5人参与，收集意见12条；开展谈心谈话6人次；党员之间书面提出批评意见4条。"
        ));
        assert!(text.contains(
            "2名同志逐一进行对照检查发言，1名同志因故缺席作书面发言。会上提出批评意见7条。"
        ));
        assert!(text.contains("共查摆问题9个，其中理论学习4个。"));
        assert!(text.contains("共制定整改措施9条"));
        assert!(text.contains("合计优秀3票，合格6票。"));
        assert!(text.contains("会议主题：【请填写】"));
        assert!(text.contains("已形成整改清单并在支部内公布"));
    }

    #[test]
    fn numbers_in_the_report_sit_in_the_text_without_spaces() {
        let text = report_text(&facts());
        for (index, c) in text.char_indices() {
            if c == ' ' {
                panic!("a space at {index} in {text}");
            }
        }
    }

    #[test]
    fn the_meeting_is_named_once_when_its_title_says_what_kind_it_is() {
        assert_eq!(
            meeting_name("2025年度组织生活会", "组织生活会"),
            "2025年度组织生活会"
        );
        assert_eq!(
            meeting_name("主题教育专题组织生活会", "专题组织生活会"),
            "主题教育专题组织生活会"
        );
        assert_eq!(
            meeting_name("2025年度班子会议", "民主生活会"),
            "2025年度班子会议（民主生活会）"
        );
        assert!(!report_text(&facts()).contains("组织生活会（组织生活会）"));
    }

    /// Whether a count of zero is written anywhere ("0名", "共0条" …).
    fn counts_zero(text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        chars.windows(2).enumerate().any(|(index, pair)| {
            pair[0] == '0'
                && "名人条个票".contains(pair[1])
                && (index == 0 || !chars[index - 1].is_ascii_digit())
        })
    }

    #[test]
    fn a_leadership_groups_report_speaks_of_the_group_not_a_branch() {
        let published = |group| {
            report_text(&ReportFacts {
                group,
                measures: 4,
                ledger_published: true,
                ..facts()
            })
        };
        let text = published(crate::domain::org::GroupKind::Leadership);
        assert!(text.contains("并在班子内公布"), "{text}");
        assert!(!text.contains("支部内"), "{text}");
        let text = published(crate::domain::org::GroupKind::Branch);
        assert!(text.contains("并在支部内公布"), "{text}");
    }

    #[test]
    fn a_count_of_zero_leaves_its_sentence_out() {
        let facts = ReportFacts {
            group: crate::domain::org::GroupKind::Leadership,
            survey_respondents: 0,
            survey_opinions: 0,
            talks: 3,
            written_criticisms: 0,
            opinions_passed_on: 0,
            opinions_pending: 0,
            spoken: 3,
            written_speeches: 0,
            raised_criticisms: 0,
            problems: 0,
            problems_by_category: Vec::new(),
            measures: 0,
            ..facts()
        };
        let text = report_text(&facts);
        assert!(!counts_zero(&text), "{text}");
        assert!(text.contains("会前开展谈心谈话3人次。"), "{text}");
        assert!(text.contains("3名同志逐一进行对照检查发言。"), "{text}");
        assert!(
            !text.contains("征求意见") && !text.contains("反馈"),
            "{text}"
        );
        assert!(
            !text.contains("因故缺席") && !text.contains("会上提出"),
            "{text}"
        );
        assert!(text.contains("【请填写整改措施制定情况】"), "{text}");

        let nothing = ReportFacts {
            talks: 0,
            spoken: 0,
            ..facts
        };
        let text = report_text(&nothing);
        assert!(!counts_zero(&text), "{text}");
        assert!(text.contains("【请填写对照检查发言情况】"), "{text}");
        assert!(!text.contains("会前开展"), "{text}");
    }

    #[test]
    fn opinions_are_fed_back_one_by_one_only_when_every_one_was_passed_on() {
        let all = report_text(&facts());
        assert!(all.contains("以上意见已逐一反馈本人。"), "{all}");
        let some = report_text(&ReportFacts {
            opinions_passed_on: 5,
            opinions_pending: 3,
            ..facts()
        });
        assert!(!some.contains("逐一反馈"), "{some}");
        assert!(
            some.contains("已向本人反馈意见5条，尚有3条未反馈。"),
            "{some}"
        );
        let none = report_text(&ReportFacts {
            opinions_passed_on: 0,
            opinions_pending: 4,
            ..facts()
        });
        assert!(!none.contains("逐一反馈"), "{none}");
        assert!(none.contains("以上意见尚未反馈本人（共4条）。"), "{none}");
    }
}
