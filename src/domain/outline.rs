//! A material as numbered plain-text lines, the way it reads aloud, and line diffs between
//! two versions (revision history, review rounds). The numbering is generated here, never
//! stored, so reordering items renumbers them.

use super::material::{Deadline, Material, PartKind};
use serde::{Deserialize, Serialize};

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; larger numbers stay Arabic.
pub fn chinese_number(n: usize) -> String {
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", DIGITS[n / 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// How the outline names a problem's aspect (方面).
pub const CATEGORY_LINE: &str = "查摆方面：";

/// The material's text, one paragraph a line, with 一、/（一） numbering, and each problem's
/// aspect on a line of its own.
pub fn outline(material: &Material) -> Vec<String> {
    let mut lines = vec![material.title.clone()];
    lines.extend(material.speaker.clone());
    lines.extend(material.preamble.iter().cloned());
    for (index, part) in material.parts.iter().enumerate() {
        lines.push(format!("{}、{}", chinese_number(index + 1), part.heading));
        lines.extend(part.paragraphs.iter().cloned());
        for (number, item) in part.items.iter().enumerate() {
            let numbered = format!("（{}）", chinese_number(number + 1));
            lines.push(match item.heading.trim() {
                "" => numbered,
                heading => format!("{numbered}{}", without_own_numbering(heading)),
            });
            // The aspect a problem is filed under is part of what a reviewer checks, so a
            // change of it shows in a diff even where the printed heading does not name it.
            if part.kind == PartKind::Problems
                && let Some(category) = item.category.as_ref().filter(|c| !c.trim().is_empty())
            {
                lines.push(format!("{CATEGORY_LINE}{}", category.trim()));
            }
            lines.extend(
                [Some(&item.text), item.example.as_ref(), item.cause.as_ref()]
                    .into_iter()
                    .flatten()
                    .filter(|text| !text.trim().is_empty())
                    .cloned(),
            );
            if part.kind == PartKind::Measures {
                if let Some(deadline) = item.deadline {
                    lines.push(match deadline {
                        Deadline::By(date) => format!("时限：{}", date.format("%Y年%-m月%-d日")),
                        Deadline::Ongoing => "时限：长期坚持".into(),
                    });
                }
                if let Some(standard) = item.standard.as_ref().filter(|s| !s.trim().is_empty()) {
                    lines.push(format!("完成标准：{standard}"));
                }
                if let Some(owner) = item.owner.as_deref().filter(|o| !o.trim().is_empty()) {
                    lines.push(if owner.contains(['：', ':']) {
                        owner.to_string()
                    } else {
                        format!("责任人：{owner}")
                    });
                }
            }
        }
    }
    lines.extend(material.closing.clone());
    lines.extend(material.date.clone());
    lines
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub change: Change,
    pub text: String,
}

/// The line diff from `old` to `new` (Myers, via the `similar` crate).
pub fn diff(old: &Material, new: &Material) -> Vec<DiffLine> {
    let old_lines = outline(old);
    let new_lines = outline(new);
    let old_refs: Vec<&str> = old_lines.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new_lines.iter().map(String::as_str).collect();
    similar::TextDiff::from_slices(&old_refs, &new_refs)
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                similar::ChangeTag::Equal => Change::Same,
                similar::ChangeTag::Insert => Change::Added,
                similar::ChangeTag::Delete => Change::Removed,
            },
            text: change.value().to_string(),
        })
        .collect()
}

const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

