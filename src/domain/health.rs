//! 材料体检: the deterministic checks of docs/DOMAIN.md §3.6. Each finding names its rule, how serious
//! it is, where it is (so the editor can jump there) and what to do, in Chinese. Errors
//! block submission; warnings only advise.
//!
//! Long because every rule of the 材料体检 lives in one list people read as a whole; over a
//! third is tests.

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
    AspectUncovered,
    ShortcomingAsPraise,
    OthersNotSelf,
    Hedging,
    StaleYear,
    WrongTerm,
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

/// Shortcomings that are really praise; secretaries send these back.
const PRAISE_AS_SHORTCOMING: &[&str] = &[
    "工作太投入",
    "工作过于投入",
    "要求过高",
    "要求太高",
    "要求过严",
    "标准过高",
    "忙于工作",
    "过于较真",
    "太较真",
    "追求完美",
    "对自己太苛刻",
];

/// Someone else's or the unit's problems, out of place in an individual material.
const OTHERS_NOT_SELF: &[&str] = &[
    "我们单位",
    "部分同志",
    "有的同志",
    "有的党员",
    "部分党员",
    "少数同志",
    "个别同志",
    "一些同志",
];

/// Words that soften a problem until it says nothing.
const HEDGES: &[&str] = &[
    "有时",
    "偶尔",
    "个别",
    "一定程度上",
    "某种程度上",
    "有些时候",
];
/// More hedges than this per 1,000 字 of 问题查摆 draws a warning.
const HEDGES_PER_THOUSAND: usize = 5;
/// ... and never fewer than this many.
const HEDGES_MIN: usize = 3;

/// Work-pressure reasons: objective, not a 思想根源.
const OBJECTIVE_CAUSES: &[&str] = &[
    "任务重",
    "任务繁重",
    "人手少",
    "人手不足",
    "时间紧",
    "工作忙",
    "工作繁忙",
    "事务性工作多",
    "精力有限",
    "客观",
];

/// Campaigns with the year they ran; a name two or more years older than the material is
/// usually left over from a copied text.
const CAMPAIGNS: &[(&str, u32)] = &[
    ("主题教育", 2023),
    ("党纪学习教育", 2024),
    ("中央八项规定精神学习教育", 2025),
];

/// 提法 that must be written exactly: common wrong forms and the canonical one.
const CANONICAL_TERMS: &[(&str, &str)] = &[
    ("以习近平为核心的党中央", "以习近平同志为核心的党中央"),
    ("以习近平总书记为核心的党中央", "以习近平同志为核心的党中央"),
    ("两个树立", "“两个确立”"),
    ("二个确立", "“两个确立”"),
    ("两个确力", "“两个确立”"),
    ("二个维护", "“两个维护”"),
    ("两个拥护", "“两个维护”"),
    ("两个唯护", "“两个维护”"),
    ("四个意志", "“四个意识”"),
    ("4个意识", "“四个意识”"),
    ("四个自性", "“四个自信”"),
    ("4个自信", "“四个自信”"),
];

/// Official names that happen to contain stock words (全面, 深入 …): never 套话.
const OFFICIAL_NAMES: &[&str] = &[
    "全面从严治党",
    "全面深化改革",
    "全面依法治国",
    "全面建成小康社会",
    "全面建设社会主义现代化国家",
    "两学一做学习教育",
    "党纪学习教育",
    "中央八项规定精神学习教育",
];

/// A quotation is cut to this many characters around what was found.
const QUOTE_MAX: usize = 36;

/// One piece of the material's text and where it sits.
struct Passage<'a> {
    kind: Option<PartKind>,
    spot: Spot,
    text: &'a str,
}

