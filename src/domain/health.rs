//! 材料体检: the deterministic checks of DESIGN §2. Each finding names its rule, how serious
//! it is, where it is (so the editor can jump there) and what to do, in Chinese. Errors
//! block submission; warnings only advise.

use super::material::{Item, ItemId, Material, Part, PartKind, char_count};
use super::template::Template;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Advice; submission is allowed.
    Warning,
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Spot {
    Part(PartKind),
    Item(ItemId),
    Material,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    RequiredPartEmpty,
    ProblemWithoutExample,
    ProblemTooShort,
    ProblemWithoutCause,
    ProblemWithoutMeasure,
    CausesOnlyObjective,
    CauseWithoutProblem,
    MeasureWithoutDeadline,
    MeasureWithoutProblem,
    MeasureWithoutStandard,
    PartLength,
    StockPhrases,
    OutdatedTerm,
    OpinionUnanswered,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub spot: Spot,
    pub message: String,
}

/// Whether any finding blocks submission.
pub fn blocks_submission(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// A short quotation of an item for messages.
fn label(item: &Item) -> String {
    item.label(16)
}

/// Everything written in these parts, concatenated (for lengths and word counts).
fn parts_text<'a>(parts: impl Iterator<Item = &'a Part>) -> String {
    parts.map(Part::text).collect()
}

fn part_text(material: &Material, kind: PartKind) -> String {
    parts_text(material.parts.iter().filter(|part| part.kind == kind))
}

fn whole_text(material: &Material) -> String {
    material.preamble.concat() + &parts_text(material.parts.iter())
}

/// Whether a problem carries its own 原因 written inside it.
fn has_own_cause(problem: &Item) -> bool {
    problem.cause.as_deref().is_some_and(|c| char_count(c) > 0)
}

