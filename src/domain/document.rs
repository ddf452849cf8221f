//! The material laid out as a document: a flat list of typed blocks in reading order, with
//! numbering generated (一、 /（一）). The HTML preview and the .docx exporter both
//! render these blocks, so what the author previews is what the file contains. Links are
//! rendered as the usual prose ("针对……问题").

use super::material::{Deadline, Item, Material, PartKind};
use super::outline::chinese_number;
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

fn item_blocks(material: &Material, kind: PartKind, number: usize, item: &Item) -> Vec<Block> {
    let label = format!("（{}）", chinese_number(number));
    let mut blocks = Vec::new();
    match kind {
        PartKind::Problems => {
            let rest = join(&[&item.text, item.example.as_deref().unwrap_or("")]);
            let heading = match &item.category {
                Some(category) if !item.heading.contains(category.trim_end_matches("方面")) => {
                    format!("{category}：{}", item.heading.trim())
                }
                _ => item.heading.clone(),
            };
            blocks.push(Block::SubHeading {
                heading: format!("{label}{}", sentence(&heading, !rest.is_empty())),
                rest,
            });
            if let Some(cause) = item.cause.as_deref().filter(|c| !c.trim().is_empty()) {
                let cause = cause.trim();
                blocks.push(Block::Body(if cause.starts_with("究其原因") {
                    cause.to_string()
                } else {
                    format!("究其原因，{cause}")
                }));
            }
        }
        PartKind::Measures => {
            let mut tail = Vec::new();
            if let Some(deadline) = &item.deadline {
                tail.push(format!("时限：{}。", deadline_text(deadline)));
            }
            if let Some(standard) = item.standard.as_deref().filter(|s| !s.trim().is_empty()) {
                tail.push(format!(
                    "完成标准：{}。",
                    standard.trim().trim_end_matches('。')
                ));
            }
            let links = answering(material, item).unwrap_or_default();
            let rest = join(&[&links, &item.text, &tail.concat()]);
            blocks.push(Block::SubHeading {
                heading: format!("{label}{}", sentence(&item.heading, !rest.is_empty())),
                rest,
            });
        }
        _ => {
            let links = answering(material, item).unwrap_or_default();
            let rest = join(&[&links, &item.text, item.example.as_deref().unwrap_or("")]);
            blocks.push(Block::SubHeading {
                heading: format!("{label}{}", sentence(&item.heading, !rest.is_empty())),
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

/// The blocks as plain text, one paragraph a line (for .txt output and round trips).
pub fn plain_lines(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|block| match block {
            Block::SubHeading { heading, rest } => format!("{heading}{rest}"),
            Block::Title(text)
            | Block::Speaker(text)
            | Block::Heading(text)
            | Block::Body(text)
            | Block::Closing(text)
            | Block::Date(text) => text.clone(),
        })
        .collect()
}

/// The material as document blocks, in reading order. Empty parts are left out.
pub fn blocks(material: &Material) -> Vec<Block> {
    split_lines(layout(material))
}

fn layout(material: &Material) -> Vec<Block> {
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
        for (index, item) in part.items.iter().enumerate() {
            blocks.extend(item_blocks(material, part.kind, index + 1, item));
        }
    }
    if let Some(closing) = material.closing.as_deref().filter(|c| !c.trim().is_empty()) {
        blocks.push(Block::Closing(closing.trim().to_string()));
    }
    if let Some(date) = material.date.as_deref().filter(|d| !d.trim().is_empty()) {
        blocks.push(Block::Date(date.trim().to_string()));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::ItemId;
    use crate::domain::material::tests::{item, linked, material, part};

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
                "（一）一是理论学习不够深入。",
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
        let last = blocks(&m).pop().unwrap();
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
}
