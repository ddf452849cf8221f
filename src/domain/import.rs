//! Turning an existing draft (pasted text, a .txt or the paragraphs of a .docx) into the
//! structure of docs/DOMAIN.md §3, for the shapes people write (§3.7):
//!
//! - parts by their numbering (一、 / 第一部分) or by their words alone, in any order;
//! - items by （一） / 1. / （1） at line starts, or by 一是 / 其一 / 第一， / ① inside a
//!   paragraph or at line starts; "（一）在……方面" followed by numbered items is a group, whose
//!   words become each problem's aspect (category);
//! - a problem's 事例 ("比如……") and own 原因 ("究其原因 / 究其根源 / 原因是……");
//! - a measure's 时限, 责任人 / 责任领导 / 责任部门 and 完成标准 / 预期目标, labelled or not, in
//!   brackets or on lines of their own;
//! - the title (over two or three lines), speaker line, closing sentence and date;
//! - an appended 整改清单 table (from a .docx, or pasted: one row a line, cells separated by
//!   tabs), whose 责任人 / 完成时限 / 完成标准 go to the measures it lists.
//!
//! Nothing is dropped: whatever is not numbering, a label or a recognised 时限 stays as text
//! where it stood. Dates written without a year ("6月底前") are read against a reference
//! date: the material's own date, else the one given (the meeting's), else the year its
//! title names ("2025年度" → the meeting early in 2026). The domain never reads a clock.
//!
//! Long because real drafts come in many shapes and each reading rule sits beside the
//! shape it reads; the test fixtures are in `import/fixtures.rs`.

mod numbering;
mod schedule;

#[cfg(test)]
mod fixtures;

use super::document::names_a_cause;
use super::material::{Item, ItemId, Material, Part, PartKind, link_in_order};
use chrono::NaiveDate;
use numbering::{Numbering, chinese_to_usize, numbering, split_at_ordinals};
use schedule::{Field, deadline, is_deadline_phrase, take_schedule};

/// Which part a heading's words announce, if any. Order matters: "问题产生的原因" is about
/// causes, "问题及原因" about problems (with their causes inside), "能力提升方面的差距" about
/// problems, "下一步整改措施" about measures.
fn part_kind(heading: &str) -> Option<PartKind> {
    let has = |words: &[&str]| words.iter().any(|word| heading.contains(word));
    // "问题及原因", "存在的问题及产生原因", "检视问题与根源剖析": problems, causes inside.
    let problems_with_causes = heading.find("问题").is_some_and(|at| {
        let rest = &heading[at + "问题".len()..];
        ["及", "和", "与", "以及"]
            .iter()
            .any(|and| rest.starts_with(and))
            && ["原因", "根源", "剖析"]
                .iter()
                .any(|word| rest.contains(word))
    });
    if has(&[
        "上次",
        "上年",
        "上一年",
        "去年",
        "落实情况",
        "整改情况",
        "回头看",
    ]) {
        Some(PartKind::Carryover)
    } else if problems_with_causes {
        Some(PartKind::Problems)
    } else if has(&["原因", "根源"]) || (has(&["剖析"]) && !has(&["问题"])) {
        Some(PartKind::Causes)
    } else if has(&["批评"]) {
        Some(PartKind::Criticism)
    } else if has(&["整改", "措施", "举措", "努力方向", "今后", "打算", "下一步"])
    {
        Some(PartKind::Measures)
    } else if has(&["问题", "不足", "差距", "短板", "查摆", "检视", "对照"]) {
        Some(PartKind::Problems)
    } else if has(&["改进", "提升", "方向"]) {
        Some(PartKind::Measures)
    } else if has(&["建议", "意见"]) {
        Some(PartKind::Suggestions)
    } else if has(&["职责", "认识", "体会", "收获", "学习", "思想"]) {
        Some(PartKind::Duty)
    } else {
        None
    }
}

/// A heading without a number is only taken as one when it is short and has no sentence
/// punctuation in it; an aspect line ("理论学习方面") opens a group, not a part.
fn looks_like_bare_heading(paragraph: &str) -> bool {
    let length = paragraph.chars().count();
    (2..=20).contains(&length)
        && !paragraph.contains(['。', '，', '；', '：', ',', ';'])
        && !paragraph.ends_with("方面")
}

fn is_closing(paragraph: &str) -> bool {
    [
        "以上发言",
        "以上是我",
        "以上就是",
        "不妥之处",
        "批评指正",
        "不当之处",
        "请各位",
        "敬请",
    ]
    .iter()
    .any(|phrase| paragraph.contains(phrase))
        && paragraph.chars().count() <= 80
}

fn is_date(paragraph: &str) -> bool {
    let text = paragraph.trim();
    let Some((year, rest)) = text.split_once('年') else {
        return false;
    };
    let Some((month, rest)) = rest.split_once('月') else {
        return false;
    };
    let day = rest.trim_end_matches('日');
    year.chars().count() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && !month.is_empty()
        && month.chars().all(|c| c.is_ascii_digit())
        && !day.is_empty()
        && day.chars().all(|c| c.is_ascii_digit())
        && rest.ends_with('日')
}

/// Words a title ends with ("……个人对照检查材料", "……发言提纲").
const TITLE_ENDS: [&str; 6] = ["材料", "提纲", "发言", "发言稿", "报告", "讲话"];

fn ends_a_title(line: &str) -> bool {
    let line = line.trim_end_matches(['）', ')']);
    TITLE_ENDS.iter().any(|end| line.ends_with(end))
}

/// A line that may be (part of) the title: unnumbered, short, not a sentence.
fn may_be_title(line: &str, max: usize) -> bool {
    numbering(line).is_none()
        && line.chars().count() <= max
        && !line.ends_with(['。', '：', ':'])
        && !line.contains(['。', '，', '；'])
}

