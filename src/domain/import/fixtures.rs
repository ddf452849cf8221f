//! Real-shaped materials (tests/fixtures/materials/*.txt) through the importer, and drafts
//! built from the same shapes at random: every word of the source reaches the material and
//! the exported document, nothing is added, and the exported document reads back the same.
//!
//! Test data and its checks only: real-shaped drafts, written out whole.

use super::*;
use crate::domain::document::{blocks, plain_lines};
use crate::domain::material::{Deadline, linked_in_order};

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../../tests/fixtures/materials/", $name, ".txt")),
        )
    };
}

const FIXTURES: [(&str, &str); 9] = [
    fixture!("member_aspects_inline"),
    fixture!("leader_causes_inside"),
    fixture!("leadership_collective"),
    fixture!("member_line_ordinals"),
    fixture!("member_flat_mirror"),
    fixture!("themed_capability_gap"),
    fixture!("committee_measures_split"),
    fixture!("member_bare_aspects_labelled"),
    fixture!("member_grouped_undated"),
];

fn fixture(name: &str) -> Material {
    let (_, text) = FIXTURES
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a fixture of that name");
    parse_text(text)
}

fn date(y: i32, m: u32, d: u32) -> Deadline {
    Deadline::By(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn ids(ids: &[&str]) -> Vec<ItemId> {
    ids.iter().map(|id| ItemId((*id).into())).collect()
}

fn items(material: &Material, kind: PartKind) -> Vec<&Item> {
    material.items(kind).collect()
}

/// Runs of words: what stands between punctuation marks and spaces.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|run| !run.is_empty())
}

/// Labels the structure holds as fields (时限, 责任人, 完成标准 …).
const LABELS: [&str; 22] = [
    "完成时限",
    "整改时限",
    "办结时限",
    "时间节点",
    "完成时间",
    "整改时间",
    "时限",
    "责任人",
    "责任领导",
    "分管领导",
    "牵头领导",
    "责任部门",
    "责任单位",
    "牵头部门",
    "配合部门",
    "责任主体",
    "完成标准",
    "整改标准",
    "整改目标",
    "预期目标",
    "预期效果",
    "目标要求",
];

const NUMERALS: &str = "〇零一二三四五六七八九十百0123456789０１２３４５６７８９";
const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

/// A run without the numbering its author typed in front of it (一是, 其二, 第三, ①).
fn without_ordinal(run: &str) -> &str {
    let run = run.trim_start_matches(|c| CIRCLED.contains(c));
    for prefix in ["其", "第", ""] {
        if let Some(after) = run.strip_prefix(prefix) {
            let digits = after.len()
                - after
                    .trim_start_matches(|c| "一二三四五六七八九十".contains(c))
                    .len();
            if digits > 0 && digits <= 9 {
                let rest = &after[digits..];
                if prefix.is_empty() {
                    if let Some(rest) = rest.strip_prefix('是') {
                        return rest;
                    }
                } else {
                    return rest.strip_prefix('是').unwrap_or(rest);
                }
            }
        }
    }
    run
}

/// The source's runs of words that the material must carry as text: all of them but
/// numbering, labels and 时限 phrases (held as the measure's deadline).
fn words_to_keep(source: &str) -> Vec<&str> {
    runs(source)
        .filter(|run| !(run.chars().count() <= 3 && run.chars().all(|c| NUMERALS.contains(c))))
        .filter(|run| !LABELS.contains(run))
        // The problem's cause holds it; the document prints "究其原因，" before the cause.
        .filter(|run| *run != "究其原因")
        .filter(|run| !schedule::is_deadline_phrase(run))
        .map(without_ordinal)
        .filter(|run| !run.is_empty() && !schedule::is_deadline_phrase(run))
        .collect()
}

/// Every piece of text the material holds, one after another.
fn material_text(material: &Material) -> String {
    let mut pieces = vec![material.title.clone()];
    pieces.extend(material.speaker.clone());
    pieces.extend(material.preamble.iter().cloned());
    for part in &material.parts {
        pieces.push(part.heading.clone());
        pieces.extend(part.paragraphs.iter().cloned());
        for item in &part.items {
            pieces.push(item.heading.clone());
            pieces.push(item.text.clone());
            for field in [
                &item.example,
                &item.cause,
                &item.category,
                &item.standard,
                &item.owner,
            ] {
                pieces.extend(field.clone());
            }
        }
    }
    pieces.extend(material.closing.clone());
    pieces.extend(material.date.clone());
    pieces.join("\u{0}")
}

/// Nothing lost (each kept run of the source is in the material and in its exported text)
/// and nothing invented (each run of the material is in the source).
fn check_faithful(source: &str, material: &Material) -> Result<(), String> {
    let held = material_text(material);
    let rendered = plain_lines(&blocks(material)).concat();
    for run in words_to_keep(source) {
        if !held.contains(run) {
            return Err(format!("「{run}」 is lost from the material"));
        }
        if !rendered.contains(run) {
            return Err(format!("「{run}」 is lost from the exported document"));
        }
    }
    let flat: String = source.lines().map(str::trim).collect();
    for run in runs(&held) {
        if !flat.contains(run) {
            return Err(format!("「{run}」 is not in the source"));
        }
    }
    Ok(())
}

/// A heading sentence standing on its own line keeps the full stop its author wrote; in
/// the document it runs into its text, where the full stop is the layout's.
fn without_heading_stops(material: &Material) -> Material {
    let mut material = material.clone();
    for item in material
        .parts
        .iter_mut()
        .flat_map(|part| part.items.iter_mut())
    {
        if let Some(heading) = item.heading.strip_suffix('。') {
            item.heading = heading.to_string();
        }
    }
    material
}

/// The exported document, imported again, is the same material: with the 整改清单 table
/// and with the schedule read inside the measures.
fn check_stable(material: &Material) -> Result<(), String> {
    for rectification_table in [true, false] {
        let layout = crate::domain::document::Layout {
            rectification_table,
        };
        check_stable_in(material, layout)
            .map_err(|error| format!("table {rectification_table}: {error}"))?;
    }
    Ok(())
}

fn check_stable_in(
    material: &Material,
    layout: crate::domain::document::Layout,
) -> Result<(), String> {
    let lines = plain_lines(&crate::domain::document::blocks_with(material, layout));
    let again = without_heading_stops(&parse_paragraphs(&lines));
    let material = &without_heading_stops(material);
    if &again == material {
        Ok(())
    } else {
        let before = format!("{material:#?}");
        let after = format!("{again:#?}");
        let changed: Vec<String> = before
            .lines()
            .zip(after.lines())
            .filter(|(a, b)| a != b)
            .take(6)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        Err(format!(
            "re-import differs:\n{}\n{}",
            lines.join("\n"),
            changed.join("\n")
        ))
    }
}

#[test]
fn every_fixture_is_imported_without_losing_or_inventing_a_word() {
    for (name, text) in FIXTURES {
        assert!(
            text.chars().filter(|c| !c.is_whitespace()).count() >= 1000,
            "{name} is a full-length material"
        );
        let material = parse_text(text);
        check_faithful(text, &material).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn every_fixture_reads_back_the_same_from_its_exported_document() {
    for (name, text) in FIXTURES {
        check_stable(&parse_text(text)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn aspect_groups_numbered_one_is_two_is_inside_a_paragraph_become_problems_filed_under_their_aspect()
 {
    let m = fixture("member_aspects_inline");
    let kinds: Vec<PartKind> = m.parts.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PartKind::Carryover,
            PartKind::Problems,
            PartKind::Causes,
            PartKind::Measures
        ]
    );
    let problems = items(&m, PartKind::Problems);
    assert_eq!(problems.len(), 12, "six aspects, two problems each");
    assert_eq!(problems[0].category.as_deref(), Some("在政治信仰方面"));
    assert_eq!(problems[0].heading, "政治敏锐性还不够强");
    assert!(
        problems[0]
            .example
            .as_deref()
            .unwrap()
            .starts_with("比如，今年5月")
    );
    assert_eq!(problems[1].category.as_deref(), Some("在政治信仰方面"));
    assert_eq!(problems[1].heading, "理想信念的坚定性有待加强");
    assert_eq!(problems[11].category.as_deref(), Some("在纪律作风方面"));
    assert_eq!(problems[11].heading, "工作作风不够严实");
    assert_eq!(items(&m, PartKind::Causes).len(), 4);
}

#[test]
fn six_measures_for_six_aspects_each_answer_their_aspects_problems() {
    let m = fixture("member_aspects_inline");
    let measures = items(&m, PartKind::Measures);
    assert_eq!(measures.len(), 6);
    assert_eq!(measures[0].links, ids(&["p1", "p2"]));
    assert_eq!(measures[5].links, ids(&["p11", "p12"]));
    assert_eq!(measures[0].deadline, Some(Deadline::Ongoing));
    assert_eq!(measures[1].deadline, Some(date(2025, 12, 31)));
    assert_eq!(
        measures[4].deadline,
        Some(date(2025, 6, 30)),
        "“6月底前” is the June after the material's date, 2025年2月20日"
    );
    assert_eq!(
        measures[4].text,
        "牵头完成历史档案数字化整理，与1名新入职同志结成帮带对子。"
    );
}

#[test]
fn causes_inside_problems_are_each_problems_own_and_no_causes_part_is_needed() {
    let m = fixture("leader_causes_inside");
    assert_eq!(
        m.title, "市发展改革委党组班子成员2024年度民主生活会个人对照检查材料",
        "a title over two lines is one title"
    );
    assert_eq!(m.speaker.as_deref(), Some("（党组成员、副主任 张建国）"));
    assert!(m.part(PartKind::Causes).is_none());
    let problems = items(&m, PartKind::Problems);
    assert_eq!(problems.len(), 8);
    let causes: Vec<Option<&str>> = problems.iter().map(|p| p.cause.as_deref()).collect();
    assert_eq!(
        causes[0],
        Some("是对党的创新理论学得不深不透，没有真正做到融会贯通。"),
        "“究其原因，” is the document's to print"
    );
    assert_eq!(
        causes[1],
        Some("原因是规矩意识有所淡化，认为程序上的事无关紧要。")
    );
    assert!(causes[2].unwrap().starts_with("究其根源，"));
    assert!(causes[3].unwrap().starts_with("深挖根源，"));
    assert_eq!(causes[5], None);
    assert!(causes[7].unwrap().starts_with("原因在于"));
    assert_eq!(
        problems[0].category.as_deref(),
        Some("在带头严守政治纪律和政治规矩、维护党的团结统一方面")
    );
    assert_eq!(
        problems[1].example.as_deref(),
        Some("比如，今年8月调整一个专项资金支持方向时，先与处室商定后才补充报告。")
    );
    let findings = crate::domain::health::check(
        &m,
        &crate::domain::template::Template::branch_meeting_default(),
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.spot == crate::domain::health::Spot::Part(PartKind::Causes)),
        "{findings:#?}"
    );
}

/// The shape the end-to-end journey hands in: aspects with 一是/二是 problems, 比如 and
/// 究其原因 inside each, measures without dates mirroring the problems in order.
#[test]
fn a_grouped_material_with_causes_inside_needs_only_its_dates() {
    use crate::domain::health::{Rule, Severity, check};
    let m = fixture("member_grouped_undated");
    assert_eq!(m.speaker.as_deref(), Some("第二党支部 周敏"));
    let problems = items(&m, PartKind::Problems);
    assert_eq!(problems.len(), 6);
    let categories: Vec<&str> = problems
        .iter()
        .filter_map(|p| p.category.as_deref())
        .collect();
    assert_eq!(categories.len(), 6, "every problem keeps its aspect");
    for (pair, aspect) in categories
        .chunks(2)
        .zip(["理论学习", "担当作为", "纪律作风"])
    {
        assert!(
            pair[0] == pair[1] && pair[0].contains(aspect),
            "{categories:?}"
        );
    }
    assert!(
        problems
            .iter()
            .all(|p| p.cause.is_some() && p.example.is_some()),
        "{problems:#?}"
    );
    assert!(m.part(PartKind::Causes).is_none());
    let measures = items(&m, PartKind::Measures);
    assert_eq!(measures.len(), 6);
    assert!(measures.iter().all(|measure| measure.deadline.is_none()));
    assert!(linked_in_order(&m));
    let template = crate::domain::template::Template::branch_meeting_default();
    let blocking: Vec<Rule> = check(&m, &template)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect();
    assert_eq!(blocking, vec![Rule::MeasureWithoutDeadline; 6]);
}

#[test]
fn grouped_problems_print_under_their_aspect_with_one_is_two_is_and_flat_ones_stay_flat() {
    let grouped = plain_lines(&blocks(&fixture("member_grouped_undated")));
    let at = |line: &str| {
        grouped
            .iter()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("{line} not in {grouped:#?}"))
    };
    let first = at("（一）在理论学习方面");
    assert!(grouped[first + 1].starts_with("一是学习的系统性不够。平时学习多是跟着通知走"));
    assert!(
        grouped[first + 1].contains("。比如，今年上半年")
            && grouped[first + 1].contains("。究其原因，是对理论学习的极端重要性认识不足"),
        "the example and the cause run on in the paragraph, as written: {}",
        grouped[first + 1]
    );
    assert!(grouped[first + 2].starts_with("二是学用结合不够紧密。"));
    assert_eq!(at("（二）在担当作为方面"), first + 3);
    assert!(grouped[first + 4].starts_with("一是攻坚克难的劲头不足。"));
    assert_eq!(at("（三）在纪律作风方面"), first + 6);
    assert!(
        !grouped.iter().any(|l| l.contains("方面：")),
        "the aspect is not repeated before each problem"
    );

    let flat = plain_lines(&blocks(&fixture("member_flat_mirror")));
    assert!(
        flat.iter()
            .all(|l| !l.starts_with("一是") && !l.starts_with("二是")),
        "{flat:#?}"
    );
}

#[test]
fn the_rectification_table_lists_every_measure_and_reads_back_into_them() {
    let m = fixture("leadership_collective");
    let lines = plain_lines(&blocks(&m));
    let header = lines
        .iter()
        .position(|l| l == "序号\t问题\t整改措施\t责任人\t完成时限\t完成标准")
        .expect("the table's heading row");
    assert_eq!(lines[header - 2..header], ["附件", "整改清单"]);
    let measures = items(&m, PartKind::Measures);
    assert_eq!(lines.len() - header - 1, measures.len());
    assert!(measures.iter().any(|measure| measure.owner.is_some()));
    for (row, measure) in lines[header + 1..].iter().zip(&measures) {
        let cells: Vec<&str> = row.split('\t').collect();
        assert_eq!(cells[3], measure.owner.as_deref().unwrap_or(""));
    }
    let speech = lines[..header].join("\n");
    for spoken in ["时限：", "完成标准：", "责任人：", "责任领导："] {
        assert!(!speech.contains(spoken), "{spoken} read aloud:\n{speech}");
    }
    let again = parse_paragraphs(&lines);
    assert_eq!(items(&again, PartKind::Measures), measures);
}

#[test]
fn schedules_on_lines_of_their_own_are_the_measures_deadline_and_standard() {
    let m = fixture("leader_causes_inside");
    let carryover = m.part(PartKind::Carryover).unwrap();
    assert_eq!(carryover.heading, "上年度民主生活会整改落实情况");
    assert_eq!(carryover.items.len(), 3, "last year's items are items");
    let measures = items(&m, PartKind::Measures);
    assert_eq!(m.parts[2].heading, "下一步举措");
    assert_eq!(measures.len(), 4);
    assert_eq!(measures[0].deadline, Some(date(2025, 6, 30)));
    assert_eq!(
        measures[0].standard.as_deref(),
        Some("形成专题研究报告2篇，修订完善全市数字经济发展三年行动方案")
    );
    assert_eq!(measures[1].deadline, Some(Deadline::Ongoing));
    assert_eq!(
        measures[2].deadline,
        Some(date(2025, 12, 31)),
        "“年底前” in a 2024年度 material without a date is the end of 2025"
    );
    assert_eq!(
        measures[2].standard.as_deref(),
        Some("全市投资项目审批平均用时压缩至30个工作日以内，2个滞后项目全部开工"),
        "预期目标 is the 完成标准"
    );
    assert_eq!(measures[3].links, ids(&["p7", "p8"]));
}

#[test]
fn a_collective_material_has_no_speaker_and_names_its_responsible_leaders() {
    let m = fixture("leadership_collective");
    assert_eq!(
        m.title,
        "中共临河县市场监督管理局党组2024年度民主生活会领导班子对照检查材料"
    );
    assert_eq!(m.speaker, None);
    assert!(m.preamble[0].starts_with("按照县委统一部署"));
    let kinds: Vec<PartKind> = m.parts.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PartKind::Carryover,
            PartKind::Problems,
            PartKind::Causes,
            PartKind::Measures
        ],
        "检视剖析的问题 are problems"
    );
    assert_eq!(m.parts[0].paragraphs.len(), 1);
    assert_eq!(m.parts[0].items.len(), 3, "1. 2. 3. are items of any part");
    let measures = items(&m, PartKind::Measures);
    assert_eq!(
        measures.len(),
        4,
        "one 时限 for both 一是 and 二是: one measure"
    );
    assert_eq!(
        measures[0].owner.as_deref(),
        Some("责任领导：党组书记、局长；责任部门：办公室、食品安全监管股")
    );
    assert!(
        measures[0]
            .text
            .starts_with("一是健全党组理论学习中心组学习制度")
    );
    assert_eq!(measures[2].deadline, Some(date(2025, 12, 31)));
    assert_eq!(measures[3].deadline, Some(date(2025, 12, 31)));
    for (index, measure) in measures.iter().enumerate() {
        assert_eq!(
            measure.links,
            ids(&[&format!("p{}", index + 1)]),
            "four measures for four problems answer them in order"
        );
    }
}

