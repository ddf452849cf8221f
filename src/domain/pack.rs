//! Policy packs: a year's template as a TOML data file (docs/TEMPLATES.md). The packs that
//! ship live in `packs/` at the top of the repository and are embedded at build time; an
//! organisation's administrators may download one, edit it and upload it again. Parsing is
//! pure and reports every problem with the line it is on, so a bad file changes nothing and
//! its author knows where to look.
//!
//! Long because of its tests (about a third): each pack problem has its own.

use super::material::PartKind;
use super::meeting::MeetingKind;
use super::template::{Template, TemplatePart, TermFix};
// The secretary's form edits a meeting's copy of the template; a pack must fit in it.
use super::template_form::{HEADING_MAX, NAME_MAX, TEXT_MAX};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use toml::Spanned;

/// The packs that ship with the app, in the order the files are listed here. Adding a year
/// is adding a file to `packs/` and a line here; nothing else changes.
const SHIPPED: [&str; 7] = [
    include_str!("../../packs/2025-leadership-group.toml"),
    include_str!("../../packs/2025-leadership-member.toml"),
    include_str!("../../packs/2025-branch-member.toml"),
    include_str!("../../packs/2025-branch-committee.toml"),
    include_str!("../../packs/leadership-2024.toml"),
    include_str!("../../packs/branch-2024.toml"),
    include_str!("../../packs/themed-2023.toml"),
];

/// The largest pack file accepted; real ones are a few 千字.
pub const MAX_PACK_BYTES: usize = 128 * 1024;

super::coded_enum! {
    /// Which material a pack is for: the meeting and, where a meeting has two kinds of
    /// material, which one.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum MeetingType {
        /// 民主生活会 班子对照检查材料
        LeadershipGroup => ("leadership-group", "民主生活会 班子对照检查材料"),
        /// 民主生活会 个人发言提纲
        LeadershipMember => ("leadership-member", "民主生活会 个人发言提纲"),
        /// 组织生活会 党员个人
        BranchMember => ("branch-member", "组织生活会 党员个人"),
        /// 专题组织生活会
        Themed => ("themed", "专题组织生活会"),
        /// 组织生活会 支委会班子对照检查材料
        BranchCommittee => ("branch-committee", "组织生活会 支委会班子"),
    }
}

impl MeetingType {
    /// The pack type a new meeting of this kind starts from when the secretary picks none:
    /// each person writes their own material, so the individual one.
    pub fn for_meeting(kind: MeetingKind) -> Self {
        match kind {
            MeetingKind::BranchMeeting => Self::BranchMember,
            MeetingKind::LeadershipMeeting => Self::LeadershipMember,
            MeetingKind::Themed => Self::Themed,
        }
    }
}

/// One 查摆 aspect and where its wording comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackAspect {
    pub heading: String,
    /// The notice or report the wording was taken from (title and address).
    pub source: String,
}

/// A checked policy pack: what the year's round asks for, and the template a meeting
/// set up from it copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pack {
    /// Stable name, also the file name (`<key>.toml`) and the template choice's key.
    pub key: String,
    pub year: u16,
    pub meeting_type: MeetingType,
    /// The round's theme sentence, as the notice words it; empty where none is recorded.
    pub theme: String,
    pub aspects: Vec<PackAspect>,
    /// Reports the meeting's agenda must include (通报 items), in order.
    pub agenda_reports: Vec<String>,
    /// The meeting template: parts, aspects' headings, word lists, 时限 policy.
    pub template: Template,
}

/// One problem of a pack file, on its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行：{}", self.line, self.message)
    }
}

fn default_true() -> bool {
    true
}

fn default_min_problem_chars() -> usize {
    80
}

fn default_stock_per_thousand() -> usize {
    12
}