/// A heading without the ordinal its author typed in front of it ("一是", "其二，",
/// "第三、", "③", "（一）", "一、", "1."): the app numbers items itself, and "（一）一是……"
/// reads the number twice.
pub fn without_own_numbering(heading: &str) -> &str {
    let heading = heading.trim_start();
    let digits_end = heading
        .char_indices()
        .find(|(_, c)| !"一二三四五六七八九十".contains(*c))
        .map_or(heading.len(), |(index, _)| index);
    let rest = if let Some(rest) = heading.strip_prefix(|c: char| CIRCLED.contains(c)) {
        Some(rest)
    } else if let Some(after) = heading.strip_prefix(['（', '(']) {
        after
            .find(['）', ')'])
            .filter(|&close| {
                close > 0
                    && after[..close]
                        .chars()
                        .all(|c| "一二三四五六七八九十".contains(c) || c.is_ascii_digit())
            })
            .map(|close| after[close..].trim_start_matches(['）', ')']))
    } else if digits_end > 0 {
        let after = &heading[digits_end..];
        after
            .strip_prefix('是')
            .or_else(|| after.strip_prefix(['、', '．']))
    } else if let Some(after) = heading
        .strip_prefix('其')
        .or_else(|| heading.strip_prefix('第'))
    {
        let end = after
            .char_indices()
            .find(|(_, c)| !"一二三四五六七八九十".contains(*c))
            .map_or(after.len(), |(index, _)| index);
        (end > 0)
            .then(|| after[end..].strip_prefix(['，', '、', ',', '：', ':']))
            .flatten()
    } else {
        let end = heading
            .char_indices()
            .find(|(_, c)| !c.is_ascii_digit())
            .map_or(heading.len(), |(index, _)| index);
        (1..=2)
            .contains(&end)
            .then(|| heading[end..].strip_prefix(['.', '、', '．']))
            .flatten()
            .filter(|after| !after.starts_with(|c: char| c.is_ascii_digit()))
    };
    match rest.map(|rest| rest.trim_start_matches(['，', ',', '：', ':']).trim_start()) {
        Some(rest) if !rest.is_empty() => rest,
        _ => heading,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::tests::{item, material, part};

    #[test]
    fn numbers_read_as_chinese_numerals() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (35, "三十五"),
            (100, "100"),
        ];
        for (n, expected) in cases {
            assert_eq!(chinese_number(n), expected);
        }
    }

    #[test]
    fn the_outline_numbers_parts_and_items_and_spells_out_deadlines() {
        let mut measure = item("m1", "");
        measure.text = "每月读原著2篇".into();
        measure.deadline = Some(Deadline::By(
            chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        ));
        measure.standard = Some("笔记12篇".into());
        measure.owner = Some("办公室 李华".into());
        let mut problem = item("p1", "学习不深");
        problem.example = Some("比如3月".into());
        let m = material(vec![
            part(PartKind::Problems, vec![problem]),
            part(PartKind::Measures, vec![measure]),
        ]);
        assert_eq!(
            outline(&m),
            vec![
                "在专题组织生活会上的发言材料",
                "张明",
                "一、存在的问题",
                "（一）学习不深",
                "比如3月",
                "二、整改措施",
                "（一）",
                "每月读原著2篇",
                "时限：2026年6月30日",
                "完成标准：笔记12篇",
                "责任人：办公室 李华",
            ]
        );
    }

    #[test]
    fn a_diff_between_rounds_shows_a_problem_moved_to_another_aspect() {
        let mut problem = item("p1", "学习不深");
        problem.category = Some("理论学习方面".into());
        let old = material(vec![part(PartKind::Problems, vec![problem])]);
        let mut new = old.clone();
        new.parts[0].items[0].category = Some("工作作风方面".into());
        let changed: Vec<(Change, String)> = diff(&old, &new)
            .into_iter()
            .filter(|line| line.change != Change::Same)
            .map(|line| (line.change, line.text))
            .collect();
        assert_eq!(
            changed,
            vec![
                (Change::Removed, "查摆方面：理论学习方面".to_string()),
                (Change::Added, "查摆方面：工作作风方面".to_string()),
            ]
        );
        let mut unfiled = old.clone();
        unfiled.parts[0].items[0].category = None;
        assert!(
            diff(&old, &unfiled)
                .iter()
                .any(|line| line.change == Change::Removed && line.text.contains("理论学习")),
            "taking the aspect away shows too"
        );
    }

    #[test]
    fn a_diff_shows_removed_and_added_lines_in_place() {
        let old = material(vec![part(PartKind::Problems, vec![item("p1", "学习不深")])]);
        let mut new = old.clone();
        new.parts[0].items[0].heading = "学习不深不透".into();
        let lines = diff(&old, &new);
        let changed: Vec<(Change, &str)> = lines
            .iter()
            .filter(|line| line.change != Change::Same)
            .map(|line| (line.change, line.text.as_str()))
            .collect();
        assert_eq!(
            changed,
            vec![
                (Change::Removed, "（一）学习不深"),
                (Change::Added, "（一）学习不深不透")
            ]
        );
        assert!(
            diff(&old, &old)
                .iter()
                .all(|line| line.change == Change::Same)
        );
    }
}
