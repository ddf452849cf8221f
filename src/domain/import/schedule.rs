//! A measure's 时限, 责任人 and 完成标准 as authors write them: labelled ("完成时限：2026年6月底前"
//! / "责任领导：王强" / "预期目标：……"), in brackets or not, at the end of the measure or on
//! lines of their own, or as a bare phrase closing the measure ("……，年底前完成。",
//! "长期坚持。"). Dates without a year ("6月底前") are read against a reference date — the
//! material's own date, or the meeting's — never against a clock.

use crate::domain::material::Deadline;
use chrono::{Datelike, NaiveDate};

/// What a label announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Deadline,
    Owner,
    Standard,
}

/// Labels, longer first where one ends another ("完成时限" before "时限").
const LABELS: [(&str, Field); 22] = [
    ("完成时限", Field::Deadline),
    ("整改时限", Field::Deadline),
    ("办结时限", Field::Deadline),
    ("时间节点", Field::Deadline),
    ("完成时间", Field::Deadline),
    ("整改时间", Field::Deadline),
    ("时限", Field::Deadline),
    ("责任人", Field::Owner),
    ("责任领导", Field::Owner),
    ("分管领导", Field::Owner),
    ("牵头领导", Field::Owner),
    ("责任部门", Field::Owner),
    ("责任单位", Field::Owner),
    ("牵头部门", Field::Owner),
    ("配合部门", Field::Owner),
    ("责任主体", Field::Owner),
    ("完成标准", Field::Standard),
    ("整改标准", Field::Standard),
    ("整改目标", Field::Standard),
    ("预期目标", Field::Standard),
    ("预期效果", Field::Standard),
    ("目标要求", Field::Standard),
];

/// One labelled entry: "责任领导：王强".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub field: Field,
    pub label: &'static str,
    pub value: String,
}

impl Entry {
    /// The entry as its author wrote it, for when it cannot be held as data.
    pub fn as_written(&self) -> String {
        format!("{}：{}", self.label, self.value)
    }
}

/// Where labels may start: the start of the text or of a clause, or inside a bracket.
fn opens_label(previous: Option<char>) -> bool {
    previous.is_none_or(|c| c.is_whitespace() || "。；：，、,;:（(【[）)】]".contains(c))
}

/// The label at byte `at` (followed by a colon), and where its value starts.
fn label_at(text: &str, at: usize) -> Option<(&'static str, Field, usize)> {
    if !opens_label(text[..at].chars().next_back()) {
        return None;
    }
    let rest = &text[at..];
    LABELS.iter().find_map(|(label, field)| {
        let after = rest.strip_prefix(label)?.trim_start();
        let value = after.strip_prefix(['：', ':'])?;
        Some((*label, *field, text.len() - value.len()))
    })
}

const SEPARATORS: &[char] = &['；', ';', '，', ',', '、', '。', ' ', '\u{3000}'];

/// Reads the labelled entries of `text` where every clause is one ("责任人：张明；完成时限：
/// 长期坚持"). None when there are no labels or words outside them.
fn entries_only(text: &str) -> Option<Vec<Entry>> {
    let starts: Vec<(usize, &'static str, Field, usize)> = text
        .char_indices()
        .filter_map(|(at, _)| label_at(text, at).map(|(l, f, v)| (at, l, f, v)))
        .collect();
    let first = starts.first()?;
    if !text[..first.0].trim_matches(SEPARATORS).is_empty() {
        return None;
    }
    let entries = starts
        .iter()
        .enumerate()
        .map(|(index, (_, label, field, value_at))| {
            let end = starts.get(index + 1).map_or(text.len(), |next| next.0);
            Entry {
                field: *field,
                label,
                value: text[*value_at..end].trim_matches(SEPARATORS).to_string(),
            }
        })
        .collect();
    Some(entries)
}

/// The schedule written into a paragraph of a measure.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Found {
    /// The paragraph without the schedule.
    pub rest: String,
    pub entries: Vec<Entry>,
    /// A bare deadline phrase ("长期坚持", "年底前完成"), when the paragraph closes with one.
    pub phrase: Option<String>,
}

