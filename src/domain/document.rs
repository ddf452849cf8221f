//! The material laid out as a document: a flat list of typed blocks in reading order, with
//! numbering generated (一、 /（一）). The HTML preview and the .docx exporter both
//! render these blocks, so what the author previews is what the file contains. Links are
//! rendered as the usual prose ("针对……问题").
//!
//! Long because of its tests (over a third); the rendering itself is one walk over the
//! material.

use super::material::{Deadline, Item, Material, PartKind};
use super::outline::{chinese_number, without_own_numbering};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// Centred title (2号 小标宋).
    Title(String),
    /// Centred speaker line under the title (3号 楷体).
    Speaker(String),
    /// A level-1 heading, numbered "一、" (黑体).
    Heading(String),
    /// A level-2 heading "（一）…", standalone or running into its paragraph: the heading
    /// sentence is 楷体, the rest of the paragraph body text.
    SubHeading { heading: String, rest: String },
    /// A body paragraph with first-line indent.
    Body(String),
    /// The closing sentence (body style).
    Closing(String),
    /// The date line, right-aligned.
    Date(String),
    /// The 附件 mark that opens an attachment on a page of its own (GB/T 9704: 3号 黑体,
    /// flush left on the first line).
    Attachment(String),
    /// An attachment's title, centred (2号 小标宋).
    AttachmentTitle(String),
    /// A bordered table with its heading row (the 整改清单).
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// How a material is laid out beyond its words: the choices its template makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// 责任人 / 时限 / 完成标准 listed in an appended 整改清单 table (the way materials are
    /// handed in) rather than read aloud at the end of each measure.
    pub rectification_table: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            rectification_table: true,
        }
    }
}

/// Joins non-empty pieces into one paragraph.
fn join(pieces: &[&str]) -> String {
    pieces
        .iter()
        .map(|piece| piece.trim())
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join("")
}

/// Marks that end a sentence and stay where the author put them.
const SENTENCE_ENDS: [char; 5] = ['。', '！', '？', '!', '?'];

/// A numbered heading sentence ("（一）理论学习不够深入。"): it ends with "。" when text runs
/// on after it. Standing alone it keeps the full stop its author wrote — it is a sentence,
/// not a title — and loses only a dangling comma or semicolon.
fn sentence(heading: &str, runs_on: bool) -> String {
    let trimmed = heading.trim().trim_end_matches(['；', ';', '，', ',']);
    if trimmed.ends_with(SENTENCE_ENDS) && trimmed.chars().count() > 1 {
        return trimmed.to_string();
    }
    let bare = trimmed.trim_end_matches(['。', '.']);
    if runs_on && !bare.is_empty() {
        format!("{bare}。")
    } else {
        bare.to_string()
    }
}

/// Whether a problem's own words already name its aspect ("在理论学习方面……" under
/// 理论学习方面), so the aspect is not printed in front of them a second time.
pub fn says_aspect(heading: &str, category: &str) -> bool {
    let category = category.trim();
    let aspect = category.trim_end_matches("方面").trim();
    let heading = heading.trim();
    // "先锋模范作用发挥不充分" mentions 作用发挥 but does not name the aspect 作用发挥方面.
    aspect.is_empty()
        || heading.contains(category)
        || heading.contains(&format!("{aspect}方面"))
        || heading
            .trim_start_matches('在')
            .starts_with(aspect.trim_start_matches('在'))
}

/// A problem as a list shows it: "理论学习方面：学用结合不够紧密", or only the problem when
/// its words already say the aspect.
pub fn with_aspect(category: &str, heading: &str) -> String {
    let heading = heading.trim();
    if says_aspect(heading, category) {
        heading.to_string()
    } else {
        format!("{}：{heading}", category.trim())
    }
}

/// A date line as these documents write it: "2026-11-15" becomes "2026年11月15日"; what is
/// not a plain date ("二〇二六年十一月") stays as written.
pub fn date_line(raw: &str) -> String {
    let raw = raw.trim();
    match super::meeting::parse_date(raw) {
        Some(date) => super::meeting::chinese_date(date),
        None => raw.to_string(),
    }
}