#[test]
fn items_numbered_at_line_starts_in_every_style_are_items() {
    let m = fixture("member_line_ordinals");
    assert_eq!(m.parts[0].kind, PartKind::Duty);
    assert_eq!(m.parts[0].paragraphs.len(), 2);
    let problems = items(&m, PartKind::Problems);
    let headings: Vec<&str> = problems.iter().map(|p| p.heading.as_str()).collect();
    assert_eq!(
        headings[..4],
        [
            "学习的主动性不强",
            "学思用贯通不够",
            "服务意识有待增强",
            "创新意识不足"
        ],
        "1. / 其一 under their aspects"
    );
    assert!(headings[4].starts_with("执行请销假制度不够严格"), "①");
    assert!(headings[5].starts_with("工作标准不够高"), "②");
    let aspects: Vec<&str> = problems
        .iter()
        .map(|p| p.category.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        aspects,
        [
            "在理论学习方面",
            "在理论学习方面",
            "在作用发挥方面",
            "在作用发挥方面",
            "在纪律作风方面",
            "在纪律作风方面"
        ]
    );
    let causes = items(&m, PartKind::Causes);
    assert_eq!(causes.len(), 3, "一是 at line starts");
    assert_eq!(causes[0].heading, "理论学习的自觉性不够");
    let measures = items(&m, PartKind::Measures);
    assert_eq!(measures.len(), 6, "第一，…第六，");
    assert_eq!(measures[3].deadline, Some(date(2025, 5, 31)));
    assert_eq!(
        (measures[4].deadline, measures[4].text.as_str()),
        (Some(Deadline::Ongoing), "立即整改。"),
        "“立即整改，长期坚持”: the 时限 is held, the other words stay"
    );
    assert_eq!(measures[5].deadline, Some(date(2025, 12, 31)));
    for (index, measure) in measures.iter().enumerate() {
        assert_eq!(measure.links, ids(&[&format!("p{}", index + 1)]));
    }
    let suggestions = m.part(PartKind::Suggestions).unwrap();
    assert_eq!(
        suggestions.items.len(),
        2,
        "（一）建议……（二）…… are two suggestions"
    );
    assert!(
        suggestions.items[1]
            .heading
            .starts_with("建议支部建立党员联系群众信访件制度")
    );
}