/// Runs every rule over a material, in reading order of the spots.
pub fn check(material: &Material, template: &Template) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut add = |rule, severity, spot, message: String| {
        findings.push(Finding {
            rule,
            severity,
            spot,
            message,
        })
    };

    // Practice writes 原因 either as a part of its own or inside each problem
    // ("究其原因，……"); either way meets the requirement.
    let causes_inside_problems = material.items(PartKind::Problems).any(has_own_cause);

    // Required parts and lengths, in template order.
    for wanted in &template.parts {
        let text = part_text(material, wanted.kind);
        let length = char_count(&text);
        let met_elsewhere = wanted.kind == PartKind::Causes && causes_inside_problems;
        if wanted.required && length == 0 && !met_elsewhere {
            add(
                Rule::RequiredPartEmpty,
                Severity::Error,
                Spot::Part(wanted.kind),
                format!("“{}”是必填部分，还没有内容", wanted.heading),
            );
            continue;
        }
        if length == 0 {
            continue;
        }
        if let Some(min) = wanted.min_chars.filter(|min| length < *min) {
            add(
                Rule::PartLength,
                Severity::Warning,
                Spot::Part(wanted.kind),
                format!("“{}”现有 {length} 字，建议不少于 {min} 字", wanted.heading),
            );
        }
        if let Some(max) = wanted.max_chars.filter(|max| length > *max) {
            add(
                Rule::PartLength,
                Severity::Warning,
                Spot::Part(wanted.kind),
                format!("“{}”现有 {length} 字，建议不超过 {max} 字", wanted.heading),
            );
        }
    }

    let links = material.links();
    let without_measure: Vec<&ItemId> = links.problems_without_measure().collect();
    let without_cause: Vec<&ItemId> = links.problems_without_cause().collect();
    for problem in material.items(PartKind::Problems) {
        let spot = || Spot::Item(problem.id.clone());
        let name = label(problem);
        let example = problem.example.as_deref().unwrap_or("");
        if char_count(example) == 0 {
            add(
                Rule::ProblemWithoutExample,
                Severity::Warning,
                spot(),
                format!("问题“{name}”缺少具体事例：写明时间、事情、数字（比如……）"),
            );
        }
        let length = char_count(&problem.text) + char_count(example);
        if length < template.min_problem_chars {
            add(
                Rule::ProblemTooShort,
                Severity::Warning,
                spot(),
                format!(
                    "问题“{name}”的表现和事例共 {length} 字，建议不少于 {} 字，写到见人见事见思想",
                    template.min_problem_chars
                ),
            );
        }
        if without_cause.contains(&&problem.id) && !has_own_cause(problem) {
            add(
                Rule::ProblemWithoutCause,
                Severity::Warning,
                spot(),
                format!("问题“{name}”还没有对应的原因剖析"),
            );
        }
        if without_measure.contains(&&problem.id) {
            add(
                Rule::ProblemWithoutMeasure,
                Severity::Warning,
                spot(),
                format!("问题“{name}”还没有对应的整改措施"),
            );
        }
    }

    let causes: Vec<&Item> = material.items(PartKind::Causes).collect();
    let is_thought_root = |cause: &&Item| {
        template.thought_dimensions.iter().any(|dimension| {
            cause.heading.contains(dimension.as_str()) || cause.text.contains(dimension.as_str())
        })
    };
    if !causes.is_empty() && !causes.iter().any(is_thought_root) {
        add(
            Rule::CausesOnlyObjective,
            Severity::Warning,
            Spot::Part(PartKind::Causes),
            "原因剖析没有触及思想根源：至少从理想信念、党性修养、宗旨意识、纪律规矩等一个方面剖析，不能只讲工作忙、任务重".into(),
        );
    }
    for cause in &causes {
        if links.causes_without_problem.contains(&cause.id) {
            add(
                Rule::CauseWithoutProblem,
                Severity::Warning,
                Spot::Item(cause.id.clone()),
                format!("原因“{}”没有关联任何问题", label(cause)),
            );
        }
    }

    for measure in material.items(PartKind::Measures) {
        let spot = || Spot::Item(measure.id.clone());
        let name = label(measure);
        if measure.deadline.is_none() {
            add(
                Rule::MeasureWithoutDeadline,
                if template.deadline_required {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                spot(),
                format!("整改措施“{name}”没有时限：请填写完成日期或“长期坚持”"),
            );
        }
        if links.measures_without_problem.contains(&measure.id) {
            add(
                Rule::MeasureWithoutProblem,
                Severity::Warning,
                spot(),
                format!("整改措施“{name}”没有关联任何问题"),
            );
        }
        if measure
            .standard
            .as_deref()
            .is_none_or(|s| char_count(s) == 0)
        {
            add(
                Rule::MeasureWithoutStandard,
                Severity::Warning,
                spot(),
                format!("整改措施“{name}”没有完成标准：写明怎样算完成，便于对账销号"),
            );
        }
    }

    let text = whole_text(material);
    let total = char_count(&text);
    if total > 0 {
        let mut counts: Vec<(usize, &str)> = template
            .stock_phrases
            .iter()
            .map(|phrase| (text.matches(phrase.as_str()).count(), phrase.as_str()))
            .filter(|(count, _)| *count > 0)
            .collect();
        let used: usize = counts.iter().map(|(count, _)| count).sum();
        // Compare as integers: used / total > limit / 1000.
        if used * 1000 > template.stock_phrases_per_thousand * total.max(1) {
            counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            let top: Vec<String> = counts
                .iter()
                .take(5)
                .map(|(count, phrase)| format!("“{phrase}”{count} 次"))
                .collect();
            add(
                Rule::StockPhrases,
                Severity::Warning,
                Spot::Material,
                format!("套话偏多（{}），建议换成具体做法和数字", top.join("、")),
            );
        }
    }
    for fix in &template.term_fixes {
        if text.contains(fix.wrong.as_str()) {
            add(
                Rule::OutdatedTerm,
                Severity::Warning,
                Spot::Material,
                format!("提法“{}”已不再使用，建议改为“{}”", fix.wrong, fix.right),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::Deadline;
    use crate::domain::material::tests::{item, linked, material, part};

    fn rules(findings: &[Finding]) -> Vec<Rule> {
        findings.iter().map(|f| f.rule).collect()
    }

    /// A material every rule is happy with.
    fn good() -> Material {
        let mut problem = item("p1", "理论学习方面，学用结合不够紧密");
        problem.text = "学习满足于读了、记了，联系实际思考不够，".repeat(3);
        problem.example = Some(
            "比如，今年3月起草调研报告时，只摘抄了原文，没有结合本单位的12项任务逐条对照。".into(),
        );
        let mut cause = linked(item("c1", "理想信念方面"), &["p1"]);
        cause.text = "对理论武装的重要性认识不足，".repeat(30);
        let mut measure = linked(item("m1", "读原著"), &["p1"]);
        measure.text = "每月精读原著2篇，撰写心得1篇，结合工作形成调研报告。".repeat(15);
        measure.deadline = Some(Deadline::Ongoing);
        measure.standard = Some("每季度在支部交流一次".into());
        let mut m = material(vec![
            part(PartKind::Problems, vec![problem]),
            part(PartKind::Causes, vec![cause]),
            part(PartKind::Measures, vec![measure]),
        ]);
        m.parts[0].items[0]
            .text
            .push_str(&"在工作中对照检视不够经常。".repeat(60));
        m
    }

    #[test]
    fn a_complete_material_has_no_findings() {
        let findings = check(&good(), &Template::branch_meeting_default());
        assert_eq!(findings, vec![], "{findings:#?}");
    }

    #[test]
    fn an_empty_required_part_blocks_submission() {
        let mut m = good();
        m.parts.retain(|p| p.kind != PartKind::Causes);
        let findings = check(&m, &Template::branch_meeting_default());
        assert!(blocks_submission(&findings));
        let empty = findings
            .iter()
            .find(|f| f.rule == Rule::RequiredPartEmpty)
            .unwrap();
        assert_eq!(empty.spot, Spot::Part(PartKind::Causes));
        assert_eq!(empty.message, "“问题产生的原因”是必填部分，还没有内容");
        assert!(rules(&findings).contains(&Rule::ProblemWithoutCause));
    }

    #[test]
    fn a_measure_without_deadline_fails_the_health_check() {
        let mut m = good();
        m.parts[2].items[0].deadline = None;
        let findings = check(&m, &Template::branch_meeting_default());
        assert!(blocks_submission(&findings));
        let finding = &findings[0];
        assert_eq!(finding.rule, Rule::MeasureWithoutDeadline);
        assert_eq!(finding.spot, Spot::Item(ItemId("m1".into())));
        assert!(finding.message.contains("“读原著”"));
    }

    /// `good()` with each problem's 原因 written inside it and no 原因 part.
    fn causes_inside_problems() -> Material {
        let mut m = good();
        m.parts.retain(|p| p.kind != PartKind::Causes);
        m.parts[0].items[0].cause =
            Some("究其原因，是理想信念不够坚定，理论学习的自觉性不强。".into());
        m
    }

    #[test]
    fn causes_written_inside_the_problems_meet_the_cause_requirement() {
        let findings = check(
            &causes_inside_problems(),
            &Template::branch_meeting_default(),
        );
        assert_eq!(findings, vec![], "{findings:#?}");
    }

    #[test]
    fn an_empty_cause_part_is_no_error_when_the_problems_carry_their_causes() {
        let mut m = causes_inside_problems();
        m.parts.push(part(PartKind::Causes, vec![]));
        let findings = check(&m, &Template::branch_meeting_default());
        assert!(!blocks_submission(&findings), "{findings:#?}");
    }

    #[test]
    fn a_problem_without_its_own_cause_among_ones_with_causes_only_warns() {
        let mut m = causes_inside_problems();
        let mut second = m.parts[0].items[0].clone();
        second.id = ItemId("p2".into());
        second.cause = None;
        m.parts[0].items.push(second);
        m.parts[1].items[0].links.push(ItemId("p2".into()));
        let findings = check(&m, &Template::branch_meeting_default());
        assert!(!blocks_submission(&findings));
        let missing: Vec<&Spot> = findings
            .iter()
            .filter(|f| f.rule == Rule::ProblemWithoutCause)
            .map(|f| &f.spot)
            .collect();
        assert_eq!(missing, vec![&Spot::Item(ItemId("p2".into()))]);
    }

    #[test]
    fn a_measure_without_deadline_only_warns_where_the_template_does_not_require_one() {
        let mut m = good();
        m.parts[2].items[0].deadline = None;
        let mut template = Template::branch_meeting_default();
        template.deadline_required = false;
        let findings = check(&m, &template);
        assert!(!blocks_submission(&findings));
        assert_eq!(rules(&findings), vec![Rule::MeasureWithoutDeadline]);
    }

    #[test]
    fn a_template_stored_without_the_deadline_setting_still_requires_deadlines() {
        let mut json = serde_json::to_value(Template::branch_meeting_default()).unwrap();
        json.as_object_mut().unwrap().remove("deadline_required");
        let template: Template = serde_json::from_value(json).unwrap();
        assert!(template.deadline_required);
    }

    #[test]
    fn a_problem_without_example_or_measure_only_warns() {
        let mut m = good();
        m.parts[0].items[0].example = None;
        m.parts[2].items[0].links.clear();
        let findings = check(&m, &Template::branch_meeting_default());
        assert!(!blocks_submission(&findings));
        assert_eq!(
            rules(&findings),
            vec![
                Rule::ProblemWithoutExample,
                Rule::ProblemWithoutMeasure,
                Rule::MeasureWithoutProblem
            ]
        );
    }

    #[test]
    fn a_short_problem_is_flagged_with_its_length() {
        let mut m = good();
        m.parts[0].items[0].text = "学习不够。".into();
        m.parts[0].items[0].example = Some("比如上个月。".into());
        let findings = check(&m, &Template::branch_meeting_default());
        let short = findings
            .iter()
            .find(|f| f.rule == Rule::ProblemTooShort)
            .unwrap();
        assert!(short.message.contains("共 11 字"), "{}", short.message);
    }

    #[test]
    fn causes_that_only_blame_workload_are_flagged() {
        let mut m = good();
        let cause = &mut m.parts[1].items[0];
        cause.heading = "客观方面".into();
        cause.text = "工作任务重，人手少，时间紧。".repeat(30);
        let findings = check(&m, &Template::branch_meeting_default());
        assert_eq!(rules(&findings), vec![Rule::CausesOnlyObjective]);
    }

    #[test]
    fn an_unlinked_cause_is_flagged() {
        let mut m = good();
        m.parts[1].items.push(item("c2", "党性修养方面"));
        let findings = check(&m, &Template::branch_meeting_default());
        assert!(rules(&findings).contains(&Rule::CauseWithoutProblem));
    }

    #[test]
    fn a_measure_without_standard_is_flagged() {
        let mut m = good();
        m.parts[2].items[0].standard = Some("  ".into());
        assert_eq!(
            rules(&check(&m, &Template::branch_meeting_default())),
            vec![Rule::MeasureWithoutStandard]
        );
    }

    #[test]
    fn part_lengths_outside_the_template_range_warn_both_ways() {
        let mut template = Template::branch_meeting_default();
        template.parts.iter_mut().for_each(|p| {
            if p.kind == PartKind::Measures {
                p.max_chars = Some(50);
            }
            if p.kind == PartKind::Causes {
                p.min_chars = Some(5000);
            }
        });
        let findings = check(&good(), &template);
        let messages: Vec<&str> = findings
            .iter()
            .filter(|f| f.rule == Rule::PartLength)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2);
        assert!(messages[0].contains("建议不少于 5000 字"));
        assert!(messages[1].contains("建议不超过 50 字"));
    }

    #[test]
    fn dense_stock_phrases_are_flagged_with_the_worst_ones() {
        let mut m = good();
        m.preamble = vec!["进一步切实不断加强，进一步认真落实，".repeat(20)];
        let findings = check(&m, &Template::branch_meeting_default());
        let stock = findings
            .iter()
            .find(|f| f.rule == Rule::StockPhrases)
            .unwrap();
        assert!(
            stock.message.starts_with("套话偏多（“进一步”40 次"),
            "{}",
            stock.message
        );
    }

    #[test]
    fn an_outdated_term_is_flagged_with_its_replacement() {
        let mut m = good();
        m.preamble = vec!["深入开展两学一做学习教育。".into()];
        let mut template = Template::branch_meeting_default();
        template.term_fixes = vec![crate::domain::template::TermFix {
            wrong: "两学一做学习教育".into(),
            right: "推进“两学一做”学习教育常态化制度化".into(),
        }];
        let findings = check(&m, &template);
        let term = findings
            .iter()
            .find(|f| f.rule == Rule::OutdatedTerm)
            .unwrap();
        assert!(term.message.contains("推进“两学一做”学习教育常态化制度化"));
    }
}