/// Splits a run-in heading from its paragraph: "学用结合不紧密。具体表现……" →
/// ("学用结合不紧密", "具体表现……"). A heading sentence with nothing after it keeps its
/// full stop ("理论学习不够深入。"): the document prints it as written. A short paragraph
/// without a full stop is all heading.
fn split_heading(text: &str) -> (String, String) {
    match text.find(['。', '！', '？']) {
        Some(end) if text[..end].chars().count() <= 60 => {
            let stop = text[end..].chars().next().map_or(0, char::len_utf8);
            let rest = text[end + stop..].trim();
            let heading = if rest.is_empty() {
                &text[..end + stop]
            } else {
                &text[..end]
            };
            (heading.trim().to_string(), rest.to_string())
        }
        _ if text.chars().count() <= 40 => (text.trim().to_string(), String::new()),
        _ => (String::new(), text.trim().to_string()),
    }
}

/// The problem numbers in "（针对第一、三个问题）".
fn linked_numbers(text: &str) -> Option<(Vec<usize>, &str)> {
    let rest = text.strip_prefix("（针对第")?;
    let end = rest.find("个问题）")?;
    let numbers = rest[..end]
        .split('、')
        .map(|number| chinese_to_usize(number.trim()))
        .collect::<Option<Vec<_>>>()?;
    Some((numbers, &rest[end + "个问题）".len()..]))
}

/// Words that open a problem's own 原因 in the first clause of a sentence.
const CAUSE_OPENINGS: [&str; 19] = [
    "究其原因",
    "究其根源",
    "究其根本",
    "深挖根源",
    "深挖原因",
    "深究原因",
    "追根溯源",
    "剖析原因",
    "分析原因",
    "原因分析",
    "原因是",
    "原因在于",
    "原因主要是",
    "根源在于",
    "根源是",
    "主要原因",
    "根本原因",
    "深层次原因",
    "问题根源",
];

fn opens_cause(clause: &str) -> bool {
    clause.chars().count() <= 25
        && (CAUSE_OPENINGS.iter().any(|words| clause.contains(words))
            || clause == "原因"
            || clause.ends_with("的原因")
            || clause.ends_with("的根源"))
}

/// Where the first sentence opening a 原因 starts, if any.
fn cause_start(text: &str) -> Option<usize> {
    let starts = std::iter::once(0).chain(
        text.char_indices()
            .filter(|(_, c)| "。！？；!?;\n".contains(*c))
            .map(|(at, c)| at + c.len_utf8()),
    );
    starts
        .map(|start| start + (text[start..].len() - text[start..].trim_start().len()))
        .find(|&start| {
            let clause = text[start..]
                .split(['，', ',', '：', ':', '。', '；'])
                .next()
                .unwrap_or_default();
            !clause.is_empty() && opens_cause(clause)
        })
}

fn example_start(text: &str) -> Option<usize> {
    [
        "比如",
        "例如",
        "譬如",
        "如：",
        "典型事例",
        "具体事例",
        "事例：",
    ]
    .iter()
    .filter_map(|marker| text.find(marker))
    .min()
}

fn push_text(target: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if !target.is_empty() {
        target.push('\n');
    }
    target.push_str(text);
}

fn push_optional(target: &mut Option<String>, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    let mut current = target.take().unwrap_or_default();
    push_text(&mut current, text);
    *target = Some(current);
}

/// Where the next words of a problem go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Text,
    Example,
    Cause,
}

/// Adds a paragraph to a problem: its 表现, then from "比如" its 事例, from "究其原因" its
/// 原因; words after a marker stay with it until the next one.
fn add_to_problem(item: &mut Item, slot: &mut Slot, paragraph: &str) {
    let mut rest = paragraph.trim();
    while !rest.is_empty() {
        let cause = (*slot != Slot::Cause).then(|| cause_start(rest)).flatten();
        let example = (*slot == Slot::Text).then(|| example_start(rest)).flatten();
        let next = match (cause, example) {
            (Some(cause), Some(example)) if example < cause => Some((example, Slot::Example)),
            (Some(cause), _) => Some((cause, Slot::Cause)),
            (None, Some(example)) => Some((example, Slot::Example)),
            (None, None) => None,
        };
        let Some((at, next)) = next else {
            put(item, *slot, rest);
            return;
        };
        put(item, *slot, &rest[..at]);
        *slot = next;
        rest = &rest[at..];
        if next == Slot::Cause
            && let Some(after) = rest.strip_prefix("究其原因")
        {
            // Stored without "究其原因，": the document puts it back, unless the words
            // after it name the cause themselves.
            let after = after.trim_start_matches(['，', ',', '：', ':']);
            if !names_a_cause(after) {
                rest = after;
            }
        }
    }
}

fn put(item: &mut Item, slot: Slot, text: &str) {
    match slot {
        Slot::Text => push_text(&mut item.text, text),
        Slot::Example => push_optional(&mut item.example, text),
        Slot::Cause => push_optional(&mut item.cause, text),
    }
}

fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split(['，', '；', ',', ';'])
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
}