/// The file as written, with the places of the values a check may complain about.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    key: Spanned<String>,
    name: Spanned<String>,
    year: Spanned<i64>,
    meeting_type: Spanned<String>,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    agenda_reports: Vec<Spanned<String>>,
    #[serde(default = "default_true")]
    deadline_required: bool,
    #[serde(default = "default_true")]
    rectification_table: bool,
    /// 销号 of 整改方案 items by the 上级 (see `Template::closure_by_superior`).
    #[serde(default)]
    closure_by_superior: bool,
    #[serde(default = "default_min_problem_chars")]
    min_problem_chars: usize,
    #[serde(default = "default_stock_per_thousand")]
    stock_phrases_per_thousand: usize,
    #[serde(default)]
    thought_dimensions: Vec<String>,
    #[serde(default)]
    stock_phrases: Vec<String>,
    #[serde(default)]
    term_fixes: Vec<RawTermFix>,
    aspects: Spanned<Vec<RawAspect>>,
    parts: Spanned<Vec<RawPart>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAspect {
    heading: Spanned<String>,
    #[serde(default)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    kind: Spanned<String>,
    heading: Spanned<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    guidance: String,
    #[serde(default)]
    example: String,
    min_chars: Option<Spanned<usize>>,
    max_chars: Option<Spanned<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTermFix {
    wrong: Spanned<String>,
    right: String,
}

/// The 1-based line a byte offset of `text` falls on.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Collects problems with their lines while a pack is checked.
struct Problems<'a> {
    text: &'a str,
    found: Vec<PackError>,
}

impl Problems<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.found.push(PackError {
            line: line_of(self.text, span.start),
            message: message.into(),
        });
    }
}

/// The TOML reader's message in the words of a person editing the file; the reader's own
/// text follows in brackets so an unfamiliar case still says what it found.
fn toml_problem_in_words(message: &str) -> String {
    let message = message.trim();
    let words = [
        ("invalid basic string", "文字缺少结尾的引号"),
        ("invalid literal string", "文字缺少结尾的引号"),
        (
            "key with no value",
            "这一行缺少“=”和值（上一行的引号是否没有结束？）",
        ),
        ("must be quoted", "文字要写在英文引号里"),
        ("unclosed array table", "“[[”表头缺少结尾的“]]”"),
        ("unclosed table", "“[”表头缺少结尾的“]”"),
        ("duplicate key", "同一个键写了两次"),
        ("unclosed array", "列表缺少结尾的“]”"),
    ];
    match words.iter().find(|(english, _)| message.contains(english)) {
        Some((_, chinese)) => format!("{chinese}（{message}）"),
        None => message.to_string(),
    }
}

