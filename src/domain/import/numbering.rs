//! Numbering as authors type it: the levels 一、 /（一）/ 1. /（1） that open a line, and
//! the ordinals 一是 / 其一 / 第一， / ① that number items inside a paragraph or at the start
//! of its lines.

use crate::domain::outline::chinese_number;

/// The numbering a line starts with, from the highest level down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Numbering {
    /// 一、 (or 第一部分): a part.
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
pub(super) fn numbering(paragraph: &str) -> Option<(Numbering, &str)> {
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
    if let Some(after) = trimmed.strip_prefix('第') {
        // "第一部分 存在的问题" opens a part like "一、存在的问题".
        let end = digits_end(after, |c| CHINESE_DIGITS.contains(c));
        if end > 0
            && let Some(rest) = after[end..].strip_prefix("部分")
        {
            return Some((
                Numbering::Chinese,
                rest.trim_start_matches(['、', '：', ':', '，'])
                    .trim_start(),
            ));
        }
        return None;
    }
    let end = digits_end(trimmed, |c| CHINESE_DIGITS.contains(c));
    if end > 0 {
        let after = trimmed[end..].strip_prefix(['、', '.', '．', '，'])?;
        return Some((Numbering::Chinese, after.trim_start()));
    }
    let end = digits_end(trimmed, |c| c.is_ascii_digit() || is_wide_digit(c));
    if end > 0 && end <= 6 {
        // "2026年……" is a date or a sentence, not a numbered line.
        let after = trimmed[end..].strip_prefix(['.', '．', '、'])?;
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((Numbering::Arabic, after.trim_start()));
    }
    None
}

fn digits_end(text: &str, is_digit: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .find(|(_, c)| !is_digit(*c))
        .map_or(text.len(), |(index, _)| index)
}

fn is_wide_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// 一 → 1 … 九十九 → 99.
pub(super) fn chinese_to_usize(text: &str) -> Option<usize> {
    (1..=99).find(|n| chinese_number(*n) == text)
}

const CIRCLED: &str = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳";

/// How an author numbers the items of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// 一是 / 二是
    Shi,
    /// 其一 / 其二
    Qi,
    /// 第一， / 第二，
    Di,
    /// ① / ②
    Circled,
}

/// One ordinal in a text: where it starts, where the item's words start, and its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ordinal {
    pub start: usize,
    pub end: usize,
    number: usize,
    style: Style,
}

/// Characters after which an ordinal may open an item: the start of a sentence or clause.
fn opens_clause(previous: Option<char>) -> bool {
    previous.is_none_or(|c| c.is_whitespace() || "。；：，、,;:！？!?（(“\"".contains(c))
}

/// The ordinal starting at byte `at`, if one does.
fn ordinal_at(text: &str, at: usize) -> Option<Ordinal> {
    let rest = &text[at..];
    let first = rest.chars().next()?;
    if let Some(index) = CIRCLED.chars().position(|c| c == first) {
        let after = &rest[first.len_utf8()..];
        let skip = after.len() - after.trim_start_matches(['、', '，', ' ']).len();
        return Some(Ordinal {
            start: at,
            end: at + first.len_utf8() + skip,
            number: index + 1,
            style: Style::Circled,
        });
    }
    let previous = text[..at].chars().next_back();
    if !opens_clause(previous) {
        return None;
    }
    let (style, digits) = match first {
        '其' => (Style::Qi, &rest['其'.len_utf8()..]),
        '第' => (Style::Di, &rest['第'.len_utf8()..]),
        _ => (Style::Shi, rest),
    };
    let end = digits_end(digits, |c| "一二三四五六七八九十".contains(c));
    if end == 0 || end > 3 * '十'.len_utf8() {
        return None;
    }
    let number = chinese_to_usize(&digits[..end])?;
    let after = &digits[end..];
    let after = match style {
        Style::Shi => after.strip_prefix('是')?,
        // "其一，" / "第二、"; "第一时间", "第一书记", "其一贯" are words, not ordinals.
        Style::Qi => after
            .strip_prefix('是')
            .or_else(|| after.strip_prefix(['，', '、', '：', ',', ':']))?,
        Style::Di => after.strip_prefix(['，', '、', '：', ',', ':'])?,
        Style::Circled => unreachable!("circled numbers are handled above"),
    };
    let after_separator = after.trim_start_matches(['，', '、', '：', ',', ':', ' ']);
    Some(Ordinal {
        start: at,
        end: text.len() - after_separator.len(),
        number,
        style,
    })
}