/// Fills a measure's text, 时限, 责任人 and 完成标准 from its paragraphs.
fn fill_measure(item: &mut Item, body: &[String], reference: Option<NaiveDate>) {
    let accept = |phrase: &str| deadline(phrase, reference).is_some();
    let mut entries = Vec::new();
    let mut phrases = Vec::new();
    let found = take_schedule(&item.heading, body.is_empty(), accept);
    if !found.entries.is_empty() || found.phrase.is_some() {
        item.heading = found.rest;
        entries.extend(found.entries);
        phrases.extend(found.phrase);
    }
    for (index, paragraph) in body.iter().enumerate() {
        let closing = index + 1 == body.len() || is_deadline_phrase(paragraph);
        let found = take_schedule(paragraph, closing, accept);
        push_text(&mut item.text, &found.rest);
        entries.extend(found.entries);
        phrases.extend(found.phrase);
    }
    // A measure that is only its heading sentence is kept without its full stop, as one
    // whose sentence runs on is: the document ends every measure's heading with one.
    if item.text.is_empty()
        && !item.heading.ends_with("。。")
        && let Some(bare) = item.heading.strip_suffix('。')
    {
        item.heading = bare.to_string();
    }
    let mut owners = Vec::new();
    let mut kept = Vec::new();
    for entry in entries {
        match entry.field {
            Field::Deadline if item.deadline.is_none() => {
                if let Some(date) = deadline(&entry.value, reference) {
                    item.deadline = Some(date);
                } else if let Some((at, date)) = clauses(&entry.value)
                    .enumerate()
                    .find_map(|(at, clause)| Some((at, deadline(clause, reference)?)))
                {
                    // "2026年6月底前完成，并建立长效机制", "立即整改，长期坚持": the 时限 is
                    // held, the other words stay.
                    item.deadline = Some(date);
                    let rest: Vec<&str> = clauses(&entry.value)
                        .enumerate()
                        .filter(|(index, _)| *index != at)
                        .map(|(_, clause)| clause)
                        .collect();
                    kept.push(rest.join("，"));
                } else {
                    kept.push(entry.as_written());
                }
            }
            Field::Deadline => kept.push(entry.as_written()),
            Field::Owner => owners.push(entry),
            Field::Standard => {
                let standard = item.standard.get_or_insert_with(String::new);
                if !standard.is_empty() {
                    standard.push('；');
                }
                standard.push_str(&entry.value);
            }
        }
    }
    for phrase in phrases {
        match deadline(&phrase, reference) {
            Some(date) if item.deadline.is_none() => item.deadline = Some(date),
            _ => kept.push(phrase),
        }
    }
    for words in kept {
        // Kept words end their sentence, as the document will print them before "时限：".
        let words = words.trim().trim_end_matches(['；', ';', '，', ',']);
        if words.is_empty() || words.ends_with(['。', '！', '？']) {
            push_text(&mut item.text, words);
        } else {
            push_text(&mut item.text, &format!("{words}。"));
        }
    }
    item.owner = match owners.as_slice() {
        [] => None,
        [only] if only.label == "责任人" => Some(only.value.clone()),
        all => Some(
            all.iter()
                .map(|entry| entry.as_written())
                .collect::<Vec<_>>()
                .join("；"),
        ),
    };
}

/// Builds one item from its lines (the first without its numbering). `heading`, when
/// given, is the item's heading and every line is body.
fn item_of(
    kind: PartKind,
    lines: &[String],
    heading: Option<String>,
    reference: Option<NaiveDate>,
) -> Item {
    let mut item = Item::default();
    let mut body: Vec<String> = Vec::new();
    match heading {
        Some(heading) => {
            item.heading = heading;
            body.extend(lines.iter().cloned());
        }
        None => {
            let first = lines.first().map_or("", String::as_str);
            // A measure without a title starts straight with the problems it answers.
            let (heading, rest) = if linked_numbers(first).is_some() {
                (String::new(), first.to_string())
            } else {
                split_heading(first)
            };
            item.heading = heading;
            body.push(rest);
            body.extend(lines.iter().skip(1).cloned());
        }
    }
    if kind == PartKind::Problems
        && let Some((category, headline)) = item.heading.split_once('：')
        && category.ends_with("方面")
    {
        item.category = Some(category.to_string());
        item.heading = headline.to_string();
    }
    if kind == PartKind::Problems
        && item.category.is_none()
        && let Some(aspect) = aspect(&item.heading)
    {
        // "（一）在理论学习方面。……": one problem, under its aspect.
        item.category = Some(aspect.to_string());
    }
    if let Some(first) = body.first_mut()
        && let Some((numbers, after)) = linked_numbers(first)
    {
        item.links = numbers
            .into_iter()
            .map(|n| ItemId(format!("p{n}")))
            .collect();
        *first = after.to_string();
    }
    body.retain(|line| !line.trim().is_empty());
    match kind {
        PartKind::Problems => {
            let mut slot = Slot::Text;
            for paragraph in &body {
                add_to_problem(&mut item, &mut slot, paragraph);
            }
        }
        PartKind::Measures => fill_measure(&mut item, &body, reference),
        _ => {
            for paragraph in &body {
                push_text(&mut item.text, paragraph);
            }
        }
    }
    item
}

/// Lines split into the words before the first numbered item and the items.
struct Units {
    lead: Vec<String>,
    items: Vec<Vec<String>>,
}

/// Lines as paragraphs: trimmed, none empty.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// An item cut out of a paragraph ends where the next began: "……；" reads "……。".
fn end_sentence(mut lines: Vec<String>) -> Vec<String> {
    if let Some(last) = lines.last_mut()
        && let Some(stripped) = last.strip_suffix(['；', ';', '，', ','])
    {
        *last = format!("{stripped}。");
    }
    lines
}

/// The items numbered at `level` (a line-start numbering) among `lines`.
fn numbered_units(lines: &[String], level: Numbering) -> Option<Units> {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| numbering(line).is_some_and(|(found, _)| found == level))
        .map(|(index, _)| index)
        .collect();
    let first = *starts.first()?;
    let items = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(lines.len());
            let mut item: Vec<String> = lines[start..end].to_vec();
            if let Some((_, rest)) = numbering(&item[0]) {
                item[0] = rest.to_string();
            }
            item
        })
        .collect();
    Some(Units {
        lead: lines[..first].to_vec(),
        items,
    })
}

/// Lines split at unnumbered aspect lines, each aspect line opening a group.
fn aspect_units(lines: &[String]) -> Option<Units> {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| numbering(line).is_none() && aspect(line).is_some())
        .map(|(index, _)| index)
        .collect();
    let first = *starts.first()?;
    let items = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(lines.len());
            lines[start..end].to_vec()
        })
        .collect();
    Some(Units {
        lead: lines[..first].to_vec(),
        items,
    })
}