/// Reads a pack file. Every problem found is returned, each with its line; a file that is
/// not TOML at all reports the first place it breaks.
pub fn parse_pack(text: &str) -> Result<Pack, Vec<PackError>> {
    if text.len() > MAX_PACK_BYTES {
        return Err(vec![PackError {
            line: 1,
            message: format!("文件过大（不能超过 {} KB）", MAX_PACK_BYTES / 1024),
        }]);
    }
    let raw: RawPack = toml::from_str(text).map_err(|error| {
        vec![PackError {
            line: error.span().map_or(1, |span| line_of(text, span.start)),
            message: format!("格式有误：{}", toml_problem_in_words(error.message())),
        }]
    })?;
    let mut problems = Problems {
        text,
        found: Vec::new(),
    };

    let key = raw.key.get_ref().trim().to_string();
    if key.is_empty()
        || key.len() > 64
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problems.at(
            raw.key.span(),
            "key 只能由小写字母、数字和连字符组成（不超过 64 个），如 2025-branch-member",
        );
    }
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        problems.at(
            raw.name.span(),
            format!("name（模板名称）不能为空，也不能超过 {NAME_MAX} 个字"),
        );
    }
    let year = *raw.year.get_ref();
    if !(2000..=2100).contains(&year) {
        problems.at(raw.year.span(), "year（年度）应是 2000 到 2100 之间的年份");
    }
    let meeting_type = MeetingType::parse(raw.meeting_type.get_ref());
    if meeting_type.is_none() {
        let known: Vec<String> = MeetingType::ALL
            .iter()
            .map(|t| format!("{}（{}）", t.code(), t.label()))
            .collect();
        problems.at(
            raw.meeting_type.span(),
            format!("meeting_type 应是以下之一：{}", known.join("、")),
        );
    }

    let mut agenda_reports = Vec::new();
    for report in &raw.agenda_reports {
        let text = report.get_ref().trim();
        if text.is_empty() {
            problems.at(report.span(), "agenda_reports 中有空的议程");
        }
        agenda_reports.push(text.to_string());
    }

    if raw.aspects.get_ref().is_empty() {
        problems.at(raw.aspects.span(), "至少要有一个查摆方面（[[aspects]]）");
    }
    let mut aspects: Vec<PackAspect> = Vec::new();
    for aspect in raw.aspects.get_ref() {
        let heading = aspect.heading.get_ref().trim().to_string();
        if heading.is_empty() || heading.chars().count() > HEADING_MAX * 2 {
            problems.at(
                aspect.heading.span(),
                format!(
                    "查摆方面的 heading 不能为空，也不能超过 {} 个字",
                    HEADING_MAX * 2
                ),
            );
        } else if aspects.iter().any(|a| a.heading == heading) {
            problems.at(
                aspect.heading.span(),
                format!("查摆方面「{heading}」重复了"),
            );
        }
        aspects.push(PackAspect {
            heading,
            source: aspect.source.trim().to_string(),
        });
    }

    let mut parts: Vec<TemplatePart> = Vec::new();
    for part in raw.parts.get_ref() {
        let Some(kind) = PartKind::from_code(part.kind.get_ref().trim()) else {
            let known: Vec<&str> = PartKind::ALL.iter().map(|k| k.code()).collect();
            problems.at(
                part.kind.span(),
                format!("部分的 kind 应是以下之一：{}", known.join("、")),
            );
            continue;
        };
        if parts
            .iter()
            .any(|p| p.kind == kind && kind != PartKind::Other)
        {
            problems.at(
                part.kind.span(),
                format!("「{}」部分出现了两次", kind.label()),
            );
        }
        let heading = part.heading.get_ref().trim().to_string();
        if heading.is_empty() || heading.chars().count() > HEADING_MAX {
            problems.at(
                part.heading.span(),
                format!("部分的 heading（标题）不能为空，也不能超过 {HEADING_MAX} 个字"),
            );
        }
        for (label, text) in [("guidance", &part.guidance), ("example", &part.example)] {
            if text.trim().chars().count() > TEXT_MAX {
                problems.at(
                    part.kind.span(),
                    format!("「{heading}」的 {label} 不能超过 {TEXT_MAX} 个字"),
                );
            }
        }
        if let (Some(min), Some(max)) = (&part.min_chars, &part.max_chars)
            && min.get_ref() > max.get_ref()
        {
            problems.at(
                max.span(),
                format!(
                    "max_chars（{}）小于 min_chars（{}）",
                    max.get_ref(),
                    min.get_ref()
                ),
            );
        }
        parts.push(TemplatePart {
            kind,
            heading,
            required: part.required,
            guidance: part.guidance.trim().to_string(),
            example: part.example.trim().to_string(),
            min_chars: part.min_chars.as_ref().map(|n| *n.get_ref()),
            max_chars: part.max_chars.as_ref().map(|n| *n.get_ref()),
        });
    }
    if !parts.iter().any(|p| p.kind == PartKind::Problems) {
        problems.at(
            raw.parts.span(),
            "至少要有「存在的问题」部分（kind = \"problems\"）",
        );
    }

    let mut term_fixes = Vec::new();
    for fix in &raw.term_fixes {
        let wrong = fix.wrong.get_ref().trim().to_string();
        let right = fix.right.trim().to_string();
        if wrong.is_empty() || right.is_empty() {
            problems.at(fix.wrong.span(), "提法的 wrong 和 right 都不能为空");
        } else if wrong == right {
            problems.at(
                fix.wrong.span(),
                format!("提法「{wrong}」的错误写法和正确写法相同"),
            );
        }
        term_fixes.push(TermFix { wrong, right });
    }

    let (Some(meeting_type), true) = (meeting_type, problems.found.is_empty()) else {
        problems.found.sort_by_key(|p| p.line);
        return Err(problems.found);
    };
    let template = Template {
        name,
        parts,
        aspects: aspects.iter().map(|a| a.heading.clone()).collect(),
        min_problem_chars: raw.min_problem_chars,
        thought_dimensions: trimmed(raw.thought_dimensions),
        stock_phrases: trimmed(raw.stock_phrases),
        stock_phrases_per_thousand: raw.stock_phrases_per_thousand,
        term_fixes,
        deadline_required: raw.deadline_required,
        rectification_table: raw.rectification_table,
        agenda_reports: agenda_reports.clone(),
        closure_by_superior: raw.closure_by_superior,
        // A 民主生活会 is held under the 上级's eye: its 督导组 approves the plan first.
        plan_approval_required: matches!(
            meeting_type,
            MeetingType::LeadershipGroup | MeetingType::LeadershipMember
        ),
    };
    Ok(Pack {
        key,
        year: u16::try_from(year).unwrap_or_default(),
        meeting_type,
        theme: raw.theme.trim().to_string(),
        aspects,
        agenda_reports,
        template,
    })
}