/// A part's title (一、…): GB/T 9704 standalone headings carry no final punctuation.
fn title_line(heading: &str) -> String {
    heading
        .trim()
        .trim_end_matches(['。', '；', ';', '.', '，', ','])
        .to_string()
}

fn deadline_text(deadline: &Deadline) -> String {
    match deadline {
        Deadline::By(date) => format!("{}前完成", date.format("%Y年%-m月%-d日")),
        Deadline::Ongoing => "长期坚持".into(),
    }
}

/// A measure's 责任人 in prose: "责任人：张明。", or as labelled when the author wrote
/// 责任领导 / 责任部门 ("责任领导：王强；责任部门：办公室。").
fn owner_text(owner: &str) -> String {
    let owner = owner.trim().trim_end_matches(['。', '；', ';']);
    if owner.contains(['：', ':']) {
        format!("{owner}。")
    } else {
        format!("责任人：{owner}。")
    }
}

/// Whether a problem's 原因 already says it is one in its first words ("究其根源，……",
/// "产生这一问题的原因在于……", "原因：……"), so the document prints no "究其原因，" before it.
pub fn names_a_cause(cause: &str) -> bool {
    let first = cause
        .trim_start()
        .split(['，', ',', '：', ':', '。', '；'])
        .next()
        .unwrap_or_default();
    first.chars().count() <= 25 && ["原因", "根源", "根子"].iter().any(|w| first.contains(w))
}

/// "针对第一、三个问题" for a measure or cause answering problems 1 and 3.
fn answering(material: &Material, item: &Item) -> Option<String> {
    let numbers: Vec<String> = material
        .items(PartKind::Problems)
        .enumerate()
        .filter(|(_, problem)| item.links.contains(&problem.id))
        .map(|(index, _)| chinese_number(index + 1))
        .collect();
    (!numbers.is_empty()).then(|| format!("（针对第{}个问题）", numbers.join("、")))
}

/// A problem's cause as the document prints it: "究其原因，……", unless its own words
/// already say it is a cause.
fn cause_sentence(cause: &str) -> String {
    let cause = cause.trim();
    if names_a_cause(cause) {
        cause.to_string()
    } else {
        format!("究其原因，{cause}")
    }
}

/// One problem of an aspect group, the way grouped materials write it: "一是……。" running
/// into its text, example and cause. The cause joins the paragraph when the words before
/// it end their sentence, else it opens a paragraph of its own, where it still reads as one.
fn ordinal_problem(ordinal: usize, item: &Item) -> Vec<Block> {
    let rest = join(&[&item.text, item.example.as_deref().unwrap_or("")]);
    let cause = item
        .cause
        .as_deref()
        .filter(|cause| !cause.trim().is_empty())
        .map(cause_sentence);
    let heading = sentence(
        without_own_numbering(&item.heading),
        !rest.is_empty() || cause.is_some(),
    );
    let mut paragraph = format!("{}是{heading}{rest}", chinese_number(ordinal));
    let mut blocks = Vec::new();
    if let Some(cause) = cause {
        if paragraph.trim_end().ends_with(SENTENCE_ENDS) {
            paragraph.push_str(&cause);
        } else {
            blocks.push(Block::Body(cause));
        }
    }
    blocks.insert(0, Block::Body(paragraph));
    blocks
}

/// The problems part: problems of one aspect in a row (two or more) under a "（一）在……方面"
/// heading, numbered 一是 / 二是 inside it as grouped materials are written; any other
/// problem numbered on its own, with its aspect in front of it.
fn problem_blocks(material: &Material, items: &[Item], layout: Layout) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut number = 0;
    let mut index = 0;
    while index < items.len() {
        let category = items[index]
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let run = match category {
            Some(category) => items[index..]
                .iter()
                .take_while(|item| item.category.as_deref().map(str::trim) == Some(category))
                .count(),
            None => 1,
        };
        number += 1;
        match category {
            Some(category) if run >= 2 => {
                blocks.push(Block::SubHeading {
                    heading: format!("（{}）{}", chinese_number(number), title_line(category)),
                    rest: String::new(),
                });
                for (ordinal, item) in items[index..index + run].iter().enumerate() {
                    blocks.extend(ordinal_problem(ordinal + 1, item));
                }
            }
            _ => blocks.extend(item_blocks(
                material,
                PartKind::Problems,
                number,
                &items[index],
                layout,
            )),
        }
        index += run;
    }
    blocks
}