/// Every piece of text in reading order, each with its spot.
fn passages(material: &Material) -> Vec<Passage<'_>> {
    let mut out: Vec<Passage<'_>> = material
        .preamble
        .iter()
        .map(|text| Passage {
            kind: None,
            spot: Spot::Material,
            text,
        })
        .collect();
    for part in &material.parts {
        for text in &part.paragraphs {
            out.push(Passage {
                kind: Some(part.kind),
                spot: Spot::Part(part.kind),
                text,
            });
        }
        for item in &part.items {
            let pieces = [
                Some(&item.heading),
                Some(&item.text),
                item.example.as_ref(),
                item.cause.as_ref(),
                item.standard.as_ref(),
            ];
            for text in pieces.into_iter().flatten() {
                out.push(Passage {
                    kind: Some(part.kind),
                    spot: Spot::Item(item.id.clone()),
                    text,
                });
            }
        }
    }
    if let Some(text) = &material.closing {
        out.push(Passage {
            kind: None,
            spot: Spot::Material,
            text,
        });
    }
    out
}

const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；', '\n', '!', '?', ';'];

/// The sentence around byte offset `at`, quoted short enough for a message.
fn sentence_at(text: &str, at: usize) -> String {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| SENTENCE_ENDS.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(SENTENCE_ENDS)
        .map_or(text.len(), |i| at + i);
    let sentence: Vec<char> = text[start..end].trim().chars().collect();
    if sentence.len() <= QUOTE_MAX {
        return sentence.into_iter().collect();
    }
    let hit = text[start..at].trim_start().chars().count();
    let from = hit.saturating_sub(10).min(sentence.len() - QUOTE_MAX);
    let mut quote = String::new();
    if from > 0 {
        quote.push('…');
    }
    quote.extend(&sentence[from..from + QUOTE_MAX]);
    if from + QUOTE_MAX < sentence.len() {
        quote.push('…');
    }
    quote
}

/// The first of `phrases` in `text` (earliest position) and where it is.
fn first_of<'p>(text: &str, phrases: &[&'p str]) -> Option<(usize, &'p str)> {
    phrases
        .iter()
        .filter_map(|phrase| text.find(phrase).map(|at| (at, *phrase)))
        .min_by_key(|(at, _)| *at)
}

/// Whether byte offset `at` lies inside a 《book title》 (a quoted document name).
fn inside_book_title(text: &str, at: usize) -> bool {
    let before = &text[..at];
    before
        .rfind('《')
        .is_some_and(|open| !before[open..].contains('》'))
}

/// Every "NNNN年度" in a text: the year and where it starts.
fn years_of(text: &str) -> Vec<(u32, usize)> {
    text.match_indices("年度")
        .filter_map(|(at, _)| {
            let start = at.checked_sub(4)?;
            let digits = text.get(start..at)?;
            let before_is_digit = text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
            if before_is_digit || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.parse().ok().map(|year| (year, start))
        })
        .collect()
}

/// The material's 年度, from its title or else its template's name (never the clock).
fn material_year(material: &Material, template: &Template) -> Option<u32> {
    years_of(&material.title)
        .first()
        .or(years_of(&template.name).first())
        .map(|(year, _)| *year)
}

/// Chinese ordinals for "第三个方面".
fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    DIGITS
        .get(n.wrapping_sub(1))
        .map_or(n.to_string(), |d| (*d).to_string())
}

/// Whether a text names a subjective root (a 思想根源 dimension, or 主观 itself).
fn names_thought_root(text: &str, template: &Template) -> bool {
    text.contains("主观")
        || template
            .thought_dimensions
            .iter()
            .any(|dimension| text.contains(dimension.as_str()))
}

/// Whether a material is one person's (a 班子's 对照检查材料 speaks for the unit).
fn is_individual(material: &Material) -> bool {
    !material.title.contains("班子")
}