/// Takes the labelled entries out of `paragraph`: bracketed groups made only of entries or
/// of a deadline phrase ("（责任人：张明；完成时限：2026年6月底前）", "（长期坚持）"), and
/// unbracketed labels, whose value runs to the end of the sentence. With `closing`, a bare
/// deadline phrase ending the paragraph is taken too. A bare phrase is only taken when
/// `accept` says it can be held (a date the reference date resolves).
pub(super) fn take_schedule(
    paragraph: &str,
    closing: bool,
    accept: impl Fn(&str) -> bool,
) -> Found {
    let mut found = Found::default();
    let mut rest = String::new();
    let mut text = paragraph;
    // Bracketed groups.
    while let Some(open) = text.find(['（', '(', '【']) {
        let close_char = match text[open..].chars().next() {
            Some('（') => '）',
            Some('(') => ')',
            _ => '】',
        };
        let inner_start = open + text[open..].chars().next().map_or(0, char::len_utf8);
        let Some(close) = text[inner_start..]
            .find(close_char)
            .map(|c| c + inner_start)
        else {
            break;
        };
        let inner = &text[inner_start..close];
        let after = close + close_char.len_utf8();
        if let Some(entries) = entries_only(inner) {
            rest.push_str(&text[..open]);
            found.entries.extend(entries);
        } else if found.phrase.is_none() && is_deadline_phrase(inner) && accept(inner) {
            rest.push_str(&text[..open]);
            found.phrase = Some(inner.trim().to_string());
        } else {
            rest.push_str(&text[..after]);
        }
        text = &text[after..];
    }
    rest.push_str(text);
    // Unbracketed labels: each value runs to the next label or the end of its sentence.
    let text = rest;
    let mut rest = String::new();
    let mut at = 0;
    let mut kept_from = 0;
    while at < text.len() {
        if let Some((label, field, value_at)) = label_at(&text, at) {
            let value_end = (value_at..text.len())
                .filter(|i| text.is_char_boundary(*i))
                .find(|i| text[*i..].starts_with(['。', '\n']) || label_at(&text, *i).is_some())
                .unwrap_or(text.len());
            rest.push_str(&text[kept_from..at]);
            found.entries.push(Entry {
                field,
                label,
                value: text[value_at..value_end]
                    .trim_matches(SEPARATORS)
                    .to_string(),
            });
            let stop = text[value_end..]
                .strip_prefix('。')
                .map_or(value_end, |_| value_end + '。'.len_utf8());
            at = stop;
            kept_from = stop;
            continue;
        }
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    rest.push_str(&text[kept_from..]);
    // A bare phrase closing the paragraph: "……，年底前完成。", or the whole line "长期坚持".
    if closing && found.phrase.is_none() {
        let body = rest
            .trim_end()
            .trim_end_matches(['。', '；', ';', '，', ',']);
        let start = body.rfind(['，', ',', '；', ';', '。']).map_or(0, |i| {
            i + body[i..].chars().next().map_or(0, char::len_utf8)
        });
        let clause = &body[start..];
        if is_deadline_phrase(clause) && accept(clause) {
            found.phrase = Some(clause.trim().to_string());
            let kept = body[..start]
                .trim_end_matches(['，', ',', '；', ';'])
                .trim_end();
            rest = if kept.is_empty() || kept.ends_with(['。', '！', '？']) {
                kept.to_string()
            } else {
                format!("{kept}。")
            };
        }
    }
    found.rest = if found.entries.is_empty() && found.phrase.is_none() {
        paragraph.trim().to_string()
    } else {
        tidy(&rest)
    };
    found
}

/// A paragraph whose schedule was taken out: no dangling separators, no empty brackets.
fn tidy(text: &str) -> String {
    let text = text.trim();
    let text = text.trim_start_matches(['；', ';', '，', ',', '。', '、']);
    let trimmed = text.trim_end_matches(['；', ';', '，', ',', '、', ' ']);
    if trimmed.len() < text.len() && !trimmed.is_empty() && !trimmed.ends_with(['。', '！', '？'])
    {
        format!("{trimmed}。")
    } else {
        trimmed.trim().to_string()
    }
}

/// When a year is not written, which one is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Year {
    Given(i32),
    /// 今年 / 本年: the reference date's year.
    This,
    /// 明年: the year after.
    Next,
    /// Not said: the first such date on or after the reference date.
    Coming,
}

/// A date phrase before it is read against the reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Ongoing,
    /// The given day, or the last day of the month.
    Date {
        year: Year,
        month: u32,
        day: Option<u32>,
    },
}

const ONGOING: [&str; 6] = [
    "长期坚持",
    "持续推进",
    "持续坚持",
    "长期推进",
    "常态化推进",
    "长期",
];

const PREFIXES: [&str; 13] = [
    "力争于",
    "力争在",
    "确保于",
    "确保在",
    "计划于",
    "计划在",
    "预计于",
    "预计在",
    "力争",
    "确保",
    "计划",
    "于",
    "在",
];