/// The 整改清单 appended after the signature, on a page of its own: one row per measure.
fn rectification_blocks(material: &Material) -> Vec<Block> {
    let rows = super::rectification::rows(material);
    if rows.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Attachment(super::rectification::ATTACHMENT.into()),
        Block::AttachmentTitle(super::rectification::TITLE.into()),
        Block::Table {
            header: super::rectification::COLUMNS
                .iter()
                .map(|c| (*c).to_string())
                .collect(),
            rows,
        },
    ]
}

fn item_blocks(
    material: &Material,
    kind: PartKind,
    number: usize,
    item: &Item,
    layout: Layout,
) -> Vec<Block> {
    let label = format!("（{}）", chinese_number(number));
    let mut blocks = Vec::new();
    match kind {
        PartKind::Problems => {
            let rest = join(&[&item.text, item.example.as_deref().unwrap_or("")]);
            let own = without_own_numbering(&item.heading);
            let heading = match &item.category {
                Some(category) => with_aspect(category, own),
                None => own.to_string(),
            };
            blocks.push(Block::SubHeading {
                heading: format!("{label}{}", sentence(&heading, !rest.is_empty())),
                rest,
            });
            if let Some(cause) = item.cause.as_deref().filter(|c| !c.trim().is_empty()) {
                blocks.push(Block::Body(cause_sentence(cause)));
            }
        }
        PartKind::Measures => {
            let mut tail = Vec::new();
            // With the 整改清单 table they are its columns, not words of the speech.
            let reads_schedule = !layout.rectification_table;
            if let Some(owner) = item
                .owner
                .as_deref()
                .filter(|o| reads_schedule && !o.trim().is_empty())
            {
                tail.push(owner_text(owner));
            }
            if let Some(deadline) = item.deadline.as_ref().filter(|_| reads_schedule) {
                tail.push(format!("时限：{}。", deadline_text(deadline)));
            }
            if let Some(standard) = item
                .standard
                .as_deref()
                .filter(|s| reads_schedule && !s.trim().is_empty())
            {
                tail.push(format!(
                    "完成标准：{}。",
                    standard.trim().trim_end_matches('。')
                ));
            }
            // Measures answering the problems one by one, in order, say so by their order
            // as real materials do; only links that depart from it are written out. A
            // measure without a title keeps the mark: it is what tells its text apart.
            let by_order = super::material::linked_in_order(material)
                && material
                    .items(PartKind::Measures)
                    .all(|measure| !measure.heading.trim().is_empty());
            let links = if by_order {
                String::new()
            } else {
                answering(material, item).unwrap_or_default()
            };
            // Words that stop without a full stop ("立即整改") still end their sentence
            // before "时限：".
            let text = item.text.trim();
            let text = if tail.is_empty() || text.is_empty() || text.ends_with(SENTENCE_ENDS) {
                text.to_string()
            } else {
                format!("{}。", text.trim_end_matches(['；', ';', '，', ',']))
            };
            let rest = join(&[&links, &text, &tail.concat()]);
            // A measure is an action said as a sentence, so its heading ends like one even
            // where nothing follows it (its schedule may be in the 整改清单 table); the
            // importer reads that full stop back off (`fill_measure`).
            blocks.push(Block::SubHeading {
                heading: format!(
                    "{label}{}",
                    sentence(without_own_numbering(&item.heading), true)
                ),
                rest,
            });
        }
        _ => {
            let links = answering(material, item).unwrap_or_default();
            let rest = join(&[&links, &item.text, item.example.as_deref().unwrap_or("")]);
            blocks.push(Block::SubHeading {
                heading: format!(
                    "{label}{}",
                    sentence(without_own_numbering(&item.heading), !rest.is_empty())
                ),
                rest,
            });
        }
    }
    blocks
}