/// The rules that read sentences (docs/DOMAIN.md §3.6, issue 25): what secretaries send back.
fn sentence_rules(material: &Material, template: &Template, findings: &mut Vec<Finding>) {
    let mut add = |rule, spot, message: String| {
        findings.push(Finding {
            rule,
            severity: Severity::Warning,
            spot,
            message,
        })
    };
    let all = passages(material);
    let in_problems = || {
        all.iter()
            .filter(|p| p.kind == Some(PartKind::Problems) && matches!(p.spot, Spot::Item(_)))
    };

    // Every aspect of the template has at least one problem.
    let problems: Vec<&Item> = material.items(PartKind::Problems).collect();
    if !problems.is_empty() {
        let paragraphs: String = material
            .parts
            .iter()
            .filter(|part| part.kind == PartKind::Problems)
            .flat_map(|part| part.paragraphs.iter().map(String::as_str))
            .collect();
        for (index, aspect) in template.aspects.iter().enumerate() {
            let key = aspect
                .trim()
                .trim_end_matches("方面")
                .trim_start_matches('在');
            let names = |text: &str| !key.is_empty() && text.contains(key);
            let covered = paragraphs.contains(key)
                || problems.iter().any(|p| {
                    p.category.as_deref().is_some_and(names) || names(&p.heading) || names(&p.text)
                });
            if !covered {
                add(
                    Rule::AspectUncovered,
                    Spot::Part(PartKind::Problems),
                    format!(
                        "第{}个方面“{aspect}”还没有查摆问题：每个方面至少查摆一个问题",
                        ordinal(index + 1)
                    ),
                );
            }
        }
    }

    // Praise dressed as a shortcoming, and other people's problems: once per item.
    let mut praised: Vec<&Spot> = Vec::new();
    let mut others: Vec<&Spot> = Vec::new();
    for passage in in_problems() {
        if !praised.contains(&&passage.spot)
            && let Some((at, phrase)) = first_of(passage.text, PRAISE_AS_SHORTCOMING)
        {
            praised.push(&passage.spot);
            add(
                Rule::ShortcomingAsPraise,
                passage.spot.clone(),
                format!(
                    "“{}”把优点写成了缺点（“{phrase}”），容易被退回：请查摆真实的不足",
                    sentence_at(passage.text, at)
                ),
            );
        }
        if is_individual(material)
            && !others.contains(&&passage.spot)
            && let Some((at, phrase)) = first_of(passage.text, OTHERS_NOT_SELF)
        {
            others.push(&passage.spot);
            add(
                Rule::OthersNotSelf,
                passage.spot.clone(),
                format!(
                    "“{}”写的是别人或单位的问题（“{phrase}”）：个人材料要查摆自己的问题",
                    sentence_at(passage.text, at)
                ),
            );
        }
    }

    // Hedging density across the problems.
    let problem_chars: usize = in_problems().map(|p| char_count(p.text)).sum();
    let hedges: usize = in_problems()
        .map(|p| {
            HEDGES
                .iter()
                .map(|h| p.text.matches(h).count())
                .sum::<usize>()
        })
        .sum();
    if hedges >= HEDGES_MIN && hedges * 1000 > HEDGES_PER_THOUSAND * problem_chars.max(1) {
        let first = in_problems().find_map(|p| first_of(p.text, HEDGES).map(|hit| (p, hit)));
        if let Some((passage, (at, _))) = first {
            add(
                Rule::Hedging,
                passage.spot.clone(),
                format!(
                    "问题查摆里“有时”“偶尔”“个别”“一定程度上”这类模糊词偏多（共 {hedges} 次），如“{}”：写明是哪件事、哪一次",
                    sentence_at(passage.text, at)
                ),
            );
        }
    }

    // Causes written inside a problem that only blame the workload.
    for problem in &problems {
        let Some(cause) = problem.cause.as_deref() else {
            continue;
        };
        if names_thought_root(cause, template) {
            continue;
        }
        if let Some((at, phrase)) = first_of(cause, OBJECTIVE_CAUSES) {
            add(
                Rule::CausesOnlyObjective,
                Spot::Item(problem.id.clone()),
                format!(
                    "问题“{}”的原因“{}”只讲了客观原因（“{phrase}”）：要从主观上剖析思想根源",
                    label(problem),
                    sentence_at(cause, at)
                ),
            );
        }
    }

    // Last year's 年度 or an old campaign left in a copied text. The carry-over part
    // reports on last year by design.
    if let Some(year) = material_year(material, template) {
        let current = all.iter().filter(|p| p.kind != Some(PartKind::Carryover));
        for passage in current {
            if let Some((old, at)) = years_of(passage.text).into_iter().find(|(y, _)| *y < year) {
                add(
                    Rule::StaleYear,
                    passage.spot.clone(),
                    format!(
                        "“{}”里的“{old}年度”像是旧材料留下的，本材料是{year}年度：请核对",
                        sentence_at(passage.text, at)
                    ),
                );
            }
            let stale = CAMPAIGNS
                .iter()
                .filter(|(_, ran)| ran + 2 <= year)
                .find_map(|(name, ran)| passage.text.find(name).map(|at| (at, *name, *ran)));
            if let Some((at, name, ran)) = stale {
                add(
                    Rule::StaleYear,
                    passage.spot.clone(),
                    format!(
                        "“{}”提到“{name}”（{ran}年），像是旧材料留下的，本材料是{year}年度：请核对",
                        sentence_at(passage.text, at)
                    ),
                );
            }
        }
    }

    // 提法 written wrongly (a quoted document title keeps its own wording).
    for passage in &all {
        for (wrong, right) in CANONICAL_TERMS {
            let found = passage
                .text
                .match_indices(wrong)
                .map(|(at, _)| at)
                .find(|at| !inside_book_title(passage.text, *at));
            if let Some(at) = found {
                add(
                    Rule::WrongTerm,
                    passage.spot.clone(),
                    format!(
                        "提法有误：“{}”中的“{wrong}”应为“{right}”",
                        sentence_at(passage.text, at)
                    ),
                );
            }
        }
    }
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
    let cause_text = part_text(material, PartKind::Causes);
    if char_count(&cause_text) > 0 && !names_thought_root(&cause_text, template) {
        let quoted = first_of(&cause_text, OBJECTIVE_CAUSES)
            .map(|(at, _)| format!("（如“{}”）", sentence_at(&cause_text, at)))
            .unwrap_or_default();
        add(
            Rule::CausesOnlyObjective,
            Severity::Warning,
            Spot::Part(PartKind::Causes),
            format!(
                "原因剖析没有触及思想根源{quoted}：至少从理想信念、党性修养、宗旨意识、纪律规矩等一个方面剖析，不能只讲工作忙、任务重"
            ),
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
        let plain = OFFICIAL_NAMES
            .iter()
            .fold(text.clone(), |plain, name| plain.replace(name, "□"));
        let mut counts: Vec<(usize, &str)> = template
            .stock_phrases
            .iter()
            .map(|phrase| (plain.matches(phrase.as_str()).count(), phrase.as_str()))
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
    sentence_rules(material, template, &mut findings);
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

    /// The default template narrowed to the one 查摆 aspect `good()` covers.
    fn template() -> Template {
        let mut template = Template::branch_meeting_default();
        template.aspects = vec!["理论学习方面".into()];
        template
    }

    /// `good()` with a sentence added to its first problem's 表现.
    fn with_problem_sentence(sentence: &str) -> Material {
        let mut m = good();
        m.parts[0].items[0].text.push_str(sentence);
        m
    }

    fn messages(findings: &[Finding], rule: Rule) -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.message.as_str())
            .collect()
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
        let findings = check(&good(), &template());
        assert_eq!(findings, vec![], "{findings:#?}");
    }

    #[test]
    fn an_empty_required_part_blocks_submission() {
        let mut m = good();
        m.parts.retain(|p| p.kind != PartKind::Causes);
        let findings = check(&m, &template());
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
        let findings = check(&m, &template());
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
        let findings = check(&causes_inside_problems(), &template());
        assert_eq!(findings, vec![], "{findings:#?}");
    }

    #[test]
    fn an_empty_cause_part_is_no_error_when_the_problems_carry_their_causes() {
        let mut m = causes_inside_problems();
        m.parts.push(part(PartKind::Causes, vec![]));
        let findings = check(&m, &template());
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
        let findings = check(&m, &template());
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
        let mut template = template();
        template.deadline_required = false;
        let findings = check(&m, &template);
        assert!(!blocks_submission(&findings));
        assert_eq!(rules(&findings), vec![Rule::MeasureWithoutDeadline]);
    }

    #[test]
    fn a_template_stored_without_the_deadline_setting_still_requires_deadlines() {
        let mut json = serde_json::to_value(template()).unwrap();
        json.as_object_mut().unwrap().remove("deadline_required");
        let template: Template = serde_json::from_value(json).unwrap();
        assert!(template.deadline_required);
    }

    #[test]
    fn a_problem_without_example_or_measure_only_warns() {
        let mut m = good();
        m.parts[0].items[0].example = None;
        m.parts[2].items[0].links.clear();
        let findings = check(&m, &template());
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
        let findings = check(&m, &template());
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
        let findings = check(&m, &template());
        assert_eq!(rules(&findings), vec![Rule::CausesOnlyObjective]);
    }

    #[test]
    fn an_unlinked_cause_is_flagged() {
        let mut m = good();
        m.parts[1].items.push(item("c2", "党性修养方面"));
        let findings = check(&m, &template());
        assert!(rules(&findings).contains(&Rule::CauseWithoutProblem));
    }

    #[test]
    fn a_measure_without_standard_is_flagged() {
        let mut m = good();
        m.parts[2].items[0].standard = Some("  ".into());
        assert_eq!(
            rules(&check(&m, &template())),
            vec![Rule::MeasureWithoutStandard]
        );
    }

    #[test]
    fn part_lengths_outside_the_template_range_warn_both_ways() {
        let mut template = template();
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
        let findings = check(&m, &template());
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
        let mut template = template();
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

    #[test]
    fn an_aspect_without_any_problem_is_named() {
        let findings = check(&good(), &Template::branch_meeting_default());
        let missing = messages(&findings, Rule::AspectUncovered);
        assert_eq!(missing.len(), 5, "{missing:#?}");
        assert!(missing[0].starts_with("第一个方面“政治信仰方面”还没有查摆问题"));
        assert!(missing.iter().all(|m| !m.contains("理论学习方面")));
        assert!(!blocks_submission(&findings));
    }

    #[test]
    fn a_problem_filed_under_an_aspect_covers_it() {
        let mut m = good();
        let mut second = m.parts[0].items[0].clone();
        second.id = ItemId("p2".into());
        second.heading = "宗旨意识不强".into();
        second.category = Some("政治信仰方面".into());
        m.parts[0].items.push(second);
        let mut template = template();
        template.aspects.insert(0, "政治信仰方面".into());
        let findings = check(&m, &template);
        assert_eq!(
            messages(&findings, Rule::AspectUncovered),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn a_shortcoming_written_as_praise_is_quoted() {
        let m = with_problem_sentence("有时忙于工作忽视了家人。");
        let findings = check(&m, &template());
        assert_eq!(
            messages(&findings, Rule::ShortcomingAsPraise),
            vec![
                "“有时忙于工作忽视了家人”把优点写成了缺点（“忙于工作”），容易被退回：请查摆真实的不足"
            ]
        );
        assert_eq!(findings[0].spot, Spot::Item(ItemId("p1".into())));
    }

    #[test]
    fn a_real_shortcoming_is_not_taken_for_praise() {
        let m = with_problem_sentence("对分管工作的要求落实不到位。");
        assert_eq!(rules(&check(&m, &template())), vec![]);
    }

    #[test]
    fn other_peoples_problems_in_an_individual_material_are_quoted() {
        let m = with_problem_sentence("部分同志学习不够主动。");
        let findings = check(&m, &template());
        assert_eq!(
            messages(&findings, Rule::OthersNotSelf),
            vec![
                "“部分同志学习不够主动”写的是别人或单位的问题（“部分同志”）：个人材料要查摆自己的问题"
            ]
        );
    }

    #[test]
    fn a_leading_groups_material_may_speak_of_its_members() {
        let mut m = with_problem_sentence("部分同志学习不够主动。");
        m.title = "领导班子2024年度民主生活会对照检查材料".into();
        assert_eq!(rules(&check(&m, &template())), vec![]);
    }

    #[test]
    fn dense_hedging_in_the_problems_is_flagged_with_a_sentence() {
        let m = with_problem_sentence(
            "有时学习不深。偶尔迟到。个别时候敷衍。一定程度上存在应付。"
                .repeat(4)
                .as_str(),
        );
        let findings = check(&m, &template());
        let hedging = messages(&findings, Rule::Hedging);
        assert_eq!(hedging.len(), 1);
        assert!(hedging[0].contains("共 16 次"), "{}", hedging[0]);
        assert!(hedging[0].contains("如“有时学习不深”"), "{}", hedging[0]);
    }

    #[test]
    fn a_single_hedge_is_not_hedging() {
        let m = with_problem_sentence("有时学习不深。");
        assert_eq!(rules(&check(&m, &template())), vec![]);
    }

    #[test]
    fn a_cause_inside_a_problem_that_only_blames_workload_is_flagged() {
        let mut m = causes_inside_problems();
        m.parts[0].items[0].cause = Some("究其原因，是任务重、人手少。".into());
        let findings = check(&m, &template());
        assert_eq!(
            messages(&findings, Rule::CausesOnlyObjective),
            vec![
                "问题“理论学习方面，学用结合不够紧密”的原因“究其原因，是任务重、人手少”只讲了客观原因（“任务重”）：要从主观上剖析思想根源"
            ]
        );
    }

    #[test]
    fn a_cause_naming_a_subjective_root_besides_workload_is_fine() {
        let mut m = causes_inside_problems();
        m.parts[0].items[0].cause = Some("虽有任务重的客观因素，但主观上重视不够。".into());
        assert_eq!(rules(&check(&m, &template())), vec![]);
    }

    #[test]
    fn last_years_year_and_an_old_campaign_are_flagged_in_a_copied_text() {
        let mut m = good();
        m.title = "张明同志2025年度组织生活会发言材料".into();
        m.preamble = vec!["按照2024年度组织生活会安排。巩固拓展主题教育成果。".into()];
        let findings = check(&m, &template());
        assert_eq!(
            messages(&findings, Rule::StaleYear),
            vec![
                "“按照2024年度组织生活会安排”里的“2024年度”像是旧材料留下的，本材料是2025年度：请核对",
                "“巩固拓展主题教育成果”提到“主题教育”（2023年），像是旧材料留下的，本材料是2025年度：请核对",
            ]
        );
    }

    #[test]
    fn this_years_year_and_last_years_carryover_report_are_not_stale() {
        let mut m = good();
        m.title = "张明同志2025年度组织生活会发言材料".into();
        m.preamble = vec!["按照2025年度组织生活会安排，巩固拓展党纪学习教育成果。".into()];
        let mut carryover = part(PartKind::Carryover, vec![]);
        carryover.paragraphs = vec!["2024年度组织生活会查摆的问题已整改完成。".into()];
        m.parts.insert(0, carryover);
        let findings = check(&m, &template());
        assert_eq!(messages(&findings, Rule::StaleYear), Vec::<&str>::new());
    }

    #[test]
    fn the_year_comes_from_the_template_when_the_title_has_none() {
        let mut m = good();
        m.preamble = vec!["按照2023年度安排。".into()];
        let findings = check(&m, &template());
        assert!(messages(&findings, Rule::StaleYear)[0].contains("本材料是2024年度"));
    }

    #[test]
    fn a_wrongly_written_canonical_term_is_corrected() {
        let mut m = good();
        m.preamble = vec!["坚决拥护以习近平为核心的党中央，增强四个自性。".into()];
        let findings = check(&m, &template());
        assert_eq!(
            messages(&findings, Rule::WrongTerm),
            vec![
                "提法有误：“坚决拥护以习近平为核心的党中央，增强四个自性”中的“以习近平为核心的党中央”应为“以习近平同志为核心的党中央”",
                "提法有误：“坚决拥护以习近平为核心的党中央，增强四个自性”中的“四个自性”应为““四个自信””",
            ]
        );
    }

    #[test]
    fn canonical_terms_written_right_or_quoted_from_a_title_are_not_flagged() {
        let mut m = good();
        m.preamble = vec![
            "深刻领悟“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”，紧密团结在以习近平同志为核心的党中央周围。学习《以习近平为核心的党中央的若干文献》。".into(),
        ];
        assert_eq!(rules(&check(&m, &template())), vec![]);
    }

    #[test]
    fn official_names_are_neither_stock_phrases_nor_wrong_terms() {
        let mut m = good();
        m.preamble = vec!["落实全面从严治党要求，推进两学一做学习教育常态化制度化。".repeat(10)];
        assert_eq!(rules(&check(&m, &template())), vec![]);
    }
}