/// The items inside a unit's lines: numbered lines of a lower level than `level`, else the
/// ordinals of its text (一是……二是……) — at least two either way.
fn sub_units(lines: &[String], level: Option<Numbering>) -> Option<Units> {
    let lower = lines
        .iter()
        .skip(1)
        .filter_map(|line| numbering(line).map(|(found, _)| found))
        .filter(|found| *found != Numbering::Chinese && level.is_none_or(|level| *found > level))
        .min();
    if let Some(lower) = lower
        && let Some(units) = numbered_units(lines, lower)
        && units.items.len() >= 2
    {
        return Some(units);
    }
    let joined = lines.join("\n");
    let (lead, items) = split_at_ordinals(&joined)?;
    Some(Units {
        lead: paragraphs(lead),
        items: items
            .into_iter()
            .map(|item| end_sentence(paragraphs(item)))
            .collect(),
    })
}

/// A group's own words: its title ("在理论学习方面") and what follows before its first item
/// ("主要表现在：").
fn group_title(lead: &[String]) -> (String, Vec<String>) {
    let Some(first) = lead.first() else {
        return (String::new(), Vec::new());
    };
    let sentence_end = first
        .find(['。', '：', ':', '；', '！', '？'])
        .unwrap_or(first.len());
    let (title_end, rest_start) = match first[..sentence_end]
        .find("方面，")
        .or_else(|| first[..sentence_end].find("方面,"))
    {
        Some(at) => {
            let end = at + "方面".len();
            (
                end,
                end + first[end..].chars().next().map_or(0, char::len_utf8),
            )
        }
        None => (
            sentence_end,
            sentence_end
                + first[sentence_end..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8),
        ),
    };
    let title = first[..title_end].trim().to_string();
    if title.chars().count() > 40 && !title.contains("方面") {
        // A long sentence is no aspect: it stays words of the first item.
        return (String::new(), lead.to_vec());
    }
    let mut rest = paragraphs(&first[rest_start..]);
    rest.extend(lead.iter().skip(1).cloned());
    (title, rest)
}

/// The aspect a line names ("在理论学习方面", "政治信仰方面：", "理论学习方面存在的问题"), when
/// it is nothing else.
fn aspect(line: &str) -> Option<&str> {
    let text = line.trim().trim_end_matches(['：', ':', '。', '，', ',']);
    let names_one = text.ends_with("方面")
        || (text.contains("方面")
            && [
                "存在的问题",
                "的问题",
                "存在的差距",
                "的差距",
                "存在的不足",
                "的不足",
            ]
            .iter()
            .any(|end| text.ends_with(end)));
    // "主要表现在以下几个方面" introduces aspects; it is none.
    let introduces = ["以下", "如下", "几个方面", "等方面", "各方面", "多方面"]
        .iter()
        .any(|words| text.contains(words));
    (names_one
        && !introduces
        && text.chars().count() <= 40
        && !text.contains(['，', '。', '；', ',', ';']))
    .then_some(text)
}

/// Whether a measure's lines carry a schedule of their own (a 时限 or 责任人).
fn has_schedule(lines: &[String]) -> bool {
    lines.iter().enumerate().any(|(index, line)| {
        let found = take_schedule(line, index + 1 == lines.len(), is_deadline_phrase);
        found.phrase.is_some()
            || found
                .entries
                .iter()
                .any(|entry| matches!(entry.field, Field::Deadline | Field::Owner))
    })
}

/// The items one numbered unit of a part makes: one item, or — for a group of problems, or
/// of measures each with its own 时限 — one per numbered item inside it.
fn unit_items(
    kind: PartKind,
    level: Option<Numbering>,
    lines: &[String],
    reference: Option<NaiveDate>,
) -> Vec<Item> {
    let grouped = match kind {
        PartKind::Problems => sub_units(lines, level),
        PartKind::Measures => sub_units(lines, level)
            .filter(|units| units.items.iter().filter(|item| has_schedule(item)).count() >= 2),
        _ => None,
    };
    let Some(units) = grouped else {
        return vec![item_of(kind, lines, None, reference)];
    };
    let (title, lead) = group_title(&units.lead);
    let mut items = Vec::new();
    for (index, lines) in units.items.iter().enumerate() {
        let first = index == 0;
        let item = if kind == PartKind::Measures && first && !title.is_empty() {
            // The group's title heads its first measure.
            let body: Vec<String> = lead.iter().chain(lines).cloned().collect();
            item_of(kind, &body, Some(title.clone()), reference)
        } else if first && !lead.is_empty() && (kind == PartKind::Measures || title.is_empty()) {
            let body: Vec<String> = lead.iter().chain(lines).cloned().collect();
            item_of(kind, &body, None, reference)
        } else {
            let mut item = item_of(kind, lines, None, reference);
            if first && !lead.is_empty() {
                // What the group says before its first item reads with that item.
                let mut text = lead.join("\n");
                if !item.text.is_empty() {
                    text.push('\n');
                    text.push_str(&item.text);
                }
                item.text = text;
            }
            item
        };
        items.push(item);
    }
    if kind == PartKind::Problems && !title.is_empty() {
        for item in &mut items {
            if let Some(own) = item.category.take() {
                item.heading = format!("{own}：{}", item.heading);
            }
            item.category = Some(title.clone());
        }
    }
    items
}

/// Parts whose unnumbered paragraphs may hold items numbered 一是……二是…….
fn splits_ordinals(kind: PartKind) -> bool {
    matches!(
        kind,
        PartKind::Problems
            | PartKind::Causes
            | PartKind::Measures
            | PartKind::Suggestions
            | PartKind::Carryover
    )
}

/// One part as its lines came: the heading line and what follows up to the next part.
struct Section {
    kind: PartKind,
    heading: String,
    line: String,
    body: Vec<String>,
}