/// A paragraph with line breaks in it becomes several paragraphs.
fn split_lines(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::Body(text) if text.contains('\n') => {
                out.extend(lines(&text).map(Block::Body));
            }
            Block::SubHeading { heading, rest } if rest.contains('\n') => {
                let mut parts = lines(&rest);
                out.push(Block::SubHeading {
                    heading,
                    rest: parts.next().unwrap_or_default(),
                });
                out.extend(parts.map(Block::Body));
            }
            other => out.push(other),
        }
    }
    out
}

fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
}

/// The blocks as plain text, one paragraph a line (for .txt output and round trips). A
/// table is one line a row, its cells separated by tabs, as a table copied out of Word
/// pastes.
pub fn plain_lines(blocks: &[Block]) -> Vec<String> {
    let mut lines = Vec::with_capacity(blocks.len());
    for block in blocks {
        match block {
            Block::SubHeading { heading, rest } => lines.push(format!("{heading}{rest}")),
            Block::Title(text)
            | Block::Speaker(text)
            | Block::Heading(text)
            | Block::Body(text)
            | Block::Closing(text)
            | Block::Date(text)
            | Block::Attachment(text)
            | Block::AttachmentTitle(text) => lines.push(text.clone()),
            Block::Table { header, rows } => {
                lines.push(header.join("\t"));
                lines.extend(rows.iter().map(|row| row.join("\t")));
            }
        }
    }
    lines
}

/// The material as document blocks in the default layout (with the 整改清单 table), in
/// reading order. Empty parts are left out.
pub fn blocks(material: &Material) -> Vec<Block> {
    blocks_with(material, Layout::default())
}

/// The material as document blocks, laid out as its template says.
pub fn blocks_with(material: &Material, layout: Layout) -> Vec<Block> {
    split_lines(lay_out(material, layout))
}