#[test]
fn bare_deadline_phrases_closing_a_measure_are_its_deadline() {
    let m = fixture("member_flat_mirror");
    assert_eq!(m.parts[0].kind, PartKind::Duty, "思想认识");
    assert_eq!(m.parts[1].heading, "差距和不足");
    assert_eq!(m.parts[2].heading, "今后打算");
    let measures = items(&m, PartKind::Measures);
    let deadlines: Vec<Option<Deadline>> = measures.iter().map(|m| m.deadline).collect();
    assert_eq!(
        deadlines,
        [
            Some(date(2026, 3, 31)),
            Some(date(2026, 12, 31)),
            Some(Deadline::Ongoing),
            Some(Deadline::Ongoing)
        ],
        "于……前完成 / 年底前完成 / 持续推进 / （长期坚持）"
    );
    assert_eq!(
        measures[1].text,
        "制定报销常见问题“一次性告知”清单，推行首问负责，退单一次讲清全部问题。"
    );
    assert_eq!(
        measures[3].text,
        "牵头推进电子票据和网上报销系统上线，组织全员操作培训不少于2次。"
    );
    let problems = items(&m, PartKind::Problems);
    assert!(problems.iter().all(|p| p.cause.is_some()));
    assert!(problems[2].example.as_deref().unwrap().starts_with("例如"));
    for (measure, problem) in measures.iter().zip(&problems) {
        assert_eq!(measure.links, vec![problem.id.clone()]);
    }
}

