//! Turning an existing draft (pasted text, a .txt or the paragraphs of a .docx) into the
//! structure of DESIGN §2. Headings are recognised by their numbering (一、 /（一）/ 1. /
//! （1）, full- or half-width) and by their words, in order; "究其原因" opens a problem's own
//! cause, "比如 / 例如" its 事例; the closing sentence and a trailing date are picked out.
//! Whatever cannot be classified stays as text in the nearest part: nothing is dropped.

use super::material::{Deadline, Item, ItemId, Material, Part, PartKind};
use super::outline::chinese_number;

/// The numbering a paragraph starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    /// 一、
    Chinese,
    /// （一）
    ChineseParen,
    /// 1. / 1、
    Arabic,
    /// （1）
    ArabicParen,
}

const CHINESE_DIGITS: &str = "〇零一二三四五六七八九十百";

/// Splits "（一）学习不深" into the numbering and the rest.
fn numbering(paragraph: &str) -> Option<(Numbering, &str)> {
    let trimmed = paragraph.trim_start();
    let open = trimmed
        .strip_prefix('（')
        .or_else(|| trimmed.strip_prefix('('));
    if let Some(inner) = open {
        let close = inner.find(['）', ')'])?;
        let number = &inner[..close];
        let rest = inner[close..].trim_start_matches(['）', ')']).trim_start();
        if !number.is_empty() && number.chars().all(|c| CHINESE_DIGITS.contains(c)) {
            return Some((Numbering::ChineseParen, rest));
        }
        if !number.is_empty()
            && number
                .chars()
                .all(|c| c.is_ascii_digit() || is_wide_digit(c))
        {
            return Some((Numbering::ArabicParen, rest));
        }
        return None;
    }
    let digits_end = trimmed
        .char_indices()
        .find(|(_, c)| !CHINESE_DIGITS.contains(*c))
        .map(|(index, _)| index)?;
    if digits_end > 0 {
        let rest = &trimmed[digits_end..];
        let after = rest.strip_prefix(['、', '.', '．', '，'])?;
        return Some((Numbering::Chinese, after.trim_start()));
    }
    let digits_end = trimmed
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || is_wide_digit(*c)))
        .map(|(index, _)| index)?;
    if digits_end > 0 && digits_end <= 6 {
        let rest = &trimmed[digits_end..];
        // "2026年……" is a date or a sentence, not a numbered line.
        let after = rest.strip_prefix(['.', '．', '、'])?;
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((Numbering::Arabic, after.trim_start()));
    }
    None
}

fn is_wide_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// Which part a heading's words announce, if any. Order matters: "问题产生的原因" is about
/// causes, "上次整改措施落实情况" about the carry-over.
fn part_kind(heading: &str) -> Option<PartKind> {
    let has = |words: &[&str]| words.iter().any(|word| heading.contains(word));
    if has(&["上次", "上年", "上一年", "落实情况", "整改情况", "回头看"]) {
        Some(PartKind::Carryover)
    } else if has(&["原因", "根源", "剖析"]) {
        Some(PartKind::Causes)
    } else if has(&["批评"]) {
        Some(PartKind::Criticism)
    } else if has(&[
        "整改",
        "措施",
        "努力方向",
        "改进",
        "今后",
        "打算",
        "提升",
        "方向",
    ]) {
        Some(PartKind::Measures)
    } else if has(&["问题", "不足", "差距", "短板", "查摆", "检视", "对照"]) {
        Some(PartKind::Problems)
    } else if has(&["建议", "意见"]) {
        Some(PartKind::Suggestions)
    } else if has(&["职责", "认识", "体会", "收获", "学习", "思想"]) {
        Some(PartKind::Duty)
    } else {
        None
    }
}

/// A heading without a number is only taken as one when it is short and has no sentence
/// punctuation in it.
fn looks_like_bare_heading(paragraph: &str) -> bool {
    let length = paragraph.chars().count();
    (2..=20).contains(&length) && !paragraph.contains(['。', '，', '；', '：', ',', ';'])
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

fn split_at_marker<'a>(text: &'a str, markers: &[&str]) -> (&'a str, Option<&'a str>) {
    match markers.iter().filter_map(|marker| text.find(marker)).min() {
        Some(index) => (&text[..index], Some(&text[index..])),
        None => (text, None),
    }
}