impl Section {
    /// The part, and for each of its items the numbered unit of the source it came from (a
    /// group gives several items the same unit).
    fn build(self, reference: Option<NaiveDate>) -> (Part, Vec<usize>) {
        let kind = self.kind;
        let mut part = Part {
            kind,
            heading: self
                .heading
                .trim()
                .trim_end_matches(['：', ':', '。'])
                .to_string(),
            paragraphs: vec![],
            items: vec![],
        };
        let top = self
            .body
            .iter()
            .filter_map(|line| numbering(line).map(|(found, _)| found))
            .filter(|found| *found != Numbering::Chinese)
            .min();
        let aspect_lines = kind == PartKind::Problems
            && top != Some(Numbering::ChineseParen)
            && self
                .body
                .iter()
                .any(|line| numbering(line).is_none() && aspect(line).is_some());
        let units = match top {
            // Unnumbered aspect lines ("政治信仰方面：") head groups of numbered problems.
            _ if aspect_lines => aspect_units(&self.body).map(|units| (None, units)),
            Some(level) => numbered_units(&self.body, level).map(|units| (Some(level), units)),
            None if splits_ordinals(kind) => sub_units(&self.body, None).map(|units| (None, units)),
            None => None,
        };
        let Some((level, units)) = units else {
            part.paragraphs = self.body;
            return (part, vec![]);
        };
        part.paragraphs = units.lead;
        let mut sources = Vec::new();
        for (unit, lines) in units.items.iter().enumerate() {
            let items = if aspect_lines {
                unit_items(kind, None, lines, reference)
            } else if level.is_none() {
                // Items numbered 一是……二是…… directly under the part.
                vec![item_of(kind, lines, None, reference)]
            } else {
                unit_items(kind, level, lines, reference)
            };
            sources.extend(std::iter::repeat_n(unit, items.len()));
            part.items.extend(items);
        }
        (part, sources)
    }
}

/// Splits the lines after the title into the preamble and the parts. A heading with nothing
/// under it would vanish from the document (empty parts are not rendered), so it goes back
/// to being a line of text where it stood.
fn sections(lines: impl Iterator<Item = String>) -> (Vec<String>, Vec<Section>) {
    fn close_empty(preamble: &mut Vec<String>, sections: &mut Vec<Section>) {
        if sections.last().is_some_and(|s| s.body.is_empty())
            && let Some(empty) = sections.pop()
        {
            match sections.last_mut() {
                Some(previous) => previous.body.push(empty.line),
                None => preamble.push(empty.line),
            }
        }
    }
    let mut preamble = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for line in lines {
        let opened = match numbering(&line) {
            Some((Numbering::Chinese, heading)) => {
                let kind = part_kind(heading).unwrap_or(PartKind::Other);
                let (heading, run_on) = split_heading(heading);
                Some((kind, heading, run_on))
            }
            None if looks_like_bare_heading(&line) => {
                part_kind(&line).map(|kind| (kind, line.clone(), String::new()))
            }
            _ => None,
        };
        match opened {
            Some((kind, heading, run_on)) => {
                close_empty(&mut preamble, &mut sections);
                sections.push(Section {
                    kind,
                    heading,
                    line: line.clone(),
                    body: if run_on.is_empty() {
                        vec![]
                    } else {
                        vec![run_on]
                    },
                });
            }
            None => match sections.last_mut() {
                Some(section) => section.body.push(line),
                None => preamble.push(line),
            },
        }
    }
    close_empty(&mut preamble, &mut sections);
    (preamble, sections)
}

/// Numbers the items of each kind in reading order: p1…, c1…, m1…, and a letter of their
/// own for items of the other parts.
fn number_items(material: &mut Material) {
    let mut counters = std::collections::HashMap::new();
    for part in &mut material.parts {
        let prefix = match part.kind {
            PartKind::Problems => "p",
            PartKind::Causes => "c",
            PartKind::Measures => "m",
            PartKind::Carryover => "h",
            PartKind::Duty => "d",
            PartKind::Suggestions => "s",
            PartKind::Criticism => "k",
            PartKind::Other => "o",
        };
        for item in &mut part.items {
            let count = counters.entry(prefix).or_insert(0);
            *count += 1;
            item.id = ItemId(format!("{prefix}{count}"));
        }
    }
}

/// Links measures split out of numbered groups ("（一）……一是……（时限）二是……（时限）") to
/// the problems by group, when there are as many groups as problems and no links.
fn link_by_group(material: &mut Material, groups: &[usize]) {
    let problems: Vec<ItemId> = material
        .items(PartKind::Problems)
        .map(|item| item.id.clone())
        .collect();
    let group_count = groups
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if problems.is_empty()
        || group_count != problems.len()
        || groups.len() == group_count
        || material
            .items(PartKind::Measures)
            .any(|measure| !measure.links.is_empty())
    {
        return;
    }
    let mut groups = groups.iter();
    let mut number = 0;
    let mut last = None;
    for part in &mut material.parts {
        if part.kind != PartKind::Measures {
            continue;
        }
        for measure in &mut part.items {
            let Some(group) = groups.next() else {
                return;
            };
            if last.is_some_and(|last| last != group) {
                number += 1;
            }
            last = Some(group);
            measure.links = problems.get(number).cloned().into_iter().collect();
        }
    }
}

/// The year a title names ("2025年度民主生活会" → 2025).
fn title_year(title: &str) -> Option<i32> {
    let at = title.find("年度")?;
    let digits: String = title[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() == 4)
        .then(|| digits.chars().rev().collect::<String>().parse().ok())
        .flatten()
}

/// The date "6月底" is read against: the material's own date, the date on its speaker line,
/// the one given, or early in the year after the one its title names.
fn reference_date(material: &Material, given: Option<NaiveDate>) -> Option<NaiveDate> {
    let own =
        |text: &str| super::meeting::parse_date(text.trim().trim_matches(['（', '）', '(', ')']));
    material
        .date
        .as_deref()
        .and_then(own)
        .or_else(|| material.speaker.as_deref().and_then(own))
        .or(given)
        .or_else(|| {
            title_year(&material.title).and_then(|year| NaiveDate::from_ymd_opt(year + 1, 1, 1))
        })
}

/// Parses a draft given as paragraphs (one per line for plain text), with no reference
/// date but the material's own.
pub fn parse_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Material {
    parse_paragraphs_on(paragraphs, None)
}