#[test]
fn gaps_in_ability_are_problems_and_bracketed_node_and_goal_are_deadline_and_standard() {
    let m = fixture("themed_capability_gap");
    assert_eq!(m.title, "理工学院教工第一党支部专题组织生活会个人发言材料");
    assert_eq!(m.speaker.as_deref(), Some("（党员 陈静）"));
    let kinds: Vec<PartKind> = m.parts.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PartKind::Duty,
            PartKind::Problems,
            PartKind::Causes,
            PartKind::Measures,
            PartKind::Suggestions
        ]
    );
    let measures = items(&m, PartKind::Measures);
    assert_eq!(measures[0].deadline, Some(date(2026, 7, 31)));
    assert_eq!(
        measures[0].standard.as_deref(),
        Some("形成不少于10个课程思政教学案例，学生评教满意度达到95%以上")
    );
    assert_eq!(
        measures[1].deadline,
        Some(date(2026, 6, 30)),
        "“6月底前” after a material dated 2025年12月26日"
    );
    assert_eq!(measures[2].deadline, Some(Deadline::Ongoing));
    let suggestions = m.part(PartKind::Suggestions).unwrap();
    assert_eq!(suggestions.paragraphs, ["我对支部工作提几点建议："]);
    assert_eq!(
        suggestions.items.len(),
        3,
        "一是……二是……三是…… in one paragraph"
    );
    assert_eq!(
        suggestions.items[2].heading,
        "加强对学生导师的培训，提升导师思想引领能力。"
    );
}