/// The ordinals that number the items of `text` ("一是……；二是……；三是……", across lines
/// too): the first run counting 1, 2, 3 … in one style, at least two long.
pub(super) fn ordinal_chain(text: &str) -> Option<Vec<Ordinal>> {
    let found: Vec<Ordinal> = text
        .char_indices()
        .filter_map(|(at, _)| ordinal_at(text, at))
        .collect();
    [Style::Shi, Style::Qi, Style::Di, Style::Circled]
        .into_iter()
        .filter_map(|style| {
            let mut chain: Vec<Ordinal> = Vec::new();
            for ordinal in found.iter().filter(|o| o.style == style) {
                let wanted = chain.len() + 1;
                let after_last = chain.last().is_none_or(|last| ordinal.start >= last.end);
                if ordinal.number == wanted && after_last {
                    chain.push(*ordinal);
                }
            }
            (chain.len() >= 2).then_some(chain)
        })
        .min_by_key(|chain| chain[0].start)
}

/// Splits `text` at its ordinal chain: the words before the first ordinal, and each item's
/// words without its ordinal.
pub(super) fn split_at_ordinals(text: &str) -> Option<(&str, Vec<&str>)> {
    let chain = ordinal_chain(text)?;
    let lead = &text[..chain[0].start];
    let items = chain
        .iter()
        .enumerate()
        .map(|(index, ordinal)| {
            let end = chain.get(index + 1).map_or(text.len(), |next| next.start);
            &text[ordinal.end..end]
        })
        .collect();
    Some((lead, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<&str> {
        split_at_ordinals(text)
            .map(|(_, items)| items)
            .unwrap_or_default()
    }

    #[test]
    fn levels_are_read_from_the_start_of_a_line() {
        assert_eq!(
            numbering("一、存在的问题"),
            Some((Numbering::Chinese, "存在的问题"))
        );
        assert_eq!(
            numbering("第二部分 原因剖析"),
            Some((Numbering::Chinese, "原因剖析"))
        );
        assert_eq!(
            numbering("（三）学习不深"),
            Some((Numbering::ChineseParen, "学习不深"))
        );
        assert_eq!(
            numbering("2.学习不深"),
            Some((Numbering::Arabic, "学习不深"))
        );
        assert_eq!(
            numbering("(２) 学习不深"),
            Some((Numbering::ArabicParen, "学习不深"))
        );
        for text in [
            "第一，学习不深",
            "一是学习不深",
            "2026年3月",
            "3.5小时",
            "（注）",
        ] {
            assert_eq!(numbering(text), None, "{text}");
        }
    }

    #[test]
    fn items_numbered_inside_a_paragraph_are_found_in_every_style() {
        assert_eq!(
            items("主要表现在：一是学习不深；二是，作风不实；三是纪律松弛。"),
            ["学习不深；", "作风不实；", "纪律松弛。"]
        );
        assert_eq!(
            items("其一，学习不深。其二是作风不实。"),
            ["学习不深。", "作风不实。"]
        );
        assert_eq!(
            items("第一，学习不深。\n第二、作风不实。"),
            ["学习不深。\n", "作风不实。"]
        );
        assert_eq!(
            items("①学习不深；②作风不实。"),
            ["学习不深；", "作风不实。"]
        );
    }

    #[test]
    fn words_that_only_look_like_ordinals_number_nothing() {
        for text in [
            "坚持统一是前提，二是后话。",
            "第一时间赶到，第二天才返回。",
            "做到一是一、二是二。",
            "一是学习不深。",
            "二是学习不深；三是作风不实。",
            "其一贯作风是好的，其二者兼顾。",
        ] {
            assert_eq!(items(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn the_first_chain_wins_and_a_repeated_number_stays_in_its_item() {
        let (lead, found) =
            split_at_ordinals("一是学习不深，其一是不系统，其二是不深入；二是作风不实。").unwrap();
        assert_eq!(lead, "");
        assert_eq!(
            found,
            ["学习不深，其一是不系统，其二是不深入；", "作风不实。"]
        );
    }
}