/// Parses a draft given as paragraphs; `reference` (the meeting's date) reads 时限 written
/// without a year when the material carries no date of its own.
pub fn parse_paragraphs_on<S: AsRef<str>>(
    paragraphs: &[S],
    reference: Option<NaiveDate>,
) -> Material {
    // The 整改清单 comes out first, before its rows' edge cells are trimmed away.
    let mut lines: Vec<String> = paragraphs.iter().map(|p| p.as_ref().to_string()).collect();
    let table = super::rectification::take(&mut lines);
    let mut paragraphs: Vec<String> = lines
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let mut material = Material {
        title: String::new(),
        speaker: None,
        preamble: vec![],
        parts: vec![],
        closing: None,
        date: None,
        removed: vec![],
    };
    if paragraphs.last().is_some_and(|p| is_date(p)) {
        material.date = paragraphs.pop();
    }
    if let Some(position) = paragraphs.iter().rposition(|p| is_closing(p))
        && position + 3 >= paragraphs.len()
        && position > 0
    {
        // The closing sentence, and whatever follows it (a signature) stays after it.
        let mut tail = paragraphs.split_off(position);
        material.closing = Some(tail.remove(0));
        for extra in tail {
            let closing = material.closing.get_or_insert_with(String::new);
            closing.push('\n');
            closing.push_str(&extra);
        }
    }
    let mut rest = paragraphs.into_iter().peekable();
    if let Some(first) = rest.peek()
        && may_be_title(first, 60)
    {
        material.title = rest.next().unwrap_or_default();
        // A title over two or three lines: "……2025年度民主生活会" / "个人对照检查材料".
        if !ends_a_title(&material.title) {
            let ahead: Vec<String> = rest.clone().take(2).collect();
            let lines = ahead
                .iter()
                .take_while(|line| may_be_title(line, 40))
                .position(|line| ends_a_title(line));
            if let Some(last) = lines {
                for _ in 0..=last {
                    material.title.push_str(&rest.next().unwrap_or_default());
                }
            }
        }
        if let Some(second) = rest.peek()
            && numbering(second).is_none()
            && second.chars().count() <= 30
            && !second.contains(['。', '，', '：', ':'])
            && part_kind(second).is_none()
        {
            material.speaker = rest.next();
        }
    }
    let reference = reference_date(&material, reference);
    let (preamble, sections) = sections(rest);
    material.preamble = preamble;
    let mut measure_groups = Vec::new();
    for section in sections {
        let (part, sources) = section.build(reference);
        if part.kind == PartKind::Measures {
            let offset = measure_groups.last().map_or(0, |last| last + 1);
            measure_groups.extend(sources.into_iter().map(|unit| unit + offset));
        }
        material.parts.push(part);
    }
    number_items(&mut material);
    link_in_order(&mut material);
    link_by_group(&mut material, &measure_groups);
    if let Some(table) = table {
        super::rectification::apply(&mut material, &table, |cell| deadline(cell, reference));
    }
    material
}

/// Parses plain text: one paragraph per line.
pub fn parse_text(text: &str) -> Material {
    parse_text_on(text, None)
}