#[test]
fn measures_each_with_their_own_deadline_are_split_and_answer_their_groups_problem() {
    let m = fixture("committee_measures_split");
    assert_eq!(m.speaker, None);
    let measures = items(&m, PartKind::Measures);
    assert_eq!(measures.len(), 6);
    assert_eq!(measures[0].heading, "着力提升理论学习质效");
    assert_eq!(
        measures[0].text,
        "改进集中学习方式，推行“领学+研讨+点评”模式，每次学习安排2名党员重点发言。"
    );
    assert_eq!(measures[0].owner.as_deref(), Some("支部书记 刘洋"));
    assert_eq!(measures[1].owner.as_deref(), Some("组织委员 孙丽"));
    assert_eq!(measures[4].deadline, Some(date(2026, 2, 28)));
    let links: Vec<Vec<ItemId>> = measures.iter().map(|m| m.links.clone()).collect();
    assert_eq!(
        links,
        [
            ids(&["p1"]),
            ids(&["p1"]),
            ids(&["p2"]),
            ids(&["p2"]),
            ids(&["p3"]),
            ids(&["p3"])
        ]
    );
}

#[test]
fn unnumbered_aspect_lines_head_their_problems_and_labelled_lines_fill_the_fields() {
    let m = fixture("member_bare_aspects_labelled");
    assert_eq!(m.title, "党员个人检视剖析材料");
    assert!(m.preamble[0].ends_with("主要表现在以下几个方面："));
    let problems = items(&m, PartKind::Problems);
    assert_eq!(problems.len(), 4);
    let aspects: Vec<&str> = problems
        .iter()
        .map(|p| p.category.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        aspects,
        [
            "政治信仰方面",
            "政治信仰方面",
            "作用发挥方面",
            "作用发挥方面"
        ]
    );
    assert_eq!(problems[0].heading, "政治理论学习不够系统。");
    assert!(problems[0].text.starts_with("具体表现："));
    assert!(
        problems[0]
            .example
            .as_deref()
            .unwrap()
            .starts_with("典型事例：")
    );
    assert!(
        problems[0]
            .cause
            .as_deref()
            .unwrap()
            .starts_with("原因分析：")
    );
    let measures = items(&m, PartKind::Measures);
    assert_eq!(measures[0].owner.as_deref(), Some("本人"));
    assert_eq!(
        measures[0].standard.as_deref(),
        Some("全年形成读书笔记12篇，在支部交流发言不少于2次")
    );
    assert_eq!(
        measures[1].deadline,
        Some(date(2026, 6, 30)),
        "2026年上半年"
    );
    assert_eq!(measures[3].deadline, Some(date(2026, 3, 31)));
    assert_eq!(measures[3].links, ids(&["p4"]));
}

