//! The two orders people's names are listed in. Official lists — every generated document
//! and export that names people (汇编, 报送 package, 台账, 测评 tables, 名单) — follow the
//! convention of Party and government documents: 按姓氏笔画, by the strokes of the surname,
//! then of the given name. Screens list people the way a reader scans them: by 拼音.
//! Neither is the order of Unicode code points that the database sorts strings in.
//!
//! Both come from ICU4X's collator and the CLDR Chinese tailorings compiled into it
//! (`zh-u-co-stroke`, `zh` whose default is pinyin); no table is kept here. Each collator
//! is built once, on first use, and shared by every thread: building one takes under a
//! microsecond (the data is static), sorting 10,000 names about 20 ms in a debug build.
//!
//! Two names the collator ranks equal (the same characters in another normalisation, or
//! two people with one name) keep a fixed order: the raw strings' code points break the tie,
//! so a list comes out the same on every run and equal names stay side by side.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

/// 按姓氏笔画: CLDR's stroke collation for Simplified Chinese. It orders characters by their
/// number of strokes (Unihan `kTotalStrokes`); characters of equal count by radical and
/// residual strokes (`kRSUnicode`), where a printed 名单 would use the kind of the first
/// stroke (横竖撇点折): 张 (弓) comes before 李 (木), both of 7 strokes. No maintained
/// collation carries stroke-sequence data; docs/DOMAIN.md §5.8.
static STROKES: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("zh-u-co-stroke").into(), CollatorOptions::default())
        .expect("the stroke tailoring is part of icu_collator's compiled data")
});

/// 拼音: the default collation of `zh`.
static PINYIN: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("zh").into(), CollatorOptions::default())
        .expect("the pinyin tailoring is part of icu_collator's compiled data")
});

/// Which of the two orders a list of people follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameOrder {
    /// 按姓氏笔画: documents and exports.
    Strokes,
    /// 拼音: lists on screen.
    Pinyin,
}

impl NameOrder {
    /// Compares two names in this order; equal names fall back to their code points.
    pub fn compare(self, a: &str, b: &str) -> Ordering {
        let collator = match self {
            Self::Strokes => &*STROKES,
            Self::Pinyin => &*PINYIN,
        };
        collator.compare(a, b).then_with(|| a.cmp(b))
    }

    /// Sorts `items` by the name `key` gives, stably: items with the very same name keep
    /// the order they came in (a secondary order the caller already applied).
    pub fn sort_by_name<T>(self, items: &mut [T], key: impl Fn(&T) -> &str) {
        items.sort_by(|a, b| self.compare(key(a), key(b)));
    }
}

/// 按姓氏笔画, for documents and exports.
pub fn by_strokes(a: &str, b: &str) -> Ordering {
    NameOrder::Strokes.compare(a, b)
}

/// 拼音, for lists on screen.
pub fn by_pinyin(a: &str, b: &str) -> Ordering {
    NameOrder::Pinyin.compare(a, b)
}

/// Sorts `items` 按姓氏笔画 by the name `key` gives (stable).
pub fn sort_by_strokes<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    NameOrder::Strokes.sort_by_name(items, key);
}

/// Sorts `items` by the 拼音 of the name `key` gives (stable).
pub fn sort_by_pinyin<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    NameOrder::Pinyin.sort_by_name(items, key);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Surnames whose three orders all differ. Code points: 丁 4E01, 于 4E8E, 张 5F20,
    /// 李 674E, 欧 6B27, 王 738B.
    const NAMES: [&str; 6] = ["王", "李", "丁", "欧阳", "张", "于"];

    fn sorted(order: NameOrder) -> Vec<&'static str> {
        let mut names = NAMES.to_vec();
        order.sort_by_name(&mut names, |name| name);
        names
    }

    #[test]
    fn surnames_follow_their_strokes_in_documents() {
        // 丁 2, 于 3, 王 4, then 7: 张 (radical 弓) before 李 (radical 木), then 欧 8.
        assert_eq!(
            sorted(NameOrder::Strokes),
            ["丁", "于", "王", "张", "李", "欧阳"]
        );
    }

    #[test]
    fn surnames_follow_their_pinyin_on_screen() {
        // dīng, lǐ, ōu, wáng, yú, zhāng.
        assert_eq!(
            sorted(NameOrder::Pinyin),
            ["丁", "李", "欧阳", "王", "于", "张"]
        );
    }

    #[test]
    fn neither_order_is_the_code_point_order() {
        let mut by_code_point = NAMES.to_vec();
        by_code_point.sort();
        assert_eq!(by_code_point, ["丁", "于", "张", "李", "欧阳", "王"]);
        assert_ne!(sorted(NameOrder::Strokes), by_code_point);
        assert_ne!(sorted(NameOrder::Pinyin), by_code_point);
    }

    #[test]
    fn full_names_compare_surname_first_then_given_name() {
        let mut names = vec!["王小明", "王一", "丁十", "王二"];
        sort_by_strokes(&mut names, |name| name);
        // 王 before 王 is settled by the given name: 一 1, 二 2, 小 3.
        assert_eq!(names, ["丁十", "王一", "王二", "王小明"]);
        sort_by_pinyin(&mut names, |name| name);
        // dīng; wáng èr, wáng xiǎo, wáng yī.
        assert_eq!(names, ["丁十", "王二", "王小明", "王一"]);
    }

    #[test]
    fn names_the_collator_ranks_equal_keep_a_fixed_order() {
        // U+00C5 (Å) and U+0041 U+030A (A + ring) are one letter to the collator.
        let composed = "\u{c5}";
        let decomposed = "A\u{30a}";
        assert_eq!(STROKES.compare(composed, decomposed), Ordering::Equal);
        assert_eq!(by_strokes(composed, decomposed), composed.cmp(decomposed));
        assert_eq!(by_pinyin(decomposed, composed), decomposed.cmp(composed));
        assert_ne!(by_pinyin(composed, decomposed), Ordering::Equal);
    }

    #[test]
    fn people_with_the_same_name_keep_the_order_they_came_in() {
        let mut people = vec![("张", 1), ("王", 2), ("张", 3), ("王", 4)];
        sort_by_strokes(&mut people, |(name, _)| name);
        assert_eq!(people, [("王", 2), ("王", 4), ("张", 1), ("张", 3)]);
    }

    #[test]
    fn the_comparators_are_usable_with_sort_by() {
        let mut names = vec!["张", "丁"];
        names.sort_by(|a, b| by_pinyin(a, b));
        assert_eq!(names, ["丁", "张"]);
        names.sort_by(|a, b| by_strokes(b, a));
        assert_eq!(names, ["张", "丁"]);
    }
}