/// Parses plain text with a reference date for 时限 written without a year.
pub fn parse_text_on(text: &str, reference: Option<NaiveDate>) -> Material {
    let lines: Vec<&str> = text.lines().collect();
    parse_paragraphs_on(&lines, reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::Deadline;
    use crate::domain::material::linked_in_order;

    const TYPICAL: &str = "在2026年度组织生活会上的发言材料
办公室 张明
根据支部统一安排，我认真学习了有关文件，现将个人对照检查情况报告如下：
一、存在的问题
（一）理论学习方面：学用结合不够紧密。学习停留在读原文、记笔记。比如，今年3月起草调研报告时，对策只有2条。究其原因，是思想上重视不够。
（二）作风不够扎实。
深入基层调研的次数偏少。例如，全年只下基层4次。
二、问题产生的原因
（一）理想信念有所松懈。放松了世界观的改造。
三、下一步整改措施
（一）加强理论学习。（针对第一个问题）每月精读原著2篇。时限：长期坚持。完成标准：形成学习体会6篇。
（二）改进作风。（针对第一、二个问题）每季度下基层不少于2次。时限：2026年6月30日前完成。
以上发言，不妥之处请大家批评指正。
2026年1月15日";

    #[test]
    fn measures_paired_by_order_are_told_apart_from_links_the_author_chose() {
        let text = "一、存在的问题
（一）学用结合不够紧密。学习停留在读原文、记笔记，联系实际不够。
（二）深入基层调研的次数偏少，了解一线情况不够全面。
二、整改措施
（一）每月精读原著2篇，撰写学习体会。
（二）每季度下基层不少于2次，形成调研报告。";
        let mut m = parse_text(text);
        let problems: Vec<ItemId> = m.items(PartKind::Problems).map(|p| p.id.clone()).collect();
        let links: Vec<Vec<ItemId>> = m
            .items(PartKind::Measures)
            .map(|x| x.links.clone())
            .collect();
        assert_eq!(
            links,
            vec![vec![problems[0].clone()], vec![problems[1].clone()]]
        );
        assert!(linked_in_order(&m));
        // The author links the second measure to both problems: no longer pairing by order.
        let measures = m
            .parts
            .iter_mut()
            .find(|p| p.kind == PartKind::Measures)
            .unwrap();
        measures.items[1].links = problems.clone();
        assert!(!linked_in_order(&m));
        // No links at all is not "paired in order" either.
        for part in &mut m.parts {
            for item in &mut part.items {
                item.links.clear();
            }
        }
        assert!(!linked_in_order(&m));
    }

    #[test]
    fn a_typical_draft_is_recognised_part_by_part() {
        let m = parse_text(TYPICAL);
        assert_eq!(m.title, "在2026年度组织生活会上的发言材料");
        assert_eq!(m.speaker.as_deref(), Some("办公室 张明"));
        assert_eq!(m.preamble.len(), 1);
        let kinds: Vec<PartKind> = m.parts.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![PartKind::Problems, PartKind::Causes, PartKind::Measures]
        );
        let problem = &m.parts[0].items[0];
        assert_eq!(problem.category.as_deref(), Some("理论学习方面"));
        assert_eq!(problem.heading, "学用结合不够紧密");
        assert_eq!(problem.text, "学习停留在读原文、记笔记。");
        assert_eq!(
            problem.example.as_deref(),
            Some("比如，今年3月起草调研报告时，对策只有2条。")
        );
        assert_eq!(problem.cause.as_deref(), Some("是思想上重视不够。"));
        let second = &m.parts[0].items[1];
        assert_eq!(
            second.heading, "作风不够扎实。",
            "a heading sentence on its own line keeps its full stop"
        );
        assert_eq!(second.text, "深入基层调研的次数偏少。");
        assert_eq!(second.example.as_deref(), Some("例如，全年只下基层4次。"));
        let measures = &m.parts[2].items;
        assert_eq!(measures[0].deadline, Some(Deadline::Ongoing));
        assert_eq!(measures[0].standard.as_deref(), Some("形成学习体会6篇"));
        assert_eq!(measures[0].links, vec![ItemId("p1".into())]);
        assert_eq!(
            measures[1].deadline,
            Some(Deadline::By(
                chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
            ))
        );
        assert_eq!(measures[1].links.len(), 2);
        assert_eq!(
            m.closing.as_deref(),
            Some("以上发言，不妥之处请大家批评指正。")
        );
        assert_eq!(m.date.as_deref(), Some("2026年1月15日"));
    }

    #[test]
    fn headings_are_recognised_by_many_wordings_and_numberings() {
        for (heading, kind) in [
            ("一、对照检查查摆出的主要问题", PartKind::Problems),
            ("一．存在的不足和差距", PartKind::Problems),
            ("二、产生问题的根源剖析", PartKind::Causes),
            ("二、问题产生的原因", PartKind::Causes),
            ("二、存在的问题及产生原因", PartKind::Problems),
            ("二、检视问题与根源剖析", PartKind::Problems),
            ("二、检视剖析的问题", PartKind::Problems),
            ("二、能力提升方面的差距", PartKind::Problems),
            ("三、下一步举措", PartKind::Measures),
            ("三、整改方向", PartKind::Measures),
            ("一、学习体会", PartKind::Duty),
            ("一、思想认识", PartKind::Duty),
            ("一、上年度民主生活会整改措施落实情况", PartKind::Carryover),
            ("三、今后的努力方向", PartKind::Measures),
            ("三、改进提升的打算", PartKind::Measures),
            ("一、上年度整改措施落实情况", PartKind::Carryover),
            ("一、对岗位职责的认识", PartKind::Duty),
            ("四、对支部工作的意见建议", PartKind::Suggestions),
            ("五、其他需要说明的事项", PartKind::Other),
        ] {
            let m = parse_text(&format!("标题\n{heading}\n正文一段。"));
            assert_eq!(m.parts[0].kind, kind, "{heading}");
            assert_eq!(
                m.parts[0].paragraphs.len() + m.parts[0].items.len(),
                1,
                "{heading}"
            );
        }
    }

    #[test]
    fn unnumbered_headings_and_half_width_numbering_work_too() {
        let m = parse_text(
            "个人检视剖析材料\n存在的问题\n(一)学习不够深入。表现为浅尝辄止。\n原因分析\n(一)党性修养不够。\n整改措施\n(1)每周学习一次。",
        );
        let kinds: Vec<PartKind> = m.parts.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![PartKind::Problems, PartKind::Causes, PartKind::Measures]
        );
        assert_eq!(m.parts[0].items[0].heading, "学习不够深入");
        assert_eq!(
            m.parts[2].items[0].heading, "每周学习一次",
            "a part's numbered lines are its items, whatever their level; a measure's lone \
             sentence is kept without the full stop the document prints after it"
        );
    }

    #[test]
    fn nothing_is_dropped_from_a_draft_without_any_structure() {
        let text = "今年以来，我在学习上有所松懈。\n工作中有时急躁。\n今后一定改正。";
        let m = parse_text(text);
        let all: String = m.preamble.concat()
            + &m.title
            + &m.parts
                .iter()
                .flat_map(|p| p.paragraphs.clone())
                .collect::<String>();
        for line in text.lines() {
            assert!(all.contains(line), "{line} was lost");
        }
    }

    #[test]
    fn a_heading_with_nothing_under_it_stays_as_text() {
        let m =
            parse_text("标题\n一、对岗位职责的认识\n二、存在的问题\n（一）学习不深。\n三、原因");
        assert_eq!(m.preamble, vec!["一、对岗位职责的认识"]);
        assert_eq!(m.parts.len(), 1);
        assert_eq!(m.parts[0].kind, PartKind::Problems);
        assert_eq!(m.parts[0].items[0].text, "三、原因");
    }

    #[test]
    fn a_numbered_heading_sentence_keeps_its_full_stop() {
        let m = parse_text(
            "标题\n一、存在的问题\n（一）一是理论学习不够深入。\n（二）学用结合不紧密。比如，3月只学了1次。",
        );
        let items = &m.parts[0].items;
        assert_eq!(items[0].heading, "一是理论学习不够深入。");
        assert_eq!(
            items[1].heading, "学用结合不紧密",
            "a run-in heading is split"
        );
        assert_eq!(
            crate::domain::document::plain_lines(&crate::domain::document::blocks(&m))[2],
            "（一）理论学习不够深入。"
        );
    }

    #[test]
    fn lines_that_only_look_like_numbers_are_text() {
        let m = parse_text(
            "标题\n一、存在的问题\n2026年3月，我参加了培训。\n3.5小时的课程我只听了一半。",
        );
        assert_eq!(
            m.parts[0].paragraphs,
            vec!["2026年3月，我参加了培训。", "3.5小时的课程我只听了一半。"]
        );
    }
}