#[test]
fn a_single_problem_under_an_aspect_heading_is_filed_under_that_aspect() {
    let m = parse_text(
        "发言材料\n一、存在的问题\n（一）在理论学习方面。学习满足于读原文。比如，3月只学了1次。\n（二）纪律作风方面存在的问题。请假手续不规范。",
    );
    let problems = items(&m, PartKind::Problems);
    assert_eq!(problems[0].category.as_deref(), Some("在理论学习方面"));
    assert_eq!(problems[0].heading, "在理论学习方面");
    assert_eq!(problems[0].text, "学习满足于读原文。");
    assert_eq!(
        problems[1].category.as_deref(),
        Some("纪律作风方面存在的问题")
    );
    assert_eq!(
        plain_lines(&blocks(&m))[2],
        "（一）在理论学习方面。学习满足于读原文。比如，3月只学了1次。",
        "the aspect is printed once"
    );
}

#[test]
fn the_checks_themselves_catch_a_lost_or_invented_word() {
    let source = "发言材料\n一、存在的问题\n（一）学习不深。比如，3月只学了1次。";
    let mut material = parse_text(source);
    assert_eq!(check_faithful(source, &material), Ok(()));
    material.parts[0].items[0].example = None;
    assert!(
        check_faithful(source, &material)
            .unwrap_err()
            .contains("lost")
    );
    let mut material = parse_text(source);
    material.parts[0].items[0].text = "工作很忙".into();
    assert!(
        check_faithful(source, &material)
            .unwrap_err()
            .contains("工作很忙")
    );
}