const SUFFIXES: [&str; 14] = [
    "前全部完成",
    "前基本完成",
    "前完成整改",
    "前整改到位",
    "前落实到位",
    "全部完成",
    "基本完成",
    "完成整改",
    "整改到位",
    "落实到位",
    "完成",
    "之前",
    "以前",
    "前",
];

fn number(text: &str) -> Option<u32> {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    super::numbering::chinese_to_usize(text).and_then(|n| u32::try_from(n).ok())
}

/// Reads a whole phrase as a 时限 ("2026年6月底前完成", "于年底前", "长期坚持"), or None.
fn when(phrase: &str) -> Option<When> {
    let mut core = phrase.trim().trim_end_matches(['。', '；', ';', '，', ',']);
    if let Some(rest) = PREFIXES.iter().find_map(|p| core.strip_prefix(p)) {
        core = rest;
    }
    while let Some(rest) = SUFFIXES.iter().find_map(|s| core.strip_suffix(s)) {
        core = rest;
    }
    let core = core.trim();
    if ONGOING.contains(&core) {
        return Some(When::Ongoing);
    }
    for format in ["%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y年%m月%d日"] {
        if let Ok(date) = NaiveDate::parse_from_str(core, format) {
            return Some(When::Date {
                year: Year::Given(date.year()),
                month: date.month(),
                day: Some(date.day()),
            });
        }
    }
    let (year, rest) = if let Some(rest) = core.strip_prefix("今年").or(core.strip_prefix("本年"))
    {
        (Year::This, rest)
    } else if let Some(rest) = core.strip_prefix("明年") {
        (Year::Next, rest)
    } else if let Some((digits, rest)) = core.split_once('年')
        && digits.len() == 4
        && digits.chars().all(|c| c.is_ascii_digit())
    {
        (Year::Given(digits.parse().ok()?), rest)
    } else if let Some(rest) = core.strip_prefix("年") {
        // "年底" / "年内": the year is not said.
        (Year::Coming, rest)
    } else {
        (Year::Coming, core)
    };
    let rest = rest.strip_prefix("度").unwrap_or(rest);
    let year_end = When::Date {
        year,
        month: 12,
        day: None,
    };
    match rest {
        "底" | "末" | "内" | "年底" | "年末" | "年内" | "下半年" => {
            return Some(year_end);
        }
        "上半年" => {
            return Some(When::Date {
                year,
                month: 6,
                day: None,
            });
        }
        _ => {}
    }
    if let Some(quarter) = rest
        .strip_prefix('第')
        .unwrap_or(rest)
        .strip_suffix("季度末")
        .or_else(|| rest.strip_prefix('第').unwrap_or(rest).strip_suffix("季度"))
    {
        let quarter = number(quarter).filter(|q| (1..=4).contains(q))?;
        return Some(When::Date {
            year,
            month: quarter * 3,
            day: None,
        });
    }
    let (month, rest) = rest.split_once('月')?;
    let month = number(month).filter(|m| (1..=12).contains(m))?;
    let day = match rest {
        "" | "底" | "末" | "份" => None,
        day => Some(number(day.strip_suffix(['日', '号'])?)?),
    };
    Some(When::Date { year, month, day })
}