fn lay_out(material: &Material, layout: Layout) -> Vec<Block> {
    let mut blocks = vec![Block::Title(material.title.trim().to_string())];
    if let Some(speaker) = material.speaker.as_deref().filter(|s| !s.trim().is_empty()) {
        blocks.push(Block::Speaker(speaker.trim().to_string()));
    }
    blocks.extend(material.preamble.iter().cloned().map(Block::Body));
    let mut number = 0;
    for part in &material.parts {
        if part.paragraphs.is_empty() && part.items.is_empty() {
            continue;
        }
        number += 1;
        blocks.push(Block::Heading(format!(
            "{}、{}",
            chinese_number(number),
            title_line(&part.heading)
        )));
        blocks.extend(part.paragraphs.iter().cloned().map(Block::Body));
        if part.kind == PartKind::Problems {
            blocks.extend(problem_blocks(material, &part.items, layout));
            continue;
        }
        for (index, item) in part.items.iter().enumerate() {
            blocks.extend(item_blocks(material, part.kind, index + 1, item, layout));
        }
    }
    if let Some(closing) = material.closing.as_deref().filter(|c| !c.trim().is_empty()) {
        blocks.push(Block::Closing(closing.trim().to_string()));
    }
    if let Some(date) = material.date.as_deref().filter(|d| !d.trim().is_empty()) {
        blocks.push(Block::Date(date_line(date)));
    }
    if layout.rectification_table {
        blocks.extend(rectification_blocks(material));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::ItemId;
    use crate::domain::material::tests::{item, linked, material, part};

    #[test]
    fn measures_paired_with_problems_by_order_do_not_name_them() {
        let problems = part(
            PartKind::Problems,
            vec![item("p1", "学习不够深入"), item("p2", "调研偏少")],
        );
        let measures = |links: [&[&str]; 2]| {
            part(
                PartKind::Measures,
                vec![
                    linked(item("m1", "每月精读原著2篇"), links[0]),
                    linked(item("m2", "每季度下基层2次"), links[1]),
                ],
            )
        };
        let text = |m: &Material| plain_lines(&blocks(m)).join("\n");
        let in_order = material(vec![problems.clone(), measures([&["p1"], &["p2"]])]);
        assert!(!text(&in_order).contains("针对"), "{}", text(&in_order));
        // Links that depart from the order are written out, each measure with its own.
        let crossed = material(vec![problems, measures([&["p2"], &["p1", "p2"]])]);
        let crossed = text(&crossed);
        assert!(
            crossed.contains("（一）每月精读原著2篇。（针对第二个问题）"),
            "{crossed}"
        );
        assert!(crossed.contains("（针对第一、二个问题）"), "{crossed}");
    }

    #[test]
    fn parts_are_numbered_in_order_and_empty_parts_skipped() {
        let mut m = material(vec![
            part(PartKind::Duty, vec![]),
            part(PartKind::Problems, vec![item("p1", "学习不深")]),
            part(PartKind::Measures, vec![]),
        ]);
        m.parts[1].heading = "存在的问题。".into();
        m.closing = Some("以上发言，请批评指正。".into());
        m.date = Some("2026年1月15日".into());
        let blocks = blocks(&m);
        assert_eq!(
            blocks[0],
            Block::Title("在专题组织生活会上的发言材料".into())
        );
        assert_eq!(blocks[1], Block::Speaker("张明".into()));
        assert_eq!(blocks[2], Block::Heading("一、存在的问题".into()));
        assert_eq!(
            blocks[3],
            Block::SubHeading {
                heading: "（一）学习不深".into(),
                rest: String::new()
            }
        );
        assert_eq!(blocks[5], Block::Date("2026年1月15日".into()));
    }

    #[test]
    fn a_heading_sentence_standing_alone_keeps_the_full_stop_its_author_wrote() {
        let m = material(vec![part(
            PartKind::Problems,
            vec![
                item("p1", "一是理论学习不够深入。"),
                item("p2", "学习不深"),
                item("p3", "作风不实，"),
                item("p4", "为何落实不力？"),
            ],
        )]);
        let headings: Vec<String> = blocks(&m)
            .into_iter()
            .filter_map(|block| match block {
                Block::SubHeading { heading, .. } => Some(heading),
                _ => None,
            })
            .collect();
        assert_eq!(
            headings,
            [
                "（一）理论学习不够深入。",
                "（二）学习不深",
                "（三）作风不实",
                "（四）为何落实不力？"
            ]
        );
        let mut running = item("p1", "为何落实不力？");
        running.text = "原因在于……".into();
        let m = material(vec![part(PartKind::Problems, vec![running])]);
        assert_eq!(
            blocks(&m)[3],
            Block::SubHeading {
                heading: "（一）为何落实不力？".into(),
                rest: "原因在于……".into()
            }
        );
    }

    #[test]
    fn a_problem_runs_into_its_text_and_example_and_carries_its_cause() {
        let mut problem = item("p1", "学用结合不够紧密");
        problem.category = Some("理论学习方面".into());
        problem.text = "学习停留在读原文。".into();
        problem.example = Some("比如，今年3月……".into());
        problem.cause = Some("思想上重视不够。".into());
        let blocks = blocks(&material(vec![part(PartKind::Problems, vec![problem])]));
        assert_eq!(
            blocks[3],
            Block::SubHeading {
                heading: "（一）理论学习方面：学用结合不够紧密。".into(),
                rest: "学习停留在读原文。比如，今年3月……".into()
            }
        );
        assert_eq!(blocks[4], Block::Body("究其原因，思想上重视不够。".into()));
    }

    #[test]
    fn the_aspect_is_not_printed_twice_when_the_problem_already_says_it() {
        let mut said = item("p1", "在理论学习方面，学用结合不够紧密");
        said.category = Some("理论学习方面".into());
        // Of another aspect: two problems of one aspect in a row print as a group instead.
        let mut unsaid = item("p2", "学用结合不够紧密");
        unsaid.category = Some("政治素质方面".into());
        let blocks = blocks(&material(vec![part(
            PartKind::Problems,
            vec![said, unsaid],
        )]));
        let headings: Vec<_> = plain_lines(&blocks[3..5]);
        assert_eq!(
            headings,
            [
                "（一）在理论学习方面，学用结合不够紧密",
                "（二）政治素质方面：学用结合不够紧密"
            ]
        );
        assert_eq!(with_aspect("政治方面", "政治敏锐性不强"), "政治敏锐性不强");
        assert_eq!(
            with_aspect("作用发挥方面", "先锋模范作用发挥不充分"),
            "作用发挥方面：先锋模范作用发挥不充分",
            "a heading that only mentions the aspect's words does not name it"
        );
        assert_eq!(
            with_aspect("政治素质方面", "政治敏锐性不强"),
            "政治素质方面：政治敏锐性不强"
        );
        assert_eq!(with_aspect("", "学习不深"), "学习不深");
    }

    #[test]
    fn the_apps_numbering_never_doubles_the_ordinal_the_author_typed() {
        for typed in [
            "一是学习不深",
            "二是，学习不深",
            "其一，学习不深",
            "第三、学习不深",
            "③学习不深",
            "（一）学习不深",
            "(2) 学习不深",
            "一、学习不深",
            "1.学习不深",
            "十二是学习不深",
        ] {
            assert_eq!(without_own_numbering(typed), "学习不深", "{typed}");
        }
        for kept in [
            "第一次调研不深入",
            "一体推进不够",
            "2026年学习不深",
            "其他方面",
            "一是",
            "学习不深",
        ] {
            assert_eq!(without_own_numbering(kept), kept);
        }
        let mut measure = item("m1", "一是加强理论学习");
        measure.text = "每月精读原著2篇。".into();
        let m = material(vec![
            part(PartKind::Problems, vec![item("p1", "二是学习不深")]),
            part(PartKind::Measures, vec![measure]),
        ]);
        let lines = plain_lines(&blocks(&m));
        assert!(lines.contains(&"（一）学习不深".to_string()), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.starts_with("（一）加强理论学习。")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_date_typed_with_dashes_is_printed_the_way_documents_write_dates() {
        let mut m = material(vec![part(PartKind::Problems, vec![item("p1", "学习不深")])]);
        m.date = Some("2026-11-15".into());
        assert_eq!(blocks(&m).pop(), Some(Block::Date("2026年11月15日".into())));
        assert_eq!(date_line("2026/1/5"), "2026年1月5日");
        assert_eq!(date_line("二〇二六年一月"), "二〇二六年一月");
    }

    #[test]
    fn a_measure_names_its_problems_deadline_and_standard_in_prose() {
        let problems = part(
            PartKind::Problems,
            vec![item("p1", "甲"), item("p2", "乙"), item("p3", "丙")],
        );
        let mut measure = linked(item("m1", "加强理论学习"), &["p1", "p3"]);
        measure.text = "每月精读原著2篇。".into();
        measure.deadline = Some(Deadline::By(
            chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        ));
        measure.standard = Some("形成读书笔记".into());
        let m = material(vec![problems, part(PartKind::Measures, vec![measure])]);
        let inline = Layout {
            rectification_table: false,
        };
        let last = blocks_with(&m, inline).pop().unwrap();
        assert_eq!(
            last,
            Block::SubHeading {
                heading: "（一）加强理论学习。".into(),
                rest: "（针对第一、三个问题）每月精读原著2篇。时限：2026年6月30日前完成。完成标准：形成读书笔记。"
                    .into()
            }
        );
        assert!(
            m.items(PartKind::Measures)
                .any(|i| i.id == ItemId("m1".into()))
        );
    }

    #[test]
    fn with_the_rectification_table_the_measure_reads_only_its_words_and_the_table_follows_the_date()
     {
        let problems = part(
            PartKind::Problems,
            vec![item("p1", "学习不深"), item("p2", "调研偏少")],
        );
        let mut first = linked(item("m1", "加强理论学习"), &["p1"]);
        first.text = "每月精读原著2篇".into();
        first.deadline = Some(Deadline::By(
            chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        ));
        first.owner = Some("张明".into());
        first.standard = Some("形成读书笔记".into());
        let mut second = linked(item("m2", "加强调查研究"), &["p2"]);
        second.deadline = Some(Deadline::Ongoing);
        let mut m = material(vec![
            problems,
            part(PartKind::Measures, vec![first, second]),
        ]);
        m.closing = Some("以上发言，请批评指正。".into());
        m.date = Some("2026年1月15日".into());
        let laid_out = blocks(&m);
        let lines = plain_lines(&laid_out).join("\n");
        for spoken in ["时限：", "完成标准：", "责任人："] {
            assert!(!lines.contains(spoken), "{spoken} in {lines}");
        }
        assert!(
            lines.contains("（一）加强理论学习。每月精读原著2篇\n"),
            "{lines}"
        );
        // A measure that is only its heading still ends its sentence.
        assert!(lines.contains("（二）加强调查研究。\n"), "{lines}");
        let tail = &laid_out[laid_out.len() - 4..];
        assert_eq!(tail[0], Block::Date("2026年1月15日".into()));
        assert_eq!(tail[1], Block::Attachment("附件".into()));
        assert_eq!(tail[2], Block::AttachmentTitle("整改清单".into()));
        let Block::Table { header, rows } = &tail[3] else {
            panic!("{:?}", tail[3]);
        };
        assert_eq!(
            header,
            &["序号", "问题", "整改措施", "责任人", "完成时限", "完成标准"]
        );
        assert_eq!(
            rows,
            &[
                [
                    "1",
                    "学习不深",
                    "加强理论学习",
                    "张明",
                    "2026年6月30日",
                    "形成读书笔记"
                ],
                ["2", "调研偏少", "加强调查研究", "", "长期坚持", ""],
            ]
        );

        let inline = Layout {
            rectification_table: false,
        };
        let spoken = plain_lines(&blocks_with(&m, inline)).join("\n");
        assert!(!spoken.contains("整改清单"), "{spoken}");
        assert!(spoken.contains("每月精读原著2篇。责任人：张明。时限：2026年6月30日前完成。"));
        let no_measures = material(vec![part(PartKind::Problems, vec![item("p1", "学习不深")])]);
        assert!(
            !plain_lines(&blocks(&no_measures))
                .join("")
                .contains("整改清单")
        );
    }

    #[test]
    fn problems_of_one_aspect_print_under_it_numbered_one_is_two_is() {
        let problem = |id: &str, heading: &str, category: Option<&str>| {
            let mut problem = item(id, heading);
            problem.category = category.map(str::to_string);
            problem.text = "学习停留在读原文。".into();
            problem
        };
        let mut caused = problem("p1", "一是学用结合不够紧密", Some("在理论学习方面"));
        caused.cause = Some("思想上重视不够。".into());
        let mut unstopped = problem("p2", "学习不够系统", Some("在理论学习方面"));
        unstopped.text = "碎片化阅读多".into();
        unstopped.cause = Some("原因在于没有计划。".into());
        let m = material(vec![part(
            PartKind::Problems,
            vec![
                caused,
                unstopped,
                problem("p3", "请假手续不规范", Some("在纪律作风方面")),
                problem("p4", "调研偏少", None),
            ],
        )]);
        assert_eq!(
            plain_lines(&blocks(&m))[3..],
            [
                "（一）在理论学习方面",
                "一是学用结合不够紧密。学习停留在读原文。究其原因，思想上重视不够。",
                "二是学习不够系统。碎片化阅读多",
                "原因在于没有计划。",
                "（二）在纪律作风方面：请假手续不规范。学习停留在读原文。",
                "（三）调研偏少。学习停留在读原文。",
            ]
        );
        assert_eq!(
            blocks(&m)[3],
            Block::SubHeading {
                heading: "（一）在理论学习方面".into(),
                rest: String::new()
            },
            "the aspect is a 楷体 heading standing alone"
        );
    }
}