fn trimmed(words: Vec<String>) -> Vec<String> {
    words
        .into_iter()
        .map(|w| w.trim().to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The packs that ship, each with its file text (for download); read once.
fn shipped() -> &'static [(Pack, &'static str)] {
    static PACKS: std::sync::OnceLock<Vec<(Pack, &'static str)>> = std::sync::OnceLock::new();
    PACKS.get_or_init(|| {
        SHIPPED
            .iter()
            .map(|text| {
                let pack = parse_pack(text).unwrap_or_else(|errors| {
                    // The tests parse every shipped pack; failing here is a build bug.
                    panic!("a shipped pack does not parse: {errors:?}")
                });
                (pack, *text)
            })
            .collect()
    })
}

/// The packs that ship with the app, in the order of `SHIPPED`.
pub fn shipped_packs() -> Vec<Pack> {
    shipped().iter().map(|(pack, _)| pack.clone()).collect()
}

/// The text of a shipped pack by its key, as it is in the repository (comments and all).
pub fn shipped_pack_text(key: &str) -> Option<&'static str> {
    shipped()
        .iter()
        .find(|(pack, _)| pack.key == key)
        .map(|(_, text)| *text)
}

/// The organisation's packs over the shipped ones: an uploaded pack replaces the shipped
/// pack of the same key and adds any new key. Newest year first, then as listed.
pub fn effective_packs(shipped: Vec<Pack>, uploaded: Vec<Pack>) -> Vec<Pack> {
    let mut packs: Vec<Pack> = shipped
        .into_iter()
        .filter(|pack| !uploaded.iter().any(|u| u.key == pack.key))
        .collect();
    packs.extend(uploaded);
    // Stable: within a year the order of the list is kept.
    packs.sort_by_key(|pack| std::cmp::Reverse(pack.year));
    packs
}

/// The pack a new meeting of this type starts from: the newest year's.
pub fn newest_pack(packs: &[Pack], meeting_type: MeetingType) -> Option<&Pack> {
    // Between two packs of the same year the one listed first wins, so the order of the
    // list (and of the files) decides, not chance.
    let mut newest: Option<&Pack> = None;
    for pack in packs
        .iter()
        .filter(|pack| pack.meeting_type == meeting_type)
    {
        if newest.is_none_or(|best| pack.year > best.year) {
            newest = Some(pack);
        }
    }
    newest
}

impl Template {
    /// The 组织生活会 template for ordinary members with the 2024年度 six aspects
    /// (packs/branch-2024.toml): the one seeds, stored meetings and tests were built on.
    /// A new meeting starts from the newest pack instead (`pack::newest_pack`).
    pub fn branch_meeting_default() -> Self {
        builtin_template("branch-2024").unwrap_or_else(|| {
            // The shipped packs are checked by the tests; a missing one is a build bug.
            panic!("the branch-2024 pack is not shipped")
        })
    }
}

/// The templates that ship with the app, by key: the policy packs of `packs/`, newest year
/// first. A secretary picks one when setting up a meeting (or copies the last meeting's).
pub fn builtin_templates() -> Vec<(String, Template)> {
    let mut packs = shipped_packs();
    packs.sort_by_key(|pack| std::cmp::Reverse(pack.year));
    packs
        .into_iter()
        .map(|pack| (pack.key, pack.template))
        .collect()
}