/// A date like "2026年6月30日" inside a 时限 phrase.
fn find_date(text: &str) -> Option<chrono::NaiveDate> {
    let year_at = text.find('年')?;
    let year: String = text[..year_at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let rest = &text[year_at + '年'.len_utf8()..];
    let (month, rest) = rest.split_once('月')?;
    let (day, _) = rest.split_once('日')?;
    chrono::NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
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

fn chinese_to_usize(text: &str) -> Option<usize> {
    (1..=99).find(|n| chinese_number(*n) == text)
}

/// Builds the material from paragraphs as they come.
struct Builder {
    material: Material,
    counters: [usize; 3],
    /// The line that opened the last part, as written.
    last_heading_line: Option<String>,
}

impl Builder {
    fn current_part(&mut self) -> Option<&mut Part> {
        self.material.parts.last_mut()
    }

    fn next_id(&mut self, kind: PartKind) -> ItemId {
        let (slot, prefix) = match kind {
            PartKind::Problems => (0, "p"),
            PartKind::Causes => (1, "c"),
            _ => (2, "m"),
        };
        self.counters[slot] += 1;
        ItemId(format!("{prefix}{}", self.counters[slot]))
    }

    /// A heading with nothing under it would vanish from the document (empty parts are not
    /// rendered), so it goes back to being a line of text where it stood.
    fn close_empty_part(&mut self) {
        if self
            .material
            .parts
            .last()
            .is_some_and(|part| part.paragraphs.is_empty() && part.items.is_empty())
        {
            self.material.parts.pop();
            if let Some(line) = self.last_heading_line.take() {
                self.text(&line);
            }
        }
    }

    fn start_part(&mut self, kind: PartKind, heading: &str, line: &str) {
        self.close_empty_part();
        self.last_heading_line = Some(line.to_string());
        self.material.parts.push(Part {
            kind,
            heading: heading
                .trim()
                .trim_end_matches(['：', ':', '。'])
                .to_string(),
            paragraphs: vec![],
            items: vec![],
        });
    }

    /// Plain text: onto the last item of an item part, else a paragraph of the part, else
    /// the preamble.
    fn text(&mut self, paragraph: &str) {
        match self.current_part() {
            None => self.material.preamble.push(paragraph.to_string()),
            Some(part) => match part.items.last_mut() {
                Some(item) if part.kind.has_items() => {
                    append_to_item(item, part.kind, paragraph);
                }
                _ => part.paragraphs.push(paragraph.to_string()),
            },
        }
    }

    /// A （一） line: a new item in an item part; elsewhere plain text, numbering kept.
    fn item(&mut self, paragraph: &str, text: &str) {
        let kind = match self.current_part().map(|part| part.kind) {
            Some(kind) if kind.has_items() => kind,
            _ => {
                self.text(paragraph);
                return;
            }
        };
        let id = self.next_id(kind);
        // A measure without a title starts straight with the problems it answers.
        let (heading, rest) = if linked_numbers(text).is_some() {
            (String::new(), text.to_string())
        } else {
            split_heading(text)
        };
        let mut item = Item {
            id,
            heading,
            ..Item::default()
        };
        if kind == PartKind::Problems
            && let Some((category, headline)) = item.heading.split_once('：')
            && category.ends_with("方面")
        {
            item.category = Some(category.to_string());
            item.heading = headline.to_string();
        }
        let mut rest = rest.as_str();
        if let Some((numbers, after)) = linked_numbers(rest) {
            item.links = numbers
                .into_iter()
                .map(|n| ItemId(format!("p{n}")))
                .collect();
            rest = after;
        }
        if !rest.is_empty() {
            append_to_item(&mut item, kind, rest);
        }
        if let Some(part) = self.current_part() {
            part.items.push(item);
        }
    }
}

fn push_text(target: &mut String, text: &str) {
    if !target.is_empty() {
        target.push('\n');
    }
    target.push_str(text.trim());
}

fn push_optional(target: &mut Option<String>, text: &str) {
    let mut current = target.take().unwrap_or_default();
    push_text(&mut current, text);
    *target = Some(current);
}

/// Adds a paragraph to an item, recognising 事例, 原因, 时限 and 完成标准 where they belong.
fn append_to_item(item: &mut Item, kind: PartKind, paragraph: &str) {
    match kind {
        PartKind::Problems => {
            let (before_cause, cause) = split_at_marker(paragraph, &["究其原因"]);
            let (text, example) = split_at_marker(before_cause, &["比如", "例如", "譬如", "如："]);
            if !text.trim().is_empty() {
                if item.example.is_some() {
                    push_optional(&mut item.example, text);
                } else {
                    push_text(&mut item.text, text);
                }
            }
            if let Some(example) = example {
                push_optional(&mut item.example, example);
            }
            if let Some(cause) = cause {
                // Stored without its marker; the document puts "究其原因，" back.
                let cause = cause
                    .trim_start_matches("究其原因")
                    .trim_start_matches(['，', ',', '：', ':']);
                push_optional(&mut item.cause, cause);
            }
        }
        PartKind::Measures => {
            let (text, standard) = split_at_marker(paragraph, &["完成标准："]);
            let (text, deadline) = split_at_marker(text, &["时限："]);
            if let Some(deadline) = deadline {
                let phrase = deadline.trim_start_matches("时限：");
                if phrase.starts_with(Deadline::ONGOING) {
                    item.deadline = Some(Deadline::Ongoing);
                } else if let Some(date) = find_date(phrase) {
                    item.deadline = Some(Deadline::By(date));
                } else {
                    push_text(&mut item.text, deadline);
                }
            }
            if !text.trim().is_empty() {
                push_text(&mut item.text, text);
            }
            if let Some(standard) = standard {
                let standard = standard
                    .trim_start_matches("完成标准：")
                    .trim()
                    .trim_end_matches('。');
                push_optional(&mut item.standard, standard);
            }
        }
        _ => push_text(&mut item.text, paragraph),
    }
}

/// Parses a draft given as paragraphs (one per line for plain text).
pub fn parse_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Material {
    let mut paragraphs: Vec<String> = paragraphs
        .iter()
        .map(|p| p.as_ref().trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let mut builder = Builder {
        material: Material {
            title: String::new(),
            speaker: None,
            preamble: vec![],
            parts: vec![],
            closing: None,
            date: None,
            removed: vec![],
        },
        counters: [0; 3],
        last_heading_line: None,
    };
    if paragraphs.last().is_some_and(|p| is_date(p)) {
        builder.material.date = paragraphs.pop();
    }
    if let Some(position) = paragraphs.iter().rposition(|p| is_closing(p))
        && position + 3 >= paragraphs.len()
        && position > 0
    {
        // The closing sentence, and whatever follows it (a signature) stays after it.
        let mut tail = paragraphs.split_off(position);
        builder.material.closing = Some(tail.remove(0));
        // A signature line after the closing is not lost: it joins the closing.
        for extra in tail {
            let closing = builder.material.closing.get_or_insert_with(String::new);
            closing.push('\n');
            closing.push_str(&extra);
        }
    }
    let mut rest = paragraphs.into_iter().peekable();
    if let Some(first) = rest.peek()
        && numbering(first).is_none()
        && first.chars().count() <= 60
        && !first.ends_with(['。', '：', ':'])
    {
        builder.material.title = rest.next().unwrap_or_default();
        if let Some(second) = rest.peek()
            && numbering(second).is_none()
            && second.chars().count() <= 30
            && !second.contains(['。', '，', '：', ':'])
            && part_kind(second).is_none()
        {
            builder.material.speaker = rest.next();
        }
    }
    for paragraph in rest {
        match numbering(&paragraph) {
            Some((Numbering::Chinese, heading)) => {
                let kind = part_kind(heading).unwrap_or(PartKind::Other);
                let (heading, run_on) = split_heading(heading);
                builder.start_part(kind, &heading, &paragraph);
                if !run_on.is_empty() {
                    builder.text(&run_on);
                }
            }
            Some((Numbering::ChineseParen, text)) => builder.item(&paragraph, text),
            // Lower levels stay inside the item or part they belong to, numbering and all.
            Some((Numbering::Arabic | Numbering::ArabicParen, _)) => builder.text(&paragraph),
            None => match part_kind(&paragraph) {
                Some(kind) if looks_like_bare_heading(&paragraph) => {
                    builder.start_part(kind, &paragraph, &paragraph)
                }
                _ => builder.text(&paragraph),
            },
        }
    }
    builder.close_empty_part();
    builder.material
}

/// Parses plain text: one paragraph per line.
pub fn parse_text(text: &str) -> Material {
    let lines: Vec<&str> = text.lines().collect();
    parse_paragraphs(&lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::Deadline;

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
            m.parts[2].paragraphs,
            vec!["(1)每周学习一次。"],
            "a lower-level line with no item to join stays as text of its part"
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
    use crate::domain::document::{blocks, plain_lines};
    use crate::domain::editing::DEFAULT_CLOSING;
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
                        .map(|(index, (heading, text, links, deadline, standard))| {
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
                                ..Item::default()
                            }
                        })
                        .collect();
                    let part = |kind: PartKind, paragraphs: Vec<String>, items: Vec<Item>| Part {
                        kind,
                        heading: kind.default_heading().into(),
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
        #[test]
        fn parse_of_render_is_the_material(m in material()) {
            let lines = plain_lines(&blocks(&m));
            let back = parse_paragraphs(&lines);
            prop_assert_eq!(back, m, "{}", lines.join("\n"));
        }
    }
}