/// Round trip: any material the editor can produce, laid out as text and read back, is the
/// same material (ids are renumbered p1…, c1…, m1… in reading order, as the generator does).
#[cfg(test)]
pub(crate) mod round_trip {
    use super::*;
    use crate::domain::document::plain_lines;
    use crate::domain::editing::DEFAULT_CLOSING;
    use crate::domain::material::Deadline;
    use proptest::prelude::*;

    const SENTENCE: &str = "我在工作中落实推进服务群众基层调研能力水平提高加强党员";
    const HEADING: &str = "工作落实不够深入到位细致扎实服务群众基层调研水平";
    const NAME: &str = "张王李赵明红芳静办公室科员";
    const ASPECTS: [&str; 3] = ["政治信仰方面", "理论学习方面", "纪律作风方面"];

    fn text(alphabet: &'static str, len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
        let chars: Vec<char> = alphabet.chars().collect();
        proptest::collection::vec(proptest::sample::select(chars), len)
            .prop_map(|chars| chars.into_iter().collect())
    }

    fn sentence() -> impl Strategy<Value = String> {
        text(SENTENCE, 4..30).prop_map(|s| format!("{s}。"))
    }

    fn subset(count: usize) -> impl Strategy<Value = Vec<ItemId>> {
        proptest::collection::vec(any::<bool>(), count).prop_map(|picked| {
            picked
                .into_iter()
                .enumerate()
                .filter(|(_, on)| *on)
                .map(|(index, _)| ItemId(format!("p{}", index + 1)))
                .collect()
        })
    }

    fn problem() -> impl Strategy<Value = Item> {
        (
            text(HEADING, 2..16),
            prop_oneof![Just(String::new()), sentence()],
            proptest::option::of(sentence().prop_map(|s| format!("比如，{s}"))),
            proptest::option::of(sentence()),
            proptest::option::of(proptest::sample::select(ASPECTS.to_vec())),
        )
            .prop_map(|(heading, text, example, cause, category)| Item {
                heading,
                text,
                example,
                cause,
                category: category.map(str::to_string),
                ..Item::default()
            })
    }

    fn deadline() -> impl Strategy<Value = Option<Deadline>> {
        prop_oneof![
            Just(None),
            Just(Some(Deadline::Ongoing)),
            (2026i32..2028, 1u32..13, 1u32..29).prop_map(|(y, m, d)| Some(Deadline::By(
                chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
            ))),
        ]
    }

    /// Any material the editor can produce (also used by the exporter's layout checks).
    pub(crate) fn material() -> impl Strategy<Value = Material> {
        (1usize..4)
            .prop_flat_map(|problem_count| {
                (
                    text(HEADING, 4..20),
                    proptest::option::of(text(NAME, 2..8)),
                    proptest::collection::vec(sentence(), 0..3),
                    proptest::collection::vec(sentence(), 0..3),
                    proptest::collection::vec(problem(), problem_count),
                    proptest::collection::vec(
                        (text(HEADING, 2..10), sentence(), subset(problem_count)),
                        1..3,
                    ),
                    proptest::collection::vec(
                        (
                            proptest::option::of(text(HEADING, 2..10)),
                            prop_oneof![Just(String::new()), sentence()],
                            subset(problem_count),
                            deadline(),
                            proptest::option::of(text(SENTENCE, 2..12)),
                            proptest::option::of(text(NAME, 2..6)),
                        ),
                        1..3,
                    ),
                    any::<bool>(),
                    any::<bool>(),
                )
            })
            .prop_map(
                |(title, speaker, preamble, duty, problems, causes, measures, closing, date)| {
                    let number =
                        |prefix: &str, index: usize| ItemId(format!("{prefix}{}", index + 1));
                    let problems = problems
                        .into_iter()
                        .enumerate()
                        .map(|(index, item)| Item {
                            id: number("p", index),
                            ..item
                        })
                        .collect();
                    let causes = causes
                        .into_iter()
                        .enumerate()
                        .map(|(index, (heading, text, links))| Item {
                            id: number("c", index),
                            heading,
                            text,
                            links,
                            ..Item::default()
                        })
                        .collect();
                    let measures = measures
                        .into_iter()
                        .enumerate()
                        .map(
                            |(index, (heading, text, links, deadline, standard, owner))| {
                                // A measure without a title is told apart by the problems it names.
                                let heading = match heading {
                                    None if !links.is_empty() => String::new(),
                                    other => other.unwrap_or_else(|| "加强学习".into()),
                                };
                                Item {
                                    id: number("m", index),
                                    heading,
                                    text,
                                    links,
                                    deadline,
                                    standard,
                                    owner,
                                    ..Item::default()
                                }
                            },
                        )
                        .collect();
                    let part = |kind: PartKind, paragraphs: Vec<String>, items: Vec<Item>| Part {
                        kind,
                        heading: kind.label().into(),
                        paragraphs,
                        items,
                    };
                    let mut parts = Vec::new();
                    if !duty.is_empty() {
                        parts.push(part(PartKind::Duty, duty, vec![]));
                    }
                    parts.push(part(PartKind::Problems, vec![], problems));
                    parts.push(part(PartKind::Causes, vec![], causes));
                    parts.push(part(PartKind::Measures, vec![], measures));
                    Material {
                        title,
                        speaker,
                        preamble,
                        parts,
                        closing: closing.then(|| DEFAULT_CLOSING.to_string()),
                        date: date.then(|| "2026年1月15日".to_string()),
                        removed: vec![],
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// With the 整改清单 table (the schedule read back from it) and without (read from
        /// the measures' words); problems of one aspect in a row come back from their group.
        #[test]
        fn parse_of_render_is_the_material(m in material(), table in any::<bool>()) {
            let layout = crate::domain::document::Layout { rectification_table: table };
            let lines = plain_lines(&crate::domain::document::blocks_with(&m, layout));
            let back = parse_paragraphs(&lines);
            // Measures the author linked to nothing come back linked in order when they
            // mirror the problems one to one: the importer's rule for unlinked drafts.
            let mut expected = m;
            link_in_order(&mut expected);
            prop_assert_eq!(back, expected, "{}", lines.join("\n"));
        }
    }
}