/// Whether a phrase is a 时限, whatever date it comes to.
pub(super) fn is_deadline_phrase(phrase: &str) -> bool {
    let phrase = phrase.trim();
    !phrase.is_empty() && phrase.chars().count() <= 20 && when(phrase).is_some()
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

fn date_in(year: i32, month: u32, day: Option<u32>) -> Option<NaiveDate> {
    match day {
        Some(day) => NaiveDate::from_ymd_opt(year, month, day),
        None => last_day(year, month),
    }
}

/// Reads a 时限 phrase against `reference` (the material's or the meeting's date): "6月底"
/// is the last day of the next June on or after it; a written year needs no reference.
pub(super) fn deadline(phrase: &str, reference: Option<NaiveDate>) -> Option<Deadline> {
    match when(phrase)? {
        When::Ongoing => Some(Deadline::Ongoing),
        When::Date { year, month, day } => {
            let date = match (year, reference) {
                (Year::Given(year), _) => date_in(year, month, day)?,
                (Year::This, Some(reference)) => date_in(reference.year(), month, day)?,
                (Year::Next, Some(reference)) => date_in(reference.year() + 1, month, day)?,
                (Year::Coming, Some(reference)) => {
                    let this_year = date_in(reference.year(), month, day)?;
                    if this_year >= reference {
                        this_year
                    } else {
                        date_in(reference.year() + 1, month, day)?
                    }
                }
                (_, None) => return None,
            };
            Some(Deadline::By(date))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn by(y: i32, m: u32, d: u32) -> Option<Deadline> {
        Some(Deadline::By(day(y, m, d)))
    }

    #[test]
    fn a_month_end_without_a_year_is_the_next_one_after_the_meeting() {
        let meeting = Some(day(2026, 1, 15));
        assert_eq!(deadline("6月底前", meeting), by(2026, 6, 30));
        assert_eq!(deadline("于6月底前完成", meeting), by(2026, 6, 30));
        assert_eq!(deadline("年底前完成", meeting), by(2026, 12, 31));
        assert_eq!(deadline("今年上半年", meeting), by(2026, 6, 30));
        assert_eq!(deadline("明年3月", meeting), by(2027, 3, 31));
        assert_eq!(deadline("第一季度末", meeting), by(2026, 3, 31));
        assert_eq!(deadline("2月28日前", meeting), by(2026, 2, 28));
        let december = Some(day(2025, 12, 20));
        assert_eq!(deadline("6月底前", december), by(2026, 6, 30));
        assert_eq!(deadline("十二月底", december), by(2025, 12, 31));
        assert_eq!(
            deadline("6月底前", None),
            None,
            "without a reference date the phrase stays words"
        );
    }

    #[test]
    fn written_years_and_ongoing_work_need_no_reference() {
        assert_eq!(deadline("2026年6月底前", None), by(2026, 6, 30));
        assert_eq!(deadline("2026年2月底", None), by(2026, 2, 28));
        assert_eq!(deadline("2026年底前", None), by(2026, 12, 31));
        assert_eq!(deadline("力争2026年9月30日前完成", None), by(2026, 9, 30));
        assert_eq!(deadline("2026-05-31", None), by(2026, 5, 31));
        assert_eq!(deadline("长期坚持", None), Some(Deadline::Ongoing));
        assert_eq!(deadline("持续推进", None), Some(Deadline::Ongoing));
        for words in ["要长期坚持", "根据上级安排", "2026年2月30日", "6月中旬", ""]
        {
            assert_eq!(deadline(words, Some(day(2026, 1, 1))), None, "{words}");
        }
    }

    #[test]
    fn labelled_entries_in_brackets_leave_the_measure_and_become_data() {
        let found = take_schedule(
            "每月精读原著2篇（责任人：张明；完成时限：2026年6月底前）。",
            true,
            is_deadline_phrase,
        );
        assert_eq!(found.rest, "每月精读原著2篇。");
        assert_eq!(
            found.entries,
            [
                Entry {
                    field: Field::Owner,
                    label: "责任人",
                    value: "张明".into()
                },
                Entry {
                    field: Field::Deadline,
                    label: "完成时限",
                    value: "2026年6月底前".into()
                }
            ]
        );
    }

    #[test]
    fn unbracketed_labels_run_to_the_end_of_their_sentence() {
        let found = take_schedule(
            "建立台账。责任领导：王强，责任部门：办公室。预期目标：形成制度1项，台账清楚。",
            true,
            is_deadline_phrase,
        );
        assert_eq!(found.rest, "建立台账。");
        let values: Vec<(&str, &str)> = found
            .entries
            .iter()
            .map(|e| (e.label, e.value.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("责任领导", "王强"),
                ("责任部门", "办公室"),
                ("预期目标", "形成制度1项，台账清楚")
            ]
        );
    }

    #[test]
    fn a_bare_phrase_closing_a_measure_is_its_deadline_and_other_brackets_stay() {
        let found = take_schedule(
            "每季度下基层2次（含蹲点），于2026年3月底前完成。",
            true,
            is_deadline_phrase,
        );
        assert_eq!(found.rest, "每季度下基层2次（含蹲点）。");
        assert_eq!(found.phrase.as_deref(), Some("于2026年3月底前完成"));
        let found = take_schedule("坚持每月讲党课（长期坚持）", false, is_deadline_phrase);
        assert_eq!(found.rest, "坚持每月讲党课");
        assert_eq!(found.phrase.as_deref(), Some("长期坚持"));
        let kept = take_schedule("要长期坚持学习，持之以恒。", true, is_deadline_phrase);
        assert_eq!(kept.rest, "要长期坚持学习，持之以恒。");
        assert_eq!(kept.phrase, None);
        let alone = take_schedule("长期坚持。", true, is_deadline_phrase);
        let unresolved = take_schedule("每月学习，6月底前完成。", true, |p| {
            deadline(p, None).is_some()
        });
        assert_eq!(unresolved.rest, "每月学习，6月底前完成。");
        assert_eq!(
            (alone.rest.as_str(), alone.phrase.as_deref()),
            ("", Some("长期坚持"))
        );
    }
}