/// Drafts assembled from the shapes people write: any parts in any order, items numbered
/// in every style, aspect groups, examples and causes, schedules in every form.
mod generated {
    use super::*;
    use proptest::prelude::*;

    const WORDS: [&str; 16] = [
        "学习不够深入",
        "联系实际不够",
        "调研次数偏少",
        "服务群众不主动",
        "作风不够扎实",
        "制度执行不严",
        "每月精读原著2篇",
        "撰写心得体会",
        "建立工作台账",
        "全年下基层4次",
        "对标先进找差距",
        "落实请示报告制度",
        "党性修养有所放松",
        "宗旨意识淡化",
        "纪律规矩意识不强",
        "形成调研报告",
    ];

    fn sentence() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(WORDS.to_vec()), 1..4)
            .prop_map(|words| format!("{}。", words.join("，")))
    }

    fn chinese(n: usize) -> String {
        crate::domain::outline::chinese_number(n)
    }

    /// One problem's words: headline, 表现, maybe 事例, maybe 原因.
    fn problem() -> impl Strategy<Value = String> {
        (
            sentence(),
            sentence(),
            proptest::option::of(sentence()),
            proptest::option::of((
                proptest::sample::select(vec!["究其原因，", "原因是", "究其根源，", "深挖根源，"]),
                sentence(),
            )),
        )
            .prop_map(|(heading, text, example, cause)| {
                let mut words = format!("{heading}{text}");
                if let Some(example) = example {
                    words.push_str(&format!("比如，{example}"));
                }
                if let Some((marker, cause)) = cause {
                    words.push_str(&format!("{marker}{cause}"));
                }
                words
            })
    }

    /// One measure's words with its schedule written one way or another.
    fn measure() -> impl Strategy<Value = Vec<String>> {
        (
            sentence(),
            sentence(),
            0usize..7,
            proptest::sample::select(vec![
                "2026年6月底前",
                "长期坚持",
                "年底前",
                "6月底前",
                "2026年3月31日",
                "持续推进",
            ]),
            proptest::option::of(proptest::sample::select(vec!["张明", "办公室 李华"])),
            proptest::option::of(sentence()),
        )
            .prop_map(|(heading, text, form, when, owner, standard)| {
                let standard = standard.map(|s| s.trim_end_matches('。').to_string());
                let owner = owner.map(|o| format!("责任人：{o}；")).unwrap_or_default();
                match form {
                    0 => vec![format!("{heading}{text}（{owner}完成时限：{when}）")],
                    1 => {
                        let mut lines = vec![format!("{heading}{text}"), format!("时限：{when}")];
                        lines.extend(standard.map(|s| format!("完成标准：{s}")));
                        lines
                    }
                    2 => vec![format!(
                        "{heading}{}，{when}完成。",
                        text.trim_end_matches('。')
                    )],
                    3 => vec![format!("{heading}{text}{owner}时间节点：{when}。")],
                    4 => vec![format!("{heading}{text}"), when.to_string()],
                    5 => vec![format!(
                        "{heading}{text}（预期目标：{}；时限：{when}）",
                        standard.unwrap_or_else(|| "形成制度".into())
                    )],
                    _ => vec![format!("{heading}{text}")],
                }
            })
    }

    /// Items of a part numbered in one of the styles people use.
    fn numbered(style: usize, items: &[Vec<String>]) -> Vec<String> {
        let ordinal = |n: usize| match style {
            2 => format!("{}是", chinese(n)),
            3 => format!("其{}，", chinese(n)),
            4 => format!("第{}，", chinese(n)),
            _ => CIRCLED.chars().nth(n - 1).unwrap().to_string(),
        };
        match style {
            0 => items
                .iter()
                .enumerate()
                .flat_map(|(i, lines)| {
                    let mut lines = lines.clone();
                    lines[0] = format!("（{}）{}", chinese(i + 1), lines[0]);
                    lines
                })
                .collect(),
            1 => items
                .iter()
                .enumerate()
                .flat_map(|(i, lines)| {
                    let mut lines = lines.clone();
                    lines[0] = format!("{}.{}", i + 1, lines[0]);
                    lines
                })
                .collect(),
            // Ordinals inside one paragraph.
            5 => vec![
                items
                    .iter()
                    .enumerate()
                    .map(|(i, lines)| format!("{}{}", ordinal(i + 1), lines.concat()))
                    .collect::<String>(),
            ],
            _ => items
                .iter()
                .enumerate()
                .flat_map(|(i, lines)| {
                    let mut lines = lines.clone();
                    lines[0] = format!("{}{}", ordinal(i + 1), lines[0]);
                    lines
                })
                .collect(),
        }
    }

    fn part() -> impl Strategy<Value = Vec<String>> {
        prop_oneof![
            // Problems, flat or grouped by aspect.
            (
                proptest::sample::select(vec![
                    "存在的问题",
                    "检视剖析的问题",
                    "问题及原因",
                    "差距和不足"
                ]),
                proptest::collection::vec(problem(), 1..4),
                0usize..7,
                proptest::option::of(proptest::sample::select(vec![
                    "在理论学习方面",
                    "在纪律作风方面",
                ])),
            )
                .prop_map(|(heading, problems, style, aspect)| {
                    let items: Vec<Vec<String>> = problems.into_iter().map(|p| vec![p]).collect();
                    let mut lines = vec![heading.to_string()];
                    match aspect {
                        Some(aspect) => {
                            lines.push(format!("（一）{aspect}"));
                            lines.extend(numbered(if style == 0 { 2 } else { style }, &items));
                        }
                        None => lines.extend(numbered(style, &items)),
                    }
                    lines
                }),
            // Causes.
            (proptest::collection::vec(sentence(), 1..4), 0usize..7,).prop_map(
                |(causes, style)| {
                    let items: Vec<Vec<String>> = causes.into_iter().map(|c| vec![c]).collect();
                    let mut lines = vec!["问题产生的原因".to_string()];
                    lines.extend(numbered(style, &items));
                    lines
                }
            ),
            // Measures.
            (
                proptest::sample::select(vec![
                    "整改措施",
                    "下一步举措",
                    "努力方向",
                    "今后打算",
                    "整改方向"
                ]),
                proptest::collection::vec(measure(), 1..4),
                0usize..7,
            )
                .prop_map(|(heading, measures, style)| {
                    let mut lines = vec![heading.to_string()];
                    lines.extend(numbered(if style == 5 { 0 } else { style }, &measures));
                    lines
                }),
            // Free paragraphs, or numbered suggestions.
            (
                proptest::sample::select(vec![
                    "学习体会",
                    "思想认识",
                    "意见建议",
                    "上年度整改落实情况"
                ]),
                proptest::collection::vec(sentence(), 1..3),
                0usize..8,
            )
                .prop_map(|(heading, paragraphs, style)| {
                    let mut lines = vec![heading.to_string()];
                    if style < 7 {
                        let items: Vec<Vec<String>> =
                            paragraphs.into_iter().map(|p| vec![p]).collect();
                        lines.extend(numbered(style, &items));
                    } else {
                        lines.extend(paragraphs);
                    }
                    lines
                }),
        ]
    }

    fn draft() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(vec![
                "在2025年度组织生活会上的发言材料\n办公室 张明",
                "2025年度民主生活会\n个人对照检查材料",
                "中共某局党组\n2025年度民主生活会\n领导班子对照检查材料",
            ]),
            proptest::collection::vec(part(), 1..6),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(title, parts, closing, dated)| {
                let mut lines = vec![title.to_string()];
                lines.push("根据统一安排，现将对照检查情况报告如下：".into());
                for (index, part) in parts.into_iter().enumerate() {
                    let mut part = part.into_iter();
                    lines.push(format!("{}、{}", chinese(index + 1), part.next().unwrap()));
                    lines.extend(part);
                }
                if closing {
                    lines.push("以上发言，请批评指正。".into());
                }
                if dated {
                    lines.push("2026年1月15日".into());
                }
                lines.join("\n")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn a_draft_in_any_of_these_shapes_loses_and_invents_nothing(text in draft()) {
            let material = parse_text(&text);
            prop_assert_eq!(check_faithful(&text, &material), Ok(()), "{}", text);
        }

        #[test]
        fn a_draft_in_any_of_these_shapes_reads_back_the_same_from_its_document(text in draft()) {
            let material = parse_text(&text);
            prop_assert_eq!(check_stable(&material), Ok(()), "{}", text);
        }
    }
}