/// A built-in template by its key.
pub fn builtin_template(key: &str) -> Option<Template> {
    shipped_packs()
        .into_iter()
        .find(|pack| pack.key == key)
        .map(|pack| pack.template)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
key = "test-pack"
name = "测试模板"
year = 2026
meeting_type = "组织生活会 党员个人"

[[aspects]]
heading = "理论学习方面"
source = "测试"

[[parts]]
kind = "problems"
heading = "存在的问题"
required = true
"#;

    #[test]
    fn a_minimal_pack_parses_with_the_defaults_of_the_template() {
        let pack = parse_pack(MINIMAL).unwrap();
        assert_eq!(pack.key, "test-pack");
        assert_eq!(pack.year, 2026);
        assert_eq!(pack.meeting_type, MeetingType::BranchMember);
        assert_eq!(pack.template.aspects, vec!["理论学习方面".to_string()]);
        assert!(pack.template.deadline_required);
        assert_eq!(pack.template.min_problem_chars, 80);
        assert!(
            pack.template.rectification_table,
            "the table is on unless a pack turns it off"
        );
    }

    #[test]
    fn a_broken_toml_line_is_named_in_words() {
        let text = MINIMAL.replace("name = \"测试模板\"", "name = \"测试模板");
        let errors = parse_pack(&text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 3, "{errors:?}");
        assert!(errors[0].message.contains("缺少结尾的引号"), "{errors:?}");
        let errors = parse_pack(&format!("year = 2027\n{MINIMAL}")).unwrap_err();
        assert!(errors[0].message.contains("同一个键写了两次"), "{errors:?}");
    }

    #[test]
    fn a_pack_may_turn_the_rectification_table_off() {
        let pack =
            parse_pack(&MINIMAL.replace("year = 2026", "year = 2026\nrectification_table = false"))
                .unwrap();
        assert!(!pack.template.rectification_table);
    }

    #[test]
    fn every_problem_of_a_bad_pack_is_reported_on_its_line() {
        let bad = MINIMAL
            .replace("year = 2026", "year = 1900")
            .replace("组织生活会 党员个人", "年终总结会")
            .replace("kind = \"problems\"", "kind = \"problemz\"");
        let errors = parse_pack(&bad).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        // year on line 4, meeting_type on 5, the part's kind on 12 — and then no
        // problems part at all, reported where [[parts]] begins.
        assert!(lines.contains(&4), "{errors:?}");
        assert!(lines.contains(&5), "{errors:?}");
        assert!(lines.contains(&12), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.message.contains("存在的问题")),
            "{errors:?}"
        );
        assert!(
            errors[0].to_string().starts_with("第4行："),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_file_that_is_not_toml_names_the_line_it_breaks_on() {
        let broken = MINIMAL.replace("heading = \"理论学习方面\"", "heading = \"理论学习方面");
        let errors = parse_pack(&broken).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 8, "{errors:?}");
    }

    #[test]
    fn an_unknown_key_is_refused_so_a_typo_is_not_silently_ignored() {
        let typo = MINIMAL.replace("[[parts]]", "deadline_requird = false\n\n[[parts]]");
        let errors = parse_pack(&typo).unwrap_err();
        assert_eq!(errors[0].line, 11, "{errors:?}");
        assert!(errors[0].message.contains("deadline_requird"), "{errors:?}");
    }

    #[test]
    fn lengths_out_of_order_and_repeated_aspects_are_refused() {
        let bad = MINIMAL.replace(
            "required = true",
            "required = true\nmin_chars = 900\nmax_chars = 100",
        ) + "\n[[aspects]]\nheading = \"理论学习方面\"\n";
        let errors = parse_pack(&bad).unwrap_err();
        assert!(
            errors.iter().any(|e| e.message.contains("max_chars")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.message.contains("重复")),
            "{errors:?}"
        );
    }

    #[test]
    fn every_shipped_pack_parses_and_has_a_distinct_key_and_name() {
        let packs = shipped_packs();
        assert_eq!(packs.len(), SHIPPED.len());
        for (i, pack) in packs.iter().enumerate() {
            assert!(
                !packs[..i]
                    .iter()
                    .any(|p| p.key == pack.key || p.template.name == pack.template.name),
                "{} repeats",
                pack.key
            );
            assert!(!pack.aspects.is_empty(), "{}", pack.key);
        }
        for key in ["branch-2024", "leadership-2024", "themed-2023"] {
            assert!(packs.iter().any(|p| p.key == key), "{key} is gone");
        }
    }

    #[test]
    fn the_2025_packs_carry_the_theme_and_cite_a_source_for_every_aspect() {
        let packs: Vec<Pack> = shipped_packs()
            .into_iter()
            .filter(|p| p.year == 2025)
            .collect();
        assert!(packs.len() >= 3);
        for pack in &packs {
            assert!(
                pack.theme.contains("锲而不舍落实中央八项规定精神")
                    && pack.theme.contains("推进作风建设常态化长效化"),
                "{}: {}",
                pack.key,
                pack.theme
            );
            for aspect in &pack.aspects {
                assert!(
                    aspect.source.contains("http"),
                    "{}: {} has no source",
                    pack.key,
                    aspect.heading
                );
            }
        }
        let leadership = packs
            .iter()
            .find(|p| p.meeting_type == MeetingType::LeadershipMember)
            .unwrap();
        assert_eq!(leadership.aspects.len(), 5);
        assert!(
            leadership.aspects[0]
                .heading
                .contains("强化政治忠诚、提高政治能力")
        );
        assert!(
            leadership
                .agenda_reports
                .iter()
                .any(|r| r.contains("中央八项规定精神学习教育整改整治"))
        );
    }

    #[test]
    fn a_leaders_template_speaks_to_a_leadership_group_not_to_a_branch() {
        let leaders: Vec<Pack> = shipped_packs()
            .into_iter()
            .filter(|p| p.template.name.contains("民主生活会"))
            .collect();
        assert!(leaders.len() >= 3);
        for pack in &leaders {
            for part in &pack.template.parts {
                for text in [&part.heading, &part.guidance, &part.example] {
                    assert!(
                        !text.contains("支部") && !text.contains("科员"),
                        "{}: {text}",
                        pack.key
                    );
                }
            }
        }
        // The 2025 发言提纲 has the leader's own parts, optional, between the problems and
        // the causes, and the collective material has none of them.
        let headings = |key: &str| -> Vec<String> {
            leaders
                .iter()
                .find(|p| p.key == key)
                .unwrap()
                .template
                .parts
                .iter()
                .map(|p| p.heading.clone())
                .collect()
        };
        let member = headings("2025-leadership-member");
        let at = |heading: &str| member.iter().position(|h| h == heading).unwrap();
        assert!(at("存在的问题") < at("个人有关事项报告情况"));
        assert!(at("反面典型案例剖析") < at("问题产生的原因"));
        assert!(at("谈话函询情况说明") > at("存在的问题"));
        assert!(!headings("2025-leadership-group").contains(&"谈话函询情况说明".to_string()));
    }

    #[test]
    fn a_new_meeting_defaults_to_the_newest_pack_of_its_type() {
        let packs = shipped_packs();
        for kind in MeetingKind::ALL {
            let meeting_type = MeetingType::for_meeting(kind);
            let newest = newest_pack(&packs, meeting_type).unwrap();
            assert!(
                packs
                    .iter()
                    .filter(|p| p.meeting_type == meeting_type)
                    .all(|p| p.year <= newest.year),
                "{kind:?}"
            );
        }
        assert_eq!(
            newest_pack(&packs, MeetingType::BranchMember).unwrap().key,
            "2025-branch-member"
        );
        let mut next_year = parse_pack(MINIMAL).unwrap();
        next_year.year = 2026;
        let with_upload = effective_packs(packs, vec![next_year]);
        assert_eq!(
            newest_pack(&with_upload, MeetingType::BranchMember)
                .unwrap()
                .key,
            "test-pack"
        );
        assert_eq!(with_upload[0].key, "test-pack", "newest first");
    }

    #[test]
    fn an_uploaded_pack_replaces_the_shipped_pack_of_its_key() {
        let mut changed = shipped_packs()
            .into_iter()
            .find(|p| p.key == "2025-branch-member")
            .unwrap();
        changed.template.name = "本单位修改的模板".into();
        let packs = effective_packs(shipped_packs(), vec![changed]);
        let mine: Vec<&Pack> = packs
            .iter()
            .filter(|p| p.key == "2025-branch-member")
            .collect();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].template.name, "本单位修改的模板");
    }

    #[test]
    fn meeting_types_read_from_their_code_or_their_name() {
        for kind in MeetingType::ALL {
            assert_eq!(MeetingType::parse(kind.code()), Some(kind));
            assert_eq!(MeetingType::parse(kind.label()), Some(kind));
        }
        assert_eq!(
            MeetingType::parse("组织生活会党员个人"),
            Some(MeetingType::BranchMember)
        );
        assert_eq!(MeetingType::parse("座谈会"), None);
    }
}
